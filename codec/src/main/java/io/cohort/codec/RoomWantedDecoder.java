package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#ROOM_WANTED} body. The sender holds a count above 0 in this room
 * and does not know the room: a node with subscribers in it announces it again.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                          Room Id (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class RoomWantedDecoder
{
    static final int ROOM_ID_OFFSET = 0;
    /** Length of the body. */
    public static final int BODY_LENGTH = ROOM_ID_OFFSET + SIZE_OF_LONG;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body (may exceed {@link #BODY_LENGTH} for a newer minor version).
     * @return this for a fluent API.
     */
    public RoomWantedDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the room wanted.
     *
     * @return the value.
     */
    public long roomId()
    {
        return buffer.getLong(offset + ROOM_ID_OFFSET, BYTE_ORDER);
    }
}
