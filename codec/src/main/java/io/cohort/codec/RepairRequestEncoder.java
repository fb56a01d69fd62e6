package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#REPAIR_REQUEST} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link RepairRequestDecoder}.
 */
public final class RepairRequestEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = RepairRequestDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets matches the response to the request.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + RepairRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the owner of the stream.
     *
     * @param ownerNodeId the value.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder ownerNodeId(final long ownerNodeId)
    {
        buffer.putLong(offset + RepairRequestDecoder.OWNER_NODE_ID_OFFSET, ownerNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets its incarnation.
     *
     * @param ownerIncarnation the value.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder ownerIncarnation(final long ownerIncarnation)
    {
        buffer.putLong(offset + RepairRequestDecoder.OWNER_INCARNATION_OFFSET, ownerIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets first missing sequence.
     *
     * @param fromSequence the value.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder fromSequence(final long fromSequence)
    {
        buffer.putLong(offset + RepairRequestDecoder.FROM_SEQUENCE_OFFSET, fromSequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets last missing sequence, not below fromSequence.
     *
     * @param toSequence the value.
     * @return this for a fluent API.
     */
    public RepairRequestEncoder toSequence(final long toSequence)
    {
        buffer.putLong(offset + RepairRequestDecoder.TO_SEQUENCE_OFFSET, toSequence, BYTE_ORDER);
        return this;
    }
}
