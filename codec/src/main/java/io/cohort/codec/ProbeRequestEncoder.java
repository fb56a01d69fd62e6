package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#PROBE_REQUEST} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link ProbeRequestDecoder}.
 */
public final class ProbeRequestEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = ProbeRequestDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ProbeRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets matches the response to the request.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public ProbeRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ProbeRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets to echo in the PROBE.
     *
     * @param nonce the value.
     * @return this for a fluent API.
     */
    public ProbeRequestEncoder nonce(final long nonce)
    {
        buffer.putLong(offset + ProbeRequestDecoder.NONCE_OFFSET, nonce, BYTE_ORDER);
        return this;
    }
}
