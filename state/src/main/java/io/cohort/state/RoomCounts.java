package io.cohort.state;

import java.util.function.LongConsumer;

/**
 * Room counts, room-major: one {@link CountTable} slot per room holding the count of every owner with subscribers
 * in the room, so that a local change, an applied remote count, a cluster-wide count and the routing of a
 * notification each take one probe of one table. Owners are mapped to slots (slot 0 is the local node's for
 * good); a room holds a presence bit and a count for each owner slot with a count above 0, so that its size
 * follows the owners actually present in the room, not the configured cluster size.
 * <p>
 * Removing an owner is O(1): its slot is retired (its counts vanish from every read at once, its digest becomes
 * {@link RowDigest#EMPTY}) and a later incremental sweep ({@link #sweep(int)}) takes the retired counts out of the
 * rooms a segment at a time, after which the slot is free again. There are twice as many slots as owners
 * allowed, so a removed owner that comes straight back (a re-sync) takes a free slot while its old one is swept.
 * <p>
 * A segment is a range of {@value #SEGMENT_POSITIONS} home positions of the table: a room is visited in the segment
 * of its home position, which never changes while the room is in the table (a removal shifts rooms back towards
 * their homes, never past them), so visiting every segment once, in any number of calls and with changes in
 * between, visits each room present throughout exactly once.
 * <p>
 * Owners, rows and digests are in {@link OwnerSlots}. Single writer: every method but the readers' (and the slots'
 * published owners and digests) runs on the state's thread; {@link StateReader}s on other threads read through
 * the table's sequence locks and skip counts of a slot that has no owner.
 */
final class RoomCounts implements AutoCloseable
{
    /** Returned by {@link #set} and {@link #setRow} when a new room would pass the capacity. */
    static final long FULL = -1;
    static final int NO_SLOT = OwnerSlots.NO_SLOT;
    static final int LOCAL_SLOT = OwnerSlots.LOCAL_SLOT;
    /** Home positions of the table per segment (a sweep step or a snapshot slice visits whole segments). */
    static final int SEGMENT_POSITIONS = 1024;

    private final CountTable table;
    private final long maxEntries;
    private final OwnerSlots slots;
    private final int words;
    private long lastPrevious;
    private int sweepSegment = -1;

    RoomCounts(final long localNodeId, final int maxOwners, final long maxEntries)
    {
        this.maxEntries = maxEntries;
        slots = new OwnerSlots(localNodeId, maxOwners);
        table = new CountTable(maxEntries, slots.maxSlots());
        words = table.words();
    }

    /**
     * Empties the table and gives slot 0 to a (possibly new) local node. No reader may be in use.
     */
    void reset(final long localNodeId)
    {
        table.clear();
        slots.reset(localNodeId);
        lastPrevious = 0;
        sweepSegment = -1;
    }

    OwnerSlots slots()
    {
        return slots;
    }

    /**
     * The owner's slot, taking a free one if it has none.
     *
     * @return the slot, or {@link #NO_SLOT} if {@code maxOwners} owners hold one already.
     */
    int acquireSlot(final long ownerNodeId)
    {
        final int existing = slots.slotOf(ownerNodeId);
        if (NO_SLOT != existing || slots.isFull())
        {
            return existing;
        }
        int slot = slots.freeSlot();
        if (NO_SLOT == slot)
        {
            // Every spare slot still awaits its sweep (more removals than owners within one sweep): finish it.
            sweep(Integer.MAX_VALUE);
            sweep(Integer.MAX_VALUE);
            slot = slots.freeSlot();
        }
        slots.take(slot, ownerNodeId);
        return slot;
    }

    long count(final int slot, final long roomId)
    {
        final long position = table.find(roomId);
        return position < 0 ? 0 : table.count(table.slotAddress(position), slot);
    }

    /**
     * Adds one to the local count if the admission says {@link StateResult#SUBSCRIBED}, finding the room once;
     * the previous count is then {@link #lastPrevious()}.
     *
     * @return the admission's result, or {@link StateResult#ROOM_COUNTS_FULL} (admission not asked) if the room
     * has no count and the table is at capacity.
     */
    StateResult incrementIf(final int slot, final long roomId, final CountAdmission admission)
    {
        final long position = table.find(roomId);
        if (position < 0)
        {
            if (table.size() >= maxEntries)
            {
                return StateResult.ROOM_COUNTS_FULL;
            }
            final StateResult result = admission.admit(roomId, 0);
            if (StateResult.SUBSCRIBED == result)
            {
                // The admission touches no count: the empty position found above is still the room's.
                table.insert(position, roomId, slot, 1);
                slots.changed(slot, roomId, 0, 1);
                lastPrevious = 0;
            }
            return result;
        }
        final long at = table.slotAddress(position);
        final long previous = table.count(at, slot);
        final StateResult result = admission.admit(roomId, previous);
        if (StateResult.SUBSCRIBED == result)
        {
            change(position, at, slot, previous, previous + 1);
            slots.changed(slot, roomId, previous, previous + 1);
            lastPrevious = previous;
        }
        return result;
    }

    long lastPrevious()
    {
        return lastPrevious;
    }

    /**
     * Takes one from the local count of a room (a subscriber leaves).
     *
     * @return the count before.
     * @throws IllegalStateException if the count would go below 0.
     */
    long decrement(final int slot, final long roomId)
    {
        final long position = table.find(roomId);
        final long at = position < 0 ? 0 : table.slotAddress(position);
        final long previous = 0 == at ? 0 : table.count(at, slot);
        if (0 == previous)
        {
            throw new IllegalStateException("count of roomId=" + roomId + " would go from 0 to -1");
        }
        change(position, at, slot, previous, previous - 1);
        slots.changed(slot, roomId, previous, previous - 1);
        return previous;
    }

    /**
     * Sets an owner's absolute count in one lookup; 0 removes it. Gives a remote slot back when its last row goes.
     *
     * @return the count before, or {@link #FULL} if the room has no count and the table is at capacity.
     */
    long set(final int slot, final long roomId, final long count)
    {
        final long previous = setRow(slot, roomId, count);
        slots.releaseIfEmpty(slot);
        return previous;
    }

    /**
     * {@link #set} without giving the slot back when its last row goes: for a snapshot chunk, which resolves the
     * slot once and calls {@link OwnerSlots#releaseIfEmpty} once at the end. Rows are written straight into the
     * room's slot of the table.
     *
     * @return the count before, or {@link #FULL} if the room has no count and the table is at capacity.
     */
    long setRow(final int slot, final long roomId, final long count)
    {
        final long position = table.find(roomId);
        if (position < 0)
        {
            if (0 == count)
            {
                return 0;
            }
            if (table.size() >= maxEntries)
            {
                return FULL;
            }
            table.insert(position, roomId, slot, count);
            slots.changed(slot, roomId, 0, count);
            return 0;
        }
        final long at = table.slotAddress(position);
        final long previous = table.count(at, slot);
        if (previous != count)
        {
            change(position, at, slot, previous, count);
            slots.changed(slot, roomId, previous, count);
        }
        return previous;
    }

    /**
     * Gives a slot a new count in a room that is in the table. A count that stays above 0 is one store; a count
     * added or taken out is a change of the slot under its sequence lock; the room's last count going removes
     * the room.
     */
    private void change(final long position, final long at, final int slot, final long previous, final long count)
    {
        if (0 == count)
        {
            if (1 == table.used(at))
            {
                table.delete(position);
            }
            else
            {
                table.remove(at, slot);
            }
        }
        else if (0 == previous)
        {
            table.add(at, slot, count);
        }
        else
        {
            table.setCount(at, slot, count);
        }
    }

    /**
     * Retires an owner's slot: its counts vanish from every read now, its digest becomes empty, and
     * {@link #sweep} takes its counts out of the rooms later.
     *
     * @return the owner's rows at removal.
     */
    long removeOwner(final long ownerNodeId)
    {
        return slots.retire(ownerNodeId);
    }

    /**
     * One step of the sweep of retired slots: whole segments of the table, until at least {@code budget} rooms
     * were visited. A pass over every segment frees the slots that were retired when it began.
     *
     * @param budget rooms to visit at least, when there is work; a step visits whole segments.
     * @return rooms visited, at least 1 when there was work, 0 when no slot awaits a sweep.
     */
    int sweep(final int budget)
    {
        if (sweepSegment < 0)
        {
            if (!slots.hasRetired())
            {
                return 0;
            }
            slots.beginPass();
            sweepSegment = 0;
        }
        long swept = 0;
        final int segments = segments();
        while (sweepSegment < segments && swept < budget)
        {
            swept += visitSegment(sweepSegment, NO_SLOT, null);
            sweepSegment++;
        }
        if (sweepSegment >= segments)
        {
            slots.endPass();
            sweepSegment = -1;
        }
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, swept));
    }

    /**
     * Whether a retired slot still awaits its sweep.
     *
     * @return true while {@link #sweep} has work.
     */
    boolean isSweeping()
    {
        return sweepSegment >= 0 || slots.hasRetired();
    }

    /**
     * Visits the rooms whose home position is in one segment: the rows of one slot given to a visitor, or (with
     * no visitor) the counts of slots no longer owned taken out, and rooms left without counts removed.
     *
     * @return rooms visited.
     */
    private int visitSegment(final int segment, final int slot, final CountRowVisitor visitor)
    {
        final long positions = table.positions();
        final long first = (long)segment * SEGMENT_POSITIONS;
        final long span = Math.min(positions, first + SEGMENT_POSITIONS) - first;
        final long[] owned = slots.ownedWords();
        int visited = 0;
        long position = first;
        // A room of the segment sits at or after its home with no empty position in between: the walk goes on
        // past the segment's end until an empty position.
        for (long offset = 0; offset < positions; )
        {
            final long at = table.slotAddress(position);
            final long roomId = table.roomAt(at);
            if (0 == roomId)
            {
                if (offset >= span)
                {
                    break;
                }
            }
            else if (inSegment(table.home(roomId), first, span))
            {
                visited++;
                if (null != visitor)
                {
                    if (table.has(at, slot))
                    {
                        visitor.onRow(roomId, table.count(at, slot));
                    }
                }
                else if (!retainOwned(position, at, owned))
                {
                    // Removed: a later room of the run may have shifted into this position; look at it again.
                    continue;
                }
            }
            offset++;
            position = table.next(position);
        }
        return visited;
    }

    private static boolean inSegment(final long home, final long first, final long span)
    {
        return home >= first && home < first + span;
    }

    /**
     * Takes the counts of slots no longer owned out of a room (they are never read again).
     *
     * @return false if the room had no owned count left and was removed.
     */
    private boolean retainOwned(final long position, final long at, final long[] owned)
    {
        for (int w = 0; w < words; w++)
        {
            if (0 != (table.bits(at, w) & owned[w]))
            {
                table.retain(at, owned);
                return true;
            }
        }
        table.delete(position);
        return false;
    }

    long sum(final long roomId)
    {
        final long position = table.find(roomId);
        if (position < 0)
        {
            return 0;
        }
        final long at = table.slotAddress(position);
        final long counts = table.countsAddress(at);
        long sum = 0;
        int index = 0;
        for (int w = 0; w < words; w++)
        {
            long word = table.bits(at, w);
            final long owned = slots.ownedWord(w);
            while (0 != word)
            {
                final long lowest = word & -word;
                if (0 != (owned & lowest))
                {
                    sum += table.countAt(counts, index);
                }
                index++;
                word ^= lowest;
            }
        }
        return sum;
    }

    /**
     * Tells the consumer each owner with a count above 0 in a room, from the room's presence bits alone. The
     * consumer may read the state but not change it, so the slot read stays where it is.
     *
     * @return the number of owners told.
     */
    int forEachOwnerWithCount(final long roomId, final LongConsumer consumer)
    {
        final long position = table.find(roomId);
        if (position < 0)
        {
            return 0;
        }
        final long at = table.slotAddress(position);
        int found = 0;
        for (int w = 0; w < words; w++)
        {
            long word = table.bits(at, w) & slots.ownedWord(w);
            while (0 != word)
            {
                consumer.accept(slots.ownerOfSlot((w << 6) + Long.numberOfTrailingZeros(word)));
                found++;
                word &= word - 1;
            }
        }
        return found;
    }

    /**
     * Visits every row of one owner (one pass over the table), e.g. to stream them into a snapshot.
     */
    void forEachRow(final int slot, final CountRowVisitor visitor)
    {
        for (int segment = 0, segments = segments(); segment < segments; segment++)
        {
            visitSegment(segment, slot, visitor);
        }
    }

    /**
     * The number of segments of the table: the unit of a sliced iteration ({@link #forEachRowInSegment}).
     */
    int segments()
    {
        return (int)((table.positions() + SEGMENT_POSITIONS - 1) / SEGMENT_POSITIONS);
    }

    /**
     * Visits the rows of one owner held by the rooms of one segment. A room stays in its segment for good, so
     * visiting every segment once, in any number of calls, visits every row that exists throughout exactly once.
     * The visitor must not change the counts.
     *
     * @return rooms of the segment visited (the work done), whoever's rows they hold.
     */
    int forEachRowInSegment(final int slot, final int segment, final CountRowVisitor visitor)
    {
        return visitSegment(segment, slot, visitor);
    }

    /**
     * A reader of the counts for one thread other than the writer's.
     */
    CountTableReader newReader()
    {
        return new CountTableReader(table, slots);
    }

    long entries()
    {
        return table.size();
    }

    long maxEntries()
    {
        return maxEntries;
    }

    long offHeapMemoryUsed()
    {
        return table.memoryUsed();
    }

    public void close()
    {
        table.close();
    }
}
