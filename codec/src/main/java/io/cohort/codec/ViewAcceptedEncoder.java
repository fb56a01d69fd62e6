package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Writes a {@link MessageType#VIEW_ACCEPTED} body at an offset claimed for {@link #computeLength(int)} bytes.
 * Layout: {@link ViewAcceptedDecoder}.
 */
public final class ViewAcceptedEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;
    private int removedCount;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ViewAcceptedEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ViewAcceptedEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body reporting the given number of removed members.
     *
     * @param removedCount members the accepted value removes.
     * @return the body length to claim.
     */
    public static int computeLength(final int removedCount)
    {
        return ViewAcceptedDecoder.MIN_LENGTH + removedCount * ViewAcceptedDecoder.REMOVED_ENTRY_LENGTH;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        removedCount = 0;
        buffer.putInt(offset + ViewAcceptedDecoder.REMOVED_COUNT_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the correlation id of the request answered.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the acceptor's installed view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the view to agree on (the installed epoch + 1).
     *
     * @param targetEpoch the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder targetEpoch(final long targetEpoch)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.TARGET_EPOCH_OFFSET, targetEpoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the proposer's ballot.
     *
     * @param ballotRound the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder ballotRound(final long ballotRound)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.BALLOT_ROUND_OFFSET, ballotRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the proposer's ballot.
     *
     * @param ballotNodeId the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder ballotNodeId(final long ballotNodeId)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.BALLOT_NODE_ID_OFFSET, ballotNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets whether the acceptor granted the ballot.
     *
     * @param ok the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder ok(final boolean ok)
    {
        buffer.putInt(offset + ViewAcceptedDecoder.OK_OFFSET, ok ? 1 : 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the round of the highest ballot the acceptor has promised.
     *
     * @param promisedRound the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder promisedRound(final long promisedRound)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.PROMISED_ROUND_OFFSET, promisedRound, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the highest ballot the acceptor has promised.
     *
     * @param promisedNodeId the value.
     * @return this for a fluent API.
     */
    public ViewAcceptedEncoder promisedNodeId(final long promisedNodeId)
    {
        buffer.putLong(offset + ViewAcceptedDecoder.PROMISED_NODE_ID_OFFSET, promisedNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Appends a member the accepted value removes.
     *
     * @param nodeId              its node id.
     * @param elapsedSinceHeardNs how long ago this acceptor last heard from it.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if more than {@link CodecLimits#maxMembers()} entries.
     */
    public ViewAcceptedEncoder addRemoved(final long nodeId, final long elapsedSinceHeardNs)
    {
        Fields.checkLength("removedCount", removedCount + 1, limits.maxMembers());
        final int entryOffset = offset + ViewAcceptedDecoder.REMOVED_OFFSET +
            removedCount * ViewAcceptedDecoder.REMOVED_ENTRY_LENGTH;
        buffer.putLong(entryOffset, nodeId, BYTE_ORDER);
        buffer.putLong(entryOffset + SIZE_OF_LONG, elapsedSinceHeardNs, BYTE_ORDER);
        buffer.putInt(offset + ViewAcceptedDecoder.REMOVED_COUNT_OFFSET, ++removedCount, BYTE_ORDER);
        return this;
    }

    /**
     * Bytes the body takes with the entries written so far.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return computeLength(removedCount);
    }
}
