package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#SEED_PROBE} body of {@link #BODY_LENGTH} bytes.
 * Layout: {@link SeedProbeDecoder}.
 */
public final class SeedProbeEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = SeedProbeDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public SeedProbeEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the correlation id the answer echoes.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public SeedProbeEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + SeedProbeDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the sender's view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public SeedProbeEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + SeedProbeDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the sender's view.
     *
     * @param epoch the value.
     * @return this for a fluent API.
     */
    public SeedProbeEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + SeedProbeDecoder.EPOCH_OFFSET, epoch, BYTE_ORDER);
        return this;
    }
}
