package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#CHANGE_REQUEST} body: claim {@link #computeLength(int, int)}, set the fixed fields,
 * then write the joiner's card through {@link #card()} (JOIN) or the winner's endpoint through
 * {@link #winnerEndpoint(String)} (DISSOLVE).
 * Layout: {@link ChangeRequestDecoder}.
 */
public final class ChangeRequestEncoder
{
    private final CodecLimits limits;
    private final MemberCardEncoder card;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private boolean cardWritten;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ChangeRequestEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ChangeRequestEncoder(final CodecLimits limits)
    {
        this.limits = limits;
        card = new MemberCardEncoder(limits);
    }

    /**
     * Length of a body of the given kind.
     *
     * @param kind           one of {@link ChangeRequestDecoder}'s {@code KIND_} constants.
     * @param variableLength the card's {@link MemberCardEncoder#computeLength} for JOIN, the winner endpoint's
     *                       bytes for DISSOLVE, ignored otherwise.
     * @return the body length to claim.
     */
    public static int computeLength(final int kind, final int variableLength)
    {
        switch (kind)
        {
            case ChangeRequestDecoder.KIND_JOIN: return ChangeRequestDecoder.FIXED_LENGTH + variableLength;
            case ChangeRequestDecoder.KIND_DISSOLVE:
                return ChangeRequestDecoder.FIXED_LENGTH + Fields.VAR_LENGTH_PREFIX + variableLength;
            default: return ChangeRequestDecoder.FIXED_LENGTH;
        }
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        limit = offset + ChangeRequestDecoder.FIXED_LENGTH;
        cardWritten = false;
        return this;
    }

    /**
     * Sets the correlation id the answer echoes.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ChangeRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the sender's view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ChangeRequestDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the sender's installed view, 0 for a joiner.
     *
     * @param viewEpoch the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder viewEpoch(final long viewEpoch)
    {
        buffer.putLong(offset + ChangeRequestDecoder.VIEW_EPOCH_OFFSET, viewEpoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets what the change is, one of the {@code KIND_} constants.
     *
     * @param kind the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder kind(final int kind)
    {
        buffer.putInt(offset + ChangeRequestDecoder.KIND_OFFSET, kind, BYTE_ORDER);
        return this;
    }

    /**
     * Sets why, one of {@link ReasonCode} (FAULT, LAGGING), 0 otherwise.
     *
     * @param reason the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder reason(final int reason)
    {
        buffer.putInt(offset + ChangeRequestDecoder.REASON_OFFSET, reason, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the node the change is about.
     *
     * @param subjectId the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder subjectId(final long subjectId)
    {
        buffer.putLong(offset + ChangeRequestDecoder.SUBJECT_ID_OFFSET, subjectId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the incarnation of the node the change is about.
     *
     * @param subjectIncarnation the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder subjectIncarnation(final long subjectIncarnation)
    {
        buffer.putLong(offset + ChangeRequestDecoder.SUBJECT_INCARNATION_OFFSET, subjectIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets evidence: what the requester expected (e.g. a sequence), 0 if none.
     *
     * @param expected the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder expected(final long expected)
    {
        buffer.putLong(offset + ChangeRequestDecoder.EXPECTED_OFFSET, expected, BYTE_ORDER);
        return this;
    }

    /**
     * Sets evidence: what the requester observed instead, 0 if none.
     *
     * @param observed the value.
     * @return this for a fluent API.
     */
    public ChangeRequestEncoder observed(final long observed)
    {
        buffer.putLong(offset + ChangeRequestDecoder.OBSERVED_OFFSET, observed, BYTE_ORDER);
        return this;
    }

    /**
     * Wraps the joiner's card, which follows the fixed fields (kind {@link ChangeRequestDecoder#KIND_JOIN}).
     *
     * @return the card encoder, wrapped.
     */
    public MemberCardEncoder card()
    {
        cardWritten = true;
        return card.wrap(buffer, offset + ChangeRequestDecoder.FIXED_LENGTH);
    }

    /**
     * Writes the winner's command endpoint after the fixed fields (kind {@link ChangeRequestDecoder#KIND_DISSOLVE}).
     *
     * @param src       holding the endpoint's UTF-8 bytes.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if longer than {@link CodecLimits#maxEndpointLength()}.
     */
    public ChangeRequestEncoder winnerEndpoint(final DirectBuffer src, final int srcOffset, final int length)
    {
        cardWritten = false;
        limit = Fields.putVar(buffer, offset + ChangeRequestDecoder.FIXED_LENGTH, src, srcOffset,
            Fields.checkLength("winnerEndpointLength", length, limits.maxEndpointLength()));
        return this;
    }

    /**
     * Writes the winner's command endpoint after the fixed fields (allocates: encodes the string as UTF-8).
     *
     * @param winnerEndpoint the endpoint.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if longer than {@link CodecLimits#maxEndpointLength()}.
     */
    public ChangeRequestEncoder winnerEndpoint(final String winnerEndpoint)
    {
        final byte[] bytes = Fields.utf8(winnerEndpoint);
        Fields.checkLength("winnerEndpointLength", bytes.length, limits.maxEndpointLength());
        cardWritten = false;
        limit = Fields.putVar(buffer, offset + ChangeRequestDecoder.FIXED_LENGTH, bytes);
        return this;
    }

    /**
     * Bytes the body takes with what was written.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return cardWritten ? ChangeRequestDecoder.FIXED_LENGTH + card.encodedLength() : limit - offset;
    }
}
