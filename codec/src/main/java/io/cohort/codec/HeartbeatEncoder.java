package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Writes a {@link MessageType#HEARTBEAT} body at an offset claimed for {@link #computeLength(int, int)}
 * bytes. Layout: {@link HeartbeatDecoder}. Set {@link #memberCount(int)} before any directed entry, since
 * the directed list follows the members. {@link #wrap} sets the view and heartbeat sequence to 0, and
 * {@link #member(int, long)} the entry's fields other than the node id.
 */
public final class HeartbeatEncoder
{
    private final CodecLimits limits;
    private MutableDirectBuffer buffer;
    private int offset;
    private int memberCount;
    private int directedCount;

    /**
     * An encoder enforcing the default {@link CodecLimits}.
     */
    public HeartbeatEncoder()
    {
        this(CodecLimits.DEFAULT);
    }

    /**
     * An encoder enforcing the given limits.
     *
     * @param limits maximum sizes.
     */
    public HeartbeatEncoder(final CodecLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Length of a body with lists of the given sizes.
     *
     * @param memberCount   members in the view.
     * @param directedCount directed streams listed.
     * @return the body length to claim.
     */
    public static int computeLength(final int memberCount, final int directedCount)
    {
        return HeartbeatDecoder.MEMBERS_OFFSET +
            memberCount * HeartbeatDecoder.MEMBER_ENTRY_LENGTH +
            directedCount * HeartbeatDecoder.DIRECTED_ENTRY_LENGTH;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}, with empty lists.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        memberCount = 0;
        directedCount = 0;
        buffer.putInt(offset + HeartbeatDecoder.FLAGS_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + HeartbeatDecoder.MEMBER_COUNT_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + HeartbeatDecoder.DIRECTED_COUNT_OFFSET, 0, BYTE_ORDER);
        buffer.putInt(offset + HeartbeatDecoder.RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(offset + HeartbeatDecoder.LINEAGE_OFFSET, 0L, BYTE_ORDER);
        buffer.putLong(offset + HeartbeatDecoder.EPOCH_OFFSET, 0L, BYTE_ORDER);
        buffer.putLong(offset + HeartbeatDecoder.HEARTBEAT_SEQ_OFFSET, 0L, BYTE_ORDER);
        return this;
    }

    /**
     * Sets when it is sent, by the sender's clock.
     *
     * @param sendTimeNs nanoseconds.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder sendTimeNs(final long sendTimeNs)
    {
        buffer.putLong(offset + HeartbeatDecoder.SEND_TIME_OFFSET, sendTimeNs, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the last sequence of the sender's broadcast stream.
     *
     * @param sequence the last broadcast sequence sent.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder lastBroadcastSequence(final long sequence)
    {
        buffer.putLong(offset + HeartbeatDecoder.LAST_BROADCAST_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the digest of the sender's own rows.
     *
     * @param digest the order-independent digest.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder stateDigest(final long digest)
    {
        buffer.putLong(offset + HeartbeatDecoder.STATE_DIGEST_OFFSET, digest, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the flags.
     *
     * @param flags a combination of {@link HeartbeatDecoder}'s {@code FLAG_} constants.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder flags(final int flags)
    {
        buffer.putInt(offset + HeartbeatDecoder.FLAGS_OFFSET, flags, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the size of the membership view, before any directed entry.
     *
     * @param count members in the view.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if above {@link CodecLimits#maxMembers()}.
     * @throws IllegalStateException if directed entries were already written.
     */
    public HeartbeatEncoder memberCount(final int count)
    {
        if (directedCount > 0)
        {
            throw new IllegalStateException("memberCount must be set before directed entries");
        }
        memberCount = Fields.checkLength("memberCount", count, limits.maxMembers());
        buffer.putInt(offset + HeartbeatDecoder.MEMBER_COUNT_OFFSET, count, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sender's installed view.
     *
     * @param lineage the view's lineage.
     * @param epoch   the view's epoch.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder view(final long lineage, final long epoch)
    {
        buffer.putLong(offset + HeartbeatDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        buffer.putLong(offset + HeartbeatDecoder.EPOCH_OFFSET, epoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the sender's heartbeat sequence.
     *
     * @param heartbeatSeq one more than the previous heartbeat's.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder heartbeatSeq(final long heartbeatSeq)
    {
        buffer.putLong(offset + HeartbeatDecoder.HEARTBEAT_SEQ_OFFSET, heartbeatSeq, BYTE_ORDER);
        return this;
    }

    /**
     * Sets a member of the view, with no echo and no reachability row (0).
     *
     * @param index  from 0 to the member count - 1.
     * @param nodeId the member's node id.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder member(final int index, final long nodeId)
    {
        return member(index, nodeId, 0L, 0L, 0L);
    }

    /**
     * Sets a member of the view with what the sender knows of it.
     *
     * @param index              from 0 to the member count - 1.
     * @param nodeId             the member's node id.
     * @param echoedHeartbeatSeq the last heartbeat sequence of the member the sender heard.
     * @param rowVersion         the version of the member's reachability row the sender knows.
     * @param unreachableBits    that row: bit i set when the member does not hear the member of rank i.
     * @return this for a fluent API.
     */
    public HeartbeatEncoder member(
        final int index,
        final long nodeId,
        final long echoedHeartbeatSeq,
        final long rowVersion,
        final long unreachableBits)
    {
        if (index < 0 || index >= memberCount)
        {
            throw new IndexOutOfBoundsException("index=" + index + " outside memberCount=" + memberCount);
        }
        final int entryOffset = offset + HeartbeatDecoder.MEMBERS_OFFSET + index * HeartbeatDecoder.MEMBER_ENTRY_LENGTH;
        buffer.putLong(entryOffset + HeartbeatDecoder.MEMBER_NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putLong(
            entryOffset + HeartbeatDecoder.MEMBER_ECHOED_HEARTBEAT_SEQ_OFFSET, echoedHeartbeatSeq, BYTE_ORDER);
        buffer.putLong(entryOffset + HeartbeatDecoder.MEMBER_ROW_VERSION_OFFSET, rowVersion, BYTE_ORDER);
        buffer.putLong(entryOffset + HeartbeatDecoder.MEMBER_UNREACHABLE_BITS_OFFSET, unreachableBits, BYTE_ORDER);
        return this;
    }

    /**
     * Appends the last sequence sent on the directed stream to a destination.
     *
     * @param destinationNodeId the destination.
     * @param lastSequence      the last directed sequence sent to it.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if more than {@link CodecLimits#maxMembers()} entries.
     */
    public HeartbeatEncoder addDirected(final long destinationNodeId, final long lastSequence)
    {
        Fields.checkLength("directedCount", directedCount + 1, limits.maxMembers());
        final int entryOffset = offset + HeartbeatDecoder.MEMBERS_OFFSET +
            memberCount * HeartbeatDecoder.MEMBER_ENTRY_LENGTH + directedCount * HeartbeatDecoder.DIRECTED_ENTRY_LENGTH;
        buffer.putLong(entryOffset, destinationNodeId, BYTE_ORDER);
        buffer.putLong(entryOffset + SIZE_OF_LONG, lastSequence, BYTE_ORDER);
        buffer.putInt(offset + HeartbeatDecoder.DIRECTED_COUNT_OFFSET, ++directedCount, BYTE_ORDER);
        return this;
    }

    /**
     * Bytes the body takes with the lists written so far.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return computeLength(memberCount, directedCount);
    }
}
