package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#JOIN_REQUEST} body for {@link #computeLength(int, int)} bytes: the fixed fields, then
 * {@link #clusterName}, then the {@link #card()} (in that order: the card follows the name). Layout:
 * {@link JoinRequestDecoder}.
 */
public final class JoinRequestEncoder
{
    private final CodecLimits limits;
    private final MemberCardEncoder card;
    private MutableDirectBuffer buffer;
    private int offset;
    private int cardOffset;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public JoinRequestEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public JoinRequestEncoder(final CodecLimits limits)
    {
        this.limits = limits;
        card = new MemberCardEncoder(limits);
    }

    /**
     * Length of a body carrying a cluster name and a card of the given lengths.
     *
     * @param clusterNameLength bytes of the cluster name (UTF-8).
     * @param cardLength        from {@link MemberCardEncoder#computeLength}.
     * @return the body length to claim.
     */
    public static int computeLength(final int clusterNameLength, final int cardLength)
    {
        return JoinRequestDecoder.CLUSTER_NAME_OFFSET + Fields.VAR_LENGTH_PREFIX + clusterNameLength + cardLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}, with an empty cluster name.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public JoinRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + JoinRequestDecoder.CLUSTER_NAME_OFFSET, 0, BYTE_ORDER);
        this.cardOffset = offset + JoinRequestDecoder.CLUSTER_NAME_OFFSET + Fields.VAR_LENGTH_PREFIX;
        return this;
    }

    /**
     * Sets the correlation id.
     *
     * @param correlationId to match the response with.
     * @return this for a fluent API.
     */
    public JoinRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + JoinRequestDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the joiner's heartbeat settings, which the member compares with its own.
     *
     * @param intervalNs the heartbeat interval in nanoseconds.
     * @param timeoutNs  the heartbeat timeout in nanoseconds.
     * @return this for a fluent API.
     */
    public JoinRequestEncoder heartbeat(final long intervalNs, final long timeoutNs)
    {
        buffer.putLong(offset + JoinRequestDecoder.HEARTBEAT_INTERVAL_OFFSET, intervalNs, BYTE_ORDER);
        buffer.putLong(offset + JoinRequestDecoder.HEARTBEAT_TIMEOUT_OFFSET, timeoutNs, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the joiner's cluster name; call before {@link #card()}, which follows it.
     *
     * @param clusterName the name's UTF-8 bytes.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the name is longer than {@link CodecLimits#maxNameLength()}.
     */
    public JoinRequestEncoder clusterName(final byte[] clusterName)
    {
        Fields.checkLength("clusterNameLength", clusterName.length, limits.maxNameLength());
        cardOffset = Fields.putVar(buffer, offset + JoinRequestDecoder.CLUSTER_NAME_OFFSET, clusterName);
        return this;
    }

    /**
     * The encoder of the joiner's card, wrapped in place after the cluster name.
     *
     * @return the card encoder.
     */
    public MemberCardEncoder card()
    {
        return card.wrap(buffer, cardOffset);
    }
}
