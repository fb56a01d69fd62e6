package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SEED_PROBE_RESPONSE} body. The answer to a seed probe: what a merge decision needs
 * of the responder's view (the cluster with fewer members dissolves; on a tie, the one without the oldest member).
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
 *  +                           Epoch (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                Size (members in the view, >= 0)               | 24
 *  +---------------------------------------------------------------+
 *  |                     Lists Prober (1 or 0)                     | 28
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                    Oldest Incarnation (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 40
 *  +                      Oldest Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SeedProbeResponseDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    static final int SIZE_OFFSET = EPOCH_OFFSET + SIZE_OF_LONG;
    static final int LISTS_PROBER_OFFSET = SIZE_OFFSET + SIZE_OF_INT;
    static final int OLDEST_INCARNATION_OFFSET = LISTS_PROBER_OFFSET + SIZE_OF_INT;
    static final int OLDEST_NODE_ID_OFFSET = OLDEST_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int RUNNING_OFFSET = OLDEST_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = RUNNING_OFFSET + SIZE_OF_INT;

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
    public SeedProbeResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    static DecodeResult validate(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (bodyLength < BODY_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return buffer.getInt(bodyOffset + SIZE_OFFSET, BYTE_ORDER) < 0 ? DecodeResult.BAD_FIELD_VALUE : DecodeResult.OK;
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
     * The lineage of the responder's view.
     *
     * @return the value.
     */
    public long lineage()
    {
        return buffer.getLong(offset + LINEAGE_OFFSET, BYTE_ORDER);
    }

    /**
     * The epoch of the responder's view.
     *
     * @return the value.
     */
    public long epoch()
    {
        return buffer.getLong(offset + EPOCH_OFFSET, BYTE_ORDER);
    }

    /**
     * The number of members in the responder's view.
     *
     * @return the value.
     */
    public int size()
    {
        return buffer.getInt(offset + SIZE_OFFSET, BYTE_ORDER);
    }

    /**
     * Whether the responder's view lists the prober's incarnation.
     *
     * @return the value.
     */
    public boolean listsProber()
    {
        return 0 != buffer.getInt(offset + LISTS_PROBER_OFFSET, BYTE_ORDER);
    }

    /**
     * Whether the responder was RUNNING when it answered: its view large enough to be the only instance.
     *
     * @return the value.
     */
    public boolean running()
    {
        return 0 != buffer.getInt(offset + RUNNING_OFFSET, BYTE_ORDER);
    }

    /**
     * The incarnation of the oldest member of the responder's view.
     *
     * @return the value.
     */
    public long oldestIncarnation()
    {
        return buffer.getLong(offset + OLDEST_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * The node id of the oldest member of the responder's view.
     *
     * @return the value.
     */
    public long oldestNodeId()
    {
        return buffer.getLong(offset + OLDEST_NODE_ID_OFFSET, BYTE_ORDER);
    }
}
