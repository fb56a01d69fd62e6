package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a view value: a membership view {@code (lineage, epoch, members)} with the members it removed from its
 * predecessor. It is what a proposer asks the members to accept ({@link MessageType#VIEW_ACCEPT}), what an
 * acceptor reports having accepted ({@link MessageType#VIEW_PROMISE}) and what is installed
 * ({@link MessageType#VIEW_COMMIT}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                         Lineage (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                          Epoch (64)                           +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Flags (FLAG_DISSOLVE = 1)                  | 16
 *  +---------------------------------------------------------------+
 *  |                        Member Count (m)                       | 20
 *  +---------------------------------------------------------------+
 *  |                        Removed Count (r)                      | 24
 *  +---------------------------------------------------------------+
 *  |                           Reserved                            | 28
 *  +---------------------------------------------------------------+
 *  |          m member cards, back to back (MemberCardDecoder)    ... 32
 *  +---------------------------------------------------------------+
 *  |  r x (Node Id (64), Incarnation (64), Reason (32), Reserved) ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Both counts are at most {@link CodecLimits#maxMembers()}. Wrap only a value inside a body that
 * {@link FrameDecoder} accepted.
 */
public final class ViewValueDecoder
{
    /** Flag: the view dissolves its cluster (its members rejoin the winner of a merge). */
    public static final int FLAG_DISSOLVE = 1;

    static final int LINEAGE_OFFSET = 0;
    static final int EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int FLAGS_OFFSET = EPOCH_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_COUNT_OFFSET = FLAGS_OFFSET + SIZE_OF_INT;
    static final int REMOVED_COUNT_OFFSET = MEMBER_COUNT_OFFSET + SIZE_OF_INT;
    static final int RESERVED_OFFSET = REMOVED_COUNT_OFFSET + SIZE_OF_INT;
    static final int MEMBERS_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    static final int REMOVED_NODE_ID_OFFSET = 0;
    static final int REMOVED_INCARNATION_OFFSET = REMOVED_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int REMOVED_REASON_OFFSET = REMOVED_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int REMOVED_RESERVED_OFFSET = REMOVED_REASON_OFFSET + SIZE_OF_INT;
    static final int REMOVED_ENTRY_LENGTH = REMOVED_RESERVED_OFFSET + SIZE_OF_INT;
    /** Length of a value with no member and no removed entry. */
    public static final int MIN_LENGTH = MEMBERS_OFFSET;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int removedOffset;
    private int nextMemberOffset;
    private int membersRead;

    /**
     * Wraps a value inside an accepted body and rewinds the member cursor.
     *
     * @param buffer holding the value.
     * @param offset where the value starts.
     * @param length bytes from the offset to the end of the body holding it.
     * @return this for a fluent API.
     */
    public ViewValueDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        int position = offset + MEMBERS_OFFSET;
        for (int i = 0, count = memberCount(); i < count; i++)
        {
            position = MemberCardDecoder.end(buffer, position);
        }
        removedOffset = position;
        nextMemberOffset = offset + MEMBERS_OFFSET;
        membersRead = 0;
        return this;
    }

    /**
     * Validates one value at {@code offset} that must end by {@code limit}.
     *
     * @return the offset after it, or a negative error for {@link Fields#result(int)}.
     */
    static int skipEntry(final DirectBuffer buffer, final int offset, final int limit, final CodecLimits limits)
    {
        if (offset > limit - MIN_LENGTH)
        {
            return Fields.error(DecodeResult.BAD_FIELD_LENGTH);
        }
        final int memberCount = buffer.getInt(offset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
        final int removedCount = buffer.getInt(offset + REMOVED_COUNT_OFFSET, BYTE_ORDER);
        if (memberCount < 0 || removedCount < 0)
        {
            return Fields.error(DecodeResult.BAD_FIELD_LENGTH);
        }
        if (memberCount > limits.maxMembers() || removedCount > limits.maxMembers())
        {
            return Fields.error(DecodeResult.FIELD_TOO_LARGE);
        }
        int position = offset + MEMBERS_OFFSET;
        for (int i = 0; i < memberCount && position >= 0; i++)
        {
            position = MemberCardDecoder.skipEntry(buffer, position, limit, limits);
        }
        if (position >= 0)
        {
            position = Fields.skipFixedList(position, limit, removedCount, REMOVED_ENTRY_LENGTH, limits.maxMembers());
        }
        return position;
    }

    /**
     * Length of the wrapped value.
     *
     * @return bytes from the wrapped offset to the end of the last removed entry.
     */
    public int encodedLength()
    {
        return removedOffset - offset + removedCount() * REMOVED_ENTRY_LENGTH;
    }

    /**
     * The lineage: drawn at random by the founder of the cluster instance, the same in all its views.
     *
     * @return the lineage.
     */
    public long lineage()
    {
        return buffer.getLong(offset + LINEAGE_OFFSET, BYTE_ORDER);
    }

    /**
     * The epoch of the view: 1 for the founding view, one more for each successor.
     *
     * @return the epoch.
     */
    public long epoch()
    {
        return buffer.getLong(offset + EPOCH_OFFSET, BYTE_ORDER);
    }

    /**
     * The view's flags.
     *
     * @return a combination of the {@code FLAG_} constants.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Number of member cards.
     *
     * @return the member count.
     */
    public int memberCount()
    {
        return buffer.getInt(offset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * Wraps the next member card.
     *
     * @param card decoder to wrap.
     * @return false when every card has been read.
     */
    public boolean nextMember(final MemberCardDecoder card)
    {
        if (membersRead >= memberCount())
        {
            return false;
        }
        card.wrap(buffer, nextMemberOffset, offset + length - nextMemberOffset);
        nextMemberOffset += card.encodedLength();
        membersRead++;
        return true;
    }

    /**
     * Number of members removed from the predecessor view.
     *
     * @return the removed count.
     */
    public int removedCount()
    {
        return buffer.getInt(offset + REMOVED_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * A removed member's node id.
     *
     * @param index from 0 to {@link #removedCount()} - 1.
     * @return the node id.
     */
    public long removedNodeId(final int index)
    {
        return buffer.getLong(removedOffset + index * REMOVED_ENTRY_LENGTH + REMOVED_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The incarnation a removed member had in the predecessor view.
     *
     * @param index from 0 to {@link #removedCount()} - 1.
     * @return the incarnation.
     */
    public long removedIncarnation(final int index)
    {
        return buffer.getLong(removedOffset + index * REMOVED_ENTRY_LENGTH + REMOVED_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Why a member was removed.
     *
     * @param index from 0 to {@link #removedCount()} - 1.
     * @return one of {@link ReasonCode}.
     */
    public int removedReason(final int index)
    {
        return buffer.getInt(removedOffset + index * REMOVED_ENTRY_LENGTH + REMOVED_REASON_OFFSET, BYTE_ORDER);
    }
}
