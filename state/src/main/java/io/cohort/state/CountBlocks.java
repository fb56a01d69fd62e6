package io.cohort.state;

import org.agrona.UnsafeApi;

import java.util.Arrays;

/**
 * Off-heap blocks of counts for the rooms of a {@link CountTable} whose counts outgrow their slot: blocks of a
 * power-of-two number of 8-byte counts, carved from arenas allocated on demand, and given back to one free list
 * per size (the first 8 bytes of a free block link to the next). An arena is never given back before
 * {@link #close()}: a reader on another thread may still be reading a block the writer has just freed (its
 * sequence check then throws the read away), so every address a reader ever read stays mapped.
 * <p>
 * The state's thread only.
 */
final class CountBlocks implements AutoCloseable
{
    /** Bytes of the arenas blocks are carved from, unless one block needs more. */
    static final int ARENA_BYTES = 1024 * 1024;

    private final int maxCapacity;
    private final int arenaBytes;
    private final long[] freeLists;
    private final long[] arenas;
    private int arenaCount;
    private int arenasCarved;
    private long arenaPosition;
    private long arenaLimit;
    private long blocksInUse;
    private long bytesInUse;
    private boolean closed;

    /**
     * @param maxCapacity the most counts a block holds: a power of two.
     * @param maxBytes    the most bytes of blocks ever in use at once, which bounds the number of arenas.
     */
    CountBlocks(final int maxCapacity, final long maxBytes)
    {
        if (Integer.bitCount(maxCapacity) != 1)
        {
            throw new IllegalArgumentException("maxCapacity=" + maxCapacity + " is not a power of two");
        }
        this.maxCapacity = maxCapacity;
        arenaBytes = Math.max(ARENA_BYTES, 8 * maxCapacity * Long.BYTES);
        freeLists = new long[Integer.numberOfTrailingZeros(maxCapacity) + 1];
        // A freed block is reused only by its own size, so each size may hold up to maxBytes at its peak; an arena
        // leaves less than a largest block unused at its end.
        final long usable = arenaBytes - (long)maxCapacity * Long.BYTES;
        final long most = 1 + freeLists.length * (maxBytes / usable + 1);
        if (most > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " is too large for arenas of " + arenaBytes);
        }
        arenas = new long[(int)most];
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
     * @return the block's address.
     */
    long allocate(final int capacity)
    {
        final int sizeClass = Integer.numberOfTrailingZeros(capacity);
        final long bytes = (long)capacity * Long.BYTES;
        long block = freeLists[sizeClass];
        if (0 != block)
        {
            freeLists[sizeClass] = UnsafeApi.getLong(block);
        }
        else
        {
            if (arenaPosition + bytes > arenaLimit)
            {
                newArena();
            }
            block = arenaPosition;
            arenaPosition += bytes;
        }
        blocksInUse++;
        bytesInUse += bytes;
        return block;
    }

    /**
     * Gives a block back for reuse by a later {@link #allocate} of the same capacity.
     */
    void free(final long block, final int capacity)
    {
        final int sizeClass = Integer.numberOfTrailingZeros(capacity);
        UnsafeApi.putLong(block, freeLists[sizeClass]);
        freeLists[sizeClass] = block;
        blocksInUse--;
        bytesInUse -= (long)capacity * Long.BYTES;
    }

    private void newArena()
    {
        if (arenasCarved == arenaCount)
        {
            if (arenaCount == arenas.length)
            {
                throw new IllegalStateException("count blocks past their bound: arenas=" + arenaCount);
            }
            arenas[arenaCount++] = UnsafeApi.allocateMemory(arenaBytes);
        }
        // Blocks 8-byte aligned (allocateMemory aligns to at least 8): a count is one atomic store for readers.
        arenaPosition = arenas[arenasCarved++];
        arenaLimit = arenaPosition + arenaBytes;
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
     * Forgets every block; the arenas are kept and carved again in order.
     */
    void clear()
    {
        Arrays.fill(freeLists, 0);
        blocksInUse = 0;
        bytesInUse = 0;
        arenasCarved = 0;
        arenaPosition = 0;
        arenaLimit = 0;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            for (int i = 0; i < arenaCount; i++)
            {
                UnsafeApi.freeMemory(arenas[i]);
            }
            arenaCount = 0;
        }
    }
}
