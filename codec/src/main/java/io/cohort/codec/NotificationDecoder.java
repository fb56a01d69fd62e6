package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#NOTIFICATION} body: a realtime notification for the subscribers of a room,
 * with an opaque payload that only the backend interprets.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                         Room Id (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Payload Length                         | 8
 *  +---------------------------------------------------------------+
 *  |                     Payload (Payload Length bytes)           ... 12
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class NotificationDecoder
{
    static final int ROOM_ID_OFFSET = 0;
    static final int PAYLOAD_OFFSET = ROOM_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the body before the payload bytes. */
    public static final int FIXED_LENGTH = PAYLOAD_OFFSET + Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public NotificationDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < FIXED_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(Fields.skipVar(
            buffer, bodyOffset + PAYLOAD_OFFSET, bodyOffset + bodyLength, limits.maxPayloadLength()));
    }

    /**
     * The room whose subscribers are notified.
     *
     * @return the room id.
     */
    public long roomId()
    {
        return buffer.getLong(offset + ROOM_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Length of the payload.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return Fields.varLength(buffer, offset + PAYLOAD_OFFSET);
    }

    /**
     * Where the payload starts in the wrapped buffer, to read it in place.
     *
     * @return an offset into {@link #buffer()}.
     */
    public int payloadOffset()
    {
        return offset + PAYLOAD_OFFSET + Fields.VAR_LENGTH_PREFIX;
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

    /**
     * Copies the payload out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return number of bytes copied.
     */
    public int getPayload(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, offset + PAYLOAD_OFFSET, dst, dstOffset);
    }

    /**
     * The payload as a new array (allocates: for tests and tools).
     *
     * @return a copy of the payload.
     */
    public byte[] payload()
    {
        return Fields.getVarBytes(buffer, offset + PAYLOAD_OFFSET);
    }
}
