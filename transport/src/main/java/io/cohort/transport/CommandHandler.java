package io.cohort.transport;

import org.agrona.DirectBuffer;

/**
 * Receives validated command-channel messages: requests that arrived on this node's ROUTER, and responses
 * that arrived on the DEALER connected to a peer.
 */
public interface CommandHandler
{
    /**
     * A request from some node, to be answered with {@link ZmqTransport#reply}.
     *
     * @param routingId         opaque identity of the requesting connection, to pass back when replying.
     * @param senderNodeId      the node id the request's frame names as its sender.
     * @param senderIncarnation its incarnation.
     * @param type              one of {@link io.cohort.codec.MessageType}.
     * @param buffer            holding the body.
     * @param bodyOffset        where the body starts.
     * @param bodyLength        the body's length.
     */
    void onRequest(
        byte[] routingId,
        long senderNodeId,
        long senderIncarnation,
        int type,
        DirectBuffer buffer,
        int bodyOffset,
        int bodyLength);

    /**
     * A response to a request this node sent to a peer or a seed.
     *
     * @param senderNodeId      the responder's node id, from the response frame.
     * @param senderIncarnation the responder's incarnation.
     * @param type              one of {@link io.cohort.codec.MessageType}.
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength the body's length.
     */
    void onResponse(
        long senderNodeId, long senderIncarnation, int type, DirectBuffer buffer, int bodyOffset, int bodyLength);
}
