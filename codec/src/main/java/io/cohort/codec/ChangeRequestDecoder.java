package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#CHANGE_REQUEST} body. Any member, or a joiner, asks the coordinator it computes to
 * propose a change of the view. What follows the fixed fields depends on the kind: the joiner's member card for
 * {@link #KIND_JOIN}, the winner's command endpoint for {@link #KIND_DISSOLVE}, nothing otherwise.
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
 *  +                        View Epoch (64)                        +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     Kind (JOIN 1, LEAVE 2, FAULT 3, LAGGING 4, DISSOLVE 5)    | 24
 *  +---------------------------------------------------------------+
 *  |                   Reason (one of ReasonCode)                  | 28
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                      Subject Node Id (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 40
 *  +                    Subject Incarnation (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 48
 *  +                         Expected (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 56
 *  +                         Observed (64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        JOIN: the joiner's member card (MemberCardDecoder)    ... 64
 *  +---------------------------------------------------------------+
 *  |       DISSOLVE: Winner Endpoint Length (w), then w bytes     ... 64
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class ChangeRequestDecoder
{
    /** Kind: a node asks to join; its card follows the fixed fields. */
    public static final int KIND_JOIN = 1;
    /** Kind: a member leaves gracefully. */
    public static final int KIND_LEAVE = 2;
    /** Kind: a member is faulty (unreachable from a quorum, or desynchronised). */
    public static final int KIND_FAULT = 3;
    /** Kind: a member lags too far behind to stay. */
    public static final int KIND_LAGGING = 4;
    /** Kind: the cluster dissolves into another after a heal; the winner's command endpoint follows. */
    public static final int KIND_DISSOLVE = 5;

    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int VIEW_EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int KIND_OFFSET = VIEW_EPOCH_OFFSET + SIZE_OF_LONG;
    static final int REASON_OFFSET = KIND_OFFSET + SIZE_OF_INT;
    static final int SUBJECT_ID_OFFSET = REASON_OFFSET + SIZE_OF_INT;
    static final int SUBJECT_INCARNATION_OFFSET = SUBJECT_ID_OFFSET + SIZE_OF_LONG;
    static final int EXPECTED_OFFSET = SUBJECT_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int OBSERVED_OFFSET = EXPECTED_OFFSET + SIZE_OF_LONG;

    /** Length of the fixed fields: the whole body unless the kind is JOIN or DISSOLVE. */
    public static final int FIXED_LENGTH = OBSERVED_OFFSET + SIZE_OF_LONG;

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
    public ChangeRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < FIXED_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int limit = bodyOffset + bodyLength;
        switch (buffer.getInt(bodyOffset + KIND_OFFSET, BYTE_ORDER))
        {
            case KIND_JOIN:
                return bodyLength < FIXED_LENGTH + MemberCardDecoder.MIN_LENGTH ? DecodeResult.TRUNCATED_MESSAGE :
                    Fields.result(MemberCardDecoder.skipEntry(buffer, bodyOffset + FIXED_LENGTH, limit, limits));
            case KIND_DISSOLVE:
                return bodyLength < FIXED_LENGTH + Fields.VAR_LENGTH_PREFIX ? DecodeResult.TRUNCATED_MESSAGE :
                    Fields.result(Fields.skipVar(buffer, bodyOffset + FIXED_LENGTH, limit, limits.maxEndpointLength()));
            case KIND_LEAVE:
            case KIND_FAULT:
            case KIND_LAGGING:
                return DecodeResult.OK;
            default:
                return DecodeResult.BAD_FIELD_VALUE;
        }
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
     * The epoch of the sender's installed view, 0 for a joiner.
     *
     * @return the value.
     */
    public long viewEpoch()
    {
        return buffer.getLong(offset + VIEW_EPOCH_OFFSET, BYTE_ORDER);
    }

    /**
     * What the change is, one of the {@code KIND_} constants.
     *
     * @return the value.
     */
    public int kind()
    {
        return buffer.getInt(offset + KIND_OFFSET, BYTE_ORDER);
    }

    /**
     * Why, one of {@link ReasonCode} (FAULT, LAGGING), 0 otherwise.
     *
     * @return the value.
     */
    public int reason()
    {
        return buffer.getInt(offset + REASON_OFFSET, BYTE_ORDER);
    }

    /**
     * The node id of the node the change is about.
     *
     * @return the value.
     */
    public long subjectId()
    {
        return buffer.getLong(offset + SUBJECT_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The incarnation of the node the change is about.
     *
     * @return the value.
     */
    public long subjectIncarnation()
    {
        return buffer.getLong(offset + SUBJECT_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * Evidence: what the requester expected (e.g. a sequence), 0 if none.
     *
     * @return the value.
     */
    public long expected()
    {
        return buffer.getLong(offset + EXPECTED_OFFSET, BYTE_ORDER);
    }

    /**
     * Evidence: what the requester observed instead, 0 if none.
     *
     * @return the value.
     */
    public long observed()
    {
        return buffer.getLong(offset + OBSERVED_OFFSET, BYTE_ORDER);
    }

    /**
     * Wraps the joiner's card; only when the kind is {@link #KIND_JOIN}.
     *
     * @param card decoder to wrap.
     * @return the card decoder, wrapped.
     */
    public MemberCardDecoder card(final MemberCardDecoder card)
    {
        return card.wrap(buffer, offset + FIXED_LENGTH, length - FIXED_LENGTH);
    }

    /**
     * Length of the winner's command endpoint; only when the kind is {@link #KIND_DISSOLVE}.
     *
     * @return bytes of UTF-8.
     */
    public int winnerEndpointLength()
    {
        return Fields.varLength(buffer, offset + FIXED_LENGTH);
    }

    /**
     * Copies the winner's command endpoint without allocating; only when the kind is {@link #KIND_DISSOLVE}.
     *
     * @param dst       destination buffer.
     * @param dstOffset where to copy it.
     * @return the number of bytes copied.
     */
    public int getWinnerEndpoint(final MutableDirectBuffer dst, final int dstOffset)
    {
        return Fields.getVar(buffer, offset + FIXED_LENGTH, dst, dstOffset);
    }

    /**
     * The winner's command endpoint (allocates); only when the kind is {@link #KIND_DISSOLVE}.
     *
     * @return the endpoint, e.g. {@code tcp://10.0.0.1:7510}.
     */
    public String winnerEndpoint()
    {
        return Fields.getVarString(buffer, offset + FIXED_LENGTH);
    }
}
