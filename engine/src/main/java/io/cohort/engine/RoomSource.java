package io.cohort.engine;

import io.cohort.codec.SnapshotRequestDecoder;

import java.util.List;

/**
 * Which snapshots carry the room table to this node, and when a loaded copy may be replayed.
 * <p>
 * Rooms have no owner: a node's table is what every stream it applied made of it. A node syncing every member for the
 * first time (a joiner) has no table yet, and takes it from <em>one</em> member, the room source, instead of one copy
 * per member (each a lookup per room here and a read of every room there, the larger part of a join). That copy is
 * enough if it holds every room change that this node will not replay: for each other member X, the changes X made up
 * to the start S(X) of X's snapshot here (later ones are in the buffer of X's messages, replayed). So the source's
 * request waits until every other member's snapshot has started (its first chunk says S(X)) and carries those starts
 * as floors; the source sends its rooms only once it has applied each X's stream up to S(X)
 * ({@code FLAG_ROOM_FLOORS}). The other members are asked for no rooms ({@code FLAG_NO_ROOMS}), and replay only once
 * the source's rooms are loaded, so that a change they replay is never undone by an older copy of the table loaded
 * after it. A change in the source's table is not applied again from the buffer, nor later from the stream: with its
 * rooms the source sends how far it had applied each stream when it began reading them ({@link RoomTableStreams}),
 * and those become each member's {@link Member#roomTableThrough} once the rooms are loaded. (Applying such a change
 * again would be harmless within one stream, whose changes are absolute and in order, but not across two: a creation
 * replayed after the table holds a later removal by another member, one not replayed, would make the room again.)
 * Changes made while the table is read are replayed in each stream's order, which {@link CoveredCreations} keeps
 * right across streams.
 * <p>
 * A member whose snapshot starts over before the rooms are loaded moves its S(X) past the floor the source was given:
 * the source's snapshot then starts over too, with new floors. One that starts over after they are loaded (rare: a
 * fault while joining) is sent every room again, as a member that joined with another node at once is. Once this
 * node has synced every member ({@link #tableComplete()}), its table lacks at most the changes of a member whose sync
 * starts over, which that member sends only if it ever changed a room ({@code FLAG_ROOM_TABLE_COMPLETE}).
 * Not thread safe: the node's thread only.
 */
final class RoomSource
{
    /** {@link #flagsFor} of a request that must wait for the other members' snapshots to start. */
    static final int DEFER = -1;

    private final List<Member> members;
    private Member source;
    private boolean sourceAsked;
    private boolean loaded;
    private boolean tableComplete;
    /** The source sent nothing for a command timeout: every member sends its own rooms, as before the source. */
    private boolean fellBack;

    /**
     * @param members this node's members, kept current by the core.
     */
    RoomSource(final List<Member> members)
    {
        this.members = members;
    }

    /**
     * This node looks for a cluster again, its table emptied ({@link RoomTableForgetting}): the next members
     * it syncs are asked for their rooms as by a node that never synced any.
     */
    void reset()
    {
        source = null;
        sourceAsked = false;
        loaded = false;
        tableComplete = false;
        fellBack = false;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            members.get(i).roomTableThrough = -1;
        }
    }

    /**
     * This node has synced every member once (or founded the cluster).
     */
    void tableComplete()
    {
        tableComplete = true;
    }

    /**
     * The flags of a member's snapshot request about to be sent.
     *
     * @param member the member asked.
     * @return the flags, or {@link #DEFER} for the room source while another member's snapshot has not started.
     */
    int flagsFor(final Member member)
    {
        if (tableComplete)
        {
            return SnapshotRequestDecoder.FLAG_ROOM_TABLE_COMPLETE;
        }
        if (settled())
        {
            return 0;
        }
        if (null == source || !members.contains(source))
        {
            source = member;
            sourceAsked = false;
        }
        if (member == source)
        {
            if (!floorsKnown())
            {
                return DEFER;
            }
            sourceAsked = true;
            return SnapshotRequestDecoder.FLAG_ROOM_FLOORS;
        }
        return SnapshotRequestDecoder.FLAG_NO_ROOMS;
    }

    /**
     * A member other than the source was just asked for a snapshot that starts after the floor the source was given.
     *
     * @param member the member asked.
     * @return the source, whose snapshot must start over with new floors, or null.
     */
    Member sourceToAskAgain(final Member member)
    {
        if (!settled() && sourceAsked && member != source)
        {
            sourceAsked = false;
            return source;
        }
        return null;
    }

    /**
     * The source is gone before its rooms were loaded: another member becomes the source.
     *
     * @return the member whose snapshot must start over as the source's, or null.
     */
    Member replaceSourceIfGone()
    {
        if (settled() || null == source || members.contains(source))
        {
            return null;
        }
        source = null;
        sourceAsked = false;
        return members.isEmpty() ? null : members.get(0);
    }

    /**
     * Whether every member but the source has a snapshot that started, so the source's floors are known.
     */
    boolean floorsKnown()
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (member != source && !member.snapshotStartKnown)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The floors of the source's request: each other member's snapshot start.
     *
     * @return the number of floors.
     */
    int floorCount()
    {
        return members.size() - (members.contains(source) ? 1 : 0);
    }

    /**
     * Visits the floors of the source's request.
     *
     * @param visitor told each member's node id, incarnation and snapshot start.
     */
    void forEachFloor(final FloorVisitor visitor)
    {
        int index = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (member != source)
            {
                visitor.onFloor(index++, member.nodeId, member.incarnation, member.snapshotStartSequence);
            }
        }
    }

    /**
     * A member's snapshot is loaded.
     *
     * @param member the member.
     * @return whether its buffered messages may be replayed now: false while the rooms are still to come.
     */
    boolean onLoaded(final Member member)
    {
        if (settled())
        {
            return true;
        }
        if (member == source)
        {
            loaded = true;
            applyTableStreams(member.tableStreams);
            return true;
        }
        return false;
    }

    /**
     * The source's rooms are loaded: how far its table reflected each stream, as the chunks of the snapshot loaded
     * said, becomes each member's {@link Member#roomTableThrough}. A stream it did not name (or past what this node
     * holds: a sender beyond the member limit) has its changes replayed as before the source sent any.
     */
    private void applyTableStreams(final TableStreams sourceStreams)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            final long sequence = sourceStreams.sequenceOf(member.nodeId, member.incarnation);
            if (TableStreams.UNKNOWN != sequence)
            {
                member.roomTableThrough = sequence;
            }
        }
    }

    /**
     * The source sent nothing for a command timeout (it lags behind the floors, or is stuck): from now on every member
     * is asked for its own rooms, as a joiner did before there was a room source. A lagging source must not hold the
     * join; the copies, loaded before the rooms each member sends, replay after them.
     */
    void fallBack()
    {
        fellBack = true;
    }

    /**
     * @param member a member.
     * @return whether it is the source and every other member's copy still waits for its rooms.
     */
    boolean isAwaitedSource(final Member member)
    {
        return !settled() && member == source;
    }

    /**
     * Whether the source no longer matters: its rooms are loaded, this node synced every member, or it fell back to
     * every member's own rooms.
     */
    private boolean settled()
    {
        return tableComplete || loaded || fellBack;
    }

    /**
     * Whether the rooms have been loaded since this node started syncing (from the source, or it synced every member).
     */
    boolean roomsLoaded()
    {
        return loaded || tableComplete;
    }

    /**
     * @return whether the source's request, with the floors of the other members' current snapshots, went out.
     */
    boolean sourceAsked()
    {
        return sourceAsked;
    }

    /**
     * @return this node's members.
     */
    List<Member> members()
    {
        return members;
    }

    /**
     * @return the room source, or null.
     */
    Member source()
    {
        return source;
    }

    /**
     * Told one floor.
     */
    @FunctionalInterface
    interface FloorVisitor
    {
        /**
         * @param index       from 0.
         * @param nodeId      the member.
         * @param incarnation its incarnation.
         * @param sequence    its snapshot's start.
         */
        void onFloor(int index, long nodeId, long incarnation, long sequence);
    }
}
