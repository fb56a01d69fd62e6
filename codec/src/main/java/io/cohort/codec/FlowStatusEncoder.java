package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#FLOW_STATUS} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link FlowStatusDecoder}.
 */
public final class FlowStatusEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = FlowStatusDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public FlowStatusEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the incarnation of the owner whose stream the status is about.
     *
     * @param ownerIncarnation the value.
     * @return this for a fluent API.
     */
    public FlowStatusEncoder ownerIncarnation(final long ownerIncarnation)
    {
        buffer.putLong(offset + FlowStatusDecoder.OWNER_INCARNATION_OFFSET, ownerIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sequence of the last broadcast message of the owner the replica has applied.
     *
     * @param appliedBroadcastSequence the value.
     * @return this for a fluent API.
     */
    public FlowStatusEncoder appliedBroadcastSequence(final long appliedBroadcastSequence)
    {
        buffer.putLong(
            offset + FlowStatusDecoder.APPLIED_BROADCAST_SEQUENCE_OFFSET, appliedBroadcastSequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sequence of the last message of the owner's directed stream to the replica that the replica has
     * taken (0 before the first).
     *
     * @param appliedDirectedSequence the value.
     * @return this for a fluent API.
     */
    public FlowStatusEncoder appliedDirectedSequence(final long appliedDirectedSequence)
    {
        buffer.putLong(
            offset + FlowStatusDecoder.APPLIED_DIRECTED_SEQUENCE_OFFSET, appliedDirectedSequence, BYTE_ORDER);
        return this;
    }
}
