package io.cohort.state;

import io.cohort.codec.FrameLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * The canonical encoding of a room's metadata: what the room map stores, what {@link RoomIds} hashes, and
 * byte for byte the body of a {@code ROOM_CREATED} message after its room id. Little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Index Name Length (n)                     | 0
 *  +---------------------------------------------------------------+
 *  |                  Index Name (n bytes, UTF-8)                 ... 4
 *  +---------------------------------------------------------------+
 *  |                   Collection Name Length (c)                  | 4 + n
 *  +---------------------------------------------------------------+
 *  |                Collection Name (c bytes, UTF-8)              ... 8 + n
 *  +---------------------------------------------------------------+
 *  |                      Filter Length (f)                        | 8 + n + c
 *  +---------------------------------------------------------------+
 *  |              Filter (f opaque, normalised bytes)             ... 12 + n + c
 *  +---------------------------------------------------------------+
 * </pre>
 * The length prefixes make field boundaries part of the content, so that ("ab", "c") and ("a", "bc") are
 * different rooms.
 */
public final class RoomMetadata
{
    /** Offset of the index name's length prefix. */
    public static final int INDEX_NAME_LENGTH_OFFSET = 0;
    /** Bytes of the three length prefixes together. */
    public static final int PREFIX_BYTES = 3 * SIZE_OF_INT;

    private RoomMetadata()
    {
    }

    /**
     * Encoded length of metadata with fields of these lengths.
     *
     * @param indexNameLength      bytes of index name.
     * @param collectionNameLength bytes of collection name.
     * @param filterLength         bytes of filter.
     * @return the encoded length.
     */
    public static int encodedLength(final int indexNameLength, final int collectionNameLength, final int filterLength)
    {
        return PREFIX_BYTES + indexNameLength + collectionNameLength + filterLength;
    }

    /**
     * Writes the canonical encoding.
     *
     * @param dst                  to write into.
     * @param dstOffset            where to start.
     * @param src                  holding the fields.
     * @param indexNameOffset      of the index name in {@code src}.
     * @param indexNameLength      its length.
     * @param collectionNameOffset of the collection name in {@code src}.
     * @param collectionNameLength its length.
     * @param filterOffset         of the filter in {@code src}.
     * @param filterLength         its length.
     * @return the encoded length.
     */
    public static int encode(
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer src,
        final int indexNameOffset,
        final int indexNameLength,
        final int collectionNameOffset,
        final int collectionNameLength,
        final int filterOffset,
        final int filterLength)
    {
        int position = dstOffset;
        position = putField(dst, position, src, indexNameOffset, indexNameLength);
        position = putField(dst, position, src, collectionNameOffset, collectionNameLength);
        position = putField(dst, position, src, filterOffset, filterLength);
        return position - dstOffset;
    }

    private static int putField(
        final MutableDirectBuffer dst, final int position, final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        dst.putInt(position, length, FrameLayout.BYTE_ORDER);
        dst.putBytes(position + SIZE_OF_INT, src, offset, length);
        return position + SIZE_OF_INT + length;
    }

    /**
     * Length of the index name.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return bytes.
     */
    public static int indexNameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, FrameLayout.BYTE_ORDER);
    }

    /**
     * Offset of the index name's bytes.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return an offset into {@code buffer}.
     */
    public static int indexNameOffset(final DirectBuffer buffer, final int offset)
    {
        return offset + SIZE_OF_INT;
    }

    /**
     * Length of the collection name.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return bytes.
     */
    public static int collectionNameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(collectionNameOffset(buffer, offset) - SIZE_OF_INT, FrameLayout.BYTE_ORDER);
    }

    /**
     * Offset of the collection name's bytes.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return an offset into {@code buffer}.
     */
    public static int collectionNameOffset(final DirectBuffer buffer, final int offset)
    {
        return indexNameOffset(buffer, offset) + indexNameLength(buffer, offset) + SIZE_OF_INT;
    }

    /**
     * Length of the filter.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return bytes.
     */
    public static int filterLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(filterOffset(buffer, offset) - SIZE_OF_INT, FrameLayout.BYTE_ORDER);
    }

    /**
     * Offset of the filter's bytes.
     *
     * @param buffer holding encoded metadata.
     * @param offset where it starts.
     * @return an offset into {@code buffer}.
     */
    public static int filterOffset(final DirectBuffer buffer, final int offset)
    {
        return collectionNameOffset(buffer, offset) + collectionNameLength(buffer, offset) + SIZE_OF_INT;
    }
}
