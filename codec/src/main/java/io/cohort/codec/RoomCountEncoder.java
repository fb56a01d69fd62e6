package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#ROOM_COUNT} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link RoomCountDecoder}.
 */
public final class RoomCountEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = RoomCountDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public RoomCountEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the room.
     *
     * @param roomId the value.
     * @return this for a fluent API.
     */
    public RoomCountEncoder roomId(final long roomId)
    {
        buffer.putLong(offset + RoomCountDecoder.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the owner's subscribers in the room, never negative.
     *
     * @param count the value.
     * @return this for a fluent API.
     */
    public RoomCountEncoder count(final long count)
    {
        buffer.putLong(offset + RoomCountDecoder.COUNT_OFFSET, count, BYTE_ORDER);
        return this;
    }
}
