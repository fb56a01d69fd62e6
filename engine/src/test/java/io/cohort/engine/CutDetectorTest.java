package io.cohort.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CutDetectorTest
{
    private static final long STALE_NS = 1_000_000_000L;

    /**
     * Cases: name, view size, edges, expected survivors under keep-majority, under keep-oldest. Edges: {@code i>j} =
     * i does not hear j; {@code i<>j} both ways; {@code i>*} i hears nobody (its row is stale, or its receive path
     * is broken); {@code *>j} nobody hears j; {@code A|B} every member of group A and every member of group B lose
     * each other both ways (groups as digit strings, e.g. {@code 01|34}).
     */
    static Stream<Arguments> cases()
    {
        return Stream.of(
            arguments("no edge: everyone survives", 5, "", "01234", "01234"),
            arguments("one member alone", 1, "", "0", "0"),
            arguments("crash of one: its row stale, nobody hears it", 5, "2>* *>2", "0134", "0134"),
            arguments("crash of the oldest", 5, "0>* *>0", "1234", "1234"),
            arguments("lone accuser: 1 cannot hear 3, everyone else hears both", 5, "1>3", "0234", "0234"),
            arguments("lone accuser is the oldest", 5, "0>3", "1234", "0124"),
            arguments("mutual loss between two: the younger goes", 5, "1<>3", "0124", "0124"),
            arguments("issue 15: {1,2}<->{4,5}, 3 bridging (ranks 0..4)", 5, "01|34", "012", "012"),
            arguments("one-way: 2 hears nobody, everyone hears 2", 5, "2>*", "0134", "0134"),
            arguments("one-way: the oldest hears nobody", 5, "0>*", "1234", "1234"),
            arguments("one-way: nobody hears 2, 2 hears everyone", 5, "*>2", "0134", "0134"),
            arguments("clean 2|3 with the oldest in the minority", 5, "01|234", "234", "234"),
            arguments("clean 2|2: the side of the oldest", 4, "01|23", "01", "01"),
            arguments("clean 3|2", 5, "012|34", "012", "012"),
            arguments("two partitions at once: 3|1|1", 5, "012|3 012|4 3|4", "012", "012"),
            arguments("two partitions at once: 3|2|2", 7, "012|34 012|56 34|56", "012", "012"),
            arguments("two stale rows", 5, "1>* *>1 3>* *>3", "024", "024"),
            arguments("stale rows and a cut", 6, "5>* *>5 01|34", "012", "012"),
            arguments("one bridge between three groups", 7, "01|34 01|56 34|56", "012", "012"),
            arguments("a chain 0-1-2: 0 and 2 apart", 3, "0<>2", "01", "01"),
            arguments("minority accusers (seed 2373): 3 of 8 lost frames of 5 only, the rest hear it: they go", 8,
                "1>5 4>5 6>5", "02357", "02357"),
            arguments("minority accusers with the oldest among them", 8, "0>5 3>5 6>5", "12457", "01247"),
            arguments("a majority accuses: a broken sender goes", 5, "0>3 1>3 2>3", "0124", "0124"),
            arguments("a one-way link fault to half of the others: it goes", 5, "0>3 1>3", "0124", "0124"),
            arguments("fewer than half accuse a node that hears all: the accusers go", 6, "0>3 1>3", "2345", "0245"),
            arguments("deaf flappers hear nobody: they go", 7, "1>* 4>*", "02356", "02356"),
            arguments("heavy loss: fewer than half accuse 6, which accuses one itself: it goes", 8,
                "0>6 2>6 4>6 6>1", "0123457", "0123457"),
            arguments("heavy loss (seed 303582): half of the others accuse 6, whose own row is not known yet", 7,
                "0>6 2>6 4>6", "012345", "012345")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldKeepTheExpectedClique(
        final String name, final int size, final String edges, final String keepMajority, final String keepOldest)
    {
        final long[] rows = rows(size, edges);
        final long majority = CutDetector.survivors(size, rows, false);
        final long oldest = CutDetector.survivors(size, rows, true);
        assertEquals(ranks(keepMajority), majority, "keep-majority: " + format(majority));
        assertEquals(ranks(keepOldest), oldest, "keep-oldest: " + format(oldest));
        assertFalse(CutDetector.hasEdge(rows, majority));
        assertFalse(CutDetector.hasEdge(rows, oldest));
    }

    @Test
    void shouldLeaveTheOldestAloneUnderKeepOldestOnlyIfThatIsAQuorum()
    {
        // Two members: the oldest alone is half of the view with rank 0, a quorum, so keep-oldest keeps it.
        assertEquals(0b01, CutDetector.survivors(2, rows(2, "0<>1"), true));
        assertEquals(0b01, CutDetector.survivors(2, rows(2, "0<>1"), false), "the younger goes on a tie");
        // Three: protecting a crashed oldest would leave it alone, not a quorum; the two others go on.
        assertEquals(0b110, CutDetector.survivors(3, rows(3, "0>* *>0"), true));
    }

    @Test
    void shouldSayWhenItChoseBetweenTwoMembersAccusingEachOtherByAgeAlone()
    {
        final long[] byAge = { -1, -1, -1 };
        // Two of four accuse each other, the others hear everyone: which of the two is broken is a guess.
        assertEquals(0b1101, CutDetector.survivors(4, rows(4, "0<>1"), false, byAge));
        assertEquals(1, byAge[0]);
        // The lossy one accuses a third member too: its edges decide, not its age.
        assertEquals(0b1110, CutDetector.survivors(4, rows(4, "0<>1 0>2"), false, byAge));
        assertEquals(0, byAge[0]);
        // The smaller side of a cut: ties among members that all go decide nothing.
        assertEquals(0b11100, CutDetector.survivors(5, rows(5, "0<>2 0<>3 0<>4 1<>2 1<>3 1<>4"), false, byAge));
        assertEquals(0, byAge[0]);
    }

    @Test
    void shouldIgnoreTheDiagonalAndBitsPastTheView()
    {
        final long[] rows = new long[64];
        rows[0] = 0b1 | 1L << 5;
        rows[1] = 0b10 | -1L << 3;
        rows[2] = 0b100;
        assertEquals(0b111, CutDetector.survivors(3, rows, false));
        assertFalse(CutDetector.hasEdge(rows, 0b111));
    }

    @Test
    void shouldRefuseASizeWithoutRows()
    {
        assertThrows(IllegalArgumentException.class, () -> CutDetector.survivors(4, new long[3], false));
        assertThrows(IllegalArgumentException.class, () -> CutDetector.survivors(65, new long[65], false));
        assertEquals(0, CutDetector.survivors(0, new long[0], true));
    }

    @Test
    void shouldMatchAPlainReadingOfTheRuleOnRandomMatrices()
    {
        final Random random = new Random(15);
        for (int trial = 0; trial < 20_000; trial++)
        {
            final int size = 1 + random.nextInt(12);
            final long[] rows = new long[size];
            final double density = random.nextDouble() * 0.4;
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    if (random.nextDouble() < density)
                    {
                        rows[i] |= 1L << j;
                    }
                }
            }
            for (final boolean keepOldest : new boolean[] {false, true})
            {
                final long survivors = CutDetector.survivors(size, rows, keepOldest);
                assertEquals(reference(size, rows, keepOldest), survivors, "trial " + trial);
                assertFalse(CutDetector.hasEdge(rows, survivors), "the survivors are a clique");
                assertTrue(0 != survivors || 0 == size, "someone always survives");
            }
        }
    }

    @Test
    void shouldDecideTheSameWhateverOrderTheRowsArrivedIn()
    {
        // The cut: nodes 1,2 (ranks 0,1) and 4,5 (ranks 3,4) lose each other; 3 (rank 2) hears everyone.
        // Node 1 learns rows 3 and 4 only through node 3's gossip, in any order, with older copies mixed in.
        final int size = 5;
        final long[] finalRows = rows(size, "01|34");
        final List<long[]> copies = new ArrayList<>();
        for (int rank = 1; rank < size; rank++)
        {
            copies.add(new long[] {rank, 0, 1});
            copies.add(new long[] {rank, finalRows[rank] & 0b00110, 2});
            copies.add(new long[] {rank, finalRows[rank], 3});
            copies.add(new long[] {rank, finalRows[rank], 3});
        }
        final Random random = new Random(3);
        final ReachabilityMatrix matrix = new ReachabilityMatrix();
        for (int trial = 0; trial < 500; trial++)
        {
            Collections.shuffle(copies, random);
            matrix.reset(ViewTest.viewOf(size), 0, 0);
            matrix.setOwnRow(finalRows[0], 3, 0);
            for (final long[] copy : copies)
            {
                matrix.mergeRow((int)copy[0], copy[1], copy[2], 0);
            }
            final long[] rows = matrix.effectiveRows(1, STALE_NS);
            assertEquals(ranks("012"), CutDetector.survivors(size, rows, false), "trial " + trial);
            assertEquals(ranks("012"), CutDetector.survivors(size, rows, true), "trial " + trial);
        }
    }

    @Test
    void shouldCountAStaleRowAsHearingNobodyThroughTheMatrix()
    {
        final ReachabilityMatrix matrix = new ReachabilityMatrix();
        matrix.reset(ViewTest.viewOf(4), 0, 0);
        for (long t = 0; t <= 2 * STALE_NS; t += STALE_NS / 10)
        {
            matrix.setOwnRow(t > STALE_NS / 2 ? 0b1000 : 0, t, t);
            matrix.mergeRow(1, t > STALE_NS / 2 ? 0b1000 : 0, t, t);
            matrix.mergeRow(2, t > STALE_NS / 2 ? 0b1000 : 0, t, t);
            if (t < STALE_NS / 2)
            {
                matrix.mergeRow(3, 0, t, t);
            }
        }
        // Rank 3 crashed: the others report it, and its own row has not advanced for staleNs.
        assertTrue(matrix.isStale(3, 2 * STALE_NS, STALE_NS));
        assertEquals(0b0111, CutDetector.survivors(4, matrix.effectiveRows(2 * STALE_NS, STALE_NS), false));
    }

    @Test
    void shouldDecideWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long[][] matrices = {
            rows(5, "01|34"), rows(7, "012|34 012|56 34|56"), rows(9, "0>* *>0 2>5"), rows(9, "")};
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += CutDetector.survivors(matrices[i & 3].length, matrices[i & 3], 0 != (i & 4));
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            sum += CutDetector.survivors(matrices[i & 3].length, matrices[i & 3], 0 != (i & 4));
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100000 decisions");
        assertTrue(sum != 0);
    }

    /** The rule as written, with count arrays and no bit tricks, to check the allocation-free version against. */
    private static long reference(final int size, final long[] rows, final boolean keepOldest)
    {
        if (keepOldest)
        {
            final boolean[] kept = referenceReduce(size, rows, true);
            int count = 0;
            for (final boolean k : kept)
            {
                count += k ? 1 : 0;
            }
            if (2 * count >= size)
            {
                return toBits(kept);
            }
        }
        return toBits(referenceReduce(size, rows, false));
    }

    private static boolean[] referenceReduce(final int size, final long[] rows, final boolean protectOldest)
    {
        final boolean[] in = new boolean[size];
        java.util.Arrays.fill(in, true);
        while (true)
        {
            final int[] inDegree = new int[size];
            final int[] outDegree = new int[size];
            boolean anyEdge = false;
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    if (i != j && in[i] && in[j] && 0 != (rows[i] & 1L << j))
                    {
                        outDegree[i]++;
                        inDegree[j]++;
                        anyEdge = true;
                    }
                }
            }
            if (!anyEdge)
            {
                return in;
            }
            int members = 0;
            for (int i = 0; i < size; i++)
            {
                members += in[i] ? 1 : 0;
            }
            final int[] blame = new int[size];
            for (int i = 0; i < size; i++)
            {
                // Accused by at least half of the other members, or accusing someone itself: the accusations count
                // against it.
                blame[i] = outDegree[i] + (2 * inDegree[i] >= members - 1 || outDegree[i] > 0 ? inDegree[i] : 0);
            }
            int chosen = -1;
            for (int x = 0; x < size; x++)
            {
                if (!in[x] || protectOldest && 0 == x || 0 == inDegree[x] + outDegree[x])
                {
                    continue;
                }
                if (chosen < 0)
                {
                    chosen = x;
                    continue;
                }
                final int total = inDegree[x] + outDegree[x];
                final int bestTotal = inDegree[chosen] + outDegree[chosen];
                if (blame[x] > blame[chosen] || blame[x] == blame[chosen] &&
                    (total > bestTotal || total == bestTotal && outDegree[x] >= outDegree[chosen]))
                {
                    chosen = x;
                }
            }
            in[chosen] = false;
        }
    }

    private static long toBits(final boolean[] kept)
    {
        long bits = 0;
        for (int i = 0; i < kept.length; i++)
        {
            bits |= kept[i] ? 1L << i : 0;
        }
        return bits;
    }

    static long[] rows(final int size, final String edges)
    {
        final long[] rows = new long[size];
        final long all = View.allRanks(size);
        for (final String edge : edges.trim().split("\\s+"))
        {
            if (edge.isEmpty())
            {
                continue;
            }
            if (edge.contains("|"))
            {
                final String[] groups = edge.split("\\|");
                for (final char a : groups[0].toCharArray())
                {
                    for (final char b : groups[1].toCharArray())
                    {
                        rows[a - '0'] |= 1L << (b - '0');
                        rows[b - '0'] |= 1L << (a - '0');
                    }
                }
            }
            else if (edge.contains("<>"))
            {
                final int i = edge.charAt(0) - '0';
                final int j = edge.charAt(3) - '0';
                rows[i] |= 1L << j;
                rows[j] |= 1L << i;
            }
            else if (edge.endsWith(">*"))
            {
                final int i = edge.charAt(0) - '0';
                rows[i] |= all & ~(1L << i);
            }
            else if (edge.startsWith("*>"))
            {
                final int j = edge.charAt(2) - '0';
                for (int i = 0; i < size; i++)
                {
                    rows[i] |= i != j ? 1L << j : 0;
                }
            }
            else
            {
                rows[edge.charAt(0) - '0'] |= 1L << (edge.charAt(2) - '0');
            }
        }
        return rows;
    }

    private static long ranks(final String digits)
    {
        long bits = 0;
        for (final char c : digits.toCharArray())
        {
            bits |= 1L << (c - '0');
        }
        return bits;
    }

    private static String format(final long bits)
    {
        final StringBuilder sb = new StringBuilder();
        for (long rest = bits; 0 != rest; rest &= rest - 1)
        {
            sb.append(Long.numberOfTrailingZeros(rest));
        }
        return sb.toString();
    }
}
