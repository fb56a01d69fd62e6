package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Writes a {@link MessageType#ROOM_REMOVED} body at an offset claimed with {@link FrameEncoder#claim}: the room id
 * alone ({@link #BODY_LENGTH} bytes), or with covered entries ({@link #bodyLength(int)} bytes, written with
 * {@link #coveredCount} and {@link #covered}). Layout: {@link RoomRemovedDecoder}.
 */
public final class RoomRemovedEncoder
{
    /** Length of the body without covered entries. */
    public static final int BODY_LENGTH = RoomRemovedDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Length of a body with covered entries.
     *
     * @param coveredCount how many members' streams it covers.
     * @return bytes to claim.
     */
    public static int bodyLength(final int coveredCount)
    {
        return RoomRemovedDecoder.COVERED_OFFSET + coveredCount * RoomRemovedDecoder.COVERED_ENTRY_LENGTH;
    }

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public RoomRemovedEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the removed room.
     *
     * @param roomId the value.
     * @return this for a fluent API.
     */
    public RoomRemovedEncoder roomId(final long roomId)
    {
        buffer.putLong(offset + RoomRemovedDecoder.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets how many covered entries follow (the body must have been claimed with {@link #bodyLength(int)}).
     *
     * @param count the number of entries.
     * @return this for a fluent API.
     */
    public RoomRemovedEncoder coveredCount(final int count)
    {
        buffer.putInt(offset + RoomRemovedDecoder.COVERED_COUNT_OFFSET, count, BYTE_ORDER);
        return this;
    }

    /**
     * Sets a covered entry: the remover had applied a member's broadcast stream up to a sequence.
     *
     * @param index       from 0 to the covered count - 1.
     * @param nodeId      the member.
     * @param incarnation its incarnation.
     * @param sequence    the last sequence of its stream applied.
     * @return this for a fluent API.
     */
    public RoomRemovedEncoder covered(final int index, final long nodeId, final long incarnation, final long sequence)
    {
        final int at = offset + RoomRemovedDecoder.COVERED_OFFSET + index * RoomRemovedDecoder.COVERED_ENTRY_LENGTH;
        buffer.putLong(at, nodeId, BYTE_ORDER);
        buffer.putLong(at + SIZE_OF_LONG, incarnation, BYTE_ORDER);
        buffer.putLong(at + 2 * SIZE_OF_LONG, sequence, BYTE_ORDER);
        return this;
    }
}
