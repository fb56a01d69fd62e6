package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#PROBE} body. Published on the sync channel at a joining node's request: receiving it proves that the joiner's subscription to the sender is live.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                     Requester Node Id (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                           Nonce (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ProbeDecoder
{
    static final int REQUESTER_NODE_ID_OFFSET = 0;
    static final int NONCE_OFFSET = REQUESTER_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = NONCE_OFFSET + SIZE_OF_LONG;

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
    public ProbeDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the joining node that asked for it.
     *
     * @return the value.
     */
    public long requesterNodeId()
    {
        return buffer.getLong(offset + REQUESTER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the nonce of its request.
     *
     * @return the value.
     */
    public long nonce()
    {
        return buffer.getLong(offset + NONCE_OFFSET, BYTE_ORDER);
    }
}
