package io.cohort.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A plain model of every message type for tests: one record per type holding the values of all its fields,
 * with value equality, so that what was encoded and what a decoder read back compare with {@code equals}.
 * {@link MessageCodec} writes a model with the real encoders and reads one back with the real decoders.
 */
final class Messages
{
    private Messages()
    {
    }

    /**
     * A message of one type, as plain values.
     */
    interface Message
    {
        /**
         * The type of the message in its header.
         *
         * @return one of {@link MessageType}, or anything for {@link Raw}.
         */
        int type();
    }

    /**
     * Bytes compared by value (a record's array component would compare by reference).
     */
    static final class Bytes
    {
        static final Bytes EMPTY = new Bytes(new byte[0]);

        private final byte[] value;

        Bytes(final byte[] value)
        {
            this.value = value;
        }

        static Bytes of(final int... values)
        {
            final byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++)
            {
                bytes[i] = (byte)values[i];
            }
            return new Bytes(bytes);
        }

        static Bytes filled(final int length, final int value)
        {
            final byte[] bytes = new byte[length];
            Arrays.fill(bytes, (byte)value);
            return new Bytes(bytes);
        }

        byte[] value()
        {
            return value;
        }

        int length()
        {
            return value.length;
        }

        public boolean equals(final Object o)
        {
            return this == o || (o instanceof Bytes && Arrays.equals(value, ((Bytes)o).value));
        }

        public int hashCode()
        {
            return Arrays.hashCode(value);
        }

        public String toString()
        {
            return value.length <= 64 ?
                "0x" + HexFormat.of().formatHex(value) :
                "0x" + HexFormat.of().formatHex(value, 0, 64) + "...(" + value.length + " bytes)";
        }
    }

    /** A member card: body of MEMBER_CARD and NODE_JOINED, entry of JOIN_REQUEST and JOIN_RESPONSE. */
    record Card(
        long nodeId,
        long incarnation,
        int versionMajor,
        int versionMinor,
        int flags,
        String syncEndpoint,
        String commandEndpoint,
        Bytes publicKey)
    {
        /** A card as this build's encoder writes it: current version, no flags. */
        static Card of(
            final long nodeId,
            final long incarnation,
            final String syncEndpoint,
            final String commandEndpoint,
            final Bytes publicKey)
        {
            return new Card(
                nodeId, incarnation, FrameLayout.VERSION_MAJOR, FrameLayout.VERSION_MINOR, 0,
                syncEndpoint, commandEndpoint, publicKey);
        }
    }

    /** A directed stream entry of a heartbeat. */
    record Directed(long nodeId, long lastSequence)
    {
    }

    /** A room's metadata: body of ROOM_CREATED, entry of SNAPSHOT_CHUNK. */
    record Room(long roomId, String indexName, String collectionName, Bytes filter)
    {
    }

    /** A count entry of a snapshot chunk. */
    record Count(long roomId, long count)
    {
    }

    /** A room removal entry of a snapshot chunk. */
    record RoomRemoval(long roomId, long removerId, long removerIncarnation, long sequence)
    {
    }

    record Floor(long nodeId, long incarnation, long sequence)
    {
    }

    /** A member entry of a heartbeat. */
    record HeartbeatMember(long nodeId, long echoedHeartbeatSeq, long rowVersion, long unreachableBits)
    {
        /** An entry as written by {@code member(index, nodeId)}: everything but the node id 0. */
        static HeartbeatMember of(final long nodeId)
        {
            return new HeartbeatMember(nodeId, 0L, 0L, 0L);
        }
    }

    /** A removed entry of a view value. */
    record Removed(long nodeId, long incarnation, int reason)
    {
    }

    /** A view value: inside VIEW_PROMISE, VIEW_ACCEPT and VIEW_COMMIT. */
    record ViewValue(long lineage, long epoch, int flags, List<Card> members, List<Removed> removed)
    {
    }

    /** A removed member entry of VIEW_ACCEPTED. */
    record RemovedHeard(long nodeId, long elapsedSinceHeardNs)
    {
    }

    record Heartbeat(
        long sendTimeNs,
        long lastBroadcastSequence,
        long stateDigest,
        int flags,
        long lineage,
        long epoch,
        long heartbeatSeq,
        List<HeartbeatMember> members,
        List<Directed> directed) implements Message
    {
        public int type()
        {
            return MessageType.HEARTBEAT;
        }
    }

    /** LIVENESS: a heartbeat's body on the command channel. */
    record Liveness(Heartbeat heartbeat) implements Message
    {
        public int type()
        {
            return MessageType.LIVENESS;
        }
    }

    /** MEMBER_CARD or NODE_JOINED, which share a body. */
    record MemberCard(int type, Card card) implements Message
    {
    }

    record NodeLeaving(long nodeId, long incarnation, long lastBroadcastSequence) implements Message
    {
        public int type()
        {
            return MessageType.NODE_LEAVING;
        }
    }

    record NodeEvicted(long evictedNodeId, long evictedIncarnation, long accuserNodeId, int reason) implements Message
    {
        public int type()
        {
            return MessageType.NODE_EVICTED;
        }
    }

    record Suspect(
        long accusedNodeId,
        long accusedIncarnation,
        long expectedSequence,
        long observedSequence,
        int reason) implements Message
    {
        public int type()
        {
            return MessageType.SUSPECT;
        }
    }

    record RoomCreated(Room room) implements Message
    {
        public int type()
        {
            return MessageType.ROOM_CREATED;
        }
    }

    record RoomRemoved(long roomId) implements Message
    {
        public int type()
        {
            return MessageType.ROOM_REMOVED;
        }
    }

    record RoomWanted(long roomId) implements Message
    {
        public int type()
        {
            return MessageType.ROOM_WANTED;
        }
    }

    record RoomCount(long roomId, long count) implements Message
    {
        public int type()
        {
            return MessageType.ROOM_COUNT;
        }
    }

    record Notification(long roomId, Bytes payload) implements Message
    {
        public int type()
        {
            return MessageType.NOTIFICATION;
        }
    }

    record ClusterEvent(String name, Bytes payload) implements Message
    {
        public int type()
        {
            return MessageType.CLUSTER_EVENT;
        }
    }

    record Probe(long requesterNodeId, long nonce) implements Message
    {
        public int type()
        {
            return MessageType.PROBE;
        }
    }

    record JoinRequest(
        long correlationId, long heartbeatIntervalNs, long heartbeatTimeoutNs, String clusterName, Card card)
        implements Message
    {
        public int type()
        {
            return MessageType.JOIN_REQUEST;
        }
    }

    record JoinResponse(
        long correlationId,
        int status,
        long heartbeatIntervalNs,
        long heartbeatTimeoutNs,
        String clusterName,
        List<Card> members) implements Message
    {
        public int type()
        {
            return MessageType.JOIN_RESPONSE;
        }
    }

    /** Flags hold {@code FLAG_ROOM_FLOORS} exactly when there are floors. */
    record SnapshotRequest(long correlationId, long ownerNodeId, int maxChunkLength, int flags, List<Floor> floors)
        implements Message
    {
        SnapshotRequest(final long correlationId, final long ownerNodeId, final int maxChunkLength, final int flags)
        {
            this(correlationId, ownerNodeId, maxChunkLength, flags, List.of());
        }

        public int type()
        {
            return MessageType.SNAPSHOT_REQUEST;
        }
    }

    record SnapshotChunk(
        long correlationId,
        long ownerNodeId,
        long ownerIncarnation,
        long ownerSequence,
        long ownerDigest,
        int chunkIndex,
        int flags,
        List<Count> counts,
        List<Room> rooms,
        List<Floor> tableStreams,
        List<RoomRemoval> roomRemovals) implements Message
    {
        SnapshotChunk(
            final long correlationId,
            final long ownerNodeId,
            final long ownerIncarnation,
            final long ownerSequence,
            final long ownerDigest,
            final int chunkIndex,
            final int flags,
            final List<Count> counts,
            final List<Room> rooms)
        {
            this(correlationId, ownerNodeId, ownerIncarnation, ownerSequence, ownerDigest, chunkIndex, flags, counts,
                rooms, List.of(), List.of());
        }

        public int type()
        {
            return MessageType.SNAPSHOT_CHUNK;
        }
    }

    record RepairRequest(
        long correlationId,
        long ownerNodeId,
        long ownerIncarnation,
        long fromSequence,
        long toSequence) implements Message
    {
        public int type()
        {
            return MessageType.REPAIR_REQUEST;
        }
    }

    record ProbeRequest(long correlationId, long nonce) implements Message
    {
        public int type()
        {
            return MessageType.PROBE_REQUEST;
        }
    }

    record SnapshotCredit(long correlationId, long chunksLoaded) implements Message
    {
        public int type()
        {
            return MessageType.SNAPSHOT_CREDIT;
        }
    }

    record FlowStatus(long ownerIncarnation, long appliedBroadcastSequence, long appliedDirectedSequence)
        implements Message
    {
        public int type()
        {
            return MessageType.FLOW_STATUS;
        }
    }

    record CommandResponse(long correlationId, int status, String detail) implements Message
    {
        public int type()
        {
            return MessageType.COMMAND_RESPONSE;
        }
    }

    record ViewPrepare(long correlationId, long lineage, long targetEpoch, long ballotRound, long ballotNodeId)
        implements Message
    {
        public int type()
        {
            return MessageType.VIEW_PREPARE;
        }
    }

    /** A promise; {@code acceptedValue} is null when the acceptor accepted nothing. */
    record ViewPromise(
        long correlationId,
        long lineage,
        long targetEpoch,
        long ballotRound,
        long ballotNodeId,
        boolean ok,
        long promisedRound,
        long promisedNodeId,
        long acceptedRound,
        long acceptedNodeId,
        ViewValue acceptedValue) implements Message
    {
        public int type()
        {
            return MessageType.VIEW_PROMISE;
        }
    }

    record ViewAccept(
        long correlationId, long lineage, long targetEpoch, long ballotRound, long ballotNodeId, ViewValue value)
        implements Message
    {
        public int type()
        {
            return MessageType.VIEW_ACCEPT;
        }
    }

    record ViewAccepted(
        long correlationId,
        long lineage,
        long targetEpoch,
        long ballotRound,
        long ballotNodeId,
        boolean ok,
        long promisedRound,
        long promisedNodeId,
        List<RemovedHeard> removed) implements Message
    {
        public int type()
        {
            return MessageType.VIEW_ACCEPTED;
        }
    }

    record ViewCommit(long correlationId, long ballotRound, long ballotNodeId, ViewValue value) implements Message
    {
        public int type()
        {
            return MessageType.VIEW_COMMIT;
        }
    }

    /** A change request; {@code card} only for JOIN, {@code winnerEndpoint} only for DISSOLVE, else null. */
    record ChangeRequest(
        long correlationId,
        long lineage,
        long viewEpoch,
        int kind,
        int reason,
        long subjectId,
        long subjectIncarnation,
        long expected,
        long observed,
        Card card,
        String winnerEndpoint) implements Message
    {
        public int type()
        {
            return MessageType.CHANGE_REQUEST;
        }
    }

    record ViewQuery(long correlationId, long lineage, long knownEpoch) implements Message
    {
        public int type()
        {
            return MessageType.VIEW_QUERY;
        }
    }

    record SeedProbe(long correlationId, long lineage, long epoch) implements Message
    {
        public int type()
        {
            return MessageType.SEED_PROBE;
        }
    }

    record SeedProbeResponse(
        long correlationId,
        long lineage,
        long epoch,
        int size,
        boolean listsProber,
        long oldestIncarnation,
        long oldestNodeId,
        boolean running) implements Message
    {
        public int type()
        {
            return MessageType.SEED_PROBE_RESPONSE;
        }
    }

    /**
     * A message of any type (known or not) with an arbitrary body, written as is: for building malformed
     * frames. Never produced by reading.
     */
    record Raw(int type, Bytes body) implements Message
    {
    }
}
