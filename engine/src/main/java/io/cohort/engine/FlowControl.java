package io.cohort.engine;

import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.ReplicationWindow;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of end-to-end flow control: the {@link ReplicationWindow} over this node's broadcast stream,
 * fed by the frames the {@link OutboundBatcher} hands to the wire and by the replicas' {@code FLOW_STATUS}
 * reports, and the {@link FlowGate} that pushes back on API callers. The same reports carry what each node took of
 * its directed stream (its notifications), which feeds that stream's own window in the batcher
 * ({@link OutboundBatcher#directedWindow}): the notification credit of {@link NotificationCredit}. A replica counts only while it is a member
 * of the current incarnation whose subscription to this node is live, and it reports only once its copy of this
 * node's rows is synced; anything else is dropped from the window at the next tick.
 * <p>
 * The lag bound: a replica {@link ReplicationWindow#behindNs behind} for {@code cohort.flow.lagging.after} is
 * accused LAGGING ({@link Membership#accuseLagging}), so that a view agreed by a quorum removes it: untethering
 * stops it throttling this node, the bound stops it serving a copy that stays stale. Only this node, which measures
 * the lag, accuses, and only when the measure can be trusted to be the replica's fault: this node's own cycles are
 * on time ({@link LocalHealth} score 0: a stalled owner reads statuses late and would see every replica behind) and
 * another replica keeps up with the same stream (tethered and not behind: else the stream itself, i.e. this node or
 * its network, is the slow one, and nobody is accused; so a cluster of two never removes for lag). Either way a
 * replica past the bound is untethered if it was not already, so that one that keeps the window closed a frame at a
 * time stops setting this node's pace.
 * With {@code cohort.sync.repair} on the bound applies the same: repair retakes a copy that is wrong, on the
 * replica's own detection, whereas a lagging copy is right but late, and a snapshot would not make its node faster.
 */
final class FlowControl
{
    private static final Logger LOG = LoggerFactory.getLogger(FlowControl.class);

    private final long nodeId;
    private final long incarnation;
    private final long untetherAfterNs;
    private final long laggingAfterNs;
    /** Untether and tether lines, on the core's clock so that a simulated run logs the same lines every time. */
    private final RateLimitedWarnings warnings = new RateLimitedWarnings(LOG::warn, () -> this.nowNs,
        RateLimitedWarnings.DEFAULT_BURST, RateLimitedWarnings.DEFAULT_INTERVAL_NS);
    private long nowNs;
    private final ReplicationWindow window;
    private final FlowGate gate;
    private final Long2LongHashMap liveSubscribers;
    private final OutboundBatcher outbound;
    private long statusesIgnored;

    /**
     * @param context         the node's settings.
     * @param outbound        this node's streams: every broadcast frame sent is appended to the window.
     * @param liveSubscribers the nodes whose subscription reached this node's publisher (the core's own set).
     */
    FlowControl(final CohortContext context, final OutboundBatcher outbound, final Long2LongHashMap liveSubscribers)
    {
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.untetherAfterNs = context.flowUntetherAfterNs();
        this.laggingAfterNs = context.flowLaggingAfterNs();
        this.liveSubscribers = liveSubscribers;
        this.window = new ReplicationWindow(context.flowWindow(), context.flowWindowFrames(),
            context.flowUntetherAfterNs(), context.codecLimits().maxMembers());
        this.gate = new FlowGate(context.flowBackPressureAfterNs());
        this.outbound = outbound;
        // A latency tool that opted in hears of every broadcast frame sent too (one null check, here, at launch).
        final LatencyStageObserver stageObserver = NodeStatusListener.stageObserverOf(context.listener());
        outbound.broadcastSentObserver(null == stageObserver ? window : (lastSequence, length) ->
        {
            window.onBroadcastSent(lastSequence, length);
            stageObserver.onBroadcastSent(lastSequence);
        });
        outbound.directedWindow(context.flowNotificationWindow(), context.flowWindowFrames());
    }

    /**
     * A replica's report of the last message of this node's broadcast stream it applied, and of the last message
     * of this node's directed stream to it that it took.
     *
     * @param replica                 the sender as a member of this node's view, or null if it is none.
     * @param senderIncarnation       the incarnation in the report's frame.
     * @param ownerIncarnation        the incarnation of this node the report is about.
     * @param appliedSequence         the last broadcast sequence applied; 0 if it has applied none (not synced).
     * @param appliedDirectedSequence the last directed sequence taken, or
     *                                {@link io.cohort.codec.FlowStatusDecoder#NO_DIRECTED_SEQUENCE} if the report
     *                                has no such field.
     * @param nowNs                   the current time.
     */
    void onStatus(
        final Member replica,
        final long senderIncarnation,
        final long ownerIncarnation,
        final long appliedSequence,
        final long appliedDirectedSequence,
        final long nowNs)
    {
        if (null == replica || replica.incarnation != senderIncarnation || incarnation != ownerIncarnation ||
            liveSubscribers.get(replica.nodeId) != replica.incarnation)
        {
            statusesIgnored++;
            return;
        }
        this.nowNs = nowNs;
        if (appliedDirectedSequence >= 0)
        {
            outbound.onDirectedStatus(replica.nodeId, appliedDirectedSequence, nowNs);
        }
        if (appliedSequence <= 0)
        {
            return; // a report of notifications only, from a node whose copy of this node's rows is not synced
        }
        final boolean wasTethered = window.isTethered(replica.nodeId);
        window.onStatus(replica.nodeId, appliedSequence, nowNs);
        if (!wasTethered && window.isTethered(replica.nodeId) && window.untetherings() > 0)
        {
            warnings.warn("tethered", "node {}: replica {} caught up within half the window: tethered again",
                ClusterCore.id(nodeId), replica);
        }
    }


    /**
     * Once per duty cycle, before this cycle's rows are claimed: drops replicas that are no longer members or
     * subscribed, and untethers one that held the window closed too long.
     *
     * @param core  the core, for its members.
     * @param nowNs the cycle's time.
     * @return work done.
     */
    int tick(final ClusterCore core, final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = 0;
        for (int i = window.replicaCount() - 1; i >= 0; i--)
        {
            final long replicaId = window.replicaId(i);
            final Member replica = core.member(replicaId);
            if (null == replica || liveSubscribers.get(replicaId) != replica.incarnation)
            {
                window.removeReplica(replicaId);
                workCount++;
            }
        }
        if (0 != window.tick(nowNs))
        {
            workCount++;
            warnings.warn("untethered", "node {}: replica {} held the replication window closed for {} ms: " +
                "untethered (lag {} ms); the others set the pace until it catches up",
                ClusterCore.id(nodeId), ClusterCore.id(window.lastUntetheredId()), untetherAfterNs / 1_000_000,
                window.lagNs(window.lastUntetheredId(), nowNs) / 1_000_000);
        }
        workCount += accuseLagging(core, nowNs);
        return workCount;
    }

    /**
     * Accuses the replica behind the longest if that is past the lag bound and the measure can be trusted (see the
     * class comment). One a cycle at most; {@link Membership#accuseLagging} rate-limits what it sends.
     */
    private int accuseLagging(final ClusterCore core, final long nowNs)
    {
        int laggingIndex = -1;
        long longestBehindNs = 0;
        for (int i = 0, count = window.replicaCount(); i < count; i++)
        {
            final long behindNs = window.behindNs(i, nowNs);
            if (behindNs >= laggingAfterNs && behindNs > longestBehindNs)
            {
                longestBehindNs = behindNs;
                laggingIndex = i;
            }
        }
        if (laggingIndex < 0)
        {
            return 0;
        }
        final long laggingId = window.replicaId(laggingIndex);
        int workCount = 0;
        if (window.untether(laggingId))
        {
            // Past the bound a replica no longer sets this node's pace, whether or not it can be accused (with no
            // other replica to compare, a cluster of two cannot tell which side is slow, but need not stay slow).
            workCount++;
            warnings.warn("untethered", "node {}: replica {} kept the replication window closed for {} ms: " +
                "untethered (lag {} ms); the others set the pace until it catches up", ClusterCore.id(nodeId),
                ClusterCore.id(laggingId), longestBehindNs / 1_000_000, window.lagNs(laggingId, nowNs) / 1_000_000);
        }
        if (!anotherKeepsUp(laggingIndex, nowNs) || core.localHealthScore(nowNs) > 0)
        {
            return workCount;
        }
        final Member replica = core.member(laggingId);
        if (null == replica)
        {
            return workCount;
        }
        return workCount +
            core.membership().accuseLagging(replica, longestBehindNs, window.lagNs(replica.nodeId, nowNs), nowNs);
    }

    private boolean anotherKeepsUp(final int laggingIndex, final long nowNs)
    {
        for (int i = 0, count = window.replicaCount(); i < count; i++)
        {
            if (i != laggingIndex && 0 == window.behindNs(i, nowNs) && window.isTethered(window.replicaId(i)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Once per duty cycle, after this cycle's rows were claimed: publishes the gate.
     *
     * @param nowNs   the cycle's time.
     * @param pending whether changed rooms are left unpublished (the window, or the socket, holds them).
     */
    void afterPublish(final long nowNs, final boolean pending)
    {
        gate.onWindow(nowNs, pending);
    }

    /**
     * @return whether rows may be claimed on the broadcast stream now.
     */
    boolean isOpen()
    {
        return window.isOpen();
    }

    ReplicationWindow window()
    {
        return window;
    }

    FlowGate gate()
    {
        return gate;
    }

    /**
     * @return statuses dropped: from a non-member, another incarnation, or a node not subscribed to this one.
     */
    long statusesIgnored()
    {
        return statusesIgnored;
    }
}
