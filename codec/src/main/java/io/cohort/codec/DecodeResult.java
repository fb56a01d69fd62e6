package io.cohort.codec;

/**
 * Outcome of validating a received frame or message. Every way a frame can be malformed has its own
 * result so that the transport can count it and say why a sender is considered desynchronised; no
 * exception is ever thrown for bad input.
 */
public enum DecodeResult
{
    /** The frame is well formed: every message in it may be read. */
    OK("well formed"),
    /** Fewer bytes than a frame header plus trailer. */
    TRUNCATED_HEADER("shorter than a frame header and trailer"),
    /** The first four bytes are not the Cohort magic: not a Cohort frame at all. */
    BAD_MAGIC("magic number is not Cohort's"),
    /** The major protocol version is one this node does not speak. */
    UNSUPPORTED_VERSION("unsupported major protocol version"),
    /** The frame length field disagrees with the number of bytes received, or exceeds the limit. */
    BAD_FRAME_LENGTH("frame length field disagrees with the bytes received or exceeds the maximum"),
    /** The CRC32C trailer does not match the frame's bytes: the frame was garbled. */
    CHECKSUM_MISMATCH("CRC32C checksum mismatch"),
    /** The message count is negative, or the messages do not fill the frame exactly. */
    BAD_MESSAGE_COUNT("message count disagrees with the messages in the frame"),
    /** A message header claims a length shorter than a header or past the end of the frame. */
    BAD_MESSAGE_LENGTH("message length is shorter than its header or runs past the frame"),
    /** A message type this protocol version does not define. */
    UNKNOWN_MESSAGE_TYPE("unknown message type"),
    /** A message body is shorter than its type's fixed fields. */
    TRUNCATED_MESSAGE("message body shorter than its fixed fields"),
    /** A variable-length field or list is negative or runs past the end of its message. */
    BAD_FIELD_LENGTH("variable-length field or list runs past its message"),
    /** A variable-length field or list is longer than the configured maximum. */
    FIELD_TOO_LARGE("variable-length field or list exceeds the configured maximum"),
    /** A field holds a value its type forbids (e.g. a negative subscriber count). */
    BAD_FIELD_VALUE("field value out of range");

    private final String description;

    DecodeResult(final String description)
    {
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
}
