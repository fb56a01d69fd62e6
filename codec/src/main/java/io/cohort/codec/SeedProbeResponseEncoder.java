package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#SEED_PROBE_RESPONSE} body of {@link #BODY_LENGTH} bytes.
 * Layout: {@link SeedProbeResponseDecoder}.
 */
public final class SeedProbeResponseEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = SeedProbeResponseDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Sets the correlation id of the request answered.
     *
     * @param correlationId the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + SeedProbeResponseDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the responder's view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + SeedProbeResponseDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the responder's view.
     *
     * @param epoch the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder epoch(final long epoch)
    {
        buffer.putLong(offset + SeedProbeResponseDecoder.EPOCH_OFFSET, epoch, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the number of members in the responder's view.
     *
     * @param size the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder size(final int size)
    {
        buffer.putInt(offset + SeedProbeResponseDecoder.SIZE_OFFSET, size, BYTE_ORDER);
        return this;
    }

    /**
     * Sets whether the responder's view lists the prober's incarnation.
     *
     * @param listsProber the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder listsProber(final boolean listsProber)
    {
        buffer.putInt(offset + SeedProbeResponseDecoder.LISTS_PROBER_OFFSET, listsProber ? 1 : 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets whether the responder is RUNNING.
     *
     * @param running the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder running(final boolean running)
    {
        buffer.putInt(offset + SeedProbeResponseDecoder.RUNNING_OFFSET, running ? 1 : 0, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the incarnation of the oldest member of the responder's view.
     *
     * @param oldestIncarnation the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder oldestIncarnation(final long oldestIncarnation)
    {
        buffer.putLong(offset + SeedProbeResponseDecoder.OLDEST_INCARNATION_OFFSET, oldestIncarnation, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the node id of the oldest member of the responder's view.
     *
     * @param oldestNodeId the value.
     * @return this for a fluent API.
     */
    public SeedProbeResponseEncoder oldestNodeId(final long oldestNodeId)
    {
        buffer.putLong(offset + SeedProbeResponseDecoder.OLDEST_NODE_ID_OFFSET, oldestNodeId, BYTE_ORDER);
        return this;
    }
}
