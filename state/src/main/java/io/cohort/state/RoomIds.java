package io.cohort.state;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The content-derived room id, so that two nodes creating the same room agree on its id without talking:
 * <pre>
 *   roomId = XXH64(seed 0) of the room's {@link RoomMetadata} encoding
 *            (index name, collection name and normalised filter, each prefixed by its int32 length)
 *   and {@link #ZERO_SUBSTITUTE} if that is 0, because Cohort reserves 0 for "none".
 * </pre>
 * XXH64 is implemented here (no dependency whose output could change with a version) and checked against
 * published XXH64 test vectors; golden values of room ids are pinned by tests, because every node of a
 * cluster, of any version, must compute the same ids. The filter must already be normalised by the
 * backend's filter engine (Cohort treats it as opaque bytes): equivalent filters must be given as equal
 * bytes. Allocation-free except the {@code String} convenience.
 */
public final class RoomIds
{
    /** Used in place of a hash of 0, which would read as "no room". */
    public static final long ZERO_SUBSTITUTE = 0x9E3779B97F4A7C15L;

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private RoomIds()
    {
    }

    /**
     * The room id of encoded metadata.
     *
     * @param metadata holding the {@link RoomMetadata} encoding.
     * @param offset   where it starts.
     * @param length   its length.
     * @return the room id, never 0.
     */
    public static long roomId(final DirectBuffer metadata, final int offset, final int length)
    {
        final long hash = xxh64(metadata, offset, length, 0);
        return 0 == hash ? ZERO_SUBSTITUTE : hash;
    }

    /**
     * The room id of the given fields (allocates: for tools and tests).
     *
     * @param indexName      the index name, encoded as UTF-8.
     * @param collectionName the collection name, encoded as UTF-8.
     * @param filter         the normalised filter bytes.
     * @return the room id, never 0.
     */
    public static long roomId(final String indexName, final String collectionName, final byte[] filter)
    {
        final byte[] index = indexName.getBytes(StandardCharsets.UTF_8);
        final byte[] collection = collectionName.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(
            new byte[RoomMetadata.encodedLength(index.length, collection.length, filter.length)]);
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[index.length + collection.length + filter.length]);
        fields.putBytes(0, index);
        fields.putBytes(index.length, collection);
        fields.putBytes(index.length + collection.length, filter);
        final int length = RoomMetadata.encode(
            buffer, 0, fields, 0, index.length, index.length, collection.length,
            index.length + collection.length, filter.length);
        return roomId(buffer, 0, length);
    }

    /**
     * XXH64 (Yann Collet's xxHash, 64-bit) of a region of a buffer.
     *
     * @param buffer holding the bytes.
     * @param offset where they start.
     * @param length how many.
     * @param seed   the seed.
     * @return the hash.
     */
    public static long xxh64(final DirectBuffer buffer, final int offset, final int length, final long seed)
    {
        final int end = offset + length;
        int position = offset;
        long hash;
        if (length >= 32)
        {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            final int limit = end - 32;
            do
            {
                v1 = round(v1, buffer.getLong(position, LE));
                v2 = round(v2, buffer.getLong(position + 8, LE));
                v3 = round(v3, buffer.getLong(position + 16, LE));
                v4 = round(v4, buffer.getLong(position + 24, LE));
                position += 32;
            }
            while (position <= limit);

            hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) +
                Long.rotateLeft(v4, 18);
            hash = mergeRound(hash, v1);
            hash = mergeRound(hash, v2);
            hash = mergeRound(hash, v3);
            hash = mergeRound(hash, v4);
        }
        else
        {
            hash = seed + P5;
        }

        hash += length;

        while (position + 8 <= end)
        {
            hash ^= round(0, buffer.getLong(position, LE));
            hash = Long.rotateLeft(hash, 27) * P1 + P4;
            position += 8;
        }
        if (position + 4 <= end)
        {
            hash ^= (buffer.getInt(position, LE) & 0xFFFF_FFFFL) * P1;
            hash = Long.rotateLeft(hash, 23) * P2 + P3;
            position += 4;
        }
        while (position < end)
        {
            hash ^= (buffer.getByte(position) & 0xFFL) * P5;
            hash = Long.rotateLeft(hash, 11) * P1;
            position++;
        }

        hash ^= hash >>> 33;
        hash *= P2;
        hash ^= hash >>> 29;
        hash *= P3;
        hash ^= hash >>> 32;
        return hash;
    }

    private static long round(final long acc, final long input)
    {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long mergeRound(final long acc, final long value)
    {
        return (acc ^ round(0, value)) * P1 + P4;
    }
}
