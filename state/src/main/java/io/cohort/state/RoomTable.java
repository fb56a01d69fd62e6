package io.cohort.state;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Rooms: a Chronicle Map from room id to the room's {@link RoomMetadata} encoding. The value type is
 * declared {@code byte[]}, but no {@code byte[]} is ever made: values are written from a scratch buffer
 * with {@code wrapValueBytesAsData} and read from the map's own bytes, so creating, reading and streaming
 * rooms is allocation-free. Chronicle sizes the map for {@code maxRooms} entries of
 * {@code averageRoomBytes}; this table refuses a room past either the entry count or that byte budget, so
 * Chronicle (which has about twice that much room before its hard failure) never fills up. Changes take the
 * write lock up front (each one inserts or removes an entry: no update lock to upgrade). Single writer.
 */
final class RoomTable implements AutoCloseable
{
    private static final double MAX_BLOAT_FACTOR = 2.0;
    /**
     * Rooms a segment of the map is sized for: a segment is the unit a snapshot's rooms are read in, never split,
     * so it must be a slice's worth of work. Left to itself Chronicle picks few large segments (32 of about 3,900
     * rooms for 125 k rooms), and streaming one took 10-17 ms warm and 144 ms the first time on a joiner's room
     * source, a stall of the member's node thread; at this size a segment matches the count table's
     * ({@link RoomCounts#SEGMENT_POSITIONS} positions, about 600 rooms) and costs about an eighth of that. The price
     * is off-heap memory: 115 MB instead of about 88 MB for 1 M rooms of 64 B (more segments, each with its own
     * slack); segments of 1,024 rooms would save only 5 MB of it.
     */
    static final int ROOMS_PER_SEGMENT = 512;

    /** Visits a room with its metadata in a buffer that is reused after the call. */
    @FunctionalInterface
    interface RoomVisitor
    {
        void onRoom(long roomId, DirectBuffer metadata, int offset, int length);
    }

    private final ChronicleMap<LongCell, byte[]> map;
    private final long maxRooms;
    private final long maxMetadataBytes;
    private final int maxNameLength;
    private final int maxFilterBytes;
    private final byte[] scratchArray;
    private final UnsafeBuffer scratch;
    private final BytesStore<?, byte[]> scratchStore;
    private final byte[] existingArray;
    private final UnsafeBuffer existing;
    private final LongCell key = new LongCell();
    private final LongCell iterationKey = new LongCell();
    private int segmentEntries;
    private final Consumer<MapEntry<LongCell, byte[]>> iterationConsumer = this::onEntry;
    private RoomVisitor visitor;
    /** The rooms of the segment {@link #removeSegment} empties, read before any is removed. */
    private final LongArrayList segmentRoomIds = new LongArrayList();
    private final RoomVisitor collectRoomId = (roomId, metadata, offset, length) -> segmentRoomIds.addLong(roomId);
    private long rooms;
    private long metadataBytes;

    RoomTable(
        final long maxRooms,
        final int averageRoomBytes,
        final int maxNameLength,
        final int maxFilterBytes)
    {
        this.maxRooms = maxRooms;
        this.maxMetadataBytes = maxRooms * averageRoomBytes;
        this.maxNameLength = maxNameLength;
        this.maxFilterBytes = maxFilterBytes;
        final int maxRoomBytes = RoomMetadata.encodedLength(maxNameLength, maxNameLength, maxFilterBytes);
        scratchArray = new byte[maxRoomBytes];
        scratch = new UnsafeBuffer(scratchArray);
        scratchStore = BytesStore.wrap(scratchArray);
        existingArray = new byte[maxRoomBytes];
        existing = new UnsafeBuffer(existingArray);
        map = ChronicleMap.of(LongCell.class, byte[].class)
            .name("cohort-rooms")
            .keyMarshallers(LongCellMarshaller.INSTANCE, LongCellMarshaller.INSTANCE)
            .constantKeySizeBySample(new LongCell())
            .entries(maxRooms)
            .minSegments(minSegments(maxRooms))
            .averageValueSize(averageRoomBytes)
            .maxBloatFactor(MAX_BLOAT_FACTOR)
            .putReturnsNull(true)
            .removeReturnsNull(true)
            .skipCloseOnExitHook(true)
            .create();
    }

    /**
     * The segments to ask of Chronicle for {@code maxRooms}: at most {@link #ROOMS_PER_SEGMENT} each when full
     * (Chronicle rounds up to a power of two).
     */
    static int minSegments(final long maxRooms)
    {
        return (int)Math.max(1, (maxRooms + ROOMS_PER_SEGMENT - 1) / ROOMS_PER_SEGMENT);
    }

    /**
     * Checks that the metadata is well formed and within limits.
     *
     * @return null if it may be stored, else the refusal.
     * @throws IllegalArgumentException if the encoding is malformed.
     */
    StateResult validate(final DirectBuffer metadata, final int offset, final int length)
    {
        if (length < RoomMetadata.PREFIX_BYTES || offset < 0 || (long)offset + length > metadata.capacity())
        {
            throw new IllegalArgumentException("length=" + length + " at offset=" + offset +
                " is not room metadata within a buffer of " + metadata.capacity());
        }
        final int indexNameLength = RoomMetadata.indexNameLength(metadata, offset);
        if (indexNameLength < 0 || indexNameLength > length - RoomMetadata.PREFIX_BYTES)
        {
            throw new IllegalArgumentException("indexNameLength=" + indexNameLength + " does not fit length=" + length);
        }
        final int collectionNameLength = RoomMetadata.collectionNameLength(metadata, offset);
        if (collectionNameLength < 0 || collectionNameLength > length - RoomMetadata.PREFIX_BYTES - indexNameLength)
        {
            throw new IllegalArgumentException(
                "collectionNameLength=" + collectionNameLength + " does not fit length=" + length);
        }
        final int filterLength = RoomMetadata.filterLength(metadata, offset);
        if (RoomMetadata.encodedLength(indexNameLength, collectionNameLength, filterLength) != length)
        {
            throw new IllegalArgumentException("filterLength=" + filterLength + " does not match length=" + length);
        }
        if (indexNameLength > maxNameLength || collectionNameLength > maxNameLength || filterLength > maxFilterBytes)
        {
            return StateResult.ROOM_TOO_LARGE;
        }
        return null;
    }

    /**
     * Stores a room whose metadata {@link #validate} accepted.
     *
     * @return {@link StateResult#ROOM_CREATED}, {@link StateResult#ROOM_EXISTS}, {@link StateResult#ROOM_CONFLICT}
     * or {@link StateResult#ROOMS_FULL}.
     */
    StateResult create(final long roomId, final DirectBuffer metadata, final int offset, final int length)
    {
        key.set(roomId);
        try (ExternalMapQueryContext<LongCell, byte[], ?> context = map.queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongCell, byte[]> entry = context.entry();
            if (null != entry)
            {
                final int existingLength = read(entry.value(), existingArray);
                return existingLength == length && sameBytes(metadata, offset, length) ?
                    StateResult.ROOM_EXISTS : StateResult.ROOM_CONFLICT;
            }
            if (rooms >= maxRooms || metadataBytes + length > maxMetadataBytes)
            {
                return StateResult.ROOMS_FULL;
            }
            scratch.putBytes(0, metadata, offset, length);
            context.absentEntry().doInsert(context.wrapValueBytesAsData(scratchStore, 0, length));
            rooms++;
            metadataBytes += length;
            return StateResult.ROOM_CREATED;
        }
    }

    boolean remove(final long roomId)
    {
        key.set(roomId);
        try (ExternalMapQueryContext<LongCell, byte[], ?> context = map.queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongCell, byte[]> entry = context.entry();
            if (null == entry)
            {
                return false;
            }
            final long length = entry.value().size();
            entry.doRemove();
            rooms--;
            metadataBytes -= length;
            return true;
        }
    }

    boolean contains(final long roomId)
    {
        return contains(key, roomId);
    }

    /**
     * Whether a room exists, with the caller's key: safe from a reader's thread.
     */
    boolean contains(final LongCell readerKey, final long roomId)
    {
        readerKey.set(roomId);
        return map.containsKey(readerKey);
    }

    /**
     * Bytes of the longest metadata the table holds: the size of a buffer a room's metadata always fits.
     */
    int maxRoomBytes()
    {
        return existingArray.length;
    }

    /**
     * Length of a room's metadata.
     *
     * @return bytes, or -1 if the room is unknown.
     */
    int metadataLength(final long roomId)
    {
        key.set(roomId);
        try (ExternalMapQueryContext<LongCell, byte[], ?> context = map.queryContext(key))
        {
            final MapEntry<LongCell, byte[]> entry = context.entry();
            return null == entry ? -1 : (int)entry.value().size();
        }
    }

    /**
     * Copies a room's metadata out.
     *
     * @return bytes copied, or -1 if the room is unknown.
     */
    int copyMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        return copyMetadata(key, existingArray, existing, roomId, dst, dstOffset);
    }

    /**
     * Copies a room's metadata out with the caller's key and scratch ({@link #maxRoomBytes()} long): safe from
     * a reader's thread, as the query context holds the entry's read lock while it is copied.
     *
     * @return bytes copied, or -1 if the room is unknown.
     */
    int copyMetadata(
        final LongCell readerKey,
        final byte[] scratchArray,
        final UnsafeBuffer scratch,
        final long roomId,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        readerKey.set(roomId);
        try (ExternalMapQueryContext<LongCell, byte[], ?> context = map.queryContext(readerKey))
        {
            final MapEntry<LongCell, byte[]> entry = context.entry();
            if (null == entry)
            {
                return -1;
            }
            final int length = read(entry.value(), scratchArray);
            dst.putBytes(dstOffset, scratch, 0, length);
            return length;
        }
    }

    /**
     * Visits every room. The visitor must not change the rooms.
     */
    void forEach(final RoomVisitor visitor)
    {
        this.visitor = visitor;
        try
        {
            map.forEachEntry(iterationConsumer);
        }
        finally
        {
            this.visitor = null;
        }
    }

    /**
     * The number of segments of the map: the unit of a sliced iteration ({@link #forEachInSegment}).
     */
    int segments()
    {
        return map.segments();
    }

    /**
     * Visits every room of one segment. A key lives in one segment for good, so visiting every segment once,
     * in any number of calls, visits every room that stays in the table throughout exactly once.
     *
     * @return entries visited.
     */
    int forEachInSegment(final int segment, final RoomVisitor visitor)
    {
        this.visitor = visitor;
        segmentEntries = 0;
        try (MapSegmentContext<LongCell, byte[], ?> context = map.segmentContext(segment))
        {
            context.forEachSegmentEntry(iterationConsumer);
        }
        finally
        {
            this.visitor = null;
        }
        return segmentEntries;
    }

    /**
     * Removes every room of one segment.
     *
     * @param segment the segment, from 0 to {@link #segments()} - 1.
     * @param removed told each room removed.
     * @return rooms removed.
     */
    int removeSegment(final int segment, final LongConsumer removed)
    {
        segmentRoomIds.clear();
        forEachInSegment(segment, collectRoomId);
        int count = 0;
        for (int i = 0, size = segmentRoomIds.size(); i < size; i++)
        {
            final long roomId = segmentRoomIds.getLong(i);
            if (remove(roomId))
            {
                count++;
                removed.accept(roomId);
            }
        }
        return count;
    }

    private void onEntry(final MapEntry<LongCell, byte[]> entry)
    {
        segmentEntries++;
        final long roomId = entry.key().getUsing(iterationKey).get();
        final int length = read(entry.value(), scratchArray);
        visitor.onRoom(roomId, scratch, 0, length);
    }

    private boolean sameBytes(final DirectBuffer metadata, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (existing.getByte(i) != metadata.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int read(final Data<byte[]> value, final byte[] dst)
    {
        final int length = (int)value.size();
        value.bytes().read(value.offset(), dst, 0, length);
        return length;
    }

    long rooms()
    {
        return rooms;
    }

    long maxRooms()
    {
        return maxRooms;
    }

    long metadataBytes()
    {
        return metadataBytes;
    }

    long maxMetadataBytes()
    {
        return maxMetadataBytes;
    }

    long offHeapMemoryUsed()
    {
        return map.offHeapMemoryUsed();
    }

    /**
     * Removes every room.
     */
    void clear()
    {
        map.clear();
        rooms = 0;
        metadataBytes = 0;
    }

    public void close()
    {
        map.close();
    }
}
