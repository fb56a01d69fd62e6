package io.cohort.engine;

import io.cohort.codec.CommandResponseDecoder;
import io.cohort.codec.CommandStatus;
import io.cohort.codec.FlowStatusDecoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ProbeRequestDecoder;
import io.cohort.codec.SnapshotCreditDecoder;
import io.cohort.codec.SnapshotRequestDecoder;
import io.cohort.transport.CommandHandler;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command channel's input of a {@link ClusterCore}: join requests and answers (to the {@link JoinDriver}),
 * seed probes and the summaries of other cluster instances (to the {@link SeedProber}),
 * probes, requests for snapshots of this node's own rows and their credit (to the {@link SnapshotServer}, which
 * serves them in slices), chunks of the snapshots it asked for (to the {@link MemberSync}), and answers to its
 * other requests. Like the core, it owns no socket and reads no
 * clock.
 */
final class CommandChannel implements CommandHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(CommandChannel.class);

    private final ClusterCore core;
    private final Transport transport;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final SyncPublisher publisher;
    private final MemberSync memberSync;
    private final JoinDriver joinDriver;
    private final SnapshotServer snapshotServer;
    private final long nodeId;
    private final ProbeRequestDecoder probeRequestDecoder = new ProbeRequestDecoder();
    private final SnapshotRequestDecoder snapshotRequestDecoder = new SnapshotRequestDecoder();
    private final SnapshotCreditDecoder snapshotCreditDecoder = new SnapshotCreditDecoder();
    private final FlowStatusDecoder flowStatusDecoder = new FlowStatusDecoder();
    private final HeartbeatDecoder livenessDecoder = new HeartbeatDecoder();
    private final CommandResponseDecoder commandResponseDecoder = new CommandResponseDecoder();

    CommandChannel(
        final ClusterCore core,
        final CohortContext context,
        final Transport transport,
        final SnapshotServer snapshotServer,
        final CommandMessages commands,
        final PendingRequests pending,
        final SyncPublisher publisher,
        final MemberSync memberSync,
        final JoinDriver joinDriver)
    {
        this.core = core;
        this.transport = transport;
        this.commands = commands;
        this.pending = pending;
        this.publisher = publisher;
        this.memberSync = memberSync;
        this.joinDriver = joinDriver;
        this.snapshotServer = snapshotServer;
        this.nodeId = context.nodeId();
    }

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
        if (core.state().isTerminal() || senderNodeId == nodeId)
        {
            return;
        }
        switch (type)
        {
            case MessageType.JOIN_REQUEST:
                joinDriver.onJoinRequest(routingId, buffer, bodyOffset, bodyLength, core.members());
                break;

            case MessageType.PROBE_REQUEST:
                publisher.probe(senderNodeId, probeRequestDecoder.wrap(buffer, bodyOffset, bodyLength).nonce());
                break;

            case MessageType.SNAPSHOT_REQUEST:
                onSnapshotRequest(routingId, senderNodeId, senderIncarnation, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.SNAPSHOT_CREDIT:
            {
                final SnapshotCreditDecoder credit = snapshotCreditDecoder.wrap(buffer, bodyOffset, bodyLength);
                snapshotServer.onCredit(senderNodeId, credit.correlationId(), credit.chunksLoaded(), core.nowNs());
                break;
            }

            case MessageType.FLOW_STATUS:
            {
                final FlowStatusDecoder status = flowStatusDecoder.wrap(buffer, bodyOffset, bodyLength);
                core.flowControl().onStatus(core.member(senderNodeId), senderIncarnation, status.ownerIncarnation(),
                    status.appliedBroadcastSequence(), status.appliedDirectedSequence(), core.nowNs());
                break;
            }

            case MessageType.LIVENESS:
                onLiveness(senderNodeId, senderIncarnation, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_PREPARE:
                core.membership().agreement().onPrepare(routingId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_ACCEPT:
                core.membership().agreement().onAccept(routingId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_COMMIT:
                core.membership().agreement().onCommit(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_QUERY:
                core.membership().agreement().onQuery(routingId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.CHANGE_REQUEST:
                core.membership().onChangeRequest(routingId, senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.SEED_PROBE:
                core.seedProber().onProbe(routingId, senderNodeId, senderIncarnation, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.REPAIR_REQUEST:
            {
                final long correlationId = buffer.getLong(bodyOffset, FrameLayout.BYTE_ORDER);
                final int length = commands.commandResponse(correlationId, CommandStatus.REJECTED,
                    "repair is not enabled on this node");
                transport.reply(routingId, commands.buffer(), 0, length);
                break;
            }

            default:
                break;
        }
    }

    /**
     * A member's heartbeat on the command channel: it is heard (its silence timer restarts), its echoes, rows and
     * view count as its stream's heartbeat would, and the last broadcast sequence it handed its socket is awaited on
     * its stream ({@link Heartbeats}: a stream that stops arriving is a fault). Only a member of this node's list, in
     * the incarnation listed: a stranger's or an old incarnation's copy proves nothing.
     */
    private void onLiveness(final long senderNodeId, final long senderIncarnation, final DirectBuffer buffer,
        final int bodyOffset, final int bodyLength)
    {
        final Member member = core.member(senderNodeId);
        if (null == member || member.incarnation != senderIncarnation)
        {
            return;
        }
        final long nowNs = core.nowNs();
        final HeartbeatDecoder liveness = livenessDecoder.wrap(buffer, bodyOffset, bodyLength);
        member.lastHeardNs = nowNs;
        member.awaitBroadcast(liveness.lastBroadcastSequence(), nowNs);
        core.membership().heartbeats().onHeartbeat(member, liveness, nowNs);
    }

    private void onSnapshotRequest(final byte[] routingId, final long senderNodeId, final long senderIncarnation,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final SnapshotRequestDecoder request = snapshotRequestDecoder.wrap(buffer, offset, length);
        final long correlationId = request.correlationId();
        if (request.ownerNodeId() != nodeId)
        {
            final int responseLength = commands.commandResponse(correlationId, CommandStatus.BAD_REQUEST,
                "a node serves a snapshot of its own rows only");
            transport.reply(routingId, commands.buffer(), 0, responseLength);
            return;
        }

        snapshotServer.onRequest(routingId, senderNodeId, senderIncarnation, request, core.nowNs());
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
        if (core.state().isTerminal() || senderNodeId == nodeId)
        {
            return;
        }
        switch (type)
        {
            case MessageType.JOIN_RESPONSE:
                joinDriver.onJoinResponse(senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_PROMISE:
                core.membership().agreement().onPromise(senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_ACCEPTED:
                core.membership().agreement().onAccepted(senderNodeId, buffer, bodyOffset, bodyLength);
                break;

            case MessageType.VIEW_COMMIT:
                core.membership().agreement().onCommit(buffer, bodyOffset, bodyLength);
                break;

            case MessageType.SEED_PROBE_RESPONSE:
                core.seedProber().onSummary(senderNodeId, buffer, bodyOffset, bodyLength, core.nowNs());
                break;

            case MessageType.SNAPSHOT_CHUNK:
            {
                final Member member = core.member(senderNodeId);
                if (null != member)
                {
                    memberSync.onSnapshotChunk(member, buffer, bodyOffset, bodyLength, core.nowNs());
                }
                break;
            }

            case MessageType.COMMAND_RESPONSE:
            {
                final CommandResponseDecoder response = commandResponseDecoder.wrap(buffer, bodyOffset, bodyLength);
                pending.complete(response.correlationId());
                if (CommandStatus.OK != response.status())
                {
                    final Member member = core.member(senderNodeId);
                    if (null != member)
                    {
                        memberSync.onRequestRefused(member, response.correlationId(), core.nowNs());
                    }
                    LOG.warn("node {}: request {} to {} answered {}: {}", ClusterCore.id(nodeId),
                        response.correlationId(), ClusterCore.id(senderNodeId), CommandStatus.name(response.status()),
                        response.detail());
                }
                break;
            }

            default:
                break;
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Nothing of another cluster is applied: a join request is refused with this node's cluster name, a join
     * refusal is logged, anything else is logged once in a while (the transport counted it).
     */
    public void onForeignFrame(
        final byte[] routingId,
        final long senderNodeId,
        final long clusterId,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        if (core.state().isTerminal())
        {
            return;
        }
        if (MessageType.JOIN_REQUEST == type && null != routingId)
        {
            joinDriver.onForeignJoinRequest(routingId, buffer, bodyOffset, bodyLength);
        }
        else if (MessageType.JOIN_RESPONSE == type && null == routingId)
        {
            joinDriver.onForeignJoinResponse(senderNodeId, buffer, bodyOffset, bodyLength);
        }
        else
        {
            joinDriver.onForeignFrame(senderNodeId, clusterId, "a " + MessageType.name(type) + " command");
        }
    }
}
