package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReachabilityMatrixTest
{
    private static final long STALE_NS = 1_000_000_000L;
    private static final long T0 = 5_000_000_000L;

    private final ReachabilityMatrix matrix = new ReachabilityMatrix();

    @Test
    void shouldStartWithEveryoneHearingEveryone()
    {
        matrix.reset(ViewTest.viewOf(5), 2, T0);
        assertEquals(5, matrix.size());
        assertEquals(2, matrix.selfRank());
        final long[] rows = matrix.effectiveRows(T0, STALE_NS);
        for (int rank = 0; rank < 5; rank++)
        {
            assertEquals(0, rows[rank]);
            assertEquals(ReachabilityMatrix.NO_VERSION, matrix.version(rank));
        }
    }

    @Test
    void shouldKeepTheHighestVersionOfEachRow()
    {
        matrix.reset(ViewTest.viewOf(5), 0, T0);
        assertTrue(matrix.mergeRow(3, 0b00010, 10, T0 + 1));
        assertFalse(matrix.mergeRow(3, 0b00100, 9, T0 + 2), "an older copy");
        assertFalse(matrix.mergeRow(3, 0b00100, 10, T0 + 3), "the same version again");
        assertEquals(0b00010, matrix.row(3));
        assertEquals(10, matrix.version(3));
        assertTrue(matrix.mergeRow(3, 0, 11, T0 + 4));
        assertEquals(0, matrix.row(3));
        assertEquals(11, matrix.version(3));
    }

    @Test
    void shouldNeverTakeItsOwnRowFromGossip()
    {
        matrix.reset(ViewTest.viewOf(3), 1, T0);
        matrix.setOwnRow(0b100, 7, T0);
        assertFalse(matrix.mergeRow(1, 0b001, 1_000, T0));
        assertEquals(0b100, matrix.row(1));
        assertEquals(7, matrix.version(1));
    }

    @Test
    void shouldKeepRowsInsideTheViewAndOffTheirOwnRank()
    {
        matrix.reset(ViewTest.viewOf(3), 0, T0);
        matrix.mergeRow(1, -1L, 1, T0);
        assertEquals(0b101, matrix.row(1));
        matrix.setOwnRow(-1L, 1, T0);
        assertEquals(0b110, matrix.row(0));
    }

    @Test
    void shouldRefuseARankOutsideTheView()
    {
        assertThrows(IllegalArgumentException.class, () -> matrix.reset(ViewTest.viewOf(3), 3, T0));
        matrix.reset(ViewTest.viewOf(3), 0, T0);
        assertThrows(IllegalArgumentException.class, () -> matrix.mergeRow(3, 0, 1, T0));
        assertThrows(IllegalArgumentException.class, () -> matrix.mergeRow(-1, 0, 1, T0));
    }

    @Test
    void shouldReadAStaleRowAsHearingNobodyButNeverItsOwn()
    {
        matrix.reset(ViewTest.viewOf(4), 0, T0);
        matrix.setOwnRow(0b0100, 1, T0);
        matrix.mergeRow(1, 0, 1, T0);
        matrix.mergeRow(2, 0b0001, 1, T0);

        long now = T0 + STALE_NS - 1;
        matrix.mergeRow(2, 0b0001, 2, now);
        long[] rows = matrix.effectiveRows(now, STALE_NS);
        assertArrayEquals(new long[] {0b0100, 0, 0b0001, 0}, java.util.Arrays.copyOf(rows, 4));

        now = T0 + STALE_NS;
        rows = matrix.effectiveRows(now, STALE_NS);
        assertEquals(0b0100, rows[0], "own row is never stale");
        assertEquals(0b1101, rows[1], "row 1 did not advance for staleNs: hears nobody");
        assertEquals(0b0001, rows[2], "row 2 advanced");
        assertEquals(0b0111, rows[3], "row 3 never arrived: stale staleNs after the install");
        assertTrue(matrix.isStale(1, now, STALE_NS));
        assertTrue(matrix.isStale(3, now, STALE_NS));
        assertFalse(matrix.isStale(2, now, STALE_NS));
        assertFalse(matrix.isStale(0, now + 10 * STALE_NS, STALE_NS));
        assertEquals(0, matrix.row(1), "the row as held is unchanged, for gossip");

        matrix.mergeRow(1, 0, 2, now);
        assertEquals(0, matrix.effectiveRows(now, STALE_NS)[1], "a row that advances again is fresh");
    }

    @Test
    void shouldReuseOneArrayAndZeroRanksPastTheView()
    {
        matrix.reset(ViewTest.viewOf(8), 0, T0);
        for (int rank = 1; rank < 8; rank++)
        {
            matrix.mergeRow(rank, 0b1, 1, T0);
        }
        final long[] first = matrix.effectiveRows(T0, STALE_NS);
        matrix.reset(ViewTest.viewOf(3), 0, T0);
        final long[] second = matrix.effectiveRows(T0, STALE_NS);
        assertSame(first, second);
        for (int rank = 3; rank < second.length; rank++)
        {
            assertEquals(0, second[rank]);
        }
    }

    @Test
    void shouldHoldTheSameRowsWhateverOrderCopiesArriveIn()
    {
        final int size = 7;
        final Random random = new Random(42);
        final List<long[]> copies = new ArrayList<>();
        final long[] latestRow = new long[size];
        for (int rank = 1; rank < size; rank++)
        {
            for (int version = 1; version <= 5; version++)
            {
                final long row = random.nextLong();
                copies.add(new long[] {rank, row, version});
                copies.add(new long[] {rank, row, version});
                if (5 == version)
                {
                    latestRow[rank] = row & View.allRanks(size) & ~(1L << rank);
                }
            }
        }
        for (int trial = 0; trial < 200; trial++)
        {
            Collections.shuffle(copies, random);
            matrix.reset(ViewTest.viewOf(size), 0, T0);
            for (final long[] copy : copies)
            {
                matrix.mergeRow((int)copy[0], copy[1], copy[2], T0);
            }
            for (int rank = 1; rank < size; rank++)
            {
                assertEquals(latestRow[rank], matrix.row(rank), "trial " + trial + " rank " + rank);
                assertEquals(5, matrix.version(rank));
            }
        }
    }

    @Test
    void shouldMergeAndAgeRowsWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        matrix.reset(ViewTest.viewOf(9), 4, T0);
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += cycle(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 20_000; i < 120_000; i++)
        {
            sum += cycle(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100000 cycles");
        assertTrue(sum != 0);
    }

    private long cycle(final int i)
    {
        final long now = T0 + i * 1_000_000L;
        matrix.setOwnRow(i & 3, i, now);
        matrix.mergeRow(i % 9, i * 31L, i, now);
        return matrix.effectiveRows(now, STALE_NS)[i % 9];
    }
}
