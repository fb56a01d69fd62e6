package io.cohort.state;

import org.agrona.UnsafeApi;

import java.util.Arrays;

/**
 * Off-heap blocks of counts for the rooms of a {@link CountTable} whose counts outgrow their slot: blocks of a
 * power-of-two number of 8-byte counts, carved from arenas of {@link #ARENA_BYTES} allocated on demand. An arena
 * holds blocks of one size at a time, with its own free list (the first 8 bytes of a free block link to the
 * next); once its last block is freed it goes back to a pool and may serve any size. So rooms that grow in
 * lockstep (a joiner loading one member's snapshot after another: every room moves from blocks of 8 counts to
 * 16, 32, ...) reuse the arenas their smaller blocks left, instead of holding every size's peak at once.
 * <p>
 * An arena is never given back to the system before {@link #close()}: a reader on another thread may still be
 * reading a block the writer has just freed (its sequence check then throws the read away), so every address a
 * reader ever read stays mapped. The state's thread only; allocation-free but for the bookkeeping arrays, which
 * grow (rarely) when more arenas are needed than first sized for.
 */
final class CountBlocks implements AutoCloseable
{
    /** Bytes of an arena, unless the largest block needs more. */
    static final int ARENA_BYTES = 1024 * 1024;
    private static final int NONE = -1;
    private static final int INITIAL_ARENAS = 16;

    private final int maxCapacity;
    private final int arenaBytes;
    private final int[] partialHead;
    private long[] base = new long[INITIAL_ARENAS];
    private long[] bump = new long[INITIAL_ARENAS];
    private long[] freeHead = new long[INITIAL_ARENAS];
    private int[] sizeClass = new int[INITIAL_ARENAS];
    private int[] live = new int[INITIAL_ARENAS];
    private int[] nextPartial = new int[INITIAL_ARENAS];
    private int[] previousPartial = new int[INITIAL_ARENAS];
    private int[] emptyArenas = new int[INITIAL_ARENAS];
    private long[] sortedBases = new long[INITIAL_ARENAS];
    private int[] sortedArenas = new int[INITIAL_ARENAS];
    private int arenaCount;
    private int emptyCount;
    private long blocksInUse;
    private long bytesInUse;
    private boolean closed;

    /**
     * @param maxCapacity the most counts a block holds: a power of two.
     */
    CountBlocks(final int maxCapacity)
    {
        if (Integer.bitCount(maxCapacity) != 1 || maxCapacity > CountTable.MAX_SLOTS)
        {
            throw new IllegalArgumentException(
                "maxCapacity=" + maxCapacity + " is not a power of two up to " + CountTable.MAX_SLOTS);
        }
        this.maxCapacity = maxCapacity;
        arenaBytes = Math.max(ARENA_BYTES, 16 * maxCapacity * Long.BYTES);
        partialHead = new int[Integer.numberOfTrailingZeros(maxCapacity) + 1];
        Arrays.fill(partialHead, NONE);
    }

    /**
     * The capacity of the smallest block holding this many counts.
     */
    static int capacityFor(final int counts)
    {
        return counts <= 1 ? 1 : Integer.highestOneBit(counts - 1) << 1;
    }

    /**
     * A block of a capacity; its contents are undefined.
     *
     * @param capacity a power of two up to the maximum.
     * @return the block's address, 8-byte aligned (a count in it is one atomic store for readers).
     */
    long allocate(final int capacity)
    {
        final int blockClass = Integer.numberOfTrailingZeros(capacity);
        final long bytes = (long)capacity * Long.BYTES;
        int arena = partialHead[blockClass];
        if (NONE == arena)
        {
            arena = takeEmptyArena(blockClass);
        }
        long block = freeHead[arena];
        if (0 != block)
        {
            freeHead[arena] = UnsafeApi.getLong(block);
        }
        else
        {
            block = bump[arena];
            bump[arena] += bytes;
        }
        live[arena]++;
        if (0 == freeHead[arena] && bump[arena] + bytes > base[arena] + arenaBytes)
        {
            unlinkPartial(arena);
        }
        blocksInUse++;
        bytesInUse += bytes;
        return block;
    }

    /**
     * Gives a block back; its arena serves any size once all its blocks are back.
     */
    void free(final long block, final int capacity)
    {
        final int arena = arenaOf(block);
        final long bytes = (long)capacity * Long.BYTES;
        final boolean wasFull = 0 == freeHead[arena] && bump[arena] + bytes > base[arena] + arenaBytes;
        UnsafeApi.putLong(block, freeHead[arena]);
        freeHead[arena] = block;
        blocksInUse--;
        bytesInUse -= bytes;
        if (0 == --live[arena])
        {
            if (!wasFull)
            {
                unlinkPartial(arena);
            }
            release(arena);
        }
        else if (wasFull)
        {
            linkPartial(arena);
        }
    }

    private int takeEmptyArena(final int blockClass)
    {
        final int arena;
        if (emptyCount > 0)
        {
            arena = emptyArenas[--emptyCount];
        }
        else
        {
            arena = newArena();
        }
        sizeClass[arena] = blockClass;
        linkPartial(arena);
        return arena;
    }

    private int newArena()
    {
        if (arenaCount == base.length)
        {
            grow(2 * arenaCount);
        }
        // Allocated before anything is recorded: a failure leaves the bookkeeping as it was.
        final long address = UnsafeApi.allocateMemory(arenaBytes);
        final int arena = arenaCount++;
        base[arena] = address;
        bump[arena] = address;
        freeHead[arena] = 0;
        live[arena] = 0;
        int at = arena;
        while (at > 0 && sortedBases[at - 1] > address)
        {
            sortedBases[at] = sortedBases[at - 1];
            sortedArenas[at] = sortedArenas[at - 1];
            at--;
        }
        sortedBases[at] = address;
        sortedArenas[at] = arena;
        return arena;
    }

    private void release(final int arena)
    {
        sizeClass[arena] = NONE;
        freeHead[arena] = 0;
        bump[arena] = base[arena];
        emptyArenas[emptyCount++] = arena;
    }

    /**
     * The arena holding a block: the one with the greatest base at or below it.
     */
    private int arenaOf(final long block)
    {
        int low = 0;
        int high = arenaCount - 1;
        while (low < high)
        {
            final int middle = (low + high + 1) >>> 1;
            if (sortedBases[middle] <= block)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        final int arena = sortedArenas[low];
        if (block < base[arena] || block >= base[arena] + arenaBytes)
        {
            throw new IllegalStateException("block=" + block + " is in no arena");
        }
        return arena;
    }

    private void linkPartial(final int arena)
    {
        final int blockClass = sizeClass[arena];
        final int head = partialHead[blockClass];
        nextPartial[arena] = head;
        previousPartial[arena] = NONE;
        if (NONE != head)
        {
            previousPartial[head] = arena;
        }
        partialHead[blockClass] = arena;
    }

    private void unlinkPartial(final int arena)
    {
        final int next = nextPartial[arena];
        final int previous = previousPartial[arena];
        if (NONE != next)
        {
            previousPartial[next] = previous;
        }
        if (NONE != previous)
        {
            nextPartial[previous] = next;
        }
        else
        {
            partialHead[sizeClass[arena]] = next;
        }
        nextPartial[arena] = NONE;
        previousPartial[arena] = NONE;
    }

    private void grow(final int arenas)
    {
        base = Arrays.copyOf(base, arenas);
        bump = Arrays.copyOf(bump, arenas);
        freeHead = Arrays.copyOf(freeHead, arenas);
        sizeClass = Arrays.copyOf(sizeClass, arenas);
        live = Arrays.copyOf(live, arenas);
        nextPartial = Arrays.copyOf(nextPartial, arenas);
        previousPartial = Arrays.copyOf(previousPartial, arenas);
        emptyArenas = Arrays.copyOf(emptyArenas, arenas);
        sortedBases = Arrays.copyOf(sortedBases, arenas);
        sortedArenas = Arrays.copyOf(sortedArenas, arenas);
    }

    long blocksInUse()
    {
        return blocksInUse;
    }

    long bytesInUse()
    {
        return bytesInUse;
    }

    /**
     * Arenas allocated so far.
     */
    int arenas()
    {
        return arenaCount;
    }

    /**
     * Bytes of native memory held (arenas allocated).
     */
    long memoryUsed()
    {
        return (long)arenaCount * arenaBytes;
    }

    int maxCapacity()
    {
        return maxCapacity;
    }

    /**
     * Forgets every block: every arena is empty again, kept for reuse.
     */
    void clear()
    {
        Arrays.fill(partialHead, NONE);
        emptyCount = 0;
        for (int arena = 0; arena < arenaCount; arena++)
        {
            live[arena] = 0;
            release(arena);
        }
        blocksInUse = 0;
        bytesInUse = 0;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            for (int arena = 0; arena < arenaCount; arena++)
            {
                UnsafeApi.freeMemory(base[arena]);
            }
            arenaCount = 0;
        }
    }
}
