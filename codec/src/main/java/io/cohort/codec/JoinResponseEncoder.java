package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#JOIN_RESPONSE} body: claim {@link #computeLength(int, int)} with the cluster name's
 * and the summed card lengths, set the fields and {@link #clusterName}, then {@link #addMember} each card (the cards
 * follow the name). Layout: {@link JoinResponseDecoder}.
 */
public final class JoinResponseEncoder
{
    private final CodecLimits limits;
    private final MemberCardEncoder card;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int memberCount;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public JoinResponseEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public JoinResponseEncoder(final CodecLimits limits)
    {
        this.limits = limits;
        card = new MemberCardEncoder(limits);
    }

    /**
     * Length of a body carrying a cluster name and cards of the given lengths.
     *
     * @param clusterNameLength bytes of the cluster name (UTF-8).
     * @param totalCardLength   sum of {@link MemberCardEncoder#computeLength} over the members.
     * @return the body length to claim.
     */
    public static int computeLength(final int clusterNameLength, final int totalCardLength)
    {
        return JoinResponseDecoder.MIN_LENGTH + clusterNameLength + totalCardLength;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}, with an empty cluster name and no member
     * yet.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public JoinResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + JoinResponseDecoder.MIN_LENGTH;
        this.memberCount = 0;
        buffer.putInt(offset + JoinResponseDecoder.MEMBER_COUNT_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + JoinResponseDecoder.CLUSTER_NAME_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the responder's heartbeat settings.
     *
     * @param intervalNs the heartbeat interval in nanoseconds.
     * @param timeoutNs  the heartbeat timeout in nanoseconds.
     * @return this for a fluent API.
     */
    public JoinResponseEncoder heartbeat(final long intervalNs, final long timeoutNs)
    {
        buffer.putLong(offset + JoinResponseDecoder.HEARTBEAT_INTERVAL_OFFSET, intervalNs, BYTE_ORDER);
        buffer.putLong(offset + JoinResponseDecoder.HEARTBEAT_TIMEOUT_OFFSET, timeoutNs, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the responder's cluster name; call before {@link #addMember}, as the cards follow it.
     *
     * @param clusterName the name's UTF-8 bytes.
     * @return this for a fluent API.
     * @throws IllegalStateException if a member was added already.
     * @throws IllegalArgumentException if the name is longer than {@link CodecLimits#maxNameLength()}.
     */
    public JoinResponseEncoder clusterName(final byte[] clusterName)
    {
        if (0 != memberCount)
        {
            throw new IllegalStateException("clusterName after addMember: the cards follow the name");
        }
        Fields.checkLength("clusterNameLength", clusterName.length, limits.maxNameLength());
        limit = Fields.putVar(buffer, offset + JoinResponseDecoder.CLUSTER_NAME_OFFSET, clusterName);
        return this;
    }

    /**
     * Sets the correlation id of the request answered.
     *
     * @param correlationId from the request.
     * @return this for a fluent API.
     */
    public JoinResponseEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + JoinResponseDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the outcome.
     *
     * @param status one of {@link CommandStatus}.
     * @return this for a fluent API.
     */
    public JoinResponseEncoder status(final int status)
    {
        buffer.putInt(offset + JoinResponseDecoder.STATUS_OFFSET, status, BYTE_ORDER);
        return this;
    }

    /**
     * Appends a member card.
     *
     * @param nodeId          the member's node id.
     * @param incarnation     its incarnation.
     * @param syncEndpoint    its sync endpoint.
     * @param commandEndpoint its command endpoint.
     * @param publicKey       its CURVE public key, empty when CURVE is off.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if more than {@link CodecLimits#maxMembers()} members, or a field exceeds
     * its maximum.
     */
    public JoinResponseEncoder addMember(
        final long nodeId,
        final long incarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final byte[] publicKey)
    {
        Fields.checkLength("memberCount", memberCount + 1, limits.maxMembers());
        card.wrap(buffer, limit).nodeId(nodeId).incarnation(incarnation)
            .endpoints(syncEndpoint, commandEndpoint, publicKey);
        limit += card.encodedLength();
        buffer.putInt(offset + JoinResponseDecoder.MEMBER_COUNT_OFFSET, ++memberCount, BYTE_ORDER);
        return this;
    }

    /**
     * Bytes written so far from the wrapped offset.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return limit - offset;
    }
}
