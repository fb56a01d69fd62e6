package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#SNAPSHOT_CREDIT} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link SnapshotCreditDecoder}.
 */
public final class SnapshotCreditEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = SnapshotCreditDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public SnapshotCreditEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets names the snapshot request.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public SnapshotCreditEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + SnapshotCreditDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the number of the snapshot's chunks the requester has loaded.
     *
     * @param chunksLoaded the value.
     * @return this for a fluent API.
     */
    public SnapshotCreditEncoder chunksLoaded(final long chunksLoaded)
    {
        buffer.putLong(offset + SnapshotCreditDecoder.CHUNKS_LOADED_OFFSET, chunksLoaded, BYTE_ORDER);
        return this;
    }
}
