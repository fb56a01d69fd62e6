package io.cohort.engine;

import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A member removed from the view takes with it the room changes it sent to only some members. Rows have one writer
 * and go with it everywhere, but rooms have no owner: a room it created in frames that reached one member and not
 * another (a cut between those two, or a kill while its frames were on their way) stayed on the first alone, and
 * nobody would ever send it to the second (the second never sees a gap: the stream just ends). So each member,
 * when a view removes a member, announces again as its own every change of that member that is still the room's
 * last here and was applied within {@link #recentNs} of the removal: a creation of a room present here is announced
 * again ({@code ROOM_CREATED}), a removal of a room absent here is published again ({@code ROOM_REMOVED}, with how
 * far this node has applied each stream). Members that had the change already see nothing new (the room exists, or
 * is absent); the others apply it, and where two members announce the two sides of a race (one had the creation,
 * the other the creation and the removal), the rules of {@link RoomHistory} keep the room everywhere: a room kept too
 * long is the lesser fault than a room lost.
 * <p>
 * Why a time bound: only the tail of a removed member's stream can be missing somewhere (a frame lost before it is a
 * gap its receiver detects and repairs), and that tail is at most as old as the cut that removed the member: one
 * heartbeat timeout to suspect it, and the agreement of the view. Older changes reached every member and are left
 * alone, so a member removed hours after it created its rooms costs no announcement.
 * <p>
 * A tail can also reach a node through the member's table: a room made here by the table of a snapshot of the
 * member asked within the same bound of its removal is announced again too (a table asked earlier holds only changes
 * older than the bound). And a joiner publishes no room changes, yet it may hold what no member does: the tail of a
 * member's stream it applied, or the rooms of that member's table, when the member is removed before the joiner
 * serves (seed 3,672,823: a member announced a room again as its own, lost that announcement to the one member that
 * lacked the room, and was removed; the joiner that had taken its table was the only other node holding the room, and
 * the one member never got it). So a joiner keeps each member removed while it joins, and once it becomes a member
 * announces again that member's changes as above (within the bound of the removal's time) and every room that
 * member's table made here. Invariant: a room some node holds reaches every member, unless a removal undoes it.
 * Not thread safe: the node's thread only.
 */
final class RemovedMemberRooms
{
    /** Heartbeat timeouts before a removal within which a removed member's changes are announced again. */
    static final int RECENT_HEARTBEAT_TIMEOUTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(RemovedMemberRooms.class);

    private final long nodeId;
    private final long recentNs;
    private final RoomHistory roomHistory;
    private final SyncPublisher publisher;
    private final LongArrayList creations = new LongArrayList();
    private final LongArrayList removals = new LongArrayList();
    private final TableMadeRooms tableMadeRooms;
    private final LongArrayList tableRooms = new LongArrayList();
    private final LongHashSet announcing = new LongHashSet();
    /** Members removed while this node was joining, and when, index for index (a few per join at most). */
    private final List<Member> removedWhileJoining = new ArrayList<>();
    private final LongArrayList removedWhileJoiningNs = new LongArrayList();
    private long announced;

    /**
     * The rooms a member's table made here ({@link MemberTables#roomsMadeBy}).
     */
    @FunctionalInterface
    interface TableMadeRooms
    {
        /**
         * @param makerId the member's node id.
         * @param out     where the rooms still here that its table made go.
         */
        void roomsMadeBy(long makerId, LongArrayList out);
    }

    /**
     * @param nodeId             this node.
     * @param heartbeatTimeoutNs the cluster's heartbeat timeout: the bound is {@link #RECENT_HEARTBEAT_TIMEOUTS} of
     *                           them.
     * @param roomHistory        the rooms' recent changes here, with when each was applied.
     * @param publisher          this node's stream.
     * @param tableMadeRooms     the rooms each member's table made here.
     */
    RemovedMemberRooms(
        final long nodeId,
        final long heartbeatTimeoutNs,
        final RoomHistory roomHistory,
        final SyncPublisher publisher,
        final TableMadeRooms tableMadeRooms)
    {
        this.nodeId = nodeId;
        this.recentNs = RECENT_HEARTBEAT_TIMEOUTS * heartbeatTimeoutNs;
        this.roomHistory = roomHistory;
        this.publisher = publisher;
        this.tableMadeRooms = tableMadeRooms;
    }

    /**
     * A view removed a member: its recent room changes that are still their room's last here are announced again as
     * this node's own.
     *
     * @param member the member removed.
     * @param nowNs  the current time.
     * @return changes announced again.
     */
    int onMemberRemoved(final Member member, final long nowNs)
    {
        return announceChangesOf(member, nowNs, member.tableAskedNs >= nowNs - recentNs, "");
    }

    /**
     * A view removed a member while this node joins: what {@link #onMemberRemoved} would announce, and the rooms its
     * table made here, are announced once this node is a member ({@link #onBecameMember}).
     *
     * @param member the member removed.
     * @param nowNs  the current time.
     */
    void onMemberRemovedWhileJoining(final Member member, final long nowNs)
    {
        removedWhileJoining.add(member);
        removedWhileJoiningNs.addLong(nowNs);
    }

    /**
     * This node looks for a cluster again, its rooms forgotten ({@link RoomTableForgetting}): the members removed while
     * it joined were of a cluster instance it will not serve.
     */
    void forgetRemovedWhileJoining()
    {
        removedWhileJoining.clear();
        removedWhileJoiningNs.clear();
    }

    /**
     * This node has become a member: the members removed while it joined have their changes still last here, and the
     * rooms their tables made here, announced again as this node's own.
     *
     * @param members the members now, by node id: a node id that is a member again (a later incarnation) holds its
     *                table's rooms itself.
     * @return changes announced again.
     */
    int onBecameMember(final LongFunction<Member> members)
    {
        int count = 0;
        for (int i = 0, size = removedWhileJoining.size(); i < size; i++)
        {
            final Member removed = removedWhileJoining.get(i);
            count += announceChangesOf(removed, removedWhileJoiningNs.getLong(i),
                null == members.apply(removed.nodeId), " while this node joined");
        }
        forgetRemovedWhileJoining();
        return count;
    }

    /**
     * Announces again the member's changes still last here and applied within the bound of its removal, and, with
     * {@code withTableRooms}, the rooms its table made here.
     */
    private int announceChangesOf(
        final Member member, final long removedNs, final boolean withTableRooms, final String when)
    {
        creations.clear();
        removals.clear();
        roomHistory.lastChangesBy(member.nodeId, member.incarnation, removedNs - recentNs, creations, removals);
        if (withTableRooms)
        {
            addTableMadeRooms(member.nodeId);
        }
        return announce(member, when);
    }

    /**
     * Adds to the creations to announce the rooms the member's table made here, each once.
     */
    private void addTableMadeRooms(final long makerId)
    {
        tableRooms.clear();
        tableMadeRooms.roomsMadeBy(makerId, tableRooms);
        if (tableRooms.isEmpty())
        {
            return;
        }
        announcing.clear();
        for (int i = 0, size = creations.size(); i < size; i++)
        {
            announcing.add(creations.getLong(i));
        }
        for (int i = 0, size = tableRooms.size(); i < size; i++)
        {
            final long roomId = tableRooms.getLong(i);
            if (announcing.add(roomId))
            {
                creations.addLong(roomId);
            }
        }
    }

    private int announce(final Member removed, final String when)
    {
        for (int i = 0, size = creations.size(); i < size; i++)
        {
            final long roomId = creations.getLong(i);
            roomHistory.onOwnAnnouncement(roomId);
            publisher.announceRoomAgain(roomId);
        }
        for (int i = 0, size = removals.size(); i < size; i++)
        {
            final long roomId = removals.getLong(i);
            roomHistory.onOwnRemoval(roomId);
            publisher.republishRemoval(roomId);
        }
        final int count = creations.size() + removals.size();
        if (count > 0)
        {
            announced += count;
            LOG.info("node {}: member {} removed{}; {} room creations and {} removals of its last (its stream's, and " +
                "its table's here) are announced again (they may have reached only some members)",
                ClusterCore.id(nodeId), removed, when, creations.size(), removals.size());
        }
        return count;
    }

    /**
     * @return room changes of removed members this node announced again since launch.
     */
    long announced()
    {
        return announced;
    }
}
