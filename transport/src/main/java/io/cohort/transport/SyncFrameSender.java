package io.cohort.transport;

import io.cohort.codec.FrameLayout;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.util.function.LongUnaryOperator;

/**
 * Hands finished sync frames to the node's XPUB socket, each behind its topic ({@link ZmqTransport}'s class comment):
 * the {@link FrameSink} of the transport's {@link OutboundBatcher}. A frame the XPUB refuses (a subscriber at its
 * high-water mark) is kept as the wire message it became, and handed over again as it is when the batcher retries
 * it. Counts what it sends and what is refused. Not thread safe: the node's thread only.
 */
final class SyncFrameSender implements FrameSink
{
    private final ZMQ.Socket publisher;
    private final TransportCounters counters;
    private final LongUnaryOperator destinationIncarnation;
    /**
     * Per destination stream, the wire message of its frame that the XPUB refused last: JeroMQ keeps no reference
     * to a refused message, and the batcher retries that same frame before anything else of the stream, so the
     * retry hands this message over again instead of copying the frame into a new one at every duty cycle of a
     * back-pressure spell.
     */
    private final Long2ObjectHashMap<Msg> refusedMessages = new Long2ObjectHashMap<>();
    private final UnsafeBuffer topicWriter = new UnsafeBuffer(new byte[0]);
    private SendFaultHook faultHook;

    /**
     * @param publisher              the XPUB socket.
     * @param counters               where to count frames, messages and bytes sent, and refusals.
     * @param destinationIncarnation the incarnation a directed frame to a node id is addressed to, read at every
     *                               attempt (it may change between a refused send and its retry).
     * @param faultHook              a hook that may alter, drop or repeat frames (fault injection), or null.
     */
    SyncFrameSender(
        final ZMQ.Socket publisher,
        final TransportCounters counters,
        final LongUnaryOperator destinationIncarnation,
        final SendFaultHook faultHook)
    {
        this.publisher = publisher;
        this.counters = counters;
        this.destinationIncarnation = destinationIncarnation;
        this.faultHook = faultHook;
    }

    /**
     * @param hook the hook, or null to send frames as they are.
     */
    void faultHook(final SendFaultHook hook)
    {
        this.faultHook = hook;
    }

    /**
     * Forgets the frame refused last on a destination's stream: the destination is gone, and so is its stream.
     */
    void removeDestination(final long destinationNodeId)
    {
        refusedMessages.remove(destinationNodeId);
    }

    /**
     * {@inheritDoc}
     */
    public boolean send(final long destinationNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        return send(destinationNodeId, buffer, offset, length, false);
    }

    /**
     * {@inheritDoc}
     */
    public boolean resend(final long destinationNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        return send(destinationNodeId, buffer, offset, length, true);
    }

    private boolean send(
        final long destinationNodeId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean retry)
    {
        final SendFaultHook hook = faultHook;
        if (null != hook)
        {
            return sendWithHook(hook, destinationNodeId, buffer, offset, length);
        }
        Msg message = null;
        if (retry)
        {
            // The frame the XPUB refused last on this stream, unchanged since (FrameSink.resend): hand the same
            // message over again.
            final Msg refused = refusedMessages.remove(destinationNodeId);
            if (null != refused && refused.size() == ZmqTransport.TOPIC_LENGTH + length)
            {
                message = refused;
            }
        }
        if (null == message)
        {
            // A new array per frame handed over: JeroMQ queues the message itself to its I/O thread and tells nobody
            // when it has been written, so a message once accepted can never be reused safely.
            final byte[] bytes = new byte[ZmqTransport.TOPIC_LENGTH + length];
            buffer.getBytes(offset, bytes, ZmqTransport.TOPIC_LENGTH, length);
            message = new Msg(bytes);
        }
        // A message made over a whole array gives that array back, without a copy.
        writeTopic(message.data(), destinationNodeId);
        if (!publisher.sendMsg(message, ZMQ.DONTWAIT))
        {
            counters.sendBackPressure.incrementRelease();
            refusedMessages.put(destinationNodeId, message);
            return false;
        }
        onSent(buffer, offset, length);
        return true;
    }

    /** Fault injection only: a fresh copy at every attempt, which the hook may alter, drop or repeat. */
    private boolean sendWithHook(
        final SendFaultHook hook, final long destinationNodeId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final byte[] message = new byte[ZmqTransport.TOPIC_LENGTH + length];
        buffer.getBytes(offset, message, ZmqTransport.TOPIC_LENGTH, length);
        writeTopic(message, destinationNodeId);
        final int copies = hook.copiesToSend(destinationNodeId, message);
        for (int i = 0; i < copies; i++)
        {
            if (!publisher.send(i + 1 < copies ? message.clone() : message, ZMQ.DONTWAIT))
            {
                counters.sendBackPressure.incrementRelease();
                return i > 0;
            }
        }
        onSent(buffer, offset, length);
        return true;
    }

    private void onSent(final DirectBuffer buffer, final int offset, final int length)
    {
        counters.framesSent.incrementRelease();
        counters.messagesSent.getAndAddRelease(
            buffer.getInt(offset + FrameLayout.MESSAGE_COUNT_OFFSET, FrameLayout.BYTE_ORDER));
        counters.bytesSent.getAndAddRelease(length);
    }

    /**
     * Writes the topic before a sync frame: {@code 'B'} and zeros for a broadcast, {@code 'D'}, the destination's node
     * id and incarnation for a directed frame (rewritten at every attempt: the incarnation a node id stands for may
     * change between a refused send and its retry).
     */
    private void writeTopic(final byte[] message, final long destinationNodeId)
    {
        topicWriter.wrap(message);
        if (FrameLayout.BROADCAST == destinationNodeId)
        {
            message[0] = ZmqTransport.BROADCAST_TOPIC;
            topicWriter.putLong(1, 0);
            topicWriter.putLong(1 + Long.BYTES, 0);
        }
        else
        {
            message[0] = ZmqTransport.DIRECTED_TOPIC;
            topicWriter.putLong(1, destinationNodeId, FrameLayout.BYTE_ORDER);
            topicWriter.putLong(1 + Long.BYTES, destinationIncarnation.applyAsLong(destinationNodeId),
                FrameLayout.BYTE_ORDER);
        }
    }
}
