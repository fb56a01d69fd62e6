package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#FLOW_STATUS} body. Command, replica to owner: the last message of the owner's
 * broadcast stream (of one incarnation of it) that the replica has applied; the owner bounds what it sends
 * beyond the slowest replica's position. Values are absolute, so a lost or repeated status costs nothing.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                    Owner Incarnation (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +               Applied Broadcast Sequence (64)                 +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class FlowStatusDecoder
{
    static final int OWNER_INCARNATION_OFFSET = 0;
    static final int APPLIED_BROADCAST_SEQUENCE_OFFSET = OWNER_INCARNATION_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = APPLIED_BROADCAST_SEQUENCE_OFFSET + SIZE_OF_LONG;

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
    public FlowStatusDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the incarnation of the owner whose stream the status is about.
     *
     * @return the value.
     */
    public long ownerIncarnation()
    {
        return buffer.getLong(offset + OWNER_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the sequence of the last broadcast message of the owner the replica has applied.
     *
     * @return the value.
     */
    public long appliedBroadcastSequence()
    {
        return buffer.getLong(offset + APPLIED_BROADCAST_SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
