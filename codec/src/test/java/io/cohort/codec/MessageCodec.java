package io.cohort.codec;

import io.cohort.codec.Messages.Bytes;
import io.cohort.codec.Messages.Card;
import io.cohort.codec.Messages.ClusterEvent;
import io.cohort.codec.Messages.CommandResponse;
import io.cohort.codec.Messages.Count;
import io.cohort.codec.Messages.Directed;
import io.cohort.codec.Messages.Heartbeat;
import io.cohort.codec.Messages.JoinRequest;
import io.cohort.codec.Messages.JoinResponse;
import io.cohort.codec.Messages.MemberCard;
import io.cohort.codec.Messages.Message;
import io.cohort.codec.Messages.NodeEvicted;
import io.cohort.codec.Messages.NodeLeaving;
import io.cohort.codec.Messages.Notification;
import io.cohort.codec.Messages.Probe;
import io.cohort.codec.Messages.ProbeRequest;
import io.cohort.codec.Messages.SnapshotCredit;
import io.cohort.codec.Messages.FlowStatus;
import io.cohort.codec.Messages.Liveness;
import io.cohort.codec.Messages.Raw;
import io.cohort.codec.Messages.RepairRequest;
import io.cohort.codec.Messages.Room;
import io.cohort.codec.Messages.RoomCount;
import io.cohort.codec.Messages.RoomCreated;
import io.cohort.codec.Messages.RoomRemoved;
import io.cohort.codec.Messages.RoomWanted;
import io.cohort.codec.Messages.SnapshotChunk;
import io.cohort.codec.Messages.SnapshotRequest;
import io.cohort.codec.Messages.Floor;
import io.cohort.codec.Messages.Suspect;
import io.cohort.codec.Messages.ChangeRequest;
import io.cohort.codec.Messages.HeartbeatMember;
import io.cohort.codec.Messages.Removed;
import io.cohort.codec.Messages.RemovedHeard;
import io.cohort.codec.Messages.SeedProbe;
import io.cohort.codec.Messages.SeedProbeResponse;
import io.cohort.codec.Messages.ViewAccept;
import io.cohort.codec.Messages.ViewAccepted;
import io.cohort.codec.Messages.ViewCommit;
import io.cohort.codec.Messages.ViewPrepare;
import io.cohort.codec.Messages.ViewPromise;
import io.cohort.codec.Messages.ViewQuery;
import io.cohort.codec.Messages.ViewValue;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@link Messages} models into frames with the real encoders and reads them back with the real
 * decoders, calling every getter. Reading checks that the different ways of reading one field agree
 * (String and scratch-buffer copies of names, {@code byte[]}, scratch and zero-copy reads of payloads,
 * lengths, {@code encodedLength()}, list counts against iteration) and throws an {@link AssertionError}
 * when they do not, so it doubles as a probe of any frame the decoder accepted. Reuses its encoders,
 * decoders and scratch buffers; not thread safe.
 */
final class MessageCodec
{
    /** Fill of the bytes a test appends after a body, as a newer minor version would. */
    static final byte APPENDED_BYTE = 0x5A;

    private static final int SCRATCH_LENGTH = CodecLimits.MAX_FRAME_LENGTH_DEFAULT;
    private static final int SRC_OFFSET = 3;

    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final MemberCardEncoder memberCardEncoder = new MemberCardEncoder();
    private final NodeLeavingEncoder nodeLeavingEncoder = new NodeLeavingEncoder();
    private final NodeEvictedEncoder nodeEvictedEncoder = new NodeEvictedEncoder();
    private final SuspectEncoder suspectEncoder = new SuspectEncoder();
    private final RoomCreatedEncoder roomCreatedEncoder = new RoomCreatedEncoder();
    private final RoomRemovedEncoder roomRemovedEncoder = new RoomRemovedEncoder();
    private final RoomWantedEncoder roomWantedEncoder = new RoomWantedEncoder();
    private final RoomCountEncoder roomCountEncoder = new RoomCountEncoder();
    private final NotificationEncoder notificationEncoder = new NotificationEncoder();
    private final ClusterEventEncoder clusterEventEncoder = new ClusterEventEncoder();
    private final ProbeEncoder probeEncoder = new ProbeEncoder();
    private final JoinRequestEncoder joinRequestEncoder = new JoinRequestEncoder();
    private final JoinResponseEncoder joinResponseEncoder = new JoinResponseEncoder();
    private final SnapshotRequestEncoder snapshotRequestEncoder = new SnapshotRequestEncoder();
    private final SnapshotChunkEncoder snapshotChunkEncoder = new SnapshotChunkEncoder();
    private final RepairRequestEncoder repairRequestEncoder = new RepairRequestEncoder();
    private final ProbeRequestEncoder probeRequestEncoder = new ProbeRequestEncoder();
    private final SnapshotCreditEncoder snapshotCreditEncoder = new SnapshotCreditEncoder();
    private final FlowStatusEncoder flowStatusEncoder = new FlowStatusEncoder();
    private final CommandResponseEncoder commandResponseEncoder = new CommandResponseEncoder();
    private final ViewPrepareEncoder viewPrepareEncoder = new ViewPrepareEncoder();
    private final ViewPromiseEncoder viewPromiseEncoder = new ViewPromiseEncoder();
    private final ViewAcceptEncoder viewAcceptEncoder = new ViewAcceptEncoder();
    private final ViewAcceptedEncoder viewAcceptedEncoder = new ViewAcceptedEncoder();
    private final ViewCommitEncoder viewCommitEncoder = new ViewCommitEncoder();
    private final ChangeRequestEncoder changeRequestEncoder = new ChangeRequestEncoder();
    private final ViewQueryEncoder viewQueryEncoder = new ViewQueryEncoder();
    private final SeedProbeEncoder seedProbeEncoder = new SeedProbeEncoder();
    private final SeedProbeResponseEncoder seedProbeResponseEncoder = new SeedProbeResponseEncoder();

    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final MemberCardDecoder memberCardDecoder = new MemberCardDecoder();
    private final NodeLeavingDecoder nodeLeavingDecoder = new NodeLeavingDecoder();
    private final NodeEvictedDecoder nodeEvictedDecoder = new NodeEvictedDecoder();
    private final SuspectDecoder suspectDecoder = new SuspectDecoder();
    private final RoomCreatedDecoder roomCreatedDecoder = new RoomCreatedDecoder();
    private final RoomRemovedDecoder roomRemovedDecoder = new RoomRemovedDecoder();
    private final RoomWantedDecoder roomWantedDecoder = new RoomWantedDecoder();
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();
    private final ClusterEventDecoder clusterEventDecoder = new ClusterEventDecoder();
    private final ProbeDecoder probeDecoder = new ProbeDecoder();
    private final JoinRequestDecoder joinRequestDecoder = new JoinRequestDecoder();
    private final JoinResponseDecoder joinResponseDecoder = new JoinResponseDecoder();
    private final SnapshotRequestDecoder snapshotRequestDecoder = new SnapshotRequestDecoder();
    private final SnapshotChunkDecoder snapshotChunkDecoder = new SnapshotChunkDecoder();
    private final RepairRequestDecoder repairRequestDecoder = new RepairRequestDecoder();
    private final ProbeRequestDecoder probeRequestDecoder = new ProbeRequestDecoder();
    private final SnapshotCreditDecoder snapshotCreditDecoder = new SnapshotCreditDecoder();
    private final FlowStatusDecoder flowStatusDecoder = new FlowStatusDecoder();
    private final CommandResponseDecoder commandResponseDecoder = new CommandResponseDecoder();
    private final ViewValueDecoder viewValueDecoder = new ViewValueDecoder();
    private final ViewPrepareDecoder viewPrepareDecoder = new ViewPrepareDecoder();
    private final ViewPromiseDecoder viewPromiseDecoder = new ViewPromiseDecoder();
    private final ViewAcceptDecoder viewAcceptDecoder = new ViewAcceptDecoder();
    private final ViewAcceptedDecoder viewAcceptedDecoder = new ViewAcceptedDecoder();
    private final ViewCommitDecoder viewCommitDecoder = new ViewCommitDecoder();
    private final ChangeRequestDecoder changeRequestDecoder = new ChangeRequestDecoder();
    private final ViewQueryDecoder viewQueryDecoder = new ViewQueryDecoder();
    private final SeedProbeDecoder seedProbeDecoder = new SeedProbeDecoder();
    private final SeedProbeResponseDecoder seedProbeResponseDecoder = new SeedProbeResponseDecoder();

    /** Source of var-length fields written through the (buffer, offset, length) encoder methods. */
    private final UnsafeBuffer src = new UnsafeBuffer(new byte[SCRATCH_LENGTH]);
    /** Destination of var-length fields read through the get*(dst, offset) decoder methods. */
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_LENGTH]);
    private boolean viaStrings;

    // ------------------------------------------------------------------------------------------------ encode

    /**
     * Appends every message to the frame, failing if one does not fit.
     *
     * @param frame    begun frame encoder.
     * @param buffer   the frame encoder's buffer.
     * @param messages to append.
     */
    void encodeAll(final FrameEncoder frame, final MutableDirectBuffer buffer, final List<? extends Message> messages)
    {
        for (final Message message : messages)
        {
            if (!encode(frame, buffer, message, 0))
            {
                throw new AssertionError("does not fit in the frame: " + message);
            }
        }
    }

    /**
     * Claims room for a message in the frame and writes it, unless it does not fit.
     *
     * @param frame         begun frame encoder.
     * @param buffer        the frame encoder's buffer.
     * @param message       to write.
     * @param appendedBytes bytes of {@link #APPENDED_BYTE} to append after the body, as a newer minor
     *                      version would append fields.
     * @return false if it does not fit (nothing claimed).
     */
    boolean encode(
        final FrameEncoder frame, final MutableDirectBuffer buffer, final Message message, final int appendedBytes)
    {
        if (message instanceof SnapshotChunk)
        {
            return encodeSnapshotChunk(frame, buffer, (SnapshotChunk)message, appendedBytes);
        }

        final int bodyLength = bodyLength(message);
        if (!frame.fits(bodyLength + appendedBytes))
        {
            return false;
        }
        final int at = frame.claim(message.type(), bodyLength + appendedBytes);
        if (FrameEncoder.NO_SPACE == at)
        {
            throw new AssertionError("fits() said yes but claim() said no for " + message);
        }
        final int written = write(buffer, at, message);
        if (written != bodyLength)
        {
            throw new AssertionError("encoder wrote " + written + " bytes, computeLength said " + bodyLength +
                " for " + message);
        }
        buffer.setMemory(at + bodyLength, appendedBytes, APPENDED_BYTE);
        return true;
    }

    /**
     * The body length of a message, from the encoders' {@code computeLength} and {@code BODY_LENGTH}.
     *
     * @param message a model.
     * @return the body length to claim.
     */
    static int bodyLength(final Message message)
    {
        if (message instanceof Raw)
        {
            return ((Raw)message).body().length();
        }

        switch (message.type())
        {
            case MessageType.HEARTBEAT:
            {
                final Heartbeat m = (Heartbeat)message;
                return HeartbeatEncoder.computeLength(m.members().size(), m.directed().size());
            }
            case MessageType.MEMBER_CARD:
            case MessageType.NODE_JOINED:
            {
                final Card card = ((MemberCard)message).card();
                return MemberCardEncoder.computeLength(
                    card.syncEndpoint(), card.commandEndpoint(), card.publicKey().value());
            }
            case MessageType.NODE_LEAVING: return NodeLeavingEncoder.BODY_LENGTH;
            case MessageType.NODE_EVICTED: return NodeEvictedEncoder.BODY_LENGTH;
            case MessageType.SUSPECT: return SuspectEncoder.BODY_LENGTH;
            case MessageType.ROOM_CREATED: return roomLength(((RoomCreated)message).room());
            case MessageType.ROOM_REMOVED: return RoomRemovedEncoder.bodyLength(0);
            case MessageType.ROOM_WANTED: return RoomWantedEncoder.BODY_LENGTH;
            case MessageType.ROOM_COUNT: return RoomCountEncoder.BODY_LENGTH;
            case MessageType.NOTIFICATION:
                return NotificationEncoder.computeLength(((Notification)message).payload().length());
            case MessageType.CLUSTER_EVENT:
            {
                final ClusterEvent m = (ClusterEvent)message;
                return ClusterEventEncoder.computeLength(utf8(m.name()).length, m.payload().length());
            }
            case MessageType.PROBE: return ProbeEncoder.BODY_LENGTH;
            case MessageType.JOIN_REQUEST:
                return JoinRequestEncoder.computeLength(
                    utf8(((JoinRequest)message).clusterName()).length, cardLength(((JoinRequest)message).card()));
            case MessageType.JOIN_RESPONSE:
            {
                int total = 0;
                for (final Card card : ((JoinResponse)message).members())
                {
                    total += cardLength(card);
                }
                return JoinResponseEncoder.computeLength(utf8(((JoinResponse)message).clusterName()).length, total);
            }
            case MessageType.SNAPSHOT_REQUEST:
                return SnapshotRequestDecoder.lengthWithFloors(((SnapshotRequest)message).floors().size());
            case MessageType.SNAPSHOT_CHUNK:
            {
                final SnapshotChunk m = (SnapshotChunk)message;
                if (!m.tableStreams().isEmpty())
                {
                    return SnapshotChunkDecoder.TABLE_STREAMS_OFFSET +
                        m.tableStreams().size() * SnapshotChunkDecoder.TABLE_STREAM_ENTRY_LENGTH;
                }
                if (!m.roomRemovals().isEmpty())
                {
                    return SnapshotChunkDecoder.ROOM_REMOVALS_OFFSET +
                        m.roomRemovals().size() * SnapshotChunkDecoder.ROOM_REMOVAL_ENTRY_LENGTH;
                }
                int length = SnapshotChunkDecoder.MIN_LENGTH +
                    m.counts().size() * SnapshotChunkDecoder.COUNT_ENTRY_LENGTH;
                for (final Room room : m.rooms())
                {
                    length += roomLength(room);
                }
                return length;
            }
            case MessageType.REPAIR_REQUEST: return RepairRequestEncoder.BODY_LENGTH;
            case MessageType.PROBE_REQUEST: return ProbeRequestEncoder.BODY_LENGTH;
            case MessageType.SNAPSHOT_CREDIT: return SnapshotCreditEncoder.BODY_LENGTH;
            case MessageType.FLOW_STATUS: return FlowStatusEncoder.BODY_LENGTH;
            case MessageType.LIVENESS: return bodyLength(((Liveness)message).heartbeat());
            case MessageType.COMMAND_RESPONSE:
                return CommandResponseEncoder.computeLength(utf8(((CommandResponse)message).detail()).length);
            case MessageType.VIEW_PREPARE: return ViewPrepareEncoder.BODY_LENGTH;
            case MessageType.VIEW_PROMISE:
            {
                final ViewValue value = ((ViewPromise)message).acceptedValue();
                return ViewPromiseEncoder.computeLength(null == value ? 0 : viewValueLength(value));
            }
            case MessageType.VIEW_ACCEPT: return ViewAcceptEncoder.computeLength(viewValueLength(((ViewAccept)message).value()));
            case MessageType.VIEW_ACCEPTED: return ViewAcceptedEncoder.computeLength(((ViewAccepted)message).removed().size());
            case MessageType.VIEW_COMMIT: return ViewCommitEncoder.computeLength(viewValueLength(((ViewCommit)message).value()));
            case MessageType.CHANGE_REQUEST:
            {
                final ChangeRequest m = (ChangeRequest)message;
                final int variableLength = null != m.card() ? cardLength(m.card()) :
                    null != m.winnerEndpoint() ? utf8(m.winnerEndpoint()).length : 0;
                return ChangeRequestEncoder.computeLength(m.kind(), variableLength);
            }
            case MessageType.VIEW_QUERY: return ViewQueryEncoder.BODY_LENGTH;
            case MessageType.SEED_PROBE: return SeedProbeEncoder.BODY_LENGTH;
            case MessageType.SEED_PROBE_RESPONSE: return SeedProbeResponseEncoder.BODY_LENGTH;
            default:
                throw new IllegalArgumentException("unknown message " + message);
        }
    }

    static int viewValueLength(final ViewValue value)
    {
        int total = 0;
        for (final Card card : value.members())
        {
            total += cardLength(card);
        }
        return ViewValueEncoder.computeLength(total, value.removed().size());
    }

    private static int roomLength(final Room room)
    {
        return RoomCreatedEncoder.computeLength(
            utf8(room.indexName()).length, utf8(room.collectionName()).length, room.filter().length());
    }

    private static int cardLength(final Card card)
    {
        return MemberCardEncoder.computeLength(
            utf8(card.syncEndpoint()).length, utf8(card.commandEndpoint()).length, card.publicKey().length());
    }

    private int write(final MutableDirectBuffer buffer, final int at, final Message message)
    {
        if (message instanceof Raw)
        {
            final byte[] body = ((Raw)message).body().value();
            buffer.putBytes(at, body);
            return body.length;
        }

        switch (message.type())
        {
            case MessageType.HEARTBEAT:
            {
                final Heartbeat m = (Heartbeat)message;
                heartbeatEncoder.wrap(buffer, at)
                    .sendTimeNs(m.sendTimeNs())
                    .lastBroadcastSequence(m.lastBroadcastSequence())
                    .stateDigest(m.stateDigest())
                    .flags(m.flags())
                    .memberCount(m.members().size());
                // 0 is what wrap() leaves: skip the setters then, to check that it does.
                if (0L != m.lineage() || 0L != m.epoch())
                {
                    heartbeatEncoder.view(m.lineage(), m.epoch());
                }
                if (0L != m.heartbeatSeq())
                {
                    heartbeatEncoder.heartbeatSeq(m.heartbeatSeq());
                }
                // Members in reverse order: member(index, ...) must not depend on the order of the calls.
                for (int i = m.members().size() - 1; i >= 0; i--)
                {
                    final HeartbeatMember member = m.members().get(i);
                    viaStrings = !viaStrings;
                    if (viaStrings && HeartbeatMember.of(member.nodeId()).equals(member))
                    {
                        heartbeatEncoder.member(i, member.nodeId());
                    }
                    else
                    {
                        heartbeatEncoder.member(i, member.nodeId(), member.echoedHeartbeatSeq(), member.rowVersion(),
                            member.unreachableBits());
                    }
                }
                for (final Directed directed : m.directed())
                {
                    heartbeatEncoder.addDirected(directed.nodeId(), directed.lastSequence());
                }
                return heartbeatEncoder.encodedLength();
            }
            case MessageType.MEMBER_CARD:
            case MessageType.NODE_JOINED:
            {
                final Card card = ((MemberCard)message).card();
                return writeCard(memberCardEncoder.wrap(buffer, at), card).encodedLength();
            }
            case MessageType.NODE_LEAVING:
            {
                final NodeLeaving m = (NodeLeaving)message;
                nodeLeavingEncoder.wrap(buffer, at)
                    .nodeId(m.nodeId())
                    .incarnation(m.incarnation())
                    .lastBroadcastSequence(m.lastBroadcastSequence());
                return NodeLeavingEncoder.BODY_LENGTH;
            }
            case MessageType.NODE_EVICTED:
            {
                final NodeEvicted m = (NodeEvicted)message;
                nodeEvictedEncoder.wrap(buffer, at)
                    .evictedNodeId(m.evictedNodeId())
                    .evictedIncarnation(m.evictedIncarnation())
                    .accuserNodeId(m.accuserNodeId())
                    .reason(m.reason());
                return NodeEvictedEncoder.BODY_LENGTH;
            }
            case MessageType.SUSPECT:
            {
                final Suspect m = (Suspect)message;
                suspectEncoder.wrap(buffer, at)
                    .accusedNodeId(m.accusedNodeId())
                    .accusedIncarnation(m.accusedIncarnation())
                    .expectedSequence(m.expectedSequence())
                    .observedSequence(m.observedSequence())
                    .reason(m.reason());
                return SuspectEncoder.BODY_LENGTH;
            }
            case MessageType.ROOM_CREATED:
                return writeRoom(buffer, at, ((RoomCreated)message).room());
            case MessageType.ROOM_REMOVED:
                // With an empty covered list, as a node with no synced member sends it: bytes a newer minor version
                // appends then follow the list.
                roomRemovedEncoder.wrap(buffer, at).roomId(((RoomRemoved)message).roomId()).coveredCount(0);
                return RoomRemovedEncoder.bodyLength(0);
            case MessageType.ROOM_WANTED:
                roomWantedEncoder.wrap(buffer, at).roomId(((RoomWanted)message).roomId());
                return RoomWantedEncoder.BODY_LENGTH;
            case MessageType.ROOM_COUNT:
            {
                final RoomCount m = (RoomCount)message;
                roomCountEncoder.wrap(buffer, at).roomId(m.roomId()).count(m.count());
                return RoomCountEncoder.BODY_LENGTH;
            }
            case MessageType.NOTIFICATION:
            {
                final Notification m = (Notification)message;
                final int length = putSrc(SRC_OFFSET, m.payload().value());
                notificationEncoder.wrap(buffer, at).roomId(m.roomId()).payload(src, SRC_OFFSET, length);
                return NotificationEncoder.computeLength(length);
            }
            case MessageType.CLUSTER_EVENT:
            {
                final ClusterEvent m = (ClusterEvent)message;
                clusterEventEncoder.wrap(buffer, at);
                final byte[] name = utf8(m.name());
                viaStrings = !viaStrings;
                if (viaStrings)
                {
                    clusterEventEncoder.name(m.name());
                }
                else
                {
                    clusterEventEncoder.name(src, SRC_OFFSET, putSrc(SRC_OFFSET, name));
                }
                final int payloadOffset = SRC_OFFSET + name.length + 1;
                clusterEventEncoder.payload(src, payloadOffset, putSrc(payloadOffset, m.payload().value()));
                return clusterEventEncoder.encodedLength();
            }
            case MessageType.PROBE:
            {
                final Probe m = (Probe)message;
                probeEncoder.wrap(buffer, at).requesterNodeId(m.requesterNodeId()).nonce(m.nonce());
                return ProbeEncoder.BODY_LENGTH;
            }
            case MessageType.JOIN_REQUEST:
            {
                final JoinRequest m = (JoinRequest)message;
                final byte[] name = utf8(m.clusterName());
                joinRequestEncoder.wrap(buffer, at).correlationId(m.correlationId())
                    .heartbeat(m.heartbeatIntervalNs(), m.heartbeatTimeoutNs()).clusterName(name);
                final int cardLength = writeCard(joinRequestEncoder.card(), m.card()).encodedLength();
                return JoinRequestEncoder.computeLength(name.length, cardLength);
            }
            case MessageType.JOIN_RESPONSE:
            {
                final JoinResponse m = (JoinResponse)message;
                joinResponseEncoder.wrap(buffer, at).correlationId(m.correlationId()).status(m.status())
                    .heartbeat(m.heartbeatIntervalNs(), m.heartbeatTimeoutNs()).clusterName(utf8(m.clusterName()));
                for (final Card card : m.members())
                {
                    joinResponseEncoder.addMember(
                        card.nodeId(), card.incarnation(), card.syncEndpoint(), card.commandEndpoint(),
                        card.publicKey().value());
                }
                return joinResponseEncoder.encodedLength();
            }
            case MessageType.SNAPSHOT_REQUEST:
            {
                final SnapshotRequest m = (SnapshotRequest)message;
                snapshotRequestEncoder.wrap(buffer, at)
                    .correlationId(m.correlationId())
                    .ownerNodeId(m.ownerNodeId())
                    .maxChunkLength(m.maxChunkLength())
                    .flags(m.flags() & ~SnapshotRequestDecoder.FLAG_ROOM_FLOORS);
                if (!m.floors().isEmpty())
                {
                    snapshotRequestEncoder.floors(m.floors().size());
                    for (int i = 0; i < m.floors().size(); i++)
                    {
                        final Floor floor = m.floors().get(i);
                        snapshotRequestEncoder.floor(i, floor.nodeId(), floor.incarnation(), floor.sequence());
                    }
                }
                return SnapshotRequestDecoder.lengthWithFloors(m.floors().size());
            }
            case MessageType.REPAIR_REQUEST:
            {
                final RepairRequest m = (RepairRequest)message;
                repairRequestEncoder.wrap(buffer, at)
                    .correlationId(m.correlationId())
                    .ownerNodeId(m.ownerNodeId())
                    .ownerIncarnation(m.ownerIncarnation())
                    .fromSequence(m.fromSequence())
                    .toSequence(m.toSequence());
                return RepairRequestEncoder.BODY_LENGTH;
            }
            case MessageType.PROBE_REQUEST:
            {
                final ProbeRequest m = (ProbeRequest)message;
                probeRequestEncoder.wrap(buffer, at).correlationId(m.correlationId()).nonce(m.nonce());
                return ProbeRequestEncoder.BODY_LENGTH;
            }
            case MessageType.SNAPSHOT_CREDIT:
            {
                final SnapshotCredit m = (SnapshotCredit)message;
                snapshotCreditEncoder.wrap(buffer, at).correlationId(m.correlationId()).chunksLoaded(m.chunksLoaded());
                return SnapshotCreditEncoder.BODY_LENGTH;
            }
            case MessageType.LIVENESS:
                return write(buffer, at, ((Liveness)message).heartbeat());
            case MessageType.FLOW_STATUS:
            {
                final FlowStatus m = (FlowStatus)message;
                flowStatusEncoder.wrap(buffer, at).ownerIncarnation(m.ownerIncarnation())
                    .appliedBroadcastSequence(m.appliedBroadcastSequence())
                    .appliedDirectedSequence(m.appliedDirectedSequence());
                return FlowStatusEncoder.BODY_LENGTH;
            }
            case MessageType.COMMAND_RESPONSE:
            {
                final CommandResponse m = (CommandResponse)message;
                final byte[] detail = utf8(m.detail());
                commandResponseEncoder.wrap(buffer, at).correlationId(m.correlationId()).status(m.status())
                    .detail(detail);
                return CommandResponseEncoder.computeLength(detail.length);
            }
            case MessageType.VIEW_PREPARE:
            {
                final ViewPrepare m = (ViewPrepare)message;
                viewPrepareEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .targetEpoch(m.targetEpoch()).ballotRound(m.ballotRound()).ballotNodeId(m.ballotNodeId());
                return ViewPrepareEncoder.BODY_LENGTH;
            }
            case MessageType.VIEW_PROMISE:
            {
                final ViewPromise m = (ViewPromise)message;
                viewPromiseEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .targetEpoch(m.targetEpoch()).ballotRound(m.ballotRound()).ballotNodeId(m.ballotNodeId()).ok(m.ok())
                    .promisedRound(m.promisedRound()).promisedNodeId(m.promisedNodeId())
                    .acceptedRound(m.acceptedRound()).acceptedNodeId(m.acceptedNodeId());
                if (null != m.acceptedValue())
                {
                    writeViewValue(viewPromiseEncoder.acceptedValue(), m.acceptedValue());
                }
                return viewPromiseEncoder.encodedLength();
            }
            case MessageType.VIEW_ACCEPT:
            {
                final ViewAccept m = (ViewAccept)message;
                viewAcceptEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .targetEpoch(m.targetEpoch()).ballotRound(m.ballotRound()).ballotNodeId(m.ballotNodeId());
                writeViewValue(viewAcceptEncoder.value(), m.value());
                return viewAcceptEncoder.encodedLength();
            }
            case MessageType.VIEW_ACCEPTED:
            {
                final ViewAccepted m = (ViewAccepted)message;
                viewAcceptedEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .targetEpoch(m.targetEpoch()).ballotRound(m.ballotRound()).ballotNodeId(m.ballotNodeId()).ok(m.ok())
                    .promisedRound(m.promisedRound()).promisedNodeId(m.promisedNodeId());
                for (final RemovedHeard removed : m.removed())
                {
                    viewAcceptedEncoder.addRemoved(removed.nodeId(), removed.elapsedSinceHeardNs());
                }
                return viewAcceptedEncoder.encodedLength();
            }
            case MessageType.VIEW_COMMIT:
            {
                final ViewCommit m = (ViewCommit)message;
                viewCommitEncoder.wrap(buffer, at).correlationId(m.correlationId()).ballotRound(m.ballotRound())
                    .ballotNodeId(m.ballotNodeId());
                writeViewValue(viewCommitEncoder.value(), m.value());
                return viewCommitEncoder.encodedLength();
            }
            case MessageType.CHANGE_REQUEST:
            {
                final ChangeRequest m = (ChangeRequest)message;
                changeRequestEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .viewEpoch(m.viewEpoch()).kind(m.kind()).reason(m.reason()).subjectId(m.subjectId())
                    .subjectIncarnation(m.subjectIncarnation()).expected(m.expected()).observed(m.observed());
                if (null != m.card())
                {
                    writeCard(changeRequestEncoder.card(), m.card());
                }
                if (null != m.winnerEndpoint())
                {
                    viaStrings = !viaStrings;
                    if (viaStrings)
                    {
                        changeRequestEncoder.winnerEndpoint(m.winnerEndpoint());
                    }
                    else
                    {
                        changeRequestEncoder.winnerEndpoint(
                            src, SRC_OFFSET, putSrc(SRC_OFFSET, utf8(m.winnerEndpoint())));
                    }
                }
                return changeRequestEncoder.encodedLength();
            }
            case MessageType.VIEW_QUERY:
            {
                final ViewQuery m = (ViewQuery)message;
                viewQueryEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .knownEpoch(m.knownEpoch());
                return ViewQueryEncoder.BODY_LENGTH;
            }
            case MessageType.SEED_PROBE:
            {
                final SeedProbe m = (SeedProbe)message;
                seedProbeEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage()).epoch(m.epoch());
                return SeedProbeEncoder.BODY_LENGTH;
            }
            case MessageType.SEED_PROBE_RESPONSE:
            {
                final SeedProbeResponse m = (SeedProbeResponse)message;
                seedProbeResponseEncoder.wrap(buffer, at).correlationId(m.correlationId()).lineage(m.lineage())
                    .epoch(m.epoch()).size(m.size()).listsProber(m.listsProber())
                    .oldestIncarnation(m.oldestIncarnation()).oldestNodeId(m.oldestNodeId()).running(m.running());
                return SeedProbeResponseEncoder.BODY_LENGTH;
            }
            default:
                throw new IllegalArgumentException("unknown message " + message);
        }
    }

    private static void writeViewValue(final ViewValueEncoder encoder, final ViewValue value)
    {
        encoder.lineage(value.lineage()).epoch(value.epoch()).flags(value.flags());
        for (final Card card : value.members())
        {
            encoder.addMember(card.nodeId(), card.incarnation(), card.syncEndpoint(), card.commandEndpoint(),
                card.publicKey().value());
        }
        for (final Removed removed : value.removed())
        {
            encoder.addRemoved(removed.nodeId(), removed.incarnation(), removed.reason());
        }
    }

    private static MemberCardEncoder writeCard(final MemberCardEncoder encoder, final Card card)
    {
        return encoder
            .nodeId(card.nodeId())
            .incarnation(card.incarnation())
            .endpoints(card.syncEndpoint(), card.commandEndpoint(), card.publicKey().value());
    }

    private int writeRoom(final MutableDirectBuffer buffer, final int at, final Room room)
    {
        roomCreatedEncoder.wrap(buffer, at).roomId(room.roomId());
        viaStrings = !viaStrings;
        if (viaStrings)
        {
            roomCreatedEncoder
                .indexName(room.indexName())
                .collectionName(room.collectionName())
                .filter(room.filter().value());
        }
        else
        {
            final byte[] index = utf8(room.indexName());
            final byte[] collection = utf8(room.collectionName());
            final int collectionOffset = SRC_OFFSET + index.length + 1;
            final int filterOffset = collectionOffset + collection.length + 1;
            roomCreatedEncoder
                .indexName(src, SRC_OFFSET, putSrc(SRC_OFFSET, index))
                .collectionName(src, collectionOffset, putSrc(collectionOffset, collection))
                .filter(src, filterOffset, putSrc(filterOffset, room.filter().value()));
        }
        return roomCreatedEncoder.encodedLength();
    }

    private boolean encodeSnapshotChunk(
        final FrameEncoder frame, final MutableDirectBuffer buffer, final SnapshotChunk m, final int appendedBytes)
    {
        final int bodyLength = bodyLength(m);
        if (!frame.fits(bodyLength + appendedBytes))
        {
            return false;
        }

        // As a snapshot responder does: claim the rest of the frame, fill, then shrink to what was written.
        final int capacity = frame.remainingBodyLength();
        final int at = frame.claim(MessageType.SNAPSHOT_CHUNK, capacity);
        final SnapshotChunkEncoder chunk = snapshotChunkEncoder.wrap(buffer, at, capacity)
            .correlationId(m.correlationId())
            .owner(m.ownerNodeId(), m.ownerIncarnation(), m.ownerSequence())
            .ownerDigest(m.ownerDigest())
            .chunkIndex(m.chunkIndex())
            .flags(m.flags());
        for (final Messages.Floor stream : m.tableStreams())
        {
            if (!chunk.addTableStream(stream.nodeId(), stream.incarnation(), stream.sequence()))
            {
                throw new AssertionError("table stream does not fit in a chunk of " + capacity + " bytes: " + m);
            }
        }
        for (final Messages.RoomRemoval removal : m.roomRemovals())
        {
            if (!chunk.addRoomRemoval(
                removal.roomId(), removal.removerId(), removal.removerIncarnation(), removal.sequence()))
            {
                throw new AssertionError("room removal does not fit in a chunk of " + capacity + " bytes: " + m);
            }
        }
        for (final Count count : m.counts())
        {
            if (!chunk.addCount(count.roomId(), count.count()))
            {
                throw new AssertionError("count does not fit in a chunk of " + capacity + " bytes: " + m);
            }
        }
        for (final Room room : m.rooms())
        {
            final byte[] index = utf8(room.indexName());
            final byte[] collection = utf8(room.collectionName());
            final int collectionOffset = SRC_OFFSET + index.length + 1;
            final int filterOffset = collectionOffset + collection.length + 1;
            putSrc(SRC_OFFSET, index);
            putSrc(collectionOffset, collection);
            putSrc(filterOffset, room.filter().value());
            if (!chunk.addRoom(
                room.roomId(), src, SRC_OFFSET, index.length, collectionOffset, collection.length,
                filterOffset, room.filter().length()))
            {
                throw new AssertionError("room does not fit in a chunk of " + capacity + " bytes: " + m);
            }
        }
        if (chunk.encodedLength() != bodyLength ||
            chunk.countEntries() != m.counts().size() ||
            chunk.roomEntries() != m.rooms().size())
        {
            throw new AssertionError("chunk encoder wrote " + chunk.encodedLength() + " bytes, " +
                chunk.countEntries() + " counts and " + chunk.roomEntries() + " rooms for " + m);
        }
        frame.resizeLastMessage(chunk.encodedLength() + appendedBytes);
        buffer.setMemory(at + bodyLength, appendedBytes, APPENDED_BYTE);
        return true;
    }

    private int putSrc(final int offset, final byte[] bytes)
    {
        src.putBytes(offset, bytes);
        src.putByte(offset + bytes.length, (byte)0x7E);
        return bytes.length;
    }

    static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ read

    /**
     * Reads every message of a frame that {@link FrameDecoder#wrap} accepted, checking the cursor's
     * bookkeeping (index, sequence, body bounds) on the way.
     *
     * @param frame       the decoder, just after an OK {@code wrap}.
     * @param frameOffset the offset the frame was wrapped at.
     * @param out         receives the messages read.
     */
    void readAll(final FrameDecoder frame, final int frameOffset, final List<Message> out)
    {
        final DirectBuffer buffer = frame.buffer();
        final int frameEnd = frameOffset + frame.frameLength() - FrameLayout.TRAILER_LENGTH;
        int expectedOffset = frameOffset + FrameLayout.HEADER_LENGTH;
        int index = 0;
        while (frame.nextMessage())
        {
            final int bodyOffset = frame.bodyOffset();
            final int bodyLength = frame.bodyLength();
            if (frame.messageIndex() != index ||
                frame.messageSequence() != frame.firstSequence() + index ||
                bodyOffset != expectedOffset + FrameLayout.MESSAGE_HEADER_LENGTH ||
                bodyLength < 0 ||
                bodyOffset + bodyLength > frameEnd)
            {
                throw new AssertionError("message " + index + " at " + bodyOffset + " of " + bodyLength +
                    " bytes, index " + frame.messageIndex() + ", sequence " + frame.messageSequence() +
                    " in a frame ending at " + frameEnd);
            }
            out.add(read(frame.messageType(), buffer, bodyOffset, bodyLength));
            expectedOffset = bodyOffset + bodyLength;
            index++;
        }
        if (index != frame.messageCount() || expectedOffset != frameEnd || frame.nextMessage())
        {
            throw new AssertionError("walked " + index + " messages to " + expectedOffset + " of a frame of " +
                frame.messageCount() + " messages ending at " + frameEnd);
        }
    }

    /**
     * Reads one body with its type's decoder, calling every getter.
     *
     * @param type   the message type.
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return the model of what was read.
     */
    Message read(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        switch (type)
        {
            case MessageType.HEARTBEAT:
                return readHeartbeat(heartbeatDecoder.wrap(buffer, offset, length));
            case MessageType.MEMBER_CARD:
            case MessageType.NODE_JOINED:
                return new MemberCard(type, readCard(memberCardDecoder.wrap(buffer, offset, length), length));
            case MessageType.NODE_LEAVING:
            {
                final NodeLeavingDecoder d = nodeLeavingDecoder.wrap(buffer, offset, length);
                return new NodeLeaving(d.nodeId(), d.incarnation(), d.lastBroadcastSequence());
            }
            case MessageType.NODE_EVICTED:
            {
                final NodeEvictedDecoder d = nodeEvictedDecoder.wrap(buffer, offset, length);
                return new NodeEvicted(d.evictedNodeId(), d.evictedIncarnation(), d.accuserNodeId(), d.reason());
            }
            case MessageType.SUSPECT:
            {
                final SuspectDecoder d = suspectDecoder.wrap(buffer, offset, length);
                return new Suspect(
                    d.accusedNodeId(), d.accusedIncarnation(), d.expectedSequence(), d.observedSequence(), d.reason());
            }
            case MessageType.ROOM_CREATED:
                return new RoomCreated(readRoom(roomCreatedDecoder.wrap(buffer, offset, length), length));
            case MessageType.ROOM_REMOVED:
                return new RoomRemoved(roomRemovedDecoder.wrap(buffer, offset, length).roomId());
            case MessageType.ROOM_WANTED:
                return new RoomWanted(roomWantedDecoder.wrap(buffer, offset, length).roomId());
            case MessageType.ROOM_COUNT:
            {
                final RoomCountDecoder d = roomCountDecoder.wrap(buffer, offset, length);
                return new RoomCount(d.roomId(), d.count());
            }
            case MessageType.NOTIFICATION:
            {
                final NotificationDecoder d = notificationDecoder.wrap(buffer, offset, length);
                final Bytes payload = readVar(
                    "payload", d.payloadLength(), d.payload(), d.getPayload(scratch, 0), d.buffer(), d.payloadOffset());
                return new Notification(d.roomId(), payload);
            }
            case MessageType.CLUSTER_EVENT:
            {
                final ClusterEventDecoder d = clusterEventDecoder.wrap(buffer, offset, length);
                final String name = readString("name", d.nameLength(), d.name(), d.getName(scratch, 0));
                final Bytes payload = readVar(
                    "payload", d.payloadLength(), d.payload(), d.getPayload(scratch, 0), d.buffer(), d.payloadOffset());
                return new ClusterEvent(name, payload);
            }
            case MessageType.PROBE:
            {
                final ProbeDecoder d = probeDecoder.wrap(buffer, offset, length);
                return new Probe(d.requesterNodeId(), d.nonce());
            }
            case MessageType.JOIN_REQUEST:
            {
                final JoinRequestDecoder d = joinRequestDecoder.wrap(buffer, offset, length);
                final long correlationId = d.correlationId();
                final String clusterName = d.clusterName();
                return new JoinRequest(correlationId, d.heartbeatIntervalNs(), d.heartbeatTimeoutNs(), clusterName,
                    readCard(d.card(memberCardDecoder), length - JoinRequestEncoder.computeLength(
                    d.clusterNameLength(), 0)));
            }
            case MessageType.JOIN_RESPONSE:
                return readJoinResponse(joinResponseDecoder.wrap(buffer, offset, length), length);
            case MessageType.SNAPSHOT_REQUEST:
            {
                final SnapshotRequestDecoder d = snapshotRequestDecoder.wrap(buffer, offset, length);
                final List<Floor> floors = new ArrayList<>();
                for (int i = 0; i < d.floorCount(); i++)
                {
                    floors.add(new Floor(d.floorNodeId(i), d.floorIncarnation(i), d.floorSequence(i)));
                }
                return new SnapshotRequest(d.correlationId(), d.ownerNodeId(), d.maxChunkLength(), d.flags(), floors);
            }
            case MessageType.SNAPSHOT_CHUNK:
                return readSnapshotChunk(snapshotChunkDecoder.wrap(buffer, offset, length), length);
            case MessageType.REPAIR_REQUEST:
            {
                final RepairRequestDecoder d = repairRequestDecoder.wrap(buffer, offset, length);
                return new RepairRequest(
                    d.correlationId(), d.ownerNodeId(), d.ownerIncarnation(), d.fromSequence(), d.toSequence());
            }
            case MessageType.PROBE_REQUEST:
            {
                final ProbeRequestDecoder d = probeRequestDecoder.wrap(buffer, offset, length);
                return new ProbeRequest(d.correlationId(), d.nonce());
            }
            case MessageType.SNAPSHOT_CREDIT:
            {
                final SnapshotCreditDecoder d = snapshotCreditDecoder.wrap(buffer, offset, length);
                return new SnapshotCredit(d.correlationId(), d.chunksLoaded());
            }
            case MessageType.LIVENESS:
                return new Liveness(readHeartbeat(heartbeatDecoder.wrap(buffer, offset, length)));
            case MessageType.FLOW_STATUS:
            {
                final FlowStatusDecoder d = flowStatusDecoder.wrap(buffer, offset, length);
                return new FlowStatus(d.ownerIncarnation(), d.appliedBroadcastSequence(), d.appliedDirectedSequence());
            }
            case MessageType.COMMAND_RESPONSE:
            {
                final CommandResponseDecoder d = commandResponseDecoder.wrap(buffer, offset, length);
                final String detail = d.detail();
                final int detailLength = d.detailLength();
                check("detailLength", detailLength >= 0 && detailLength <= length - CommandResponseDecoder.MIN_LENGTH &&
                    (detailLength == utf8(detail).length || !validUtf8(detail)), detailLength);
                return new CommandResponse(d.correlationId(), d.status(), detail);
            }
            case MessageType.VIEW_PREPARE:
            {
                final ViewPrepareDecoder d = viewPrepareDecoder.wrap(buffer, offset, length);
                return new ViewPrepare(d.correlationId(), d.lineage(), d.targetEpoch(), d.ballotRound(), d.ballotNodeId());
            }
            case MessageType.VIEW_PROMISE:
            {
                final ViewPromiseDecoder d = viewPromiseDecoder.wrap(buffer, offset, length);
                final int valueLength = d.acceptedValueLength();
                check("acceptedValueLength", valueLength >= 0 && valueLength <= length - ViewPromiseDecoder.MIN_LENGTH &&
                    d.hasAcceptedValue() == (valueLength > 0), valueLength);
                final ViewValue value = d.hasAcceptedValue() ?
                    readViewValue(d.acceptedValue(viewValueDecoder), valueLength) : null;
                return new ViewPromise(d.correlationId(), d.lineage(), d.targetEpoch(), d.ballotRound(),
                    d.ballotNodeId(), d.ok(), d.promisedRound(), d.promisedNodeId(), d.acceptedRound(),
                    d.acceptedNodeId(), value);
            }
            case MessageType.VIEW_ACCEPT:
            {
                final ViewAcceptDecoder d = viewAcceptDecoder.wrap(buffer, offset, length);
                final ViewValue value = readViewValue(d.value(viewValueDecoder), length - ViewAcceptDecoder.VALUE_OFFSET);
                return new ViewAccept(
                    d.correlationId(), d.lineage(), d.targetEpoch(), d.ballotRound(), d.ballotNodeId(), value);
            }
            case MessageType.VIEW_ACCEPTED:
            {
                final ViewAcceptedDecoder d = viewAcceptedDecoder.wrap(buffer, offset, length);
                final int count = d.removedCount();
                final List<RemovedHeard> removed = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    removed.add(new RemovedHeard(d.removedNodeId(i), d.removedElapsedSinceHeardNs(i)));
                }
                return new ViewAccepted(d.correlationId(), d.lineage(), d.targetEpoch(), d.ballotRound(),
                    d.ballotNodeId(), d.ok(), d.promisedRound(), d.promisedNodeId(), removed);
            }
            case MessageType.VIEW_COMMIT:
            {
                final ViewCommitDecoder d = viewCommitDecoder.wrap(buffer, offset, length);
                final ViewValue value = readViewValue(d.value(viewValueDecoder), length - ViewCommitDecoder.VALUE_OFFSET);
                return new ViewCommit(d.correlationId(), d.ballotRound(), d.ballotNodeId(), value);
            }
            case MessageType.CHANGE_REQUEST:
            {
                final ChangeRequestDecoder d = changeRequestDecoder.wrap(buffer, offset, length);
                final int kind = d.kind();
                final Card card = ChangeRequestDecoder.KIND_JOIN == kind ?
                    readCard(d.card(memberCardDecoder), length - ChangeRequestDecoder.FIXED_LENGTH) : null;
                final String winnerEndpoint = ChangeRequestDecoder.KIND_DISSOLVE == kind ? readString(
                    "winnerEndpoint", d.winnerEndpointLength(), d.winnerEndpoint(), d.getWinnerEndpoint(scratch, 0)) :
                    null;
                return new ChangeRequest(d.correlationId(), d.lineage(), d.viewEpoch(), kind, d.reason(), d.subjectId(),
                    d.subjectIncarnation(), d.expected(), d.observed(), card, winnerEndpoint);
            }
            case MessageType.VIEW_QUERY:
            {
                final ViewQueryDecoder d = viewQueryDecoder.wrap(buffer, offset, length);
                return new ViewQuery(d.correlationId(), d.lineage(), d.knownEpoch());
            }
            case MessageType.SEED_PROBE:
            {
                final SeedProbeDecoder d = seedProbeDecoder.wrap(buffer, offset, length);
                return new SeedProbe(d.correlationId(), d.lineage(), d.epoch());
            }
            case MessageType.SEED_PROBE_RESPONSE:
            {
                final SeedProbeResponseDecoder d = seedProbeResponseDecoder.wrap(buffer, offset, length);
                check("seed probe size", d.size() >= 0, d.size());
                return new SeedProbeResponse(d.correlationId(), d.lineage(), d.epoch(), d.size(), d.listsProber(),
                    d.oldestIncarnation(), d.oldestNodeId(), d.running());
            }
            default:
                throw new AssertionError("accepted frame holds unknown type " + type);
        }
    }

    private Heartbeat readHeartbeat(final HeartbeatDecoder d)
    {
        final int memberCount = d.memberCount();
        final List<HeartbeatMember> members = new ArrayList<>(memberCount);
        for (int i = 0; i < memberCount; i++)
        {
            members.add(new HeartbeatMember(
                d.member(i), d.memberEchoedHeartbeatSeq(i), d.memberRowVersion(i), d.memberUnreachableBits(i)));
        }
        // memberIndex(id) is the first entry for id, or NOT_LISTED when id is not listed.
        long unlisted = 0x7AB1_0000_0000_0000L;
        for (int i = 0; i < Math.min(memberCount, 16); i++)
        {
            final long nodeId = members.get(i).nodeId();
            int expected = i;
            for (int j = 0; j < i; j++)
            {
                if (members.get(j).nodeId() == nodeId)
                {
                    expected = j;
                    break;
                }
            }
            check("memberIndex", d.memberIndex(nodeId) == expected, nodeId);
            unlisted = Math.max(unlisted, nodeId + 1);
        }
        boolean unlistedListed = false;
        for (final HeartbeatMember member : members)
        {
            unlistedListed |= member.nodeId() == unlisted;
        }
        if (!unlistedListed)
        {
            check("memberIndex(unlisted)", d.memberIndex(unlisted) == HeartbeatDecoder.NOT_LISTED, unlisted);
        }
        final int directedCount = d.directedCount();
        final List<Directed> directed = new ArrayList<>(directedCount);
        for (int i = 0; i < directedCount; i++)
        {
            directed.add(new Directed(d.directedNodeId(i), d.directedLastSequence(i)));
        }

        // lastDirectedSequence(id) is the first entry for id, or NULL_SEQUENCE when id is not listed.
        long absent = 0x5EED_0000_0000_0000L;
        for (int i = 0; i < Math.min(directedCount, 16); i++)
        {
            final Directed entry = directed.get(i);
            long expected = HeartbeatDecoder.NULL_SEQUENCE;
            for (int j = 0; j <= i; j++)
            {
                if (directed.get(j).nodeId() == entry.nodeId())
                {
                    expected = directed.get(j).lastSequence();
                    break;
                }
            }
            check("lastDirectedSequence", d.lastDirectedSequence(entry.nodeId()) == expected, entry.nodeId());
            absent = Math.max(absent, entry.nodeId() + 1);
        }
        boolean listed = false;
        for (final Directed entry : directed)
        {
            listed |= entry.nodeId() == absent;
        }
        if (!listed)
        {
            check("lastDirectedSequence(absent)",
                d.lastDirectedSequence(absent) == HeartbeatDecoder.NULL_SEQUENCE, absent);
        }

        return new Heartbeat(d.sendTimeNs(), d.lastBroadcastSequence(), d.stateDigest(), d.flags(), d.lineage(),
            d.epoch(), d.heartbeatSeq(), members, directed);
    }

    private Card readCard(final MemberCardDecoder d, final int available)
    {
        final long nodeId = d.nodeId();
        final long incarnation = d.incarnation();
        final int versionMajor = d.versionMajor();
        final int versionMinor = d.versionMinor();
        final int flags = d.flags();
        final String syncEndpoint = d.syncEndpoint();
        final String commandEndpoint = d.commandEndpoint();
        final int publicKeyLength = d.publicKeyLength();
        final byte[] publicKey = d.publicKey();
        check("publicKeyLength", publicKeyLength == publicKey.length, publicKeyLength);
        final int encodedLength = d.encodedLength();
        // The String getters replace malformed UTF-8 (only in fuzzed frames), so lengths compare on valid text.
        check("card encodedLength", encodedLength == MemberCardDecoder.MIN_LENGTH + utf8(syncEndpoint).length +
            utf8(commandEndpoint).length + publicKeyLength || !validUtf8(syncEndpoint, commandEndpoint), encodedLength);
        check("card encodedLength within body", encodedLength >= MemberCardDecoder.MIN_LENGTH &&
            encodedLength <= available, encodedLength);
        return new Card(
            nodeId, incarnation, versionMajor, versionMinor, flags, syncEndpoint, commandEndpoint, new Bytes(publicKey));
    }

    private ViewValue readViewValue(final ViewValueDecoder d, final int available)
    {
        final int memberCount = d.memberCount();
        final List<Card> members = new ArrayList<>(memberCount);
        int cardsLength = 0;
        while (d.nextMember(memberCardDecoder))
        {
            final Card card = readCard(memberCardDecoder, available - ViewValueDecoder.MIN_LENGTH - cardsLength);
            members.add(card);
            cardsLength += memberCardDecoder.encodedLength();
        }
        check("view value members read", members.size() == memberCount && !d.nextMember(memberCardDecoder),
            members.size());
        final int removedCount = d.removedCount();
        final List<Removed> removed = new ArrayList<>(removedCount);
        for (int i = 0; i < removedCount; i++)
        {
            removed.add(new Removed(d.removedNodeId(i), d.removedIncarnation(i), d.removedReason(i)));
        }
        final int encodedLength = d.encodedLength();
        check("view value encodedLength", encodedLength == ViewValueEncoder.computeLength(cardsLength, removedCount) &&
            encodedLength <= available, encodedLength);
        return new ViewValue(d.lineage(), d.epoch(), d.flags(), members, removed);
    }

    private static boolean validUtf8(final String... values)
    {
        for (final String value : values)
        {
            if (value.indexOf('\uFFFD') >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private Room readRoom(final RoomCreatedDecoder d, final int available)
    {
        final long roomId = d.roomId();
        final int indexNameLength = d.indexNameLength();
        final String indexName = readString("indexName", indexNameLength, d.indexName(), d.getIndexName(scratch, 0));
        final int collectionNameLength = d.collectionNameLength();
        final String collectionName = readString(
            "collectionName", collectionNameLength, d.collectionName(), d.getCollectionName(scratch, 0));
        final Bytes filter = readVar(
            "filter", d.filterLength(), d.filter(), d.getFilter(scratch, 0), d.buffer(), d.filterOffset());
        final int encodedLength = d.encodedLength();
        check("room encodedLength", encodedLength == RoomCreatedDecoder.MIN_LENGTH + indexNameLength +
            collectionNameLength + filter.length() && encodedLength <= available, encodedLength);
        return new Room(roomId, indexName, collectionName, filter);
    }

    private JoinResponse readJoinResponse(final JoinResponseDecoder d, final int bodyLength)
    {
        final long correlationId = d.correlationId();
        final int status = d.status();
        final int memberCount = d.memberCount();
        final String clusterName = d.clusterName();
        final List<Card> members = new ArrayList<>();
        int available = bodyLength - JoinResponseEncoder.computeLength(d.clusterNameLength(), 0);
        while (d.nextMember(memberCardDecoder))
        {
            members.add(readCard(memberCardDecoder, available));
            available -= memberCardDecoder.encodedLength();
        }
        check("join response members read", members.size() == memberCount && !d.nextMember(memberCardDecoder),
            members.size());
        return new JoinResponse(
            correlationId, status, d.heartbeatIntervalNs(), d.heartbeatTimeoutNs(), clusterName, members);
    }

    private SnapshotChunk readSnapshotChunk(final SnapshotChunkDecoder d, final int bodyLength)
    {
        final int countEntries = d.countEntries();
        final List<Count> counts = new ArrayList<>(countEntries);
        for (int i = 0; i < countEntries; i++)
        {
            counts.add(new Count(d.countRoomId(i), d.countValue(i)));
        }
        final int roomEntries = d.roomEntries();
        final List<Room> rooms = new ArrayList<>();
        int available = bodyLength - SnapshotChunkDecoder.COUNTS_OFFSET -
            countEntries * SnapshotChunkDecoder.COUNT_ENTRY_LENGTH;
        while (d.nextRoom(roomCreatedDecoder))
        {
            rooms.add(readRoom(roomCreatedDecoder, available));
            available -= roomCreatedDecoder.encodedLength();
        }
        check("snapshot rooms read", rooms.size() == roomEntries && !d.nextRoom(roomCreatedDecoder), rooms.size());
        check("isLast", d.isLast() == ((d.flags() & SnapshotChunkDecoder.FLAG_LAST) != 0), d.flags());
        final List<Messages.Floor> tableStreams = new ArrayList<>();
        for (int i = 0, streams = d.tableStreamCount(); i < streams; i++)
        {
            tableStreams.add(new Messages.Floor(
                d.tableStreamNodeId(i), d.tableStreamIncarnation(i), d.tableStreamSequence(i)));
        }
        check("table streams only with the flag", d.hasTableStreams() || tableStreams.isEmpty(), d.flags());
        final List<Messages.RoomRemoval> roomRemovals = new ArrayList<>();
        for (int i = 0, removals = d.roomRemovalCount(); i < removals; i++)
        {
            roomRemovals.add(new Messages.RoomRemoval(d.roomRemovalRoomId(i), d.roomRemovalNodeId(i),
                d.roomRemovalIncarnation(i), d.roomRemovalSequence(i)));
        }
        check("room removals only with the flag", d.hasRoomRemovals() || roomRemovals.isEmpty(), d.flags());
        return new SnapshotChunk(
            d.correlationId(), d.ownerNodeId(), d.ownerIncarnation(), d.ownerSequence(), d.ownerDigest(),
            d.chunkIndex(), d.flags(), counts, rooms, tableStreams, roomRemovals);
    }

    private String readString(final String field, final int length, final String value, final int copied)
    {
        check(field + " copied length", copied == length, copied);
        final String fromCopy = new String(scratch.byteArray(), 0, copied, StandardCharsets.UTF_8);
        check(field + " String and copy", fromCopy.equals(value), value);
        return value;
    }

    private Bytes readVar(
        final String field,
        final int length,
        final byte[] value,
        final int copied,
        final DirectBuffer zeroCopyBuffer,
        final int zeroCopyOffset)
    {
        check(field + " length", value.length == length && copied == length, length);
        check(field + " copy", Arrays.equals(scratch.byteArray(), 0, copied, value, 0, length), copied);
        final byte[] zeroCopy = new byte[length];
        zeroCopyBuffer.getBytes(zeroCopyOffset, zeroCopy);
        check(field + " zero-copy read", Arrays.equals(zeroCopy, value), zeroCopyOffset);
        return new Bytes(value);
    }

    private static void check(final String what, final boolean ok, final Object value)
    {
        if (!ok)
        {
            throw new AssertionError("decoder getters disagree on " + what + " (" + value + ")");
        }
    }
}
