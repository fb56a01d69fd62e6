package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads a {@link MessageType#CLUSTER_EVENT} body: a backend-defined event for every node, with an opaque
 * name and payload.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Name Length (n)                        | 0
 *  +---------------------------------------------------------------+
 *  |                     Name (n bytes, UTF-8)                    ... 4
 *  +---------------------------------------------------------------+
 *  |                      Payload Length (p)                       |
 *  +---------------------------------------------------------------+
 *  |                    Payload (p opaque bytes)                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ClusterEventDecoder
{
    static final int NAME_OFFSET = 0;
    /** Length of a body whose name and payload are empty. */
    public static final int MIN_LENGTH = 2 * Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;
    private int payloadOffset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public ClusterEventDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        payloadOffset = Fields.varEnd(buffer, offset + NAME_OFFSET);
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int limit = bodyOffset + bodyLength;
        int position = Fields.skipVar(buffer, bodyOffset + NAME_OFFSET, limit, limits.maxNameLength());
        if (position >= 0)
        {
            position = Fields.skipVar(buffer, position, limit, limits.maxPayloadLength());
        }
        return Fields.result(position);
    }

    /**
     * Length of the event name.
     *
     * @return bytes.
     */
    public int nameLength()
    {
        return Fields.varLength(buffer, offset + NAME_OFFSET);
    }

    /**
     * Copies the event name out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return bytes copied.
     */
    public int getName(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, offset + NAME_OFFSET, dst, dstOffset);
    }

    /**
     * The event name (allocates).
     *
     * @return the name decoded as UTF-8.
     */
    public String name()
    {
        return Fields.getVarString(buffer, offset + NAME_OFFSET);
    }

    /**
     * Length of the payload.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return Fields.varLength(buffer, payloadOffset);
    }

    /**
     * Where the payload starts in the wrapped buffer, to read it in place.
     *
     * @return an offset into {@link #buffer()}.
     */
    public int payloadOffset()
    {
        return payloadOffset + Fields.VAR_LENGTH_PREFIX;
    }

    /**
     * Copies the payload out.
     *
     * @param dst       to copy into.
     * @param dstOffset where to copy to.
     * @return bytes copied.
     */
    public int getPayload(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, payloadOffset, dst, dstOffset);
    }

    /**
     * The payload (allocates).
     *
     * @return a copy of the payload.
     */
    public byte[] payload()
    {
        return Fields.getVarBytes(buffer, payloadOffset);
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
