package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#JOIN_REQUEST} body: a node asks a member to let it join, presenting its card.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            The joiner's member card (see MemberCardDecoder)  ... 8
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class JoinRequestDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int CARD_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    /** Length of a body whose card has empty endpoints. */
    public static final int MIN_LENGTH = CARD_OFFSET + MemberCardDecoder.MIN_LENGTH;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public JoinRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(
            MemberCardDecoder.skipEntry(buffer, bodyOffset + CARD_OFFSET, bodyOffset + bodyLength, limits));
    }

    /**
     * The correlation id to answer with.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Wraps the joiner's card.
     *
     * @param card decoder to wrap.
     * @return the card decoder, wrapped.
     */
    public MemberCardDecoder card(final MemberCardDecoder card)
    {
        return card.wrap(buffer, offset + CARD_OFFSET, length - CARD_OFFSET);
    }
}
