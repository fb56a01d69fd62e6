package io.cohort.engine;

import io.cohort.test.LoopbackCluster;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.File;
import java.net.ServerSocket;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeJmxTest
{
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @RegisterExtension
    final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();

    private CohortNode launch(final long nodeId, final String seeds, final boolean jmx)
    {
        return nodes.add(Cohort.launch(LocalNodes.context(nodes.directory(), nodeId, seeds).jmxEnabled(jmx)));
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

        final ObjectName name1 = new ObjectName("io.cohort:type=Node,name=node-" + port(node1));
        final ObjectName name2 = new ObjectName("io.cohort:type=Node,name=node-" + port(node2));
        assertEquals("node-" + port(node1), node1.name(), "named after its command port, not its random id");
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
        assertFalse(server.isRegistered(new ObjectName("io.cohort:type=Node,name=" + node.name())));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldKeepItsNameAcrossARestartAsANewNode() throws Exception
    {
        final int commandPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            commandPort = probe.getLocalPort();
        }
        final ObjectName name = new ObjectName("io.cohort:type=Node,name=node-" + commandPort);
        final CohortContext first = LocalNodes.context(nodes.directory(), 0xB4, "");
        first.transportContext().commandPort(commandPort);
        final CohortNode before = nodes.add(Cohort.launch(first));
        assertTrue(before.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        assertEquals("00000000000000b4", server.getAttribute(name, "NodeId"));
        before.close();
        assertFalse(server.isRegistered(name));

        final CohortContext second = LocalNodes.context(nodes.directory(), 0xB5, "");
        second.transportContext().commandPort(commandPort);
        final CohortNode after = nodes.add(Cohort.launch(second));
        assertTrue(after.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        assertEquals("00000000000000b5", server.getAttribute(name, "NodeId"), "the same name, a new node id");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldFailTheLaunchOfASecondNodeOfTheSameNameInOneJvm() throws Exception
    {
        final CohortNode first =
            nodes.add(Cohort.launch(LocalNodes.context(nodes.directory(), 0xB6, "").jmxName("orders-1")));
        assertTrue(first.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final ObjectName name = new ObjectName("io.cohort:type=Node,name=orders-1");
        assertEquals("00000000000000b6", server.getAttribute(name, "NodeId"));

        final IllegalStateException error = assertThrows(IllegalStateException.class,
            () -> nodes.add(Cohort.launch(LocalNodes.context(nodes.directory(), 0xB7, "").jmxName("orders-1"))));
        assertTrue(error.getMessage().startsWith("cohort.jmx.name=orders-1: io.cohort:type=Node,name=orders-1 is " +
            "already registered in this JVM"), error.getMessage());
        assertFalse(new File(nodes.directory(), "node-00000000000000b7.counters").exists(), "the failed launch cleaned up");
        assertEquals("00000000000000b6", server.getAttribute(name, "NodeId"), "the first node keeps its name");
        assertEquals(NodeState.RUNNING, first.state());
    }

    @Test
    void shouldRefuseANameThatIsNoPlainWord()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().jmxName("a,b=c").conclude());
        assertEquals("cohort.jmx.name=a,b=c may hold only letters, digits and . _ -", error.getMessage());
    }

    private static String port(final CohortNode node)
    {
        return node.commandEndpoint().substring(node.commandEndpoint().lastIndexOf(':') + 1);
    }

    @Test
    void shouldCountStateChangesAndEvictionsBeforeAndTellTheHookAfterTheBackendListenerThrows()
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

            public void onStateChanged(final NodeState previous, final NodeState current)
            {
                seen.add("state " + current);
                throw new IllegalStateException("backend bug");
            }
        }, counters, (state) -> seen.add("hook " + state));

        try
        {
            listener.onMemberEvicted(5, EvictionReason.GAP);
        }
        catch (final IllegalStateException expected)
        {
            // ClusterCore reports it to the error handler; the count was taken first.
        }
        try
        {
            listener.onStateChanged(NodeState.RUNNING, NodeState.NOT_ENOUGH_NODES);
        }
        catch (final IllegalStateException expected)
        {
            // The supervisor's hook is told all the same, after the backend's listener.
        }
        assertEquals(List.of("evicted 5", "state NOT_ENOUGH_NODES", "hook NOT_ENOUGH_NODES"), seen);
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
