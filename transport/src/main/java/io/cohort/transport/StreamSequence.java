package io.cohort.transport;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The next sequence number expected from one stream (a peer's broadcast stream, or its directed stream to
 * this node), kept in a slot of an {@link AtomicBuffer} (a counter of the node's counters file) so that an
 * outside process can watch it live. Classifies each received frame as in order, duplicate, gap or reorder
 * at once and without allocating. Single writer: the thread that receives the stream.
 */
public final class StreamSequence
{
    /** The expected sequence before the first frame or an explicit {@link #expect(long)}: accept any. */
    public static final long UNKNOWN = -1L;

    private final AtomicBuffer values;
    private final int expectedOffset;
    private long gapFrom = UNKNOWN;
    private long gapTo = UNKNOWN;

    /**
     * Tracks a stream whose expected sequence lives at an offset of a buffer.
     *
     * @param values         buffer holding the expected sequence, e.g. a counters values buffer.
     * @param expectedOffset offset of the 8-byte, aligned slot.
     */
    public StreamSequence(final AtomicBuffer values, final int expectedOffset)
    {
        this.values = values;
        this.expectedOffset = expectedOffset;
        values.putLongRelease(expectedOffset, UNKNOWN);
    }

    /**
     * Sets the next expected sequence, e.g. from a snapshot's recorded sequence + 1, and forgets gaps.
     *
     * @param nextSequence the sequence the next frame must start at.
     */
    public void expect(final long nextSequence)
    {
        values.putLongRelease(expectedOffset, nextSequence);
        gapFrom = UNKNOWN;
        gapTo = UNKNOWN;
    }

    /**
     * The sequence the next frame must start at.
     *
     * @return the expected sequence, or {@link #UNKNOWN} before the first frame.
     */
    public long expected()
    {
        return values.getLong(expectedOffset);
    }

    /**
     * Classifies a frame of {@code count} messages starting at {@code firstSequence}, and advances the expected
     * sequence past it unless it was a duplicate or a reorder.
     *
     * @param firstSequence sequence of the frame's first message.
     * @param count         number of messages in the frame, at least 1.
     * @return one of {@link SequenceCheck}; after {@link SequenceCheck#GAP}, {@link #gapFrom()} and
     * {@link #gapTo()} give the missing range.
     */
    public int check(final long firstSequence, final int count)
    {
        final long expected = values.getLong(expectedOffset);
        final long lastSequence = firstSequence + count - 1;
        if (firstSequence == expected || UNKNOWN == expected)
        {
            values.putLongRelease(expectedOffset, lastSequence + 1);
            return SequenceCheck.IN_ORDER;
        }

        if (firstSequence > expected)
        {
            gapFrom = expected;
            gapTo = firstSequence - 1;
            values.putLongRelease(expectedOffset, lastSequence + 1);
            return SequenceCheck.GAP;
        }

        if (firstSequence >= gapFrom && lastSequence <= gapTo && UNKNOWN != gapFrom)
        {
            return SequenceCheck.REORDER;
        }

        return SequenceCheck.DUPLICATE;
    }

    /**
     * First missing sequence of the last gap.
     *
     * @return the sequence, or {@link #UNKNOWN} if no gap was seen since the last {@link #expect(long)}.
     */
    public long gapFrom()
    {
        return gapFrom;
    }

    /**
     * Last missing sequence of the last gap.
     *
     * @return the sequence, or {@link #UNKNOWN} if no gap was seen since the last {@link #expect(long)}.
     */
    public long gapTo()
    {
        return gapTo;
    }
}
