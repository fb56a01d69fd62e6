package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SNAPSHOT_REQUEST} body. Command: asks a member for a snapshot of the replicated state, streamed as SNAPSHOT_CHUNKs.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                       Owner Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Max Chunk Length                       | 16
 *  +---------------------------------------------------------------+
 *  |                             Flags                             | 20
 *  +---------------------------------------------------------------+
 *  |               Floor Count (f, with FLAG_ROOM_FLOORS)          | 24
 *  +---------------------------------------------------------------+
 *  |     f x (Node Id (64), Incarnation (64), Sequence (64))      ... 28
 *  +---------------------------------------------------------------+
 * </pre>
 * Flags say which rooms the requester wants after the owner's rows:
 * <ul>
 * <li>{@link #FLAG_ROOM_TABLE_COMPLETE}: its room table already holds every room but those the owner's own operations
 * created or removed (it has applied every other stream it syncs), so an owner that never changed a room in this
 * incarnation sends no rooms;</li>
 * <li>{@link #FLAG_NO_ROOMS}: none (another member sends them);</li>
 * <li>{@link #FLAG_ROOM_FLOORS}: every room, but only once the owner has applied the stream of each node named in the
 * floors (that incarnation) up to the sequence given: the requester's snapshots of those nodes start there, so the
 * room table must hold every room change they made up to it.</li>
 * </ul>
 * Unknown flags are ignored (a requester that sends 0 is sent every room). The flags came with major version 5:
 * a member of major 4 would send rooms without waiting for the floors, so the two never form one cluster.
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SnapshotRequestDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int OWNER_NODE_ID_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int MAX_CHUNK_LENGTH_OFFSET = OWNER_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int FLAGS_OFFSET = MAX_CHUNK_LENGTH_OFFSET + SIZE_OF_INT;
    /** Length of the body. */
    public static final int BODY_LENGTH = FLAGS_OFFSET + SIZE_OF_INT;
    /** The requester holds every room but those the owner's own operations changed. */
    public static final int FLAG_ROOM_TABLE_COMPLETE = 1;
    /** The requester wants no rooms. */
    public static final int FLAG_NO_ROOMS = 2;
    /** The rooms are wanted once the owner has applied the floors that follow the flags. */
    public static final int FLAG_ROOM_FLOORS = 4;
    static final int FLOOR_COUNT_OFFSET = BODY_LENGTH;
    static final int FIRST_FLOOR_OFFSET = FLOOR_COUNT_OFFSET + SIZE_OF_INT;
    /** Length of one floor: node id, incarnation, sequence. */
    public static final int FLOOR_LENGTH = 3 * SIZE_OF_LONG;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body (may exceed {@link #BODY_LENGTH} for a newer minor version).
     * @return this for a fluent API.
     */
    public SnapshotRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The length of a body with this many floors.
     *
     * @param floors the floor count; with 0 the body has no floor section.
     * @return bytes.
     */
    public static int lengthWithFloors(final int floors)
    {
        return 0 == floors ? BODY_LENGTH : FIRST_FLOOR_OFFSET + floors * FLOOR_LENGTH;
    }

    /**
     * Checks that a body is long enough and its values are in range.
     *
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength length of the body.
     * @return {@link DecodeResult#OK} or why the body is malformed.
     */
    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int maxChunkLength = buffer.getInt(bodyOffset + MAX_CHUNK_LENGTH_OFFSET, BYTE_ORDER);
        if (maxChunkLength < 0)
        {
            return DecodeResult.BAD_FIELD_VALUE;
        }
        if (0 == (buffer.getInt(bodyOffset + FLAGS_OFFSET, BYTE_ORDER) & FLAG_ROOM_FLOORS))
        {
            return DecodeResult.OK;
        }
        if (bodyLength < FIRST_FLOOR_OFFSET)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int floors = buffer.getInt(bodyOffset + FLOOR_COUNT_OFFSET, BYTE_ORDER);
        if (floors < 0 || floors > limits.maxMembers())
        {
            return DecodeResult.BAD_FIELD_VALUE;
        }
        return bodyLength < FIRST_FLOOR_OFFSET + floors * FLOOR_LENGTH ? DecodeResult.TRUNCATED_MESSAGE :
            DecodeResult.OK;
    }

    /**
     * Reads matches the chunks to the request.
     *
     * @return the value.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the owner whose rows are wanted, or 0 for every owner and every room.
     *
     * @return the value.
     */
    public long ownerNodeId()
    {
        return buffer.getLong(offset + OWNER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the most bytes a chunk may take, 0 for the responder's default.
     *
     * @return the value.
     */
    public int maxChunkLength()
    {
        return buffer.getInt(offset + MAX_CHUNK_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the flags, e.g. {@link #FLAG_ROOM_TABLE_COMPLETE}.
     *
     * @return the value.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads how many floors follow the flags: 0 without {@link #FLAG_ROOM_FLOORS}.
     *
     * @return the count.
     */
    public int floorCount()
    {
        return 0 == (flags() & FLAG_ROOM_FLOORS) ? 0 : buffer.getInt(offset + FLOOR_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the node of a floor.
     *
     * @param index from 0 to {@link #floorCount()} - 1.
     * @return its node id.
     */
    public long floorNodeId(final int index)
    {
        return buffer.getLong(offset + FIRST_FLOOR_OFFSET + index * FLOOR_LENGTH, BYTE_ORDER);
    }

    /**
     * Reads the incarnation of a floor's node.
     *
     * @param index from 0 to {@link #floorCount()} - 1.
     * @return its incarnation.
     */
    public long floorIncarnation(final int index)
    {
        return buffer.getLong(offset + FIRST_FLOOR_OFFSET + index * FLOOR_LENGTH + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * Reads the sequence of a floor: the owner must have applied the node's stream up to it.
     *
     * @param index from 0 to {@link #floorCount()} - 1.
     * @return the broadcast sequence.
     */
    public long floorSequence(final int index)
    {
        return buffer.getLong(offset + FIRST_FLOOR_OFFSET + index * FLOOR_LENGTH + 2 * SIZE_OF_LONG, BYTE_ORDER);
    }
}
