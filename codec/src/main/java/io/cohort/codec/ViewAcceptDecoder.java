package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#VIEW_ACCEPT} body. Phase 2 of the agreement on the next view: a proposer asks
 * each member of the installed view to accept a value under its ballot (answered by
 * {@link MessageType#VIEW_ACCEPTED}).
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
 *  |              The view value (ViewValueDecoder)               ... 40
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ViewAcceptDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int TARGET_EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_ROUND_OFFSET = TARGET_EPOCH_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_NODE_ID_OFFSET = BALLOT_ROUND_OFFSET + SIZE_OF_LONG;
    static final int VALUE_OFFSET = BALLOT_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Length of a body whose value has no member and no removed entry. */
    public static final int MIN_LENGTH = VALUE_OFFSET + ViewValueDecoder.MIN_LENGTH;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public ViewAcceptDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(
            ViewValueDecoder.skipEntry(buffer, bodyOffset + VALUE_OFFSET, bodyOffset + bodyLength, limits));
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

    /**
     * Wraps the view value.
     *
     * @param value decoder to wrap.
     * @return the value decoder, wrapped.
     */
    public ViewValueDecoder value(final ViewValueDecoder value)
    {
        return value.wrap(buffer, offset + VALUE_OFFSET, length - VALUE_OFFSET);
    }
}
