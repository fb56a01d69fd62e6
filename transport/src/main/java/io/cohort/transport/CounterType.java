package io.cohort.transport;

/**
 * Type ids of the counters in a node's counters file, so that an outside reader (e.g. {@code cohort stat})
 * can tell them apart. Per-peer counters carry the peer's node id as their 8-byte key.
 */
public final class CounterType
{
    /** Next broadcast sequence expected from a peer. */
    public static final int PEER_EXPECTED_BROADCAST = 10;
    /** Next directed sequence expected from a peer. */
    public static final int PEER_EXPECTED_DIRECTED = 11;
    /** Frames received from a peer. */
    public static final int PEER_FRAMES = 12;
    /** Messages received in order from a peer. */
    public static final int PEER_MESSAGES = 13;
    /** Messages from a peer that the engine applied. */
    public static final int PEER_APPLIED = 14;
    /** Gaps seen in a peer's streams. */
    public static final int PEER_GAPS = 15;
    /** Duplicate frames from a peer. */
    public static final int PEER_DUPLICATES = 16;
    /** Out-of-order frames from a peer. */
    public static final int PEER_REORDERS = 17;
    /** Frames from a peer that failed their checksum or did not decode. */
    public static final int PEER_BAD_FRAMES = 18;
    /** Bytes received from a peer. */
    public static final int PEER_BYTES = 19;
    /** Lost tails (a heartbeat named a sequence never received) of a peer. */
    public static final int PEER_LOST_TAILS = 20;

    /** Offset added to a per-peer type for the node-wide total of the same quantity. */
    public static final int TOTAL_OFFSET = 100;

    /** Frames sent by this node. */
    public static final int FRAMES_SENT = 200;
    /** Messages sent by this node. */
    public static final int MESSAGES_SENT = 201;
    /** Bytes sent by this node. */
    public static final int BYTES_SENT = 202;
    /**
     * Sends the sync socket refused (back-pressure, nothing lost: the frame is kept and retried). A subscriber whose
     * connection is full does not cause one: frames to it are dropped for it alone, and it sees the gap.
     */
    public static final int SEND_BACK_PRESSURE = 203;
    /** Frames from an unknown node or a stale incarnation, dropped. */
    public static final int STALE_FRAMES = 204;
    /** Frames that did not decode and came from no known peer (e.g. a stranger on the command port). */
    public static final int STRANGER_FRAMES = 205;
    /** Connections refused by the CURVE authentication handler. */
    public static final int AUTH_REFUSED = 206;
    /** Command requests that timed out. */
    public static final int COMMAND_TIMEOUTS = 207;
    /** Directed frames addressed to another node, dropped. */
    public static final int MISROUTED_FRAMES = 208;
    /** Well-formed frames stamped with another cluster's id (another cluster name), refused before anything applied. */
    public static final int FOREIGN_CLUSTER_FRAMES = 209;
    /** Control messages (cards, leave, evictions, accusations, probe answers) queued on the control lane. */
    public static final int CONTROL_QUEUED = 212;
    /** Control messages claimed on the broadcast stream. */
    public static final int CONTROL_SENT = 213;
    /** Control messages waiting for the broadcast stream to accept them (a depth, not a total). */
    public static final int CONTROL_PENDING = 214;
    /** Control messages refused because the control lane was full: each one is also a reported error. */
    public static final int CONTROL_OVERFLOWS = 215;
    /** Nanoseconds the replica furthest behind this node's broadcast stream lags (since the first frame it lacks). */
    public static final int FLOW_LAG_MAX_NS = 216;
    /** Times a replica was untethered from this node's replication window for holding it closed too long. */
    public static final int FLOW_UNTETHERED = 217;
    /** Times row-changing API calls began to be refused because the replication window stayed closed. */
    public static final int FLOW_BACK_PRESSURED = 218;
    /** Notification messages sent to other nodes (one per destination of each publish). */
    public static final int NOTIFICATIONS_ROUTED = 219;
    /**
     * Publishes refused whole because a node with subscribers in the room had no notification credit (its
     * notification window or its socket was full): refused {@code BACK_PRESSURED} at the call, or reported to the
     * listener once queued.
     */
    public static final int NOTIFICATIONS_REFUSED = 220;
    /**
     * Replicas this node asked the cluster to remove with reason LAGGING: behind its broadcast stream past
     * {@code cohort.flow.lagging.after} (one per replica incarnation, renewals not counted).
     */
    public static final int FLOW_LAGGING_ACCUSATIONS = 221;

    /** The node's lifecycle state, as the engine's {@code NodeState.code()}. */
    public static final int NODE_STATE = 300;
    /** Members of the cluster this node knows, itself included. */
    public static final int NODE_MEMBERS = 301;
    /** Rooms this node knows (rooms of the whole cluster). */
    public static final int NODE_ROOMS = 302;
    /** Local connections holding at least one subscription. */
    public static final int NODE_CONNECTIONS = 303;
    /** Local subscriptions (connection, room). */
    public static final int NODE_SUBSCRIPTIONS = 304;
    /** Members this node saw evicted (itself excluded). */
    public static final int NODE_EVICTIONS = 305;
    /** Epoch milliseconds of the node agent's last status update: a reader tells a stalled node by its age. */
    public static final int NODE_HEARTBEAT = 306;
    /** The node's incarnation. */
    public static final int NODE_INCARNATION = 307;
    /** Errors the node reported to its error handler and survived (a failed handler, a failed duty cycle). */
    public static final int NODE_ERRORS = 308;
    /**
     * Stalls of the node's thread: duty cycles that began more than 50 ms after the one before (the thread was busy
     * in one cycle, or off the CPU, that long; an idle node's thread starts a cycle at least every millisecond).
     */
    public static final int NODE_STALLS = 309;
    /** The longest gap between two duty cycles of the node's thread since launch, in milliseconds. */
    public static final int NODE_LONGEST_STALL_MS = 310;
    /**
     * Of {@link #NODE_STALLS}, those in which the node's thread itself ran more than 50 ms of CPU: a long job in one
     * duty cycle, which the node's slicing exists to prevent. The other stalls were spent off the CPU (the machine
     * busier than its cores, a GC pause or another JVM safepoint). Stays 0 where the JVM cannot measure a thread's
     * CPU time.
     */
    public static final int NODE_WORKING_STALLS = 311;
    /**
     * Rooms this node asked for ({@code ROOM_WANTED}): a member's count rose above 0 in a room this node never knew,
     * whose creation was lost with a member that left the cluster before this node applied it.
     */
    public static final int NODE_ROOMS_WANTED = 312;
    /**
     * Rooms this node announced again because it has subscribers in them: a member removed one before it saw them,
     * or asked for one it missed. Each is a room that would otherwise be missing on some node.
     */
    public static final int NODE_ROOMS_ANNOUNCED_AGAIN = 313;
    /**
     * Room creations of members this node skipped because a removal that covered them arrived first: the remover had
     * applied the creation, this node had not yet (a slower link from the creator); and rooms of a member's room
     * table (sent when this node syncs the member again) that this node skipped because the member had not applied a
     * removal of the room this node had. Each is a room that would otherwise have stayed on this node alone.
     */
    public static final int NODE_ROOM_CREATIONS_UNDONE = 314;
    /**
     * Members' room removals this node did not apply because a creation of the room their sender had not seen was
     * applied here first (a node made the room again after it applied the removal, and its creation reached this node
     * first). Each is a room that would otherwise have been missing on this node alone.
     */
    public static final int NODE_ROOM_REMOVALS_OUTRUN = 315;

    private CounterType()
    {
    }
}
