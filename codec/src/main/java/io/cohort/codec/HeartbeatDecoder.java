package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#HEARTBEAT} body: the sender is alive, here are the last sequences it sent (so
 * that a receiver sees a lost tail), the digest of its own rows (so that a replica can prove it holds the
 * same), its installed view {@code (lineage, epoch)} and, per member of that view, the last heartbeat sequence of
 * that member it heard (echoed, so that the member can keep its lease) and the member's row of the reachability
 * matrix as the sender last knew it (the ranks that member does not hear, with the row's version), so that every
 * member learns who hears whom.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +              Send Time (64, sender's clock, ns)               +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                 Last Broadcast Sequence (64)                  +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +              State Digest of the sender's rows (64)           +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                             Flags                             | 24
 *  +---------------------------------------------------------------+
 *  |                        Member Count (m)                       | 28
 *  +---------------------------------------------------------------+
 *  |                       Directed Count (d)                      | 32
 *  +---------------------------------------------------------------+
 *  |                           Reserved                            | 36
 *  +---------------------------------------------------------------+
 *  |                                                               | 40
 *  +                  Lineage of the sender's view (64)            +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 48
 *  +                   Epoch of the sender's view (64)             +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 56
 *  +                  Heartbeat Sequence (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  m x (Node Id (64), Echoed Heartbeat Sequence (64),          ... 64
 *  |       Row Version (64), Unreachable Rank Bits (64))           |
 *  +---------------------------------------------------------------+
 *  |   d x (Destination Node Id (64), Last Directed Sequence (64))...
 *  +---------------------------------------------------------------+
 * </pre>
 * A member entry's fields other than its node id are 0 when the sender does not know them. Wrap only a body that
 * {@link FrameDecoder} accepted.
 */
public final class HeartbeatDecoder
{
    /** Returned by {@link #lastDirectedSequence(long)} when the heartbeat names no such destination. */
    public static final long NULL_SEQUENCE = -1L;
    /** Returned by {@link #memberIndex(long)} when the sender's view does not list the node. */
    public static final int NOT_LISTED = -1;
    /** Flag: the sender noticed a stall of its own duty cycle (e.g. a GC pause) just before this heartbeat. */
    public static final int FLAG_RESUMED_FROM_PAUSE = 1;
    /** Flag: the sender is leaving gracefully. */
    public static final int FLAG_LEAVING = 2;
    /**
     * The sender had row changes not yet in its stream when it sent this heartbeat (its replication window was
     * closed): the digest covers rows the receiver has not seen yet, so it is not checked. Liveness and the lease do
     * not wait for the window.
     */
    public static final int FLAG_ROWS_PENDING = 4;
    /**
     * The sender distrusts its copy of a member because what that member handed its socket has not arrived within
     * {@code cohort.flow.lagging.after}: if the sender alone accuses, it is the slow receiver, removed as LAGGING.
     */
    public static final int FLAG_LAGGING_COPY = 8;

    static final int SEND_TIME_OFFSET = 0;
    static final int LAST_BROADCAST_SEQUENCE_OFFSET = SEND_TIME_OFFSET + SIZE_OF_LONG;
    static final int STATE_DIGEST_OFFSET = LAST_BROADCAST_SEQUENCE_OFFSET + SIZE_OF_LONG;
    static final int FLAGS_OFFSET = STATE_DIGEST_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_COUNT_OFFSET = FLAGS_OFFSET + SIZE_OF_INT;
    static final int DIRECTED_COUNT_OFFSET = MEMBER_COUNT_OFFSET + SIZE_OF_INT;
    static final int RESERVED_OFFSET = DIRECTED_COUNT_OFFSET + SIZE_OF_INT;
    static final int LINEAGE_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    static final int EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int HEARTBEAT_SEQ_OFFSET = EPOCH_OFFSET + SIZE_OF_LONG;
    static final int MEMBERS_OFFSET = HEARTBEAT_SEQ_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_NODE_ID_OFFSET = 0;
    static final int MEMBER_ECHOED_HEARTBEAT_SEQ_OFFSET = MEMBER_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_ROW_VERSION_OFFSET = MEMBER_ECHOED_HEARTBEAT_SEQ_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_UNREACHABLE_BITS_OFFSET = MEMBER_ROW_VERSION_OFFSET + SIZE_OF_LONG;
    static final int MEMBER_ENTRY_LENGTH = MEMBER_UNREACHABLE_BITS_OFFSET + SIZE_OF_LONG;
    static final int DIRECTED_ENTRY_LENGTH = 2 * SIZE_OF_LONG;
    /** Length of a body with empty lists. */
    public static final int MIN_LENGTH = MEMBERS_OFFSET;

    private DirectBuffer buffer;
    private int offset;
    private int directedOffset;

    /**
     * Wraps a body accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public HeartbeatDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        directedOffset = offset + MEMBERS_OFFSET + memberCount() * MEMBER_ENTRY_LENGTH;
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
        final int memberCount = buffer.getInt(bodyOffset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
        final int directedCount = buffer.getInt(bodyOffset + DIRECTED_COUNT_OFFSET, BYTE_ORDER);
        int position = Fields.skipFixedList(
            bodyOffset + MEMBERS_OFFSET, limit, memberCount, MEMBER_ENTRY_LENGTH, limits.maxMembers());
        if (position >= 0)
        {
            position = Fields.skipFixedList(position, limit, directedCount, DIRECTED_ENTRY_LENGTH, limits.maxMembers());
        }
        return Fields.result(position);
    }

    /**
     * When the sender sent it, by its own clock.
     *
     * @return nanoseconds of the sender's clock.
     */
    public long sendTimeNs()
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET, BYTE_ORDER);
    }

    /**
     * The last sequence of the sender's broadcast stream.
     *
     * @return the last broadcast sequence sent.
     */
    public long lastBroadcastSequence()
    {
        return buffer.getLong(offset + LAST_BROADCAST_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Digest of the sender's own rows.
     *
     * @return the order-independent digest.
     */
    public long stateDigest()
    {
        return buffer.getLong(offset + STATE_DIGEST_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's flags.
     *
     * @return a combination of the {@code FLAG_} constants.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Number of members in the sender's view.
     *
     * @return the member count.
     */
    public int memberCount()
    {
        return buffer.getInt(offset + MEMBER_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * The lineage of the sender's installed view.
     *
     * @return the lineage, 0 when the sender has no view.
     */
    public long lineage()
    {
        return buffer.getLong(offset + LINEAGE_OFFSET, BYTE_ORDER);
    }

    /**
     * The epoch of the sender's installed view.
     *
     * @return the epoch, 0 when the sender has no view.
     */
    public long epoch()
    {
        return buffer.getLong(offset + EPOCH_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's heartbeat sequence, one more for each heartbeat it sends: what receivers echo back, and the
     * version of the sender's own reachability row.
     *
     * @return the heartbeat sequence.
     */
    public long heartbeatSeq()
    {
        return buffer.getLong(offset + HEARTBEAT_SEQ_OFFSET, BYTE_ORDER);
    }

    /**
     * A member of the sender's view.
     *
     * @param index from 0 to {@link #memberCount()} - 1.
     * @return the member's node id.
     */
    public long member(final int index)
    {
        return buffer.getLong(memberEntry(index) + MEMBER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The last heartbeat sequence of a member that the sender heard.
     *
     * @param index from 0 to {@link #memberCount()} - 1.
     * @return the echoed heartbeat sequence, 0 if none.
     */
    public long memberEchoedHeartbeatSeq(final int index)
    {
        return buffer.getLong(memberEntry(index) + MEMBER_ECHOED_HEARTBEAT_SEQ_OFFSET, BYTE_ORDER);
    }

    /**
     * The version of a member's reachability row as the sender knows it (the member's heartbeat sequence when it
     * sent that row).
     *
     * @param index from 0 to {@link #memberCount()} - 1.
     * @return the row version, 0 if unknown.
     */
    public long memberRowVersion(final int index)
    {
        return buffer.getLong(memberEntry(index) + MEMBER_ROW_VERSION_OFFSET, BYTE_ORDER);
    }

    /**
     * A member's reachability row as the sender knows it: bit i set when that member does not hear the member of
     * rank i of the view.
     *
     * @param index from 0 to {@link #memberCount()} - 1.
     * @return the unreachable rank bits.
     */
    public long memberUnreachableBits(final int index)
    {
        return buffer.getLong(memberEntry(index) + MEMBER_UNREACHABLE_BITS_OFFSET, BYTE_ORDER);
    }

    /**
     * Where a node is in the member list.
     *
     * @param nodeId a node id, typically the receiver itself.
     * @return the first index listing it, or {@link #NOT_LISTED}.
     */
    public int memberIndex(final long nodeId)
    {
        for (int i = 0, count = memberCount(); i < count; i++)
        {
            if (member(i) == nodeId)
            {
                return i;
            }
        }
        return NOT_LISTED;
    }

    private int memberEntry(final int index)
    {
        return offset + MEMBERS_OFFSET + index * MEMBER_ENTRY_LENGTH;
    }

    /**
     * Number of directed streams listed.
     *
     * @return the directed count.
     */
    public int directedCount()
    {
        return buffer.getInt(offset + DIRECTED_COUNT_OFFSET, BYTE_ORDER);
    }

    /**
     * Destination of a directed stream.
     *
     * @param index from 0 to {@link #directedCount()} - 1.
     * @return the destination node id.
     */
    public long directedNodeId(final int index)
    {
        return buffer.getLong(directedOffset + index * DIRECTED_ENTRY_LENGTH, BYTE_ORDER);
    }

    /**
     * Last sequence the sender sent on a directed stream.
     *
     * @param index from 0 to {@link #directedCount()} - 1.
     * @return the last directed sequence.
     */
    public long directedLastSequence(final int index)
    {
        return buffer.getLong(directedOffset + index * DIRECTED_ENTRY_LENGTH + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * Last sequence the sender sent on its directed stream to a destination.
     *
     * @param destinationNodeId the destination, typically the receiver itself.
     * @return the last directed sequence, or {@link #NULL_SEQUENCE} if not listed.
     */
    public long lastDirectedSequence(final long destinationNodeId)
    {
        final int count = directedCount();
        for (int i = 0; i < count; i++)
        {
            if (directedNodeId(i) == destinationNodeId)
            {
                return directedLastSequence(i);
            }
        }
        return NULL_SEQUENCE;
    }
}
