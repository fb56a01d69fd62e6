package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#VIEW_COMMIT} body: claim {@link #computeLength(int)} with the value's length, set the
 * fixed fields, then write the value through {@link #value()}.
 * Layout: {@link ViewCommitDecoder}.
 */
public final class ViewCommitEncoder
{
    private final ViewValueEncoder value;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ViewCommitEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ViewCommitEncoder(final CodecLimits limits)
    {
        value = new ViewValueEncoder(limits);
    }

    /**
     * Length of a body carrying a value of the given length.
     *
     * @param valueLength {@link ViewValueEncoder#computeLength} of the value.
     * @return the body length to claim.
     */
    public static int computeLength(final int valueLength)
    {
        return ViewCommitDecoder.VALUE_OFFSET + valueLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewCommitEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the correlation id the answer echoes.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public ViewCommitEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewCommitDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the ballot under which the value was chosen.
     *
     * @param ballotRound the value.
     * @return this for a fluent API.
     */
    public ViewCommitEncoder ballotRound(final long ballotRound)
    {
        buffer.putLong(offset + ViewCommitDecoder.BALLOT_ROUND_OFFSET, ballotRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the ballot under which the value was chosen.
     *
     * @param ballotNodeId the value.
     * @return this for a fluent API.
     */
    public ViewCommitEncoder ballotNodeId(final long ballotNodeId)
    {
        buffer.putLong(offset + ViewCommitDecoder.BALLOT_NODE_ID_OFFSET, ballotNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Wraps the view value, which follows the fixed fields; write it through the returned encoder.
     *
     * @return the value encoder, wrapped with every field 0.
     */
    public ViewValueEncoder value()
    {
        return value.wrap(buffer, offset + ViewCommitDecoder.VALUE_OFFSET);
    }

    /**
     * Bytes the body takes, once its value is written.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return ViewCommitDecoder.VALUE_OFFSET + value.encodedLength();
    }
}
