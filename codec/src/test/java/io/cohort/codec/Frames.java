package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.HexFormat;
import java.util.zip.CRC32C;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static io.cohort.codec.FrameLayout.TRAILER_LENGTH;

/**
 * Test helpers for raw frames: an independent CRC32C (the JDK's, never the codec's {@link FrameChecksum}),
 * rewriting the trailer after tampering, and hex.
 */
final class Frames
{
    private static final int CHUNK = 4096;

    private final CRC32C crc = new CRC32C();
    private final byte[] chunk = new byte[CHUNK];

    /**
     * CRC32C of a range of a buffer, computed with {@link CRC32C} over a copy of the bytes.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the CRC32C as an int, as it is stored in a trailer.
     */
    int crc32c(final DirectBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        for (int done = 0; done < length; )
        {
            final int n = Math.min(CHUNK, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            crc.update(chunk, 0, n);
            done += n;
        }
        return (int)crc.getValue();
    }

    /**
     * Recomputes the CRC32C trailer of a frame after its bytes were tampered with, so that a structural
     * check, not the checksum, is what must reject it.
     *
     * @param buffer holding the frame.
     * @param offset where the frame starts.
     * @param length bytes of the frame, trailer included: the CRC covers [offset, offset + length - 4).
     */
    void rewriteCrc(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.putInt(offset + length - TRAILER_LENGTH, crc32c(buffer, offset, length - TRAILER_LENGTH), BYTE_ORDER);
    }

    /**
     * CRC32C of a whole array.
     *
     * @param bytes to checksum.
     * @param length how many of them, from the start.
     * @return the CRC32C as an int.
     */
    static int crc32c(final byte[] bytes, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int)crc.getValue();
    }

    /**
     * Lower-case hex of a range of a buffer, without separators.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the hex string.
     */
    static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Parses hex written with any whitespace between bytes.
     *
     * @param hex the text.
     * @return the bytes.
     */
    static byte[] fromHex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }
}
