package io.cohort.engine;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A FIFO of encoded control records {@code {type, length, body}} waiting for the broadcast stream, kept in one
 * reused buffer: appending and removing a record allocate nothing (the buffer only grows, by doubling, when more
 * is pending than ever before, up to its bound).
 * <p>
 * Bounded in records: a record that would exceed {@link #maxRecords()} is refused ({@link #NO_SPACE}) and the
 * caller reports it as an error; nothing is dropped silently. A record equal to one still pending (same type and
 * same bytes) is not queued twice: its receivers would learn nothing from the second copy.
 */
final class ControlQueue
{
    /** Returned by {@link #append} when the queue already holds {@link #maxRecords()} records. */
    static final int NO_SPACE = -1;
    /** Returned by {@link #commit} when an equal record was already pending and the new one was withdrawn. */
    static final int DUPLICATE = -2;

    private static final int TYPE_OFFSET = 0;
    private static final int LENGTH_OFFSET = Integer.BYTES;
    private static final int HEADER_LENGTH = 2 * Integer.BYTES;

    private final ExpandableArrayBuffer buffer;
    private final int maxRecords;
    private int head;
    private int tail;
    private int records;
    private int appendedAt = -1;

    /**
     * @param initialCapacity bytes preallocated for pending records.
     * @param maxRecords      the most records pending at once.
     */
    ControlQueue(final int initialCapacity, final int maxRecords)
    {
        if (maxRecords < 1)
        {
            throw new IllegalArgumentException("maxRecords=" + maxRecords + " must be at least 1");
        }
        this.buffer = new ExpandableArrayBuffer(initialCapacity);
        this.maxRecords = maxRecords;
    }

    int maxRecords()
    {
        return maxRecords;
    }

    int size()
    {
        return records;
    }

    boolean isEmpty()
    {
        return 0 == records;
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Reserves a record at the tail; the caller writes its body at the returned offset of {@link #buffer()} and
     * then calls {@link #commit()}. Nothing else may touch the queue in between.
     *
     * @return the offset of the body, or {@link #NO_SPACE}.
     */
    int append(final int type, final int bodyLength)
    {
        if (records >= maxRecords)
        {
            return NO_SPACE;
        }
        if (0 == records)
        {
            head = 0;
            tail = 0;
        }
        final int recordLength = HEADER_LENGTH + bodyLength;
        if (head > 0 && tail + recordLength > buffer.capacity())
        {
            // Move the pending records to the front before growing: arraycopy is safe on overlapping ranges.
            final byte[] array = buffer.byteArray();
            System.arraycopy(array, head, array, 0, tail - head);
            tail -= head;
            head = 0;
        }
        buffer.checkLimit(tail + recordLength);
        buffer.putInt(tail + TYPE_OFFSET, type);
        buffer.putInt(tail + LENGTH_OFFSET, bodyLength);
        appendedAt = tail;
        return tail + HEADER_LENGTH;
    }

    /**
     * Makes the record reserved by the last {@link #append} pending, unless an equal record is pending already.
     *
     * @return the number of records pending, or {@link #DUPLICATE} if the record was withdrawn.
     */
    int commit()
    {
        final int at = appendedAt;
        appendedAt = -1;
        final int recordLength = HEADER_LENGTH + buffer.getInt(at + LENGTH_OFFSET);
        for (int offset = head; offset < tail; offset += HEADER_LENGTH + buffer.getInt(offset + LENGTH_OFFSET))
        {
            if (equal(offset, at, recordLength))
            {
                return DUPLICATE;
            }
        }
        tail = at + recordLength;
        return ++records;
    }

    int headType()
    {
        return buffer.getInt(head + TYPE_OFFSET);
    }

    int headLength()
    {
        return buffer.getInt(head + LENGTH_OFFSET);
    }

    int headBodyOffset()
    {
        return head + HEADER_LENGTH;
    }

    /**
     * Removes the record at the head, once it was claimed on the stream.
     */
    void removeHead()
    {
        head += HEADER_LENGTH + headLength();
        if (0 == --records)
        {
            head = 0;
            tail = 0;
        }
    }

    private boolean equal(final int a, final int b, final int length)
    {
        if (buffer.getInt(a + LENGTH_OFFSET) != buffer.getInt(b + LENGTH_OFFSET))
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(a + i) != buffer.getByte(b + i))
            {
                return false;
            }
        }
        return true;
    }
}
