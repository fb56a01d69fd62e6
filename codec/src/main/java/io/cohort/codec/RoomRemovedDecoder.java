package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#ROOM_REMOVED} body. A room no longer exists anywhere in the cluster.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                          Room Id (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Covered Count (32)                       | 8   (optional: absent means 0)
 *  +---------------------------------------------------------------+
 *  |  Covered entries: Node Id (64), Incarnation (64), Sequence (64) | 12  (24 bytes each)
 *  +---------------------------------------------------------------+
 * </pre>
 * The covered entries say how far the remover had applied each member's broadcast stream when it sent the removal:
 * every creation of the room at or before that sequence of that member's stream is undone by this removal, even at a
 * node that receives the removal first (streams from different senders are not ordered with each other). A body of
 * {@link #BODY_LENGTH} bytes covers nothing beyond what the receiver has applied.
 * <p>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class RoomRemovedDecoder
{
    static final int ROOM_ID_OFFSET = 0;
    static final int COVERED_COUNT_OFFSET = ROOM_ID_OFFSET + SIZE_OF_LONG;
    static final int COVERED_OFFSET = COVERED_COUNT_OFFSET + SIZE_OF_INT;
    /** Bytes of one covered entry: node id, incarnation, sequence. */
    public static final int COVERED_ENTRY_LENGTH = 3 * SIZE_OF_LONG;
    /** Length of the body without covered entries (the shortest body accepted). */
    public static final int BODY_LENGTH = ROOM_ID_OFFSET + SIZE_OF_LONG;

    private DirectBuffer buffer;
    private int offset;
    private int coveredCount;

    /**
     * Checks the body: the room id, and the covered entries if the body has them.
     *
     * @param buffer     holding the body.
     * @param bodyOffset where it starts.
     * @param bodyLength its length.
     * @param limits     the most members a list may hold.
     * @return {@link DecodeResult#OK} or why it is malformed.
     */
    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        if (bodyLength == BODY_LENGTH)
        {
            return DecodeResult.OK;
        }
        if (bodyLength < COVERED_OFFSET)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int count = buffer.getInt(bodyOffset + COVERED_COUNT_OFFSET, BYTE_ORDER);
        return Fields.result(Fields.skipFixedList(
            bodyOffset + COVERED_OFFSET, bodyOffset + bodyLength, count, COVERED_ENTRY_LENGTH, limits.maxMembers()));
    }

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body (a body of {@link #BODY_LENGTH} bytes has no covered entries).
     * @return this for a fluent API.
     */
    public RoomRemovedDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.coveredCount = length >= COVERED_OFFSET ? buffer.getInt(offset + COVERED_COUNT_OFFSET, BYTE_ORDER) : 0;
        return this;
    }

    /**
     * Reads the removed room.
     *
     * @return the value.
     */
    public long roomId()
    {
        return buffer.getLong(offset + ROOM_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @return how many members' streams the removal covers a part of.
     */
    public int coveredCount()
    {
        return coveredCount;
    }

    /**
     * @param index from 0 to {@link #coveredCount()} - 1.
     * @return the node id of a member whose stream the remover had applied.
     */
    public long coveredNodeId(final int index)
    {
        return buffer.getLong(coveredAt(index), BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #coveredCount()} - 1.
     * @return that member's incarnation (a sequence belongs to one incarnation's stream).
     */
    public long coveredIncarnation(final int index)
    {
        return buffer.getLong(coveredAt(index) + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #coveredCount()} - 1.
     * @return the last sequence of that member's broadcast stream the remover had applied.
     */
    public long coveredSequence(final int index)
    {
        return buffer.getLong(coveredAt(index) + 2 * SIZE_OF_LONG, BYTE_ORDER);
    }

    private int coveredAt(final int index)
    {
        return offset + COVERED_OFFSET + index * COVERED_ENTRY_LENGTH;
    }
}
