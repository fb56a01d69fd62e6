package io.cohort.transport;

import io.cohort.codec.FrameEncoder;
import io.cohort.codec.FrameLayout;
import org.agrona.BufferUtil;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces outgoing sync messages into frames, one open frame per stream (the broadcast stream and one
 * directed stream per destination), numbering each message in its stream. A frame goes to the
 * {@link FrameSink} when it is full or at {@link #flush()} (the end of each duty cycle), so that the
 * per-frame cost of ZeroMQ is paid once for many messages. Sans-IO and single-threaded.
 * <p>
 * Never drops: if the sink refuses a frame, the frame is kept, its stream refuses new claims
 * ({@link #NO_SPACE}, back-pressure to the caller) and every {@link #flush()} retries it.
 * <p>
 * Directed streams may also be bounded end to end ({@link #directedWindow}): each one then has a
 * {@link ReplicationWindow} whose only replica is its destination, fed by the frames the sink accepts and by the
 * destination's reports of what it took ({@link #onDirectedStatus}); {@link #reserveDirected} refuses while it is
 * closed, so that what waits for a slow destination stays within the window instead of the socket's high-water
 * mark.
 */
public final class OutboundBatcher
{
    /** Returned by the claim methods under back-pressure: nothing was claimed, try again later. */
    public static final int NO_SPACE = FrameEncoder.NO_SPACE;
    /** The first sequence number of every stream. */
    public static final long FIRST_SEQUENCE = 1;

    private final long clusterId;
    private final long nodeId;
    private final long incarnation;
    private final int maxFrameLength;
    private final FrameSink sink;
    private final Stream broadcast;
    private final Long2ObjectHashMap<Stream> directedByDestination = new Long2ObjectHashMap<>();
    private final List<Stream> directed = new ArrayList<>();
    private long framesSent;
    private long messagesSent;
    private long bytesSent;
    private long refusals;
    private BroadcastSentObserver broadcastSentObserver;
    private long directedWindowBytes;
    private int directedWindowFrames;

    /**
     * A batcher for one node's streams.
     *
     * @param clusterId      this node's cluster id, stamped on every frame.
     * @param nodeId         this node's id.
     * @param incarnation    this node's incarnation.
     * @param maxFrameLength the most bytes a frame may take, header and trailer included.
     * @param sink           where finished frames go.
     */
    public OutboundBatcher(
        final long clusterId, final long nodeId, final long incarnation, final int maxFrameLength, final FrameSink sink)
    {
        if (maxFrameLength < FrameLayout.MIN_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " is below " +
                FrameLayout.MIN_FRAME_LENGTH);
        }
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.maxFrameLength = maxFrameLength;
        this.sink = sink;
        broadcast = new Stream(FrameLayout.BROADCAST);
    }

    /**
     * Opens a directed stream to a destination (idempotent).
     *
     * @param destinationNodeId the destination node.
     */
    public void addDestination(final long destinationNodeId)
    {
        if (FrameLayout.BROADCAST == destinationNodeId)
        {
            throw new IllegalArgumentException("destinationNodeId=0 is reserved for broadcast");
        }
        if (!directedByDestination.containsKey(destinationNodeId))
        {
            final Stream stream = new Stream(destinationNodeId);
            stream.window = newDirectedWindow();
            directedByDestination.put(destinationNodeId, stream);
            directed.add(stream);
        }
    }

    /**
     * Closes a directed stream, discarding anything not yet sent on it (the destination is gone).
     *
     * @param destinationNodeId the destination node.
     */
    public void removeDestination(final long destinationNodeId)
    {
        final Stream stream = directedByDestination.remove(destinationNodeId);
        if (null != stream)
        {
            directed.remove(stream);
        }
    }

    /**
     * Installs the one observer told of every broadcast frame the sink accepts (e.g. a {@link ReplicationWindow}).
     *
     * @param observer the observer, or null for none.
     */
    public void broadcastSentObserver(final BroadcastSentObserver observer)
    {
        this.broadcastSentObserver = observer;
    }

    /**
     * Bounds every directed stream, those open now and those opened later, by what its destination has reported
     * taking: at most {@code windowBytes} bytes (and {@code maxFrames} frames) sent beyond its position, once it has
     * reported a position within half of that; a destination that never reports is not bounded. A destination is
     * never cut loose from its window (notifications refused meanwhile are told to their callers, not queued).
     * Allocates one window per stream; call at start-up.
     *
     * @param windowBytes bytes beyond the destination's position that close its window; 0 for no window.
     * @param maxFrames   frames beyond it that close the window, at least 2 (unused if {@code windowBytes} is 0).
     * @throws IllegalArgumentException if a value is out of range.
     */
    public void directedWindow(final long windowBytes, final int maxFrames)
    {
        if (windowBytes < 0 || (windowBytes > 0 && maxFrames < 2))
        {
            throw new IllegalArgumentException("windowBytes=" + windowBytes + " maxFrames=" + maxFrames +
                ": out of range");
        }
        directedWindowBytes = windowBytes;
        directedWindowFrames = maxFrames;
        for (int i = 0, size = directed.size(); i < size; i++)
        {
            directed.get(i).window = newDirectedWindow();
        }
    }

    /**
     * A destination's report of the last message of its directed stream it took: advances its window. Ignored
     * without a stream or a window, or if not newer than the last report.
     *
     * @param destinationNodeId the destination.
     * @param appliedSequence   the last sequence of its directed stream it took.
     * @param nowNs             the current time.
     */
    public void onDirectedStatus(final long destinationNodeId, final long appliedSequence, final long nowNs)
    {
        final Stream stream = directedByDestination.get(destinationNodeId);
        if (null != stream && null != stream.window)
        {
            stream.window.onStatus(destinationNodeId, appliedSequence, nowNs);
        }
    }

    /**
     * Whether the directed stream to a destination may send more under its window ({@link #directedWindow}).
     *
     * @param destinationNodeId a destination node.
     * @return false only while a stream to it is open and its window is closed.
     */
    public boolean isDirectedWindowOpen(final long destinationNodeId)
    {
        final Stream stream = directedByDestination.get(destinationNodeId);
        return null == stream || null == stream.window || stream.window.isOpen();
    }

    /**
     * Bytes of the directed stream to a destination sent beyond the position it last reported.
     *
     * @param destinationNodeId a destination node.
     * @return bytes in flight; 0 without a stream, a window, or a report.
     */
    public long directedBytesInFlight(final long destinationNodeId)
    {
        final Stream stream = directedByDestination.get(destinationNodeId);
        return null == stream || null == stream.window ? 0 : stream.window.bytesInFlight();
    }

    private ReplicationWindow newDirectedWindow()
    {
        // One replica, the destination, and never untethered: a closed window refuses notifications (told to their
        // callers) rather than letting them pile up at the socket for a destination that does not take them.
        return 0 == directedWindowBytes ? null :
            new ReplicationWindow(directedWindowBytes, directedWindowFrames, Long.MAX_VALUE, 1);
    }

    /**
     * Whether a directed stream to this destination is open.
     *
     * @param destinationNodeId the destination node.
     * @return true if {@link #addDestination(long)} was called and not undone.
     */
    public boolean hasDestination(final long destinationNodeId)
    {
        return directedByDestination.containsKey(destinationNodeId);
    }

    /**
     * Claims room for a broadcast message; write its body in {@link #broadcastBuffer()} at the returned offset
     * before the next flush.
     *
     * @param messageType one of {@link io.cohort.codec.MessageType}.
     * @param bodyLength  the body's length.
     * @return the body offset, or {@link #NO_SPACE} under back-pressure.
     * @throws IllegalArgumentException if the message can never fit in a frame.
     */
    public int claimBroadcast(final int messageType, final int bodyLength)
    {
        return broadcast.claim(messageType, bodyLength);
    }

    /**
     * The buffer broadcast bodies are written to.
     *
     * @return the broadcast stream's frame buffer.
     */
    public UnsafeBuffer broadcastBuffer()
    {
        return broadcast.buffer;
    }

    /**
     * Claims room for a message to one destination; write its body in {@link #directedBuffer(long)} at the
     * returned offset before the next flush.
     *
     * @param destinationNodeId a destination added with {@link #addDestination(long)}.
     * @param messageType       one of {@link io.cohort.codec.MessageType}.
     * @param bodyLength        the body's length.
     * @return the body offset, or {@link #NO_SPACE} under back-pressure.
     * @throws IllegalArgumentException if the destination is unknown or the message can never fit.
     */
    public int claimDirected(final long destinationNodeId, final int messageType, final int bodyLength)
    {
        return directedStream(destinationNodeId).claim(messageType, bodyLength);
    }

    /**
     * Makes sure that the next {@link #claimDirected} to this destination, of a body of at most
     * {@code bodyLength} bytes, succeeds: so that one message meant for several destinations (a notification) can
     * be admitted by all of them, or by none, before any of it is claimed. It may send the stream's open frame to
     * make room for the body, as a claim would; it claims nothing and consumes no sequence number. The guarantee
     * holds until the next claim, reservation or flush of this stream.
     *
     * @param destinationNodeId a destination added with {@link #addDestination(long)}.
     * @param bodyLength        the body's length.
     * @return true if the next claim of such a body will succeed; false under back-pressure (the stream holds a
     * frame the sink refused, or its window is closed): nothing was claimed, nothing is lost.
     * @throws IllegalArgumentException if the destination is unknown or the message can never fit.
     */
    public boolean reserveDirected(final long destinationNodeId, final int bodyLength)
    {
        return directedStream(destinationNodeId).reserve(bodyLength);
    }

    /**
     * The buffer bodies of messages to a destination are written to.
     *
     * @param destinationNodeId a destination added with {@link #addDestination(long)}.
     * @return the directed stream's frame buffer.
     */
    public UnsafeBuffer directedBuffer(final long destinationNodeId)
    {
        return directedStream(destinationNodeId).buffer;
    }

    /**
     * The sequence the next broadcast message will get.
     *
     * @return the next broadcast sequence.
     */
    public long nextBroadcastSequence()
    {
        return broadcast.nextSequence;
    }

    /**
     * The last broadcast sequence the sink accepted: what every subscriber's socket has been handed (a message
     * claimed since, or held back by back-pressure, is not counted).
     *
     * @return the last sent broadcast sequence, {@link #FIRST_SEQUENCE} - 1 if none.
     */
    public long lastSentBroadcastSequence()
    {
        return broadcast.lastSentSequence;
    }

    /**
     * The sequence the next message to a destination will get.
     *
     * @param destinationNodeId a destination added with {@link #addDestination(long)}.
     * @return the next directed sequence.
     */
    public long nextDirectedSequence(final long destinationNodeId)
    {
        return directedStream(destinationNodeId).nextSequence;
    }

    /**
     * The last sequence of a directed stream that the sink accepted, for heartbeats: a receiver that has not
     * seen it after the heartbeat lost the stream's tail.
     *
     * @param destinationNodeId a destination added with {@link #addDestination(long)}.
     * @return the last sent directed sequence, {@link #FIRST_SEQUENCE} - 1 if none.
     */
    public long lastSentDirectedSequence(final long destinationNodeId)
    {
        return directedStream(destinationNodeId).lastSentSequence;
    }

    /**
     * Number of open directed streams.
     *
     * @return the destination count.
     */
    public int destinationCount()
    {
        return directed.size();
    }

    /**
     * A destination by position, for listing directed streams in heartbeats.
     *
     * @param index from 0 to {@link #destinationCount()} - 1.
     * @return the destination node id.
     */
    public long destination(final int index)
    {
        return directed.get(index).destination;
    }

    /**
     * Sends every open frame and retries every refused one. Directed frames go first: a heartbeat in the
     * broadcast frame lists the last directed sequences already sent ({@link #lastSentDirectedSequence(long)}),
     * and the receiver must not see that heartbeat before those messages.
     *
     * @return number of frames handed to the sink.
     */
    public int flush()
    {
        int sent = 0;
        for (int i = 0, size = directed.size(); i < size; i++)
        {
            sent += directed.get(i).flush();
        }
        return sent + broadcast.flush();
    }

    /**
     * Whether any stream holds a frame the sink refused.
     *
     * @return true while back-pressure lasts.
     */
    public boolean isBackPressured()
    {
        if (broadcast.pending)
        {
            return true;
        }
        for (int i = 0, size = directed.size(); i < size; i++)
        {
            if (directed.get(i).pending)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the broadcast stream holds a frame the sink refused: every broadcast claim is refused until it goes.
     *
     * @return true while back-pressure on the broadcast stream lasts.
     */
    public boolean isBroadcastBackPressured()
    {
        return broadcast.pending;
    }

    /**
     * Whether the directed stream to a destination holds a frame the sink refused: claims to it are refused until
     * the frame goes (a later claim or {@link #flush()} retries it).
     *
     * @param destinationNodeId a destination node.
     * @return true while back-pressure on that stream lasts; false if no stream to it is open.
     */
    public boolean isBackPressured(final long destinationNodeId)
    {
        final Stream stream = directedByDestination.get(destinationNodeId);
        return null != stream && stream.pending;
    }

    /**
     * Frames the sink accepted.
     *
     * @return the count since creation.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * Messages in frames the sink accepted.
     *
     * @return the count since creation.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Bytes of frames the sink accepted.
     *
     * @return the count since creation.
     */
    public long bytesSent()
    {
        return bytesSent;
    }

    /**
     * Times the sink refused a frame.
     *
     * @return the count since creation.
     */
    public long refusals()
    {
        return refusals;
    }

    private Stream directedStream(final long destinationNodeId)
    {
        final Stream stream = directedByDestination.get(destinationNodeId);
        if (null == stream)
        {
            throw new IllegalArgumentException("destinationNodeId=" + destinationNodeId + " has no directed stream");
        }
        return stream;
    }

    private final class Stream
    {
        final long destination;
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(maxFrameLength, 64));
        final FrameEncoder encoder = new FrameEncoder();
        long nextSequence = FIRST_SEQUENCE;
        long lastSentSequence = FIRST_SEQUENCE - 1;
        /** The end-to-end bound of a directed stream, or null. */
        ReplicationWindow window;
        boolean open;
        boolean pending;
        int pendingLength;

        Stream(final long destination)
        {
            this.destination = destination;
            encoder.wrap(buffer, 0, maxFrameLength);
        }

        int claim(final int messageType, final int bodyLength)
        {
            // Checked before anything else: otherwise a message too large for any frame, claimed after others,
            // would send the open frame, fail again in the empty one and still consume a sequence number.
            requireFits(bodyLength);
            if (pending && !retry())
            {
                return NO_SPACE;
            }
            if (!open)
            {
                begin();
            }

            int offset = encoder.claim(messageType, bodyLength);
            if (NO_SPACE == offset)
            {
                if (0 == encoder.messageCount())
                {
                    throw new IllegalArgumentException("bodyLength=" + bodyLength + " cannot fit a frame of " +
                        "maxFrameLength=" + maxFrameLength);
                }
                if (!finishAndSend())
                {
                    return NO_SPACE;
                }
                begin();
                offset = encoder.claim(messageType, bodyLength);
            }
            nextSequence++;
            return offset;
        }

        /**
         * Invariant on return true: no frame is pending, and either no frame is open (the claim begins an empty
         * one, which holds any body that passed {@link #requireFits}) or the open one has room for the body.
         */
        boolean reserve(final int bodyLength)
        {
            requireFits(bodyLength);
            if (null != window && !window.isOpen())
            {
                return false;
            }
            if (pending && !retry())
            {
                return false;
            }
            if (!open || encoder.fits(bodyLength))
            {
                return true;
            }
            // The open frame holds at least one message (an empty one fits any body that passed requireFits):
            // send it now, as the claim would; if the sink refuses it, it stays pending and nothing is lost.
            return finishAndSend();
        }

        private void requireFits(final int bodyLength)
        {
            if (bodyLength < 0)
            {
                throw new IllegalArgumentException("bodyLength=" + bodyLength + " must not be negative");
            }
            if ((long)FrameLayout.MIN_FRAME_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH + bodyLength > maxFrameLength)
            {
                throw new IllegalArgumentException("bodyLength=" + bodyLength + " cannot fit a frame of " +
                    "maxFrameLength=" + maxFrameLength);
            }
        }

        private void begin()
        {
            encoder.begin(clusterId, nodeId, incarnation, destination, nextSequence);
            open = true;
        }

        int flush()
        {
            if (pending)
            {
                return retry() ? 1 : 0;
            }
            if (open && encoder.messageCount() > 0)
            {
                return finishAndSend() ? 1 : 0;
            }
            return 0;
        }

        private boolean finishAndSend()
        {
            pendingLength = encoder.finish();
            open = false;
            pending = true;
            return handOver(sink.send(destination, buffer, 0, pendingLength));
        }

        /** Sends the pending frame again: the sink refused it before, and it has not changed since. */
        private boolean retry()
        {
            return handOver(sink.resend(destination, buffer, 0, pendingLength));
        }

        private boolean handOver(final boolean accepted)
        {
            if (accepted)
            {
                pending = false;
                lastSentSequence = nextSequence - 1;
                framesSent++;
                messagesSent += encoder.messageCount();
                bytesSent += pendingLength;
                if (FrameLayout.BROADCAST == destination && null != broadcastSentObserver)
                {
                    broadcastSentObserver.onBroadcastSent(lastSentSequence, pendingLength);
                }
                else if (null != window)
                {
                    window.onFrameSent(lastSentSequence, pendingLength);
                }
                return true;
            }
            refusals++;
            return false;
        }
    }
}
