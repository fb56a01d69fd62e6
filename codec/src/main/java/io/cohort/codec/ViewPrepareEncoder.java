package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#VIEW_PREPARE} body of {@link #BODY_LENGTH} bytes.
 * Layout: {@link ViewPrepareDecoder}.
 */
public final class ViewPrepareEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = ViewPrepareDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewPrepareEncoder wrap(final MutableDirectBuffer buffer, final int offset)
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
    public ViewPrepareEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewPrepareDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the sender's view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ViewPrepareEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewPrepareDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the view to agree on (the installed epoch + 1).
     *
     * @param targetEpoch the value.
     * @return this for a fluent API.
     */
    public ViewPrepareEncoder targetEpoch(final long targetEpoch)
    {
        buffer.putLong(offset + ViewPrepareDecoder.TARGET_EPOCH_OFFSET, targetEpoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the proposer's ballot.
     *
     * @param ballotRound the value.
     * @return this for a fluent API.
     */
    public ViewPrepareEncoder ballotRound(final long ballotRound)
    {
        buffer.putLong(offset + ViewPrepareDecoder.BALLOT_ROUND_OFFSET, ballotRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the proposer's ballot.
     *
     * @param ballotNodeId the value.
     * @return this for a fluent API.
     */
    public ViewPrepareEncoder ballotNodeId(final long ballotNodeId)
    {
        buffer.putLong(offset + ViewPrepareDecoder.BALLOT_NODE_ID_OFFSET, ballotNodeId, BYTE_ORDER);
        return this;
    }
}
