package io.cohort.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Reading, writing and validating the variable-length fields shared by every message: an int32 length
 * followed by that many bytes.
 * <p>
 * Validators return the offset just past the field when it is sound, or a negative value that
 * {@link #result(int)} turns back into a {@link DecodeResult}, so that validation never allocates.
 */
final class Fields
{
    /** Length of the prefix of a variable-length field. */
    static final int VAR_LENGTH_PREFIX = SIZE_OF_INT;

    private Fields()
    {
    }

    static int error(final DecodeResult result)
    {
        return -result.code();
    }

    static DecodeResult result(final int errorOrOffset)
    {
        return errorOrOffset >= 0 ? DecodeResult.OK : DecodeResult.get(-errorOrOffset);
    }

    /**
     * Validates a variable-length field starting at {@code fieldOffset} that must end by {@code limit}.
     *
     * @return the offset after the field, or a negative error.
     */
    static int skipVar(final DirectBuffer buffer, final int fieldOffset, final int limit, final int maxLength)
    {
        if (fieldOffset > limit - VAR_LENGTH_PREFIX)
        {
            return error(DecodeResult.BAD_FIELD_LENGTH);
        }

        final int length = buffer.getInt(fieldOffset, BYTE_ORDER);
        if (length < 0)
        {
            return error(DecodeResult.BAD_FIELD_LENGTH);
        }
        if (length > maxLength)
        {
            return error(DecodeResult.FIELD_TOO_LARGE);
        }

        final long end = (long)fieldOffset + VAR_LENGTH_PREFIX + length;
        if (end > limit)
        {
            return error(DecodeResult.BAD_FIELD_LENGTH);
        }

        return (int)end;
    }

    /**
     * Validates a list of {@code count} entries of {@code entryLength} bytes starting at {@code listOffset}.
     *
     * @return the offset after the list, or a negative error.
     */
    static int skipFixedList(
        final int listOffset, final int limit, final int count, final int entryLength, final int maxCount)
    {
        if (count < 0)
        {
            return error(DecodeResult.BAD_FIELD_LENGTH);
        }
        if (count > maxCount)
        {
            return error(DecodeResult.FIELD_TOO_LARGE);
        }

        final long end = (long)listOffset + (long)count * entryLength;
        if (end > limit)
        {
            return error(DecodeResult.BAD_FIELD_LENGTH);
        }

        return (int)end;
    }

    static int varLength(final DirectBuffer buffer, final int fieldOffset)
    {
        return buffer.getInt(fieldOffset, BYTE_ORDER);
    }

    static int varEnd(final DirectBuffer buffer, final int fieldOffset)
    {
        return fieldOffset + VAR_LENGTH_PREFIX + buffer.getInt(fieldOffset, BYTE_ORDER);
    }

    static int getVar(final DirectBuffer buffer, final int fieldOffset, final MutableDirectBuffer dst, final int dstOffset)
    {
        final int length = buffer.getInt(fieldOffset, BYTE_ORDER);
        dst.putBytes(dstOffset, buffer, fieldOffset + VAR_LENGTH_PREFIX, length);
        return length;
    }

    static byte[] getVarBytes(final DirectBuffer buffer, final int fieldOffset)
    {
        final byte[] bytes = new byte[buffer.getInt(fieldOffset, BYTE_ORDER)];
        buffer.getBytes(fieldOffset + VAR_LENGTH_PREFIX, bytes);
        return bytes;
    }

    static String getVarString(final DirectBuffer buffer, final int fieldOffset)
    {
        return new String(getVarBytes(buffer, fieldOffset), StandardCharsets.UTF_8);
    }

    static int putVar(
        final MutableDirectBuffer buffer,
        final int fieldOffset,
        final DirectBuffer src,
        final int srcOffset,
        final int length)
    {
        buffer.putInt(fieldOffset, length, BYTE_ORDER);
        buffer.putBytes(fieldOffset + VAR_LENGTH_PREFIX, src, srcOffset, length);
        return fieldOffset + VAR_LENGTH_PREFIX + length;
    }

    static int putVar(final MutableDirectBuffer buffer, final int fieldOffset, final byte[] src)
    {
        buffer.putInt(fieldOffset, src.length, BYTE_ORDER);
        buffer.putBytes(fieldOffset + VAR_LENGTH_PREFIX, src);
        return fieldOffset + VAR_LENGTH_PREFIX + src.length;
    }

    static int checkLength(final String field, final int length, final int maxLength)
    {
        if (length < 0 || length > maxLength)
        {
            throw new IllegalArgumentException(field + "=" + length + " bytes is outside [0, " + maxLength + "]");
        }
        return length;
    }

    static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
