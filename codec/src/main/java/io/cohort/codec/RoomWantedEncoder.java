package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#ROOM_WANTED} body of {@link #BODY_LENGTH} bytes at an offset claimed with
 * {@link FrameEncoder#claim}. Layout: {@link RoomWantedDecoder}.
 */
public final class RoomWantedEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = RoomWantedDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public RoomWantedEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the room wanted.
     *
     * @param roomId the value.
     * @return this for a fluent API.
     */
    public RoomWantedEncoder roomId(final long roomId)
    {
        buffer.putLong(offset + RoomWantedDecoder.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        return this;
    }
}
