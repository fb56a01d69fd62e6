package io.cohort.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayDeque;

/**
 * A simulated node's sync sockets as its thread reads them: a fast node takes each frame as it arrives; a slow one
 * ({@link #receiveCostNs}) takes at most one per cost, whichever publisher sent it, so what waits builds a backlog in
 * arrival order, heartbeats included. One publisher's frames waiting here are bounded by {@link #PIPE_FRAMES}: past
 * that its socket drops them. Not thread safe: the simulation's thread only.
 */
final class SimSyncSocket
{
    /**
     * Sync frames one subscription holds before its publisher's socket drops frames for it (the send and receive
     * high-water marks and the kernel's buffers of the real transport, at the scale of the simulated workload, which
     * sends a few hundred frames a second rather than thousands): only a slow receiver's backlog reaches it. A far
     * behind subscriber loses frames and sees the gap in its numbered stream; the others go on.
     */
    static final int PIPE_FRAMES = 256;

    /**
     * Where the node's thread takes a frame, or learns one was dropped.
     */
    interface Reader
    {
        /**
         * The node's thread takes a frame from the socket.
         */
        void take(long publisherNodeId, byte[] message, boolean corrupted);

        /**
         * A frame was dropped: its publisher's {@link #PIPE_FRAMES} frames were already waiting.
         */
        void overflow(long publisherNodeId, byte[] message);
    }

    private static final class Waiting
    {
        final long publisherNodeId;
        final byte[] message;
        final boolean corrupted;

        Waiting(final long publisherNodeId, final byte[] message, final boolean corrupted)
        {
            this.publisherNodeId = publisherNodeId;
            this.message = message;
            this.corrupted = corrupted;
        }
    }

    private final Reader reader;
    private final ArrayDeque<Waiting> backlog = new ArrayDeque<>();
    /** Of {@link #backlog}, the frames of each publisher. */
    private final Long2LongHashMap waitingByPublisher = new Long2LongHashMap(0);
    /** CPU cost of taking one sync frame, 0 for none: a slow receiver. */
    private long receiveCostNs;
    private long nextTakeNs;

    SimSyncSocket(final Reader reader)
    {
        this.reader = reader;
    }

    /**
     * Makes the node a slow receiver, or (0) a fast one again, which takes what waits at once, in order, as a thread
     * that got its CPU back.
     *
     * @param costNs nanoseconds per sync frame, 0 for none.
     * @param nowNs  the network's time.
     */
    void receiveCostNs(final long costNs, final long nowNs)
    {
        this.receiveCostNs = costNs;
        this.nextTakeNs = nowNs;
        take(nowNs);
    }

    /**
     * A sync frame reached the socket: taken at once by a fast receiver with nothing waiting, else queued behind what
     * waits (or dropped, past {@link #PIPE_FRAMES} of its publisher).
     */
    void arrive(final long publisherNodeId, final byte[] message, final boolean corrupted, final long nowNs)
    {
        if (0 == receiveCostNs && backlog.isEmpty())
        {
            reader.take(publisherNodeId, message, corrupted);
            return;
        }
        final long waiting = waitingByPublisher.get(publisherNodeId);
        if (waiting >= PIPE_FRAMES)
        {
            reader.overflow(publisherNodeId, message);
            return;
        }
        waitingByPublisher.put(publisherNodeId, waiting + 1);
        backlog.add(new Waiting(publisherNodeId, message, corrupted));
        take(nowNs);
    }

    /**
     * The node's thread takes what it may by now: everything if it is fast, one frame per cost if slow.
     */
    void take(final long nowNs)
    {
        while (!backlog.isEmpty() && (0 == receiveCostNs || nowNs >= nextTakeNs))
        {
            final Waiting frame = backlog.poll();
            final long left = waitingByPublisher.get(frame.publisherNodeId) - 1;
            if (left > 0)
            {
                waitingByPublisher.put(frame.publisherNodeId, left);
            }
            else
            {
                waitingByPublisher.remove(frame.publisherNodeId);
            }
            reader.take(frame.publisherNodeId, frame.message, frame.corrupted);
            if (receiveCostNs > 0)
            {
                nextTakeNs = Math.max(nextTakeNs, nowNs) + receiveCostNs;
            }
        }
    }

    /**
     * @return whether frames wait for the node's thread.
     */
    boolean hasBacklog()
    {
        return !backlog.isEmpty();
    }
}
