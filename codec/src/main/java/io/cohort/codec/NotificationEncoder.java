package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#NOTIFICATION} body at an offset claimed with {@link FrameEncoder#claim} for
 * {@link #computeLength(int)} bytes. Layout: {@link NotificationDecoder}.
 */
public final class NotificationEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public NotificationEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public NotificationEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body with a payload of the given length.
     *
     * @param payloadLength bytes of payload.
     * @return the body length to claim.
     */
    public static int computeLength(final int payloadLength)
    {
        return NotificationDecoder.FIXED_LENGTH + payloadLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public NotificationEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the room whose subscribers are notified.
     *
     * @param roomId the room id.
     * @return this for a fluent API.
     */
    public NotificationEncoder roomId(final long roomId)
    {
        buffer.putLong(offset + NotificationDecoder.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the payload.
     *
     * @param src       holding the payload.
     * @param srcOffset where it starts.
     * @param length    its length, at most {@link CodecLimits#maxPayloadLength()}.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the payload is too long.
     */
    public NotificationEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
    {
        Fields.checkLength("payloadLength", length, limits.maxPayloadLength());
        Fields.putVar(buffer, offset + NotificationDecoder.PAYLOAD_OFFSET, src, srcOffset, length);
        return this;
    }
}
