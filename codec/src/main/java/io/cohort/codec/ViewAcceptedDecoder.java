package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#VIEW_ACCEPTED} body. The answer to a {@link MessageType#VIEW_ACCEPT}: whether the
 * acceptor accepted the value, the highest ballot it has promised, and for each member the value removes, how long
 * ago the acceptor last heard from it (so that the committer waits until the removed members' leases have run out).
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
 *  |                          Ok (1 or 0)                          | 40
 *  +---------------------------------------------------------------+
 *  |                       Removed Count (r)                       | 44
 *  +---------------------------------------------------------------+
 *  |                                                               | 48
 *  +                      Promised Round (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 56
 *  +                     Promised Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   r x (Removed Node Id (64), Elapsed Since Heard, ns (64))   ... 64
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ViewAcceptedDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int TARGET_EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_ROUND_OFFSET = TARGET_EPOCH_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_NODE_ID_OFFSET = BALLOT_ROUND_OFFSET + SIZE_OF_LONG;
    static final int OK_OFFSET = BALLOT_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int REMOVED_COUNT_OFFSET = OK_OFFSET + SIZE_OF_INT;
    static final int PROMISED_ROUND_OFFSET = REMOVED_COUNT_OFFSET + SIZE_OF_INT;
    static final int PROMISED_NODE_ID_OFFSET = PROMISED_ROUND_OFFSET + SIZE_OF_LONG;
    static final int REMOVED_OFFSET = PROMISED_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int REMOVED_ENTRY_LENGTH = 2 * SIZE_OF_LONG;
    /** Length of a body with no removed member. */
    public static final int MIN_LENGTH = REMOVED_OFFSET;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public ViewAcceptedDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int count = buffer.getInt(bodyOffset + REMOVED_COUNT_OFFSET, BYTE_ORDER);
        return Fields.result(Fields.skipFixedList(
            bodyOffset + REMOVED_OFFSET, bodyOffset + bodyLength, count, REMOVED_ENTRY_LENGTH, limits.maxMembers()));
    }

    /**
     * The correlation id of the request answered.
     *
     * @return the value.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The lineage of the acceptor's installed view.
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

    /**
     * Whether the acceptor granted the ballot.
     *
     * @return the value.
     */
    public boolean ok()
    {
        return 0 != buffer.getInt(offset + OK_OFFSET, BYTE_ORDER);
    }

    /**
     * The number of removed members reported.
     *
     * @return the value.
     */
    public int removedCount()
    {
        return buffer.getInt(offset + REMOVED_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * The round of the highest ballot the acceptor has promised.
     *
     * @return the value.
     */
    public long promisedRound()
    {
        return buffer.getLong(offset + PROMISED_ROUND_OFFSET, BYTE_ORDER);
    }

    /**
     * The node id of the highest ballot the acceptor has promised.
     *
     * @return the value.
     */
    public long promisedNodeId()
    {
        return buffer.getLong(offset + PROMISED_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * A member the accepted value removes.
     *
     * @param index from 0 to {@link #removedCount()} - 1.
     * @return its node id.
     */
    public long removedNodeId(final int index)
    {
        return buffer.getLong(offset + REMOVED_OFFSET + index * REMOVED_ENTRY_LENGTH, BYTE_ORDER);
    }

    /**
     * How long before answering the acceptor last heard from a removed member, by its own clock.
     *
     * @param index from 0 to {@link #removedCount()} - 1.
     * @return nanoseconds.
     */
    public long removedElapsedSinceHeardNs(final int index)
    {
        return buffer.getLong(offset + REMOVED_OFFSET + index * REMOVED_ENTRY_LENGTH + SIZE_OF_LONG, BYTE_ORDER);
    }
}
