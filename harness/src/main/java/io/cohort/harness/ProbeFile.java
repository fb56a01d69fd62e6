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
 * When each latency probe of one node slot was made: a memory-mapped ring of {@link SharedClock} timestamps,
 * indexed by probe number, written by the owner before the change that carries the number, read by every other
 * node process when the change becomes visible there. Processes share the file, not a socket, so reading a
 * timestamp costs a memory load and no message.
 */
final class ProbeFile implements AutoCloseable
{
    /** Probes kept; older numbers are overwritten (a probe is seen within milliseconds, not minutes). */
    static final int CAPACITY = 1 << 20;
    private static final int MASK = CAPACITY - 1;

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
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            if (raf.length() < (long)CAPACITY * Long.BYTES)
            {
                raf.setLength((long)CAPACITY * Long.BYTES);
            }
            mapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, (long)CAPACITY * Long.BYTES);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
        buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Records when probe {@code number} is made (before the change is handed to the node).
     *
     * @param number the probe number, from 1.
     * @param nowNs  {@link SharedClock#nowNs()}.
     */
    void stamp(final long number, final long nowNs)
    {
        buffer.putLongRelease((int)(number & MASK) * Long.BYTES, nowNs);
    }

    /**
     * When probe {@code number} was made.
     *
     * @param number the probe number.
     * @return epoch nanoseconds, or 0 if unknown.
     */
    long stampOf(final long number)
    {
        return buffer.getLongVolatile((int)(number & MASK) * Long.BYTES);
    }

    /**
     * Unmaps the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
