package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#NODE_EVICTED} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link NodeEvictedDecoder}.
 */
public final class NodeEvictedEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = NodeEvictedDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public NodeEvictedEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + NodeEvictedDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the evicted node.
     *
     * @param evictedNodeId the value.
     * @return this for a fluent API.
     */
    public NodeEvictedEncoder evictedNodeId(final long evictedNodeId)
    {
        buffer.putLong(offset + NodeEvictedDecoder.EVICTED_NODE_ID_OFFSET, evictedNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets its incarnation.
     *
     * @param evictedIncarnation the value.
     * @return this for a fluent API.
     */
    public NodeEvictedEncoder evictedIncarnation(final long evictedIncarnation)
    {
        buffer.putLong(offset + NodeEvictedDecoder.EVICTED_INCARNATION_OFFSET, evictedIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node that announced the eviction.
     *
     * @param accuserNodeId the value.
     * @return this for a fluent API.
     */
    public NodeEvictedEncoder accuserNodeId(final long accuserNodeId)
    {
        buffer.putLong(offset + NodeEvictedDecoder.ACCUSER_NODE_ID_OFFSET, accuserNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets why, one of ReasonCode.
     *
     * @param reason the value.
     * @return this for a fluent API.
     */
    public NodeEvictedEncoder reason(final int reason)
    {
        buffer.putInt(offset + NodeEvictedDecoder.REASON_OFFSET, reason, BYTE_ORDER);
        return this;
    }
}
