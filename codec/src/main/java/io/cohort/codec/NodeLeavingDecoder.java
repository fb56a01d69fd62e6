package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#NODE_LEAVING} body. A node leaves the cluster gracefully; its rows are removed everywhere at once.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                          Node Id (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                        Incarnation (64)                       +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                  Last Broadcast Sequence (64)                 +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class NodeLeavingDecoder
{
    static final int NODE_ID_OFFSET = 0;
    static final int INCARNATION_OFFSET = NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int LAST_BROADCAST_SEQUENCE_OFFSET = INCARNATION_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = LAST_BROADCAST_SEQUENCE_OFFSET + SIZE_OF_LONG;

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
    public NodeLeavingDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the leaving node.
     *
     * @return the value.
     */
    public long nodeId()
    {
        return buffer.getLong(offset + NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads its incarnation.
     *
     * @return the value.
     */
    public long incarnation()
    {
        return buffer.getLong(offset + INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the last broadcast sequence it sent, so that a lost tail is still detected.
     *
     * @return the value.
     */
    public long lastBroadcastSequence()
    {
        return buffer.getLong(offset + LAST_BROADCAST_SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
