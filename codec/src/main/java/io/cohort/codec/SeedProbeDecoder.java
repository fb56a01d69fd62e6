package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SEED_PROBE} body. A member probes a seed endpoint at a low rate, so that two
 * clusters that formed apart find each other after a heal (answered by {@link MessageType#SEED_PROBE_RESPONSE}).
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
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SeedProbeDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LINEAGE_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int EPOCH_OFFSET = LINEAGE_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = EPOCH_OFFSET + SIZE_OF_LONG;

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
    public SeedProbeDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
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
     * The epoch of the sender's view.
     *
     * @return the value.
     */
    public long epoch()
    {
        return buffer.getLong(offset + EPOCH_OFFSET, BYTE_ORDER);
    }
}
