package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The view change this node wants, from what it sees ({@link Membership} proposes it): the cut ({@link CutDetector})
 * once its edges have settled and only if it keeps a quorum this node belongs to; the members outside it removed,
 * each for the reason this node has (its own distrust, silence, a partition, a false accusation or a lagging copy);
 * leavers removed; one laggard per view removed; and, only while every member hears every other, joiners added.
 * Reads the leavers, laggards and pending joins that {@link Membership} records as requests arrive.
 * <p>
 * Single threaded, on the node's thread; reads no clock.
 */
final class ViewPlanner
{
    private final ClusterCore core;
    private final ReachabilityMatrix matrix;
    private final Quorum quorum;
    private final LongHashSet leavers;
    private final LaggingAccusations laggards;
    private final Long2ObjectHashMap<ViewMember> pendingJoins;
    private final long nodeId;
    private final long heartbeatTimeoutNs;
    private final long settleNs;
    private final boolean keepOldest;
    private final int maxViewSize;
    private final SettledCut settledCut = new SettledCut();
    /** Scratch for {@link CutDetector#survivors}: whether the cut chose between two members by age alone. */
    private final long[] cutDecidedByAge = new long[3];
    private final LongHashSet removeScratchIds = new LongHashSet();
    private final long[] removeScratch = new long[View.MAX_MEMBERS];
    private final int[] reasonScratch = new int[View.MAX_MEMBERS];

    /**
     * @param context      the node's configuration.
     * @param core         the node's members (their distrust and lag reports).
     * @param matrix       the reachability rows.
     * @param quorum       what a view's quorum is.
     * @param leavers      members that said they leave.
     * @param laggards     members accused of lagging.
     * @param pendingJoins joiners asking to be let in, by node id.
     */
    ViewPlanner(
        final CohortContext context,
        final ClusterCore core,
        final ReachabilityMatrix matrix,
        final Quorum quorum,
        final LongHashSet leavers,
        final LaggingAccusations laggards,
        final Long2ObjectHashMap<ViewMember> pendingJoins)
    {
        this.core = core;
        this.matrix = matrix;
        this.quorum = quorum;
        this.leavers = leavers;
        this.laggards = laggards;
        this.pendingJoins = pendingJoins;
        this.nodeId = context.nodeId();
        this.heartbeatTimeoutNs = context.heartbeatTimeoutNs();
        this.settleNs = context.suspicionTimeoutNs();
        this.keepOldest = SplitStrategy.KEEP_OLDEST == context.splitStrategy();
        this.maxViewSize = maxViewSize(context);
    }

    /**
     * Starts over for a newly installed view: no cut.
     *
     * @param next  the view.
     * @param nowNs the time of the install.
     */
    void reset(final View next, final long nowNs)
    {
        settledCut.reset(next.allRanks(), nowNs);
    }

    /**
     * The members this node would keep: the cut's survivors once they have stood still long enough, if they are a
     * quorum of the view that this node belongs to; else every member.
     *
     * @param view     the installed view.
     * @param selfRank this node's rank in it.
     * @param rows     the effective reachability rows.
     * @param edges    whether any member does not hear another.
     * @param nowNs    now.
     * @return the ranks kept, as bits.
     */
    long survivors(final View view, final int selfRank, final long[] rows, final boolean edges, final long nowNs)
    {
        final long all = view.allRanks();
        if (!edges)
        {
            settledCut.observe(all, nowNs);
            return all;
        }
        final long survivors = CutDetector.survivors(
            view.size(), rows, keepOldest, cutDecidedByAge);
        final long settledSinceNs = settledCut.observe(survivors, nowNs);
        if (0 == (survivors & (1L << selfRank)) || !quorum.isQuorum(view, survivors) ||
            nowNs - settledSinceNs < settleNs(view, rows, survivors, nowNs))
        {
            // Not settled, not a group this node belongs to, or not one that could install a view: no cut yet.
            return all;
        }
        return survivors;
    }

    /**
     * How long the edges must stand still before the cut is acted on: a heartbeat timeout more when a lone accuser
     * (one row with edges, not stale) is involved, or when the cut would remove a member nobody accuses (a false
     * accuser: its accusations were outweighed). After a crash the first node to time out is alone for a while, as
     * the others' timers started from the last frame each of them read; and the others see a faulty node's lost or
     * garbled frames only at its next frames or heartbeats, which a lossy node delivers late (seed 567685: two
     * members accusing a node that lost 80 % of its packets were removed as false accusers 20 ms before the others
     * saw its gaps too). Accusers are removed only once every other member had a heartbeat timeout to agree. The
     * same when the cut chose between two members accusing each other by age alone (seed 5728: a lossy node and the
     * healthy node it accused): the rows do not yet say which is broken, and a faulty node's other edges show within
     * a heartbeat timeout.
     */
    private long settleNs(final View view, final long[] rows, final long survivors, final long nowNs)
    {
        // A member this node has not heard within the timeout (its row stale: it accuses everyone) is known silent,
        // so a tie with it is no guess (a crashed member of a view of two).
        if (0 != cutDecidedByAge[0] && !matrix.isStale((int)cutDecidedByAge[1], nowNs, heartbeatTimeoutNs) &&
            !matrix.isStale((int)cutDecidedByAge[2], nowNs, heartbeatTimeoutNs))
        {
            return settleNs + heartbeatTimeoutNs;
        }
        int accusers = 0;
        for (int rank = 0, size = view.size(); rank < size; rank++)
        {
            if (0 != rows[rank])
            {
                accusers++;
            }
        }
        if (1 == accusers)
        {
            return settleNs + heartbeatTimeoutNs;
        }
        for (long removed = view.allRanks() & ~survivors; 0 != removed; removed &= removed - 1)
        {
            if (0 == inDegree(rows, Long.numberOfTrailingZeros(removed)))
            {
                return settleNs + heartbeatTimeoutNs;
            }
        }
        return settleNs;
    }

    /**
     * This node's place in the order in which survivors take over a proposal.
     *
     * @param view      the installed view.
     * @param selfRank  this node's rank in it.
     * @param survivors the ranks {@link #survivors} keeps.
     * @return 0 for the coordinator (the lowest-ranked survivor not leaving), -1 if it must not propose (not a
     * survivor, leaving, or accused of lagging).
     */
    int positionAmongProposers(final View view, final int selfRank, final long survivors)
    {
        if (0 == (survivors & (1L << selfRank)) || leavers.contains(nodeId) || laggards.isAccused(nodeId))
        {
            return -1;
        }
        int position = 0;
        for (int rank = 0; rank < selfRank; rank++)
        {
            final long memberId = view.member(rank).nodeId();
            if (0 != (survivors & (1L << rank)) && !leavers.contains(memberId) && !laggards.isAccused(memberId))
            {
                position++;
            }
        }
        return position;
    }

    /**
     * The successor this node would propose now, or null if nothing needs to change: the members outside the
     * survivors removed, leavers removed, and (only while every member hears every other) joiners added, an older
     * incarnation of a joiner removed in the same step.
     *
     * @param view      the installed view.
     * @param selfRank  this node's rank in it.
     * @param survivors the ranks {@link #survivors} keeps.
     * @param edges     whether any member does not hear another.
     * @param rows      the effective reachability rows.
     * @param nowNs     now.
     * @return the successor, or null.
     */
    View wantedView(
        final View view, final int selfRank, final long survivors, final boolean edges, final long[] rows,
        final long nowNs)
    {
        final long all = view.allRanks();
        final LongHashSet removeIds = removeScratchIds;
        removeIds.clear();
        if (survivors == all && leavers.isEmpty() && pendingJoins.isEmpty() && laggards.isEmpty())
        {
            return null;
        }
        final long[] ids = removeScratch;
        final int[] reasons = reasonScratch;
        int removed = 0;
        boolean laggardRemoved = false;
        for (int rank = 0, size = view.size(); rank < size; rank++)
        {
            final long memberId = view.member(rank).nodeId();
            if (0 == (survivors & (1L << rank)))
            {
                ids[removed] = memberId;
                reasons[removed++] = removalReason(view, selfRank, rank, rows, nowNs);
                removeIds.add(memberId);
            }
            else if (leavers.contains(memberId))
            {
                ids[removed] = memberId;
                reasons[removed++] = ReasonCode.LEFT;
                removeIds.add(memberId);
            }
            else if (!laggardRemoved && laggards.isRemovable(view, rank, survivors, leavers))
            {
                // One laggard per view: each is removed on the word of one owner, so a second waits for the view
                // after, by which time an accuser that was itself the slow one has been judged too.
                laggardRemoved = true;
                ids[removed] = memberId;
                reasons[removed++] = ReasonCode.LAGGING;
                removeIds.add(memberId);
            }
        }
        final List<ViewMember> adds = new ArrayList<>();
        // Joiners wait while any member does not hear another: each install restarts the cut's settling, so letting
        // them in meanwhile would put off the removal a fault report is waiting for.
        if (!edges && !pendingJoins.isEmpty())
        {
            int size = view.size() - removed;
            for (final ViewMember joiner : pendingJoins.values())
            {
                if (size >= maxViewSize())
                {
                    break;
                }
                final int rank = view.rankOf(joiner.nodeId());
                if (rank >= 0)
                {
                    if (view.member(rank).incarnation() >= joiner.incarnation())
                    {
                        continue;
                    }
                    if (!removeIds.contains(joiner.nodeId()))
                    {
                        // A restart under the same node id: the old incarnation goes in the step that lets the new
                        // one in (node ids are unique within a view).
                        ids[removed] = joiner.nodeId();
                        reasons[removed++] = ReasonCode.RESTARTED;
                        removeIds.add(joiner.nodeId());
                        size--;
                    }
                }
                adds.add(joiner);
                size++;
            }
        }
        if (0 == removed && adds.isEmpty())
        {
            return null;
        }
        if (0 == view.size() - removed + adds.size())
        {
            return null;
        }
        final long[] removeNodeIds = new long[removed];
        final int[] removeReasons = new int[removed];
        System.arraycopy(ids, 0, removeNodeIds, 0, removed);
        System.arraycopy(reasons, 0, removeReasons, 0, removed);
        return view.successor(removeNodeIds, removeReasons, adds, 0);
    }

    /**
     * Why a member is cut: the fault this node saw in its stream, if it distrusts it; silence if its row went stale
     * (it hears nobody, or nobody hears it); if it accuses members nobody else does, lagging when its heartbeats said
     * it distrusts a copy whose stream lags past the bound (it is the slow receiver), else a false accusation; else
     * the partition it is on the wrong side of.
     */
    private int removalReason(final View view, final int selfRank, final int rank, final long[] rows, final long nowNs)
    {
        final Member member = core.member(view.member(rank).nodeId());
        if (null != member && member.distrustedUntilNs > nowNs)
        {
            return member.distrustReason;
        }
        if (matrix.isStale(rank, nowNs, heartbeatTimeoutNs))
        {
            return ReasonCode.SILENCE;
        }
        if (0 != inDegree(rows, rank))
        {
            return ReasonCode.PARTITION;
        }
        final boolean laggingCopy = rank == selfRank ? Membership.distrustsALaggingCopy(core.members(), nowNs) :
            null != member && member.reportedLaggingCopyNs >= 0 &&
            nowNs - member.reportedLaggingCopyNs <= heartbeatTimeoutNs;
        return laggingCopy ? ReasonCode.LAGGING : ReasonCode.FALSE_ACCUSATION;
    }

    /**
     * The most members a view may have: {@code cohort.state.max.nodes}, and under the static quorum the largest view
     * whose quorums of {@code cohort.cluster.minimum.nodes} still intersect.
     *
     * @return the bound.
     */
    int maxViewSize()
    {
        return maxViewSize;
    }

    private static int maxViewSize(final CohortContext context)
    {
        int max = Math.min(View.MAX_MEMBERS, context.stateContext().maxNodes());
        if (SplitStrategy.STATIC_QUORUM == context.splitStrategy())
        {
            // Quorums of at least q intersect only while 2q > size: the view never grows past 2q - 1.
            max = Math.min(max, 2 * context.minimumNodes() - 1);
        }
        return max;
    }

    private static int inDegree(final long[] rows, final int rank)
    {
        int in = 0;
        for (final long row : rows)
        {
            if (0 != (row & (1L << rank)))
            {
                in++;
            }
        }
        return in;
    }
}
