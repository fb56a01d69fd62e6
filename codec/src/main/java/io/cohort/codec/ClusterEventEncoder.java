package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a {@link MessageType#CLUSTER_EVENT} body at an offset claimed for {@link #computeLength(int, int)}
 * bytes. Layout: {@link ClusterEventDecoder}. Write the name, then the payload.
 */
public final class ClusterEventEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ClusterEventEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ClusterEventEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body with a name and payload of the given lengths.
     *
     * @param nameLength    bytes of name.
     * @param payloadLength bytes of payload.
     * @return the body length to claim.
     */
    public static int computeLength(final int nameLength, final int payloadLength)
    {
        return ClusterEventDecoder.MIN_LENGTH + nameLength + payloadLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ClusterEventEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset;
        return this;
    }

    /**
     * Writes the event name, first.
     *
     * @param src       holding the name.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the name is longer than {@link CodecLimits#maxNameLength()}.
     */
    public ClusterEventEncoder name(final DirectBuffer src, final int srcOffset, final int length)
    {
        limit = Fields.putVar(buffer, offset + ClusterEventDecoder.NAME_OFFSET, src, srcOffset,
            Fields.checkLength("nameLength", length, limits.maxNameLength()));
        return this;
    }

    /**
     * Writes the event name, first (allocates: encodes the string as UTF-8).
     *
     * @param name the name.
     * @return this for a fluent API.
     */
    public ClusterEventEncoder name(final String name)
    {
        final byte[] bytes = Fields.utf8(name);
        Fields.checkLength("nameLength", bytes.length, limits.maxNameLength());
        limit = Fields.putVar(buffer, offset + ClusterEventDecoder.NAME_OFFSET, bytes);
        return this;
    }

    /**
     * Writes the payload, after the name.
     *
     * @param src       holding the payload.
     * @param srcOffset where it starts.
     * @param length    its length in bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the payload is longer than {@link CodecLimits#maxPayloadLength()}.
     */
    public ClusterEventEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
    {
        limit = Fields.putVar(buffer, limit, src, srcOffset,
            Fields.checkLength("payloadLength", length, limits.maxPayloadLength()));
        return this;
    }

    /**
     * Bytes written so far from the wrapped offset.
     *
     * @return the encoded length once both fields are written.
     */
    public int encodedLength()
    {
        return limit - offset;
    }
}
