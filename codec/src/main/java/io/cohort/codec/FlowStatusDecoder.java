package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#FLOW_STATUS} body. Command, replica to owner: the last message of the owner's
 * broadcast stream (of one incarnation of it) that the replica has applied, and the last message of the owner's
 * directed stream to the replica (its notifications) that the replica has taken; the owner bounds what it sends
 * beyond the slowest replica's broadcast position, and what it sends on each directed stream beyond that
 * destination's position. Values are absolute, so a lost or repeated status costs nothing.
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
 *  |                                                               | 16
 *  +               Applied Directed Sequence (64)                  +  (appended)
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * The directed sequence was appended to the body as {@link FrameLayout}'s compatibility rule allows: a body of
 * {@link #MIN_LENGTH} bytes (from a sender that predates it) is valid and reads as {@link #NO_DIRECTED_SEQUENCE}.
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class FlowStatusDecoder
{
    static final int OWNER_INCARNATION_OFFSET = 0;
    static final int APPLIED_BROADCAST_SEQUENCE_OFFSET = OWNER_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int APPLIED_DIRECTED_SEQUENCE_OFFSET = APPLIED_BROADCAST_SEQUENCE_OFFSET + SIZE_OF_LONG;
    /** Length of the body a receiver accepts: the fields before the directed sequence was appended. */
    public static final int MIN_LENGTH = APPLIED_DIRECTED_SEQUENCE_OFFSET;
    /** Length of the body as this version writes it. */
    public static final int BODY_LENGTH = APPLIED_DIRECTED_SEQUENCE_OFFSET + SIZE_OF_LONG;
    /** What {@link #appliedDirectedSequence()} reads from a body without the field (a sender that predates it). */
    public static final long NO_DIRECTED_SEQUENCE = -1;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body: at least {@link #MIN_LENGTH}, and may exceed {@link #BODY_LENGTH} for a
     *               newer minor version.
     * @return this for a fluent API.
     */
    public FlowStatusDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
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

    /**
     * Reads the sequence of the last message of the owner's directed stream to the replica that the replica has
     * taken (0 before the first).
     *
     * @return the value, or {@link #NO_DIRECTED_SEQUENCE} if the sender wrote no such field.
     */
    public long appliedDirectedSequence()
    {
        return length < BODY_LENGTH ?
            NO_DIRECTED_SEQUENCE : buffer.getLong(offset + APPLIED_DIRECTED_SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
