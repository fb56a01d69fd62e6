package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a view value for {@link #computeLength(int, int)} bytes: set the fixed fields, {@link #addMember} each
 * member (in rank order), then {@link #addRemoved} each member removed from the predecessor (the removed entries
 * follow the cards). Layout: {@link ViewValueDecoder}. Views change rarely, so the member cards keep the
 * convenience of {@code String} and {@code byte[]} fields.
 */
public final class ViewValueEncoder
{
    private static final int NO_LENGTH_FIELD = -1;

    private final CodecLimits limits;
    private final MemberCardEncoder card;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int lengthFieldOffset;
    private int memberCount;
    private int removedCount;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public ViewValueEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public ViewValueEncoder(final CodecLimits limits)
    {
        this.limits = limits;
        card = new MemberCardEncoder(limits);
    }

    /**
     * Length of a value with the given cards and removed entries.
     *
     * @param totalCardLength sum of {@link MemberCardEncoder#computeLength} over the members.
     * @param removedCount    members removed from the predecessor.
     * @return the length the value takes.
     */
    public static int computeLength(final int totalCardLength, final int removedCount)
    {
        return ViewValueDecoder.MIN_LENGTH + totalCardLength + removedCount * ViewValueDecoder.REMOVED_ENTRY_LENGTH;
    }

    /**
     * Wraps a value with no member and no removed entry yet, and every field 0.
     *
     * @param buffer to write into.
     * @param offset where the value starts.
     * @return this for a fluent API.
     */
    public ViewValueEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        return wrap(buffer, offset, NO_LENGTH_FIELD);
    }

    /**
     * Wraps a value preceded by an int32 length field, which each append keeps equal to the value's length.
     */
    ViewValueEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int lengthFieldOffset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.lengthFieldOffset = lengthFieldOffset;
        memberCount = 0;
        removedCount = 0;
        buffer.putLong(offset + ViewValueDecoder.LINEAGE_OFFSET, 0L, BYTE_ORDER);
        buffer.putLong(offset + ViewValueDecoder.EPOCH_OFFSET, 0L, BYTE_ORDER);
        buffer.putInt(offset + ViewValueDecoder.FLAGS_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + ViewValueDecoder.MEMBER_COUNT_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + ViewValueDecoder.REMOVED_COUNT_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + ViewValueDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        setLimit(offset + ViewValueDecoder.MIN_LENGTH);
        return this;
    }

    private void setLimit(final int limit)
    {
        this.limit = limit;
        if (NO_LENGTH_FIELD != lengthFieldOffset)
        {
            buffer.putInt(lengthFieldOffset, limit - offset, BYTE_ORDER);
        }
    }

    /**
     * Sets the lineage of the cluster instance.
     *
     * @param lineage drawn by the founder.
     * @return this for a fluent API.
     */
    public ViewValueEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewValueDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the view.
     *
     * @param epoch 1 for a founding view.
     * @return this for a fluent API.
     */
    public ViewValueEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + ViewValueDecoder.EPOCH_OFFSET, epoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the flags.
     *
     * @param flags a combination of {@link ViewValueDecoder}'s {@code FLAG_} constants.
     * @return this for a fluent API.
     */
    public ViewValueEncoder flags(final int flags)
    {
        buffer.putInt(offset + ViewValueDecoder.FLAGS_OFFSET, flags, BYTE_ORDER);
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
     * @throws IllegalStateException if a removed entry was added already (they follow the cards).
     * @throws IllegalArgumentException if more than {@link CodecLimits#maxMembers()} members, or a field exceeds
     * its maximum.
     */
    public ViewValueEncoder addMember(
        final long nodeId,
        final long incarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final byte[] publicKey)
    {
        if (0 != removedCount)
        {
            throw new IllegalStateException("addMember after addRemoved: the removed entries follow the cards");
        }
        Fields.checkLength("memberCount", memberCount + 1, limits.maxMembers());
        card.wrap(buffer, limit).nodeId(nodeId).incarnation(incarnation)
            .endpoints(syncEndpoint, commandEndpoint, publicKey);
        buffer.putInt(offset + ViewValueDecoder.MEMBER_COUNT_OFFSET, ++memberCount, BYTE_ORDER);
        setLimit(limit + card.encodedLength());
        return this;
    }

    /**
     * Appends a member removed from the predecessor view.
     *
     * @param nodeId      its node id.
     * @param incarnation the incarnation it had in the predecessor.
     * @param reason      why, one of {@link ReasonCode}.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if more than {@link CodecLimits#maxMembers()} entries.
     */
    public ViewValueEncoder addRemoved(final long nodeId, final long incarnation, final int reason)
    {
        Fields.checkLength("removedCount", removedCount + 1, limits.maxMembers());
        buffer.putLong(limit + ViewValueDecoder.REMOVED_NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putLong(limit + ViewValueDecoder.REMOVED_INCARNATION_OFFSET, incarnation, BYTE_ORDER);
        buffer.putInt(limit + ViewValueDecoder.REMOVED_REASON_OFFSET, reason, BYTE_ORDER);
        buffer.putInt(limit + ViewValueDecoder.REMOVED_RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + ViewValueDecoder.REMOVED_COUNT_OFFSET, ++removedCount, BYTE_ORDER);
        setLimit(limit + ViewValueDecoder.REMOVED_ENTRY_LENGTH);
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
