package io.cohort.engine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Snapshot chunk bodies received from one member and not yet loaded, in arrival order, as (length, body) records.
 * The member sends a bounded credit of chunks ahead of what was loaded, so the queue stays a few chunks long; it
 * still refuses to grow past a bound given at each {@link #offer}, so a broken sender cannot make it unbounded.
 * Only chunks not yet taken count against that bound, and an {@link #offer} moves the waiting chunks to the front,
 * over the ones already taken, once those take at least as much space (so each byte is moved about once, and the
 * buffer stays about twice what waits). Space used to be reused only once the queue had been found empty, so a
 * loader that never quite caught up kept every chunk of the snapshot: the buffer grew by copying, and a snapshot
 * larger than {@code cohort.join.buffer.max} overflowed although a few chunks were waiting. The chunk located by
 * {@link #poll()} is therefore valid until the next {@link #offer} or {@link #poll()}: the loader loads it at once.
 * Its memory is allocated on first use and released by {@link #clear()}. Not thread safe: the node's thread only.
 */
final class ChunkQueue
{
    private static final int INITIAL_LENGTH = 64 * 1024;
    private static final int LENGTH_OFFSET = 0;
    private static final int BODY_OFFSET = Integer.BYTES;

    private ExpandableArrayBuffer buffer;
    private int length;
    private int readOffset;
    private int nextBodyOffset;
    private int nextBodyLength;

    /**
     * Queues a copy of a chunk body.
     *
     * @return false, queueing nothing, if the queue would pass {@code maxBytes}.
     */
    boolean offer(final DirectBuffer source, final int offset, final int bodyLength, final int maxBytes)
    {
        if ((long)queuedBytes() + BODY_OFFSET + bodyLength > maxBytes)
        {
            return false;
        }
        if (null == buffer)
        {
            buffer = new ExpandableArrayBuffer(Math.max(INITIAL_LENGTH, BODY_OFFSET + bodyLength));
        }
        if (readOffset > 0 && readOffset >= queuedBytes())
        {
            compact();
        }
        buffer.putInt(length + LENGTH_OFFSET, bodyLength);
        buffer.putBytes(length + BODY_OFFSET, source, offset, bodyLength);
        length += BODY_OFFSET + bodyLength;
        return true;
    }

    /**
     * Moves the chunks not yet taken to the front of the buffer.
     */
    private void compact()
    {
        final int queued = queuedBytes();
        if (queued > 0)
        {
            buffer.putBytes(0, buffer, readOffset, queued);
        }
        length = queued;
        readOffset = 0;
    }

    /**
     * Bytes queued and not yet taken, record headers included.
     *
     * @return bytes.
     */
    int queuedBytes()
    {
        return length - readOffset;
    }

    /**
     * @return the buffer's capacity, 0 before the first offer or after {@link #clear()}.
     */
    int capacity()
    {
        return null == buffer ? 0 : buffer.capacity();
    }

    /**
     * Takes the oldest chunk: afterwards {@link #buffer()}, {@link #bodyOffset()} and {@link #bodyLength()} locate
     * it, until the next call. Once the queue is empty its space is reused from the start.
     *
     * @return false if the queue is empty.
     */
    boolean poll()
    {
        if (readOffset >= length)
        {
            readOffset = 0;
            length = 0;
            return false;
        }
        nextBodyLength = buffer.getInt(readOffset + LENGTH_OFFSET);
        nextBodyOffset = readOffset + BODY_OFFSET;
        readOffset = nextBodyOffset + nextBodyLength;
        return true;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int bodyOffset()
    {
        return nextBodyOffset;
    }

    int bodyLength()
    {
        return nextBodyLength;
    }

    boolean isEmpty()
    {
        return readOffset >= length;
    }

    /**
     * Drops every queued chunk and the memory that held them.
     */
    void clear()
    {
        buffer = null;
        length = 0;
        readOffset = 0;
    }
}
