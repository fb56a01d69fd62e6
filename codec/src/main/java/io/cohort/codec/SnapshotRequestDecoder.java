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
 * </pre>
 * {@link #FLAG_ROOM_TABLE_COMPLETE}: the requester's room table already holds every room but those the owner's own
 * operations created or removed (it has applied every other stream it syncs), so an owner that never changed a room
 * in this incarnation sends no rooms. Unknown flags are ignored: a requester of an older minor version sends 0 and is
 * sent every room, as before.
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
     * Checks that a body is long enough and its values are in range.
     *
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength length of the body.
     * @return {@link DecodeResult#OK} or why the body is malformed.
     */
    static DecodeResult validate(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int maxChunkLength = buffer.getInt(bodyOffset + MAX_CHUNK_LENGTH_OFFSET, BYTE_ORDER);
        return maxChunkLength < 0 ? DecodeResult.BAD_FIELD_VALUE : DecodeResult.OK;
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
}
