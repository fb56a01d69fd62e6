package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#COMMAND_RESPONSE} body: the generic acknowledgement or error of a command,
 * with a human-readable detail.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Status (one of CommandStatus)                | 8
 *  +---------------------------------------------------------------+
 *  |                           Reserved                            | 12
 *  +---------------------------------------------------------------+
 *  |                       Detail Length (d)                       | 16
 *  +---------------------------------------------------------------+
 *  |                    Detail (d bytes, UTF-8)                   ... 20
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class CommandResponseDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int STATUS_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int RESERVED_OFFSET = STATUS_OFFSET + SIZE_OF_INT;
    static final int DETAIL_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    /** Length of a body with an empty detail. */
    public static final int MIN_LENGTH = DETAIL_OFFSET + Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public CommandResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(Fields.skipVar(
            buffer, bodyOffset + DETAIL_OFFSET, bodyOffset + bodyLength, limits.maxPayloadLength()));
    }

    /**
     * The correlation id of the request answered.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The outcome.
     *
     * @return one of {@link CommandStatus}.
     */
    public int status()
    {
        return buffer.getInt(offset + STATUS_OFFSET, BYTE_ORDER);
    }

    /**
     * Length of the detail text.
     *
     * @return bytes.
     */
    public int detailLength()
    {
        return Fields.varLength(buffer, offset + DETAIL_OFFSET);
    }

    /**
     * The detail text (allocates).
     *
     * @return the detail decoded as UTF-8.
     */
    public String detail()
    {
        return Fields.getVarString(buffer, offset + DETAIL_OFFSET);
    }
}
