package io.cohort.engine;

import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private long announced;

    /**
     * @param nodeId             this node.
     * @param heartbeatTimeoutNs the cluster's heartbeat timeout: the bound is {@link #RECENT_HEARTBEAT_TIMEOUTS} of
     *                           them.
     * @param roomHistory        the rooms' recent changes here, with when each was applied.
     * @param publisher          this node's stream.
     */
    RemovedMemberRooms(
        final long nodeId, final long heartbeatTimeoutNs, final RoomHistory roomHistory, final SyncPublisher publisher)
    {
        this.nodeId = nodeId;
        this.recentNs = RECENT_HEARTBEAT_TIMEOUTS * heartbeatTimeoutNs;
        this.roomHistory = roomHistory;
        this.publisher = publisher;
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
        creations.clear();
        removals.clear();
        roomHistory.lastChangesBy(member.nodeId, member.incarnation, nowNs - recentNs, creations, removals);
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
            LOG.info("node {}: member {} removed; {} room creations and {} removals of its last are announced again " +
                "(they may have reached only some members)", ClusterCore.id(nodeId), member, creations.size(),
                removals.size());
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
