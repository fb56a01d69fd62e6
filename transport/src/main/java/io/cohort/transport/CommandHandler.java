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

    /**
     * One message of a well-formed command frame stamped with another cluster's id. The frame was refused and
     * counted; nothing of it may be applied. It is passed on only so that a join request can be answered with a
     * refusal naming both clusters, and such a refusal logged by the node refused.
     *
     * @param routingId    the request's routing id, to reply with; null for a response to this node's request.
     * @param senderNodeId the node id the frame names as its sender.
     * @param clusterId    the cluster id the frame carried.
     * @param type         one of {@link io.cohort.codec.MessageType}.
     * @param buffer       holding the body.
     * @param bodyOffset   where the body starts.
     * @param bodyLength   the body's length.
     */
    default void onForeignFrame(
        final byte[] routingId,
        final long senderNodeId,
        final long clusterId,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
    }
}
