package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#NODE_EVICTED} body. A node has been evicted from the cluster: it must stop, and everyone removes its rows.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Evicted Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                    Evicted Incarnation (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                      Accuser Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                             Reason                            | 24
 *  +---------------------------------------------------------------+
 *  |                            Reserved                           | 28
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class NodeEvictedDecoder
{
    static final int EVICTED_NODE_ID_OFFSET = 0;
    static final int EVICTED_INCARNATION_OFFSET = EVICTED_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int ACCUSER_NODE_ID_OFFSET = EVICTED_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int REASON_OFFSET = ACCUSER_NODE_ID_OFFSET + SIZE_OF_LONG;
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
    public NodeEvictedDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the evicted node.
     *
     * @return the value.
     */
    public long evictedNodeId()
    {
        return buffer.getLong(offset + EVICTED_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads its incarnation.
     *
     * @return the value.
     */
    public long evictedIncarnation()
    {
        return buffer.getLong(offset + EVICTED_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the node that announced the eviction.
     *
     * @return the value.
     */
    public long accuserNodeId()
    {
        return buffer.getLong(offset + ACCUSER_NODE_ID_OFFSET, BYTE_ORDER);
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
