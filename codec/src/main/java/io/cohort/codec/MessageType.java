package io.cohort.codec;

import org.agrona.DirectBuffer;

/**
 * The message types of protocol version {@value FrameLayout#VERSION_MAJOR}, as carried in each message
 * header. Types below {@link #FIRST_COMMAND_TYPE} travel on the sync channel (broadcast or directed);
 * the others are requests and responses of the command channel.
 */
public final class MessageType
{
    /** Liveness, the sender's last sequences, its membership view and the digest of its rows. */
    public static final int HEARTBEAT = 1;
    /** A member's identity and endpoints. */
    public static final int MEMBER_CARD = 2;
    /** A node has joined the cluster (its member card). */
    public static final int NODE_JOINED = 3;
    /** A node leaves gracefully. */
    public static final int NODE_LEAVING = 4;
    /** A node has been evicted from the cluster. */
    public static final int NODE_EVICTED = 5;
    /** The sender suspects a node of being desynchronised or dead. */
    public static final int SUSPECT = 6;
    /** A room exists, with its metadata. */
    public static final int ROOM_CREATED = 7;
    /** A room no longer exists. */
    public static final int ROOM_REMOVED = 8;
    /** The sender's absolute subscriber count in a room. */
    public static final int ROOM_COUNT = 9;
    /** A realtime notification for a room's subscribers. */
    public static final int NOTIFICATION = 10;
    /** A backend-defined cluster-wide event. */
    public static final int CLUSTER_EVENT = 11;
    /** Published on the sync channel at a joiner's request, to prove its subscription is live. */
    public static final int PROBE = 12;
    /**
     * The sender holds a count above 0 in a room it does not know (it never applied the room's creation): a node
     * with subscribers in the room announces it again.
     */
    public static final int ROOM_WANTED = 13;

    /** The first type of the command channel. */
    public static final int FIRST_COMMAND_TYPE = 32;
    /** A node asks to join, presenting its member card. */
    public static final int JOIN_REQUEST = FIRST_COMMAND_TYPE;
    /** The answer to a join request: the member list. */
    public static final int JOIN_RESPONSE = FIRST_COMMAND_TYPE + 1;
    /** A request for a snapshot of the replicated state. */
    public static final int SNAPSHOT_REQUEST = FIRST_COMMAND_TYPE + 2;
    /** One bounded chunk of a snapshot. */
    public static final int SNAPSHOT_CHUNK = FIRST_COMMAND_TYPE + 3;
    /** A request to resend an owner's messages in a range of sequences. */
    public static final int REPAIR_REQUEST = FIRST_COMMAND_TYPE + 4;
    /** A request to publish a {@link #PROBE} on the sync channel. */
    public static final int PROBE_REQUEST = FIRST_COMMAND_TYPE + 5;
    /** A generic acknowledgement or error for a command. */
    public static final int COMMAND_RESPONSE = FIRST_COMMAND_TYPE + 6;
    /** Command: chunks of a snapshot the requester has loaded, so that the server may send more. */
    public static final int SNAPSHOT_CREDIT = FIRST_COMMAND_TYPE + 7;
    /** Phase 1 of the agreement on the next view: a proposer asks for promises under its ballot. */
    public static final int VIEW_PREPARE = FIRST_COMMAND_TYPE + 8;
    /** The answer to {@link #VIEW_PREPARE}: the promise, or the higher ballot promised, and any accepted value. */
    public static final int VIEW_PROMISE = FIRST_COMMAND_TYPE + 9;
    /** Phase 2 of the agreement on the next view: a proposer asks the members to accept a view. */
    public static final int VIEW_ACCEPT = FIRST_COMMAND_TYPE + 10;
    /** The answer to {@link #VIEW_ACCEPT}, with how long ago the acceptor heard from each removed member. */
    public static final int VIEW_ACCEPTED = FIRST_COMMAND_TYPE + 11;
    /** A view was chosen and is to be installed; also the answer to {@link #VIEW_QUERY}. */
    public static final int VIEW_COMMIT = FIRST_COMMAND_TYPE + 12;
    /** A member or joiner asks the coordinator to propose a change: join, leave, fault, lagging, dissolve. */
    public static final int CHANGE_REQUEST = FIRST_COMMAND_TYPE + 13;
    /** A request for the responder's latest view. */
    public static final int VIEW_QUERY = FIRST_COMMAND_TYPE + 14;
    /** A member probes a seed endpoint, to find a cluster that formed apart. */
    public static final int SEED_PROBE = FIRST_COMMAND_TYPE + 15;
    /** The answer to {@link #SEED_PROBE}: the size and oldest member of the responder's view. */
    public static final int SEED_PROBE_RESPONSE = FIRST_COMMAND_TYPE + 16;
    /** Command, replica to owner: the last message of the owner's broadcast stream the replica has applied. */
    public static final int FLOW_STATUS = FIRST_COMMAND_TYPE + 17;
    /**
     * Command, member to member, every heartbeat interval: the liveness copy of a {@link #HEARTBEAT} (same body), on
     * the command channel so that no data back-pressure delays it; it carries the lease's echoes, the reachability
     * rows and the view, but not a digest to check (it is not ordered with the sender's rows).
     */
    public static final int LIVENESS = FIRST_COMMAND_TYPE + 18;

    private static final int[] ALL = {
        HEARTBEAT, MEMBER_CARD, NODE_JOINED, NODE_LEAVING, NODE_EVICTED, SUSPECT, ROOM_CREATED, ROOM_REMOVED,
        ROOM_COUNT, NOTIFICATION, CLUSTER_EVENT, PROBE, ROOM_WANTED, JOIN_REQUEST, JOIN_RESPONSE, SNAPSHOT_REQUEST,
        SNAPSHOT_CHUNK, REPAIR_REQUEST, PROBE_REQUEST, COMMAND_RESPONSE, SNAPSHOT_CREDIT, VIEW_PREPARE, VIEW_PROMISE,
        VIEW_ACCEPT, VIEW_ACCEPTED, VIEW_COMMIT, CHANGE_REQUEST, VIEW_QUERY, SEED_PROBE, SEED_PROBE_RESPONSE,
        FLOW_STATUS, LIVENESS };

    private MessageType()
    {
    }

    /**
     * Every message type, in type order.
     *
     * @return a fresh array of the types.
     */
    public static int[] all()
    {
        return ALL.clone();
    }

    /**
     * Whether a type is defined by this protocol version.
     *
     * @param type a message type from a message header.
     * @return true if it is known.
     */
    public static boolean isKnown(final int type)
    {
        return !"UNKNOWN".equals(name(type));
    }

    /**
     * The name of a type, for logs.
     *
     * @param type a message type.
     * @return its name, or {@code "UNKNOWN"}.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case HEARTBEAT: return "HEARTBEAT";
            case MEMBER_CARD: return "MEMBER_CARD";
            case NODE_JOINED: return "NODE_JOINED";
            case NODE_LEAVING: return "NODE_LEAVING";
            case NODE_EVICTED: return "NODE_EVICTED";
            case SUSPECT: return "SUSPECT";
            case ROOM_CREATED: return "ROOM_CREATED";
            case ROOM_REMOVED: return "ROOM_REMOVED";
            case ROOM_COUNT: return "ROOM_COUNT";
            case NOTIFICATION: return "NOTIFICATION";
            case CLUSTER_EVENT: return "CLUSTER_EVENT";
            case PROBE: return "PROBE";
            case ROOM_WANTED: return "ROOM_WANTED";
            case JOIN_REQUEST: return "JOIN_REQUEST";
            case JOIN_RESPONSE: return "JOIN_RESPONSE";
            case SNAPSHOT_REQUEST: return "SNAPSHOT_REQUEST";
            case SNAPSHOT_CHUNK: return "SNAPSHOT_CHUNK";
            case REPAIR_REQUEST: return "REPAIR_REQUEST";
            case PROBE_REQUEST: return "PROBE_REQUEST";
            case COMMAND_RESPONSE: return "COMMAND_RESPONSE";
            case SNAPSHOT_CREDIT: return "SNAPSHOT_CREDIT";
            case VIEW_PREPARE: return "VIEW_PREPARE";
            case VIEW_PROMISE: return "VIEW_PROMISE";
            case VIEW_ACCEPT: return "VIEW_ACCEPT";
            case VIEW_ACCEPTED: return "VIEW_ACCEPTED";
            case VIEW_COMMIT: return "VIEW_COMMIT";
            case CHANGE_REQUEST: return "CHANGE_REQUEST";
            case VIEW_QUERY: return "VIEW_QUERY";
            case SEED_PROBE: return "SEED_PROBE";
            case SEED_PROBE_RESPONSE: return "SEED_PROBE_RESPONSE";
            case FLOW_STATUS: return "FLOW_STATUS";
            case LIVENESS: return "LIVENESS";
            default: return "UNKNOWN";
        }
    }

    /**
     * Validates the body of a message of the given type, so that its decoder can then read every field
     * without leaving the body.
     *
     * @param type       the message type.
     * @param buffer     holding the message.
     * @param bodyOffset offset of the body (just past the message header).
     * @param bodyLength length of the body.
     * @param limits     maximum sizes of variable-length fields.
     * @return {@link DecodeResult#OK} or why the body is malformed.
     */
    public static DecodeResult validateBody(
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength,
        final CodecLimits limits)
    {
        switch (type)
        {
            case HEARTBEAT: return HeartbeatDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case MEMBER_CARD:
            case NODE_JOINED: return MemberCardDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case NODE_LEAVING: return fixed(bodyLength, NodeLeavingDecoder.BODY_LENGTH);
            case NODE_EVICTED: return fixed(bodyLength, NodeEvictedDecoder.BODY_LENGTH);
            case SUSPECT: return fixed(bodyLength, SuspectDecoder.BODY_LENGTH);
            case ROOM_CREATED: return RoomCreatedDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case ROOM_REMOVED: return RoomRemovedDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case ROOM_COUNT: return RoomCountDecoder.validate(buffer, bodyOffset, bodyLength);
            case NOTIFICATION: return NotificationDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case CLUSTER_EVENT: return ClusterEventDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case PROBE: return fixed(bodyLength, ProbeDecoder.BODY_LENGTH);
            case ROOM_WANTED: return fixed(bodyLength, RoomWantedDecoder.BODY_LENGTH);
            case JOIN_REQUEST: return JoinRequestDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case JOIN_RESPONSE: return JoinResponseDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case SNAPSHOT_REQUEST: return SnapshotRequestDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case SNAPSHOT_CHUNK: return SnapshotChunkDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case REPAIR_REQUEST: return RepairRequestDecoder.validate(buffer, bodyOffset, bodyLength);
            case PROBE_REQUEST: return fixed(bodyLength, ProbeRequestDecoder.BODY_LENGTH);
            case COMMAND_RESPONSE: return CommandResponseDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case SNAPSHOT_CREDIT: return fixed(bodyLength, SnapshotCreditDecoder.BODY_LENGTH);
            case VIEW_PREPARE: return fixed(bodyLength, ViewPrepareDecoder.BODY_LENGTH);
            case VIEW_PROMISE: return ViewPromiseDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case VIEW_ACCEPT: return ViewAcceptDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case VIEW_ACCEPTED: return ViewAcceptedDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case VIEW_COMMIT: return ViewCommitDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case CHANGE_REQUEST: return ChangeRequestDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            case VIEW_QUERY: return fixed(bodyLength, ViewQueryDecoder.BODY_LENGTH);
            case SEED_PROBE: return fixed(bodyLength, SeedProbeDecoder.BODY_LENGTH);
            case SEED_PROBE_RESPONSE: return SeedProbeResponseDecoder.validate(buffer, bodyOffset, bodyLength);
            case FLOW_STATUS: return fixed(bodyLength, FlowStatusDecoder.MIN_LENGTH);
            case LIVENESS: return HeartbeatDecoder.validate(buffer, bodyOffset, bodyLength, limits);
            default: return DecodeResult.UNKNOWN_MESSAGE_TYPE;
        }
    }

    private static DecodeResult fixed(final int bodyLength, final int requiredLength)
    {
        return bodyLength >= requiredLength ? DecodeResult.OK : DecodeResult.TRUNCATED_MESSAGE;
    }
}
