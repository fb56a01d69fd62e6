package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#ROOM_CREATED} body (or a room entry of a snapshot chunk) at an offset claimed
 * for {@link #computeLength(int, int, int)} bytes. Layout: {@link RoomCreatedDecoder}. The variable-length
 * fields must be written in order: index name, collection name, filter.
 */
public final class RoomCreatedEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public RoomCreatedEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public RoomCreatedEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body with fields of the given lengths.
     *
     * @param indexNameLength      bytes of index name.
     * @param collectionNameLength bytes of collection name.
     * @param filterLength         bytes of filter.
     * @return the body length to claim.
     */
    public static int computeLength(final int indexNameLength, final int collectionNameLength, final int filterLength)
    {
        return RoomCreatedDecoder.MIN_LENGTH + indexNameLength + collectionNameLength + filterLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public RoomCreatedEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + RoomCreatedDecoder.INDEX_NAME_OFFSET;
        return this;
    }

    /**
     * Sets the room id.
     *
     * @param roomId the content-derived room id.
     * @return this for a fluent API.
     */
    public RoomCreatedEncoder roomId(final long roomId)
    {
        buffer.putLong(offset + RoomCreatedDecoder.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the index name, first of the variable-length fields.
     *
     * @param src       holding the name.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the name is longer than {@link CodecLimits#maxNameLength()}.
     */
    public RoomCreatedEncoder indexName(final DirectBuffer src, final int srcOffset, final int length)
    {
        limit = Fields.putVar(buffer, offset + RoomCreatedDecoder.INDEX_NAME_OFFSET, src, srcOffset,
            Fields.checkLength("indexNameLength", length, limits.maxNameLength()));
        return this;
    }

    /**
     * Writes the index name (allocates: encodes the string as UTF-8).
     *
     * @param indexName the name.
     * @return this for a fluent API.
     */
    public RoomCreatedEncoder indexName(final String indexName)
    {
        final byte[] bytes = Fields.utf8(indexName);
        Fields.checkLength("indexNameLength", bytes.length, limits.maxNameLength());
        limit = Fields.putVar(buffer, offset + RoomCreatedDecoder.INDEX_NAME_OFFSET, bytes);
        return this;
    }

    /**
     * Writes the collection name, after the index name.
     *
     * @param src       holding the name.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the name is longer than {@link CodecLimits#maxNameLength()}.
     */
    public RoomCreatedEncoder collectionName(final DirectBuffer src, final int srcOffset, final int length)
    {
        limit = Fields.putVar(buffer, limit, src, srcOffset,
            Fields.checkLength("collectionNameLength", length, limits.maxNameLength()));
        return this;
    }

    /**
     * Writes the collection name (allocates: encodes the string as UTF-8).
     *
     * @param collectionName the name.
     * @return this for a fluent API.
     */
    public RoomCreatedEncoder collectionName(final String collectionName)
    {
        final byte[] bytes = Fields.utf8(collectionName);
        Fields.checkLength("collectionNameLength", bytes.length, limits.maxNameLength());
        limit = Fields.putVar(buffer, limit, bytes);
        return this;
    }

    /**
     * Writes the filter, after the collection name.
     *
     * @param src       holding the filter.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the filter is longer than {@link CodecLimits#maxFilterLength()}.
     */
    public RoomCreatedEncoder filter(final DirectBuffer src, final int srcOffset, final int length)
    {
        limit = Fields.putVar(buffer, limit, src, srcOffset,
            Fields.checkLength("filterLength", length, limits.maxFilterLength()));
        return this;
    }

    /**
     * Writes the filter.
     *
     * @param filter the filter bytes.
     * @return this for a fluent API.
     */
    public RoomCreatedEncoder filter(final byte[] filter)
    {
        Fields.checkLength("filterLength", filter.length, limits.maxFilterLength());
        limit = Fields.putVar(buffer, limit, filter);
        return this;
    }

    /**
     * Bytes written so far from the wrapped offset.
     *
     * @return the encoded length once every field is written.
     */
    public int encodedLength()
    {
        return limit - offset;
    }
}
