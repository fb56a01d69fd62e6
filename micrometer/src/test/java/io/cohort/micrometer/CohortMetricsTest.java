package io.cohort.micrometer;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.test.FaultInjection;
import io.cohort.transport.CounterType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binder against a {@link SimpleMeterRegistry} with live nodes in this JVM, on loopback: values read through it
 * are the node's own, and peer meters follow the membership without leaking.
 */
class CohortMetricsTest
{
    private static final long NODE_A = 0xA1;
    private static final long NODE_B = 0xB2;
    private static final long NODE_C = 0xC3;
    private static final String TRIGGER_FILE_PROP_NAME = FaultInjection.TRIGGER_FILE_PROP_NAME;
    private static final String DROP_ONE_FROM_PROP_NAME = FaultInjection.DROP_ONE_FROM_PROP_NAME;

    @TempDir
    File tempDir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldReportANodeAndItsPeersWithTheNodesOwnValues() throws Exception
    {
        // Node A drops one sync frame of B once the trigger file exists (test-support's fault hooks, installed
        // through the transport's class-name setting and configured at launch), and repairs its copy of B instead of accusing it: a gap, and no eviction.
        final File trigger = new File(tempDir, "trigger");
        final CohortNode nodeA;
        System.setProperty(TRIGGER_FILE_PROP_NAME, trigger.getPath());
        System.setProperty(DROP_ONE_FROM_PROP_NAME, "0x" + Long.toHexString(NODE_B));
        try
        {
            final CohortContext contextA = context(NODE_A, "").syncRepair(true).apiQueueLength(4096)
                .listener(new CohortListener()
                {
                    public void onRoomCreated(final long roomId, final String index, final String collection,
                        final byte[] filter)
                    {
                        throw new IllegalStateException("a backend bug, reported to the error handler");
                    }
                });
            contextA.transportContext().faultHooksClassName(FaultInjection.class.getName());
            nodeA = launch(contextA);
        }
        finally
        {
            System.clearProperty(TRIGGER_FILE_PROP_NAME);
            System.clearProperty(DROP_ONE_FROM_PROP_NAME);
        }
        assertTrue(nodeA.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        final CohortNode nodeB = launch(context(NODE_B, seedOf(nodeA)));
        assertTrue(nodeB.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));

        final String port = nodeA.commandEndpoint().substring(nodeA.commandEndpoint().lastIndexOf(':') + 1);
        assertEquals("node-" + port, nodeA.name(), "the default name is derived from the command port");
        final MeterRegistry registry = new SimpleMeterRegistry();
        final CohortMetrics metrics = new CohortMetrics(nodeA, "test", Tags.of("region", "lab"), Duration.ZERO);
        closeables.add(metrics);
        metrics.bindTo(registry);
        final String[] nodeTags = { "cluster", "test", "node", "node-" + port, "region", "lab" };

        await("two members", () -> 2 == gauge(registry, "cohort.node.members", nodeTags));
        assertEquals(1.0, gauge(registry, "cohort.node.state", "state", "RUNNING"));
        for (final NodeState other : NodeState.values())
        {
            if (NodeState.RUNNING != other)
            {
                assertEquals(0.0, gauge(registry, "cohort.node.state", "state", other.name()), other.name());
            }
        }
        await("B's peer meters", () ->
        {
            metrics.refresh();
            return 1 == metrics.peers().length;
        });
        assertArrayEquals(new long[]{ NODE_B }, metrics.peers());
        final String peerB = String.format("%016x", NODE_B);
        await("B's heartbeats counted", () -> counter(registry, "cohort.peer.received.messages", "peer", peerB) > 0);
        assertTrue(counter(registry, "cohort.node.received.messages") >=
            counter(registry, "cohort.peer.received.messages", "peer", peerB));
        assertTrue(counter(registry, "cohort.node.sent.messages") > 0);
        assertTrue(counter(registry, "cohort.peer.received.bytes", "peer", peerB) >
            counter(registry, "cohort.peer.received.frames", "peer", peerB));
        assertEquals(0.0, counter(registry, "cohort.peer.gaps", "peer", peerB));
        assertEquals(4096.0, gauge(registry, "cohort.node.call.queue.capacity"));
        final double age = gauge(registry, "cohort.node.status.age");
        assertTrue(age >= 0 && age < 5, "status age " + age);
        final double lag = gauge(registry, "cohort.flow.lag.max");
        assertTrue(lag >= 0 && lag < 1, "an idle pair's replication lag " + lag);
        assertEquals(0.0, counter(registry, "cohort.flow.lagging.accusations"));
        assertTrue(gauge(registry, "cohort.node.stall.longest") >= 0);

        // Local sizes, and an error: the backend listener throws once, on the room's creation.
        final long room = CohortNode.roomId("index", "collection", new byte[]{ 1 });
        assertEquals(CallResult.ACCEPTED, nodeA.createRoom("index", "collection", new byte[]{ 1 }));
        assertEquals(CallResult.ACCEPTED, nodeA.subscribe(7, room));
        assertEquals(CallResult.ACCEPTED, nodeA.subscribe(8, room));
        await("sizes", () -> 1 == gauge(registry, "cohort.node.rooms") &&
            2 == gauge(registry, "cohort.node.subscriptions") && 2 == gauge(registry, "cohort.node.connections"));
        await("the error counted", () -> 1 == counter(registry, "cohort.node.errors"));

        // Back-pressure: a burst of calls overflows the 4 KB queue; every BACK_PRESSURED result is counted.
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[400]); // a call is at most 1/8 of the queue
        long backPressured = 0;
        for (int i = 0; i < 20_000; i++)
        {
            if (CallResult.BACK_PRESSURED == nodeA.publish(room, payload, 0, payload.capacity()))
            {
                backPressured++;
            }
        }
        assertTrue(backPressured > 0, "the burst never filled the queue");
        assertEquals(backPressured, counter(registry, "cohort.node.calls.back.pressured"));

        // A stranger on the command port: a frame that does not decode, from no known node. Twice in CI, under load,
        // the stranger's one frame never reached the node: JeroMQ sometimes never completes a fresh connection's
        // handshake (the join driver's seed sockets are renewed for the same reason). So the stranger knocks with a
        // fresh socket every second until counted; what is checked is that frames that arrived are counted, none twice.
        try (ZContext zmq = new ZContext())
        {
            ZMQ.Socket stranger = null;
            int sent = 0;
            long nextSendNs = System.nanoTime();
            final long deadlineNs = nextSendNs + TimeUnit.SECONDS.toNanos(20);
            while (counter(registry, "cohort.node.stranger.frames") < 1)
            {
                final long nowNs = System.nanoTime();
                assertTrue(nowNs < deadlineNs, "timed out after 20 s waiting for the stranger's frames counted");
                if (nowNs >= nextSendNs)
                {
                    if (null != stranger)
                    {
                        zmq.destroySocket(stranger);
                    }
                    stranger = zmq.createSocket(SocketType.DEALER);
                    stranger.setLinger(0);
                    stranger.connect(nodeA.commandEndpoint());
                    assertTrue(stranger.send(new byte[]{ 1, 2, 3 }, ZMQ.DONTWAIT), "a fresh socket queues a frame");
                    sent++;
                    nextSendNs = nowNs + TimeUnit.SECONDS.toNanos(1);
                }
                Thread.sleep(10);
            }
            Thread.sleep(200);
            final double counted = counter(registry, "cohort.node.stranger.frames");
            assertTrue(counted >= 1 && counted <= sent, "counted " + counted + " of " + sent + " sent, none twice");
        }

        // One frame of B lost on the way: a gap, counted for B and in the node's total.
        Files.createFile(trigger.toPath());
        await("the gap counted", () -> 1 == counter(registry, "cohort.peer.gaps", "peer", peerB));
        assertEquals(1.0, counter(registry, "cohort.node.gaps"));
        assertEquals(1, nodeA.peerCounter(NODE_B, CounterType.PEER_GAPS), "the node's own count");
        assertEquals(0.0, counter(registry, "cohort.peer.bad.frames", "peer", peerB));
        assertEquals(0.0, counter(registry, "cohort.node.evictions"));

        // B leaves: its meters go at the next refresh; C joins: its meters come, and nothing else is left behind.
        final int metersWithB = registry.getMeters().size();
        nodeB.close();
        await("B's leave seen", () -> 1 == gauge(registry, "cohort.node.members"));
        metrics.refresh();
        assertEquals(0, metrics.peers().length);
        assertTrue(registry.find("cohort.peer.gaps").meters().isEmpty(), "B's meters removed");
        final int peerMeterCount = metersWithB - registry.getMeters().size();
        assertEquals(9, peerMeterCount, "meters per peer");

        final CohortNode nodeC = launch(context(NODE_C, seedOf(nodeA)));
        assertTrue(nodeC.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        await("C's peer meters", () ->
        {
            metrics.refresh();
            return 1 == metrics.peers().length;
        });
        assertEquals(metersWithB, registry.getMeters().size(), "as many meters as with B: none of B's left");
        final String peerC = String.format("%016x", NODE_C);
        await("C's heartbeats counted", () -> counter(registry, "cohort.peer.received.messages", "peer", peerC) > 0);
        assertEquals(0.0, counter(registry, "cohort.peer.gaps", "peer", peerC), "a new peer's counts start at 0");

        metrics.close();
        assertEquals(List.of(), registry.getMeters(), "close removes every meter");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldFollowTheMembershipOnItsOwnAndReadAClosedNodeAsClosed() throws Exception
    {
        final CohortNode nodeA = launch(context(NODE_A, "").jmxName("metrics-a"));
        assertTrue(nodeA.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        final MeterRegistry registry = new SimpleMeterRegistry();
        final CohortMetrics metrics = new CohortMetrics(nodeA, nodeA.clusterName(), Tags.empty(),
            Duration.ofMillis(50));
        closeables.add(metrics);
        metrics.bindTo(registry);
        assertEquals(1.0, gauge(registry, "cohort.node.members", "cluster", "cohort", "node", "metrics-a"));

        // Two nodes of one name would report as one: a second binder of the same name is refused.
        final CohortMetrics twin = new CohortMetrics(nodeA);
        closeables.add(twin);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> twin.bindTo(registry));
        assertTrue(refused.getMessage().contains("cohort.jmx.name"), refused.getMessage());

        final CohortNode nodeB = launch(context(NODE_B, seedOf(nodeA)));
        assertTrue(nodeB.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        final String peerB = String.format("%016x", NODE_B);
        await("B's meters registered by the binder's own refresh",
            () -> null != registry.find("cohort.peer.lost.tails").tag("peer", peerB).functionCounter());
        nodeB.close();
        await("B's meters removed by the binder's own refresh",
            () -> registry.find("cohort.peer.lost.tails").meters().isEmpty());

        nodeA.close();
        assertEquals(1.0, gauge(registry, "cohort.node.state", "state", "CLOSED"));
        assertEquals(0.0, gauge(registry, "cohort.node.state", "state", "RUNNING"));
        assertEquals(0.0, gauge(registry, "cohort.node.members"), "a closed node's counters read as 0");
        assertTrue(Double.isNaN(gauge(registry, "cohort.node.status.age")));
    }

    private CohortContext context(final long nodeId, final String seeds)
    {
        final CohortContext context = new CohortContext().nodeId(nodeId).seeds(seeds)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(3));
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(new File(tempDir, "counters").getPath());
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(4).maxOverflowSubscriptions(1024);
        return context;
    }

    private CohortNode launch(final CohortContext context)
    {
        final CohortNode node = Cohort.launch(context);
        closeables.add(node);
        return node;
    }

    private static String seedOf(final CohortNode node)
    {
        return node.commandEndpoint().substring("tcp://".length());
    }

    private static double gauge(final MeterRegistry registry, final String name, final String... tags)
    {
        return registry.get(name).tags(tags).gauge().value();
    }

    private static double counter(final MeterRegistry registry, final String name, final String... tags)
    {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after 20 s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
