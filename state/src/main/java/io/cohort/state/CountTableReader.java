package io.cohort.state;

import org.agrona.UnsafeApi;

/**
 * Reads a {@link CountTable} from one thread other than the writer's, through the table's two sequence locks: a
 * read that a change of the slot (its sequence odd or advanced) or a removal shifting slots (the move count odd or
 * advanced) overlapped is done again, so every answer is the room as it was between two such changes; a count the
 * writer changed in place meanwhile is read before or after its one store. A block address is followed only once
 * the slot's sequence confirmed it. Allocation-free; not thread safe itself (one per reading thread).
 */
final class CountTableReader
{
    private final CountTable table;
    private final OwnerSlots owners;
    private final int words;
    private final long[] bits;
    private int used;

    CountTableReader(final CountTable table, final OwnerSlots owners)
    {
        this.table = table;
        this.owners = owners;
        words = table.words();
        bits = new long[words];
    }

    /**
     * Cluster-wide count of a room: the sum of the counts of owner slots that have an owner.
     */
    long sum(final long roomId)
    {
        while (true)
        {
            final long seenMoves = table.beginMovesRead();
            final long position = table.readerFind(roomId);
            long sum = 0;
            boolean valid = true;
            if (position >= 0)
            {
                final long at = table.slotAddress(position);
                final int sequence = UnsafeApi.getIntAcquire(null, at + CountTable.SEQUENCE_OFFSET);
                final long counts = counts(at, sequence);
                valid = 0 != counts;
                for (int w = 0, index = 0; valid && w < words; w++)
                {
                    long word = bits[w];
                    while (0 != word && index < used)
                    {
                        final int slot = (w << 6) + Long.numberOfTrailingZeros(word);
                        if (0 != owners.ownerOfSlot(slot))
                        {
                            sum += table.countAt(counts, index);
                        }
                        index++;
                        word &= word - 1;
                    }
                }
                UnsafeApi.loadLoadFence();
                valid &= sequence == UnsafeApi.getInt(at + CountTable.SEQUENCE_OFFSET);
            }
            if (valid && table.validMovesRead(seenMoves))
            {
                return sum;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * One owner slot's count in a room.
     */
    long count(final long roomId, final int slot)
    {
        while (true)
        {
            final long seenMoves = table.beginMovesRead();
            final long position = table.readerFind(roomId);
            long count = 0;
            boolean valid = true;
            if (position >= 0)
            {
                final long at = table.slotAddress(position);
                final int sequence = UnsafeApi.getIntAcquire(null, at + CountTable.SEQUENCE_OFFSET);
                final long counts = counts(at, sequence);
                valid = 0 != counts;
                final int word = slot >>> 6;
                if (valid && 0 != (bits[word] & (1L << slot)))
                {
                    int rank = Long.bitCount(bits[word] & ((1L << slot) - 1));
                    for (int w = 0; w < word; w++)
                    {
                        rank += Long.bitCount(bits[w]);
                    }
                    count = rank < used ? table.countAt(counts, rank) : 0;
                }
                UnsafeApi.loadLoadFence();
                valid &= sequence == UnsafeApi.getInt(at + CountTable.SEQUENCE_OFFSET);
            }
            if (valid && table.validMovesRead(seenMoves))
            {
                return count;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Copies a slot's bits and number of counts and finds its counts, confirmed by the slot's sequence before the
     * address is used.
     *
     * @return the counts' address, 0 if the slot was being changed (read again).
     */
    private long counts(final long at, final int sequence)
    {
        if (0 != (sequence & 1))
        {
            return 0;
        }
        for (int w = 0; w < words; w++)
        {
            bits[w] = table.bits(at, w);
        }
        final int sizes = UnsafeApi.getInt(at + CountTable.SIZES_OFFSET);
        final long block = UnsafeApi.getLong(at + table.countsOffset());
        UnsafeApi.loadLoadFence();
        if (sequence != UnsafeApi.getInt(at + CountTable.SEQUENCE_OFFSET))
        {
            return 0;
        }
        used = Math.min(sizes & CountTable.USED_MASK, table.maxSlots());
        return 0 == (sizes >>> CountTable.CAPACITY_SHIFT) ? at + table.countsOffset() : block;
    }
}
