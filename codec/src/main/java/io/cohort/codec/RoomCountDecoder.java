package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#ROOM_COUNT} body. The sender's absolute number of subscribers in a room (the sender owns this row of the room counts). Absolute rather than a delta, so that a replica can be checked against the owner by value.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                          Room Id (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                           Count (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class RoomCountDecoder
{
    static final int ROOM_ID_OFFSET = 0;
    static final int COUNT_OFFSET = ROOM_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = COUNT_OFFSET + SIZE_OF_LONG;

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
    public RoomCountDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Checks that a body is long enough and its values are in range.
     *
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength length of the body.
     * @return {@link DecodeResult#OK} or why the body is malformed.
     */
    static DecodeResult validate(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final long count = buffer.getLong(bodyOffset + COUNT_OFFSET, BYTE_ORDER);
        return count < 0 ? DecodeResult.BAD_FIELD_VALUE : DecodeResult.OK;
    }

    /**
     * Reads the room.
     *
     * @return the value.
     */
    public long roomId()
    {
        return buffer.getLong(offset + ROOM_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the owner's subscribers in the room, never negative.
     *
     * @return the value.
     */
    public long count()
    {
        return buffer.getLong(offset + COUNT_OFFSET, BYTE_ORDER);
    }
}
