package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The creations that made each room here, so that a removal undoes only the creations its sender had seen.
 * <p>
 * Rooms have no owner and streams from different senders are not ordered with each other. A node X that applied
 * Y's removal of a room and then created the room again made a room every node should hold; a third node that applies
 * X's creation first (the room still exists there: nothing changes) and Y's removal after it (a slower link from Y,
 * or a joiner replaying Y's buffer after X's) removed the room, and alone lacked it. A removal says how far its
 * sender had applied each member's stream ({@link RoomRemovedDecoder#coveredSequence}); a creation of the room
 * applied here past that point on its creator's stream is one the remover had not seen, and the room stays: a
 * creation the remover had not seen wins over the removal, wherever the two meet ({@link CoveredCreations} is the
 * other half: a creation the remover had seen, arriving after the removal, is skipped).
 * <p>
 * Each creation applied here is kept (room, creator's incarnation, sequence on its stream), every one of a room until
 * the room is removed here; a creation by this node is held as past every sequence ({@link #UNPUBLISHED}) until it
 * is published. A removal that says nothing of a creator's stream (a node that does not send the list, or had
 * dropped the creator by then) undoes that creator's creations as before. At most
 * {@link #MAX_ENTRIES} are kept, the oldest dropped first (a removal that meets a creation dropped from here removes
 * the room, as before this rule). Allocates only while its arrays grow. Not thread safe: the node's thread only.
 */
final class RoomCreations
{
    /** The most creations kept: a bound on memory where rooms come and go all day. */
    static final int MAX_ENTRIES = 65_536;
    /** Sequence of a creation by this node not yet published: no other node has seen it. */
    static final long UNPUBLISHED = Long.MAX_VALUE;
    private static final int INITIAL_CAPACITY = 64;
    private static final long NONE = -1;

    private final long nodeId;
    private final long incarnation;
    /** Each room's latest creation, by its slot; earlier ones are chained from it by {@link #previousSlots}. */
    private final Long2LongHashMap latestSlot = new Long2LongHashMap(NONE);
    private long[] roomIds = new long[INITIAL_CAPACITY];
    private long[] creatorIds = new long[INITIAL_CAPACITY];
    private long[] creatorIncarnations = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    /** Which write filled each slot, so that a chain link to a slot written over since is seen as broken. */
    private long[] writes = new long[INITIAL_CAPACITY];
    private int[] previousSlots = new int[INITIAL_CAPACITY];
    private long[] previousWrites = new long[INITIAL_CAPACITY];
    private long writeCount;
    private int used;
    private int next;
    private long removalsOutrun;

    /**
     * @param nodeId      this node, the creator of its own creations.
     * @param incarnation its incarnation.
     */
    RoomCreations(final long nodeId, final long incarnation)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
    }

    /**
     * A member's creation of a room was applied here (the room exists now, made by it or before it).
     *
     * @param roomId             the room.
     * @param creatorId          the member.
     * @param creatorIncarnation its incarnation.
     * @param sequence           the creation's sequence on its stream.
     */
    void onCreation(final long roomId, final long creatorId, final long creatorIncarnation, final long sequence)
    {
        final int slot = claimSlot(); // first: the slot it takes may have been the room's latest
        final long latest = latestSlot.get(roomId);
        roomIds[slot] = roomId;
        creatorIds[slot] = creatorId;
        creatorIncarnations[slot] = creatorIncarnation;
        sequences[slot] = sequence;
        writes[slot] = ++writeCount;
        previousSlots[slot] = (int)latest;
        previousWrites[slot] = NONE == latest ? NONE : writes[(int)latest];
        latestSlot.put(roomId, slot);
    }

    /**
     * This node created a room; its creation is not published yet.
     *
     * @param roomId the room.
     */
    void onOwnCreation(final long roomId)
    {
        onCreation(roomId, nodeId, incarnation, UNPUBLISHED);
    }

    /**
     * This node's creation (or announcement) of a room was published.
     *
     * @param roomId   the room.
     * @param sequence its sequence on this node's stream.
     */
    void onOwnCreationPublished(final long roomId, final long sequence)
    {
        for (int slot = first(roomId); slot >= 0; slot = previous(slot))
        {
            if (creatorIds[slot] == nodeId && creatorIncarnations[slot] == incarnation && UNPUBLISHED == sequences[slot])
            {
                sequences[slot] = sequence;
            }
        }
    }

    /**
     * The room is removed here: its creations are undone.
     *
     * @param roomId the room.
     */
    void onRemoved(final long roomId)
    {
        latestSlot.remove(roomId);
    }

    /**
     * Whether a member's removal of a room misses a creation applied here: one by another node past what the removal
     * says the remover had applied of the creator's stream. Counted: the room then stays.
     *
     * @param removal            the removal, wrapped, with its covered list.
     * @param removerId          the member that sent it.
     * @param removerIncarnation its incarnation.
     * @return true if a creation the remover had not seen made the room here.
     */
    boolean outrun(final RoomRemovedDecoder removal, final long removerId, final long removerIncarnation)
    {
        for (int slot = first(removal.roomId()); slot >= 0; slot = previous(slot))
        {
            final long creatorId = creatorIds[slot];
            final long creatorIncarnation = creatorIncarnations[slot];
            if (creatorId == removerId && creatorIncarnation == removerIncarnation)
            {
                continue; // the remover's own creation is before its removal on its stream
            }
            final long covered = coveredSequence(removal, creatorId, creatorIncarnation);
            if (NONE != covered && covered < sequences[slot])
            {
                removalsOutrun++;
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets every creation: this node's room table is emptied.
     */
    void clear()
    {
        latestSlot.clear();
        used = 0;
        next = 0;
    }

    /**
     * @return members' removals not applied because a creation of the room their sender had not seen was applied
     * here first.
     */
    long removalsOutrun()
    {
        return removalsOutrun;
    }

    /**
     * @return rooms with a creation kept.
     */
    int rooms()
    {
        return latestSlot.size();
    }

    private static long coveredSequence(final RoomRemovedDecoder removal, final long nodeId, final long incarnation)
    {
        for (int i = 0, count = removal.coveredCount(); i < count; i++)
        {
            if (removal.coveredNodeId(i) == nodeId && removal.coveredIncarnation(i) == incarnation)
            {
                return removal.coveredSequence(i);
            }
        }
        return NONE;
    }

    private int first(final long roomId)
    {
        return (int)latestSlot.get(roomId);
    }

    private int previous(final int slot)
    {
        final int previous = previousSlots[slot];
        return previous >= 0 && writes[previous] == previousWrites[slot] ? previous : -1;
    }

    private int claimSlot()
    {
        if (used < MAX_ENTRIES)
        {
            if (used == roomIds.length)
            {
                final int capacity = Math.min(MAX_ENTRIES, 2 * used);
                roomIds = Arrays.copyOf(roomIds, capacity);
                creatorIds = Arrays.copyOf(creatorIds, capacity);
                creatorIncarnations = Arrays.copyOf(creatorIncarnations, capacity);
                sequences = Arrays.copyOf(sequences, capacity);
                writes = Arrays.copyOf(writes, capacity);
                previousSlots = Arrays.copyOf(previousSlots, capacity);
                previousWrites = Arrays.copyOf(previousWrites, capacity);
            }
            return used++;
        }
        final int slot = next;
        next = (next + 1) % MAX_ENTRIES;
        // The oldest creation goes; a room whose latest it was keeps none (its earlier ones are older still).
        if (latestSlot.get(roomIds[slot]) == slot)
        {
            latestSlot.remove(roomIds[slot]);
        }
        return slot;
    }
}
