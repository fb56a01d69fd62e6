package io.cohort.engine;

import io.cohort.codec.ClusterEventDecoder;
import io.cohort.codec.ClusterEventEncoder;
import io.cohort.codec.CommandResponseDecoder;
import io.cohort.codec.CommandStatus;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.JoinRequestDecoder;
import io.cohort.codec.JoinResponseDecoder;
import io.cohort.codec.MemberCardDecoder;
import io.cohort.codec.MemberCardEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeEvictedDecoder;
import io.cohort.codec.NodeLeavingDecoder;
import io.cohort.codec.NodeLeavingEncoder;
import io.cohort.codec.NotificationDecoder;
import io.cohort.codec.NotificationEncoder;
import io.cohort.codec.ProbeDecoder;
import io.cohort.codec.ProbeEncoder;
import io.cohort.codec.ProbeRequestDecoder;
import io.cohort.codec.ReasonCode;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.codec.RoomCountEncoder;
import io.cohort.codec.RoomCreatedDecoder;
import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotRequestDecoder;
import io.cohort.state.SnapshotLoadResult;
import io.cohort.state.SnapshotLoader;
import io.cohort.state.SnapshotWriter;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.CommandHandler;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.StreamSequence;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The protocol logic of one node: a single-threaded, sans-IO state machine. Its inputs are messages
 * ({@link SyncHandler}, {@link CommandHandler}), API calls and the current time ({@link #doWork(long)}); its
 * outputs go to a {@link Transport} and a {@link CohortListener}. It owns no socket and reads no clock, so a
 * simulated network and clock can drive many of them in one thread.
 * <p>
 * <b>Join without the slow-joiner race.</b> For every member, this node (1) subscribes to the member's sync
 * stream; (2) waits for the first message on it, which proves the subscription live and starts buffering
 * (a {@code PROBE} requested on the command channel makes that quick); (3) asks the member for a snapshot of
 * its own rows, which records the member's sequence at snapshot time; (4) loads it, and replays the buffered
 * messages past that sequence; only then are the member's rows trusted. Since the snapshot is requested after
 * the first message arrived, every message after the recorded sequence is in the buffer. A joining node
 * becomes RUNNING once every member it learnt of is synced; members sync the joiner the same way. A directed
 * stream to a node starts only when its subscription reached this node's publisher
 * ({@link SyncHandler#onSubscriberChange}), so that no directed message is lost unseen.
 */
final class ClusterCore implements SyncHandler, CommandHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCore.class);
    private static final long JOIN_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long PROBE_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final CohortContext context;
    private final Transport transport;
    private final SubscriptionState state;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    private final long nodeId;
    private final long incarnation;
    private final OutboundBatcher outbound;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final Long2ObjectHashMap<Member> membersById = new Long2ObjectHashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final LongHashSet pendingCounts = new LongHashSet();
    private final LongHashSet pendingRooms = new LongHashSet();
    private final LongHashSet pendingRoomRemovals = new LongHashSet();
    private final SnapshotWriter snapshotWriter;
    private final LongConsumer routeNotification = this::routeNotification;

    private final HeartbeatEncoder heartbeatEncoder;
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final RoomCountEncoder roomCountEncoder = new RoomCountEncoder();
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private final RoomCreatedDecoder roomCreatedDecoder = new RoomCreatedDecoder();
    private final RoomRemovedDecoder roomRemovedDecoder = new RoomRemovedDecoder();
    private final NotificationEncoder notificationEncoder;
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();
    private final ClusterEventEncoder clusterEventEncoder;
    private final ClusterEventDecoder clusterEventDecoder = new ClusterEventDecoder();
    private final MemberCardEncoder memberCardEncoder;
    private final MemberCardDecoder memberCardDecoder = new MemberCardDecoder();
    private final NodeLeavingEncoder nodeLeavingEncoder = new NodeLeavingEncoder();
    private final NodeLeavingDecoder nodeLeavingDecoder = new NodeLeavingDecoder();
    private final NodeEvictedDecoder nodeEvictedDecoder = new NodeEvictedDecoder();
    private final ProbeEncoder probeEncoder = new ProbeEncoder();
    private final ProbeDecoder probeDecoder = new ProbeDecoder();
    private final ProbeRequestDecoder probeRequestDecoder = new ProbeRequestDecoder();
    private final JoinRequestDecoder joinRequestDecoder = new JoinRequestDecoder();
    private final JoinResponseDecoder joinResponseDecoder = new JoinResponseDecoder();
    private final SnapshotRequestDecoder snapshotRequestDecoder = new SnapshotRequestDecoder();
    private final SnapshotChunkDecoder snapshotChunkDecoder = new SnapshotChunkDecoder();
    private final CommandResponseDecoder commandResponseDecoder = new CommandResponseDecoder();

    private volatile NodeState nodeState = NodeState.STARTING;
    private volatile long[] memberIds = new long[0];
    private volatile String failure;

    private List<String> seedEndpoints = List.of();
    private final LongHashSet joinResponders = new LongHashSet();
    private long joinCorrelationId;
    private boolean joinAccepted;
    private long joinDeadlineNs;
    private long discoveryDeadlineNs;
    private long nextJoinAttemptNs;
    private long nextHeartbeatNs;
    private long nowNs;
    private byte[] snapshotRoutingId;
    private boolean snapshotReplyFailed;
    private long notificationsDropped;
    private long notificationRoomId;
    private DirectBuffer notificationPayload;
    private int notificationOffset;
    private int notificationLength;

    ClusterCore(
        final CohortContext context,
        final Transport transport,
        final SubscriptionState state,
        final ErrorHandler errorHandler,
        final long nowNs)
    {
        this.context = context;
        this.transport = transport;
        this.state = state;
        this.listener = context.listener();
        this.errorHandler = errorHandler;
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.outbound = transport.outbound();
        this.nowNs = nowNs;
        this.pending = new PendingRequests(nowNs);
        final byte[] publicKey = null == context.transportContext().curveKeys() ?
            new byte[0] : context.transportContext().curveKeys().publicKey();
        this.commands = new CommandMessages(nodeId, incarnation, transport.syncEndpoint(), transport.commandEndpoint(),
            publicKey, context.codecLimits());
        this.heartbeatEncoder = new HeartbeatEncoder(context.codecLimits());
        this.notificationEncoder = new NotificationEncoder(context.codecLimits());
        this.clusterEventEncoder = new ClusterEventEncoder(context.codecLimits());
        this.memberCardEncoder = new MemberCardEncoder(context.codecLimits());
        this.snapshotWriter = new SnapshotWriter(state, this::sendSnapshotFrame);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lifecycle
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Starts the node: a cluster of one at once without seeds, else joining through them.
     *
     * @param nowNs         the current time.
     * @param seedEndpoints resolved command endpoints of the seeds, this node's own removed.
     */
    void start(final long nowNs, final List<String> seedEndpoints)
    {
        this.nowNs = nowNs;
        this.seedEndpoints = List.copyOf(seedEndpoints);
        nextHeartbeatNs = nowNs;
        if (this.seedEndpoints.isEmpty())
        {
            LOG.info("node {} starts a new cluster: {}", id(nodeId),
                context.seeds().isEmpty() ? "no seed configured" : "every seed is this node");
            becomeMember();
            return;
        }

        changeState(NodeState.JOINING);
        joinDeadlineNs = nowNs + context.joinTimeoutNs();
        discoveryDeadlineNs = nowNs + context.commandTimeoutNs();
        for (final String endpoint : this.seedEndpoints)
        {
            transport.connectSeed(endpoint);
        }
        LOG.info("node {} joining through seeds {}", id(nodeId), this.seedEndpoints);
        sendJoinRequests();
    }

    /**
     * Runs the timers: heartbeats, join progress, retries, timeouts, silence.
     *
     * @param nowNs the current time.
     * @return the amount of work done.
     */
    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = pending.poll(nowNs, this::onRequestTimeout);
        final NodeState current = nodeState;
        if (current.isTerminal() || NodeState.STARTING == current)
        {
            return workCount;
        }

        if (NodeState.JOINING == current)
        {
            workCount += progressJoin(nowNs);
            if (nodeState.isTerminal())
            {
                return workCount;
            }
        }

        workCount += syncMembers(nowNs);
        workCount += publishPending();
        if (nowNs >= nextHeartbeatNs && NodeState.LEAVING != nodeState)
        {
            if (sendHeartbeat(nowNs))
            {
                nextHeartbeatNs = nowNs + context.heartbeatIntervalNs();
                workCount++;
            }
        }
        workCount += checkSilence(nowNs);
        return workCount;
    }

    /**
     * Announces a graceful leave; the caller flushes the transport and closes.
     */
    void leave()
    {
        if (nodeState.isTerminal() || NodeState.LEAVING == nodeState)
        {
            return;
        }
        publishPending();
        final int at = outbound.claimBroadcast(MessageType.NODE_LEAVING, NodeLeavingEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE != at)
        {
            nodeLeavingEncoder.wrap(outbound.broadcastBuffer(), at)
                .nodeId(nodeId).incarnation(incarnation).lastBroadcastSequence(outbound.nextBroadcastSequence() - 1);
        }
        changeState(NodeState.LEAVING);
        LOG.info("node {} leaving the cluster", id(nodeId));
    }

    /**
     * Marks the node closed.
     */
    void closed()
    {
        if (NodeState.EVICTED != nodeState)
        {
            changeState(NodeState.CLOSED);
        }
    }

    NodeState state()
    {
        return nodeState;
    }

    long[] memberIds()
    {
        return memberIds;
    }

    String failure()
    {
        return failure;
    }

    long notificationsDropped()
    {
        return notificationsDropped;
    }

    int memberCount()
    {
        return members.size();
    }

    boolean isMemberSynced(final long memberId)
    {
        final Member member = membersById.get(memberId);
        return null != member && member.isSynced();
    }

    private void changeState(final NodeState newState)
    {
        final NodeState previous = nodeState;
        if (previous == newState)
        {
            return;
        }
        nodeState = newState;
        LOG.info("node {} state {} -> {}", id(nodeId), previous, newState);
        try
        {
            listener.onStateChanged(previous, newState);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void fail(final String reason)
    {
        failure = reason;
        LOG.error("node {} failed: {}", id(nodeId), reason);
        changeState(NodeState.CLOSED);
    }

    private void becomeMember()
    {
        transport.disconnectSeeds();
        changeState(members.size() + 1 >= context.minimumNodes() ? NodeState.RUNNING : NodeState.NOT_ENOUGH_NODES);
        final int cardLength = MemberCardEncoder.computeLength(
            transport.syncEndpoint(), transport.commandEndpoint(), publicKey());
        final int at = outbound.claimBroadcast(MessageType.NODE_JOINED, cardLength);
        if (OutboundBatcher.NO_SPACE != at)
        {
            memberCardEncoder.wrap(outbound.broadcastBuffer(), at).nodeId(nodeId).incarnation(incarnation)
                .endpoints(transport.syncEndpoint(), transport.commandEndpoint(), publicKey());
        }
    }

    private byte[] publicKey()
    {
        return null == context.transportContext().curveKeys() ?
            new byte[0] : context.transportContext().curveKeys().publicKey();
    }

    private void updateMemberState()
    {
        final NodeState current = nodeState;
        if (current.isTerminal() || NodeState.LEAVING == current || NodeState.JOINING == current)
        {
            return;
        }
        changeState(members.size() + 1 >= context.minimumNodes() ? NodeState.RUNNING : NodeState.NOT_ENOUGH_NODES);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Join
    // ---------------------------------------------------------------------------------------------------------

    private void sendJoinRequests()
    {
        if (0 != joinCorrelationId)
        {
            pending.complete(joinCorrelationId);
        }
        joinCorrelationId = pending.nextCorrelationId();
        pending.register(joinCorrelationId, 0, nowNs + context.commandTimeoutNs());
        final int length = commands.joinRequest(joinCorrelationId);
        for (int i = 0; i < seedEndpoints.size(); i++)
        {
            transport.sendToSeed(i, commands.buffer(), 0, length);
        }
        nextJoinAttemptNs = nowNs + JOIN_RETRY_NS;
    }

    private int progressJoin(final long nowNs)
    {
        if (nowNs >= joinDeadlineNs)
        {
            fail("join did not complete within " + CohortConfiguration.JOIN_TIMEOUT_PROP_NAME + "=" +
                TimeUnit.NANOSECONDS.toMillis(context.joinTimeoutNs()) + "ms: " + joinProgress());
            return 1;
        }

        if (!joinAccepted)
        {
            if (nowNs >= discoveryDeadlineNs && shouldFoundCluster())
            {
                LOG.info("node {} founds the cluster: {}", id(nodeId), joinResponders.isEmpty() ?
                    "no seed answered" : "every node that answered is joining too and has a larger id");
                becomeMember();
                return 1;
            }
            if (nowNs >= nextJoinAttemptNs)
            {
                sendJoinRequests();
                return 1;
            }
            return 0;
        }

        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (!members.get(i).isSynced())
            {
                return 0;
            }
        }
        LOG.info("node {} joined: {} members synced", id(nodeId), members.size());
        becomeMember();
        return 1;
    }

    private boolean shouldFoundCluster()
    {
        if (joinResponders.isEmpty())
        {
            return true;
        }
        final LongHashSet.LongIterator it = joinResponders.iterator();
        while (it.hasNext())
        {
            if (Long.compareUnsigned(it.nextValue(), nodeId) < 0)
            {
                return false;
            }
        }
        return true;
    }

    private String joinProgress()
    {
        if (!joinAccepted)
        {
            return joinResponders.isEmpty() ? "no seed answered among " + seedEndpoints :
                "only joining nodes answered: " + joinResponders;
        }
        final StringBuilder builder = new StringBuilder("members not synced yet:");
        for (final Member member : members)
        {
            if (!member.isSynced())
            {
                builder.append(' ').append(member);
            }
        }
        return builder.toString();
    }

    private void onJoinResponse(final long senderNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final JoinResponseDecoder response = joinResponseDecoder.wrap(buffer, offset, length);
        if (senderNodeId == nodeId)
        {
            return;
        }
        if (CommandStatus.OK != response.status())
        {
            if (NodeState.JOINING == nodeState && !joinAccepted)
            {
                joinResponders.add(senderNodeId);
            }
            return;
        }

        if (NodeState.JOINING == nodeState && !joinAccepted && response.correlationId() == joinCorrelationId)
        {
            joinAccepted = true;
            pending.complete(joinCorrelationId);
            LOG.info("node {} accepted by {}: {} members", id(nodeId), id(senderNodeId), response.memberCount());
        }

        final MemberCardDecoder card = memberCardDecoder;
        while (response.nextMember(card))
        {
            if (card.nodeId() != nodeId && !membersById.containsKey(card.nodeId()))
            {
                final Member member = addMember(card.nodeId(), card.incarnation(), card.syncEndpoint(),
                    card.commandEndpoint());
                if (null != member && member.nodeId != senderNodeId)
                {
                    final int requestLength = commands.joinRequest(pending.nextCorrelationId());
                    transport.sendRequest(member.nodeId, commands.buffer(), 0, requestLength);
                }
            }
        }
    }

    private void onJoinRequest(final byte[] routingId, final long senderNodeId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final JoinRequestDecoder request = joinRequestDecoder.wrap(buffer, offset, length);
        final long correlationId = request.correlationId();
        if (senderNodeId == nodeId)
        {
            return;
        }
        final NodeState current = nodeState;
        if (!current.isMember())
        {
            final int responseLength = commands.joinResponse(correlationId, CommandStatus.NOT_READY, List.of());
            transport.reply(routingId, commands.buffer(), 0, responseLength);
            return;
        }

        final MemberCardDecoder card = request.card(memberCardDecoder);
        if (card.versionMajor() != io.cohort.codec.FrameLayout.VERSION_MAJOR)
        {
            final int responseLength = commands.joinResponse(correlationId, CommandStatus.REJECTED, List.of());
            transport.reply(routingId, commands.buffer(), 0, responseLength);
            return;
        }

        Member member = membersById.get(card.nodeId());
        if (null != member && member.incarnation != card.incarnation())
        {
            removeMember(member, ReasonCode.SILENCE, false);
            member = null;
        }
        final boolean isNew = null == member;
        if (isNew)
        {
            member = addMember(card.nodeId(), card.incarnation(), card.syncEndpoint(), card.commandEndpoint());
        }
        final int responseLength = commands.joinResponse(correlationId, CommandStatus.OK, members);
        transport.reply(routingId, commands.buffer(), 0, responseLength);
        if (isNew && null != member)
        {
            relayMemberCard(member);
        }
    }

    private void relayMemberCard(final Member member)
    {
        final byte[] key = publicKey();
        final int at = outbound.claimBroadcast(MessageType.MEMBER_CARD,
            MemberCardEncoder.computeLength(member.syncEndpoint, member.commandEndpoint, key));
        if (OutboundBatcher.NO_SPACE != at)
        {
            memberCardEncoder.wrap(outbound.broadcastBuffer(), at).nodeId(member.nodeId).incarnation(member.incarnation)
                .endpoints(member.syncEndpoint, member.commandEndpoint, key);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Members and their sync
    // ---------------------------------------------------------------------------------------------------------

    private Member addMember(
        final long memberId, final long memberIncarnation, final String syncEndpoint, final String commandEndpoint)
    {
        final Peer peer;
        try
        {
            peer = transport.addPeer(memberId, memberIncarnation, syncEndpoint, commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
        // A new incarnation's directed stream to this node starts at the first sequence: anything lost before
        // the first directed frame is then seen as a gap.
        peer.counters().directedSequence().expect(OutboundBatcher.FIRST_SEQUENCE);
        final Member member = new Member(memberId, memberIncarnation, syncEndpoint, commandEndpoint, peer, nowNs);
        membersById.put(memberId, member);
        members.add(member);
        publishMemberIds();
        LOG.info("node {} subscribed to member {} at {}", id(nodeId), member, syncEndpoint);
        requestProbe(member);
        return member;
    }

    private void removeMember(final Member member, final int reason, final boolean graceful)
    {
        membersById.remove(member.nodeId);
        members.remove(member);
        transport.removePeer(member.nodeId);
        outbound.removeDestination(member.nodeId);
        final long rows = state.removeOwner(member.nodeId);
        if (null != member.loader)
        {
            member.loader = null;
        }
        publishMemberIds();
        LOG.info("node {} removed member {} ({}): {} rows dropped", id(nodeId), member,
            graceful ? "left" : ReasonCode.name(reason), rows);
        try
        {
            if (graceful)
            {
                listener.onMemberLeft(member.nodeId);
            }
            else
            {
                listener.onMemberEvicted(member.nodeId, reason);
            }
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
        updateMemberState();
    }

    private void publishMemberIds()
    {
        final long[] ids = new long[members.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = members.get(i).nodeId;
        }
        memberIds = ids;
    }

    private void requestProbe(final Member member)
    {
        final long correlationId = pending.nextCorrelationId();
        final int length = commands.probeRequest(correlationId, correlationId);
        transport.sendRequest(member.nodeId, commands.buffer(), 0, length);
        member.nextProbeNs = nowNs + PROBE_RETRY_NS;
    }

    private int syncMembers(final long nowNs)
    {
        int workCount = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs >= member.nextProbeNs)
            {
                requestProbe(member);
                workCount++;
            }
            else if (Member.Phase.AWAITING_SNAPSHOT == member.phase && nowNs >= member.snapshotDeadlineNs)
            {
                LOG.warn("node {}: snapshot of {} timed out, asking again", id(nodeId), member);
                requestSnapshot(member);
                workCount++;
            }
        }
        return workCount;
    }

    private void onBaseline(final Member member)
    {
        member.phase = Member.Phase.AWAITING_SNAPSHOT;
        requestSnapshot(member);
    }

    private void requestSnapshot(final Member member)
    {
        state.removeOwner(member.nodeId);
        member.snapshotCorrelationId = pending.nextCorrelationId();
        member.snapshotDeadlineNs = nowNs + context.commandTimeoutNs();
        if (null == member.loader)
        {
            member.loader = new SnapshotLoader(state, this::onOwnerLoaded);
        }
        member.loader.begin(member.snapshotCorrelationId);
        final int length = commands.snapshotRequest(member.snapshotCorrelationId, member.nodeId);
        transport.sendRequest(member.nodeId, commands.buffer(), 0, length);
    }

    private void onSnapshotChunk(final long senderNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final Member member = membersById.get(senderNodeId);
        if (null == member || Member.Phase.AWAITING_SNAPSHOT != member.phase || null == member.loader)
        {
            return;
        }
        final SnapshotChunkDecoder chunk = snapshotChunkDecoder.wrap(buffer, offset, length);
        if (chunk.correlationId() != member.snapshotCorrelationId)
        {
            return;
        }
        final SnapshotLoadResult result = member.loader.onChunk(chunk);
        if (result.isFailure())
        {
            LOG.warn("node {}: snapshot of {} failed ({}), asking again", id(nodeId), member,
                member.loader.failureDescription());
            requestSnapshot(member);
        }
        else if (SnapshotLoadResult.COMPLETE == result && Member.Phase.AWAITING_SNAPSHOT == member.phase)
        {
            LOG.warn("node {}: snapshot of {} ended without its rows, asking again", id(nodeId), member);
            requestSnapshot(member);
        }
    }

    private void onOwnerLoaded(final long ownerNodeId, final long ownerIncarnation, final long ownerSequence,
        final long rows)
    {
        final Member member = membersById.get(ownerNodeId);
        if (null == member || ownerIncarnation != member.incarnation)
        {
            return;
        }
        replayBuffered(member, ownerSequence);
        member.phase = Member.Phase.SYNCED;
        member.loader = null;
        LOG.info("node {} synced member {}: {} rows at sequence {}", id(nodeId), member, rows, ownerSequence);
        if (!member.announced)
        {
            member.announced = true;
            try
            {
                listener.onMemberJoined(member.nodeId);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        updateMemberState();
    }

    private void buffer(final Member member, final long sequence, final int type, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (null == member.buffered)
        {
            member.buffered = new ExpandableArrayBuffer(64 * 1024);
        }
        final ExpandableArrayBuffer target = member.buffered;
        final int at = member.bufferedLength;
        target.putLong(at + Member.BUFFERED_SEQUENCE_OFFSET, sequence);
        target.putInt(at + Member.BUFFERED_TYPE_OFFSET, type);
        target.putInt(at + Member.BUFFERED_LENGTH_OFFSET, length);
        target.putBytes(at + Member.BUFFERED_BODY_OFFSET, buffer, offset, length);
        member.bufferedLength = at + Member.BUFFERED_BODY_OFFSET + length;
        member.bufferedMessages++;
    }

    private void replayBuffered(final Member member, final long ownerSequence)
    {
        final ExpandableArrayBuffer buffered = member.buffered;
        int position = 0;
        int replayed = 0;
        while (position < member.bufferedLength)
        {
            final long sequence = buffered.getLong(position + Member.BUFFERED_SEQUENCE_OFFSET);
            final int type = buffered.getInt(position + Member.BUFFERED_TYPE_OFFSET);
            final int length = buffered.getInt(position + Member.BUFFERED_LENGTH_OFFSET);
            if (sequence > ownerSequence)
            {
                applyState(member, type, buffered, position + Member.BUFFERED_BODY_OFFSET, length);
                replayed++;
            }
            position += Member.BUFFERED_BODY_OFFSET + length;
        }
        if (member.bufferedMessages > 0)
        {
            LOG.debug("node {} replayed {} of {} buffered messages of {}", id(nodeId), replayed,
                member.bufferedMessages, member);
        }
        member.buffered = null;
        member.bufferedLength = 0;
        member.bufferedMessages = 0;
    }

    private int checkSilence(final long nowNs)
    {
        int removed = 0;
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member member = members.get(i);
            if (nowNs - member.lastHeardNs > context.heartbeatTimeoutNs())
            {
                removeMember(member, ReasonCode.SILENCE, false);
                removed++;
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sync channel input
    // ---------------------------------------------------------------------------------------------------------

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
        final Member member = membersById.get(peer.nodeId());
        if (null == member || nodeState.isTerminal())
        {
            return;
        }
        member.lastHeardNs = nowNs;
        if (Member.Phase.AWAITING_BASELINE == member.phase && !directed)
        {
            onBaseline(member);
        }

        switch (type)
        {
            case MessageType.ROOM_COUNT:
            case MessageType.ROOM_CREATED:
            case MessageType.ROOM_REMOVED:
                if (member.isSynced())
                {
                    applyState(member, type, buffer, bodyOffset, bodyLength);
                    peer.counters().onApplied();
                }
                else
                {
                    buffer(member, sequence, type, buffer, bodyOffset, bodyLength);
                }
                break;

            case MessageType.HEARTBEAT:
                onHeartbeat(member, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.NOTIFICATION:
                onNotification(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.CLUSTER_EVENT:
                onClusterEvent(buffer, bodyOffset, bodyLength);
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

            case MessageType.PROBE:
                probeDecoder.wrap(buffer, bodyOffset, bodyLength);
                break;

            default:
                break;
        }
    }

    private void applyState(final Member member, final int type, final DirectBuffer buffer, final int offset,
        final int length)
    {
        switch (type)
        {
            case MessageType.ROOM_COUNT:
            {
                final RoomCountDecoder roomCount = roomCountDecoder.wrap(buffer, offset, length);
                final StateResult result = state.applyRemote(member.nodeId, roomCount.roomId(), roomCount.count());
                if (result.isRefusal())
                {
                    errorHandler.onError(new IllegalStateException("count of room " + roomCount.roomId() +
                        " from " + member + " refused: " + result));
                }
                break;
            }

            case MessageType.ROOM_CREATED:
            {
                final RoomCreatedDecoder room = roomCreatedDecoder.wrap(buffer, offset, length);
                final StateResult result = state.createRoom(room);
                if (StateResult.ROOM_CREATED == result)
                {
                    notifyRoomCreated(room);
                }
                else if (result.isRefusal())
                {
                    errorHandler.onError(new IllegalStateException("room " + room.roomId() + " from " + member +
                        " refused: " + result));
                }
                break;
            }

            case MessageType.ROOM_REMOVED:
            {
                final long roomId = roomRemovedDecoder.wrap(buffer, offset, length).roomId();
                if (StateResult.ROOM_REMOVED == state.removeRoom(roomId))
                {
                    try
                    {
                        listener.onRoomRemoved(roomId);
                    }
                    catch (final Exception ex)
                    {
                        errorHandler.onError(ex);
                    }
                }
                break;
            }

            default:
                break;
        }
    }

    private void notifyRoomCreated(final RoomCreatedDecoder room)
    {
        try
        {
            listener.onRoomCreated(room.roomId(), room.indexName(), room.collectionName(), room.filter());
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void onHeartbeat(final Member member, final DirectBuffer buffer, final int offset, final int length)
    {
        final HeartbeatDecoder heartbeat = heartbeatDecoder.wrap(buffer, offset, length);
        if (member.isSynced())
        {
            final long replicaDigest = state.ownerDigest(member.nodeId);
            if (replicaDigest != heartbeat.stateDigest())
            {
                member.desyncs++;
                onDesync(member, ReasonCode.DIGEST_MISMATCH, heartbeat.stateDigest(), replicaDigest);
            }
        }
    }

    private void onNotification(final DirectBuffer buffer, final int offset, final int length)
    {
        final NotificationDecoder notification = notificationDecoder.wrap(buffer, offset, length);
        final long roomId = notification.roomId();
        if (state.localCount(roomId) > 0)
        {
            try
            {
                listener.onNotification(roomId, buffer, notification.payloadOffset(), notification.payloadLength());
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    private void onClusterEvent(final DirectBuffer buffer, final int offset, final int length)
    {
        final ClusterEventDecoder event = clusterEventDecoder.wrap(buffer, offset, length);
        try
        {
            listener.onClusterEvent(event.name(), buffer, event.payloadOffset(), event.payloadLength());
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void onMemberCard(final DirectBuffer buffer, final int offset, final int length)
    {
        final MemberCardDecoder card = memberCardDecoder.wrap(buffer, offset, length);
        final long memberId = card.nodeId();
        if (memberId == nodeId || !nodeState.isMember() && NodeState.JOINING != nodeState)
        {
            return;
        }
        final Member known = membersById.get(memberId);
        if (null != known)
        {
            if (known.incarnation == card.incarnation())
            {
                return;
            }
            removeMember(known, ReasonCode.SILENCE, false);
        }
        final Member member = addMember(memberId, card.incarnation(), card.syncEndpoint(), card.commandEndpoint());
        if (null != member)
        {
            // It may not know this node yet (two joins at once): introduce this node to it.
            final int length2 = commands.joinRequest(pending.nextCorrelationId());
            transport.sendRequest(member.nodeId, commands.buffer(), 0, length2);
        }
    }

    private void onNodeLeaving(final Member sender, final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeLeavingDecoder leaving = nodeLeavingDecoder.wrap(buffer, offset, length);
        final Member member = membersById.get(leaving.nodeId());
        if (null != member && member == sender && member.incarnation == leaving.incarnation())
        {
            removeMember(member, 0, true);
        }
    }

    private void onNodeEvicted(final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeEvictedDecoder evicted = nodeEvictedDecoder.wrap(buffer, offset, length);
        if (evicted.evictedNodeId() == nodeId && evicted.evictedIncarnation() == incarnation)
        {
            LOG.error("node {} evicted by {}: {}", id(nodeId), id(evicted.accuserNodeId()),
                ReasonCode.name(evicted.reason()));
            changeState(NodeState.EVICTED);
            return;
        }
        final Member member = membersById.get(evicted.evictedNodeId());
        if (null != member && member.incarnation == evicted.evictedIncarnation())
        {
            removeMember(member, evicted.reason(), false);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onStreamFault(
        final Peer peer, final boolean directed, final int reason, final long expectedSequence, final long observed)
    {
        final Member member = membersById.get(peer.nodeId());
        if (null == member)
        {
            return;
        }
        if (!member.isSynced() && !directed)
        {
            // Before the snapshot, a broken buffer only means the snapshot must be asked again after it.
            LOG.warn("node {}: {} in stream of {} while syncing (expected {}, saw {}): syncing again",
                id(nodeId), ReasonCode.name(reason), member, expectedSequence, observed);
            member.buffered = null;
            member.bufferedLength = 0;
            member.bufferedMessages = 0;
            member.phase = Member.Phase.AWAITING_BASELINE;
            member.nextProbeNs = nowNs;
            return;
        }
        onDesync(member, reason, expectedSequence, observed);
    }

    /**
     * {@inheritDoc}
     */
    public void onBadFrame(final Peer peer, final DecodeResult result)
    {
        final Member member = membersById.get(peer.nodeId());
        if (null != member)
        {
            onDesync(member, ReasonCode.BAD_FRAME, -1, result.ordinal());
        }
    }

    /**
     * This node's copy of a member's rows can no longer be trusted. Until the fault-handling rules decide who is
     * at fault, this node stops trusting the copy and takes it again from the owner, the way it synced it first.
     */
    private void onDesync(final Member member, final int reason, final long expected, final long observed)
    {
        LOG.warn("node {}: copy of {} desynchronised: {} (expected {}, observed {}); resyncing", id(nodeId), member,
            ReasonCode.name(reason), expected, observed);
        member.buffered = null;
        member.bufferedLength = 0;
        member.bufferedMessages = 0;
        member.phase = Member.Phase.AWAITING_BASELINE;
        member.nextProbeNs = nowNs;
        member.peer.counters().broadcastSequence().expect(StreamSequence.UNKNOWN);
    }

    /**
     * {@inheritDoc}
     */
    public void onSubscriberChange(final long subscriberNodeId, final boolean subscribed)
    {
        final Member member = membersById.get(subscriberNodeId);
        if (subscribed && null != member && !member.directedStreamOpen)
        {
            outbound.addDestination(subscriberNodeId);
            member.directedStreamOpen = true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Command channel input
    // ---------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    public void onRequest(
        final byte[] routingId,
        final long senderNodeId,
        final long senderIncarnation,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        if (nodeState.isTerminal())
        {
            return;
        }
        switch (type)
        {
            case MessageType.JOIN_REQUEST:
                onJoinRequest(routingId, senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.PROBE_REQUEST:
            {
                final ProbeRequestDecoder request = probeRequestDecoder.wrap(buffer, bodyOffset, bodyLength);
                final int at = outbound.claimBroadcast(MessageType.PROBE, ProbeEncoder.BODY_LENGTH);
                if (OutboundBatcher.NO_SPACE != at)
                {
                    probeEncoder.wrap(outbound.broadcastBuffer(), at)
                        .requesterNodeId(senderNodeId).nonce(request.nonce());
                }
                break;
            }

            case MessageType.SNAPSHOT_REQUEST:
                onSnapshotRequest(routingId, senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.REPAIR_REQUEST:
            {
                final long correlationId = buffer.getLong(bodyOffset, io.cohort.codec.FrameLayout.BYTE_ORDER);
                final int length = commands.commandResponse(correlationId, CommandStatus.REJECTED,
                    "repair is not enabled on this node");
                transport.reply(routingId, commands.buffer(), 0, length);
                break;
            }

            default:
                break;
        }
    }

    private void onSnapshotRequest(final byte[] routingId, final long senderNodeId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final SnapshotRequestDecoder request = snapshotRequestDecoder.wrap(buffer, offset, length);
        final long correlationId = request.correlationId();
        if (request.ownerNodeId() != nodeId || !nodeState.isMember() && NodeState.JOINING != nodeState)
        {
            final int responseLength = commands.commandResponse(correlationId, CommandStatus.BAD_REQUEST,
                "a node serves a snapshot of its own rows only");
            transport.reply(routingId, commands.buffer(), 0, responseLength);
            return;
        }

        // Everything claimed so far is in the rows streamed now: the recorded sequence is the last one claimed.
        publishPending();
        snapshotRoutingId = routingId;
        snapshotReplyFailed = false;
        snapshotWriter.begin(nodeId, incarnation, senderNodeId, correlationId);
        snapshotWriter.writeOwner(nodeId, incarnation, outbound.nextBroadcastSequence() - 1);
        snapshotWriter.writeRoomsAndEnd();
        snapshotRoutingId = null;
        if (snapshotReplyFailed)
        {
            LOG.warn("node {}: snapshot for {} could not be sent whole; it will ask again", id(nodeId),
                id(senderNodeId));
        }
    }

    private void sendSnapshotFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!snapshotReplyFailed && !transport.reply(snapshotRoutingId, buffer, offset, length))
        {
            snapshotReplyFailed = true;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onResponse(
        final long senderNodeId,
        final long senderIncarnation,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        if (nodeState.isTerminal())
        {
            return;
        }
        switch (type)
        {
            case MessageType.JOIN_RESPONSE:
                onJoinResponse(senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.SNAPSHOT_CHUNK:
                onSnapshotChunk(senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.COMMAND_RESPONSE:
            {
                final CommandResponseDecoder response = commandResponseDecoder.wrap(buffer, bodyOffset, bodyLength);
                pending.complete(response.correlationId());
                if (CommandStatus.OK != response.status())
                {
                    LOG.warn("node {}: request {} to {} answered {}: {}", id(nodeId), response.correlationId(),
                        id(senderNodeId), CommandStatus.name(response.status()), response.detail());
                }
                break;
            }

            default:
                break;
        }
    }

    private void onRequestTimeout(final long correlationId, final long peerNodeId)
    {
        // Join requests are retried on their own timer; snapshots on theirs: nothing else waits on a response.
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output
    // ---------------------------------------------------------------------------------------------------------

    private boolean sendHeartbeat(final long nowNs)
    {
        if (!pendingCounts.isEmpty() || !pendingRooms.isEmpty() || !pendingRoomRemovals.isEmpty())
        {
            // The digest must describe exactly the rows already in the stream before the heartbeat.
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

    private int publishPending()
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
                target.putLong(at, roomId, io.cohort.codec.FrameLayout.BYTE_ORDER);
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
                outbound.broadcastBuffer().putLong(at, roomId, io.cohort.codec.FrameLayout.BYTE_ORDER);
                it.remove();
                published++;
            }
        }
        return published;
    }

    // ---------------------------------------------------------------------------------------------------------
    // API, called on the node's thread
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Records a change of this node's count of a room, to be published at the end of the duty cycle. Counts
     * are absolute, so only the last value of a room in a cycle needs to travel.
     *
     * @param roomId        the room.
     * @param previousCount the count before.
     * @param newCount      the count now.
     */
    void onLocalCountChanged(final long roomId, final long previousCount, final long newCount)
    {
        pendingCounts.add(roomId);
    }

    boolean acceptsApiCalls()
    {
        return nodeState.isMember();
    }

    StateResult subscribe(final long connectionId, final long roomId)
    {
        return state.subscribe(connectionId, roomId);
    }

    StateResult unsubscribe(final long connectionId, final long roomId)
    {
        return state.unsubscribe(connectionId, roomId);
    }

    StateResult disconnect(final long connectionId)
    {
        return state.disconnect(connectionId);
    }

    StateResult createRoom(final long roomId, final DirectBuffer metadata, final int offset, final int length)
    {
        final StateResult result = state.createRoom(roomId, metadata, offset, length);
        if (StateResult.ROOM_CREATED == result)
        {
            pendingRooms.add(roomId);
            final int metadataLength = state.roomMetadataLength(roomId);
            final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(Long.BYTES + metadataLength);
            scratch.putLong(0, roomId, io.cohort.codec.FrameLayout.BYTE_ORDER);
            state.copyRoomMetadata(roomId, scratch, Long.BYTES);
            notifyRoomCreated(roomCreatedDecoder.wrap(scratch, 0, Long.BYTES + metadataLength));
        }
        return result;
    }

    StateResult removeRoom(final long roomId)
    {
        final StateResult result = state.removeRoom(roomId);
        if (StateResult.ROOM_REMOVED == result)
        {
            pendingRooms.remove(roomId);
            pendingRoomRemovals.add(roomId);
            try
            {
                listener.onRoomRemoved(roomId);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        return result;
    }

    /**
     * Delivers a notification to local subscribers and routes it to exactly the nodes whose count for the room
     * is above zero.
     *
     * @return number of nodes it was routed to, or -1 if a directed stream was back-pressured.
     */
    int publish(final long roomId, final DirectBuffer payload, final int offset, final int length)
    {
        if (state.localCount(roomId) > 0)
        {
            try
            {
                listener.onNotification(roomId, payload, offset, length);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        notificationRoomId = roomId;
        notificationPayload = payload;
        notificationOffset = offset;
        notificationLength = length;
        final long droppedBefore = notificationsDropped;
        final int routed = state.forEachOwnerWithSubscribers(roomId, routeNotification);
        notificationPayload = null;
        return notificationsDropped == droppedBefore ? routed : -1;
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
                " to node " + id(ownerNodeId) + " dropped: directed stream back-pressured"));
            return;
        }
        notificationEncoder.wrap(outbound.directedBuffer(ownerNodeId), at)
            .roomId(notificationRoomId).payload(notificationPayload, notificationOffset, notificationLength);
    }

    boolean broadcastEvent(
        final DirectBuffer name, final int nameOffset, final int nameLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final int at = outbound.claimBroadcast(
            MessageType.CLUSTER_EVENT, ClusterEventEncoder.computeLength(nameLength, payloadLength));
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        clusterEventEncoder.wrap(outbound.broadcastBuffer(), at)
            .name(name, nameOffset, nameLength).payload(payload, payloadOffset, payloadLength);
        onClusterEvent(outbound.broadcastBuffer(), at, ClusterEventEncoder.computeLength(nameLength, payloadLength));
        return true;
    }

    static String id(final long nodeId)
    {
        return String.format("%016x", nodeId);
    }
}
