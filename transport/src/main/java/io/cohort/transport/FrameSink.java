package io.cohort.transport;

import org.agrona.DirectBuffer;

/**
 * Where finished sync frames go: the ZeroMQ publisher in production, a simulated network in tests.
 */
@FunctionalInterface
public interface FrameSink
{
    /**
     * Sends a frame, copying its bytes before returning.
     *
     * @param destinationNodeId the node the frame is for, or {@link io.cohort.codec.FrameLayout#BROADCAST}.
     * @param buffer            holding the frame.
     * @param offset            where the frame starts.
     * @param length            the frame's length.
     * @return false if the frame could not be sent now (back-pressure); the caller keeps it and retries.
     */
    boolean send(long destinationNodeId, DirectBuffer buffer, int offset, int length);

    /**
     * Sends again the frame this sink refused last for the same destination, unchanged since (the batcher keeps a
     * refused frame and retries it before anything else of its stream). A sink that had to copy the frame to hand
     * it over may keep the refused copy and hand it over now without copying again. By default, {@link #send}.
     *
     * @param destinationNodeId the node the frame is for, or {@link io.cohort.codec.FrameLayout#BROADCAST}.
     * @param buffer            holding the frame.
     * @param offset            where the frame starts.
     * @param length            the frame's length.
     * @return false if the frame could not be sent now (back-pressure); the caller keeps it and retries.
     */
    default boolean resend(long destinationNodeId, DirectBuffer buffer, int offset, int length)
    {
        return send(destinationNodeId, buffer, offset, length);
    }
}
