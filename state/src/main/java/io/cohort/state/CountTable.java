package io.cohort.state;

import org.agrona.UnsafeApi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Room counts, room-major, in an off-heap table of the state's own: one slot per room with a count above 0 of
 * any owner, holding a presence bit per owner slot and the counts of the owners present, so that a count, a
 * change, a cluster-wide sum and the routing of a notification each take one probe of one table, and routing
 * reads nothing but the slot's bits. {@link ProbedSlots} over slots of a whole number of cache lines (64 bytes
 * up to 256 owner slots, with 2 to 5 counts inline):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Room Id (64, 0 = empty slot)                | 0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Sequence (odd while the writer changes it)        | 8
 *  +-------------------------------+-------------------------------+
 *  |       Counts Used (n)         |  Block Capacity (0 = inline)  | 12
 *  +-------------------------------+-------------------------------+
 *  |        Presence Bits: bit s set = owner slot s has a count   ... 16, W words
 *  +---------------------------------------------------------------+
 *  |   n counts (64 each) in owner slot order, K inline; or the   ... 16 + 8 W
 *  |   address of a block of Block Capacity counts when n &gt; K    |
 *  +---------------------------------------------------------------+
 * </pre>
 * An owner slot's count is at its rank among the presence bits (the number of bits set below it), so it is
 * found without a search. A room whose counts outgrow the slot keeps them in a {@link CountBlocks} block, and
 * moves them back inline when they fit again. Counts are 8-byte aligned: a count changed in place is one atomic
 * store. A room's slot is removed when its last count goes.
 * <p>
 * Single writer (the state's thread). Readers on other threads use two sequence locks: each slot's Sequence, odd
 * while the writer changes more than one count's word of it (a count added or taken out, a block swapped, the
 * room inserted), and the table's move count, odd while a removal shifts slots back (a slot read meanwhile may
 * have moved). A reader checks both around what it read and reads again if either changed, so it sees a slot
 * whole; a count changed in place alone is one store, the value before or after. A block address is followed only
 * after the slot's sequence confirmed it, so a reader never reads outside memory this table holds (freed blocks
 * stay mapped: see {@link CountBlocks}). The readers' side is {@link CountTableReader}.
 */
final class CountTable implements AutoCloseable
{
    /** Largest number of owner slots: Counts Used and Block Capacity are 16 bits. */
    static final int MAX_SLOTS = 1 << 15;
    /** Largest count: the protocol's, 48 bits. */
    static final long MAX_COUNT = (1L << 48) - 1;
    static final int KEY_OFFSET = ProbedSlots.KEY_OFFSET;
    static final int SEQUENCE_OFFSET = KEY_OFFSET + Long.BYTES;
    static final int SIZES_OFFSET = SEQUENCE_OFFSET + Integer.BYTES;
    static final int BITS_OFFSET = SIZES_OFFSET + Integer.BYTES;
    private static final int CACHE_LINE = 64;
    private static final int MIN_INLINE_COUNTS = 2;
    static final int USED_MASK = 0xFFFF;
    static final int CAPACITY_SHIFT = 16;
    private static final VarHandle MOVES;

    static
    {
        try
        {
            MOVES = MethodHandles.lookup().findVarHandle(CountTable.class, "moves", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ProbedSlots table;
    private final CountBlocks blocks;
    private final int words;
    private final int countsOffset;
    private final int inlineCounts;
    private final int maxSlots;
    private long size;
    /** Odd while a removal shifts slots; read by other threads through {@link #MOVES}. */
    private long moves;

    /**
     * @param maxEntries the most rooms held.
     * @param maxSlots   the number of owner slots, at most {@link #MAX_SLOTS}.
     */
    CountTable(final long maxEntries, final int maxSlots)
    {
        if (maxSlots < 1 || maxSlots > MAX_SLOTS)
        {
            throw new IllegalArgumentException("maxSlots=" + maxSlots + " must be from 1 to " + MAX_SLOTS);
        }
        this.maxSlots = maxSlots;
        words = (maxSlots + Long.SIZE - 1) / Long.SIZE;
        countsOffset = BITS_OFFSET + words * Long.BYTES;
        final int slotLength = align(countsOffset + MIN_INLINE_COUNTS * Long.BYTES, CACHE_LINE);
        inlineCounts = (slotLength - countsOffset) / Long.BYTES;
        // Made first: it holds no memory until a room's counts outgrow its slot.
        blocks = new CountBlocks(CountBlocks.capacityFor(maxSlots));
        table = new ProbedSlots(maxEntries, slotLength, "maxEntries");
    }

    private static int align(final int value, final int alignment)
    {
        return (value + alignment - 1) / alignment * alignment;
    }

    // ------------------------------------------------------------------------------------------ writer's reads

    /**
     * The table position of a room, or the empty position where it would go as {@code -(position + 1)}.
     */
    long find(final long roomId)
    {
        return table.find(roomId);
    }

    long slotAddress(final long position)
    {
        return table.slotAddress(position);
    }

    long roomAt(final long at)
    {
        return UnsafeApi.getLong(at + KEY_OFFSET);
    }

    int used(final long at)
    {
        return UnsafeApi.getInt(at + SIZES_OFFSET) & USED_MASK;
    }

    private int capacity(final long at)
    {
        return UnsafeApi.getInt(at + SIZES_OFFSET) >>> CAPACITY_SHIFT;
    }

    private void sizes(final long at, final int used, final int capacity)
    {
        UnsafeApi.putInt(at + SIZES_OFFSET, used | (capacity << CAPACITY_SHIFT));
    }

    /**
     * One word of a room's presence bits: bit {@code b} is owner slot {@code 64 * word + b}.
     */
    long bits(final long at, final int word)
    {
        return UnsafeApi.getLong(at + BITS_OFFSET + (long)word * Long.BYTES);
    }

    int words()
    {
        return words;
    }

    boolean has(final long at, final int slot)
    {
        return 0 != (bits(at, slot >>> 6) & (1L << slot));
    }

    private int rank(final long at, final int slot)
    {
        final int word = slot >>> 6;
        int rank = Long.bitCount(bits(at, word) & ((1L << slot) - 1));
        for (int w = 0; w < word; w++)
        {
            rank += Long.bitCount(bits(at, w));
        }
        return rank;
    }

    /**
     * Where a room's counts are: in its slot, or in its block.
     */
    long countsAddress(final long at)
    {
        return 0 == capacity(at) ? at + countsOffset : UnsafeApi.getLong(at + countsOffset);
    }

    /**
     * An owner slot's count in a room.
     *
     * @return the count, 0 if the slot has none there.
     */
    long count(final long at, final int slot)
    {
        return has(at, slot) ? UnsafeApi.getLong(countsAddress(at) + (long)rank(at, slot) * Long.BYTES) : 0;
    }

    /**
     * The count at an index of a room's counts (owner slot order).
     */
    long countAt(final long countsAddress, final int index)
    {
        return UnsafeApi.getLong(countsAddress + (long)index * Long.BYTES);
    }

    long size()
    {
        return size;
    }

    long positions()
    {
        return table.slots();
    }

    long home(final long roomId)
    {
        return table.home(roomId);
    }

    long next(final long position)
    {
        return table.next(position);
    }

    // ------------------------------------------------------------------------------------------ writer's changes

    private static void beginWrite(final long at)
    {
        UnsafeApi.putIntOpaque(null, at + SEQUENCE_OFFSET, UnsafeApi.getInt(at + SEQUENCE_OFFSET) + 1);
        // The odd sequence is visible before any change it guards.
        UnsafeApi.storeStoreFence();
    }

    private static void endWrite(final long at)
    {
        UnsafeApi.putIntRelease(null, at + SEQUENCE_OFFSET, UnsafeApi.getInt(at + SEQUENCE_OFFSET) + 1);
    }

    /**
     * Changes an owner slot's count that stays above 0: one store, seen whole by readers.
     */
    void setCount(final long at, final int slot, final long count)
    {
        UnsafeApi.putLongRelease(null, countsAddress(at) + (long)rank(at, slot) * Long.BYTES, count);
    }

    /**
     * Inserts a room with one owner slot's count at the empty position {@link #find} gave.
     *
     * @param emptyPosition {@code -(position + 1)} as returned by {@link #find}.
     */
    void insert(final long emptyPosition, final long roomId, final int slot, final long count)
    {
        final long at = table.slotAddress(-emptyPosition - 1);
        // An empty slot is all zeros (never used, or cleared by a removal): only what differs is written.
        beginWrite(at);
        UnsafeApi.putLong(at + BITS_OFFSET + (long)(slot >>> 6) * Long.BYTES, 1L << slot);
        sizes(at, 1, 0);
        UnsafeApi.putLong(at + countsOffset, count);
        UnsafeApi.putLong(at + KEY_OFFSET, roomId);
        endWrite(at);
        size++;
    }

    /**
     * Adds a count for an owner slot that has none in the room.
     */
    void add(final long at, final int slot, final long count)
    {
        final int used = used(at);
        final int capacity = capacity(at);
        final int rank = rank(at, slot);
        final long counts = countsAddress(at);
        beginWrite(at);
        if (used < (0 == capacity ? inlineCounts : capacity))
        {
            final long from = counts + (long)rank * Long.BYTES;
            UnsafeApi.copyMemory(from, from + Long.BYTES, (long)(used - rank) * Long.BYTES);
            UnsafeApi.putLong(from, count);
            sizes(at, used + 1, capacity);
        }
        else
        {
            final int grown = CountBlocks.capacityFor(used + 1);
            final long block = blocks.allocate(grown);
            UnsafeApi.copyMemory(counts, block, (long)rank * Long.BYTES);
            UnsafeApi.putLong(block + (long)rank * Long.BYTES, count);
            UnsafeApi.copyMemory(
                counts + (long)rank * Long.BYTES,
                block + (long)(rank + 1) * Long.BYTES,
                (long)(used - rank) * Long.BYTES);
            if (0 != capacity)
            {
                blocks.free(counts, capacity);
            }
            UnsafeApi.putLong(at + countsOffset, block);
            sizes(at, used + 1, grown);
        }
        final long bitsAt = at + BITS_OFFSET + (long)(slot >>> 6) * Long.BYTES;
        UnsafeApi.putLong(bitsAt, UnsafeApi.getLong(bitsAt) | (1L << slot));
        endWrite(at);
    }

    /**
     * Takes an owner slot's count out of a room that keeps at least one other count.
     */
    void remove(final long at, final int slot)
    {
        final int used = used(at);
        final int capacity = capacity(at);
        final int rank = rank(at, slot);
        final long counts = countsAddress(at);
        beginWrite(at);
        if (0 != capacity && used - 1 <= inlineCounts)
        {
            // Back inline: the first inline word held the block's address, read above.
            final long inline = at + countsOffset;
            UnsafeApi.copyMemory(counts, inline, (long)rank * Long.BYTES);
            UnsafeApi.copyMemory(
                counts + (long)(rank + 1) * Long.BYTES, inline + (long)rank * Long.BYTES,
                (long)(used - 1 - rank) * Long.BYTES);
            blocks.free(counts, capacity);
            sizes(at, used - 1, 0);
        }
        else
        {
            final long from = counts + (long)rank * Long.BYTES;
            UnsafeApi.copyMemory(from + Long.BYTES, from, (long)(used - 1 - rank) * Long.BYTES);
            UnsafeApi.putLong(counts + (long)(used - 1) * Long.BYTES, 0);
            sizes(at, used - 1, capacity);
        }
        final long bitsAt = at + BITS_OFFSET + (long)(slot >>> 6) * Long.BYTES;
        UnsafeApi.putLong(bitsAt, UnsafeApi.getLong(bitsAt) & ~(1L << slot));
        endWrite(at);
    }

    /**
     * Keeps only the counts of the owner slots whose bits are set in {@code kept}; the room must keep one.
     *
     * @param kept one word per {@link #words()}.
     * @return whether any count was taken out.
     */
    boolean retain(final long at, final long[] kept)
    {
        int index = 0;
        int write = 0;
        final long counts = countsAddress(at);
        boolean changed = false;
        for (int w = 0; w < words; w++)
        {
            changed |= 0 != (bits(at, w) & ~kept[w]);
        }
        if (!changed)
        {
            return false;
        }
        beginWrite(at);
        for (int w = 0; w < words; w++)
        {
            final long bitsAt = at + BITS_OFFSET + (long)w * Long.BYTES;
            long word = UnsafeApi.getLong(bitsAt);
            final long keep = word & kept[w];
            while (0 != word)
            {
                final long lowest = word & -word;
                if (0 != (keep & lowest))
                {
                    UnsafeApi.putLong(counts + (long)write++ * Long.BYTES, countAt(counts, index));
                }
                index++;
                word ^= lowest;
            }
            UnsafeApi.putLong(bitsAt, keep);
        }
        final int capacity = capacity(at);
        if (0 != capacity && write <= inlineCounts)
        {
            UnsafeApi.copyMemory(counts, at + countsOffset, (long)write * Long.BYTES);
            blocks.free(counts, capacity);
            sizes(at, write, 0);
        }
        else
        {
            UnsafeApi.setMemory(counts + (long)write * Long.BYTES, (long)(index - write) * Long.BYTES, (byte)0);
            sizes(at, write, capacity);
        }
        endWrite(at);
        return true;
    }

    /**
     * Removes a room's slot (its last count went), giving its block back. Later slots of the probe run may shift
     * back into its place, so a caller walking positions looks at this position again.
     */
    void delete(final long position)
    {
        final long at = table.slotAddress(position);
        final int capacity = capacity(at);
        if (0 != capacity)
        {
            blocks.free(UnsafeApi.getLong(at + countsOffset), capacity);
        }
        MOVES.setOpaque(this, moves + 1);
        // The odd move count is visible before any slot moves.
        VarHandle.storeStoreFence();
        table.delete(position);
        MOVES.setRelease(this, moves + 1);
        size--;
    }

    void clear()
    {
        table.clear();
        blocks.clear();
        size = 0;
    }

    /**
     * Bytes of native memory held: the slots (allocated whole) and the block arenas allocated so far.
     */
    long memoryUsed()
    {
        return table.memoryUsed() + blocks.memoryUsed();
    }

    long blockBytesInUse()
    {
        return blocks.bytesInUse();
    }

    long blocksInUse()
    {
        return blocks.blocksInUse();
    }

    long slotBytes()
    {
        return table.memoryUsed();
    }

    public void close()
    {
        try
        {
            table.close();
        }
        finally
        {
            blocks.close();
        }
    }

    // ------------------------------------------------------------------------------------------ other threads

    /**
     * A slot's sequence: odd while the writer changes the slot, advanced by 2 by each change readers must not see
     * half made.
     */
    int sequence(final long at)
    {
        return UnsafeApi.getIntVolatile(null, at + SEQUENCE_OFFSET);
    }

    /**
     * The move count: odd while a removal shifts slots, advanced by 2 by each removal.
     */
    long moves()
    {
        return (long)MOVES.getVolatile(this);
    }

    /**
     * Waits for no removal to be shifting slots, for a reader.
     *
     * @return the even move count to give {@link #validMovesRead}.
     */
    long beginMovesRead()
    {
        long seen;
        while (0 != ((seen = (long)MOVES.getAcquire(this)) & 1))
        {
            Thread.onSpinWait();
        }
        return seen;
    }

    /**
     * Whether no removal shifted slots since {@link #beginMovesRead}, for a reader once it has read the slots.
     */
    boolean validMovesRead(final long seen)
    {
        // The slots were read before the move count is read again.
        VarHandle.loadLoadFence();
        return seen == (long)MOVES.getOpaque(this);
    }

    /**
     * A room's position as a reader sees it, bounded by the table's size whatever it reads.
     *
     * @return the position, or -1.
     */
    long readerFind(final long roomId)
    {
        long position = table.home(roomId);
        for (long probes = 0, slots = table.slots(); probes < slots; probes++)
        {
            final long id = UnsafeApi.getLongVolatile(null, table.slotAddress(position) + KEY_OFFSET);
            if (id == roomId)
            {
                return position;
            }
            if (0 == id)
            {
                return -1;
            }
            position = table.next(position);
        }
        return -1;
    }

    /**
     * Where the first inline count (or, for a room whose counts are in a block, the block's address) is in a slot.
     */
    int countsOffset()
    {
        return countsOffset;
    }

    int maxSlots()
    {
        return maxSlots;
    }
}
