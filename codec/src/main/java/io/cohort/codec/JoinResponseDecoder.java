package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#JOIN_RESPONSE} body: the answer to a join request, with the responder's shared
 * settings (so that a joiner refused for {@link CommandStatus#CLUSTER_MISMATCH} or
 * {@link CommandStatus#SETTINGS_MISMATCH} can name what differs) and the member list.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Status (one of CommandStatus)                | 8
 *  +---------------------------------------------------------------+
 *  |                        Member Count (m)                       | 12
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                 Heartbeat Interval, ns (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                  Heartbeat Timeout, ns (64)                   +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Cluster Name Length (c)                     | 32
 *  +---------------------------------------------------------------+
 *  |                Cluster Name (c bytes, UTF-8)                 ... 36
 *  +---------------------------------------------------------------+
 *  |          m member cards, back to back (MemberCardDecoder)    ... 36 + c
 *  +---------------------------------------------------------------+
 * </pre>
 * The cluster name is at most {@link CodecLimits#maxNameLength()} bytes. Wrap only a body that
 * {@link FrameDecoder} accepted (or refused as {@link DecodeResult#FOREIGN_CLUSTER}).
 */
public final class JoinResponseDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int STATUS_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_COUNT_OFFSET = STATUS_OFFSET + SIZE_OF_INT;
    static final int HEARTBEAT_INTERVAL_OFFSET = MEMBER_COUNT_OFFSET + SIZE_OF_INT;
    static final int HEARTBEAT_TIMEOUT_OFFSET = HEARTBEAT_INTERVAL_OFFSET + SIZE_OF_LONG;
    static final int CLUSTER_NAME_OFFSET = HEARTBEAT_TIMEOUT_OFFSET + SIZE_OF_LONG;
    /** Length of a body with an empty cluster name and no member. */
    public static final int MIN_LENGTH = CLUSTER_NAME_OFFSET + Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int nextMemberOffset;
    private int membersRead;

    /**
     * Wraps a body accepted by {@link FrameDecoder} and rewinds the member cursor.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public JoinResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        nextMemberOffset = Fields.varEnd(buffer, offset + CLUSTER_NAME_OFFSET);
        membersRead = 0;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int count = buffer.getInt(bodyOffset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
        if (count < 0)
        {
            return DecodeResult.BAD_FIELD_LENGTH;
        }
        if (count > limits.maxMembers())
        {
            return DecodeResult.FIELD_TOO_LARGE;
        }
        final int limit = bodyOffset + bodyLength;
        int position = Fields.skipVar(buffer, bodyOffset + CLUSTER_NAME_OFFSET, limit, limits.maxNameLength());
        for (int i = 0; i < count && position >= 0; i++)
        {
            position = MemberCardDecoder.skipEntry(buffer, position, limit, limits);
        }
        return Fields.result(position);
    }

    /**
     * The correlation id of the join request answered.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The outcome.
     *
     * @return one of {@link CommandStatus}.
     */
    public int status()
    {
        return buffer.getInt(offset + STATUS_OFFSET, BYTE_ORDER);
    }

    /**
     * The responder's heartbeat interval.
     *
     * @return nanoseconds.
     */
    public long heartbeatIntervalNs()
    {
        return buffer.getLong(offset + HEARTBEAT_INTERVAL_OFFSET, BYTE_ORDER);
    }

    /**
     * The responder's heartbeat timeout.
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
     * The responder's cluster name (allocates: joins are rare).
     *
     * @return the name.
     */
    public String clusterName()
    {
        return Fields.getVarString(buffer, offset + CLUSTER_NAME_OFFSET);
    }

    /**
     * Number of member cards.
     *
     * @return the member count.
     */
    public int memberCount()
    {
        return buffer.getInt(offset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * Wraps the next member card.
     *
     * @param card decoder to wrap.
     * @return false when every card has been read.
     */
    public boolean nextMember(final MemberCardDecoder card)
    {
        if (membersRead >= memberCount())
        {
            return false;
        }
        card.wrap(buffer, nextMemberOffset, offset + length - nextMemberOffset);
        nextMemberOffset += card.encodedLength();
        membersRead++;
        return true;
    }
}
