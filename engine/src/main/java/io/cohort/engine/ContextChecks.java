package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.state.RoomIds;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cohort.config.PropertySet.formatDuration;
import static io.cohort.engine.CohortConfiguration.*;

/**
 * The parsing and validation behind {@link CohortContext}: every message names the offending {@code name=value} as
 * the operator wrote it (durations formatted back, never raw nanoseconds).
 */
final class ContextChecks
{
    /** Used in place of a cluster name whose hash is {@link FrameLayout#ANY_CLUSTER}, which fences nothing. */
    static final long ZERO_SUBSTITUTE = RoomIds.ZERO_SUBSTITUTE;
    private static final long MIN_SLICE_BUDGET_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_SLICE_BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int MIN_JOIN_BUFFER_MAX = 64 * 1024;
    private static final int MIN_FLOW_WINDOW_FRAMES = 16;
    private static final int MIN_FLOW_WINDOW = 16 * 1024;

    private ContextChecks()
    {
    }

    /**
     * Under static-quorum the quorum is {@code q = cohort.cluster.minimum.nodes}: two groups of q or more share a member
     * only while {@code 2q} exceeds the cluster's size. So q must be at least 2 (with q = 1 every side of a partition
     * would be a quorum), and more than half of {@code cohort.cluster.expected.nodes} when that is set; views never
     * grow past {@code 2q - 1} members either way.
     */
    private static void checkStaticQuorum(final CohortContext context)
    {
        if (SplitStrategy.STATIC_QUORUM != context.splitStrategy())
        {
            return;
        }
        final int quorum = context.minimumNodes();
        if (quorum < 2)
        {
            throw new IllegalArgumentException(SPLIT_STRATEGY_PROP_NAME + "=static-quorum needs " +
                MINIMUM_NODES_PROP_NAME + " (the quorum) of at least 2, not " + quorum + ": with a quorum of 1 every " +
                "side of a partition could serve as a cluster of its own");
        }
        final int expected = context.expectedNodes();
        if (expected > 0 && 2 * quorum <= expected)
        {
            throw new IllegalArgumentException(SPLIT_STRATEGY_PROP_NAME + "=static-quorum needs " +
                MINIMUM_NODES_PROP_NAME + "=" + quorum + " to be more than half of " + EXPECTED_NODES_PROP_NAME + "=" +
                expected + ": two sides of " + quorum + " could both serve");
        }
    }

    static long parseNodeId(final String value)
    {
        final String trimmed = value.trim();
        if (trimmed.isEmpty())
        {
            final SecureRandom random = new SecureRandom();
            long id;
            do
            {
                id = random.nextLong();
            }
            while (0 == id);
            return id;
        }
        try
        {
            return trimmed.startsWith("0x") ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(NODE_ID_PROP_NAME + "=" + value + " is not a 64-bit number", ex);
        }
    }

    static List<String> parseSeeds(final String value)
    {
        final List<String> seeds = new ArrayList<>();
        for (final String part : value.split(","))
        {
            final String seed = part.trim();
            if (seed.isEmpty())
            {
                continue;
            }
            final int colon = seed.lastIndexOf(':');
            if (colon <= 0 || colon == seed.length() - 1)
            {
                throw new IllegalArgumentException(SEEDS_PROP_NAME + "=" + value + ": '" + seed + "' is not host:port");
            }
            final int port;
            try
            {
                port = Integer.parseInt(seed.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(SEEDS_PROP_NAME + "=" + value + ": '" + seed + "' has no port", ex);
            }
            if (port <= 0 || port > 65535)
            {
                throw new IllegalArgumentException(SEEDS_PROP_NAME + "=" + value + ": port " + port + " out of range");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    /**
     * The cluster id of a name: XXH64 of its UTF-8 bytes, as room ids are made, the same on every node and version.
     */
    static long clusterId(final String clusterName)
    {
        final byte[] bytes = clusterName.getBytes(StandardCharsets.UTF_8);
        final long hash = RoomIds.xxh64(new UnsafeBuffer(bytes), 0, bytes.length, 0);
        return FrameLayout.ANY_CLUSTER == hash ? ZERO_SUBSTITUTE : hash;
    }

    static void validate(final CohortContext context)
    {
        // A misspelt setting would otherwise be ignored silently, e.g. a seed list under a wrong name founds a
        // second cluster.
        ToolProperties.KNOWN.rejectUnknown(System.getProperties(), "system property");
        if (0 == context.nodeId())
        {
            throw new IllegalArgumentException(NODE_ID_PROP_NAME + "=0 is reserved");
        }
        if (context.minimumNodes() < 1)
        {
            throw new IllegalArgumentException(MINIMUM_NODES_PROP_NAME + "=" + context.minimumNodes() + " must be at least 1");
        }
        checkStaticQuorum(context);
        if (context.heartbeatIntervalNs() <= 0)
        {
            throw new IllegalArgumentException(
                HEARTBEAT_INTERVAL_PROP_NAME + "=" + formatDuration(context.heartbeatIntervalNs()) + " must be positive");
        }
        if (context.heartbeatTimeoutNs() < 3 * context.heartbeatIntervalNs())
        {
            throw new IllegalArgumentException(HEARTBEAT_TIMEOUT_PROP_NAME + "=" + formatDuration(context.heartbeatTimeoutNs()) +
                " must be at least 3 x " + HEARTBEAT_INTERVAL_PROP_NAME + "=" + formatDuration(context.heartbeatIntervalNs()) +
                ", or one lost heartbeat looks like a dead node");
        }
        if (context.commandTimeoutNs() <= 0)
        {
            throw new IllegalArgumentException(COMMAND_TIMEOUT_PROP_NAME + "=" + formatDuration(context.commandTimeoutNs()) +
                " must be positive");
        }
        if (context.joinTimeoutNs() < context.commandTimeoutNs())
        {
            throw new IllegalArgumentException(JOIN_TIMEOUT_PROP_NAME + "=" + formatDuration(context.joinTimeoutNs()) +
                " must be at least " + COMMAND_TIMEOUT_PROP_NAME + "=" + formatDuration(context.commandTimeoutNs()));
        }
        if (context.suspicionTimeoutNs() < context.heartbeatIntervalNs())
        {
            throw new IllegalArgumentException(SUSPICION_TIMEOUT_PROP_NAME + "=" + formatDuration(context.suspicionTimeoutNs()) +
                " must be at least " + HEARTBEAT_INTERVAL_PROP_NAME + "=" + formatDuration(context.heartbeatIntervalNs()) +
                ", or other members cannot confirm an accusation in time");
        }
        if (context.syncRepairBudget() < 0)
        {
            throw new IllegalArgumentException(SYNC_REPAIR_BUDGET_PROP_NAME + "=" + context.syncRepairBudget() +
                " must not be negative");
        }
        if (Integer.bitCount(context.apiQueueLength()) != 1 || context.apiQueueLength() < 4096)
        {
            throw new IllegalArgumentException(API_QUEUE_LENGTH_PROP_NAME + "=" + context.apiQueueLength() +
                " must be a power of two of at least 4096 bytes");
        }
        if (null == context.listener())
        {
            throw new IllegalArgumentException("context.listener() must not be null");
        }
        if (null == context.jmxName() || !context.jmxName().matches("[A-Za-z0-9._-]*"))
        {
            throw new IllegalArgumentException(JMX_NAME_PROP_NAME + "=" + context.jmxName() +
                " may hold only letters, digits and . _ -");
        }

        if (null == context.idleStrategyName())
        {
            throw new IllegalArgumentException(IDLE_STRATEGY_PROP_NAME + "=null is not one of backoff, busy-spin");
        }
        IdleMode.of(context.idleStrategyName());

        validateCluster(context);
        validateSlices(context);
        validateFlow(context);
    }

    // The replication window bounds what replicas have not applied: a frame larger than it only closes it until the
    // frame is applied, but a window of a few messages would stop the stream at every frame; its frame cap must
    // stay well below the send high-water mark (healthy pipes never near it), status reports must come faster than
    // heartbeats, and callers are pushed back before a slow replica is cut loose.
    private static void validateFlow(final CohortContext context)
    {
        if (context.flowWindow() < MIN_FLOW_WINDOW)
        {
            throw new IllegalArgumentException(FLOW_WINDOW_PROP_NAME + "=" + context.flowWindow() +
                " must be at least " + MIN_FLOW_WINDOW + " bytes");
        }
        if (0 != context.flowNotificationWindow() && context.flowNotificationWindow() < MIN_FLOW_WINDOW)
        {
            throw new IllegalArgumentException(FLOW_NOTIFICATION_WINDOW_PROP_NAME + "=" +
                context.flowNotificationWindow() + " must be 0 (off) or at least " + MIN_FLOW_WINDOW + " bytes");
        }
        final int sendHwm = context.transportContext().sendHighWaterMark();
        if (context.flowWindowFrames() < MIN_FLOW_WINDOW_FRAMES || context.flowWindowFrames() > sendHwm / 4)
        {
            throw new IllegalArgumentException(FLOW_WINDOW_FRAMES_PROP_NAME + "=" + context.flowWindowFrames() +
                " must be from " + MIN_FLOW_WINDOW_FRAMES + " to a quarter of " +
                io.cohort.transport.TransportConfiguration.SEND_HWM_PROP_NAME + "=" + sendHwm);
        }
        if (context.flowStatusIntervalNs() <= 0 || context.flowStatusIntervalNs() >= context.heartbeatIntervalNs())
        {
            throw new IllegalArgumentException(FLOW_STATUS_INTERVAL_PROP_NAME + "=" +
                formatDuration(context.flowStatusIntervalNs()) + " must be positive and below " +
                HEARTBEAT_INTERVAL_PROP_NAME + "=" + formatDuration(context.heartbeatIntervalNs()));
        }
        if (context.flowUntetherAfterNs() <= context.flowStatusIntervalNs() ||
            context.flowUntetherAfterNs() > context.heartbeatTimeoutNs())
        {
            throw new IllegalArgumentException(FLOW_UNTETHER_AFTER_PROP_NAME + "=" +
                formatDuration(context.flowUntetherAfterNs()) + " must be above " + FLOW_STATUS_INTERVAL_PROP_NAME +
                "=" + formatDuration(context.flowStatusIntervalNs()) + " and at most " +
                HEARTBEAT_TIMEOUT_PROP_NAME + "=" + formatDuration(context.heartbeatTimeoutNs()));
        }
        if (context.flowLaggingAfterNs() < context.heartbeatTimeoutNs())
        {
            // Below the heartbeat timeout, a healthy replica under a burst (or a short pause that the
            // heartbeat timeout tolerates) would be removed for lag: the bound must outlast what silence is allowed.
            throw new IllegalArgumentException(FLOW_LAGGING_AFTER_PROP_NAME + "=" +
                formatDuration(context.flowLaggingAfterNs()) + " must be at least " + HEARTBEAT_TIMEOUT_PROP_NAME + "=" +
                formatDuration(context.heartbeatTimeoutNs()));
        }
        if (context.flowBackPressureAfterNs() < 0 || context.flowBackPressureAfterNs() >= context.flowUntetherAfterNs())
        {
            throw new IllegalArgumentException(FLOW_BACKPRESSURE_AFTER_PROP_NAME + "=" +
                formatDuration(context.flowBackPressureAfterNs()) + " must be from 0 to below " +
                FLOW_UNTETHER_AFTER_PROP_NAME + "=" + formatDuration(context.flowUntetherAfterNs()));
        }
    }

    // The node thread's long jobs (snapshot serving, loading, replay) are cut into slices of this budget, so that
    // heartbeats and clients are served between them; the join buffer bounds what a joiner holds meanwhile.
    private static void validateSlices(final CohortContext context)
    {
        final long sliceBudgetNs = context.sliceBudgetNs();
        if (sliceBudgetNs < MIN_SLICE_BUDGET_NS || sliceBudgetNs > MAX_SLICE_BUDGET_NS)
        {
            throw new IllegalArgumentException(SLICE_BUDGET_PROP_NAME + "=" + formatDuration(sliceBudgetNs) +
                " must be from " + formatDuration(MIN_SLICE_BUDGET_NS) + " to " + formatDuration(MAX_SLICE_BUDGET_NS));
        }
        if (context.joinBufferMax() < MIN_JOIN_BUFFER_MAX)
        {
            throw new IllegalArgumentException(JOIN_BUFFER_MAX_PROP_NAME + "=" + context.joinBufferMax() +
                " must be at least " + MIN_JOIN_BUFFER_MAX + " bytes");
        }
        if (context.snapshotMaxSessions() < 1)
        {
            throw new IllegalArgumentException(SNAPSHOT_MAX_SESSIONS_PROP_NAME + "=" + context.snapshotMaxSessions() +
                " must be at least 1");
        }
        if (context.snapshotCredit() < 1)
        {
            throw new IllegalArgumentException(SNAPSHOT_CREDIT_PROP_NAME + "=" + context.snapshotCredit() +
                " must be at least 1");
        }
    }

    private static void validateCluster(final CohortContext context)
    {
        final String name = context.clusterName();
        if (null == name || name.isEmpty() || name.length() > CLUSTER_NAME_MAX_LENGTH || !name.matches("[\\x21-\\x7E]+"))
        {
            throw new IllegalArgumentException(CLUSTER_NAME_PROP_NAME + "=" + name + " must be 1 to " +
                CLUSTER_NAME_MAX_LENGTH + " printable ASCII characters without spaces");
        }
        final int expected = context.expectedNodes();
        if (expected < 0)
        {
            throw new IllegalArgumentException(EXPECTED_NODES_PROP_NAME + "=" + expected + " must not be negative");
        }
        if (expected > 1 && context.seeds().isEmpty())
        {
            throw new IllegalArgumentException(EXPECTED_NODES_PROP_NAME + "=" + expected + " needs " + SEEDS_PROP_NAME +
                ": without seeds a node never hears the others and founds alone");
        }
        final int maxNodes = context.stateContext().maxNodes();
        if (expected > maxNodes)
        {
            throw new IllegalArgumentException(EXPECTED_NODES_PROP_NAME + "=" + expected + " must be at most " +
                io.cohort.state.StateConfiguration.MAX_NODES_PROP_NAME + "=" + maxNodes);
        }
        if (context.seedsResolveIntervalNs() <= 0)
        {
            throw new IllegalArgumentException(SEEDS_RESOLVE_INTERVAL_PROP_NAME + "=" +
                formatDuration(context.seedsResolveIntervalNs()) + " must be positive");
        }
        if (context.seedsProbeIntervalNs() <= 0)
        {
            throw new IllegalArgumentException(SEEDS_PROBE_INTERVAL_PROP_NAME + "=" +
                formatDuration(context.seedsProbeIntervalNs()) + " must be positive");
        }
        if (null == context.seedResolver())
        {
            throw new IllegalArgumentException("seedResolver must not be null");
        }
    }
}
