package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a member card (body of {@link MessageType#MEMBER_CARD} and {@link MessageType#NODE_JOINED}, entry of
 * join requests and responses) for {@link #computeLength(int, int, int)} bytes. Layout:
 * {@link MemberCardDecoder}. The protocol version is this build's. Member cards travel rarely, so the
 * convenience of {@code String} and {@code byte[]} fields is worth their allocation.
 */
public final class MemberCardEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public MemberCardEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public MemberCardEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a card with fields of the given lengths.
     *
     * @param syncEndpointLength    bytes of sync endpoint (UTF-8).
     * @param commandEndpointLength bytes of command endpoint (UTF-8).
     * @param publicKeyLength       bytes of CURVE public key.
     * @return the length to claim.
     */
    public static int computeLength(
        final int syncEndpointLength, final int commandEndpointLength, final int publicKeyLength)
    {
        return MemberCardDecoder.MIN_LENGTH + syncEndpointLength + commandEndpointLength + publicKeyLength;
    }

    /**
     * Length of a card with the given fields.
     *
     * @param syncEndpoint    the sync endpoint.
     * @param commandEndpoint the command endpoint.
     * @param publicKey       the CURVE public key, empty when CURVE is off.
     * @return the length to claim.
     */
    public static int computeLength(final String syncEndpoint, final String commandEndpoint, final byte[] publicKey)
    {
        return computeLength(
            Fields.utf8(syncEndpoint).length, Fields.utf8(commandEndpoint).length, publicKey.length);
    }

    /**
     * Wraps the card at an offset returned by {@link FrameEncoder#claim} (or within a join message).
     *
     * @param buffer to write into.
     * @param offset where the card starts.
     * @return this for a fluent API.
     */
    public MemberCardEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + MemberCardDecoder.SYNC_ENDPOINT_OFFSET;
        buffer.putByte(offset + MemberCardDecoder.VERSION_MAJOR_OFFSET, (byte)FrameLayout.VERSION_MAJOR);
        buffer.putByte(offset + MemberCardDecoder.VERSION_MINOR_OFFSET, (byte)FrameLayout.VERSION_MINOR);
        buffer.putShort(offset + MemberCardDecoder.RESERVED_OFFSET, (short)0, BYTE_ORDER);
        buffer.putInt(offset + MemberCardDecoder.FLAGS_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id.
     *
     * @param nodeId the member's node id.
     * @return this for a fluent API.
     */
    public MemberCardEncoder nodeId(final long nodeId)
    {
        buffer.putLong(offset + MemberCardDecoder.NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the incarnation.
     *
     * @param incarnation the member's incarnation.
     * @return this for a fluent API.
     */
    public MemberCardEncoder incarnation(final long incarnation)
    {
        buffer.putLong(offset + MemberCardDecoder.INCARNATION_OFFSET, incarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the endpoints and public key, in that order.
     *
     * @param syncEndpoint    the sync endpoint.
     * @param commandEndpoint the command endpoint.
     * @param publicKey       the CURVE public key, empty when CURVE is off.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if a field is longer than {@link CodecLimits#maxEndpointLength()}.
     */
    public MemberCardEncoder endpoints(final String syncEndpoint, final String commandEndpoint, final byte[] publicKey)
    {
        final byte[] sync = Fields.utf8(syncEndpoint);
        final byte[] command = Fields.utf8(commandEndpoint);
        final int maxLength = limits.maxEndpointLength();
        Fields.checkLength("syncEndpointLength", sync.length, maxLength);
        Fields.checkLength("commandEndpointLength", command.length, maxLength);
        Fields.checkLength("publicKeyLength", publicKey.length, maxLength);
        int position = Fields.putVar(buffer, offset + MemberCardDecoder.SYNC_ENDPOINT_OFFSET, sync);
        position = Fields.putVar(buffer, position, command);
        limit = Fields.putVar(buffer, position, publicKey);
        return this;
    }

    /**
     * Bytes written so far from the wrapped offset.
     *
     * @return the encoded length once the endpoints are written.
     */
    public int encodedLength()
    {
        return limit - offset;
    }
}
