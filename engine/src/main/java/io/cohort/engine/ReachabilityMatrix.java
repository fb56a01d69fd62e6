package io.cohort.engine;

import java.util.Arrays;

/**
 * Who hears whom in the installed view, as this node knows it: one row per rank, the bitmap of the ranks that
 * member does <em>not</em> hear, each with its version (its origin's heartbeat sequence).
 * <p>
 * What it guarantees:
 * <ul>
 *     <li>Every node converges on the same rows: rows are gossiped (every heartbeat carries all of them) and a node
 *     keeps, per row, the one of highest version, whatever order the copies arrive in. Only the origin writes
 *     its row, and its versions only grow, so "highest version" is "latest".</li>
 *     <li>A silent origin cannot keep a stale row alive: a row whose version has not advanced for {@code staleNs}
 *     reads as "hears nobody" ({@link #effectiveRows}). A crashed or cut-off member therefore accuses everyone
 *     and is removed by {@link CutDetector} as the most unreachable node. This node's own row is never stale.</li>
 * </ul>
 * Bits of a row are kept inside the view and off the row's own rank (a member always hears itself). Ranks come
 * from the view given to {@link #reset}; rows of another view are meaningless, so a reset forgets them all.
 * Pure and allocation-free after construction: times come in as arguments.
 */
final class ReachabilityMatrix
{
    /** The version of a row never received. */
    static final long NO_VERSION = -1;

    private final long[] rows = new long[View.MAX_MEMBERS];
    private final long[] versions = new long[View.MAX_MEMBERS];
    private final long[] advancedNs = new long[View.MAX_MEMBERS];
    private final long[] effective = new long[View.MAX_MEMBERS];
    private int size;
    private int selfRank = -1;
    private long allRanks;

    /**
     * Starts over for a newly installed view: every row "hears everyone", no version, fresh as of {@code nowNs}.
     *
     * @param view     the installed view.
     * @param selfRank this node's rank in it.
     * @param nowNs    the time of the install.
     * @throws IllegalArgumentException if {@code selfRank} is not a rank of the view.
     */
    void reset(final View view, final int selfRank, final long nowNs)
    {
        if (selfRank < 0 || selfRank >= view.size())
        {
            throw new IllegalArgumentException("selfRank is not a rank of the view: selfRank=" + selfRank +
                " size=" + view.size());
        }
        this.size = view.size();
        this.selfRank = selfRank;
        this.allRanks = view.allRanks();
        Arrays.fill(rows, 0L);
        Arrays.fill(versions, NO_VERSION);
        Arrays.fill(advancedNs, nowNs);
        Arrays.fill(effective, 0L);
    }

    int size()
    {
        return size;
    }

    int selfRank()
    {
        return selfRank;
    }

    /**
     * Sets this node's own row.
     *
     * @param unreachableBits the ranks this node does not hear.
     * @param version         this node's current heartbeat sequence.
     * @param nowNs           now.
     */
    void setOwnRow(final long unreachableBits, final long version, final long nowNs)
    {
        rows[selfRank] = unreachableBits & allRanks & ~(1L << selfRank);
        versions[selfRank] = version;
        advancedNs[selfRank] = nowNs;
    }

    /**
     * Merges a copy of another member's row, received from it or gossiped by anyone.
     *
     * @param rank            the row's origin.
     * @param unreachableBits the ranks the origin does not hear.
     * @param version         the origin's heartbeat sequence when it wrote the row.
     * @param nowNs           now.
     * @return true if the copy was newer than the one held (and replaced it).
     * @throws IllegalArgumentException if {@code rank} is not a rank of the view.
     */
    boolean mergeRow(final int rank, final long unreachableBits, final long version, final long nowNs)
    {
        if (rank < 0 || rank >= size)
        {
            throw new IllegalArgumentException("rank is not a rank of the view: rank=" + rank + " size=" + size);
        }
        // Only the origin writes its row: a copy of this node's own row is never newer than what it holds.
        if (rank == selfRank || version <= versions[rank])
        {
            return false;
        }
        rows[rank] = unreachableBits & allRanks & ~(1L << rank);
        versions[rank] = version;
        advancedNs[rank] = nowNs;
        return true;
    }

    /**
     * A row as held (not aged), for gossip.
     *
     * @param rank a rank.
     * @return the ranks its origin does not hear.
     */
    long row(final int rank)
    {
        return rows[rank];
    }

    /**
     * A row's version, for gossip.
     *
     * @param rank a rank.
     * @return the version, or {@link #NO_VERSION} if never received.
     */
    long version(final int rank)
    {
        return versions[rank];
    }

    /**
     * Whether a row has not advanced for {@code staleNs} (its origin is silent to everyone this node hears from).
     *
     * @param rank    a rank.
     * @param nowNs   now.
     * @param staleNs the heartbeat timeout.
     * @return true if stale; never for this node's own row.
     */
    boolean isStale(final int rank, final long nowNs, final long staleNs)
    {
        return rank != selfRank && nowNs - advancedNs[rank] >= staleNs;
    }

    /**
     * The rows as {@link CutDetector} must read them: a stale row reads as "hears nobody".
     *
     * @param nowNs   now.
     * @param staleNs the heartbeat timeout.
     * @return one array reused by every call, index = rank, entries past the view's size 0.
     */
    long[] effectiveRows(final long nowNs, final long staleNs)
    {
        for (int rank = 0; rank < size; rank++)
        {
            effective[rank] = isStale(rank, nowNs, staleNs) ? allRanks & ~(1L << rank) : rows[rank];
        }
        return effective;
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("ReachabilityMatrix{size=").append(size)
            .append(", self=").append(selfRank);
        for (int rank = 0; rank < size; rank++)
        {
            sb.append(", ").append(rank).append(':').append(Long.toBinaryString(rows[rank]))
                .append('@').append(versions[rank]);
        }
        return sb.append('}').toString();
    }
}
