package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#VIEW_PREPARE} body. Phase 1 of the agreement on the next view: a proposer asks
 * each member of the installed view to promise not to accept a lower ballot for the target epoch, and to report
 * any value it accepted already (answered by {@link MessageType#VIEW_PROMISE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                          Lineage (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                       Target Epoch (64)                       +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                       Ballot Round (64)                       +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                      Ballot Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ViewPrepareDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int TARGET_EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_ROUND_OFFSET = TARGET_EPOCH_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_NODE_ID_OFFSET = BALLOT_ROUND_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = BALLOT_NODE_ID_OFFSET + SIZE_OF_LONG;

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
    public ViewPrepareDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The correlation id the answer echoes.
     *
     * @return the value.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The lineage of the sender's view.
     *
     * @return the value.
     */
    public long lineage()
    {
        return buffer.getLong(offset + LINEAGE_OFFSET, BYTE_ORDER);
    }

    /**
     * The epoch of the view to agree on (the installed epoch + 1).
     *
     * @return the value.
     */
    public long targetEpoch()
    {
        return buffer.getLong(offset + TARGET_EPOCH_OFFSET, BYTE_ORDER);
    }

    /**
     * The round of the proposer's ballot.
     *
     * @return the value.
     */
    public long ballotRound()
    {
        return buffer.getLong(offset + BALLOT_ROUND_OFFSET, BYTE_ORDER);
    }

    /**
     * The node id of the proposer's ballot.
     *
     * @return the value.
     */
    public long ballotNodeId()
    {
        return buffer.getLong(offset + BALLOT_NODE_ID_OFFSET, BYTE_ORDER);
    }
}
