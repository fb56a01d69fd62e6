package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#VIEW_PROMISE} body: claim {@link #computeLength(int)} with the accepted value's length
 * (0 if none), set the fixed fields, then write the value, if any, through {@link #acceptedValue()}.
 * Layout: {@link ViewPromiseDecoder}.
 */
public final class ViewPromiseEncoder
{
    private final ViewValueEncoder acceptedValue;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ViewPromiseEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ViewPromiseEncoder(final CodecLimits limits)
    {
        acceptedValue = new ViewValueEncoder(limits);
    }

    /**
     * Length of a body carrying an accepted value of the given length.
     *
     * @param acceptedValueLength {@link ViewValueEncoder#computeLength} of the value, 0 if none.
     * @return the body length to claim.
     */
    public static int computeLength(final int acceptedValueLength)
    {
        return ViewPromiseDecoder.MIN_LENGTH + acceptedValueLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + ViewPromiseDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + ViewPromiseDecoder.ACCEPTED_VALUE_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the correlation id of the request answered.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewPromiseDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the acceptor's installed view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewPromiseDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the view to agree on (the installed epoch + 1).
     *
     * @param targetEpoch the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder targetEpoch(final long targetEpoch)
    {
        buffer.putLong(offset + ViewPromiseDecoder.TARGET_EPOCH_OFFSET, targetEpoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the proposer's ballot.
     *
     * @param ballotRound the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder ballotRound(final long ballotRound)
    {
        buffer.putLong(offset + ViewPromiseDecoder.BALLOT_ROUND_OFFSET, ballotRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the proposer's ballot.
     *
     * @param ballotNodeId the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder ballotNodeId(final long ballotNodeId)
    {
        buffer.putLong(offset + ViewPromiseDecoder.BALLOT_NODE_ID_OFFSET, ballotNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets whether the acceptor granted the ballot.
     *
     * @param ok the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder ok(final boolean ok)
    {
        buffer.putInt(offset + ViewPromiseDecoder.OK_OFFSET, ok ? 1 : 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the highest ballot the acceptor has promised.
     *
     * @param promisedRound the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder promisedRound(final long promisedRound)
    {
        buffer.putLong(offset + ViewPromiseDecoder.PROMISED_ROUND_OFFSET, promisedRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the highest ballot the acceptor has promised.
     *
     * @param promisedNodeId the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder promisedNodeId(final long promisedNodeId)
    {
        buffer.putLong(offset + ViewPromiseDecoder.PROMISED_NODE_ID_OFFSET, promisedNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the ballot whose value the acceptor accepted, 0 if none.
     *
     * @param acceptedRound the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder acceptedRound(final long acceptedRound)
    {
        buffer.putLong(offset + ViewPromiseDecoder.ACCEPTED_ROUND_OFFSET, acceptedRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the ballot whose value the acceptor accepted, 0 if none.
     *
     * @param acceptedNodeId the value.
     * @return this for a fluent API.
     */
    public ViewPromiseEncoder acceptedNodeId(final long acceptedNodeId)
    {
        buffer.putLong(offset + ViewPromiseDecoder.ACCEPTED_NODE_ID_OFFSET, acceptedNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Wraps the accepted value, which follows the fixed fields; the value's length field follows what is written.
     *
     * @return the value encoder, wrapped with every field 0.
     */
    public ViewValueEncoder acceptedValue()
    {
        final int lengthOffset = offset + ViewPromiseDecoder.ACCEPTED_VALUE_OFFSET;
        return acceptedValue.wrap(buffer, lengthOffset + Fields.VAR_LENGTH_PREFIX, lengthOffset);
    }

    /**
     * Bytes the body takes with what was written.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return ViewPromiseDecoder.MIN_LENGTH +
            buffer.getInt(offset + ViewPromiseDecoder.ACCEPTED_VALUE_OFFSET, BYTE_ORDER);
    }
}
