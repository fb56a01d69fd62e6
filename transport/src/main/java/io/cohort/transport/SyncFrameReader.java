package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameLayout;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.util.Arrays;

/**
 * Reads the sync sockets of a {@link ZmqTransport}: each peer's stream on its SUB, and the subscriptions that peers'
 * SUBs send to this node's XPUB. A stream frame is read into the {@link ReceiveFramePool}, handed to the
 * {@link InboundFrameProcessor} (which checks it and dispatches its messages), and its array goes back to the pool
 * once it is dispatched. A subscription message names the node incarnation that subscribed to its directed topic,
 * kept here so that a directed frame to a node that is no peer of this one goes to that incarnation; anything else
 * the XPUB passes up comes from a stranger and is counted. An exception of a handler is reported without stopping
 * the read.
 * <p>
 * Not thread safe: the transport's polling thread only.
 */
final class SyncFrameReader
{
    private final int receiveBudget;
    private final ReceiveFramePool receivePool;
    private final InboundFrameProcessor inbound;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    /** Per node id, the incarnation whose directed-topic subscription this node's XPUB saw last. */
    private final Long2LongHashMap subscribedIncarnations = new Long2LongHashMap(0);
    private ReceiveFaultHook receiveFaultHook;

    /**
     * @param receiveBudget most frames read from one stream in one poll.
     * @param receivePool   the pool the SUB sockets read into, given each array back.
     * @param inbound       checks each frame and dispatches its messages.
     * @param counters      where strangers' subscription messages are counted.
     * @param errorHandler  told of a handler's exception.
     */
    SyncFrameReader(
        final int receiveBudget,
        final ReceiveFramePool receivePool,
        final InboundFrameProcessor inbound,
        final TransportCounters counters,
        final ErrorHandler errorHandler)
    {
        this.receiveBudget = receiveBudget;
        this.receivePool = receivePool;
        this.inbound = inbound;
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    /**
     * Installs a hook that may drop frames of chosen senders (tests, fault injection).
     *
     * @param hook the hook, or null.
     */
    void receiveFaultHook(final ReceiveFaultHook hook)
    {
        this.receiveFaultHook = hook;
    }

    /**
     * Reads one peer's stream up to the receive budget and for one slice of time at most (its first frame is always
     * read), dispatching each frame; stops once a handler removed the peer.
     *
     * @param connection     the peer's sockets.
     * @param handler        receives the messages and stream faults.
     * @param receiveSliceNs how long the stream may be read, or {@link ZmqTransport#NO_RECEIVE_SLICE}.
     * @return frames read.
     */
    int pollSubscriber(
        final ZmqTransport.Connection connection, final SyncHandler handler, final long receiveSliceNs)
    {
        final long startNs = System.nanoTime();
        int received = 0;
        Msg message;
        while (received < receiveBudget && !connection.removed &&
            (0 == received || System.nanoTime() - startNs < receiveSliceNs) &&
            null != (message = connection.subscriber.recvMsg(ZMQ.DONTWAIT)))
        {
            received++;
            ZmqTransport.discardMoreParts(connection.subscriber);
            try
            {
                onSyncMessage(connection.peer, message, handler);
            }
            finally
            {
                // The frame is dispatched: its handlers decoded what they needed, and nothing reads the array now.
                receivePool.release(message);
            }
        }
        return received;
    }

    private void onSyncMessage(final Peer peer, final Msg message, final SyncHandler handler)
    {
        final int length = message.size();
        byte[] array = ReceiveFramePool.arrayOf(message);
        final ReceiveFaultHook hook = receiveFaultHook;
        if (null != hook)
        {
            // Fault injection only: the hook sees the wire message as an array of its own length, as it always did.
            if (array.length != length)
            {
                array = Arrays.copyOf(array, length);
            }
            if (hook.drop(peer.nodeId(), array))
            {
                return;
            }
        }
        if (length < ZmqTransport.TOPIC_LENGTH)
        {
            peer.counters().onFrame(length);
            peer.counters().onBadFrame();
            try
            {
                handler.onBadFrame(peer, DecodeResult.TRUNCATED_HEADER);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
            return;
        }
        receiveBuffer.wrap(array, 0, length);
        inbound.onSyncFrame(
            peer, receiveBuffer, ZmqTransport.TOPIC_LENGTH, length - ZmqTransport.TOPIC_LENGTH, handler);
    }

    /**
     * Reads every subscription message this node's XPUB passed up and tells the handler of each directed topic's
     * node incarnation that subscribed or went away.
     *
     * @param publisher this node's XPUB.
     * @param handler   told of subscriber changes.
     * @return messages read.
     */
    int drainSubscriptions(final ZMQ.Socket publisher, final SyncHandler handler)
    {
        int drained = 0;
        byte[] message;
        while (null != (message = publisher.recv(ZMQ.DONTWAIT)))
        {
            final boolean multipart = publisher.hasReceiveMore();
            ZmqTransport.discardMoreParts(publisher);
            drained++;
            // A subscription message is [1 = subscribe | 0 = unsubscribe][topic]: anything else the XPUB passes up
            // comes from a stranger (e.g. junk bytes read as old-protocol messages).
            if (multipart || 0 == message.length || (0 != message[0] && 1 != message[0]))
            {
                counters.strangerFrames.incrementRelease();
                continue;
            }
            // Only directed topics name a node.
            if (message.length == 1 + ZmqTransport.TOPIC_LENGTH && ZmqTransport.DIRECTED_TOPIC == message[1])
            {
                receiveBuffer.wrap(message);
                final long nodeId = receiveBuffer.getLong(2, FrameLayout.BYTE_ORDER);
                final long incarnation = receiveBuffer.getLong(2 + Long.BYTES, FrameLayout.BYTE_ORDER);
                if (1 == message[0])
                {
                    subscribedIncarnations.put(nodeId, incarnation);
                }
                else if (subscribedIncarnations.get(nodeId) == incarnation)
                {
                    subscribedIncarnations.remove(nodeId);
                }
                try
                {
                    handler.onSubscriberChange(nodeId, incarnation, 1 == message[0]);
                }
                catch (final Exception ex)
                {
                    errorHandler.onError(ex);
                }
            }
        }
        return drained;
    }

    /**
     * @param nodeId a node id.
     * @return the incarnation whose directed-topic subscription was seen last under it, 0 for none.
     */
    long subscribedIncarnation(final long nodeId)
    {
        return subscribedIncarnations.get(nodeId);
    }
}
