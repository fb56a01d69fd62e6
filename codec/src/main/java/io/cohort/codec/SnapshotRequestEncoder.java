package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#SNAPSHOT_REQUEST} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link SnapshotRequestDecoder}.
 */
public final class SnapshotRequestEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = SnapshotRequestDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + SnapshotRequestDecoder.FLAGS_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets matches the chunks to the request.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + SnapshotRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the owner whose rows are wanted, or 0 for every owner and every room.
     *
     * @param ownerNodeId the value.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder ownerNodeId(final long ownerNodeId)
    {
        buffer.putLong(offset + SnapshotRequestDecoder.OWNER_NODE_ID_OFFSET, ownerNodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the most bytes a chunk may take, 0 for the responder's default.
     *
     * @param maxChunkLength the value.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder maxChunkLength(final int maxChunkLength)
    {
        buffer.putInt(offset + SnapshotRequestDecoder.MAX_CHUNK_LENGTH_OFFSET, maxChunkLength, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the flags, e.g. {@link SnapshotRequestDecoder#FLAG_ROOM_TABLE_COMPLETE}; 0 unless set.
     *
     * @param flags the value.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder flags(final int flags)
    {
        buffer.putInt(offset + SnapshotRequestDecoder.FLAGS_OFFSET, flags, BYTE_ORDER);
        return this;
    }

    /**
     * Sets {@link SnapshotRequestDecoder#FLAG_ROOM_FLOORS} and the floor count; the body, claimed with
     * {@link SnapshotRequestDecoder#lengthWithFloors}, then takes that many {@link #floor} calls.
     *
     * @param count the number of floors.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder floors(final int count)
    {
        final int flags = buffer.getInt(offset + SnapshotRequestDecoder.FLAGS_OFFSET, BYTE_ORDER);
        buffer.putInt(offset + SnapshotRequestDecoder.FLAGS_OFFSET, flags | SnapshotRequestDecoder.FLAG_ROOM_FLOORS,
            BYTE_ORDER);
        buffer.putInt(offset + SnapshotRequestDecoder.FLOOR_COUNT_OFFSET, count, BYTE_ORDER);
        return this;
    }

    /**
     * Writes one floor.
     *
     * @param index       from 0 to the count given to {@link #floors} - 1.
     * @param nodeId      the node whose stream the owner must have applied.
     * @param incarnation its incarnation.
     * @param sequence    up to this broadcast sequence.
     * @return this for a fluent API.
     */
    public SnapshotRequestEncoder floor(final int index, final long nodeId, final long incarnation, final long sequence)
    {
        final int at = offset + SnapshotRequestDecoder.FIRST_FLOOR_OFFSET + index * SnapshotRequestDecoder.FLOOR_LENGTH;
        buffer.putLong(at, nodeId, BYTE_ORDER);
        buffer.putLong(at + Long.BYTES, incarnation, BYTE_ORDER);
        buffer.putLong(at + 2 * Long.BYTES, sequence, BYTE_ORDER);
        return this;
    }
}
