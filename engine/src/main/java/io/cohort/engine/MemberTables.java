package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.state.SubscriptionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member's room table says besides its rooms, as its snapshot loads: how far its sender had applied each
 * stream when it began reading it ({@link TableStreams}, kept per member), and the sender's records of the removals
 * of rooms the table lacks. Those decide which of the table's rooms this node admits (none older than a removal
 * applied here: {@link RoomHistory#outdates}), which removals this node keeps as its own record
 * ({@link RoomHistory#importRemoval}), and which of the member's own removals, lost on their way here, it applies
 * now ({@link RoomHistory#undoneBy}). Not thread safe: the node's thread only.
 */
final class MemberTables
{
    private static final Logger LOG = LoggerFactory.getLogger(MemberTables.class);

    private final long selfNodeId;
    private final int maxTableStreams;
    private final SubscriptionState state;
    private final RoomHistory roomHistory;
    private final ReplicaApplier applier;

    /**
     * @param selfNodeId      this node, for logs.
     * @param maxTableStreams the most streams a table names: every member and its sender.
     * @param state           this node's rooms.
     * @param roomHistory     what this node applied of each room.
     * @param applier         applies a member's lost removal as its message would have been.
     */
    MemberTables(
        final long selfNodeId,
        final int maxTableStreams,
        final SubscriptionState state,
        final RoomHistory roomHistory,
        final ReplicaApplier applier)
    {
        this.selfNodeId = selfNodeId;
        this.maxTableStreams = maxTableStreams;
        this.state = state;
        this.roomHistory = roomHistory;
        this.applier = applier;
    }

    /**
     * A snapshot of the member is asked for: what its last table said is forgotten.
     *
     * @param member the member.
     */
    void begin(final Member member)
    {
        if (null == member.tableStreams)
        {
            member.tableStreams = new TableStreams(maxTableStreams);
        }
        member.tableStreams.clear();
    }

    /**
     * A chunk of the member's snapshot was loaded: keeps the streams it names (read as the table's rooms load, and by
     * the room source once the source's are loaded) and handles the removal records it carries.
     *
     * @param member the member.
     * @param chunk  the chunk.
     */
    void onChunk(final Member member, final SnapshotChunkDecoder chunk)
    {
        if (chunk.hasTableStreams())
        {
            member.tableStreams.add(chunk);
        }
        for (int i = 0, removals = chunk.roomRemovalCount(); i < removals; i++)
        {
            onRoomRemovalRecord(member, chunk.roomRemovalRoomId(i), chunk.roomRemovalNodeId(i),
                chunk.roomRemovalIncarnation(i), chunk.roomRemovalSequence(i));
        }
    }

    /**
     * @param member the member whose table loads.
     * @param roomId a room of it.
     * @return false for a room older than a removal applied here: it is not made again.
     */
    boolean admits(final Member member, final long roomId)
    {
        return !roomHistory.outdates(roomId, member.tableStreams);
    }

    /**
     * A removal the member's table reflects. The member's own, at or before its snapshot's start (no replay brings
     * it), of a room still here whose every creation applied here it had seen: its frame never reached this node (a
     * desync), so it is applied now. Any other: this node's own record of it, if it has none of the room.
     */
    private void onRoomRemovalRecord(final Member member, final long roomId, final long removerId,
        final long removerIncarnation, final long sequence)
    {
        if (removerId == member.nodeId && removerIncarnation == member.incarnation && member.snapshotStartKnown &&
            sequence <= member.snapshotStartSequence && state.roomExists(roomId) &&
            roomHistory.undoneBy(roomId, removerId, removerIncarnation, sequence, member.tableStreams))
        {
            LOG.info("node {}: {} removed room {} at sequence {} in a frame lost on its way here: applied from its " +
                "table's record", ClusterCore.id(selfNodeId), member, roomId, sequence);
            applier.lostRemovalRecovered(member, sequence, roomId);
        }
        else
        {
            roomHistory.importRemoval(roomId, removerId, removerIncarnation, sequence);
        }
    }
}
