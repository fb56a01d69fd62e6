package io.cohort.transport;

import io.cohort.codec.FrameLayout;

/**
 * A hook that lets tests and fault-injection runs drop, repeat or corrupt outgoing sync frames. Enabled only
 * by code or by {@link TransportFaultHooks}, never by production start-up.
 */
@FunctionalInterface
public interface SendFaultHook
{
    /**
     * Decides what to send in place of a frame.
     *
     * @param destinationNodeId the frame's destination, or {@link FrameLayout#BROADCAST}.
     * @param message           the wire message ({@code [topic][frame]}), which the hook may modify.
     * @return how many times to send it: 0 drops it, 2 repeats it.
     */
    int copiesToSend(long destinationNodeId, byte[] message);
}
