package io.cohort.engine;

import io.cohort.state.SubscriptionState;

import java.util.function.LongConsumer;

/**
 * Empties the room table of a node whose accepted cluster instance went silent before letting it in, a bounded step
 * a duty cycle, before it looks for a cluster again. The rooms it loaded there belong to an instance that may be gone
 * for good, and the cluster it joins next sends its own table only to a node without one (a member's table lacks
 * nothing but that member's own changes, so it is never replaced). A node that is not a member holds no subscription
 * of its own, so every room goes; the listener is told of each. Not thread safe: the node's thread only.
 */
final class RoomTableForgetting
{
    /** Rooms removed at least per step while some are left (whole segments of the table at a time). */
    private static final int ROOMS_PER_STEP = 1024;

    private final SubscriptionState state;
    private final RoomSource roomSource;
    private final RoomHistory roomHistory;
    private final LongConsumer roomRemoved;
    private boolean forgetting;

    /**
     * @param state          the node's state.
     * @param roomSource     which snapshots carry the rooms to this node: it starts over.
     * @param roomHistory    the rooms' recent changes: forgotten with the rooms.
     * @param roomRemoved    told each room forgotten.
     */
    RoomTableForgetting(
        final SubscriptionState state,
        final RoomSource roomSource,
        final RoomHistory roomHistory,
        final LongConsumer roomRemoved)
    {
        this.state = state;
        this.roomSource = roomSource;
        this.roomHistory = roomHistory;
        this.roomRemoved = roomRemoved;
    }

    /**
     * This node looks for a cluster again: its room table is to be emptied, and its next members asked for their
     * rooms as by a node that never synced any.
     */
    void start()
    {
        roomSource.reset();
        roomHistory.clear();
        forgetting = state.rooms() > 0;
    }

    /**
     * @return whether rooms of the instance are still left: no join is asked meanwhile.
     */
    boolean inProgress()
    {
        return forgetting;
    }

    /**
     * One bounded step, once a duty cycle.
     *
     * @return rooms removed.
     */
    int doWork()
    {
        if (!forgetting)
        {
            return 0;
        }
        final int removed = state.forgetRooms(ROOMS_PER_STEP, roomRemoved);
        forgetting = state.rooms() > 0;
        return removed;
    }
}
