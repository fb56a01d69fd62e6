package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#NODE_LEAVING} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link NodeLeavingDecoder}.
 */
public final class NodeLeavingEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = NodeLeavingDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public NodeLeavingEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the leaving node.
     *
     * @param nodeId the value.
     * @return this for a fluent API.
     */
    public NodeLeavingEncoder nodeId(final long nodeId)
    {
        buffer.putLong(offset + NodeLeavingDecoder.NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets its incarnation.
     *
     * @param incarnation the value.
     * @return this for a fluent API.
     */
    public NodeLeavingEncoder incarnation(final long incarnation)
    {
        buffer.putLong(offset + NodeLeavingDecoder.INCARNATION_OFFSET, incarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the last broadcast sequence it sent, so that a lost tail is still detected.
     *
     * @param lastBroadcastSequence the value.
     * @return this for a fluent API.
     */
    public NodeLeavingEncoder lastBroadcastSequence(final long lastBroadcastSequence)
    {
        buffer.putLong(offset + NodeLeavingDecoder.LAST_BROADCAST_SEQUENCE_OFFSET, lastBroadcastSequence, BYTE_ORDER);
        return this;
    }
}
