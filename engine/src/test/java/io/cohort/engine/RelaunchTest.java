package io.cohort.engine;

import io.cohort.test.FreePorts;
import io.cohort.transport.CounterType;
import io.cohort.transport.CountersFileReader;
import io.cohort.transport.ReceiveFaultHook;
import io.cohort.transport.SendFaultHook;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportFaultHooks;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedded node evicted from a two-node cluster in this JVM is relaunched in this JVM by a
 * {@link CohortSupervisor}: a new, larger incarnation of the same id, on the same ports and JMX name, with its own
 * counters file, that the other node admits as its one member of that id; the evicted incarnation released its
 * thread, sockets, counters file and JMX name. Slow: three launches (Chronicle Map start-up) and a heartbeat timeout.
 */
@Tag("slow")
class RelaunchTest
{
    private static final long VICTIM_ID = 0x2e;
    private static final long SURVIVOR_ID = 0x1e;

    @TempDir
    File directory;

    /**
     * Cuts the victim's receive path from the survivor while armed: it hears nothing of the survivor, loses the
     * two-node split (the survivor is older) and evicts itself; its own frames still reach the survivor, which hears
     * its eviction announcement. Shared by every incarnation the supplier makes, so that the test disarms it.
     */
    private static final class CutLink implements TransportFaultHooks
    {
        private volatile boolean armed;

        public SendFaultHook sendFaultHook(final TransportContext context)
        {
            return null;
        }

        public ReceiveFaultHook receiveFaultHook(final TransportContext context)
        {
            return (peerNodeId, message) -> armed && SURVIVOR_ID == peerNodeId;
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRelaunchAnEvictedNodeInThisJvmAsANewIncarnationThatRejoinsAndReleaseTheOldOne() throws Exception
    {
        try (CohortNode survivor = Cohort.launch(LocalNodes.context(directory, SURVIVOR_ID, "").jmxEnabled(false)))
        {
            assertTrue(survivor.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), survivor.state().toString());
            final int[] ports = FreePorts.loopback(2);
            final CutLink cut = new CutLink();
            final List<String> states = new CopyOnWriteArrayList<>();
            final Supplier<CohortContext> contexts = () ->
            {
                final CohortContext context = LocalNodes.context(directory, VICTIM_ID, LocalNodes.seedOf(survivor))
                    .jmxEnabled(true).jmxName("relaunch-victim")
                    .listener(new CohortListener()
                    {
                        public void onStateChanged(final NodeState previous, final NodeState current)
                        {
                            states.add(current.name());
                        }
                    });
                // Fixed ports: the new incarnation binds the very ports the evicted one held.
                context.transportContext().commandPort(ports[0]).syncPort(ports[1]).faultHooks(cut);
                return context;
            };
            final BlockingQueue<CohortNode> relaunched = new LinkedBlockingQueue<>();
            final Set<Thread> before = liveThreads();

            final CohortSupervisor supervisor = CohortSupervisor.launch(contexts, new CohortSupervisor.Listener()
            {
                public void onRelaunched(final CohortNode previous, final CohortNode current)
                {
                    relaunched.add(current);
                }
            });
            final CohortNode evicted = supervisor.node();
            try
            {
                assertTrue(evicted.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), evicted.state().toString());
                LocalNodes.await("the survivor syncs the victim", () -> isOnlyMember(survivor, evicted));
                final Set<Thread> evictedThreads = liveThreads();
                evictedThreads.removeAll(before);
                assertTrue(evictedThreads.stream().anyMatch((t) -> t.getName().equals(nodeThreadName())),
                    "the victim's node thread is among the threads its launch started: " + names(evictedThreads));

                System.out.println("RelaunchTest: threads the victim's launch started: " + names(evictedThreads));
                cut.armed = true;
                assertTrue(evicted.awaitState(NodeState.EVICTED, 30, TimeUnit.SECONDS), evicted.state().toString());
                cut.armed = false;

                final CohortNode current = relaunched.poll(60, TimeUnit.SECONDS);
                assertTrue(null != current, "relaunched within 60 s; states " + states);
                assertNotSame(evicted, current);
                assertSame(current, supervisor.node());
                assertEquals(1, supervisor.relaunches());
                assertEquals(VICTIM_ID, current.nodeId(), "the same node id");
                assertTrue(current.incarnation() > evicted.incarnation(),
                    "a new, larger incarnation: " + current.incarnation() + " after " + evicted.incarnation());
                assertEquals(evicted.commandEndpoint(), current.commandEndpoint(), "the released ports bound again");
                assertEquals(evicted.syncEndpoint(), current.syncEndpoint());

                assertTrue(current.awaitState(NodeState.RUNNING, 60, TimeUnit.SECONDS), current.state() + " " +
                    current.failure());
                LocalNodes.await("the survivor holds one member of the victim's id: the new incarnation, synced",
                    () -> isOnlyMember(survivor, current));
                // The victim hears nobody: its lease runs out (NO_QUORUM, it stops serving) before it is removed.
                assertEquals(List.of("JOINING", "RUNNING", "NO_QUORUM", "EVICTED", "JOINING", "RUNNING"),
                    dropRepeats(states), "the backend's listener saw both incarnations");

                assertReleased(evicted, evictedThreads);
                assertOwnCountersAndJmx(current);

                // The new incarnation serves: its rows reach the survivor.
                final byte[] filter = { 4, 2 };
                final long room = CohortNode.roomId("index", "collection", filter);
                LocalNodes.await("room created", () ->
                    CallResult.ACCEPTED == current.createRoom("index", "collection", filter));
                LocalNodes.await("subscribe accepted", () -> CallResult.ACCEPTED == current.subscribe(7, room));
                LocalNodes.await("the survivor counts the new incarnation's subscriber",
                    () -> 1 == survivor.subscriberCount(VICTIM_ID, room));
            }
            finally
            {
                supervisor.close();
            }
            assertTrue(supervisor.isStopped());
            assertEquals(NodeState.CLOSED, supervisor.node().state(), "closed with the supervisor");
            LocalNodes.await("the survivor saw the relaunched node leave", () -> 0 == survivor.members().length);
        }
    }

    /**
     * What the evicted incarnation held is released: its threads (node thread, sockets' I/O threads) ended, its
     * ports are free once the new incarnation is closed too (they were bound again meanwhile), and a reference to
     * it answers as a closed node without touching its freed off-heap state.
     */
    private static void assertReleased(final CohortNode evicted, final Set<Thread> evictedThreads)
        throws InterruptedException
    {
        LocalNodes.await("every thread the evicted incarnation started has ended: " + names(evictedThreads),
            () -> evictedThreads.stream().noneMatch(Thread::isAlive));
        assertEquals(NodeState.EVICTED, evicted.state(), "an evicted node stays EVICTED once closed");
        assertEquals(CallResult.CLOSED, evicted.subscribe(1, 1));
        assertEquals(0, evicted.subscriberCount(1), "reads of a closed node answer as an empty node");
        assertFalse(evicted.roomExists(1));
        assertEquals(0, evicted.connectionRooms(1, new long[4]));
        assertEquals(-1, evicted.roomMetadata(1, new UnsafeBuffer(new byte[evicted.maxRoomMetadataLength()]), 0));
        assertEquals(0, evicted.offHeapMemoryUsed());
        assertEquals(0, evicted.counter(CounterType.NODE_INCARNATION), "its counters file is unmapped");
    }

    private void assertOwnCountersAndJmx(final CohortNode current) throws Exception
    {
        final List<File> files = CountersFileReader.list(directory).stream()
            .filter((file) -> file.getName().equals(io.cohort.transport.CountersFile.fileName(VICTIM_ID)))
            .collect(Collectors.toList());
        assertEquals(1, files.size(), "one counters file for the victim's id: " + files);
        final CountersFileReader reader = CountersFileReader.open(files.get(0));
        try
        {
            assertEquals(current.incarnation(), reader.valueOf(CounterType.NODE_INCARNATION, 0),
                "the file is the new incarnation's");
        }
        finally
        {
            reader.close();
        }
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertEquals(current.incarnation(), server.getAttribute(NodeJmx.objectName("relaunch-victim"), "Incarnation"),
            "the JMX name the evicted incarnation released is the new one's");
    }

    private static boolean isOnlyMember(final CohortNode survivor, final CohortNode victim)
    {
        final List<ClusterMember> members = survivor.clusterMembers();
        return 1 == members.size() && VICTIM_ID == members.get(0).nodeId() &&
            victim.incarnation() == members.get(0).incarnation() && MemberState.SYNCED == members.get(0).state();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFreeTheNodesPortsWhenItCloses() throws Exception
    {
        final int[] ports = FreePorts.loopback(2);
        final CohortContext context = LocalNodes.context(directory, VICTIM_ID, "").jmxEnabled(false);
        context.transportContext().commandPort(ports[0]).syncPort(ports[1]);
        final CohortNode node = Cohort.launch(context);
        try
        {
            assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        }
        finally
        {
            node.close();
        }
        for (final int port : ports)
        {
            try (ServerSocket socket = new ServerSocket())
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    private static String nodeThreadName()
    {
        return "cohort-node-" + ClusterCore.id(VICTIM_ID);
    }

    private static Set<Thread> liveThreads()
    {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static String names(final Set<Thread> threads)
    {
        return threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", "));
    }

    private static List<String> dropRepeats(final List<String> states)
    {
        final List<String> distinct = new ArrayList<>();
        for (final String state : states)
        {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(state))
            {
                distinct.add(state);
            }
        }
        return distinct;
    }
}
