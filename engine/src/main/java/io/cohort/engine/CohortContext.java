package io.cohort.engine;

import io.cohort.codec.CodecLimits;
import io.cohort.state.StateContext;
import io.cohort.transport.TransportContext;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.cohort.engine.CohortConfiguration.*;

/**
 * Everything a node is configured with: defaults read from {@code cohort.*} system properties
 * ({@link CohortConfiguration}, and the transport's and state's own), overridable with setters, validated by
 * {@link #conclude()} which names the offending {@code name=value}. Give it to {@link Cohort#launch}.
 * <p>
 * A context launches one node: its node id and incarnation are that node's. To launch again in this JVM (after an
 * eviction), make a new context with the same settings; it has a new, larger incarnation
 * ({@link CohortSupervisor} takes a supplier of contexts for this).
 */
public final class CohortContext
{
    private static final AtomicLong LAST_INCARNATION = new AtomicLong();

    private long nodeId = ContextChecks.parseNodeId(PROPERTIES.string(NODE_ID_PROP_NAME, NODE_ID_DEFAULT));
    private String clusterName = PROPERTIES.string(CLUSTER_NAME_PROP_NAME, CLUSTER_NAME_DEFAULT).trim();
    private int expectedNodes = PROPERTIES.intValue(EXPECTED_NODES_PROP_NAME, EXPECTED_NODES_DEFAULT);
    private long seedsResolveIntervalNs =
        PROPERTIES.durationNs(SEEDS_RESOLVE_INTERVAL_PROP_NAME, SEEDS_RESOLVE_INTERVAL_DEFAULT);
    private long seedsProbeIntervalNs =
        PROPERTIES.durationNs(SEEDS_PROBE_INTERVAL_PROP_NAME, SEEDS_PROBE_INTERVAL_DEFAULT);
    private SeedResolver seedResolver = SeedResolver.DNS;
    private long incarnation = nextIncarnation();
    private List<String> seeds = ContextChecks.parseSeeds(PROPERTIES.string(SEEDS_PROP_NAME, SEEDS_DEFAULT));
    private int minimumNodes = PROPERTIES.intValue(MINIMUM_NODES_PROP_NAME, MINIMUM_NODES_DEFAULT);
    private long heartbeatIntervalNs = PROPERTIES.durationNs(HEARTBEAT_INTERVAL_PROP_NAME, HEARTBEAT_INTERVAL_DEFAULT);
    private long heartbeatTimeoutNs = PROPERTIES.durationNs(HEARTBEAT_TIMEOUT_PROP_NAME, HEARTBEAT_TIMEOUT_DEFAULT);
    private long joinTimeoutNs = PROPERTIES.durationNs(JOIN_TIMEOUT_PROP_NAME, JOIN_TIMEOUT_DEFAULT);
    private long commandTimeoutNs = PROPERTIES.durationNs(COMMAND_TIMEOUT_PROP_NAME, COMMAND_TIMEOUT_DEFAULT);
    private int apiQueueLength = PROPERTIES.intSize(API_QUEUE_LENGTH_PROP_NAME, API_QUEUE_LENGTH_DEFAULT, 1 << 30);
    private SplitStrategy splitStrategy =
        PROPERTIES.enumValue(SPLIT_STRATEGY_PROP_NAME, SPLIT_STRATEGY_DEFAULT, SplitStrategy.class);
    private long suspicionTimeoutNs = PROPERTIES.durationNs(SUSPICION_TIMEOUT_PROP_NAME, SUSPICION_TIMEOUT_DEFAULT);
    private boolean syncRepair = PROPERTIES.booleanValue(SYNC_REPAIR_PROP_NAME, SYNC_REPAIR_DEFAULT);
    private int syncRepairBudget = PROPERTIES.intValue(SYNC_REPAIR_BUDGET_PROP_NAME, SYNC_REPAIR_BUDGET_DEFAULT);
    private boolean jmxEnabled = PROPERTIES.booleanValue(JMX_ENABLED_PROP_NAME, JMX_ENABLED_DEFAULT);
    private String jmxName = PROPERTIES.string(JMX_NAME_PROP_NAME, JMX_NAME_DEFAULT).trim();
    private long sliceBudgetNs = PROPERTIES.durationNs(SLICE_BUDGET_PROP_NAME, SLICE_BUDGET_DEFAULT);
    private int joinBufferMax = PROPERTIES.intSize(JOIN_BUFFER_MAX_PROP_NAME, JOIN_BUFFER_MAX_DEFAULT, 1 << 30);
    private int snapshotMaxSessions =
        PROPERTIES.intValue(SNAPSHOT_MAX_SESSIONS_PROP_NAME, SNAPSHOT_MAX_SESSIONS_DEFAULT);
    private int snapshotCredit = PROPERTIES.intValue(SNAPSHOT_CREDIT_PROP_NAME, SNAPSHOT_CREDIT_DEFAULT);
    private int flowWindow = PROPERTIES.intSize(FLOW_WINDOW_PROP_NAME, FLOW_WINDOW_DEFAULT, 1 << 30);
    private int flowWindowFrames = PROPERTIES.intValue(FLOW_WINDOW_FRAMES_PROP_NAME, FLOW_WINDOW_FRAMES_DEFAULT);
    private int flowNotificationWindow =
        PROPERTIES.intSize(FLOW_NOTIFICATION_WINDOW_PROP_NAME, FLOW_NOTIFICATION_WINDOW_DEFAULT, 1 << 30);
    private long flowStatusIntervalNs =
        PROPERTIES.durationNs(FLOW_STATUS_INTERVAL_PROP_NAME, FLOW_STATUS_INTERVAL_DEFAULT);
    private long flowUntetherAfterNs =
        PROPERTIES.durationNs(FLOW_UNTETHER_AFTER_PROP_NAME, FLOW_UNTETHER_AFTER_DEFAULT);
    private long flowLaggingAfterNs =
        PROPERTIES.durationNs(FLOW_LAGGING_AFTER_PROP_NAME, FLOW_LAGGING_AFTER_DEFAULT);
    private long flowBackPressureAfterNs =
        PROPERTIES.durationNs(FLOW_BACKPRESSURE_AFTER_PROP_NAME, FLOW_BACKPRESSURE_AFTER_DEFAULT);
    private CodecLimits codecLimits = CodecLimits.DEFAULT;
    private final TransportContext transportContext = new TransportContext();
    private final StateContext stateContext = new StateContext();
    private CohortListener listener = new CohortListener()
    {
    };
    private ErrorHandler errorHandler;
    private String idleStrategyName = PROPERTIES.string(IDLE_STRATEGY_PROP_NAME, IDLE_STRATEGY_DEFAULT);
    private IdleStrategy idleStrategy;
    private boolean concluded;
    /** Set once {@link Cohort#launch} has launched a node with this context: a context launches one node. */
    private volatile boolean launched;

    /**
     * Validates every setting, fails on a {@code cohort.*} system property no Configuration declares (naming
     * the closest declared one), fills in the transport's and the state's node id, incarnation and limits, and
     * concludes their contexts.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the offending {@code name=value}, or an unknown {@code cohort.*}
     *                                  name with the closest known one.
     */
    public CohortContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        ContextChecks.validate(this);
        final long clusterId = clusterId();
        transportContext.clusterId(clusterId).nodeId(nodeId).incarnation(incarnation).codecLimits(codecLimits).conclude();
        stateContext.clusterId(clusterId).localNodeId(nodeId).codecLimits(codecLimits).conclude();
        concluded = true;
        return this;
    }

    /**
     * The default incarnation of a new context: the wall clock in epoch milliseconds, but always larger than the
     * last one given in this JVM. Invariant: a node relaunched in this JVM with a new context is a new, larger
     * incarnation of its id, which the cluster admits (it refuses an incarnation it removed, and older ones), even
     * if the relaunch comes within the same millisecond or after the wall clock stepped back.
     */
    static long nextIncarnation()
    {
        final long nowMs = System.currentTimeMillis();
        return LAST_INCARNATION.accumulateAndGet(nowMs, (last, now) -> Math.max(last + 1, now));
    }

    boolean launched()
    {
        return launched;
    }

    void launched(final boolean launched)
    {
        this.launched = launched;
    }

    /**
     * Length of the API queue's buffer, trailer included.
     *
     * @return bytes to allocate.
     */
    int apiQueueBufferLength()
    {
        return apiQueueLength + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * This node's id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * Sets this node's id (non-zero).
     *
     * @param nodeId the node id.
     * @return this for a fluent API.
     */
    public CohortContext nodeId(final long nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * This node's incarnation.
     *
     * @return the incarnation: by default the time this context was made, in epoch milliseconds, and larger than
     * that of every context made before it in this JVM.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Sets this node's incarnation.
     *
     * @param incarnation the incarnation.
     * @return this for a fluent API.
     */
    public CohortContext incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    /**
     * The cluster's name, the same on every node (see {@link CohortConfiguration#CLUSTER_NAME_PROP_NAME}).
     *
     * @return the name.
     */
    public String clusterName()
    {
        return clusterName;
    }

    /**
     * Sets the cluster's name.
     *
     * @param clusterName 1 to {@value CohortConfiguration#CLUSTER_NAME_MAX_LENGTH} printable ASCII characters, no
     *                    spaces.
     * @return this for a fluent API.
     */
    public CohortContext clusterName(final String clusterName)
    {
        this.clusterName = clusterName;
        return this;
    }

    /**
     * The cluster id stamped on every frame: the XXH64 hash of the cluster name's UTF-8 bytes, never
     * {@link io.cohort.codec.FrameLayout#ANY_CLUSTER}.
     *
     * @return the cluster id.
     */
    public long clusterId()
    {
        return ContextChecks.clusterId(clusterName);
    }

    /**
     * Nodes that must answer on the seeds before a cold start founds the cluster (see
     * {@link CohortConfiguration#EXPECTED_NODES_PROP_NAME}).
     *
     * @return the count, this node included; 0 for none.
     */
    public int expectedNodes()
    {
        return expectedNodes;
    }

    /**
     * Sets the nodes that must answer on the seeds before a cold start founds the cluster.
     *
     * @param expectedNodes the count, this node included; 0 for none.
     * @return this for a fluent API.
     */
    public CohortContext expectedNodes(final int expectedNodes)
    {
        this.expectedNodes = expectedNodes;
        return this;
    }

    /**
     * How often seed host names are resolved again while joining or alone.
     *
     * @return nanoseconds.
     */
    public long seedsResolveIntervalNs()
    {
        return seedsResolveIntervalNs;
    }

    /**
     * Sets how often seed host names are resolved again while joining or alone.
     *
     * @param seedsResolveIntervalNs nanoseconds, positive.
     * @return this for a fluent API.
     */
    public CohortContext seedsResolveIntervalNs(final long seedsResolveIntervalNs)
    {
        this.seedsResolveIntervalNs = seedsResolveIntervalNs;
        return this;
    }

    /**
     * How often a serving member of a cluster of two or more probes its seeds for another instance of the cluster
     * ({@link CohortConfiguration#SEEDS_PROBE_INTERVAL_PROP_NAME}).
     *
     * @return nanoseconds.
     */
    public long seedsProbeIntervalNs()
    {
        return seedsProbeIntervalNs;
    }

    /**
     * Sets how often a serving member of a cluster of two or more probes its seeds for another instance of the
     * cluster.
     *
     * @param seedsProbeIntervalNs nanoseconds, positive.
     * @return this for a fluent API.
     */
    public CohortContext seedsProbeIntervalNs(final long seedsProbeIntervalNs)
    {
        this.seedsProbeIntervalNs = seedsProbeIntervalNs;
        return this;
    }

    /**
     * How seed host names become addresses.
     *
     * @return the resolver, {@link SeedResolver#DNS} by default.
     */
    public SeedResolver seedResolver()
    {
        return seedResolver;
    }

    /**
     * Sets how seed host names become addresses (e.g. a test's resolver, or a discovery service's).
     *
     * @param seedResolver the resolver; called on the node's thread.
     * @return this for a fluent API.
     */
    public CohortContext seedResolver(final SeedResolver seedResolver)
    {
        this.seedResolver = seedResolver;
        return this;
    }

    /**
     * Seeds to join through.
     *
     * @return {@code host:port} command endpoints.
     */
    public List<String> seeds()
    {
        return Collections.unmodifiableList(seeds);
    }

    /**
     * Sets the seeds to join through.
     *
     * @param seeds a comma-separated list of {@code host:port} command endpoints.
     * @return this for a fluent API.
     */
    public CohortContext seeds(final String seeds)
    {
        this.seeds = ContextChecks.parseSeeds(seeds);
        return this;
    }

    /**
     * Minimum number of live members to be {@link NodeState#RUNNING}.
     *
     * @return the minimum.
     */
    public int minimumNodes()
    {
        return minimumNodes;
    }

    /**
     * Sets the minimum number of live members to be {@link NodeState#RUNNING}.
     *
     * @param minimumNodes the minimum, at least 1.
     * @return this for a fluent API.
     */
    public CohortContext minimumNodes(final int minimumNodes)
    {
        this.minimumNodes = minimumNodes;
        return this;
    }

    /**
     * Interval between heartbeats.
     *
     * @return nanoseconds.
     */
    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * Sets the interval between heartbeats.
     *
     * @param heartbeatIntervalNs nanoseconds.
     * @return this for a fluent API.
     */
    public CohortContext heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    /**
     * Silence after which a member is considered dead.
     *
     * @return nanoseconds.
     */
    public long heartbeatTimeoutNs()
    {
        return heartbeatTimeoutNs;
    }

    /**
     * Sets the silence after which a member is considered dead.
     *
     * @param heartbeatTimeoutNs nanoseconds, at least three heartbeat intervals.
     * @return this for a fluent API.
     */
    public CohortContext heartbeatTimeoutNs(final long heartbeatTimeoutNs)
    {
        this.heartbeatTimeoutNs = heartbeatTimeoutNs;
        return this;
    }

    /**
     * Bound on joining.
     *
     * @return nanoseconds.
     */
    public long joinTimeoutNs()
    {
        return joinTimeoutNs;
    }

    /**
     * Sets the bound on joining.
     *
     * @param joinTimeoutNs nanoseconds.
     * @return this for a fluent API.
     */
    public CohortContext joinTimeoutNs(final long joinTimeoutNs)
    {
        this.joinTimeoutNs = joinTimeoutNs;
        return this;
    }

    /**
     * Timeout of a command request.
     *
     * @return nanoseconds.
     */
    public long commandTimeoutNs()
    {
        return commandTimeoutNs;
    }

    /**
     * Sets the timeout of a command request.
     *
     * @param commandTimeoutNs nanoseconds.
     * @return this for a fluent API.
     */
    public CohortContext commandTimeoutNs(final long commandTimeoutNs)
    {
        this.commandTimeoutNs = commandTimeoutNs;
        return this;
    }

    /**
     * Work a duty cycle may give to long jobs ({@code cohort.slice.budget}).
     *
     * @return nanoseconds.
     */
    public long sliceBudgetNs()
    {
        return sliceBudgetNs;
    }

    /**
     * Sets the work a duty cycle may give to long jobs.
     *
     * @param sliceBudgetNs nanoseconds, from 100us to 50ms.
     * @return this for a fluent API.
     */
    public CohortContext sliceBudgetNs(final long sliceBudgetNs)
    {
        this.sliceBudgetNs = sliceBudgetNs;
        return this;
    }

    /**
     * Most bytes buffered per member while it syncs ({@code cohort.join.buffer.max}).
     *
     * @return bytes.
     */
    public int joinBufferMax()
    {
        return joinBufferMax;
    }

    /**
     * Sets the most bytes buffered per member while it syncs.
     *
     * @param joinBufferMax bytes, at least 64k.
     * @return this for a fluent API.
     */
    public CohortContext joinBufferMax(final int joinBufferMax)
    {
        this.joinBufferMax = joinBufferMax;
        return this;
    }

    /**
     * Snapshots served at once ({@code cohort.snapshot.max.sessions}).
     *
     * @return the number of sessions.
     */
    public int snapshotMaxSessions()
    {
        return snapshotMaxSessions;
    }

    /**
     * Sets the number of snapshots served at once.
     *
     * @param snapshotMaxSessions at least 1.
     * @return this for a fluent API.
     */
    public CohortContext snapshotMaxSessions(final int snapshotMaxSessions)
    {
        this.snapshotMaxSessions = snapshotMaxSessions;
        return this;
    }

    /**
     * Chunks of a snapshot sent ahead of what its requester reports loaded ({@code cohort.snapshot.credit}).
     *
     * @return chunks.
     */
    public int snapshotCredit()
    {
        return snapshotCredit;
    }

    /**
     * Sets the chunks of a snapshot sent ahead of what its requester reports loaded.
     *
     * @param snapshotCredit at least 1.
     * @return this for a fluent API.
     */
    public CohortContext snapshotCredit(final int snapshotCredit)
    {
        this.snapshotCredit = snapshotCredit;
        return this;
    }

    /**
     * Bytes of this node's broadcast stream sent beyond its slowest tethered replica's position that close the
     * replication window ({@code cohort.flow.window}).
     *
     * @return bytes.
     */
    public int flowWindow()
    {
        return flowWindow;
    }

    /**
     * Sets the replication window.
     *
     * @param flowWindow bytes, at least 16k.
     * @return this for a fluent API.
     */
    public CohortContext flowWindow(final int flowWindow)
    {
        this.flowWindow = flowWindow;
        return this;
    }

    /**
     * Bytes of notifications sent to one node beyond what it reported taking that use up its notification credit
     * ({@code cohort.flow.notification.window}).
     *
     * @return bytes; 0 if notifications are bounded by the socket only.
     */
    public int flowNotificationWindow()
    {
        return flowNotificationWindow;
    }

    /**
     * Sets the notification window per destination.
     *
     * @param flowNotificationWindow bytes: 0 (off) or at least 16k.
     * @return this for a fluent API.
     */
    public CohortContext flowNotificationWindow(final int flowNotificationWindow)
    {
        this.flowNotificationWindow = flowNotificationWindow;
        return this;
    }

    /**
     * Frames sent beyond the slowest tethered replica that close the window ({@code cohort.flow.window.frames}).
     *
     * @return frames.
     */
    public int flowWindowFrames()
    {
        return flowWindowFrames;
    }

    /**
     * Sets the frame cap of the replication window.
     *
     * @param flowWindowFrames from 16 to a quarter of the send high-water mark.
     * @return this for a fluent API.
     */
    public CohortContext flowWindowFrames(final int flowWindowFrames)
    {
        this.flowWindowFrames = flowWindowFrames;
        return this;
    }

    /**
     * Least time between two eager status reports of a replica ({@code cohort.flow.status.interval}).
     *
     * @return nanoseconds.
     */
    public long flowStatusIntervalNs()
    {
        return flowStatusIntervalNs;
    }

    /**
     * Sets the least time between two eager status reports of a replica.
     *
     * @param flowStatusIntervalNs nanoseconds, positive and below the heartbeat interval.
     * @return this for a fluent API.
     */
    public CohortContext flowStatusIntervalNs(final long flowStatusIntervalNs)
    {
        this.flowStatusIntervalNs = flowStatusIntervalNs;
        return this;
    }

    /**
     * How long a replica may alone hold the window closed before it is untethered ({@code cohort.flow.untether.after}).
     *
     * @return nanoseconds.
     */
    public long flowUntetherAfterNs()
    {
        return flowUntetherAfterNs;
    }

    /**
     * Sets how long a replica may alone hold the window closed before it is untethered.
     *
     * @param flowUntetherAfterNs nanoseconds, above the status interval and at most the heartbeat timeout.
     * @return this for a fluent API.
     */
    public CohortContext flowUntetherAfterNs(final long flowUntetherAfterNs)
    {
        this.flowUntetherAfterNs = flowUntetherAfterNs;
        return this;
    }

    /**
     * How long a replica may stay behind this node's stream (untethered, or holding the window closed) before this
     * node asks for its removal with reason LAGGING ({@code cohort.flow.lagging.after}).
     *
     * @return nanoseconds.
     */
    public long flowLaggingAfterNs()
    {
        return flowLaggingAfterNs;
    }

    /**
     * Sets how long a replica may stay behind before its owner asks for its removal (LAGGING).
     *
     * @param flowLaggingAfterNs nanoseconds, at least the heartbeat timeout.
     * @return this for a fluent API.
     */
    public CohortContext flowLaggingAfterNs(final long flowLaggingAfterNs)
    {
        this.flowLaggingAfterNs = flowLaggingAfterNs;
        return this;
    }

    /**
     * How long changed rooms may be left unpublished, or calls wait in the API queue, before row-changing calls are
     * refused {@link CallResult#BACK_PRESSURED} ({@code cohort.flow.backpressure.after}).
     *
     * @return nanoseconds.
     */
    public long flowBackPressureAfterNs()
    {
        return flowBackPressureAfterNs;
    }

    /**
     * Sets how long changes or calls may wait before row-changing calls are refused.
     *
     * @param flowBackPressureAfterNs nanoseconds, from 0 to below the untether bound.
     * @return this for a fluent API.
     */
    public CohortContext flowBackPressureAfterNs(final long flowBackPressureAfterNs)
    {
        this.flowBackPressureAfterNs = flowBackPressureAfterNs;
        return this;
    }

    /**
     * Capacity of the API queue.
     *
     * @return bytes, a power of two.
     */
    public int apiQueueLength()
    {
        return apiQueueLength;
    }

    /**
     * Sets the capacity of the API queue.
     *
     * @param apiQueueLength bytes, a power of two of at least 4096.
     * @return this for a fluent API.
     */
    public CohortContext apiQueueLength(final int apiQueueLength)
    {
        this.apiQueueLength = apiQueueLength;
        return this;
    }

    /**
     * Which side of a partition keeps running.
     *
     * @return the split strategy.
     */
    public SplitStrategy splitStrategy()
    {
        return splitStrategy;
    }

    /**
     * Sets which side of a partition keeps running.
     *
     * @param splitStrategy the split strategy.
     * @return this for a fluent API.
     */
    public CohortContext splitStrategy(final SplitStrategy splitStrategy)
    {
        this.splitStrategy = splitStrategy;
        return this;
    }

    /**
     * How long an accusation waits for confirmation.
     *
     * @return nanoseconds.
     */
    public long suspicionTimeoutNs()
    {
        return suspicionTimeoutNs;
    }

    /**
     * Sets how long an accusation waits for confirmation.
     *
     * @param suspicionTimeoutNs nanoseconds, at least one heartbeat interval.
     * @return this for a fluent API.
     */
    public CohortContext suspicionTimeoutNs(final long suspicionTimeoutNs)
    {
        this.suspicionTimeoutNs = suspicionTimeoutNs;
        return this;
    }

    /**
     * Whether a desynchronised copy is repaired from its owner before anyone is accused.
     *
     * @return true if repair is on.
     */
    public boolean syncRepair()
    {
        return syncRepair;
    }

    /**
     * Sets whether a desynchronised copy is repaired from its owner before anyone is accused.
     *
     * @param syncRepair true to repair.
     * @return this for a fluent API.
     */
    public CohortContext syncRepair(final boolean syncRepair)
    {
        this.syncRepair = syncRepair;
        return this;
    }

    /**
     * Repairs allowed per member and per minute.
     *
     * @return the budget.
     */
    public int syncRepairBudget()
    {
        return syncRepairBudget;
    }

    /**
     * Sets the repairs allowed per member and per minute.
     *
     * @param syncRepairBudget the budget.
     * @return this for a fluent API.
     */
    public CohortContext syncRepairBudget(final int syncRepairBudget)
    {
        this.syncRepairBudget = syncRepairBudget;
        return this;
    }

    /**
     * Whether the node's JMX view is registered on launch.
     *
     * @return true if it is.
     */
    public boolean jmxEnabled()
    {
        return jmxEnabled;
    }

    /**
     * Sets whether the node's JMX view is registered on launch.
     *
     * @param jmxEnabled true to register it.
     * @return this for a fluent API.
     */
    public CohortContext jmxEnabled(final boolean jmxEnabled)
    {
        this.jmxEnabled = jmxEnabled;
        return this;
    }

    /**
     * The node's stable name, for its MBean and its metrics.
     *
     * @return the name; empty for the default, {@code node-<command port>}.
     */
    public String jmxName()
    {
        return jmxName;
    }

    /**
     * Sets the node's stable name, for its MBean and its metrics (see {@link CohortConfiguration#JMX_NAME_PROP_NAME}).
     *
     * @param jmxName letters, digits and {@code . _ -}; empty for the default, {@code node-<command port>}.
     * @return this for a fluent API.
     */
    public CohortContext jmxName(final String jmxName)
    {
        this.jmxName = jmxName;
        return this;
    }

    /**
     * Limits of the wire format, the same on every node.
     *
     * @return the codec limits.
     */
    public CodecLimits codecLimits()
    {
        return codecLimits;
    }

    /**
     * Sets the limits of the wire format.
     *
     * @param codecLimits the codec limits.
     * @return this for a fluent API.
     */
    public CohortContext codecLimits(final CodecLimits codecLimits)
    {
        this.codecLimits = codecLimits;
        return this;
    }

    /**
     * The transport's settings (bind address, ports, CURVE, counters directory), to adjust before launch.
     *
     * @return the transport context.
     */
    public TransportContext transportContext()
    {
        return transportContext;
    }

    /**
     * The state's settings (capacities), to adjust before launch.
     *
     * @return the state context.
     */
    public StateContext stateContext()
    {
        return stateContext;
    }

    /**
     * Who is told of notifications, rooms, members and state changes.
     *
     * @return the listener.
     */
    public CohortListener listener()
    {
        return listener;
    }

    /**
     * Sets who is told of notifications, rooms, members and state changes; called on the node's thread.
     *
     * @param listener the listener.
     * @return this for a fluent API.
     */
    public CohortContext listener(final CohortListener listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * Who is told of errors that do not stop the node.
     *
     * @return the error handler, or null for the default (log).
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Sets who is told of errors that do not stop the node.
     *
     * @param errorHandler the error handler.
     * @return this for a fluent API.
     */
    public CohortContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * How the node's thread waits when it has no work (see {@link CohortConfiguration#IDLE_STRATEGY_PROP_NAME}),
     * unless {@link #idleStrategy(IdleStrategy)} sets a strategy.
     *
     * @return {@code backoff} or {@code busy-spin}, as written.
     */
    public String idleStrategyName()
    {
        return idleStrategyName;
    }

    /**
     * Sets how the node's thread waits when it has no work.
     *
     * @param idleStrategyName {@code backoff} (wakes on a message or an API call) or {@code busy-spin}.
     * @return this for a fluent API.
     */
    public CohortContext idleStrategyName(final String idleStrategyName)
    {
        this.idleStrategyName = idleStrategyName;
        return this;
    }

    /**
     * A strategy set in code for the node's thread, which replaces the one named by {@link #idleStrategyName()}.
     *
     * @return the idle strategy, or null for the named one.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Sets a strategy for the node's thread instead of the one named by {@link #idleStrategyName()}.
     *
     * @param idleStrategy the idle strategy, or null for the named one.
     * @return this for a fluent API.
     */
    public CohortContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }
}
