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
}
