package io.cohort.engine;

/**
 * Which members of a view survive the current reachability: the largest group this rule finds in which every
 * member hears every other.
 * <p>
 * Input: one effective row per rank ({@link ReachabilityMatrix#effectiveRows}); edge {@code i -> j} iff bit
 * {@code j} of row {@code i} is set ({@code i} does not hear {@code j}), for {@code i != j}, both below the size.
 * Starting from S = every rank, while an edge lies inside S, the rule removes the x in S that maximises
 * {@code (blame(x), in(x) + out(x), out(x), rank(x))}, counted inside S, where {@code blame(x) = out(x) + in(x)} if
 * at least half of the others in S accuse x or x accuses anyone itself, and {@code blame(x) = 0} otherwise (x hears
 * everyone and fewer than half cannot hear it): most unreachability first (a crashed or cut-off member, whose stale
 * row accuses everyone and whom most accuse, goes first), then the accuser, then the youngest. So a member that hears
 * everyone, and that fewer than half of the others cannot hear while the rest hear it, is not the broken one: its accusers are
 * (a lone accuser with a broken receive path, or a few nodes whose incoming traffic dropped for a moment and lost
 * frames of the one member that happened to send then), so they go and it stays. A member whose sends most cannot
 * hear (a broken sender), or that cannot hear others itself (a lossy or cut-off node, a side of a cut) is weighed by
 * all its edges, as before.
 * <p>
 * What it guarantees:
 * <ul>
 *     <li>The result is a clique: the loop ends only when no edge lies inside S, so no survivor fails to hear
 *     another, and a bridge node cannot keep two groups that do not hear each other together.</li>
 *     <li>Deterministic: a function of the rows alone (ties end at the rank, which is unique), so every node that
 *     holds the same rows computes the same survivors, whatever order the rows arrived in.</li>
 *     <li>keep-oldest prefers to keep rank 0: it first runs the rule with rank 0 never chosen, and keeps that result
 *     if it is a quorum of the view (keep-oldest's quorum is keep-majority's). If it is not, rank 0 itself is the
 *     problem (crashed, or hearing nobody: every other node has an edge with it, and protecting it would leave it
 *     alone), and the rule runs again without the protection, so the others can still form a quorum.</li>
 * </ul>
 * Cost: O(n²) per removal for n members, no allocation.
 */
final class CutDetector
{
    private CutDetector()
    {
    }

    /**
     * The survivors of a view under its current reachability.
     *
     * @param size          the view's size, 0 to {@link View#MAX_MEMBERS}.
     * @param effectiveRows row per rank: the ranks that member does not hear.
     * @param keepOldest    whether the strategy is keep-oldest.
     * @return the surviving ranks as a bitmap (bit i = rank i).
     * @throws IllegalArgumentException if {@code size} is out of range or there are fewer rows than members.
     */
    static long survivors(final int size, final long[] effectiveRows, final boolean keepOldest)
    {
        return survivors(size, effectiveRows, keepOldest, null);
    }

    /**
     * The survivors of a view under its current reachability, and whether any removal among them was decided by age
     * alone: two candidates with the same blame and edges (two members accusing only each other, say), where the
     * rows do not say which is broken.
     *
     * @param size          the view's size, 0 to {@link View#MAX_MEMBERS}.
     * @param effectiveRows row per rank: the ranks that member does not hear.
     * @param keepOldest    whether the strategy is keep-oldest.
     * @param decidedByAge  null, or an array of at least 3: element 0 is set to 1 if a removal was decided by age
     *                      alone (else 0), elements 1 and 2 to the ranks of the last two members so tied.
     * @return the surviving ranks as a bitmap (bit i = rank i).
     */
    static long survivors(final int size, final long[] effectiveRows, final boolean keepOldest,
        final long[] decidedByAge)
    {
        if (null != decidedByAge)
        {
            decidedByAge[0] = 0;
        }
        if (size < 0 || size > View.MAX_MEMBERS || effectiveRows.length < size)
        {
            throw new IllegalArgumentException("size must be 0 to " + View.MAX_MEMBERS + " with a row per rank: size=" +
                size + " rows=" + effectiveRows.length);
        }
        final long all = View.allRanks(size);
        if (keepOldest && size > 0)
        {
            final long preferred = reduce(effectiveRows, all, true, decidedByAge);
            final int count = Long.bitCount(preferred);
            // rank 0 is always in the preferred result, so half of the view with it is already a quorum.
            if (2 * count >= size)
            {
                return preferred;
            }
        }
        if (null != decidedByAge)
        {
            decidedByAge[0] = 0;
        }
        return reduce(effectiveRows, all, false, decidedByAge);
    }

    /**
     * Whether an edge lies inside a set of ranks.
     *
     * @param effectiveRows row per rank.
     * @param ranks         a set of ranks.
     * @return true if some member of the set does not hear another member of it.
     */
    static boolean hasEdge(final long[] effectiveRows, final long ranks)
    {
        for (long rest = ranks; 0 != rest; rest &= rest - 1)
        {
            final int y = Long.numberOfTrailingZeros(rest);
            if (0 != (effectiveRows[y] & ranks & ~(1L << y)))
            {
                return true;
            }
        }
        return false;
    }

    private static long reduce(final long[] rows, final long start, final boolean protectOldest,
        final long[] decidedByAge)
    {
        long s = start;
        while (hasEdge(rows, s))
        {
            final int othersInS = Long.bitCount(s) - 1;
            int chosen = -1;
            int bestBlame = -1;
            int bestTotal = 0;
            int bestOut = 0;
            boolean tied = false;
            int tiedWith = -1;
            for (long candidates = protectOldest ? s & ~1L : s; 0 != candidates; candidates &= candidates - 1)
            {
                final int x = Long.numberOfTrailingZeros(candidates);
                final long bitX = 1L << x;
                final int out = Long.bitCount(rows[x] & s & ~bitX);
                int in = 0;
                for (long others = s & ~bitX; 0 != others; others &= others - 1)
                {
                    if (0 != (rows[Long.numberOfTrailingZeros(others)] & bitX))
                    {
                        in++;
                    }
                }
                final int total = in + out;
                // Accusations by fewer than half of the others do not weigh against an accused that hears everyone
                // (see the class comment).
                final int blame = out + (2 * in >= othersInS || out > 0 ? in : 0);
                // Candidates come in ascending rank, so ">=" on a full tie picks the youngest.
                if (total > 0 && blame == bestBlame && total == bestTotal && out == bestOut)
                {
                    tied = true;
                    tiedWith = chosen;
                }
                else if (total > 0 && (blame > bestBlame || blame == bestBlame && (total > bestTotal ||
                    total == bestTotal && out > bestOut)))
                {
                    tied = false;
                }
                if (total > 0 && (blame > bestBlame || blame == bestBlame && (total > bestTotal ||
                    total == bestTotal && out >= bestOut)))
                {
                    chosen = x;
                    bestBlame = blame;
                    bestTotal = total;
                    bestOut = out;
                }
            }
            // An edge inside S has two distinct ends, at least one of them a candidate: chosen is always set.
            // Only a tie between two ends of one edge is a guess: which of them survives depends on age alone. Ties
            // among members that all go (the smaller side of a cut) decide nothing.
            if (tied && null != decidedByAge &&
                (0 != (rows[chosen] & (1L << tiedWith)) || 0 != (rows[tiedWith] & (1L << chosen))))
            {
                decidedByAge[0] = 1;
                decidedByAge[1] = chosen;
                decidedByAge[2] = tiedWith;
            }
            s &= ~(1L << chosen);
        }
        return s;
    }
}
