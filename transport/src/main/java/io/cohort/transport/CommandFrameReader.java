package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZMQ;
import zmq.Msg;

/**
 * Reads the command sockets of a {@link ZmqTransport}: requests on its ROUTER, responses on its DEALERs (to peers and
 * to seeds). Each frame is read into the {@link ReceiveFramePool}, decoded, and its messages dispatched one by one;
 * the array goes back to the pool once they are (handlers copy what they keep). A frame that does not decode is
 * counted against the peer it came from (or as a stranger's), one of another cluster only reaches
 * {@link CommandHandler#onForeignFrame}, and an exception of a handler is reported without stopping the read.
 * <p>
 * Not thread safe: the transport's polling thread only.
 */
final class CommandFrameReader
{
    private final FrameDecoder decoder;
    private final int receiveBudget;
    private final ReceiveFramePool receivePool;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    private ReceiveFaultHook receiveFaultHook;

    /**
     * @param decoder       decodes command frames (this node's codec limits and cluster id).
     * @param receiveBudget most frames read from one socket in one poll.
     * @param receivePool   the pool the sockets read into, given each array back.
     * @param counters      where bad and foreign frames are counted.
     * @param errorHandler  told of a handler's exception.
     */
    CommandFrameReader(
        final FrameDecoder decoder,
        final int receiveBudget,
        final ReceiveFramePool receivePool,
        final TransportCounters counters,
        final ErrorHandler errorHandler)
    {
        this.decoder = decoder;
        this.receiveBudget = receiveBudget;
        this.receivePool = receivePool;
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    /**
     * Installs a hook that may drop commands of chosen senders (tests, fault injection).
     *
     * @param hook the hook, or null.
     */
    void receiveFaultHook(final ReceiveFaultHook hook)
    {
        this.receiveFaultHook = hook;
    }

    /**
     * Reads responses from a DEALER (to a peer, or to a seed) up to the receive budget and dispatches them.
     *
     * @param dealer       the socket.
     * @param peerCounters the peer's counters, or null for a seed (its bad frames count as strangers').
     * @param handler      receives the responses.
     * @return frames read.
     */
    int pollDealer(final ZMQ.Socket dealer, final PeerCounters peerCounters, final CommandHandler handler)
    {
        int received = 0;
        Msg message;
        while (received < receiveBudget && null != (message = dealer.recvMsg(ZMQ.DONTWAIT)))
        {
            received++;
            ZmqTransport.discardMoreParts(dealer);
            try
            {
                onResponseFrame(message, peerCounters, handler);
            }
            finally
            {
                // Dispatched: the handlers copied what they keep (a snapshot chunk is queued as a copy).
                receivePool.release(message);
            }
        }
        return received;
    }

    private void onResponseFrame(final Msg message, final PeerCounters peerCounters, final CommandHandler handler)
    {
        final FrameDecoder frame = decoder;
        if (!decoded(message, null, peerCounters, handler))
        {
            return;
        }
        while (frame.nextMessage())
        {
            try
            {
                handler.onResponse(frame.senderNodeId(), frame.senderIncarnation(), frame.messageType(),
                    receiveBuffer, frame.bodyOffset(), frame.bodyLength());
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    /**
     * Decodes a received command frame into {@link #decoder}: one of another cluster goes to
     * {@link #onForeignFrame}, a bad one is counted against the peer it came from (a request's sender, or a seed,
     * is not known to be one: a stranger's), and one the fault hook drops is dropped.
     *
     * @param routingId    the request's routing id, or null for a response.
     * @param peerCounters the counters of the peer whose DEALER it came from, or null.
     * @return true if its messages are to be dispatched.
     */
    private boolean decoded(
        final Msg message, final byte[] routingId, final PeerCounters peerCounters, final CommandHandler handler)
    {
        final int length = wrapReceived(message);
        final DecodeResult result = decoder.wrap(receiveBuffer, 0, length);
        if (DecodeResult.FOREIGN_CLUSTER == result)
        {
            onForeignFrame(routingId, decoder, handler);
            return false;
        }
        if (DecodeResult.OK != result)
        {
            if (null != peerCounters)
            {
                peerCounters.onFrame(length);
                peerCounters.onBadFrame();
            }
            else
            {
                counters.strangerFrames.incrementRelease();
            }
            return false;
        }
        return !commandDropped(decoder.senderNodeId());
    }

    /**
     * Points the receive buffer at a received message's bytes without copying them.
     *
     * @return the message's length.
     */
    private int wrapReceived(final Msg message)
    {
        final int length = message.size();
        receiveBuffer.wrap(ReceiveFramePool.arrayOf(message), 0, length);
        return length;
    }

    /**
     * Reads requests from the ROUTER up to the receive budget and dispatches them.
     *
     * @param router  the command socket.
     * @param handler receives the requests.
     * @return frames read (or their routing ids, for a stranger's frame without a body).
     */
    int pollRouter(final ZMQ.Socket router, final CommandHandler handler)
    {
        int received = 0;
        byte[] routingId;
        while (received < receiveBudget && null != (routingId = router.recv(ZMQ.DONTWAIT)))
        {
            received++;
            if (!router.hasReceiveMore())
            {
                counters.strangerFrames.incrementRelease();
                continue;
            }
            final Msg message = router.recvMsg(0);
            try
            {
                if (router.hasReceiveMore())
                {
                    ZmqTransport.discardMoreParts(router);
                    counters.strangerFrames.incrementRelease();
                    continue;
                }
                onRequestFrame(routingId, message, handler);
            }
            finally
            {
                // Dispatched: the handlers copied what they keep (the routing id is an array of its own).
                receivePool.release(message);
            }
        }
        return received;
    }

    private void onRequestFrame(final byte[] routingId, final Msg message, final CommandHandler handler)
    {
        final FrameDecoder frame = decoder;
        if (!decoded(message, routingId, null, handler))
        {
            return;
        }
        while (frame.nextMessage())
        {
            try
            {
                handler.onRequest(routingId, frame.senderNodeId(), frame.senderIncarnation(), frame.messageType(),
                    receiveBuffer, frame.bodyOffset(), frame.bodyLength());
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    private boolean commandDropped(final long senderNodeId)
    {
        final ReceiveFaultHook hook = receiveFaultHook;
        return null != hook && hook.dropCommand(senderNodeId);
    }

    private void onForeignFrame(final byte[] routingId, final FrameDecoder frame, final CommandHandler handler)
    {
        counters.foreignClusterFrames.incrementRelease();
        while (frame.nextMessage())
        {
            try
            {
                handler.onForeignFrame(routingId, frame.senderNodeId(), frame.clusterId(), frame.messageType(),
                    receiveBuffer, frame.bodyOffset(), frame.bodyLength());
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
    }
}
