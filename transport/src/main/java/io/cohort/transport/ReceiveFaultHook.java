package io.cohort.transport;

/**
 * A hook that lets tests and fault-injection runs drop or corrupt received sync frames, i.e. break one link.
 * Installed by code or by {@link TransportFaultHooks}, never by production start-up.
 */
@FunctionalInterface
public interface ReceiveFaultHook
{
    /**
     * Decides whether a received frame is dropped before it is checked.
     *
     * @param peerNodeId the peer whose socket it came from.
     * @param message    the wire message ({@code [topic][frame]}), which the hook may modify.
     * @return true to drop it.
     */
    boolean drop(long peerNodeId, byte[] message);

    /**
     * Decides whether a command frame (a request or a response) from a node is dropped once decoded: a link broken
     * both ways breaks its command channel too, where liveness heartbeats travel.
     *
     * @param senderNodeId the node that sent it.
     * @return true to drop it; by default nothing is.
     */
    default boolean dropCommand(final long senderNodeId)
    {
        return false;
    }
}
