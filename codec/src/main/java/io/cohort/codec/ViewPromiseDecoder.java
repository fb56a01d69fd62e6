package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#VIEW_PROMISE} body. The answer to a {@link MessageType#VIEW_PREPARE}: whether the
 * acceptor promised the ballot, the highest ballot it has promised, and the value it accepted for the target epoch
 * under its highest accepted ballot, if any.
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
 *  |                            Reserved                           | 44
 *  +---------------------------------------------------------------+
 *  |                                                               | 48
 *  +                      Promised Round (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 56
 *  +                     Promised Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 64
 *  +                      Accepted Round (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 72
 *  +                     Accepted Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Accepted Value Length (v, 0 if none)             | 80
 *  +---------------------------------------------------------------+
 *  |          Accepted Value (v bytes, ViewValueDecoder)          ... 84
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ViewPromiseDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int TARGET_EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_ROUND_OFFSET = TARGET_EPOCH_OFFSET + SIZE_OF_LONG;
    static final int BALLOT_NODE_ID_OFFSET = BALLOT_ROUND_OFFSET + SIZE_OF_LONG;
    static final int OK_OFFSET = BALLOT_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int RESERVED_OFFSET = OK_OFFSET + SIZE_OF_INT;
    static final int PROMISED_ROUND_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    static final int PROMISED_NODE_ID_OFFSET = PROMISED_ROUND_OFFSET + SIZE_OF_LONG;
    static final int ACCEPTED_ROUND_OFFSET = PROMISED_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int ACCEPTED_NODE_ID_OFFSET = ACCEPTED_ROUND_OFFSET + SIZE_OF_LONG;
    static final int ACCEPTED_VALUE_OFFSET = ACCEPTED_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Length of a body without an accepted value. */
    public static final int MIN_LENGTH = ACCEPTED_VALUE_OFFSET + Fields.VAR_LENGTH_PREFIX;

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
    public ViewPromiseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
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
        final int valueOffset = bodyOffset + ACCEPTED_VALUE_OFFSET + Fields.VAR_LENGTH_PREFIX;
        final int valueEnd = Fields.skipVar(
            buffer, bodyOffset + ACCEPTED_VALUE_OFFSET, bodyOffset + bodyLength, Integer.MAX_VALUE);
        if (valueEnd < 0 || valueEnd == valueOffset)
        {
            return Fields.result(valueEnd);
        }
        return Fields.result(ViewValueDecoder.skipEntry(buffer, valueOffset, valueEnd, limits));
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
     * The round of the ballot whose value the acceptor accepted, 0 if none.
     *
     * @return the value.
     */
    public long acceptedRound()
    {
        return buffer.getLong(offset + ACCEPTED_ROUND_OFFSET, BYTE_ORDER);
    }

    /**
     * The node id of the ballot whose value the acceptor accepted, 0 if none.
     *
     * @return the value.
     */
    public long acceptedNodeId()
    {
        return buffer.getLong(offset + ACCEPTED_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Length of the accepted value.
     *
     * @return bytes, 0 when the acceptor has accepted nothing for the target epoch.
     */
    public int acceptedValueLength()
    {
        return Fields.varLength(buffer, offset + ACCEPTED_VALUE_OFFSET);
    }

    /**
     * Whether the acceptor has accepted a value for the target epoch.
     *
     * @return true if {@link #acceptedValue} may be read.
     */
    public boolean hasAcceptedValue()
    {
        return acceptedValueLength() > 0;
    }

    /**
     * Wraps the accepted value; only when {@link #hasAcceptedValue()}.
     *
     * @param value decoder to wrap.
     * @return the value decoder, wrapped.
     */
    public ViewValueDecoder acceptedValue(final ViewValueDecoder value)
    {
        return value.wrap(buffer, offset + ACCEPTED_VALUE_OFFSET + Fields.VAR_LENGTH_PREFIX, acceptedValueLength());
    }
}
