package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#JOIN_REQUEST} body for {@link #computeLength(int)} bytes, where the argument is
 * the length of the joiner's card. Layout: {@link JoinRequestDecoder}.
 */
public final class JoinRequestEncoder
{
    private final MemberCardEncoder card;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public JoinRequestEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public JoinRequestEncoder(final CodecLimits limits)
    {
        card = new MemberCardEncoder(limits);
    }

    /**
     * Length of a body carrying a card of the given length.
     *
     * @param cardLength from {@link MemberCardEncoder#computeLength}.
     * @return the body length to claim.
     */
    public static int computeLength(final int cardLength)
    {
        return JoinRequestDecoder.CARD_OFFSET + cardLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public JoinRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the correlation id.
     *
     * @param correlationId to match the response with.
     * @return this for a fluent API.
     */
    public JoinRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + JoinRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * The encoder of the joiner's card, wrapped in place.
     *
     * @return the card encoder.
     */
    public MemberCardEncoder card()
    {
        return card.wrap(buffer, offset + JoinRequestDecoder.CARD_OFFSET);
    }
}
