package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#COMMAND_RESPONSE} body at an offset claimed for {@link #computeLength(int)}
 * bytes. Layout: {@link CommandResponseDecoder}.
 */
public final class CommandResponseEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public CommandResponseEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public CommandResponseEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body with a detail of the given length.
     *
     * @param detailLength bytes of detail text (UTF-8).
     * @return the body length to claim.
     */
    public static int computeLength(final int detailLength)
    {
        return CommandResponseDecoder.MIN_LENGTH + detailLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public CommandResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + CommandResponseDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the correlation id of the request answered.
     *
     * @param correlationId from the request.
     * @return this for a fluent API.
     */
    public CommandResponseEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + CommandResponseDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the outcome.
     *
     * @param status one of {@link CommandStatus}.
     * @return this for a fluent API.
     */
    public CommandResponseEncoder status(final int status)
    {
        buffer.putInt(offset + CommandResponseDecoder.STATUS_OFFSET, status, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the detail text, already encoded as UTF-8.
     *
     * @param detail the UTF-8 bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if longer than {@link CodecLimits#maxPayloadLength()}.
     */
    public CommandResponseEncoder detail(final byte[] detail)
    {
        Fields.checkLength("detailLength", detail.length, limits.maxPayloadLength());
        Fields.putVar(buffer, offset + CommandResponseDecoder.DETAIL_OFFSET, detail);
        return this;
    }
}
