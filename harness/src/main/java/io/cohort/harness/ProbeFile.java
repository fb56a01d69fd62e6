package io.cohort.harness;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * When each latency probe of one node slot was made, and when its owner's node passed it on: a memory-mapped ring of
 * {@link SharedClock} timestamps indexed by probe number, written by the owner, read by every other node process when
 * the change becomes visible there. Processes share the file, not a socket, so reading a timestamp costs a memory load
 * and no message.
 * <p>
 * A probe's record is four longs: its number (so a reader can tell a record overwritten by a later lap of the ring),
 * when the probe call was made (before it is handed to the node), when the owner's node thread took it from the API
 * queue, and when the frame carrying its count was handed to the transport. The last two are 0 until known.
 */
final class ProbeFile implements AutoCloseable
{
    /** Probes kept; older numbers are overwritten (a probe is seen within milliseconds, not minutes). */
    static final int CAPACITY = 1 << 18;
    private static final int MASK = CAPACITY - 1;
    private static final int RECORD_LENGTH = 4 * Long.BYTES;
    private static final int NUMBER_OFFSET = 0;
    private static final int MADE_OFFSET = Long.BYTES;
    private static final int TAKEN_OFFSET = 2 * Long.BYTES;
    private static final int HANDED_OFFSET = 3 * Long.BYTES;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    /**
     * Maps (creating if needed) the probe file of a slot.
     *
     * @param dir  the run's directory.
     * @param slot the node slot.
     */
    ProbeFile(final File dir, final int slot)
    {
        final File file = new File(dir, "probe-" + slot + ".bin");
        final long length = (long)CAPACITY * RECORD_LENGTH;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            if (raf.length() < length)
            {
                raf.setLength(length);
            }
            mapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
        buffer = new UnsafeBuffer(mapped);
    }

    private static int record(final long number)
    {
        return (int)(number & MASK) * RECORD_LENGTH;
    }

    /**
     * Records when probe {@code number} is made (before the change is handed to the node), and clears the stages
     * a previous lap of the ring left in its record.
     *
     * @param number the probe number, from 1.
     * @param nowNs  {@link SharedClock#nowNs()}.
     */
    void stamp(final long number, final long nowNs)
    {
        final int at = record(number);
        buffer.putLong(at + TAKEN_OFFSET, 0);
        buffer.putLong(at + HANDED_OFFSET, 0);
        buffer.putLong(at + MADE_OFFSET, nowNs);
        buffer.putLongRelease(at + NUMBER_OFFSET, number);
    }

    /**
     * Records when the owner's node thread took probe {@code number} from its API queue.
     *
     * @param number the probe number.
     * @param nowNs  {@link SharedClock#nowNs()}.
     */
    void stampTaken(final long number, final long nowNs)
    {
        buffer.putLongRelease(record(number) + TAKEN_OFFSET, nowNs);
    }

    /**
     * Records when the frame carrying probe {@code number}'s count was handed to the transport.
     *
     * @param number the probe number.
     * @param nowNs  {@link SharedClock#nowNs()}.
     */
    void stampHanded(final long number, final long nowNs)
    {
        buffer.putLongRelease(record(number) + HANDED_OFFSET, nowNs);
    }

    /**
     * When probe {@code number} was made.
     *
     * @param number the probe number.
     * @return epoch nanoseconds, or 0 if unknown (never made, or its record already reused).
     */
    long stampOf(final long number)
    {
        final int at = record(number);
        return buffer.getLongVolatile(at + NUMBER_OFFSET) == number ? buffer.getLongVolatile(at + MADE_OFFSET) : 0;
    }

    /**
     * When the owner's node thread took probe {@code number} from its API queue.
     *
     * @param number the probe number.
     * @return epoch nanoseconds, or 0 if unknown.
     */
    long takenOf(final long number)
    {
        final int at = record(number);
        return buffer.getLongVolatile(at + NUMBER_OFFSET) == number ? buffer.getLongVolatile(at + TAKEN_OFFSET) : 0;
    }

    /**
     * When the frame carrying probe {@code number}'s count was handed to the transport.
     *
     * @param number the probe number.
     * @return epoch nanoseconds, or 0 if unknown.
     */
    long handedOf(final long number)
    {
        final int at = record(number);
        return buffer.getLongVolatile(at + NUMBER_OFFSET) == number ? buffer.getLongVolatile(at + HANDED_OFFSET) : 0;
    }

    /**
     * Unmaps the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
