package io.cohort.engine;

import io.cohort.codec.ClusterEventEncoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.MemberCardEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeEvictedEncoder;
import io.cohort.codec.NodeLeavingEncoder;
import io.cohort.codec.NotificationEncoder;
import io.cohort.codec.ProbeEncoder;
import io.cohort.codec.RoomCountEncoder;
import io.cohort.codec.SuspectEncoder;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.OutboundBatcher;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Everything this node publishes on its sync streams: its own rows (coalesced per duty cycle: counts are
 * absolute, so only a room's last value in a cycle travels), its rooms, heartbeats, membership announcements,
 * and notifications routed only to the nodes whose count for the room is above zero.
 * <p>
 * Nothing is lost under back-pressure: a row or room that cannot be claimed stays pending and is published on
 * a later cycle, and no heartbeat is sent while anything is pending, because a heartbeat's digest must describe
 * exactly the rows already in the stream before it.
 */
final class SyncPublisher
{
    private final long nodeId;
    private final long incarnation;
    private final OutboundBatcher outbound;
    private final SubscriptionState state;
    private final ErrorHandler errorHandler;
    private final LongHashSet pendingCounts = new LongHashSet();
    private final LongHashSet pendingRooms = new LongHashSet();
    private final LongHashSet pendingRoomRemovals = new LongHashSet();
    private final LongConsumer routeNotification = this::routeNotification;
    private final HeartbeatEncoder heartbeatEncoder;
    private final RoomCountEncoder roomCountEncoder = new RoomCountEncoder();
    private final NotificationEncoder notificationEncoder;
    private final ClusterEventEncoder clusterEventEncoder;
    private final MemberCardEncoder memberCardEncoder;
    private final NodeLeavingEncoder nodeLeavingEncoder = new NodeLeavingEncoder();
    private final NodeEvictedEncoder nodeEvictedEncoder = new NodeEvictedEncoder();
    private final SuspectEncoder suspectEncoder = new SuspectEncoder();
    private final ProbeEncoder probeEncoder = new ProbeEncoder();
    private final byte[] publicKey;
    private long notificationsDropped;
    private long notificationsSent;
    private long notificationRoomId;
    private DirectBuffer notificationPayload;
    private int notificationOffset;
    private int notificationLength;

    SyncPublisher(
        final CohortContext context,
        final OutboundBatcher outbound,
        final SubscriptionState state,
        final ErrorHandler errorHandler,
        final byte[] publicKey)
    {
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.outbound = outbound;
        this.state = state;
        this.errorHandler = errorHandler;
        this.publicKey = publicKey;
        this.heartbeatEncoder = new HeartbeatEncoder(context.codecLimits());
        this.notificationEncoder = new NotificationEncoder(context.codecLimits());
        this.clusterEventEncoder = new ClusterEventEncoder(context.codecLimits());
        this.memberCardEncoder = new MemberCardEncoder(context.codecLimits());
    }

    void countChanged(final long roomId)
    {
        pendingCounts.add(roomId);
    }

    void roomCreated(final long roomId)
    {
        pendingRoomRemovals.remove(roomId);
        pendingRooms.add(roomId);
    }

    void roomRemoved(final long roomId)
    {
        pendingRooms.remove(roomId);
        pendingRoomRemovals.add(roomId);
    }

    boolean hasPending()
    {
        return !pendingCounts.isEmpty() || !pendingRooms.isEmpty() || !pendingRoomRemovals.isEmpty();
    }

    long notificationsDropped()
    {
        return notificationsDropped;
    }

    /**
     * The sequence of the last message claimed on the broadcast stream: a snapshot of this node's rows taken now
     * contains every change up to it.
     */
    long lastClaimedBroadcastSequence()
    {
        return outbound.nextBroadcastSequence() - 1;
    }

    /**
     * Publishes pending rooms, then counts, then room removals, as far as the stream accepts them.
     *
     * @return the number of messages claimed.
     */
    int publishPending()
    {
        int published = 0;
        if (!pendingRooms.isEmpty())
        {
            final LongHashSet.LongIterator it = pendingRooms.iterator();
            while (it.hasNext())
            {
                final long roomId = it.nextValue();
                final int metadataLength = state.roomMetadataLength(roomId);
                if (metadataLength < 0)
                {
                    it.remove();
                    continue;
                }
                final int at = outbound.claimBroadcast(MessageType.ROOM_CREATED, Long.BYTES + metadataLength);
                if (OutboundBatcher.NO_SPACE == at)
                {
                    return published;
                }
                final MutableDirectBuffer target = outbound.broadcastBuffer();
                target.putLong(at, roomId, FrameLayout.BYTE_ORDER);
                state.copyRoomMetadata(roomId, target, at + Long.BYTES);
                it.remove();
                published++;
            }
        }
        if (!pendingCounts.isEmpty())
        {
            final LongHashSet.LongIterator it = pendingCounts.iterator();
            while (it.hasNext())
            {
                final long roomId = it.nextValue();
                final int at = outbound.claimBroadcast(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
                if (OutboundBatcher.NO_SPACE == at)
                {
                    return published;
                }
                roomCountEncoder.wrap(outbound.broadcastBuffer(), at).roomId(roomId).count(state.localCount(roomId));
                it.remove();
                published++;
            }
        }
        if (!pendingRoomRemovals.isEmpty())
        {
            final LongHashSet.LongIterator it = pendingRoomRemovals.iterator();
            while (it.hasNext())
            {
                final long roomId = it.nextValue();
                final int at = outbound.claimBroadcast(MessageType.ROOM_REMOVED, Long.BYTES);
                if (OutboundBatcher.NO_SPACE == at)
                {
                    return published;
                }
                outbound.broadcastBuffer().putLong(at, roomId, FrameLayout.BYTE_ORDER);
                it.remove();
                published++;
            }
        }
        return published;
    }

    /**
     * Claims a heartbeat: the last broadcast sequence (its own), the digest of this node's rows, the membership
     * view, and the last sequence sent on each directed stream.
     *
     * @param nowNs   the current time.
     * @param members the members this node counts in its view (itself excluded).
     * @param flags   heartbeat flags.
     * @return false if nothing was claimed (rows pending, or back-pressure): try again next cycle.
     */
    boolean sendHeartbeat(final long nowNs, final List<Member> members, final int flags)
    {
        if (hasPending())
        {
            return false;
        }
        final int memberCount = members.size() + 1;
        final int directedCount = outbound.destinationCount();
        final int at = outbound.claimBroadcast(
            MessageType.HEARTBEAT, HeartbeatEncoder.computeLength(memberCount, directedCount));
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        final HeartbeatEncoder heartbeat = heartbeatEncoder.wrap(outbound.broadcastBuffer(), at)
            .sendTimeNs(nowNs)
            .lastBroadcastSequence(outbound.nextBroadcastSequence() - 1)
            .stateDigest(state.ownerDigest(nodeId))
            .flags(flags)
            .memberCount(memberCount)
            .member(0, nodeId);
        for (int i = 1; i < memberCount; i++)
        {
            heartbeat.member(i, members.get(i - 1).nodeId);
        }
        for (int i = 0; i < directedCount; i++)
        {
            final long destination = outbound.destination(i);
            heartbeat.addDirected(destination, outbound.lastSentDirectedSequence(destination));
        }
        return true;
    }

    boolean announceCard(
        final int type,
        final long memberId,
        final long memberIncarnation,
        final String syncEndpoint,
        final String commandEndpoint)
    {
        final int at = outbound.claimBroadcast(
            type, MemberCardEncoder.computeLength(syncEndpoint, commandEndpoint, publicKey));
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        memberCardEncoder.wrap(outbound.broadcastBuffer(), at).nodeId(memberId).incarnation(memberIncarnation)
            .endpoints(syncEndpoint, commandEndpoint, publicKey);
        return true;
    }

    boolean announceLeaving()
    {
        final int at = outbound.claimBroadcast(MessageType.NODE_LEAVING, NodeLeavingEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        nodeLeavingEncoder.wrap(outbound.broadcastBuffer(), at)
            .nodeId(nodeId).incarnation(incarnation).lastBroadcastSequence(outbound.nextBroadcastSequence() - 1);
        return true;
    }

    boolean announceEviction(final long evictedNodeId, final long evictedIncarnation, final int reason)
    {
        final int at = outbound.claimBroadcast(MessageType.NODE_EVICTED, NodeEvictedEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        nodeEvictedEncoder.wrap(outbound.broadcastBuffer(), at).evictedNodeId(evictedNodeId)
            .evictedIncarnation(evictedIncarnation).accuserNodeId(nodeId).reason(reason);
        return true;
    }

    boolean suspect(
        final long accusedNodeId,
        final long accusedIncarnation,
        final int reason,
        final long expectedSequence,
        final long observedSequence)
    {
        final int at = outbound.claimBroadcast(MessageType.SUSPECT, SuspectEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        suspectEncoder.wrap(outbound.broadcastBuffer(), at).accusedNodeId(accusedNodeId)
            .accusedIncarnation(accusedIncarnation).reason(reason)
            .expectedSequence(expectedSequence).observedSequence(observedSequence);
        return true;
    }

    boolean probe(final long requesterNodeId, final long nonce)
    {
        final int at = outbound.claimBroadcast(MessageType.PROBE, ProbeEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        probeEncoder.wrap(outbound.broadcastBuffer(), at).requesterNodeId(requesterNodeId).nonce(nonce);
        return true;
    }

    /**
     * Routes a notification to exactly the nodes whose count for the room is above zero and whose directed
     * stream is open (their subscription reached this node).
     *
     * @return the number of other nodes it was sent to.
     */
    int route(final long roomId, final DirectBuffer payload, final int offset, final int length)
    {
        notificationRoomId = roomId;
        notificationPayload = payload;
        notificationOffset = offset;
        notificationLength = length;
        final long sentBefore = notificationsSent;
        state.forEachOwnerWithSubscribers(roomId, routeNotification);
        notificationPayload = null;
        return (int)(notificationsSent - sentBefore);
    }

    private void routeNotification(final long ownerNodeId)
    {
        if (ownerNodeId == nodeId || !outbound.hasDestination(ownerNodeId))
        {
            return;
        }
        final int at = outbound.claimDirected(ownerNodeId, MessageType.NOTIFICATION,
            NotificationEncoder.computeLength(notificationLength));
        if (OutboundBatcher.NO_SPACE == at)
        {
            notificationsDropped++;
            errorHandler.onError(new IllegalStateException("notification for room " + notificationRoomId +
                " to node " + ClusterCore.id(ownerNodeId) + " dropped: directed stream back-pressured"));
            return;
        }
        notificationEncoder.wrap(outbound.directedBuffer(ownerNodeId), at)
            .roomId(notificationRoomId).payload(notificationPayload, notificationOffset, notificationLength);
        notificationsSent++;
    }

    /**
     * Claims a cluster event.
     *
     * @return the offset of its body in {@link OutboundBatcher#broadcastBuffer()}, or
     * {@link OutboundBatcher#NO_SPACE}.
     */
    int broadcastEvent(
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int at = outbound.claimBroadcast(
            MessageType.CLUSTER_EVENT, ClusterEventEncoder.computeLength(nameLength, payloadLength));
        if (OutboundBatcher.NO_SPACE != at)
        {
            clusterEventEncoder.wrap(outbound.broadcastBuffer(), at)
                .name(name, nameOffset, nameLength).payload(payload, payloadOffset, payloadLength);
        }
        return at;
    }
}
