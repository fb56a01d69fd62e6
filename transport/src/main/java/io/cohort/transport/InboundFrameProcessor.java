package io.cohort.transport;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ReasonCode;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

/**
 * Turns a received sync frame into checked messages: validates it whole ({@link FrameDecoder}), checks that
 * it comes from this node's cluster, from the peer's current incarnation and is addressed to this node, classifies its sequence
 * numbers ({@link StreamSequence}), checks heartbeats for a lost tail, counts everything, and hands the
 * messages to a {@link SyncHandler}. Sans-IO: the ZeroMQ transport and a simulated network both feed it.
 * Never throws for bad input; a handler that throws is reported and the loop goes on.
 */
public final class InboundFrameProcessor
{
    private final long selfNodeId;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final FrameDecoder frameDecoder;
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();

    /**
     * A processor for frames received by one node.
     *
     * @param selfNodeId   this node's id: directed frames must be addressed to it.
     * @param clusterId    this node's cluster id: frames of another are refused, or
     *                     {@link FrameLayout#ANY_CLUSTER}.
     * @param limits       maximum sizes enforced on every frame.
     * @param counters     node-wide counters.
     * @param errorHandler told of exceptions thrown by handlers.
     */
    public InboundFrameProcessor(
        final long selfNodeId,
        final long clusterId,
        final CodecLimits limits,
        final TransportCounters counters,
        final ErrorHandler errorHandler)
    {
        this.selfNodeId = selfNodeId;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.frameDecoder = new FrameDecoder(limits, clusterId);
    }

    /**
     * Processes one frame received from a peer's sync stream.
     *
     * @param peer    the peer whose socket the frame came from.
     * @param buffer  holding the frame.
     * @param offset  where the frame starts.
     * @param length  the frame's length.
     * @param handler receives the messages and faults.
     * @return number of messages delivered.
     */
    public int onSyncFrame(
        final Peer peer, final DirectBuffer buffer, final int offset, final int length, final SyncHandler handler)
    {
        final PeerCounters peerCounters = peer.counters();
        peerCounters.onFrame(length);
        final FrameDecoder frame = frameDecoder;
        final DecodeResult result = frame.wrap(buffer, offset, length);
        if (DecodeResult.FOREIGN_CLUSTER == result)
        {
            // Another cluster's frame is no fault of a member's stream: refused whole, never an accusation.
            counters.foreignClusterFrames.incrementRelease();
            try
            {
                handler.onForeignCluster(peer, frame.clusterId());
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
            return 0;
        }
        if (DecodeResult.OK != result)
        {
            peerCounters.onBadFrame();
            try
            {
                handler.onBadFrame(peer, result);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
            return 0;
        }

        if (frame.senderNodeId() != peer.nodeId() || frame.senderIncarnation() != peer.incarnation())
        {
            counters.staleFrames.incrementRelease();
            return 0;
        }

        final long destination = frame.destinationNodeId();
        final boolean directed = FrameLayout.BROADCAST != destination;
        if (directed && destination != selfNodeId)
        {
            counters.misroutedFrames.incrementRelease();
            return 0;
        }

        final int messageCount = frame.messageCount();
        if (0 == messageCount)
        {
            return 0;
        }

        final StreamSequence sequence = directed ? peerCounters.directedSequence() : peerCounters.broadcastSequence();
        final long expected = sequence.expected();
        final int check = sequence.check(frame.firstSequence(), messageCount);
        switch (check)
        {
            case SequenceCheck.IN_ORDER:
                break;

            case SequenceCheck.GAP:
                peerCounters.onGap();
                fault(handler, peer, directed, ReasonCode.GAP, expected, frame.firstSequence());
                break;

            case SequenceCheck.REORDER:
                peerCounters.onReorder();
                fault(handler, peer, directed, ReasonCode.REORDER, expected, frame.firstSequence());
                return 0;

            default:
                peerCounters.onDuplicate();
                fault(handler, peer, directed, ReasonCode.DUPLICATE, expected, frame.firstSequence());
                return 0;
        }

        peerCounters.onMessages(messageCount);
        int delivered = 0;
        while (frame.nextMessage())
        {
            final int type = frame.messageType();
            if (MessageType.HEARTBEAT == type)
            {
                checkTail(peer, frame, handler);
            }
            try
            {
                handler.onMessage(
                    peer, directed, frame.messageSequence(), type, buffer, frame.bodyOffset(), frame.bodyLength());
                delivered++;
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        return delivered;
    }

    private void checkTail(final Peer peer, final FrameDecoder frame, final SyncHandler handler)
    {
        final HeartbeatDecoder heartbeat = heartbeatDecoder.wrap(frame.buffer(), frame.bodyOffset(), frame.bodyLength());
        final long lastDirected = heartbeat.lastDirectedSequence(selfNodeId);
        if (HeartbeatDecoder.NULL_SEQUENCE == lastDirected ||
            !handler.directedTailApplies(peer, heartbeat.lineage(), heartbeat.epoch()))
        {
            return;
        }

        final StreamSequence directed = peer.counters().directedSequence();
        final long expected = directed.expected();
        if (lastDirected >= OutboundBatcher.FIRST_SEQUENCE &&
            (StreamSequence.UNKNOWN == expected || expected <= lastDirected))
        {
            peer.counters().onLostTail();
            directed.expect(lastDirected + 1);
            fault(handler, peer, true, ReasonCode.LOST_TAIL, expected, lastDirected);
        }
    }

    private void fault(
        final SyncHandler handler,
        final Peer peer,
        final boolean directed,
        final int reason,
        final long expected,
        final long observed)
    {
        try
        {
            handler.onStreamFault(peer, directed, reason, expected, observed);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }
}
