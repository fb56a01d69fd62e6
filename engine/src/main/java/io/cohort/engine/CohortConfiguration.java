package io.cohort.engine;

import io.cohort.config.PropertySet;

/**
 * The {@code cohort.*} system properties of a node (the transport's and the state's are in
 * {@link io.cohort.transport.TransportConfiguration} and {@link io.cohort.state.StateConfiguration}), each with
 * its default. Durations accept suffixes ({@code 100ms}, {@code 2s}).
 */
public final class CohortConfiguration
{
    /** This node's id: a non-zero 64-bit number, decimal or {@code 0x} hex; empty picks a random one. */
    public static final String NODE_ID_PROP_NAME = "cohort.node.id";
    /** Default: a random id at each start, so that a restarted node is a new node. */
    public static final String NODE_ID_DEFAULT = "";

    /**
     * Seeds to join through: a comma-separated list of {@code host:port} command endpoints; a host name may
     * resolve to several addresses (e.g. a Kubernetes headless service). Every node may be given the same list:
     * a node recognises itself. Empty: start a cluster of one.
     */
    public static final String SEEDS_PROP_NAME = "cohort.cluster.seeds";
    /** Default: no seed. */
    public static final String SEEDS_DEFAULT = "";

    /**
     * The cluster's name: every node of a cluster must be given the same. Its hash (XXH64) is stamped on every frame,
     * and a frame of another cluster name is refused and counted before anything of it is applied, so that two
     * clusters given overlapping seeds never merge; a join from another cluster is refused with both names logged on
     * both sides. At most {@value #CLUSTER_NAME_MAX_LENGTH} printable ASCII characters, no spaces.
     */
    public static final String CLUSTER_NAME_PROP_NAME = "cohort.cluster.name";
    /** Default cluster name. */
    public static final String CLUSTER_NAME_DEFAULT = "cohort";
    /** Longest cluster name, in characters. */
    public static final int CLUSTER_NAME_MAX_LENGTH = 64;

    /**
     * Nodes (this one included) that must answer on the seeds before a cold start founds the cluster: the node with
     * the lowest node id among them founds it and the others join, so N nodes started together make one cluster.
     * 0 keeps the default rule (a majority of the seed list, or every seed under keep-oldest).
     */
    public static final String EXPECTED_NODES_PROP_NAME = "cohort.cluster.expected.nodes";
    /** Default: none, the default founding rule. */
    public static final int EXPECTED_NODES_DEFAULT = 0;

    /**
     * How often the seeds' host names are resolved again while the node is joining or alone, so that a node started
     * before its seeds' DNS names exist (a pod before its headless service lists it) joins once they do. The JVM's
     * DNS cache applies on top ({@code networkaddress.cache.negative.ttl}, 10 s by default).
     */
    public static final String SEEDS_RESOLVE_INTERVAL_PROP_NAME = "cohort.cluster.seeds.resolve.interval";
    /** Default seed re-resolution interval. */
    public static final String SEEDS_RESOLVE_INTERVAL_DEFAULT = "1s";

    /**
     * How often every serving member of a cluster of two or more probes its seeds, so that two instances of the
     * cluster that formed apart (e.g. each side of a cut founded, its seeds not listing the other) find each other
     * after the cut heals: the instance with fewer members (as many: without the oldest member) dissolves and its
     * nodes join the other. A member alone asks its seeds to let it in, every 200 ms, instead.
     */
    public static final String SEEDS_PROBE_INTERVAL_PROP_NAME = "cohort.cluster.seeds.probe.interval";
    /** Default seed probe interval. */
    public static final String SEEDS_PROBE_INTERVAL_DEFAULT = "1s";

    /** Fewer live members than this and the node is {@link NodeState#NOT_ENOUGH_NODES}. */
    public static final String MINIMUM_NODES_PROP_NAME = "cohort.cluster.minimum.nodes";
    /** Default minimum number of nodes. */
    public static final int MINIMUM_NODES_DEFAULT = 1;

    /** Interval between heartbeats. */
    public static final String HEARTBEAT_INTERVAL_PROP_NAME = "cohort.heartbeat.interval";
    /** Default heartbeat interval. */
    public static final String HEARTBEAT_INTERVAL_DEFAULT = "100ms";

    /** A member not heard from for this long is considered dead. */
    public static final String HEARTBEAT_TIMEOUT_PROP_NAME = "cohort.heartbeat.timeout";
    /** Default heartbeat timeout. */
    public static final String HEARTBEAT_TIMEOUT_DEFAULT = "1s";

    /**
     * Joining must complete within this long, or the node fails to start with a clear error; once a view has let it
     * in, it has this long again to sync its peers.
     */
    public static final String JOIN_TIMEOUT_PROP_NAME = "cohort.join.timeout";
    /** Default join timeout. */
    public static final String JOIN_TIMEOUT_DEFAULT = "15s";

    /** A command request (join, snapshot, probe) not answered within this long is retried or fails. */
    public static final String COMMAND_TIMEOUT_PROP_NAME = "cohort.command.timeout";
    /** Default command timeout. */
    public static final String COMMAND_TIMEOUT_DEFAULT = "2s";

    /** Capacity of the queue of API calls into the node's agent, in bytes (a power of two; suffixes k, m). */
    public static final String API_QUEUE_LENGTH_PROP_NAME = "cohort.api.queue.length";
    /** Default API queue capacity. */
    public static final String API_QUEUE_LENGTH_DEFAULT = "4m";

    /** Which side of a partition keeps running: keep-majority, static-quorum or keep-oldest. */
    public static final String SPLIT_STRATEGY_PROP_NAME = "cohort.cluster.split.strategy";
    /** Default split strategy. */
    public static final String SPLIT_STRATEGY_DEFAULT = "keep-majority";

    /**
     * How long an accusation waits for other members to confirm it before it is decided: a node is evicted when
     * a majority of the members accuse it within this window, and a lone accuser evicts itself.
     */
    public static final String SUSPICION_TIMEOUT_PROP_NAME = "cohort.suspicion.timeout";
    /** Default suspicion window. */
    public static final String SUSPICION_TIMEOUT_DEFAULT = "300ms";

    /**
     * Repair instead of eviction: on a desynchronised copy, resync it from its owner (snapshot and replay) up to
     * {@code cohort.sync.repair.budget} times a minute per member before accusing it.
     */
    public static final String SYNC_REPAIR_PROP_NAME = "cohort.sync.repair";
    /** Default: off, a desync leads to an accusation. */
    public static final String SYNC_REPAIR_DEFAULT = "false";

    /** Repairs allowed per member and per minute when {@code cohort.sync.repair} is on. */
    public static final String SYNC_REPAIR_BUDGET_PROP_NAME = "cohort.sync.repair.budget";
    /** Default repair budget. */
    public static final int SYNC_REPAIR_BUDGET_DEFAULT = 3;

    /**
     * Whether {@link Cohort#launch} registers the node's JMX view ({@link CohortNodeMXBean}) as
     * {@code io.cohort:type=Node,name=<cohort.jmx.name>} with the platform MBean server.
     */
    public static final String JMX_ENABLED_PROP_NAME = "cohort.jmx.enabled";
    /** Default: registered. */
    public static final String JMX_ENABLED_DEFAULT = "true";

    /**
     * The node's stable name: the {@code name} of its MBean, and the {@code node} tag of its metrics. Unlike the node
     * id it survives a restart, so scraped series do not churn. Two nodes of one name in one JVM fail the second
     * launch. Letters, digits and {@code . _ -} only.
     */
    public static final String JMX_NAME_PROP_NAME = "cohort.jmx.name";
    /** Default: {@code node-<command port>} (the bound port when {@code cohort.command.port=0}). */
    public static final String JMX_NAME_DEFAULT = "";

    /**
     * Work a duty cycle may give to long jobs (serving and loading snapshots, replaying a join buffer), shared by
     * them in turn, so the node keeps heartbeating and serving its clients meanwhile; also the time a cycle may spend
     * applying the members' streams and the time it may spend carrying out queued API calls. From 100us to 50ms.
     */
    public static final String SLICE_BUDGET_PROP_NAME = "cohort.slice.budget";
    /** Default slice budget. */
    public static final String SLICE_BUDGET_DEFAULT = "1ms";

    /**
     * Most bytes of a member's messages buffered while its snapshot is loaded and replayed (suffixes k, m); past
     * it the member's sync starts over after {@code cohort.command.timeout}, counted. At least 64k.
     */
    public static final String JOIN_BUFFER_MAX_PROP_NAME = "cohort.join.buffer.max";
    /** Default join buffer bound per member. */
    public static final String JOIN_BUFFER_MAX_DEFAULT = "64m";

    /** Snapshots this node serves at once; a further requester is answered NOT_READY and asks again. */
    public static final String SNAPSHOT_MAX_SESSIONS_PROP_NAME = "cohort.snapshot.max.sessions";
    /** Default number of snapshot sessions. */
    public static final int SNAPSHOT_MAX_SESSIONS_DEFAULT = 4;

    /** Chunks of a snapshot sent ahead of what its requester reports loaded. */
    public static final String SNAPSHOT_CREDIT_PROP_NAME = "cohort.snapshot.credit";
    /** Default snapshot credit, in chunks. */
    public static final int SNAPSHOT_CREDIT_DEFAULT = 8;

    /**
     * Bytes of this node's broadcast stream it may have sent beyond what its slowest tethered replica has applied;
     * past that its changed rooms coalesce (one message per room) until replicas report progress. At least
     * 16k.
     */
    public static final String FLOW_WINDOW_PROP_NAME = "cohort.flow.window";
    /** Default replication window. */
    public static final String FLOW_WINDOW_DEFAULT = "256k";

    /**
     * Frames of the broadcast stream sent beyond the slowest tethered replica that also close the window. From 16 to
     * a quarter of {@code cohort.transport.send.hwm}.
     */
    public static final String FLOW_WINDOW_FRAMES_PROP_NAME = "cohort.flow.window.frames";
    /** Default frame cap of the replication window. */
    public static final int FLOW_WINDOW_FRAMES_DEFAULT = 2048;

    /**
     * Bytes of notifications this node may have sent to one node beyond what that node has reported taking (its
     * notification credit); past that, a publish to a room it has subscribers in is refused BACK_PRESSURED, whole.
     * Bounds the notifications waiting for a slow node to milliseconds instead of the socket's high-water mark.
     * 0 turns it off (notifications then wait in the connection until it is full, and a destination whose
     * connection fills loses them and leaves); else at least 16k.
     */
    public static final String FLOW_NOTIFICATION_WINDOW_PROP_NAME = "cohort.flow.notification.window";
    /** Default notification window per destination. */
    public static final String FLOW_NOTIFICATION_WINDOW_DEFAULT = "64k";

    /**
     * Least time between two eager status reports of a replica to an owner (sent once a quarter of the window was
     * applied since the last one; otherwise one every heartbeat interval). Below {@code cohort.heartbeat.interval}.
     */
    public static final String FLOW_STATUS_INTERVAL_PROP_NAME = "cohort.flow.status.interval";
    /** Default least time between eager status reports. */
    public static final String FLOW_STATUS_INTERVAL_DEFAULT = "1ms";

    /**
     * A replica that alone holds the window closed this long no longer holds it (untethered) until it catches up.
     * At most {@code cohort.heartbeat.timeout}.
     */
    public static final String FLOW_UNTETHER_AFTER_PROP_NAME = "cohort.flow.untether.after";
    /** Default untether bound. */
    public static final String FLOW_UNTETHER_AFTER_DEFAULT = "100ms";

    /**
     * A replica that stays behind an owner's stream this long (untethered, or holding the window closed) is removed
     * from the cluster with reason LAGGING: the owner that measures the lag asks for it, and a view agreed by a
     * quorum removes it, with cohort.sync.repair on or off. Never while the owner's own cycles run late or while no
     * other replica keeps up with the same stream, so a cluster of two never removes for lag on the owner's word;
     * there the replica itself, once its copy lags this long (what the owner handed its socket has not arrived),
     * distrusts it and the cut removes it. At least {@code cohort.heartbeat.timeout}.
     */
    public static final String FLOW_LAGGING_AFTER_PROP_NAME = "cohort.flow.lagging.after";
    /** Default lag bound: a few heartbeat timeouts, so that a healthy node under a burst is never removed. */
    public static final String FLOW_LAGGING_AFTER_DEFAULT = "5s";

    /**
     * API calls that change rows are refused BACK_PRESSURED once changed rooms have been left unpublished (the
     * replication window held them) or calls have waited in the API queue this long, or while that queue holds more
     * calls than the node's thread carries out in this time (measured as it drains them; at most a quarter of the
     * queue). Below {@code cohort.flow.untether.after}.
     */
    public static final String FLOW_BACKPRESSURE_AFTER_PROP_NAME = "cohort.flow.backpressure.after";
    /** Default back-pressure delay. */
    public static final String FLOW_BACKPRESSURE_AFTER_DEFAULT = "2ms";

    /**
     * How the node's thread waits when it has no work: backoff spins, yields, then sleeps in a poll of its sockets
     * that a message or an API call ends at once, until its next heartbeat or lease check (at most a tenth of
     * the heartbeat interval, 1-10ms); busy-spin never sleeps, for a dedicated core.
     */
    public static final String IDLE_STRATEGY_PROP_NAME = "cohort.idle.strategy";
    /** Default idle strategy. */
    public static final String IDLE_STRATEGY_DEFAULT = "backoff";

    /** Every property above, the one place the engine reads them through. */
    public static final PropertySet PROPERTIES = PropertySet.of(CohortConfiguration.class);

    private CohortConfiguration()
    {
    }
}
