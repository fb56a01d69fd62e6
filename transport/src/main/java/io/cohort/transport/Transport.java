package io.cohort.transport;

import org.agrona.DirectBuffer;

/**
 * What a node's protocol logic needs from the network, and nothing else: so that the same logic runs over
 * {@link ZmqTransport} in production and over a simulated network in tests. Receiving is not part of it:
 * whoever drives the node delivers received frames to it.
 */
public interface Transport extends AutoCloseable
{
    /**
     * The endpoint peers subscribe to.
     *
     * @return this node's sync endpoint.
     */
    String syncEndpoint();

    /**
     * The endpoint peers send requests to.
     *
     * @return this node's command endpoint.
     */
    String commandEndpoint();

    /**
     * The batcher that numbers, frames and sends this node's sync messages.
     *
     * @return the outbound batcher.
     */
    OutboundBatcher outbound();

    /**
     * Starts receiving a peer's sync streams and opens a request channel to it (the directed stream to it is
     * opened with {@link OutboundBatcher#addDestination(long)} once its subscription is live).
     *
     * @param nodeId          the peer's node id.
     * @param incarnation     the peer's incarnation.
     * @param syncEndpoint    its sync endpoint.
     * @param commandEndpoint its command endpoint.
     * @return the peer.
     */
    Peer addPeer(long nodeId, long incarnation, String syncEndpoint, String commandEndpoint);

    /**
     * Replaces a peer's channels with fresh ones to the same endpoints, keeping the peer, its counters and its
     * expected sequences: the cure for a connection that never completes its handshake.
     *
     * @param nodeId the peer's node id.
     * @return false if it is not a peer or the transport cannot reconnect.
     */
    default boolean reconnectPeer(final long nodeId)
    {
        return false;
    }

    /**
     * Stops receiving from a peer and closes its channels.
     *
     * @param nodeId the peer's node id.
     * @return false if it was not a peer.
     */
    boolean removePeer(long nodeId);

    /**
     * A peer by node id.
     *
     * @param nodeId the peer's node id.
     * @return the peer, or null.
     */
    Peer peer(long nodeId);

    /**
     * Sends a request frame to a peer, without waiting.
     *
     * @param peerNodeId a peer.
     * @param buffer     holding the frame.
     * @param offset     where it starts.
     * @param length     its length.
     * @return false if it could not be sent now.
     */
    boolean sendRequest(long peerNodeId, DirectBuffer buffer, int offset, int length);

    /**
     * Answers a request, without waiting.
     *
     * @param routingId the request's routing id.
     * @param buffer    holding the response frame.
     * @param offset    where it starts.
     * @param length    its length.
     * @return false if it could not be sent now.
     */
    boolean reply(byte[] routingId, DirectBuffer buffer, int offset, int length);

    /**
     * Opens a request channel to a seed whose node id is not known yet.
     *
     * @param commandEndpoint the seed's command endpoint.
     * @return an id for {@link #sendToSeed}.
     */
    int connectSeed(String commandEndpoint);

    /**
     * Sends a request frame to a seed, without waiting; its response arrives like any other.
     *
     * @param seedId from {@link #connectSeed(String)}.
     * @param buffer holding the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return false if it could not be sent now.
     */
    boolean sendToSeed(int seedId, DirectBuffer buffer, int offset, int length);

    /**
     * Closes every seed channel (once joined).
     */
    void disconnectSeeds();

    /**
     * Closes the transport.
     */
    void close();
}
