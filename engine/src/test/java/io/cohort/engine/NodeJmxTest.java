package io.cohort.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeJmxTest
{
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    File countersDir;

    private LocalNodes nodes;

    @BeforeEach
    void setUp()
    {
        nodes = new LocalNodes(countersDir);
    }

    @AfterEach
    void tearDown()
    {
        nodes.close();
    }

    private CohortNode launch(final long nodeId, final String seeds, final boolean jmx)
    {
        return nodes.launch(nodes.context(nodeId, seeds).jmxEnabled(jmx));
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        LocalNodes.await(what, condition);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldExposeTheNodeAndLeaveThroughJmx() throws Exception
    {
        final CohortNode node1 = launch(0xB1, "", true);
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final CohortNode node2 = launch(0xB2, node1.commandEndpoint().substring("tcp://".length()), true);
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));

        final ObjectName name1 = new ObjectName("io.cohort:type=Node,id=00000000000000b1");
        final ObjectName name2 = new ObjectName("io.cohort:type=Node,id=00000000000000b2");
        assertTrue(server.isRegistered(name1));
        assertEquals("RUNNING", server.getAttribute(name1, "State"));
        assertEquals("00000000000000b1", server.getAttribute(name1, "NodeId"));
        assertEquals(node1.incarnation(), server.getAttribute(name1, "Incarnation"));
        assertEquals(node1.commandEndpoint(), server.getAttribute(name1, "CommandEndpoint"));

        final CohortNodeMXBean view1 = JMX.newMXBeanProxy(server, name1, CohortNodeMXBean.class);
        await("members", () -> 2 == view1.getMemberCount());
        assertArrayEquals(new String[]{ "00000000000000b2" }, view1.getMembers());

        assertEquals(CallResult.ACCEPTED, node1.createRoom("index", "collection", new byte[]{ 1 }));
        final long room = CohortNode.roomId("index", "collection", new byte[]{ 1 });
        await("subscribed", () -> CallResult.ACCEPTED == node1.subscribe(7, room) && 1 == node2.subscriberCount(room));
        await("sizes published", () -> 1 == view1.getRooms() && 1 == view1.getSubscriptions() &&
            1 == view1.getConnections());
        final Map<String, Long> counters = view1.getCounters();
        assertEquals(1L, counters.get("node subscriptions"), counters.toString());
        assertTrue(counters.get("frames sent") > 0, counters.toString());
        assertTrue(counters.keySet().stream().anyMatch((label) -> label.startsWith("peer 00000000000000b2/")),
            counters.toString());
        assertTrue(new File(view1.getCountersFile()).exists());

        server.invoke(name2, "leave", new Object[0], new String[0]);
        assertEquals(NodeState.CLOSED, node2.state());
        assertFalse(server.isRegistered(name2), "unregistered on close");
        await("node2's leave seen by node1", () -> 1 == view1.getMemberCount());
        assertEquals(0, view1.getEvictions(), "a graceful leave is no eviction");

        node1.close();
        assertFalse(server.isRegistered(name1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotRegisterWhenDisabled() throws Exception
    {
        final CohortNode node = launch(0xB3, "", false);
        assertTrue(node.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        assertFalse(server.isRegistered(new ObjectName("io.cohort:type=Node,id=00000000000000b3")));
    }

    @Test
    void shouldCountStateChangesAndEvictionsBeforeTheBackendListenerThrows()
    {
        final List<String> seen = new ArrayList<>();
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(new byte[64 * CountersReader.METADATA_LENGTH]),
            new UnsafeBuffer(new byte[64 * CountersReader.COUNTER_LENGTH]));
        final NodeCounters counters = new NodeCounters(manager, 1);
        final NodeStatusListener listener = new NodeStatusListener(new CohortListener()
        {
            public void onMemberEvicted(final long nodeId, final EvictionReason reason)
            {
                seen.add("evicted " + nodeId);
                throw new IllegalStateException("backend bug");
            }
        }, counters);

        try
        {
            listener.onMemberEvicted(5, EvictionReason.GAP);
        }
        catch (final IllegalStateException expected)
        {
            // ClusterCore reports it to the error handler; the count was taken first.
        }
        listener.onStateChanged(NodeState.RUNNING, NodeState.NOT_ENOUGH_NODES);
        assertEquals(List.of("evicted 5"), seen);
        assertEquals(1, counters.evictions());
        final long[] state = new long[1];
        manager.forEach((value, id, label) ->
        {
            if ("node state".equals(label))
            {
                state[0] = value;
            }
        });
        assertEquals(NodeState.NOT_ENOUGH_NODES.code(), state[0]);
    }
}
