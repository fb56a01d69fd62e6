package io.cohort.engine;

import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.ReplicationWindow;
import org.agrona.collections.LongHashSet;

/**
 * The owner's side of end-to-end flow control: the {@link ReplicationWindow} over this node's broadcast stream,
 * fed by the frames the {@link OutboundBatcher} hands to the wire and by the replicas' {@code FLOW_STATUS}
 * reports, and the {@link FlowGate} that pushes back on API callers. A replica counts only while it is a member
 * of the current incarnation whose subscription to this node is live, and it reports only once its copy of this
 * node's rows is synced; anything else is dropped from the window at the next tick.
 */
final class FlowControl
{
    private final long incarnation;
    private final ReplicationWindow window;
    private final FlowGate gate;
    private final LongHashSet liveSubscribers;
    private long statusesIgnored;

    /**
     * @param context         the node's settings.
     * @param outbound        this node's streams: every broadcast frame sent is appended to the window.
     * @param liveSubscribers the nodes whose subscription reached this node's publisher (the core's own set).
     */
    FlowControl(final CohortContext context, final OutboundBatcher outbound, final LongHashSet liveSubscribers)
    {
        this.incarnation = context.incarnation();
        this.liveSubscribers = liveSubscribers;
        this.window = new ReplicationWindow(context.flowWindow(), context.flowWindowFrames(),
            context.flowUntetherAfterNs(), context.codecLimits().maxMembers());
        this.gate = new FlowGate(context.flowBackPressureAfterNs());
        outbound.broadcastSentObserver(window);
    }

    /**
     * A replica's report of the last message of this node's broadcast stream it applied.
     *
     * @param replica          the sender as a member of this node's view, or null if it is none.
     * @param senderIncarnation the incarnation in the report's frame.
     * @param ownerIncarnation the incarnation of this node the report is about.
     * @param appliedSequence  the last sequence applied.
     * @param nowNs            the current time.
     */
    void onStatus(
        final Member replica,
        final long senderIncarnation,
        final long ownerIncarnation,
        final long appliedSequence,
        final long nowNs)
    {
        if (null == replica || replica.incarnation != senderIncarnation || incarnation != ownerIncarnation ||
            !liveSubscribers.contains(replica.nodeId))
        {
            statusesIgnored++;
            return;
        }
        window.onStatus(replica.nodeId, appliedSequence, nowNs);
    }

    /**
     * Once per duty cycle, after this cycle's rows were claimed: drops replicas that are no longer members or
     * subscribed, untethers one that held the window closed too long, and publishes the gate.
     *
     * @param core    the core, for its members.
     * @param nowNs   the cycle's time.
     * @param pending whether changed rooms wait to be published.
     * @return work done.
     */
    int tick(final ClusterCore core, final long nowNs, final boolean pending)
    {
        int workCount = 0;
        for (int i = window.replicaCount() - 1; i >= 0; i--)
        {
            final long replicaId = window.replicaId(i);
            if (null == core.member(replicaId) || !liveSubscribers.contains(replicaId))
            {
                window.removeReplica(replicaId);
                workCount++;
            }
        }
        workCount += window.tick(nowNs);
        gate.onWindow(nowNs, pending && !window.isOpen());
        return workCount;
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
