package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;

import java.util.zip.CRC32C;

/**
 * CRC32C over a range of a buffer, on or off the Java heap, without allocating. Off-heap memory goes
 * through Agrona's {@link Crc32c} (the JDK intrinsic over a memory address), heap arrays through a reused
 * {@link CRC32C}. Agrona's path needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED} (in
 * {@code jvm.options}); an embedding JVM started without it still works, by copying off-heap bytes through
 * a small scratch array, only slower. Not thread safe: each encoder and decoder owns one.
 */
final class FrameChecksum
{
    private static final int SCRATCH_LENGTH = 4096;
    private static final boolean ADDRESS_CRC_AVAILABLE = isAddressCrcAvailable();

    private final CRC32C heapCrc = new CRC32C();
    private byte[] scratch;

    int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null == array && ADDRESS_CRC_AVAILABLE)
        {
            return Crc32c.INSTANCE.compute(buffer.addressOffset(), offset, length);
        }

        heapCrc.reset();
        if (null != array)
        {
            heapCrc.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            updateThroughScratch(buffer, offset, length);
        }
        return (int)heapCrc.getValue();
    }

    private void updateThroughScratch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == scratch)
        {
            scratch = new byte[SCRATCH_LENGTH];
        }
        for (int position = 0; position < length; position += SCRATCH_LENGTH)
        {
            final int chunk = Math.min(SCRATCH_LENGTH, length - position);
            buffer.getBytes(offset + position, scratch, 0, chunk);
            heapCrc.update(scratch, 0, chunk);
        }
    }

    private static boolean isAddressCrcAvailable()
    {
        try
        {
            return null != Crc32c.INSTANCE;
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }
}
