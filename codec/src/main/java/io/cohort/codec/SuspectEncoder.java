package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#SUSPECT} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link SuspectDecoder}.
 */
public final class SuspectEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = SuspectDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public SuspectEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + SuspectDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the suspected node.
     *
     * @param accusedNodeId the value.
     * @return this for a fluent API.
     */
    public SuspectEncoder accusedNodeId(final long accusedNodeId)
    {
        buffer.putLong(offset + SuspectDecoder.ACCUSED_NODE_ID_OFFSET, accusedNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets its incarnation.
     *
     * @param accusedIncarnation the value.
     * @return this for a fluent API.
     */
    public SuspectEncoder accusedIncarnation(final long accusedIncarnation)
    {
        buffer.putLong(offset + SuspectDecoder.ACCUSED_INCARNATION_OFFSET, accusedIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sequence the sender expected from it, or -1.
     *
     * @param expectedSequence the value.
     * @return this for a fluent API.
     */
    public SuspectEncoder expectedSequence(final long expectedSequence)
    {
        buffer.putLong(offset + SuspectDecoder.EXPECTED_SEQUENCE_OFFSET, expectedSequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sequence the sender saw instead, or -1.
     *
     * @param observedSequence the value.
     * @return this for a fluent API.
     */
    public SuspectEncoder observedSequence(final long observedSequence)
    {
        buffer.putLong(offset + SuspectDecoder.OBSERVED_SEQUENCE_OFFSET, observedSequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets why, one of ReasonCode.
     *
     * @param reason the value.
     * @return this for a fluent API.
     */
    public SuspectEncoder reason(final int reason)
    {
        buffer.putInt(offset + SuspectDecoder.REASON_OFFSET, reason, BYTE_ORDER);
        return this;
    }
}
