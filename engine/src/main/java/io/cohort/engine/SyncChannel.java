package io.cohort.engine;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeLeavingDecoder;
import io.cohort.codec.ReasonCode;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.Peer;
import io.cohort.transport.SyncHandler;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync channel's input of a {@link ClusterCore}: every message of every member's streams, in order, after the
 * transport checked its frame and sequence. Rows go to the {@link ReplicaApplier} once the member is synced (to the
 * {@link MemberSync} buffer before), heartbeats check the copy's digest and carry the membership gossip (echoes,
 * reachability rows, the sender's epoch) to the {@link Membership}, a leave announcement asks for a view without its
 * sender; a broken stream or frame is a desync of that member's copy. Which peers subscribed to this node is the
 * core's own business.
 */
final class SyncChannel implements SyncHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(SyncChannel.class);

    private final ClusterCore core;
    private final SubscriptionState state;
    private final MemberSync memberSync;
    private final ReplicaApplier applier;
    private final Membership membership;
    private final JoinDriver joinDriver;
    private final long nodeId;
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final NodeLeavingDecoder nodeLeavingDecoder = new NodeLeavingDecoder();
    /** Per-frame warnings, on the core's clock so that a simulated run logs the same lines every time. */
    private final RateLimitedWarnings warnings;

    SyncChannel(
        final ClusterCore core,
        final CohortContext context,
        final SubscriptionState state,
        final MemberSync memberSync,
        final ReplicaApplier applier,
        final Membership membership,
        final JoinDriver joinDriver)
    {
        this.core = core;
        this.state = state;
        this.memberSync = memberSync;
        this.applier = applier;
        this.membership = membership;
        this.joinDriver = joinDriver;
        this.nodeId = context.nodeId();
        this.warnings = new RateLimitedWarnings(LOG::warn, core::nowNs, RateLimitedWarnings.DEFAULT_BURST,
            RateLimitedWarnings.DEFAULT_INTERVAL_NS);
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(
        final Peer peer,
        final boolean directed,
        final long sequence,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        final Member member = core.member(peer.nodeId());
        if (null == member || core.state().isTerminal())
        {
            return;
        }
        final long nowNs = core.nowNs();
        member.lastHeardNs = nowNs;
        if (!directed)
        {
            memberSync.onBroadcastMessage(member, sequence, nowNs);
        }

        switch (type)
        {
            case MessageType.ROOM_COUNT:
            case MessageType.ROOM_CREATED:
            case MessageType.ROOM_REMOVED:
                if (member.isSynced())
                {
                    applier.apply(member, sequence, type, buffer, bodyOffset, bodyLength);
                    peer.counters().onApplied();
                }
                else
                {
                    memberSync.buffer(member, sequence, type, buffer, bodyOffset, bodyLength);
                }
                break;

            case MessageType.HEARTBEAT:
                onHeartbeat(member, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.ROOM_WANTED:
                // Changes nothing here, so it needs no sync: a request that the member's buffer would only delay.
                applier.roomWanted(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NOTIFICATION:
                applier.notification(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.CLUSTER_EVENT:
                applier.clusterEvent(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NODE_LEAVING:
                onNodeLeaving(member, buffer, bodyOffset, bodyLength);
                break;

            default:
                break;
        }
        if (!directed && member.isSynced())
        {
            FlowReporter.onApplied(member, sequence, bodyLength);
        }
        else if (directed)
        {
            FlowReporter.onDirectedApplied(member, sequence, bodyLength);
        }
    }

    private void onHeartbeat(final Member member, final DirectBuffer buffer, final int offset, final int length)
    {
        final HeartbeatDecoder heartbeat = heartbeatDecoder.wrap(buffer, offset, length);
        membership.heartbeats().onHeartbeat(member, heartbeat, core.nowNs());
        // The heartbeat follows every row change of its sender in the same ordered stream: a synced copy must
        // have exactly the digest the owner had when it sent it.
        if (member.isSynced() && 0 == (heartbeat.flags() & HeartbeatDecoder.FLAG_ROWS_PENDING))
        {
            final long replicaDigest = state.ownerDigest(member.nodeId);
            if (replicaDigest != heartbeat.stateDigest())
            {
                core.onDesync(member, ReasonCode.DIGEST_MISMATCH, heartbeat.stateDigest(), replicaDigest, true);
            }
        }
    }

    private void onNodeLeaving(final Member sender, final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeLeavingDecoder leaving = nodeLeavingDecoder.wrap(buffer, offset, length);
        if (leaving.nodeId() == sender.nodeId && leaving.incarnation() == sender.incarnation)
        {
            membership.onLeaving(sender);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onStreamFault(
        final Peer peer, final boolean directed, final int reason, final long expectedSequence, final long observed)
    {
        final Member member = core.member(peer.nodeId());
        if (null == member)
        {
            return;
        }
        if (ReasonCode.DUPLICATE == reason)
        {
            // A frame already applied came again and was dropped: nothing is lost and no copy is wrong (a frame
            // carrying anything new shows a gap first). The transport counts it; accusing would let a sender
            // that repeats a frame to one node (a directed frame) take a healthy receiver down.
            warnings.warn("duplicate frame", "node {}: duplicate frame in {} stream of {} (expected {}, saw {}): dropped",
                ClusterCore.id(nodeId),
                directed ? "directed" : "broadcast", member, expectedSequence, observed);
            return;
        }
        if (!member.isSynced() && !directed)
        {
            // Before the snapshot, a broken buffer only means syncing again.
            LOG.warn("node {}: {} in stream of {} while syncing (expected {}, saw {}): syncing again",
                ClusterCore.id(nodeId), ReasonCode.name(reason), member, expectedSequence, observed);
            memberSync.restart(member, core.nowNs());
            return;
        }
        core.onDesync(member, reason, expectedSequence, observed, !directed);
    }

    /**
     * {@inheritDoc}
     */
    public void onBadFrame(final Peer peer, final DecodeResult result)
    {
        final Member member = core.member(peer.nodeId());
        if (null != member)
        {
            core.onDesync(member, ReasonCode.BAD_FRAME, -1, result.code(), true);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onForeignCluster(final Peer peer, final long clusterId)
    {
        joinDriver.onForeignFrame(peer.nodeId(), clusterId, "a sync frame");
    }

    /**
     * {@inheritDoc}
     * <p>
     * Only heartbeats sent in a view that lists this incarnation name its directed stream: the sender installed
     * that view before it opened the stream, and dropped the predecessor's stream at the same install.
     */
    public boolean directedTailApplies(final Peer peer, final long lineage, final long epoch)
    {
        return membership.isMember() && lineage == membership.view().lineage() && epoch >= membership.joinedEpoch();
    }

    /**
     * {@inheritDoc}
     */
    public void onSubscriberChange(final long subscriberNodeId, final long incarnation, final boolean subscribed)
    {
        core.onSubscriberChange(subscriberNodeId, incarnation, subscribed);
    }
}
