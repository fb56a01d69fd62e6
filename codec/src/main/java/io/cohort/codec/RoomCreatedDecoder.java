package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#ROOM_CREATED} body: a room and its metadata. The room id is content-derived,
 * so two nodes creating the same room agree on it without talking. The same layout is used for each room
 * of a {@link MessageType#SNAPSHOT_CHUNK}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                         Room Id (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Index Name Length (n)                     | 8
 *  +---------------------------------------------------------------+
 *  |                  Index Name (n bytes, UTF-8)                 ... 12
 *  +---------------------------------------------------------------+
 *  |                   Collection Name Length (c)                  |
 *  +---------------------------------------------------------------+
 *  |                Collection Name (c bytes, UTF-8)              ...
 *  +---------------------------------------------------------------+
 *  |                      Filter Length (f)                        |
 *  +---------------------------------------------------------------+
 *  |                   Filter (f opaque bytes)                    ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class RoomCreatedDecoder
{
    static final int ROOM_ID_OFFSET = 0;
    static final int INDEX_NAME_OFFSET = ROOM_ID_OFFSET + SIZE_OF_LONG;
    /** Length of a body whose three variable-length fields are empty. */
    public static final int MIN_LENGTH = INDEX_NAME_OFFSET + 3 * Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;
    private int collectionNameOffset;
    private int filterOffset;

    /**
     * Wraps a body accepted by {@link FrameDecoder} (or a room entry of a snapshot chunk).
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public RoomCreatedDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        collectionNameOffset = Fields.varEnd(buffer, offset + INDEX_NAME_OFFSET);
        filterOffset = Fields.varEnd(buffer, collectionNameOffset);
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(skipEntry(buffer, bodyOffset, bodyOffset + bodyLength, limits));
    }

    /**
     * Validates one room laid out as this body, which must end by {@code limit}.
     *
     * @return the offset after it, or a negative error for {@link Fields#result(int)}.
     */
    static int skipEntry(final DirectBuffer buffer, final int offset, final int limit, final CodecLimits limits)
    {
        if (offset > limit - MIN_LENGTH)
        {
            return Fields.error(DecodeResult.BAD_FIELD_LENGTH);
        }
        int position = Fields.skipVar(buffer, offset + INDEX_NAME_OFFSET, limit, limits.maxNameLength());
        if (position >= 0)
        {
            position = Fields.skipVar(buffer, position, limit, limits.maxNameLength());
        }
        if (position >= 0)
        {
            position = Fields.skipVar(buffer, position, limit, limits.maxFilterLength());
        }
        return position;
    }

    /**
     * Length of the wrapped room, for stepping over it in a list.
     *
     * @return bytes from the wrapped offset to the end of the filter.
     */
    public int encodedLength()
    {
        return Fields.varEnd(buffer, filterOffset) - offset;
    }

    /**
     * The room id.
     *
     * @return the content-derived room id.
     */
    public long roomId()
    {
        return buffer.getLong(offset + ROOM_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Length of the index name.
     *
     * @return bytes.
     */
    public int indexNameLength()
    {
        return Fields.varLength(buffer, offset + INDEX_NAME_OFFSET);
    }

    /**
     * Copies the index name out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return bytes copied.
     */
    public int getIndexName(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, offset + INDEX_NAME_OFFSET, dst, dstOffset);
    }

    /**
     * The index name (allocates).
     *
     * @return the name decoded as UTF-8.
     */
    public String indexName()
    {
        return Fields.getVarString(buffer, offset + INDEX_NAME_OFFSET);
    }

    /**
     * Length of the collection name.
     *
     * @return bytes.
     */
    public int collectionNameLength()
    {
        return Fields.varLength(buffer, collectionNameOffset);
    }

    /**
     * Copies the collection name out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return bytes copied.
     */
    public int getCollectionName(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, collectionNameOffset, dst, dstOffset);
    }

    /**
     * The collection name (allocates).
     *
     * @return the name decoded as UTF-8.
     */
    public String collectionName()
    {
        return Fields.getVarString(buffer, collectionNameOffset);
    }

    /**
     * Length of the filter.
     *
     * @return bytes.
     */
    public int filterLength()
    {
        return Fields.varLength(buffer, filterOffset);
    }

    /**
     * Where the filter bytes start in the wrapped buffer, to read them in place.
     *
     * @return an offset into {@link #buffer()}.
     */
    public int filterOffset()
    {
        return filterOffset + Fields.VAR_LENGTH_PREFIX;
    }

    /**
     * Copies the filter out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return bytes copied.
     */
    public int getFilter(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, filterOffset, dst, dstOffset);
    }

    /**
     * The filter (allocates).
     *
     * @return a copy of the filter bytes.
     */
    public byte[] filter()
    {
        return Fields.getVarBytes(buffer, filterOffset);
    }

    /**
     * The buffer the body is read from.
     *
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
