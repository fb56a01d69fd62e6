package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#REPAIR_REQUEST} body. Command: asks an owner to resend its broadcast messages in an inclusive range of sequences.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                       Owner Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                     Owner Incarnation (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                       From Sequence (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                        To Sequence (64)                       +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class RepairRequestDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int OWNER_NODE_ID_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int OWNER_INCARNATION_OFFSET = OWNER_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int FROM_SEQUENCE_OFFSET = OWNER_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int TO_SEQUENCE_OFFSET = FROM_SEQUENCE_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = TO_SEQUENCE_OFFSET + SIZE_OF_LONG;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body (may exceed {@link #BODY_LENGTH} for a newer minor version).
     * @return this for a fluent API.
     */
    public RepairRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Checks that a body is long enough and its values are in range.
     *
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength length of the body.
     * @return {@link DecodeResult#OK} or why the body is malformed.
     */
    static DecodeResult validate(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final long fromSequence = buffer.getLong(bodyOffset + FROM_SEQUENCE_OFFSET, BYTE_ORDER);
        final long toSequence = buffer.getLong(bodyOffset + TO_SEQUENCE_OFFSET, BYTE_ORDER);
        return fromSequence > toSequence ? DecodeResult.BAD_FIELD_VALUE : DecodeResult.OK;
    }

    /**
     * Reads matches the response to the request.
     *
     * @return the value.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the owner of the stream.
     *
     * @return the value.
     */
    public long ownerNodeId()
    {
        return buffer.getLong(offset + OWNER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads its incarnation.
     *
     * @return the value.
     */
    public long ownerIncarnation()
    {
        return buffer.getLong(offset + OWNER_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads first missing sequence.
     *
     * @return the value.
     */
    public long fromSequence()
    {
        return buffer.getLong(offset + FROM_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads last missing sequence, not below fromSequence.
     *
     * @return the value.
     */
    public long toSequence()
    {
        return buffer.getLong(offset + TO_SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
