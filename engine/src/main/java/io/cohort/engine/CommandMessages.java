package io.cohort.engine;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.CommandResponseEncoder;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.FlowStatusEncoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.JoinRequestEncoder;
import io.cohort.codec.JoinResponseEncoder;
import io.cohort.codec.MemberCardEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ProbeRequestEncoder;
import io.cohort.codec.SnapshotCreditEncoder;
import io.cohort.codec.SnapshotRequestDecoder;
import io.cohort.codec.SnapshotRequestEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Builds the frames of the command channel (requests and responses) in one reused buffer, each stamped with this
 * node's cluster id; join requests and responses carry the settings every member must share. Commands are rare
 * (joins, snapshots, probes), so the convenience of strings here costs nothing that matters.
 */
final class CommandMessages
{
    private final long clusterId;
    private final long nodeId;
    private final long incarnation;
    private final byte[] clusterName;
    private final long heartbeatIntervalNs;
    private final long heartbeatTimeoutNs;
    private final UnsafeBuffer buffer;
    private final FrameEncoder frame = new FrameEncoder();
    private final JoinRequestEncoder joinRequest;
    private final JoinResponseEncoder joinResponse;
    private final SnapshotRequestEncoder snapshotRequest = new SnapshotRequestEncoder();
    private final RoomSource.FloorVisitor floorWriter = snapshotRequest::floor;
    private final SnapshotCreditEncoder snapshotCredit = new SnapshotCreditEncoder();
    private final ProbeRequestEncoder probeRequest = new ProbeRequestEncoder();
    private final FlowStatusEncoder flowStatus = new FlowStatusEncoder();
    private final HeartbeatEncoder liveness;
    private final CommandResponseEncoder commandResponse;
    private final String syncEndpoint;
    private final String commandEndpoint;
    private final byte[] publicKey;

    CommandMessages(
        final CohortContext context,
        final String syncEndpoint,
        final String commandEndpoint,
        final byte[] publicKey)
    {
        final CodecLimits limits = context.codecLimits();
        this.clusterId = context.clusterId();
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.clusterName = context.clusterName().getBytes(StandardCharsets.UTF_8);
        this.heartbeatIntervalNs = context.heartbeatIntervalNs();
        this.heartbeatTimeoutNs = context.heartbeatTimeoutNs();
        this.syncEndpoint = syncEndpoint;
        this.commandEndpoint = commandEndpoint;
        this.publicKey = publicKey;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(limits.maxFrameLength(), 64));
        this.joinRequest = new JoinRequestEncoder(limits);
        this.joinResponse = new JoinResponseEncoder(limits);
        this.commandResponse = new CommandResponseEncoder(limits);
        this.liveness = new HeartbeatEncoder(limits);
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Begins a command frame from this node in the shared buffer, for the message builders of other classes
     * ({@link ViewMessages}).
     */
    FrameEncoder begin()
    {
        return frame.wrap(buffer, 0, buffer.capacity())
            .begin(clusterId, nodeId, incarnation, FrameLayout.BROADCAST, 0);
    }

    int joinRequest(final long correlationId)
    {
        final FrameEncoder frame = begin();
        final int cardLength = MemberCardEncoder.computeLength(syncEndpoint, commandEndpoint, publicKey);
        final int at = frame.claim(
            MessageType.JOIN_REQUEST, JoinRequestEncoder.computeLength(clusterName.length, cardLength));
        joinRequest.wrap(buffer, at).correlationId(correlationId).heartbeat(heartbeatIntervalNs, heartbeatTimeoutNs)
            .clusterName(clusterName).card()
            .nodeId(nodeId).incarnation(incarnation).endpoints(syncEndpoint, commandEndpoint, publicKey);
        return frame.finish();
    }

    int joinResponse(final long correlationId, final int status, final Collection<Member> members)
    {
        int cardsLength = MemberCardEncoder.computeLength(syncEndpoint, commandEndpoint, publicKey);
        for (final Member member : members)
        {
            cardsLength += MemberCardEncoder.computeLength(member.syncEndpoint, member.commandEndpoint, publicKey);
        }
        final FrameEncoder frame = begin();
        final int at = frame.claim(
            MessageType.JOIN_RESPONSE, JoinResponseEncoder.computeLength(clusterName.length, cardsLength));
        joinResponse.wrap(buffer, at).correlationId(correlationId).status(status)
            .heartbeat(heartbeatIntervalNs, heartbeatTimeoutNs).clusterName(clusterName)
            .addMember(nodeId, incarnation, syncEndpoint, commandEndpoint, publicKey);
        for (final Member member : members)
        {
            joinResponse.addMember(
                member.nodeId, member.incarnation, member.syncEndpoint, member.commandEndpoint, publicKey);
        }
        return frame.finish();
    }

    /**
     * A snapshot request; with {@code FLAG_ROOM_FLOORS}, the floors are the room source's (none: the flag is dropped,
     * every room being wanted at once).
     */
    int snapshotRequest(final long correlationId, final long ownerNodeId, final int flags, final RoomSource floors)
    {
        final boolean withFloors = 0 != (flags & SnapshotRequestDecoder.FLAG_ROOM_FLOORS) && floors.floorCount() > 0;
        final int floorCount = withFloors ? floors.floorCount() : 0;
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.SNAPSHOT_REQUEST, SnapshotRequestDecoder.lengthWithFloors(floorCount));
        snapshotRequest.wrap(buffer, at).correlationId(correlationId).ownerNodeId(ownerNodeId).maxChunkLength(0)
            .flags(flags & ~SnapshotRequestDecoder.FLAG_ROOM_FLOORS);
        if (withFloors)
        {
            snapshotRequest.floors(floorCount);
            floors.forEachFloor(floorWriter);
        }
        return frame.finish();
    }

    int snapshotCredit(final long correlationId, final long chunksLoaded)
    {
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.SNAPSHOT_CREDIT, SnapshotCreditEncoder.BODY_LENGTH);
        snapshotCredit.wrap(buffer, at).correlationId(correlationId).chunksLoaded(chunksLoaded);
        return frame.finish();
    }

    int flowStatus(final long ownerIncarnation, final long appliedBroadcastSequence,
        final long appliedDirectedSequence)
    {
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.FLOW_STATUS, FlowStatusEncoder.BODY_LENGTH);
        flowStatus.wrap(buffer, at).ownerIncarnation(ownerIncarnation)
            .appliedBroadcastSequence(appliedBroadcastSequence).appliedDirectedSequence(appliedDirectedSequence);
        return frame.finish();
    }

    /**
     * The liveness copy of a heartbeat, for every member on the command channel: the same body as the stream's
     * heartbeat but no digest (it is not ordered with this node's rows) and no directed sequences.
     */
    int liveness(final long nowNs, final SyncPublisher.HeartbeatView view, final long heartbeatSeq,
        final long lastBroadcastSequence, final int flags)
    {
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.LIVENESS, HeartbeatEncoder.computeLength(view.entryCount(), 0));
        SyncPublisher.writeMembership(liveness.wrap(buffer, at).sendTimeNs(nowNs)
            .lastBroadcastSequence(lastBroadcastSequence).flags(flags), view, heartbeatSeq);
        return frame.finish();
    }

    int probeRequest(final long correlationId, final long nonce)
    {
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.PROBE_REQUEST, ProbeRequestEncoder.BODY_LENGTH);
        probeRequest.wrap(buffer, at).correlationId(correlationId).nonce(nonce);
        return frame.finish();
    }

    int commandResponse(final long correlationId, final int status, final String detail)
    {
        final byte[] detailBytes = detail.getBytes(StandardCharsets.UTF_8);
        final FrameEncoder frame = begin();
        final int at = frame.claim(MessageType.COMMAND_RESPONSE, CommandResponseEncoder.computeLength(detailBytes.length));
        commandResponse.wrap(buffer, at).correlationId(correlationId).status(status).detail(detailBytes);
        return frame.finish();
    }
}
