package io.cohort.state;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Flyweight over one room's value in {@link RoomCounts}: the counts of the owners with subscribers in the room,
 * as (slot, count) pairs packed in one long each, in no particular order. Native byte order (the bytes never
 * leave the process):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Used Pairs (n)                         | 0
 *  +---------------------------------------------------------------+
 *  |                       Capacity (pairs)                        | 4
 *  +-------------------------------+-------------------------------+
 *  |          Owner Slot           |        Count (48 bits)       ... 8 + 8 * i, i &lt; n
 *  +-------------------------------+-------------------------------+
 *  |                 unused pairs up to the capacity              ... 8 + 8 * n
 *  +---------------------------------------------------------------+
 * </pre>
 * A pair exists exactly while its count is above 0, except this node's (slot 0, never given to another owner),
 * which may stay at 0 while other owners' counts remain; removing a pair moves the last pair into the hole. The
 * capacity is the value's length, fixed until the entry is replaced by a larger one, and is written in the entry
 * so that it can be wrapped from its address alone ({@link RoomIndex}). A count change and an append are each
 * published by one ordered store (the pair, or the used count after the pair), so a reader on another thread
 * that reads {@link #used()} then the pairs sees either the entry before or after the change; removing a pair
 * takes several stores and is done only under Chronicle's write lock.
 */
final class CountEntry
{
    static final int USED_OFFSET = 0;
    static final int CAPACITY_OFFSET = USED_OFFSET + SIZE_OF_INT;
    static final int PAIRS_OFFSET = CAPACITY_OFFSET + SIZE_OF_INT;
    static final int PAIR_LENGTH = SIZE_OF_LONG;
    static final int SLOT_SHIFT = 48;
    /** Largest count a pair holds. */
    static final long MAX_COUNT = (1L << SLOT_SHIFT) - 1;
    /** Number of distinct slots a pair can name. */
    static final int MAX_SLOTS = 1 << (Long.SIZE - SLOT_SHIFT);

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int capacity;

    /**
     * Length of an entry with room for this many pairs.
     */
    static int length(final int pairs)
    {
        return PAIRS_OFFSET + pairs * PAIR_LENGTH;
    }

    CountEntry wrap(final long address, final int length)
    {
        buffer.wrap(address, length);
        capacity = (length - PAIRS_OFFSET) / PAIR_LENGTH;
        return this;
    }

    /**
     * Wraps an entry whose capacity is written in it.
     */
    CountEntry wrap(final long address)
    {
        return wrap(address, length(UnsafeApi.getInt(address + CAPACITY_OFFSET)));
    }

    CountEntry wrap(final UnsafeBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        capacity = (length - PAIRS_OFFSET) / PAIR_LENGTH;
        return this;
    }

    void initialise(final int slot, final long count)
    {
        buffer.putInt(USED_OFFSET, 1);
        buffer.putInt(CAPACITY_OFFSET, capacity);
        buffer.putLong(PAIRS_OFFSET, pair(slot, count));
    }

    /**
     * Writes the wrapped length's capacity into the entry (after copying a smaller entry into a larger buffer).
     */
    void writeCapacity()
    {
        buffer.putInt(CAPACITY_OFFSET, capacity);
    }

    int used()
    {
        // Acquire: a reader that sees a pair appended also sees the pair (stored before the used count).
        return buffer.getIntVolatile(USED_OFFSET);
    }

    int capacity()
    {
        return capacity;
    }

    boolean isFull()
    {
        return used() >= capacity;
    }

    /**
     * Index of a slot's pair.
     *
     * @return the index, or -1 if the slot has no count in this room.
     */
    int indexOf(final int slot)
    {
        final long wanted = (long)slot << SLOT_SHIFT;
        for (int i = 0, used = used(); i < used; i++)
        {
            if ((buffer.getLong(PAIRS_OFFSET + i * PAIR_LENGTH) & ~MAX_COUNT) == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether a pair other than one index holds a count above 0.
     *
     * @param index the pair not to look at, or -1 to look at every pair.
     */
    boolean hasCountBesides(final int index)
    {
        for (int i = 0, used = used(); i < used; i++)
        {
            if (i != index && 0 != (buffer.getLong(PAIRS_OFFSET + i * PAIR_LENGTH) & MAX_COUNT))
            {
                return true;
            }
        }
        return false;
    }

    int slot(final int index)
    {
        return (int)(buffer.getLong(PAIRS_OFFSET + index * PAIR_LENGTH) >>> SLOT_SHIFT);
    }

    /**
     * The count at an index.
     *
     * @return the count, 0 for an index of -1.
     */
    long count(final int index)
    {
        return index < 0 ? 0 : buffer.getLong(PAIRS_OFFSET + index * PAIR_LENGTH) & MAX_COUNT;
    }

    void setCount(final int index, final int slot, final long count)
    {
        // One aligned 8-byte store: a reader sees the old count or the new one, never a mix.
        buffer.putLongRelease(PAIRS_OFFSET + index * PAIR_LENGTH, pair(slot, count));
    }

    void append(final int slot, final long count)
    {
        final int used = used();
        buffer.putLong(PAIRS_OFFSET + used * PAIR_LENGTH, pair(slot, count));
        // Release: the pair is visible before the used count that includes it.
        buffer.putIntRelease(USED_OFFSET, used + 1);
    }

    void remove(final int index)
    {
        final int last = used() - 1;
        if (index != last)
        {
            buffer.putLong(PAIRS_OFFSET + index * PAIR_LENGTH, buffer.getLong(PAIRS_OFFSET + last * PAIR_LENGTH));
        }
        buffer.putLong(PAIRS_OFFSET + last * PAIR_LENGTH, 0);
        buffer.putInt(USED_OFFSET, last);
    }

    /**
     * Number of pairs whose slot is in a state and whose count is above 0.
     */
    int pairsIn(final byte[] slotState, final byte state)
    {
        int pairs = 0;
        for (int i = 0, used = used(); i < used; i++)
        {
            if (state == slotState[slot(i)] && count(i) > 0)
            {
                pairs++;
            }
        }
        return pairs;
    }

    /**
     * Removes every pair whose slot is not in the kept state, and every pair of count 0.
     *
     * @return true if any pair was removed.
     */
    boolean dropPairs(final byte[] slotState, final byte kept)
    {
        boolean dropped = false;
        for (int i = used() - 1; i >= 0; i--)
        {
            if (kept != slotState[slot(i)] || 0 == count(i))
            {
                remove(i);
                dropped = true;
            }
        }
        return dropped;
    }

    /**
     * Copies the header and used pairs to the start of another buffer.
     */
    void copyTo(final UnsafeBuffer dst)
    {
        dst.putBytes(0, buffer, 0, length(used()));
    }

    private static long pair(final int slot, final long count)
    {
        return ((long)slot << SLOT_SHIFT) | count;
    }
}
