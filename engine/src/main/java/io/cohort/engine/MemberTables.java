package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.state.SubscriptionState;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongFunction;

/**
 * What a member's room table says besides its rooms, as its snapshot loads: how far its sender had applied each
 * stream when it began reading it ({@link TableStreams}, kept per member), and the sender's records of the removals
 * of rooms the table lacks. Those decide which of the table's rooms this node admits (none older than a removal
 * applied here: {@link RoomHistory#outdates}), which removals this node keeps as its own record
 * ({@link RoomHistory#importRemoval}), and which of the member's own removals, lost on their way here, it applies
 * now ({@link RoomHistory#undoneBy}).
 * <p>
 * Tables load one after another (a joiner's room source and the whole tables of nodes that joined beside it, a
 * member's table taken again), and the outcome must not depend on their order. A removal record that comes first
 * keeps an older table's room out ({@link RoomHistory#outdates}); one that comes after that table made the room here
 * removes it, when every creation of the room applied here since is one the record's table reflects, the table that
 * made it had not applied the removal, and the table bringing the record reflects every stream at least as far as
 * that one (its sender had applied everything the other's had, and lacks the room: its absence is the later state).
 * <p>
 * Which member's table made a room is kept while that table's streams are (until the member's snapshot is asked
 * again), for at most {@link #MAX_TABLE_MADE_ROOMS} rooms (all are forgotten when more come): not only until the
 * members of the moment are synced, since a member a later view adds (a node that joined beside this one) brings
 * its table, and its records, after that. A room it is not known for stays. Not thread safe: the node's thread
 * only.
 */
final class MemberTables
{
    /** Rooms whose table of origin is kept: a bound on memory where tables of many rooms load. */
    static final int MAX_TABLE_MADE_ROOMS = 65_536;
    private static final Logger LOG = LoggerFactory.getLogger(MemberTables.class);
    private static final long NONE = 0;

    private final long selfNodeId;
    private final int maxTableStreams;
    private final SubscriptionState state;
    private final RoomHistory roomHistory;
    private final ReplicaApplier applier;
    private final LongFunction<Member> members;
    /** Room to the node id of the member whose table made it here (absent before), while its streams are kept. */
    private final Long2LongHashMap tableMadeRooms = new Long2LongHashMap(NONE);

    /**
     * @param selfNodeId      this node, for logs.
     * @param maxTableStreams the most streams a table names: every member and its sender.
     * @param state           this node's rooms.
     * @param roomHistory     what this node applied of each room.
     * @param applier         applies a member's lost removal as its message would have been.
     * @param members         this node's member of a node id, or null: where a table's sender is found.
     */
    MemberTables(
        final long selfNodeId,
        final int maxTableStreams,
        final SubscriptionState state,
        final RoomHistory roomHistory,
        final ReplicaApplier applier,
        final LongFunction<Member> members)
    {
        this.selfNodeId = selfNodeId;
        this.maxTableStreams = maxTableStreams;
        this.state = state;
        this.roomHistory = roomHistory;
        this.applier = applier;
        this.members = members;
    }

    /**
     * A snapshot of the member is asked for: what its last table said is forgotten, with the rooms it made here (their
     * table's streams are gone).
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
        if (!tableMadeRooms.isEmpty())
        {
            final long madeBy = member.nodeId;
            tableMadeRooms.values().removeIfLong((maker) -> maker == madeBy);
        }
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
        if (roomHistory.outdates(roomId, member.tableStreams))
        {
            return false;
        }
        if (!state.roomExists(roomId))
        {
            if (tableMadeRooms.size() >= MAX_TABLE_MADE_ROOMS)
            {
                tableMadeRooms.clear(); // the oldest are the least likely to meet a record now
            }
            tableMadeRooms.put(roomId, member.nodeId);
        }
        return true;
    }

    /**
     * @param roomId a room.
     * @return the node id of the member whose table made it here, or 0 if none is known.
     */
    long tableThatMade(final long roomId)
    {
        return tableMadeRooms.get(roomId);
    }

    /**
     * Adds the rooms still here that a member's table made here (they were absent before it loaded).
     *
     * @param makerId the member's node id.
     * @param out     where the rooms go.
     */
    void roomsMadeBy(final long makerId, final LongArrayList out)
    {
        if (!tableMadeRooms.isEmpty())
        {
            tableMadeRooms.forEachLong((roomId, maker) ->
            {
                if (maker == makerId && state.roomExists(roomId))
                {
                    out.addLong(roomId);
                }
            });
        }
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
        else if (outdatesTableRoom(member, roomId, removerId, removerIncarnation, sequence))
        {
            LOG.info("node {}: room {} came with the table of {}, older than its removal by {} at sequence {} that " +
                "the table of {} reflects: removed", ClusterCore.id(selfNodeId), roomId,
                ClusterCore.id(tableMadeRooms.get(roomId)), ClusterCore.id(removerId), sequence, member);
            tableMadeRooms.remove(roomId);
            roomHistory.onTableRoomOutdated();
            applier.tableRoomOutdated(removerId, removerIncarnation, sequence, roomId);
        }
        else
        {
            roomHistory.importRemoval(roomId, removerId, removerIncarnation, sequence);
        }
    }

    /**
     * Whether a removal record in a member's table undoes a room another member's table made here: the member's table
     * reflects every creation of the room applied here since (a creation it lacks may be later than the removal),
     * that table's sender had not applied the removal, and the member's table reflects every stream at least as far as
     * that one.
     */
    private boolean outdatesTableRoom(final Member member, final long roomId, final long removerId,
        final long removerIncarnation, final long sequence)
    {
        final long madeBy = tableMadeRooms.get(roomId);
        if (NONE == madeBy || madeBy == member.nodeId || !state.roomExists(roomId) ||
            !roomHistory.creationsReflectedBy(roomId, member.tableStreams))
        {
            return false;
        }
        final Member maker = members.apply(madeBy);
        if (null == maker || null == maker.tableStreams)
        {
            return false;
        }
        final long applied = maker.tableStreams.sequenceOf(removerId, removerIncarnation);
        return applied < sequence && member.tableStreams.reflectsAllOf(maker.tableStreams);
    }
}
