package io.cohort.engine;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.MemberCardDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeEvictedDecoder;
import io.cohort.codec.NodeLeavingDecoder;
import io.cohort.codec.ReasonCode;
import io.cohort.codec.SuspectDecoder;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.Peer;
import io.cohort.transport.SyncHandler;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync channel's input of a {@link ClusterCore}: every message of every member's streams, in order, after the
 * transport checked its frame and sequence. Rows go to the {@link ReplicaApplier} once the member is synced (to the
 * {@link MemberSync} buffer before), heartbeats check the copy's digest and the sender's view of the members,
 * cards, leaves and evictions change the membership, suspicions go to the {@link FaultDetector}; a broken stream or
 * frame is a desync of that member's copy. Which peers subscribed to this node is the core's own business.
 */
final class SyncChannel implements SyncHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(SyncChannel.class);

    private final ClusterCore core;
    private final CohortContext context;
    private final SubscriptionState state;
    private final MemberSync memberSync;
    private final ReplicaApplier applier;
    private final FaultDetector faultDetector;
    private final JoinDriver joinDriver;
    private final long nodeId;
    private final long incarnation;
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final MemberCardDecoder memberCardDecoder = new MemberCardDecoder();
    private final NodeLeavingDecoder nodeLeavingDecoder = new NodeLeavingDecoder();
    private final NodeEvictedDecoder nodeEvictedDecoder = new NodeEvictedDecoder();
    private final SuspectDecoder suspectDecoder = new SuspectDecoder();
    /** Per-frame warnings, on the core's clock so that a simulated run logs the same lines every time. */
    private final RateLimitedWarnings warnings;

    SyncChannel(
        final ClusterCore core,
        final CohortContext context,
        final SubscriptionState state,
        final MemberSync memberSync,
        final ReplicaApplier applier,
        final FaultDetector faultDetector,
        final JoinDriver joinDriver)
    {
        this.core = core;
        this.context = context;
        this.state = state;
        this.memberSync = memberSync;
        this.applier = applier;
        this.faultDetector = faultDetector;
        this.joinDriver = joinDriver;
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
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
                    applier.apply(member, type, buffer, bodyOffset, bodyLength);
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

            case MessageType.NOTIFICATION:
                applier.notification(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.CLUSTER_EVENT:
                applier.clusterEvent(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NODE_JOINED:
            case MessageType.MEMBER_CARD:
                onMemberCard(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NODE_LEAVING:
                onNodeLeaving(member, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NODE_EVICTED:
                onNodeEvicted(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.SUSPECT:
            {
                final SuspectDecoder suspect = suspectDecoder.wrap(buffer, bodyOffset, bodyLength);
                faultDetector.onSuspect(member.nodeId, suspect.accusedNodeId(), suspect.accusedIncarnation(),
                    suspect.reason(), nowNs);
                break;
            }

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
        final long nowNs = core.nowNs();
        final HeartbeatDecoder heartbeat = heartbeatDecoder.wrap(buffer, offset, length);
        final boolean fromSynced = member.isSynced();
        boolean listsSelf = false;
        if (fromSynced)
        {
            core.onSyncedView();
        }
        for (int i = 0, count = heartbeat.memberCount(); i < count; i++)
        {
            final long viewMember = heartbeat.member(i);
            listsSelf |= viewMember == nodeId;
            final Member listed = core.member(viewMember);
            if (null != listed && fromSynced)
            {
                listed.lastListedNs = nowNs;
            }
            else if (null == listed && fromSynced && viewMember != nodeId)
            {
                // Perhaps an incarnation this node evicted, whose eviction the sender never heard.
                core.onEvictedStillListed(viewMember);
            }
            if (viewMember != nodeId && nowNs >= member.nextIntroductionNs &&
                (core.state().isMember() || NodeState.JOINING == core.state()) &&
                (null == listed || Member.Phase.AWAITING_BASELINE == listed.phase &&
                nowNs - listed.addedNs > context.heartbeatTimeoutNs()))
            {
                // The sender knows a member this node does not (two joins at once), or one this node has never
                // heard from: perhaps a newer incarnation of it (a restart under the same id, whose announcement
                // came before this node's subscription was live). Ask the sender for its member list.
                member.nextIntroductionNs = nowNs + context.commandTimeoutNs();
                joinDriver.introduceTo(member);
            }
        }
        member.listsSelf = listsSelf;
        // The heartbeat follows every row change of its sender in the same ordered stream: a synced copy must
        // have exactly the digest the owner had when it sent it.
        if (member.isSynced())
        {
            final long replicaDigest = state.ownerDigest(member.nodeId);
            if (replicaDigest != heartbeat.stateDigest())
            {
                core.onDesync(member, ReasonCode.DIGEST_MISMATCH, heartbeat.stateDigest(), replicaDigest);
            }
        }
    }

    private void onMemberCard(final DirectBuffer buffer, final int offset, final int length)
    {
        final MemberCardDecoder card = memberCardDecoder.wrap(buffer, offset, length);
        final long memberId = card.nodeId();
        if (memberId == nodeId || !core.state().isMember() && NodeState.JOINING != core.state())
        {
            return;
        }
        final Member known = core.member(memberId);
        if (null != known && known.incarnation == card.incarnation())
        {
            return;
        }
        final Member member = core.addMember(memberId, card.incarnation(), card.syncEndpoint(), card.commandEndpoint());
        if (null != member)
        {
            // It may not know this node yet (two joins at once): introduce this node to it.
            joinDriver.introduceTo(member);
        }
    }

    private void onNodeLeaving(final Member sender, final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeLeavingDecoder leaving = nodeLeavingDecoder.wrap(buffer, offset, length);
        if (leaving.nodeId() == sender.nodeId && leaving.incarnation() == sender.incarnation)
        {
            core.removeMember(sender, 0, true);
        }
    }

    private void onNodeEvicted(final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeEvictedDecoder evicted = nodeEvictedDecoder.wrap(buffer, offset, length);
        if (evicted.evictedNodeId() == nodeId && evicted.evictedIncarnation() == incarnation)
        {
            LOG.error("node {} evicted by {}: {}", ClusterCore.id(nodeId), ClusterCore.id(evicted.accuserNodeId()),
                ReasonCode.name(evicted.reason()));
            core.changeState(NodeState.EVICTED);
            return;
        }
        final Member member = core.member(evicted.evictedNodeId());
        if (null != member && member.incarnation == evicted.evictedIncarnation())
        {
            core.onEvicted(member, evicted.reason());
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
            core.onDesync(member, ReasonCode.BAD_FRAME, -1, result.code());
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
     */
    public void onSubscriberChange(final long subscriberNodeId, final boolean subscribed)
    {
        core.onSubscriberChange(subscriberNodeId, subscribed);
    }
}
