package io.cohort.state;

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
 *  |                           Reserved                            | 4
 *  +-------------------------------+-------------------------------+
 *  |          Owner Slot           |        Count (48 bits)       ... 8 + 8 * i, i &lt; n
 *  +-------------------------------+-------------------------------+
 *  |                 unused pairs up to the capacity              ... 8 + 8 * n
 *  +---------------------------------------------------------------+
 * </pre>
 * A pair exists exactly while its count is above 0; removing one moves the last pair into the hole. The
 * capacity is the value's length, fixed until the entry is replaced by a larger one.
 */
final class CountEntry
{
    static final int USED_OFFSET = 0;
    static final int RESERVED_OFFSET = USED_OFFSET + SIZE_OF_INT;
    static final int PAIRS_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
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

    CountEntry wrap(final UnsafeBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        capacity = (length - PAIRS_OFFSET) / PAIR_LENGTH;
        return this;
    }

    void initialise(final int slot, final long count)
    {
        buffer.putInt(USED_OFFSET, 1);
        buffer.putInt(RESERVED_OFFSET, 0);
        buffer.putLong(PAIRS_OFFSET, pair(slot, count));
    }

    int used()
    {
        return buffer.getInt(USED_OFFSET);
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
        buffer.putLong(PAIRS_OFFSET + index * PAIR_LENGTH, pair(slot, count));
    }

    void append(final int slot, final long count)
    {
        final int used = used();
        buffer.putLong(PAIRS_OFFSET + used * PAIR_LENGTH, pair(slot, count));
        buffer.putInt(USED_OFFSET, used + 1);
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
     * Number of pairs whose slot is in a state.
     */
    int pairsIn(final byte[] slotState, final byte state)
    {
        int pairs = 0;
        for (int i = 0, used = used(); i < used; i++)
        {
            if (state == slotState[slot(i)])
            {
                pairs++;
            }
        }
        return pairs;
    }

    /**
     * Removes every pair whose slot is not in the kept state.
     *
     * @return true if any pair was removed.
     */
    boolean dropPairs(final byte[] slotState, final byte kept)
    {
        boolean dropped = false;
        for (int i = used() - 1; i >= 0; i--)
        {
            if (kept != slotState[slot(i)])
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
