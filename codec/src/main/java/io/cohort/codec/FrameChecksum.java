package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;

import java.util.zip.CRC32C;

/**
 * CRC32C over a range of a buffer, on or off the Java heap, without allocating. Direct and off-heap
 * buffers go through Agrona's {@link Crc32c} (an intrinsic over the memory address); heap arrays through a
 * reused {@link CRC32C}. Not thread safe: each encoder and decoder owns one.
 */
final class FrameChecksum
{
    private final CRC32C heapCrc = new CRC32C();

    int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null == array)
        {
            return Crc32c.INSTANCE.compute(buffer.addressOffset(), offset, length);
        }

        heapCrc.reset();
        heapCrc.update(array, buffer.wrapAdjustment() + offset, length);
        return (int)heapCrc.getValue();
    }
}
