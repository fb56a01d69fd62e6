package io.cohort.codec;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An {@link UnsafeBuffer} that fails any read outside a window, so that a test can prove a decoder reads
 * nothing outside the frame it was given even though the buffer around the frame is readable. Covers the
 * reads the codec uses (get of byte, short, int, long and bytes, and the bounds check a copy into another
 * buffer makes of its source). Writes are not checked.
 */
final class WindowedBuffer extends UnsafeBuffer
{
    private int windowStart;
    private int windowEnd;

    WindowedBuffer(final byte[] array)
    {
        super(array);
        open();
    }

    WindowedBuffer(final ByteBuffer buffer)
    {
        super(buffer);
        open();
    }

    /**
     * Allows reads of [start, start + length) only.
     *
     * @param start  first readable index.
     * @param length number of readable bytes.
     */
    void window(final int start, final int length)
    {
        windowStart = start;
        windowEnd = start + length;
    }

    /**
     * Allows reads of the whole buffer.
     */
    void open()
    {
        window(0, capacity());
    }

    private void check(final int index, final int length)
    {
        if (index < windowStart || (long)index + length > windowEnd)
        {
            throw new AssertionError("read of " + length + " bytes at index " + index + " outside the frame [" +
                windowStart + ", " + windowEnd + ")");
        }
    }

    public byte getByte(final int index)
    {
        check(index, Byte.BYTES);
        return super.getByte(index);
    }

    public short getShort(final int index)
    {
        check(index, Short.BYTES);
        return super.getShort(index);
    }

    public short getShort(final int index, final ByteOrder byteOrder)
    {
        check(index, Short.BYTES);
        return super.getShort(index, byteOrder);
    }

    public int getInt(final int index)
    {
        check(index, Integer.BYTES);
        return super.getInt(index);
    }

    public int getInt(final int index, final ByteOrder byteOrder)
    {
        check(index, Integer.BYTES);
        return super.getInt(index, byteOrder);
    }

    public long getLong(final int index)
    {
        check(index, Long.BYTES);
        return super.getLong(index);
    }

    public long getLong(final int index, final ByteOrder byteOrder)
    {
        check(index, Long.BYTES);
        return super.getLong(index, byteOrder);
    }

    public void getBytes(final int index, final byte[] dst)
    {
        check(index, dst.length);
        super.getBytes(index, dst);
    }

    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        check(index, length);
        super.getBytes(index, dst, offset, length);
    }

    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, dstIndex, length);
    }

    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, length);
    }

    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, dstOffset, length);
    }

    public void boundsCheck(final int index, final int length)
    {
        check(index, length);
        super.boundsCheck(index, length);
    }
}
