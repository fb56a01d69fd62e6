package io.cohort.state;

import org.agrona.DirectBuffer;

/**
 * Receives each finished snapshot frame from a {@link SnapshotWriter}, e.g. to send it on the command
 * channel. The buffer is reused for the next frame as soon as this returns: copy or send the bytes before
 * returning (a JeroMQ {@code send(byte[])} keeps the array, so it needs a fresh copy). Called while a map
 * is being iterated: it must not call the {@link SubscriptionState}.
 */
@FunctionalInterface
public interface SnapshotSink
{
    /**
     * A frame is complete.
     *
     * @param buffer holding the frame.
     * @param offset where it starts.
     * @param length its length, trailer included.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
