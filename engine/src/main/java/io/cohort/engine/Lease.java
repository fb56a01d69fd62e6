package io.cohort.engine;

import java.util.Arrays;

/**
 * This node's right to serve, from the echoes of its own heartbeats: it may serve while a quorum of its view has
 * recently received one of them.
 * <p>
 * Each heartbeat this node sends carries a sequence; each member's heartbeat echoes the last sequence it received
 * from this node. This class keeps the send times of the last {@link #HISTORY} heartbeats and, per rank, the
 * highest sequence echoed. With {@code s*} the largest own sequence that a quorum (this node included, with its
 * latest sequence) has echoed, the lease expires at {@code sendTime(s*) + leaseNs}, on this node's own clock.
 * <p>
 * The bound it guarantees, with clock rates in {@code [1 - ρ, 1 + ρ]}: every echo of {@code s*} was received after
 * {@code s*} was sent, so this node stops serving at most {@code leaseNs / (1 - ρ)} real time after the last
 * receipt of its heartbeats by a quorum. Once every member of an accepting quorum A has accepted a view without
 * this node, none of A echoes it and the others are fewer than a quorum ({@link Quorum}: quorums intersect), so no
 * newer sequence can qualify; a committer that waits {@link #commitWaitNs} after the accepting quorum's reports
 * ({@code leaseNs (1 + ρ) / (1 - ρ)} on its own clock, less the time since it was last heard) therefore installs the
 * new view only after this node's lease has ended in real time: two serving views never overlap. A node resumed
 * from a long pause has only old echoes, so its lease is over at its first check, before it handles anything.
 * <p>
 * A view in which this node alone is a quorum (a view of one) needs nobody's echo: no other group can decide for
 * that view, so the lease never expires. Pure and allocation-free: times come in as arguments.
 */
final class Lease
{
    /** How many of its last heartbeats this node remembers the send time of. */
    static final int HISTORY = 64;

    /** The echo of a member that has echoed nothing yet. */
    static final long NO_ECHO = Long.MIN_VALUE;

    private final long leaseNs;
    private final long[] sentSeqs = new long[HISTORY];
    private final long[] sentTimesNs = new long[HISTORY];
    private int sentCount;
    private int newestIndex = HISTORY - 1;
    private long latestSentSeq = Long.MIN_VALUE;
    private long[] echoes = new long[View.MAX_MEMBERS];
    private long[] spareEchoes = new long[View.MAX_MEMBERS];
    private View view;
    private int selfRank = -1;
    private int size;

    /**
     * A lease.
     *
     * @param leaseNs {@code cohort.lease.timeout}, on this node's clock.
     * @throws IllegalArgumentException if not positive.
     */
    Lease(final long leaseNs)
    {
        if (leaseNs <= 0)
        {
            throw new IllegalArgumentException("leaseNs must be positive: leaseNs=" + leaseNs);
        }
        this.leaseNs = leaseNs;
        Arrays.fill(echoes, NO_ECHO);
        Arrays.fill(spareEchoes, NO_ECHO);
    }

    long leaseNs()
    {
        return leaseNs;
    }

    /**
     * Moves to a newly installed view. The echoes of members of the previous view that are still members (same node
     * id and incarnation) are kept under their new ranks; every other echo is forgotten. Keeping them is safe: an
     * echo records a receipt by that member, whatever view it was received in, and the commit wait counts from the
     * last receipt; forgetting them would drop the lease of every node for a heartbeat round trip at each install.
     *
     * @param view     the installed view.
     * @param selfRank this node's rank in it.
     * @throws IllegalArgumentException if {@code selfRank} is not a rank of the view.
     */
    void reset(final View view, final int selfRank)
    {
        if (selfRank < 0 || selfRank >= view.size())
        {
            throw new IllegalArgumentException("selfRank is not a rank of the view: selfRank=" + selfRank +
                " size=" + view.size());
        }
        final long[] next = spareEchoes;
        Arrays.fill(next, NO_ECHO);
        final View previous = this.view;
        if (null != previous)
        {
            for (int rank = 0; rank < view.size(); rank++)
            {
                final ViewMember member = view.member(rank);
                final int oldRank = previous.rankOf(member.nodeId());
                if (oldRank >= 0 && oldRank != this.selfRank &&
                    previous.member(oldRank).incarnation() == member.incarnation())
                {
                    next[rank] = echoes[oldRank];
                }
            }
        }
        next[selfRank] = NO_ECHO;
        spareEchoes = echoes;
        echoes = next;
        this.view = view;
        this.selfRank = selfRank;
        this.size = view.size();
    }

    /**
     * Records a heartbeat this node sent.
     *
     * @param heartbeatSeq its sequence, above every earlier one.
     * @param sendTimeNs   when it was sent.
     * @throws IllegalArgumentException if the sequence does not increase.
     */
    void onHeartbeatSent(final long heartbeatSeq, final long sendTimeNs)
    {
        if (sentCount > 0 && heartbeatSeq <= latestSentSeq)
        {
            throw new IllegalArgumentException("heartbeat sequences must increase: heartbeatSeq=" + heartbeatSeq +
                " latest=" + latestSentSeq);
        }
        newestIndex = (newestIndex + 1) & (HISTORY - 1);
        sentSeqs[newestIndex] = heartbeatSeq;
        sentTimesNs[newestIndex] = sendTimeNs;
        latestSentSeq = heartbeatSeq;
        if (sentCount < HISTORY)
        {
            sentCount++;
        }
    }

    /**
     * Records that a member echoed one of this node's heartbeats.
     *
     * @param rank      the member's rank in the installed view.
     * @param echoedSeq the last sequence of this node it received.
     * @return true if it raised that member's echo; an echo of a sequence never sent (a previous incarnation's,
     *         say) is ignored, as it proves no receipt.
     */
    boolean onEcho(final int rank, final long echoedSeq)
    {
        if (rank < 0 || rank >= size)
        {
            throw new IllegalArgumentException("rank is not a rank of the view: rank=" + rank + " size=" + size);
        }
        if (rank == selfRank || 0 == sentCount || echoedSeq > latestSentSeq || echoedSeq <= echoes[rank])
        {
            return false;
        }
        echoes[rank] = echoedSeq;
        return true;
    }

    /**
     * The highest sequence a member has echoed.
     *
     * @param rank a rank.
     * @return the sequence, or {@link #NO_ECHO}.
     */
    long echo(final int rank)
    {
        return echoes[rank];
    }

    long latestSentSeq()
    {
        return latestSentSeq;
    }

    /**
     * When the lease ends.
     *
     * @param quorum the quorum rule.
     * @return {@code sendTime(s*) + leaseNs}; {@link Long#MAX_VALUE} if this node alone is a quorum;
     *         {@link Long#MIN_VALUE} if no sequence has been echoed by a quorum, or the one that has is older than
     *         the last {@link #HISTORY} sends (its send time is unknown, so no lease is claimed).
     */
    long expiryNs(final Quorum quorum)
    {
        if (null == view)
        {
            return Long.MIN_VALUE;
        }
        final long selfBit = 1L << selfRank;
        if (quorum.isQuorum(size, selfBit))
        {
            return Long.MAX_VALUE;
        }

        // The set {ranks whose echo >= s} only grows as s falls, and quorums are monotone: the largest echoed value
        // whose set is a quorum is s*.
        long best = NO_ECHO;
        for (int rank = 0; rank < size; rank++)
        {
            final long candidate = echoes[rank];
            if (candidate <= best || rank == selfRank)
            {
                continue;
            }
            long set = selfBit;
            for (int other = 0; other < size; other++)
            {
                if (echoes[other] >= candidate)
                {
                    set |= 1L << other;
                }
            }
            if (quorum.isQuorum(size, set))
            {
                best = candidate;
            }
        }
        if (NO_ECHO == best)
        {
            return Long.MIN_VALUE;
        }
        final int index = indexOfSent(best);
        return index < 0 ? Long.MIN_VALUE : sentTimesNs[index] + leaseNs;
    }

    /**
     * Whether this node holds a lease in a successor of its view that it accepted: the echoes of the members that
     * stay (same node id and incarnation), counted under the successor's ranks, must make a quorum of it.
     *
     * @param next   the successor.
     * @param nowNs  now, on this node's clock.
     * @param quorum the quorum rule.
     * @return false if this node is not in {@code next}, or no quorum of it echoed a heartbeat within the lease.
     */
    boolean validIn(final View next, final long nowNs, final Quorum quorum)
    {
        if (null == view)
        {
            return false;
        }
        final ViewMember self = view.member(selfRank);
        final int selfNext = next.rankOf(self.nodeId());
        if (selfNext < 0 || next.member(selfNext).incarnation() != self.incarnation())
        {
            return false;
        }
        final long selfBit = 1L << selfNext;
        if (quorum.isQuorum(next.size(), selfBit))
        {
            return true;
        }
        long best = NO_ECHO;
        for (int rank = 0; rank < size; rank++)
        {
            final long candidate = echoes[rank];
            if (candidate <= best || rank == selfRank)
            {
                continue;
            }
            long set = selfBit;
            for (int other = 0; other < size; other++)
            {
                if (other != selfRank && echoes[other] >= candidate)
                {
                    final ViewMember member = view.member(other);
                    final int nextRank = next.rankOf(member.nodeId());
                    if (nextRank >= 0 && next.member(nextRank).incarnation() == member.incarnation())
                    {
                        set |= 1L << nextRank;
                    }
                }
            }
            if (quorum.isQuorum(next.size(), set))
            {
                best = candidate;
            }
        }
        if (NO_ECHO == best)
        {
            return false;
        }
        final int index = indexOfSent(best);
        return index >= 0 && nowNs < sentTimesNs[index] + leaseNs;
    }

    /**
     * Whether this node may serve now.
     *
     * @param nowNs  now, on this node's clock.
     * @param quorum the quorum rule.
     * @return true if {@code nowNs} is before {@link #expiryNs}.
     */
    boolean valid(final long nowNs, final Quorum quorum)
    {
        return nowNs < expiryNs(quorum);
    }

    /**
     * How long a committer waits before installing a view that removes members, so that their leases have ended in
     * real time: {@code max(0, ceil(leaseNs (1 + drift) / (1 - drift)) - minElapsedSinceHeardNs)}.
     *
     * @param leaseNs                {@code cohort.lease.timeout}.
     * @param drift                  {@code cohort.clock.drift} ρ, the bound on clock-rate error, in {@code [0, 1)}.
     * @param minElapsedSinceHeardNs over the accepting quorum, the least time since one of them last heard a removed
     *                               member, as measured on their clocks.
     * @return the wait on the committer's clock.
     * @throws IllegalArgumentException if {@code leaseNs} is negative or {@code drift} out of range.
     */
    static long commitWaitNs(final long leaseNs, final double drift, final long minElapsedSinceHeardNs)
    {
        if (leaseNs < 0 || !(drift >= 0.0 && drift < 1.0))
        {
            throw new IllegalArgumentException(
                "leaseNs must be >= 0 and drift in [0, 1): leaseNs=" + leaseNs + " drift=" + drift);
        }
        final long boundNs = (long)Math.ceil(leaseNs * ((1.0 + drift) / (1.0 - drift)));
        return Math.max(0, boundNs - Math.max(0, minElapsedSinceHeardNs));
    }

    private int indexOfSent(final long seq)
    {
        int index = newestIndex;
        for (int i = 0; i < sentCount; i++)
        {
            final long sent = sentSeqs[index];
            if (sent == seq)
            {
                return index;
            }
            if (sent < seq)
            {
                return -1;
            }
            index = (index - 1) & (HISTORY - 1);
        }
        return -1;
    }
}
