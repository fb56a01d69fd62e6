package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#PROBE} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link ProbeDecoder}.
 */
public final class ProbeEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = ProbeDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ProbeEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the joining node that asked for it.
     *
     * @param requesterNodeId the value.
     * @return this for a fluent API.
     */
    public ProbeEncoder requesterNodeId(final long requesterNodeId)
    {
        buffer.putLong(offset + ProbeDecoder.REQUESTER_NODE_ID_OFFSET, requesterNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the nonce of its request.
     *
     * @param nonce the value.
     * @return this for a fluent API.
     */
    public ProbeEncoder nonce(final long nonce)
    {
        buffer.putLong(offset + ProbeDecoder.NONCE_OFFSET, nonce, BYTE_ORDER);
        return this;
    }
}
