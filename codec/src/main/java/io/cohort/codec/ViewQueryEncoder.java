package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Writes a {@link MessageType#VIEW_QUERY} body of {@link #BODY_LENGTH} bytes.
 * Layout: {@link ViewQueryDecoder}.
 */
public final class ViewQueryEncoder
{
    /** Length of the body. */
    public static final int BODY_LENGTH = ViewQueryDecoder.BODY_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps the body at an offset returned by {@link FrameEncoder#claim}.
     *
     * @param buffer to write into.
     * @param offset where the body starts.
     * @return this for a fluent API.
     */
    public ViewQueryEncoder wrap(final MutableDirectBuffer buffer, final int offset)
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
    public ViewQueryEncoder correlationId(final long correlationId)
    {
        buffer.putLong(offset + ViewQueryDecoder.CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the lineage of the asker's latest view.
     *
     * @param lineage the value.
     * @return this for a fluent API.
     */
    public ViewQueryEncoder lineage(final long lineage)
    {
        buffer.putLong(offset + ViewQueryDecoder.LINEAGE_OFFSET, lineage, BYTE_ORDER);
        return this;
    }

    /**
     * Sets the epoch of the asker's latest view.
     *
     * @param knownEpoch the value.
     * @return this for a fluent API.
     */
    public ViewQueryEncoder knownEpoch(final long knownEpoch)
    {
        buffer.putLong(offset + ViewQueryDecoder.KNOWN_EPOCH_OFFSET, knownEpoch, BYTE_ORDER);
        return this;
    }
}
