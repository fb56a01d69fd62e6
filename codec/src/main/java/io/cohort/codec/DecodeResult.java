package io.cohort.codec;

/**
 * Outcome of validating a received frame or message. Every way a frame can be malformed has its own
 * result so that the transport can count it and say why a sender is considered desynchronised; no
 * exception is ever thrown for bad input.
 */
public enum DecodeResult
{
    /** The frame is well formed: every message in it may be read. */
    OK(0, "well formed"),
    /** Fewer bytes than a frame header plus trailer. */
    TRUNCATED_HEADER(1, "shorter than a frame header and trailer"),
    /** The first four bytes are not the Cohort magic: not a Cohort frame at all. */
    BAD_MAGIC(2, "magic number is not Cohort's"),
    /** The major protocol version is one this node does not speak. */
    UNSUPPORTED_VERSION(3, "unsupported major protocol version"),
    /** The frame length field disagrees with the number of bytes received, or exceeds the limit. */
    BAD_FRAME_LENGTH(4, "frame length field disagrees with the bytes received or exceeds the maximum"),
    /** The CRC32C trailer does not match the frame's bytes: the frame was garbled. */
    CHECKSUM_MISMATCH(5, "CRC32C checksum mismatch"),
    /** The message count is negative, or the messages do not fill the frame exactly. */
    BAD_MESSAGE_COUNT(6, "message count disagrees with the messages in the frame"),
    /** A message header claims a length shorter than a header or past the end of the frame. */
    BAD_MESSAGE_LENGTH(7, "message length is shorter than its header or runs past the frame"),
    /** A message type this protocol version does not define. */
    UNKNOWN_MESSAGE_TYPE(8, "unknown message type"),
    /** A message body is shorter than its type's fixed fields. */
    TRUNCATED_MESSAGE(9, "message body shorter than its fixed fields"),
    /** A variable-length field or list is negative or runs past the end of its message. */
    BAD_FIELD_LENGTH(10, "variable-length field or list runs past its message"),
    /** A variable-length field or list is longer than the configured maximum. */
    FIELD_TOO_LARGE(11, "variable-length field or list exceeds the configured maximum"),
    /** A field holds a value its type forbids (e.g. a negative subscriber count). */
    BAD_FIELD_VALUE(12, "field value out of range"),
    /**
     * The frame is well formed but stamped with another cluster's id: nothing in it may be applied. Its messages
     * may still be walked, only to answer a join request with a refusal that names both clusters.
     */
    FOREIGN_CLUSTER(13, "frame from another cluster");


    private static final DecodeResult[] BY_CODE;

    static
    {
        final DecodeResult[] values = values();
        int maxCode = 0;
        for (final DecodeResult value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new DecodeResult[maxCode + 1];
        for (final DecodeResult value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;
    private final String description;

    DecodeResult(final int code, final String description)
    {
        this.code = code;
        this.description = description;
    }

    /**
     * A human-readable reason, for logs and error messages.
     *
     * @return what is wrong with the input.
     */
    public String description()
    {
        return description;
    }

    /**
     * The stable code of this result, as carried in the observed field of a {@link ReasonCode#BAD_FRAME}
     * accusation and returned negated by the decoders' validation: never changes, whatever the order of the
     * constants.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The value of a code written by {@link #code()}.
     *
     * @param code a code.
     * @return its value.
     * @throws IllegalArgumentException if no value has this code.
     */
    public static DecodeResult get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown DecodeResult code: " + code);
        }
        return BY_CODE[(int)code];
    }
}
