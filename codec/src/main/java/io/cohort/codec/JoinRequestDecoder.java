package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#JOIN_REQUEST} body: a node asks a member to let it join, presenting the settings every
 * member must share (its cluster name, heartbeat interval and timeout) and its card.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                 Heartbeat Interval, ns (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                  Heartbeat Timeout, ns (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Cluster Name Length (c)                     | 24
 *  +---------------------------------------------------------------+
 *  |                Cluster Name (c bytes, UTF-8)                 ... 28
 *  +---------------------------------------------------------------+
 *  |            The joiner's member card (see MemberCardDecoder)  ... 28 + c
 *  +---------------------------------------------------------------+
 * </pre>
 * The cluster name is at most {@link CodecLimits#maxNameLength()} bytes. Wrap only a body that
 * {@link FrameDecoder} accepted (or refused as {@link DecodeResult#FOREIGN_CLUSTER}).
 */
public final class JoinRequestDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int HEARTBEAT_INTERVAL_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int HEARTBEAT_TIMEOUT_OFFSET = HEARTBEAT_INTERVAL_OFFSET + SIZE_OF_LONG;
    static final int CLUSTER_NAME_OFFSET = HEARTBEAT_TIMEOUT_OFFSET + SIZE_OF_LONG;
    /** Length of a body whose cluster name, endpoints and key are empty. */
    public static final int MIN_LENGTH = CLUSTER_NAME_OFFSET + Fields.VAR_LENGTH_PREFIX + MemberCardDecoder.MIN_LENGTH;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int cardOffset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public JoinRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.cardOffset = Fields.varEnd(buffer, offset + CLUSTER_NAME_OFFSET);
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int limit = bodyOffset + bodyLength;
        final int cardOffset = Fields.skipVar(buffer, bodyOffset + CLUSTER_NAME_OFFSET, limit, limits.maxNameLength());
        if (cardOffset < 0)
        {
            return Fields.result(cardOffset);
        }
        return Fields.result(MemberCardDecoder.skipEntry(buffer, cardOffset, limit, limits));
    }

    /**
     * The correlation id to answer with.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The joiner's heartbeat interval.
     *
     * @return nanoseconds.
     */
    public long heartbeatIntervalNs()
    {
        return buffer.getLong(offset + HEARTBEAT_INTERVAL_OFFSET, BYTE_ORDER);
    }

    /**
     * The joiner's heartbeat timeout.
     *
     * @return nanoseconds.
     */
    public long heartbeatTimeoutNs()
    {
        return buffer.getLong(offset + HEARTBEAT_TIMEOUT_OFFSET, BYTE_ORDER);
    }

    /**
     * Length of the cluster name.
     *
     * @return bytes of UTF-8.
     */
    public int clusterNameLength()
    {
        return Fields.varLength(buffer, offset + CLUSTER_NAME_OFFSET);
    }

    /**
     * The joiner's cluster name (allocates: joins are rare).
     *
     * @return the name.
     */
    public String clusterName()
    {
        return Fields.getVarString(buffer, offset + CLUSTER_NAME_OFFSET);
    }

    /**
     * Wraps the joiner's card.
     *
     * @param card decoder to wrap.
     * @return the card decoder, wrapped.
     */
    public MemberCardDecoder card(final MemberCardDecoder card)
    {
        return card.wrap(buffer, cardOffset, offset + length - cardOffset);
    }
}
