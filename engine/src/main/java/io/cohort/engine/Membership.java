package io.cohort.engine;

import io.cohort.codec.ChangeRequestDecoder;
import io.cohort.codec.CommandStatus;
import io.cohort.codec.ReasonCode;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Who is in the cluster, decided by agreed views instead of by each node alone.
 * <p>
 * <b>Views.</b> Membership is a chain of {@link View}s: every change (a join, a leave, a removal) is the view of
 * epoch {@code e + 1}, agreed by a single-decree Paxos ({@link ViewProposer}, {@link ViewAcceptor}) among the members
 * of view {@code e}, and installed by a node only once chosen. Two quorums of one view intersect ({@link Quorum}), so
 * a view has at most one successor, and no node ever applies a membership change a quorum did not agree to.
 * <p>
 * <b>The fence.</b> A member serves only while its {@link Lease} holds: a quorum of its view echoed one of its
 * heartbeats within the lease. An acceptor stops echoing the members a value it accepted removes, and the committer
 * of a removal waits {@link Lease#commitWaitNs} before installing it, so a removed node has stopped serving before
 * the view without it exists: two serving views never overlap.
 * <p>
 * <b>Cuts.</b> Each member's row of who it does not hear (silence past the heartbeat timeout, or a copy it distrusts
 * after a fault in the member's stream) is gossiped in every heartbeat ({@link ReachabilityMatrix},
 * {@link ViewHeartbeats}); once the edges have settled, {@link CutDetector} keeps the largest group in which
 * everyone hears everyone, removing the most disconnected first, then the accuser, then the youngest. So a bridge
 * node cannot keep two groups that do not hear each other together, a lone accuser with a broken receive path is the
 * one that goes, and a crashed node (whose row goes stale: it "hears nobody") goes first. Only a group that is a
 * quorum of the view proposes. The successor this node wants, and why each member leaves it, is
 * {@link ViewPlanner}'s.
 * <p>
 * <b>Who proposes.</b> The lowest-ranked survivor that is not leaving (the coordinator) proposes at once; the others
 * after a round timeout per rank ahead of them, so a crashed or slow coordinator delays a change but never blocks it.
 * A node that accepted a value that was never installed proposes again, so that an epoch half decided is finished
 * (an acceptor stops echoing the members that value removes, which must not last).
 * <p>
 * <b>Joins.</b> A joiner observes the view it was told of (it syncs every member's rows), then asks every member to
 * let it in; the coordinator adds it (and removes an older incarnation of the same node id in the same step). Leaves
 * are announced on the leaver's stream and become a view without it; the leaver stays an acceptor until then.
 * <p>
 * <b>Laggards.</b> An owner whose replica stays behind its stream past {@code cohort.flow.lagging.after}
 * ({@link FlowControl}) accuses it ({@link #accuseLagging}): a {@link ChangeRequestDecoder#KIND_LAGGING} request to
 * every other member, renewed every heartbeat interval while the lag lasts and forgotten a heartbeat timeout after
 * the last renewal. The proposer removes the accused with reason {@link ReasonCode#LAGGING} in the next view, agreed
 * like any other. Unlike a fault, a lag is not a reachability edge: the cut would take a lone accuser for the broken
 * one, whereas here the owner is the only node that can measure the lag, and the one behind is the one removed. So
 * that the owner is never removed for it: one laggard per view, an accuser that is itself accused is not heard (two
 * nodes that each lag behind the other remove neither), and an accused member does not propose.
 * <p>
 * Single threaded, on the node's thread; reads no clock (time comes in as arguments).
 */
final class Membership
{
    /** Bound on clock-rate error between nodes, ρ: monotonic clocks drift far less, VM steal distorts more. */
    static final double CLOCK_DRIFT = 0.005;

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final CohortContext context;
    private final ClusterCore core;
    private final Transport transport;
    private final ViewMessages messages;
    private final long nodeId;
    private final long incarnation;
    private final ViewMember self;
    private final Quorum quorum;
    private final Lease lease;
    private final ReachabilityMatrix matrix = new ReachabilityMatrix();
    private final ViewHeartbeats heartbeats;
    private final ViewAgreement agreement;
    private final long heartbeatTimeoutNs;
    private final long roundTimeoutNs;
    private final long distrustNs;
    private final long decisionBoundNs;
    private final Long2ObjectHashMap<ViewMember> pendingJoins = new Long2ObjectHashMap<>();
    private final Long2LongHashMap pendingJoinSeenNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongHashSet leavers = new LongHashSet();
    /** Members accused of lagging, by node id (views change a few times a minute: allocating here is harmless). */
    private final LaggingAccusations laggards = new LaggingAccusations();
    private final ViewPlanner planner;
    private final ChangeRequestDecoder changeDecoder = new ChangeRequestDecoder();
    private final RateLimitedWarnings warnings;

    private View view;
    private int selfRank = -1;
    /** Epoch of the first view of its lineage that listed this node. */
    private long joinedEpoch;
    /** The view a joiner was told of and syncs with, before it is a member. */
    private View observed;
    private long correlationIds;
    private long changeSinceNs = -1;
    private long proposedAtNs;
    /** Why this node asks its view to dissolve (a winning instance found through the seeds), or null. */
    private String dissolveWhy;
    /** Until when the request stands: the prober renews it every round while the winner answers. */
    private long dissolveUntilNs;
    private long acceptedSinceNs = -1;
    private long nextQueryNs;
    private long nextJoinRequestNs;
    private long laggingAccusations;
    private long lastLaggingAccusedId;
    private long lastLaggingAccusedIncarnation;
    private long nextLaggingRequestNs;

    Membership(
        final CohortContext context,
        final ClusterCore core,
        final Transport transport,
        final ViewMessages messages,
        final ViewMember self)
    {
        this.context = context;
        this.core = core;
        this.transport = transport;
        this.messages = messages;
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.self = self;
        this.quorum = new Quorum(context.splitStrategy(), context.minimumNodes());
        this.heartbeatTimeoutNs = context.heartbeatTimeoutNs();
        this.lease = new Lease(leaseNs(context));
        this.roundTimeoutNs = 3 * context.heartbeatIntervalNs();
        // The slowest decision a fault report leads to: the others' copy faults confirmed (a copy unsynced for T,
        // ClusterCore#onDesync), a lone accuser's settling (T + S), the commit wait of a node still heard (its whole
        // lease), and a round trip of heartbeats for the rows to spread and of the agreement.
        this.decisionBoundNs = 2 * heartbeatTimeoutNs + context.suspicionTimeoutNs() +
            Lease.commitWaitNs(lease.leaseNs(), CLOCK_DRIFT, 0) + 2 * context.heartbeatIntervalNs();
        // A distrusted copy's edge outlasts that decision.
        this.distrustNs = decisionBoundNs + heartbeatTimeoutNs;
        this.planner = new ViewPlanner(context, core, matrix, quorum, leavers, laggards, pendingJoins);
        this.agreement = new ViewAgreement(context, core, this, transport, messages, quorum, lease.leaseNs(),
            roundTimeoutNs);
        this.heartbeats = new ViewHeartbeats(core, this, matrix, lease, heartbeatTimeoutNs, nodeId);
        this.warnings = new RateLimitedWarnings(LOG::warn, core::nowNs, RateLimitedWarnings.DEFAULT_BURST,
            RateLimitedWarnings.DEFAULT_INTERVAL_NS);
    }

    /**
     * The lease: as long as it can be while a removal after silence needs no commit wait, i.e.
     * {@code L (1 + ρ) / (1 - ρ) + heartbeat interval <= heartbeat timeout}.
     */
    static long leaseNs(final CohortContext context)
    {
        final double k = (1.0 + CLOCK_DRIFT) / (1.0 - CLOCK_DRIFT);
        return Math.max(1, (long)((context.heartbeatTimeoutNs() - context.heartbeatIntervalNs()) / k));
    }

    // ---------------------------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------------------------

    ViewAgreement agreement()
    {
        return agreement;
    }

    /**
     * @return what this node's heartbeats carry of the view, and what a member's heartbeat tells it.
     */
    ViewHeartbeats heartbeats()
    {
        return heartbeats;
    }

    boolean isMember()
    {
        return null != view;
    }

    View view()
    {
        return view;
    }

    long joinedEpoch()
    {
        return joinedEpoch;
    }

    View observed()
    {
        return observed;
    }

    /**
     * When {@link #leaseValid} turns false if no echo and no view arrives meanwhile, so that a node with nothing to
     * do wakes for its fence on time.
     *
     * @param nowNs the current time.
     * @return the lease's expiry ({@link Long#MAX_VALUE} in a view where this node alone is a quorum); {@code nowNs}
     *         while this node has accepted a successor (validity then also depends on that view's quorums).
     */
    long leaseExpiryNs(final long nowNs)
    {
        if (null == view)
        {
            return Long.MIN_VALUE;
        }
        return agreement.hasAccepted() ? nowNs : lease.expiryNs(quorum);
    }

    boolean leaseValid(final long nowNs)
    {
        if (null == view || !lease.valid(nowNs, quorum))
        {
            return false;
        }
        // A node that accepted a successor must also hold a quorum of it: once that successor is chosen, its members
        // serve on its quorums, which need not meet a quorum of this view (seed 575418: n3 accepted {2,3}, whose
        // committer n2, its oldest member, then served alone as half of it, while n3 served on in {1,2,3} with the
        // echoes of n1, whom the successor removes). Both quorums at once, as Raft's joint consensus.
        return !agreement.hasAccepted() || lease.validIn(agreement.acceptedValue(), nowNs, quorum);
    }

    /**
     * Founds a cluster: the view of one, epoch 1, under a lineage drawn from this node's identity (deterministic,
     * so a simulated run repeats; distinct per incarnation, so two foundings never share one).
     */
    void found(final long nowNs)
    {
        final long lineage = mix(nodeId * 0x9E3779B97F4A7C15L ^ incarnation);
        install(View.founding(0 == lineage ? 1 : lineage, self));
    }

    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Heartbeats: what they carry and what they tell this node is ViewHeartbeats'
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @return the lineage of this node's view, or of the view it observes as a joiner (0 before either).
     */
    long lineage()
    {
        return null != view ? view.lineage() : null != observed ? observed.lineage() : 0;
    }

    /**
     * @return the epoch of this node's view, or of the view it observes as a joiner (0 before either).
     */
    long epoch()
    {
        return null != view ? view.epoch() : null != observed ? observed.epoch() : 0;
    }

    /**
     * Whether this node distrusts one of its copies because the member's stream lags past the bound (reason
     * LAGGING, {@link Heartbeats#watchStreams}): its heartbeats say so, so that, removed as the lone accuser, it is
     * removed as the slow receiver it then is.
     *
     * @param nowNs now.
     * @return true while such a distrust lasts.
     */
    boolean distrustsALaggingCopy(final long nowNs)
    {
        return distrustsALaggingCopy(core.members(), nowNs);
    }

    /**
     * {@link #distrustsALaggingCopy(long)} of a node whose members are these.
     */
    static boolean distrustsALaggingCopy(final List<Member> members, final long nowNs)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (member.distrustedUntilNs > nowNs && ReasonCode.LAGGING == member.distrustReason)
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Faults
    // ---------------------------------------------------------------------------------------------------------

    /**
     * This node's copy of a member's rows was wrong (it is being retaken): the member is distrusted for a while,
     * an edge in this node's row. If most members distrust it, the cut removes it (a broken sender); if this node
     * alone does, the cut removes this node (a broken receive path).
     */
    void distrust(final Member member, final int reason, final long nowNs)
    {
        if (member.distrustedUntilNs <= nowNs)
        {
            LOG.warn("node {} distrusts its copy of {} ({}) for {} ms", ClusterCore.id(nodeId), member,
                ReasonCode.name(reason), distrustNs / 1_000_000);
        }
        member.distrustedUntilNs = nowNs + distrustNs;
        member.distrustReason = reason;
    }

    /**
     * A fault in this node's copy of a member that the others may not have been able to see (the member was let in a
     * moment ago, or the copy synced a moment ago): not an accusation on its own, since a lone accuser is taken for a
     * broken receiver. It is held, and becomes one if the copy stays unsynced a heartbeat timeout, or if another
     * member accuses the owner while an accusation would last ({@link #tick}). So every member that saw a fault
     * corroborates every other that saw it, whichever of them could confirm it: a sender that broke one frame for all
     * copies is accused by all, never by one alone.
     *
     * @param member the owner of the copy.
     * @param reason the fault.
     * @param nowNs  now.
     */
    void holdUnconfirmedFault(final Member member, final int reason, final long nowNs)
    {
        member.unconfirmedFaultReason = reason;
        member.unconfirmedFaultUntilNs = nowNs + distrustNs;
    }

    /**
     * Whether another member of the view, whose row is current, does not hear the given member.
     */
    private boolean accusedByAnother(final Member member, final long nowNs)
    {
        if (null == view)
        {
            return false;
        }
        final int accusedRank = view.rankOf(member.nodeId);
        if (accusedRank < 0 || view.member(accusedRank).incarnation() != member.incarnation)
        {
            return false;
        }
        for (int rank = 0, size = view.size(); rank < size; rank++)
        {
            if (rank != selfRank && rank != accusedRank && !matrix.isStale(rank, nowNs, heartbeatTimeoutNs) &&
                0 != (matrix.row(rank) & (1L << accusedRank)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Frames of a member's directed stream to this node were lost: notifications for this node's subscribers that no
     * snapshot brings back. Unless a view removes the sender (a broken sender) or this node (a broken receive path)
     * while the distrust lasts, this node leaves: its subscribers missed messages.
     */
    void onNotificationsLost(final Member member, final int reason, final long nowNs)
    {
        distrust(member, reason, nowNs);
        if (member.lostNotificationsSinceNs < 0)
        {
            member.lostNotificationsSinceNs = nowNs;
            member.lostNotificationsReason = reason;
        }
    }

    /**
     * A member announced that it leaves: the coordinator proposes a view without it.
     */
    void onLeaving(final Member member)
    {
        if (null != view && view.contains(member.nodeId, member.incarnation))
        {
            leavers.add(member.nodeId);
        }
    }

    /**
     * @return replicas (node and incarnation) this node asked the view to remove with reason LAGGING, renewals of
     * the same accusation not counted.
     */
    long laggingAccusations()
    {
        return laggingAccusations;
    }

    /**
     * This node's replica has been behind its stream past the lag bound ({@link FlowControl} checked that the
     * measure can be trusted): asks every other member to remove it with reason LAGGING, once per heartbeat
     * interval while it lasts.
     *
     * @param replica the replica behind.
     * @param behindNs how long it has been behind.
     * @param lagNs    its lag now (since the first frame it has not applied was sent), for the log.
     * @param nowNs    the current time.
     * @return 1 if the accusation was made or renewed, else 0.
     */
    int accuseLagging(final Member replica, final long behindNs, final long lagNs, final long nowNs)
    {
        if (null == view || replica.nodeId == nodeId || !view.contains(replica.nodeId, replica.incarnation) ||
            nowNs < nextLaggingRequestNs)
        {
            return 0;
        }
        nextLaggingRequestNs = nowNs + context.heartbeatIntervalNs();
        if (replica.nodeId != lastLaggingAccusedId || replica.incarnation != lastLaggingAccusedIncarnation)
        {
            lastLaggingAccusedId = replica.nodeId;
            lastLaggingAccusedIncarnation = replica.incarnation;
            laggingAccusations++;
        }
        if (laggards.record(replica.nodeId, replica.incarnation, nodeId, nowNs))
        {
            warnings.warn("lagging", "node {}: replica {} has been behind this node's stream for {} ms (lag {} ms)," +
                " past cohort.flow.lagging.after={} ms: asking the view to remove it (LAGGING)", ClusterCore.id(nodeId),
                replica, behindNs / 1_000_000, lagNs / 1_000_000, context.flowLaggingAfterNs() / 1_000_000);
        }
        final int length = messages.change(++correlationIds, view.lineage(), view.epoch(),
            ChangeRequestDecoder.KIND_LAGGING, replica.nodeId, replica.incarnation, ReasonCode.LAGGING,
            context.flowLaggingAfterNs(), behindNs);
        for (int rank = 0; rank < view.size(); rank++)
        {
            final long memberId = view.member(rank).nodeId();
            if (rank != selfRank && memberId != replica.nodeId)
            {
                transport.sendRequest(memberId, messages.buffer(), 0, length);
            }
        }
        return 1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Retries, commits, and proposals of the changes this node sees.
     *
     * @return the amount of work done.
     */
    int tick(final long nowNs)
    {
        int workCount = 0;
        if (agreement.tick(nowNs) > 0)
        {
            return 1;
        }
        if (null == view)
        {
            return 0;
        }
        final List<Member> members = core.members();
        for (int i = 0, size = members.size(); i < size; i++)
        {
            // A member removed by a view takes its record with it: only unresolved losses are left here.
            final Member member = members.get(i);
            if (0 != member.unconfirmedFaultReason)
            {
                if ((!member.isSynced() && nowNs - member.unsyncedSinceNs >= heartbeatTimeoutNs) ||
                    accusedByAnother(member, nowNs))
                {
                    // A copy that cannot be retaken, or a fault another member saw too: an accusation.
                    distrust(member, member.unconfirmedFaultReason, nowNs);
                    member.unconfirmedFaultReason = 0;
                }
                else if (member.isSynced() && nowNs >= member.unconfirmedFaultUntilNs)
                {
                    member.unconfirmedFaultReason = 0; // retaken, and nobody else accused: forgotten
                }
            }
            if (member.lostNotificationsSinceNs >= 0 && nowNs - member.lostNotificationsSinceNs > decisionBoundNs &&
                core.state().isMember())
            {
                core.lifecycle().evictSelf(member.lostNotificationsReason, "notifications from " + member +
                    " were lost (" + ReasonCode.name(member.lostNotificationsReason) + ") and no view removed it");
                return 1;
            }
        }
        if (null != dissolveWhy)
        {
            if (nowNs <= dissolveUntilNs)
            {
                return workCount + proposeDissolve(nowNs);
            }
            dissolveWhy = null;
        }
        expirePendingJoins(nowNs);
        laggards.expire(nowNs, heartbeatTimeoutNs);
        matrix.setOwnRow(heartbeats.ownRow(nowNs), heartbeats.lastHeartbeatSeq(), nowNs);
        final long[] rows = matrix.effectiveRows(nowNs, heartbeatTimeoutNs);
        final boolean edges = view.size() > 1 && CutDetector.hasEdge(rows, view.allRanks());
        final long survivors = planner.survivors(view, selfRank, rows, edges, nowNs);
        final View wanted = planner.wantedView(view, selfRank, survivors, edges, rows, nowNs);
        if (null == wanted)
        {
            changeSinceNs = -1;
            workCount += finishAcceptedValue(nowNs);
            return workCount;
        }
        if (changeSinceNs < 0)
        {
            changeSinceNs = nowNs;
        }
        final int position = planner.positionAmongProposers(view, selfRank, survivors);
        if (position < 0 || nowNs - changeSinceNs < position * roundTimeoutNs)
        {
            return workCount;
        }
        if (agreement.isChosen() || agreement.isActive() && (wanted.equals(agreement.value()) ||
            nowNs - proposedAtNs < roundTimeoutNs))
        {
            return workCount;
        }
        LOG.info("node {} proposes view {} (from {})", ClusterCore.id(nodeId), wanted, view);
        proposedAtNs = nowNs;
        agreement.propose(wanted, nowNs);
        return workCount + 1;
    }

    /**
     * Asks this node's view to dissolve: this instance of the cluster met another that wins ({@link SeedProber}).
     * The request stands for two probe intervals and a few rounds; the prober renews it while the winner answers.
     */
    void requestDissolve(final long nowNs, final String why)
    {
        if (null == view)
        {
            return;
        }
        if (null == dissolveWhy)
        {
            LOG.warn("node {} asks view {} to dissolve: {}", ClusterCore.id(nodeId), view.epoch(), why);
        }
        dissolveWhy = why;
        dissolveUntilNs = nowNs + 2 * context.seedsProbeIntervalNs() + 3 * roundTimeoutNs;
    }

    /**
     * Proposes the successor flagged {@link View#FLAG_DISSOLVE}, whatever this node's place among proposers: only
     * the node that met the winner knows. Agreed like any view (a quorum of this one), so an instance never half
     * dissolves; a value already accepted for the epoch is finished first, and the dissolve follows in the next.
     */
    private int proposeDissolve(final long nowNs)
    {
        final View wanted = view.successor(new long[0], new int[0], List.of(), View.FLAG_DISSOLVE);
        if (agreement.isChosen() || agreement.isActive() && (wanted.equals(agreement.value()) ||
            nowNs - proposedAtNs < roundTimeoutNs))
        {
            return 0;
        }
        LOG.info("node {} proposes view {} (from {}): {}", ClusterCore.id(nodeId), wanted, view, dissolveWhy);
        proposedAtNs = nowNs;
        agreement.propose(wanted, nowNs);
        return 1;
    }

    /**
     * An acceptor that accepted a value for the next epoch stops echoing the members it removes; if that epoch is
     * never finished (its proposer crashed, or gave up when the cut healed), those members would lose their lease
     * for good. So after a few rounds this node proposes itself: phase 1 finds the accepted value and completes it.
     */
    private int finishAcceptedValue(final long nowNs)
    {
        if (!agreement.hasAccepted())
        {
            acceptedSinceNs = -1;
            return 0;
        }
        if (acceptedSinceNs < 0)
        {
            acceptedSinceNs = nowNs;
            return 0;
        }
        if (nowNs - acceptedSinceNs < (2 + selfRank) * roundTimeoutNs || agreement.isActive() || agreement.isChosen())
        {
            return 0;
        }
        LOG.info("node {}: an accepted view of epoch {} was never installed: finishing it", ClusterCore.id(nodeId),
            view.epoch() + 1);
        proposedAtNs = nowNs;
        agreement.propose(agreement.acceptedValue(), nowNs);
        return 1;
    }

    private void expirePendingJoins(final long nowNs)
    {
        if (pendingJoins.isEmpty())
        {
            return;
        }
        final Long2ObjectHashMap<ViewMember>.KeyIterator it = pendingJoins.keySet().iterator();
        while (it.hasNext())
        {
            final long joinerId = it.nextLong();
            if (nowNs - pendingJoinSeenNs.get(joinerId) > heartbeatTimeoutNs)
            {
                it.remove();
                pendingJoinSeenNs.remove(joinerId);
            }
        }
    }

    /**
     * A joiner asks to be let in, or a member says it leaves.
     */
    void onChangeRequest(
        final byte[] routingId, final long senderId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ChangeRequestDecoder request = changeDecoder.wrap(buffer, offset, length);
        final int status;
        if (null == view || request.lineage() != view.lineage())
        {
            status = CommandStatus.NOT_READY;
        }
        else if (ChangeRequestDecoder.KIND_JOIN == request.kind())
        {
            status = onJoinRequest(request);
        }
        else if (ChangeRequestDecoder.KIND_LEAVE == request.kind() && request.subjectId() == senderId &&
            view.contains(request.subjectId(), request.subjectIncarnation()))
        {
            leavers.add(senderId);
            status = CommandStatus.OK;
        }
        else if (ChangeRequestDecoder.KIND_LAGGING == request.kind() && request.subjectId() != senderId &&
            view.rankOf(senderId) >= 0 && view.contains(request.subjectId(), request.subjectIncarnation()))
        {
            // Only the owner measures how far behind its stream a replica is: its word is the evidence, and the
            // view it leads to is agreed by a quorum like any other.
            laggards.record(request.subjectId(), request.subjectIncarnation(), senderId, core.nowNs());
            status = CommandStatus.OK;
        }
        else
        {
            status = CommandStatus.BAD_REQUEST;
        }
        if (CommandStatus.OK != status && CommandStatus.NOT_READY != status)
        {
            // Answered only when refused for good (removed, cluster full, malformed): an OK shows as the view, and a
            // member still joining cannot say more than the asker's next retry will learn.
            transport.reply(routingId, messages.buffer(), 0, core.commands().commandResponse(
                request.correlationId(), status, "change request refused: " + CommandStatus.name(status)));
        }
    }

    private int onJoinRequest(final ChangeRequestDecoder request)
    {
        final ViewMember joiner;
        try
        {
            joiner = messages.joiner(request);
        }
        catch (final RuntimeException ex)
        {
            warnings.warn("bad-join-card", "node {} dropped a join request with a bad card: {}",
                ClusterCore.id(nodeId), ex.getMessage());
            return CommandStatus.BAD_REQUEST;
        }
        if (view.contains(joiner.nodeId(), joiner.incarnation()))
        {
            return CommandStatus.OK;
        }
        if (core.wasRemoved(joiner.nodeId(), joiner.incarnation()))
        {
            return CommandStatus.REMOVED;
        }
        final int rank = view.rankOf(joiner.nodeId());
        if (rank >= 0 && view.member(rank).incarnation() > joiner.incarnation())
        {
            return CommandStatus.REJECTED;
        }
        if (view.size() >= planner.maxViewSize() && rank < 0)
        {
            warnings.warn("cluster-full", "node {} cannot let {} in: the view holds {} members, the most {}",
                ClusterCore.id(nodeId), joiner, view.size(), planner.maxViewSize());
            return CommandStatus.REJECTED;
        }
        pendingJoins.put(joiner.nodeId(), joiner);
        pendingJoinSeenNs.put(joiner.nodeId(), core.nowNs());
        return CommandStatus.OK;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Joining
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Asks a member for its view (rate limited: once per heartbeat interval).
     */
    void query(final long memberId, final long nowNs)
    {
        if (nowNs < nextQueryNs)
        {
            return;
        }
        nextQueryNs = nowNs + context.heartbeatIntervalNs();
        transport.sendRequest(memberId, messages.buffer(), 0, messages.query(++correlationIds, lineage(), epoch()));
    }

    /**
     * A joiner whose copies of every member of the view it observes are synced asks every member to let it in,
     * once per heartbeat interval until a view lists it.
     */
    int requestJoin(final long nowNs)
    {
        if (null != view || null == observed || nowNs < nextJoinRequestNs)
        {
            return 0;
        }
        nextJoinRequestNs = nowNs + context.heartbeatIntervalNs();
        final int length = messages.joinChange(++correlationIds, observed.lineage(), observed.epoch(), self);
        for (int rank = 0; rank < observed.size(); rank++)
        {
            transport.sendRequest(observed.member(rank).nodeId(), messages.buffer(), 0, length);
        }
        return 1;
    }

    /**
     * Forgets the view a joiner observed (its members went silent, or it starts over): the next view it is told of
     * is taken whatever its lineage.
     */
    void forgetObserved()
    {
        observed = null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Install
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Installs a committed view: a later epoch of this node's lineage (a member), or the view a joiner observes.
     */
    void install(final View next)
    {
        if (null == view)
        {
            if (next.contains(nodeId, incarnation))
            {
                if (null != observed && next.lineage() != observed.lineage())
                {
                    return;
                }
                if (next.isDissolve())
                {
                    core.lifecycle().onDissolved(next);
                    return;
                }
                becomeMemberOf(next);
                return;
            }
            if (null == observed || next.lineage() == observed.lineage() && next.epoch() > observed.epoch() ||
                next.lineage() != observed.lineage() && !core.anyMemberHeard())
            {
                final View previous = observed;
                observed = next;
                core.onObservedView(previous, next);
            }
            return;
        }
        if (next.lineage() != view.lineage() || next.epoch() <= view.epoch())
        {
            return;
        }
        if (!next.contains(nodeId, incarnation))
        {
            core.lifecycle().onRemovedByView(next, next.reasonRemoved(nodeId));
            return;
        }
        if (next.isDissolve())
        {
            core.lifecycle().onDissolved(next);
            return;
        }
        becomeMemberOf(next);
    }

    private void becomeMemberOf(final View next)
    {
        final View previous = view;
        if (null == previous)
        {
            joinedEpoch = next.epoch();
        }
        view = next;
        observed = null;
        selfRank = next.rankOf(nodeId);
        matrix.reset(next, selfRank, core.nowNs());
        planner.reset(next, core.nowNs());
        lease.reset(next, selfRank);
        agreement.reset(next);
        changeSinceNs = -1;
        acceptedSinceNs = -1;
        for (int rank = 0; rank < next.size(); rank++)
        {
            pendingJoins.remove(next.member(rank).nodeId());
            pendingJoinSeenNs.remove(next.member(rank).nodeId());
        }
        final LongHashSet.LongIterator it = leavers.iterator();
        while (it.hasNext())
        {
            if (next.rankOf(it.nextValue()) < 0)
            {
                it.remove();
            }
        }
        laggards.retainMembersOf(next);
        LOG.info("node {} installed view {}", ClusterCore.id(nodeId), next);
        core.onViewInstalled(previous, next);
    }
}
