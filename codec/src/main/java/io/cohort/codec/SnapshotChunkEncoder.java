package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Writes a {@link MessageType#SNAPSHOT_CHUNK} body, filled until its capacity: claim
 * {@link FrameEncoder#remainingBodyLength()}, wrap with that capacity, add counts (all before any room), then
 * add rooms, and {@link FrameEncoder#resizeLastMessage} to {@link #encodedLength()}; or, in a chunk of its own, add
 * table streams, or room removals. Layout:
 * {@link SnapshotChunkDecoder}.
 */
public final class SnapshotChunkEncoder
{
    private final RoomCreatedEncoder room;
    private MutableDirectBuffer buffer;
    private int offset;
    private int capacity;
    private int limit;
    private int countEntries;
    private int roomEntries;
    private int tableStreams;
    private int roomRemovals;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public SnapshotChunkEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public SnapshotChunkEncoder(final CodecLimits limits)
    {
        room = new RoomCreatedEncoder(limits);
    }

    /**
     * Wraps a body of at most {@code capacity} bytes, with no entry yet.
     *
     * @param buffer   to write into.
     * @param offset   where the body starts.
     * @param capacity the most bytes the body may take.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the capacity cannot hold an empty chunk.
     */
    public SnapshotChunkEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        if (capacity < SnapshotChunkDecoder.MIN_LENGTH)
        {
            throw new IllegalArgumentException(
                "capacity=" + capacity + " is below the empty chunk length " + SnapshotChunkDecoder.MIN_LENGTH);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = capacity;
        limit = offset + SnapshotChunkDecoder.COUNTS_OFFSET;
        countEntries = 0;
        roomEntries = 0;
        tableStreams = 0;
        roomRemovals = 0;
        buffer.putInt(offset + SnapshotChunkDecoder.FLAGS_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + SnapshotChunkDecoder.COUNT_ENTRIES_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + SnapshotChunkDecoder.ROOM_ENTRIES_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the correlation id of the snapshot request answered.
     *
     * @param correlationId from the request.
     * @return this for a fluent API.
     */
    public SnapshotChunkEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + SnapshotChunkDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the owner of the counts.
     *
     * @param nodeId      the owner's node id, 0 for rooms only.
     * @param incarnation its incarnation.
     * @param sequence    its last applied broadcast sequence at snapshot time.
     * @return this for a fluent API.
     */
    public SnapshotChunkEncoder owner(final long nodeId, final long incarnation, final long sequence)
    {
        buffer.putLong(offset + SnapshotChunkDecoder.OWNER_NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putLong(offset + SnapshotChunkDecoder.OWNER_INCARNATION_OFFSET, incarnation, BYTE_ORDER);
        buffer.putLong(offset + SnapshotChunkDecoder.OWNER_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the digest of the owner's rows (meaningful on the last chunk).
     *
     * @param digest the owner's digest at snapshot time.
     * @return this for a fluent API.
     */
    public SnapshotChunkEncoder ownerDigest(final long digest)
    {
        buffer.putLong(offset + SnapshotChunkDecoder.OWNER_DIGEST_OFFSET, digest, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the chunk index.
     *
     * @param chunkIndex from 0 in the owner's stream of chunks.
     * @return this for a fluent API.
     */
    public SnapshotChunkEncoder chunkIndex(final int chunkIndex)
    {
        buffer.putInt(offset + SnapshotChunkDecoder.CHUNK_INDEX_OFFSET, chunkIndex, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the flags.
     *
     * @param flags a combination of {@link SnapshotChunkDecoder#FLAG_LAST}, {@link SnapshotChunkDecoder#FLAG_FUZZY},
     *              {@link SnapshotChunkDecoder#FLAG_TABLE_STREAMS} and {@link SnapshotChunkDecoder#FLAG_ROOM_REMOVALS}.
     * @return this for a fluent API.
     */
    public SnapshotChunkEncoder flags(final int flags)
    {
        buffer.putInt(offset + SnapshotChunkDecoder.FLAGS_OFFSET, flags, BYTE_ORDER);
        return this;
    }

    /**
     * Appends a count entry, if it fits.
     *
     * @param roomId the room.
     * @param count  the owner's subscribers in it.
     * @return false if the chunk is full (nothing written).
     * @throws IllegalStateException if a room was already added (counts come first).
     * @throws IllegalArgumentException if the count is negative.
     */
    public boolean addCount(final long roomId, final long count)
    {
        if (roomEntries > 0)
        {
            throw new IllegalStateException("counts must be added before rooms");
        }
        requireNoTableFacts();
        if (count < 0)
        {
            throw new IllegalArgumentException("count=" + count + " must not be negative");
        }
        if (limit + SnapshotChunkDecoder.COUNT_ENTRY_LENGTH > offset + capacity)
        {
            return false;
        }
        buffer.putLong(limit, roomId, BYTE_ORDER);
        buffer.putLong(limit + SIZE_OF_LONG, count, BYTE_ORDER);
        limit += SnapshotChunkDecoder.COUNT_ENTRY_LENGTH;
        buffer.putInt(offset + SnapshotChunkDecoder.COUNT_ENTRIES_OFFSET, ++countEntries, BYTE_ORDER);
        return true;
    }

    /**
     * Appends a room entry, if it fits.
     *
     * @param roomId               the room.
     * @param src                  buffer holding the room's metadata.
     * @param indexNameOffset      offset of the index name in {@code src}.
     * @param indexNameLength      its length.
     * @param collectionNameOffset offset of the collection name in {@code src}.
     * @param collectionNameLength its length.
     * @param filterOffset         offset of the filter in {@code src}.
     * @param filterLength         its length.
     * @return false if the chunk is full (nothing written).
     * @throws IllegalArgumentException if a field exceeds its {@link CodecLimits} maximum.
     */
    public boolean addRoom(
        final long roomId,
        final DirectBuffer src,
        final int indexNameOffset,
        final int indexNameLength,
        final int collectionNameOffset,
        final int collectionNameLength,
        final int filterOffset,
        final int filterLength)
    {
        requireNoTableFacts();
        final int entryLength = RoomCreatedEncoder.computeLength(indexNameLength, collectionNameLength, filterLength);
        if (limit + entryLength > offset + capacity)
        {
            return false;
        }
        room.wrap(buffer, limit)
            .roomId(roomId)
            .indexName(src, indexNameOffset, indexNameLength)
            .collectionName(src, collectionNameOffset, collectionNameLength)
            .filter(src, filterOffset, filterLength);
        limit += entryLength;
        buffer.putInt(offset + SnapshotChunkDecoder.ROOM_ENTRIES_OFFSET, ++roomEntries, BYTE_ORDER);
        return true;
    }

    /**
     * Appends a table stream entry, if it fits: how far the sender had applied a stream when it began reading its
     * rooms. A chunk of table streams carries nothing else and is closed with
     * {@link SnapshotChunkDecoder#FLAG_TABLE_STREAMS}.
     *
     * @param nodeId      the node whose stream it is.
     * @param incarnation its incarnation.
     * @param sequence    the last sequence of it applied.
     * @return false if the chunk is full (nothing written).
     * @throws IllegalStateException if a count, a room or a room removal was already added.
     */
    public boolean addTableStream(final long nodeId, final long incarnation, final long sequence)
    {
        if (countEntries > 0 || roomEntries > 0 || roomRemovals > 0)
        {
            throw new IllegalStateException("a chunk of table streams carries no count, no room and no removal");
        }
        final int entryOffset = appendFixedEntry(
            SnapshotChunkDecoder.TABLE_STREAMS_OFFSET, SnapshotChunkDecoder.TABLE_STREAM_ENTRY_LENGTH, tableStreams);
        if (entryOffset < 0)
        {
            return false;
        }
        buffer.putLong(entryOffset, nodeId, BYTE_ORDER);
        buffer.putLong(entryOffset + SIZE_OF_LONG, incarnation, BYTE_ORDER);
        buffer.putLong(entryOffset + 2 * SIZE_OF_LONG, sequence, BYTE_ORDER);
        buffer.putInt(offset + SnapshotChunkDecoder.TABLE_STREAM_COUNT_OFFSET, ++tableStreams, BYTE_ORDER);
        return true;
    }

    /**
     * Appends a room removal entry, if it fits: the last removal the sender applied of a room its table lacks. A chunk
     * of room removals carries nothing else and is closed with {@link SnapshotChunkDecoder#FLAG_ROOM_REMOVALS}.
     *
     * @param roomId             the room.
     * @param removerId          the node whose removal it was.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     * @return false if the chunk is full (nothing written).
     * @throws IllegalStateException if a count, a room or a table stream was already added.
     */
    public boolean addRoomRemoval(
        final long roomId, final long removerId, final long removerIncarnation, final long sequence)
    {
        if (countEntries > 0 || roomEntries > 0 || tableStreams > 0)
        {
            throw new IllegalStateException("a chunk of room removals carries no count, no room and no table stream");
        }
        final int entryOffset = appendFixedEntry(
            SnapshotChunkDecoder.ROOM_REMOVALS_OFFSET, SnapshotChunkDecoder.ROOM_REMOVAL_ENTRY_LENGTH, roomRemovals);
        if (entryOffset < 0)
        {
            return false;
        }
        buffer.putLong(entryOffset, roomId, BYTE_ORDER);
        buffer.putLong(entryOffset + SIZE_OF_LONG, removerId, BYTE_ORDER);
        buffer.putLong(entryOffset + 2 * SIZE_OF_LONG, removerIncarnation, BYTE_ORDER);
        buffer.putLong(entryOffset + 3 * SIZE_OF_LONG, sequence, BYTE_ORDER);
        buffer.putInt(offset + SnapshotChunkDecoder.ROOM_REMOVAL_COUNT_OFFSET, ++roomRemovals, BYTE_ORDER);
        return true;
    }

    /**
     * Number of table stream entries added.
     *
     * @return the table streams.
     */
    public int tableStreams()
    {
        return tableStreams;
    }

    /**
     * Number of room removal entries added.
     *
     * @return the room removals.
     */
    public int roomRemovals()
    {
        return roomRemovals;
    }

    /**
     * Claims the next entry of a fixed-length list and moves the limit past it.
     *
     * @return where the entry goes, or -1 if it does not fit (nothing claimed).
     */
    private int appendFixedEntry(final int listOffset, final int entryLength, final int entries)
    {
        final int entryOffset = offset + listOffset + entries * entryLength;
        if (entryOffset + entryLength > offset + capacity)
        {
            return -1;
        }
        limit = entryOffset + entryLength;
        return entryOffset;
    }

    private void requireNoTableFacts()
    {
        if (tableStreams > 0 || roomRemovals > 0)
        {
            throw new IllegalStateException("a chunk of table streams or room removals carries no count and no room");
        }
    }

    /**
     * Number of count entries added.
     *
     * @return the count entries.
     */
    public int countEntries()
    {
        return countEntries;
    }

    /**
     * Number of room entries added.
     *
     * @return the room entries.
     */
    public int roomEntries()
    {
        return roomEntries;
    }

    /**
     * Bytes written from the wrapped offset.
     *
     * @return the body length to resize the claimed message to.
     */
    public int encodedLength()
    {
        return limit - offset;
    }
}
