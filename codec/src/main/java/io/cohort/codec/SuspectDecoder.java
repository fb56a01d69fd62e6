package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SUSPECT} body. The sender suspects a node of being desynchronised or dead; eviction needs more than one suspicion.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Accused Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                    Accused Incarnation (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                     Expected Sequence (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                     Observed Sequence (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                             Reason                            | 32
 *  +---------------------------------------------------------------+
 *  |                            Reserved                           | 36
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SuspectDecoder
{
    static final int ACCUSED_NODE_ID_OFFSET = 0;
    static final int ACCUSED_INCARNATION_OFFSET = ACCUSED_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int EXPECTED_SEQUENCE_OFFSET = ACCUSED_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int OBSERVED_SEQUENCE_OFFSET = EXPECTED_SEQUENCE_OFFSET + SIZE_OF_LONG;
    static final int REASON_OFFSET = OBSERVED_SEQUENCE_OFFSET + SIZE_OF_LONG;
    static final int RESERVED_OFFSET = REASON_OFFSET + SIZE_OF_INT;
    /** Length of the body. */
    public static final int BODY_LENGTH = RESERVED_OFFSET + SIZE_OF_INT;

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
    public SuspectDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the suspected node.
     *
     * @return the value.
     */
    public long accusedNodeId()
    {
        return buffer.getLong(offset + ACCUSED_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads its incarnation.
     *
     * @return the value.
     */
    public long accusedIncarnation()
    {
        return buffer.getLong(offset + ACCUSED_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the sequence the sender expected from it, or -1.
     *
     * @return the value.
     */
    public long expectedSequence()
    {
        return buffer.getLong(offset + EXPECTED_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the sequence the sender saw instead, or -1.
     *
     * @return the value.
     */
    public long observedSequence()
    {
        return buffer.getLong(offset + OBSERVED_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads why, one of ReasonCode.
     *
     * @return the value.
     */
    public int reason()
    {
        return buffer.getInt(offset + REASON_OFFSET, BYTE_ORDER);
    }
}
