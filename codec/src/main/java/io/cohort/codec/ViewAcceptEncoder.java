package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#VIEW_ACCEPT} body: claim {@link #computeLength(int)} with the value's length, set the
 * fixed fields, then write the value through {@link #value()}.
 * Layout: {@link ViewAcceptDecoder}.
 */
public final class ViewAcceptEncoder
{
    private final ViewValueEncoder value;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ViewAcceptEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ViewAcceptEncoder(final CodecLimits limits)
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
        return ViewAcceptDecoder.VALUE_OFFSET + valueLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewAcceptEncoder wrap(final MutableDirectBuffer buffer, final int offset)
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
    public ViewAcceptEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewAcceptDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the sender's view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ViewAcceptEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewAcceptDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the view to agree on (the installed epoch + 1).
     *
     * @param targetEpoch the value.
     * @return this for a fluent API.
     */
    public ViewAcceptEncoder targetEpoch(final long targetEpoch)
    {
        buffer.putLong(offset + ViewAcceptDecoder.TARGET_EPOCH_OFFSET, targetEpoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the proposer's ballot.
     *
     * @param ballotRound the value.
     * @return this for a fluent API.
     */
    public ViewAcceptEncoder ballotRound(final long ballotRound)
    {
        buffer.putLong(offset + ViewAcceptDecoder.BALLOT_ROUND_OFFSET, ballotRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the proposer's ballot.
     *
     * @param ballotNodeId the value.
     * @return this for a fluent API.
     */
    public ViewAcceptEncoder ballotNodeId(final long ballotNodeId)
    {
        buffer.putLong(offset + ViewAcceptDecoder.BALLOT_NODE_ID_OFFSET, ballotNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Wraps the view value, which follows the fixed fields; write it through the returned encoder.
     *
     * @return the value encoder, wrapped with every field 0.
     */
    public ViewValueEncoder value()
    {
        return value.wrap(buffer, offset + ViewAcceptDecoder.VALUE_OFFSET);
    }

    /**
     * Bytes the body takes, once its value is written.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return ViewAcceptDecoder.VALUE_OFFSET + value.encodedLength();
    }
}
