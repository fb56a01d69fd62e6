package io.cohort.engine;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.cohort.engine.CohortConfiguration.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortContextTest
{
    @AfterEach
    void clearProperties()
    {
        for (final String name : PROPERTIES.names())
        {
            System.clearProperty(name);
        }
    }

    @Test
    void shouldDeclareEveryEngineProperty()
    {
        assertEquals(30, PROPERTIES.names().size(), PROPERTIES.names().toString());
        assertTrue(PROPERTIES.contains("cohort.cluster.seeds.probe.interval"));
        assertTrue(PROPERTIES.contains("cohort.flow.window"));
        assertTrue(PROPERTIES.contains("cohort.flow.notification.window"));
        assertTrue(PROPERTIES.contains("cohort.flow.backpressure.after"));
        assertTrue(PROPERTIES.contains("cohort.idle.strategy"));
        assertTrue(PROPERTIES.contains("cohort.slice.budget"));
        assertTrue(PROPERTIES.contains("cohort.join.buffer.max"));
        assertTrue(PROPERTIES.contains("cohort.snapshot.max.sessions"));
        assertTrue(PROPERTIES.contains("cohort.snapshot.credit"));
        assertTrue(PROPERTIES.contains("cohort.heartbeat.timeout"));
        assertTrue(PROPERTIES.contains("cohort.jmx.enabled"));
        assertTrue(PROPERTIES.contains("cohort.jmx.name"));
    }

    @Test
    void shouldReadDefaultsAndSetProperties()
    {
        final CohortContext defaults = new CohortContext();
        assertEquals(TimeUnit.SECONDS.toNanos(1), defaults.heartbeatTimeoutNs());
        assertEquals(4 * 1024 * 1024, defaults.apiQueueLength());
        assertEquals(SplitStrategy.KEEP_MAJORITY, defaults.splitStrategy());

        System.setProperty(HEARTBEAT_TIMEOUT_PROP_NAME, "2s");
        System.setProperty(API_QUEUE_LENGTH_PROP_NAME, "64k");
        System.setProperty(SPLIT_STRATEGY_PROP_NAME, "keep-oldest");
        System.setProperty(SYNC_REPAIR_PROP_NAME, "TRUE");
        final CohortContext context = new CohortContext();
        assertEquals(TimeUnit.SECONDS.toNanos(2), context.heartbeatTimeoutNs());
        assertEquals(64 * 1024, context.apiQueueLength());
        assertEquals(SplitStrategy.KEEP_OLDEST, context.splitStrategy());
        assertTrue(context.syncRepair());
    }

    @Test
    void shouldNameABadPropertyAsWritten()
    {
        assertBad(HEARTBEAT_TIMEOUT_PROP_NAME, "2x", "cohort.heartbeat.timeout=2x is not a duration");
        assertBad(MINIMUM_NODES_PROP_NAME, "two", "cohort.cluster.minimum.nodes=two is not an integer");
        assertBad(API_QUEUE_LENGTH_PROP_NAME, "2g", "cohort.api.queue.length=2g is too large");
        assertBad(SPLIT_STRATEGY_PROP_NAME, "keep-both",
            "cohort.cluster.split.strategy=keep-both is not one of keep-majority, static-quorum, keep-oldest");
        assertBad(JMX_ENABLED_PROP_NAME, "yes", "cohort.jmx.enabled=yes is not true or false");
    }

    @Test
    void shouldRefuseAStaticQuorumThatTwoSidesCouldHold()
    {
        final IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().splitStrategy(SplitStrategy.STATIC_QUORUM).minimumNodes(1).conclude());
        assertTrue(one.getMessage().contains("cohort.cluster.split.strategy=static-quorum needs " +
            "cohort.cluster.minimum.nodes (the quorum) of at least 2, not 1"), one.getMessage());
        final IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().splitStrategy(SplitStrategy.STATIC_QUORUM).minimumNodes(2).expectedNodes(4)
                .seeds("tcp://127.0.0.1:1").conclude());
        assertTrue(half.getMessage().contains("cohort.cluster.minimum.nodes=2 to be more than half of " +
            "cohort.cluster.expected.nodes=4"), half.getMessage());
    }

    @Test
    void shouldChooseTheIdleStrategyByName()
    {
        final CohortContext defaults = new CohortContext().conclude();
        assertEquals("backoff", defaults.idleStrategyName());
        assertInstanceOf(PollingIdleStrategy.class, Cohort.idleStrategy(defaults, null, null, new Doorbell(), null));

        System.setProperty(IDLE_STRATEGY_PROP_NAME, "busy-spin");
        final CohortContext spinning = new CohortContext().conclude();
        assertEquals("busy-spin", spinning.idleStrategyName());
        assertInstanceOf(BusySpinIdleStrategy.class, Cohort.idleStrategy(spinning, null, null, new Doorbell(), null));

        final IdleStrategy custom = new NoOpIdleStrategy();
        assertSame(custom, Cohort.idleStrategy(new CohortContext().idleStrategy(custom).conclude(), null, null,
            new Doorbell(), null));
    }

    @Test
    void shouldRefuseAnUnknownIdleStrategyNamingTheKeyAndTheValueAsWritten()
    {
        System.setProperty(IDLE_STRATEGY_PROP_NAME, "Spin");
        final CohortContext context = new CohortContext();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertEquals("cohort.idle.strategy=Spin is not one of backoff, busy-spin", ex.getMessage());

        System.clearProperty(IDLE_STRATEGY_PROP_NAME);
        final IllegalArgumentException set = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().idleStrategyName("sleep").conclude());
        assertEquals("cohort.idle.strategy=sleep is not one of backoff, busy-spin", set.getMessage());
    }

    @Test
    void shouldEchoACombinationOfDurationsAsAnOperatorWritesThem()
    {
        System.setProperty(HEARTBEAT_INTERVAL_PROP_NAME, "1s");
        System.setProperty(HEARTBEAT_TIMEOUT_PROP_NAME, "1500ms");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CohortContext().conclude());
        assertEquals("cohort.heartbeat.timeout=1500ms must be at least 3 x cohort.heartbeat.interval=1s, or one " +
            "lost heartbeat looks like a dead node", ex.getMessage());
    }

    @Test
    void shouldDeriveTheClusterIdFromTheClusterNameAndHandItToTheTransportAndTheState()
    {
        final CohortContext defaults = new CohortContext();
        assertEquals("cohort", defaults.clusterName());
        assertEquals(0, defaults.expectedNodes());
        assertEquals(TimeUnit.SECONDS.toNanos(1), defaults.seedsResolveIntervalNs());

        System.setProperty(CLUSTER_NAME_PROP_NAME, "orders-eu");
        final CohortContext context = new CohortContext().nodeId(5).conclude();
        assertEquals("orders-eu", context.clusterName());
        assertEquals(context.clusterId(), context.transportContext().clusterId());
        assertEquals(context.clusterId(), context.stateContext().clusterId());
        assertEquals(new CohortContext().clusterName("orders-eu").clusterId(), context.clusterId(), "stable");
        assertTrue(new CohortContext().clusterName("orders-us").clusterId() != context.clusterId());
        assertTrue(io.cohort.codec.FrameLayout.ANY_CLUSTER != defaults.clusterId());
    }

    @Test
    void shouldRefuseAClusterNameThatIsEmptyTooLongOrNotPrintable()
    {
        for (final String name : new String[]{ "", "a b", "x".repeat(CLUSTER_NAME_MAX_LENGTH + 1), "caf\u00e9", "tab\t" })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new CohortContext().nodeId(5).clusterName(name).conclude(), name);
            assertEquals("cohort.cluster.name=" + name + " must be 1 to 64 printable ASCII characters without spaces",
                ex.getMessage());
        }
        new CohortContext().nodeId(5).clusterName("x".repeat(CLUSTER_NAME_MAX_LENGTH)).conclude();
    }

    @Test
    void shouldRefuseExpectedNodesWithoutSeedsOrNegative()
    {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().nodeId(5).expectedNodes(3).conclude());
        assertTrue(ex.getMessage().startsWith("cohort.cluster.expected.nodes=3 needs cohort.cluster.seeds"),
            ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
            () -> new CohortContext().nodeId(5).expectedNodes(-1).conclude());
        assertEquals("cohort.cluster.expected.nodes=-1 must not be negative", ex.getMessage());
        System.setProperty(SEEDS_RESOLVE_INTERVAL_PROP_NAME, "0ms");
        ex = assertThrows(IllegalArgumentException.class, () -> new CohortContext().nodeId(5).conclude());
        assertEquals("cohort.cluster.seeds.resolve.interval=0ns must be positive", ex.getMessage());
        new CohortContext().nodeId(5).expectedNodes(1).seedsResolveIntervalNs(1).conclude();
        System.clearProperty(SEEDS_RESOLVE_INTERVAL_PROP_NAME);
        System.setProperty(SEEDS_PROBE_INTERVAL_PROP_NAME, "0ms");
        ex = assertThrows(IllegalArgumentException.class, () -> new CohortContext().nodeId(5).conclude());
        assertEquals("cohort.cluster.seeds.probe.interval=0ns must be positive", ex.getMessage());
        new CohortContext().nodeId(5).seedsProbeIntervalNs(1).conclude();
    }

    @Test
    void shouldReadAndValidateTheSliceSettings()
    {
        final CohortContext defaults = new CohortContext();
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), defaults.sliceBudgetNs());
        assertEquals(64 * 1024 * 1024, defaults.joinBufferMax());
        assertEquals(4, defaults.snapshotMaxSessions());
        assertEquals(8, defaults.snapshotCredit());

        System.setProperty(SLICE_BUDGET_PROP_NAME, "250us");
        System.setProperty(JOIN_BUFFER_MAX_PROP_NAME, "2m");
        System.setProperty(SNAPSHOT_MAX_SESSIONS_PROP_NAME, "2");
        System.setProperty(SNAPSHOT_CREDIT_PROP_NAME, "16");
        final CohortContext context = new CohortContext();
        assertEquals(TimeUnit.MICROSECONDS.toNanos(250), context.sliceBudgetNs());
        assertEquals(2 * 1024 * 1024, context.joinBufferMax());
        assertEquals(2, context.snapshotMaxSessions());
        assertEquals(16, context.snapshotCredit());
        clearProperties();

        assertConcludeFails(new CohortContext().sliceBudgetNs(TimeUnit.MICROSECONDS.toNanos(50)),
            "cohort.slice.budget=50us must be from 100us to 50ms");
        assertConcludeFails(new CohortContext().sliceBudgetNs(TimeUnit.MILLISECONDS.toNanos(51)),
            "cohort.slice.budget=51ms must be from 100us to 50ms");
        assertConcludeFails(new CohortContext().joinBufferMax(1000),
            "cohort.join.buffer.max=1000 must be at least 65536 bytes");
        assertConcludeFails(new CohortContext().snapshotMaxSessions(0),
            "cohort.snapshot.max.sessions=0 must be at least 1");
        assertConcludeFails(new CohortContext().snapshotCredit(0), "cohort.snapshot.credit=0 must be at least 1");
        assertBad(JOIN_BUFFER_MAX_PROP_NAME, "lots", "cohort.join.buffer.max=lots is not a size");
    }

    @Test
    void shouldReadAndValidateTheFlowControlSettings()
    {
        final CohortContext defaults = new CohortContext();
        assertEquals(256 * 1024, defaults.flowWindow());
        assertEquals(2048, defaults.flowWindowFrames());
        assertEquals(64 * 1024, defaults.flowNotificationWindow());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), defaults.flowStatusIntervalNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), defaults.flowUntetherAfterNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2), defaults.flowBackPressureAfterNs());
        assertEquals(TimeUnit.SECONDS.toNanos(5), defaults.flowLaggingAfterNs());
        defaults.conclude();

        System.setProperty(FLOW_WINDOW_PROP_NAME, "1m");
        System.setProperty(FLOW_WINDOW_FRAMES_PROP_NAME, "512");
        System.setProperty(FLOW_NOTIFICATION_WINDOW_PROP_NAME, "32k");
        System.setProperty(FLOW_STATUS_INTERVAL_PROP_NAME, "500us");
        System.setProperty(FLOW_UNTETHER_AFTER_PROP_NAME, "50ms");
        System.setProperty(FLOW_BACKPRESSURE_AFTER_PROP_NAME, "5ms");
        System.setProperty(FLOW_LAGGING_AFTER_PROP_NAME, "3s");
        final CohortContext context = new CohortContext();
        assertEquals(1024 * 1024, context.flowWindow());
        assertEquals(512, context.flowWindowFrames());
        assertEquals(32 * 1024, context.flowNotificationWindow());
        assertEquals(TimeUnit.MICROSECONDS.toNanos(500), context.flowStatusIntervalNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(50), context.flowUntetherAfterNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(5), context.flowBackPressureAfterNs());
        assertEquals(TimeUnit.SECONDS.toNanos(3), context.flowLaggingAfterNs());
        clearProperties();

        assertConcludeFails(new CohortContext().flowWindow(1000), "cohort.flow.window=1000 must be at least 16384 bytes");
        assertConcludeFails(new CohortContext().flowNotificationWindow(1000),
            "cohort.flow.notification.window=1000 must be 0 (off) or at least 16384 bytes");
        new CohortContext().flowNotificationWindow(0).conclude();
        assertConcludeFails(new CohortContext().flowWindowFrames(8),
            "cohort.flow.window.frames=8 must be from 16 to a quarter of cohort.transport.send.hwm=10000");
        assertConcludeFails(new CohortContext().flowWindowFrames(2501),
            "cohort.flow.window.frames=2501 must be from 16 to a quarter of cohort.transport.send.hwm=10000");
        assertConcludeFails(new CohortContext().flowStatusIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)),
            "cohort.flow.status.interval=100ms must be positive and below cohort.heartbeat.interval=100ms");
        assertConcludeFails(new CohortContext().flowUntetherAfterNs(TimeUnit.SECONDS.toNanos(2)),
            "cohort.flow.untether.after=2s must be above cohort.flow.status.interval=1ms and at most " +
            "cohort.heartbeat.timeout=1s");
        assertConcludeFails(new CohortContext().flowBackPressureAfterNs(TimeUnit.MILLISECONDS.toNanos(100)),
            "cohort.flow.backpressure.after=100ms must be from 0 to below cohort.flow.untether.after=100ms");
        assertConcludeFails(new CohortContext().flowLaggingAfterNs(TimeUnit.MILLISECONDS.toNanos(999)),
            "cohort.flow.lagging.after=999ms must be at least cohort.heartbeat.timeout=1s");
        new CohortContext().flowLaggingAfterNs(TimeUnit.SECONDS.toNanos(1)).conclude();
        assertConcludeFails(new CohortContext().heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(6)),
            "cohort.flow.lagging.after=5s must be at least cohort.heartbeat.timeout=6s");
        assertBad(FLOW_WINDOW_PROP_NAME, "wide", "cohort.flow.window=wide is not a size");
    }

    private static void assertConcludeFails(final CohortContext context, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertEquals(message, ex.getMessage());
    }

    private static void assertBad(final String name, final String value, final String message)
    {
        System.setProperty(name, value);
        try
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, CohortContext::new);
            assertTrue(ex.getMessage().startsWith(message), ex.getMessage());
        }
        finally
        {
            System.clearProperty(name);
        }
    }
}
