package io.cohort.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The removals applied here of rooms still absent here, so that an older copy of the room table does not make them
 * again.
 * <p>
 * A room table only adds rooms. A member's whole table, loaded here when this node syncs it again (its copy went
 * wrong) or syncs a node that joined beside it, may have been read before its sender applied a removal this node
 * has applied: loaded as it is, it made the room again here alone, since the removal, already applied everywhere,
 * never comes again. So each removal applied here of a room then gone is kept as a tombstone (the room, the remover's
 * incarnation and the removal's sequence on its stream), the table comes with how far its sender had applied each
 * stream ({@link TableStreams}), and a room of the table is skipped while its tombstone's removal is past what the
 * sender had applied of the remover's stream: the sender's copy of the room is older than the removal. A sender that
 * had applied the removal and still holds the room made it again later, and a table that says nothing of the
 * remover's stream (an older node, or a sender not syncing the remover) is loaded as before: a room kept too long
 * is the lesser fault than a room in use lost.
 * <p>
 * Only the latest removal of a room counts, and a room made here again drops its tombstone (the table's copy then
 * changes nothing). This node's own removal is tombstoned at once, as past every sequence ({@link #UNPUBLISHED}),
 * and gets its sequence when it is published. At most {@link #MAX_ENTRIES} are kept, the oldest dropped first (for
 * that room the fault above is possible again, as before this rule); a table older than that many removals is rare.
 * Allocates only while its arrays grow. Not thread safe: the node's thread only.
 */
final class RoomTombstones
{
    /** The most tombstones kept: a bound on memory where rooms come and go all day. */
    static final int MAX_ENTRIES = 65_536;
    /** Sequence of a removal by this node not yet published: no other node has applied it. */
    static final long UNPUBLISHED = Long.MAX_VALUE;
    private static final int INITIAL_CAPACITY = 64;
    private static final long NONE = -1;

    private final long nodeId;
    private final long incarnation;
    private final LongPredicate roomExists;
    /** Each room's latest tombstone, by its slot in the arrays; a slot no room points to is stale. */
    private final Long2LongHashMap slotOfRoom = new Long2LongHashMap(NONE);
    private long[] roomIds = new long[INITIAL_CAPACITY];
    private long[] removerIds = new long[INITIAL_CAPACITY];
    private long[] removerIncarnations = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    /** Slots written so far, up to the capacity; past it the next slot is the oldest. */
    private int used;
    private int next;
    private long tableRoomsSkipped;

    /**
     * @param nodeId      this node, the remover of its own removals.
     * @param incarnation its incarnation.
     * @param roomExists  whether a room exists here now (a room made again by a table drops its tombstone).
     */
    RoomTombstones(final long nodeId, final long incarnation, final LongPredicate roomExists)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.roomExists = roomExists;
    }

    /**
     * A member's removal of a room was applied here and the room is gone.
     *
     * @param roomId             the room.
     * @param removerId          the member.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     */
    void onRemoved(final long roomId, final long removerId, final long removerIncarnation, final long sequence)
    {
        final int slot = claimSlot();
        roomIds[slot] = roomId;
        removerIds[slot] = removerId;
        removerIncarnations[slot] = removerIncarnation;
        sequences[slot] = sequence;
        slotOfRoom.put(roomId, slot);
    }

    /**
     * This node removed a room; its removal is not published yet.
     *
     * @param roomId the room.
     */
    void onOwnRemoval(final long roomId)
    {
        onRemoved(roomId, nodeId, incarnation, UNPUBLISHED);
    }

    /**
     * This node's removal of a room was published.
     *
     * @param roomId   the room.
     * @param sequence the removal's sequence on this node's stream.
     */
    void onOwnRemovalPublished(final long roomId, final long sequence)
    {
        final long slot = slotOfRoom.get(roomId);
        if (NONE != slot && removerIds[(int)slot] == nodeId && UNPUBLISHED == sequences[(int)slot])
        {
            sequences[(int)slot] = sequence;
        }
    }

    /**
     * The room exists here again: a table's copy of it changes nothing.
     *
     * @param roomId the room.
     */
    void onCreated(final long roomId)
    {
        slotOfRoom.remove(roomId);
    }

    /**
     * Whether a room of a member's table is older than a removal applied here: its sender had not applied the
     * removal when it began reading the table. Counted: such a room is skipped.
     *
     * @param roomId  a room of the table.
     * @param streams how far the table reflects each stream.
     * @return true if the room is to be skipped.
     */
    boolean outdates(final long roomId, final TableStreams streams)
    {
        final long slot = slotOfRoom.get(roomId);
        if (NONE == slot)
        {
            return false;
        }
        if (roomExists.test(roomId))
        {
            slotOfRoom.remove(roomId);
            return false;
        }
        final int index = (int)slot;
        final long applied = streams.sequenceOf(removerIds[index], removerIncarnations[index]);
        if (TableStreams.UNKNOWN == applied || applied >= sequences[index])
        {
            return false;
        }
        tableRoomsSkipped++;
        return true;
    }

    /**
     * Forgets every tombstone: this node's room table is emptied.
     */
    void clear()
    {
        slotOfRoom.clear();
        used = 0;
        next = 0;
    }

    /**
     * @return rooms of members' tables skipped because a removal applied here was newer.
     */
    long tableRoomsSkipped()
    {
        return tableRoomsSkipped;
    }

    /**
     * @return rooms with a tombstone.
     */
    int size()
    {
        return slotOfRoom.size();
    }

    private int claimSlot()
    {
        if (used < MAX_ENTRIES)
        {
            if (used == roomIds.length)
            {
                final int capacity = Math.min(MAX_ENTRIES, 2 * used);
                roomIds = Arrays.copyOf(roomIds, capacity);
                removerIds = Arrays.copyOf(removerIds, capacity);
                removerIncarnations = Arrays.copyOf(removerIncarnations, capacity);
                sequences = Arrays.copyOf(sequences, capacity);
            }
            return used++;
        }
        final int slot = next;
        next = (next + 1) % MAX_ENTRIES;
        // The oldest tombstone goes, unless its room has a later one elsewhere.
        if (slotOfRoom.get(roomIds[slot]) == slot)
        {
            slotOfRoom.remove(roomIds[slot]);
        }
        return slot;
    }
}
