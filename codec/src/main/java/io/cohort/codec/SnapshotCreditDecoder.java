package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SNAPSHOT_CREDIT} body. Command: the requester of a
 * snapshot has loaded this many of its chunks, so the server may keep a bounded number more in flight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                      Chunks Loaded (64)                       +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SnapshotCreditDecoder
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int CHUNKS_LOADED_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the body. */
    public static final int BODY_LENGTH = CHUNKS_LOADED_OFFSET + SIZE_OF_LONG;

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
    public SnapshotCreditDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads names the snapshot request.
     *
     * @return the value.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the number of the snapshot's chunks the requester has loaded.
     *
     * @return the value.
     */
    public long chunksLoaded()
    {
        return buffer.getLong(offset + CHUNKS_LOADED_OFFSET, BYTE_ORDER);
    }
}
