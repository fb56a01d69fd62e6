package io.cohort.transport;

/**
 * Told of every broadcast frame the {@link OutboundBatcher}'s sink accepted, in stream order, on the node's thread.
 */
@FunctionalInterface
public interface BroadcastSentObserver
{
    /**
     * A broadcast frame was handed to the sink.
     *
     * @param lastSequence the sequence of the frame's last message.
     * @param length       the frame's length in bytes.
     */
    void onBroadcastSent(long lastSequence, int length);
}
