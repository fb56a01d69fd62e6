package io.cohort.codec;

/**
 * Maximum sizes of the variable-length parts of messages, enforced by encoders (misuse: an
 * {@link IllegalArgumentException} naming the field) and by decoders ({@link DecodeResult#FIELD_TOO_LARGE}).
 * Every node of a cluster must use the same limits. Immutable.
 */
public final class CodecLimits
{
    /** Default maximum of an index, collection, cluster event or cluster name, in bytes. */
    public static final int MAX_NAME_LENGTH_DEFAULT = 255;
    /** Default maximum of a ZeroMQ endpoint string or a CURVE public key, in bytes. */
    public static final int MAX_ENDPOINT_LENGTH_DEFAULT = 255;
    /** Default maximum of a room's opaque filter, in bytes. */
    public static final int MAX_FILTER_LENGTH_DEFAULT = 16 * 1024;
    /** Default maximum of a notification or cluster event payload, in bytes. */
    public static final int MAX_PAYLOAD_LENGTH_DEFAULT = 256 * 1024;
    /** Default maximum number of members in a membership view or member list. */
    public static final int MAX_MEMBERS_DEFAULT = 1024;
    /** Default maximum length of a whole frame, header and trailer included, in bytes. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = 1024 * 1024;

    /** Limits with every default. */
    public static final CodecLimits DEFAULT = new CodecLimits(
        MAX_NAME_LENGTH_DEFAULT,
        MAX_ENDPOINT_LENGTH_DEFAULT,
        MAX_FILTER_LENGTH_DEFAULT,
        MAX_PAYLOAD_LENGTH_DEFAULT,
        MAX_MEMBERS_DEFAULT,
        MAX_FRAME_LENGTH_DEFAULT);

    private final int maxNameLength;
    private final int maxEndpointLength;
    private final int maxFilterLength;
    private final int maxPayloadLength;
    private final int maxMembers;
    private final int maxFrameLength;

    /**
     * Limits with explicit values.
     *
     * @param maxNameLength     maximum index, collection, event or cluster name length in bytes.
     * @param maxEndpointLength maximum endpoint or public key length in bytes.
     * @param maxFilterLength   maximum room filter length in bytes.
     * @param maxPayloadLength  maximum notification or event payload length in bytes.
     * @param maxMembers        maximum number of members in a view or member list.
     * @param maxFrameLength    maximum length of a frame in bytes, header and trailer included.
     * @throws IllegalArgumentException naming the first value out of range.
     */
    public CodecLimits(
        final int maxNameLength,
        final int maxEndpointLength,
        final int maxFilterLength,
        final int maxPayloadLength,
        final int maxMembers,
        final int maxFrameLength)
    {
        this.maxNameLength = requireNonNegative("maxNameLength", maxNameLength);
        this.maxEndpointLength = requireNonNegative("maxEndpointLength", maxEndpointLength);
        this.maxFilterLength = requireNonNegative("maxFilterLength", maxFilterLength);
        this.maxPayloadLength = requireNonNegative("maxPayloadLength", maxPayloadLength);
        this.maxMembers = requireNonNegative("maxMembers", maxMembers);
        if (maxFrameLength < FrameLayout.MIN_FRAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "maxFrameLength=" + maxFrameLength + " is below the minimum frame length " +
                FrameLayout.MIN_FRAME_LENGTH);
        }
        this.maxFrameLength = maxFrameLength;
    }

    private static int requireNonNegative(final String name, final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " must not be negative");
        }
        return value;
    }

    /**
     * Maximum index, collection, cluster event or cluster name length.
     *
     * @return the maximum in bytes.
     */
    public int maxNameLength()
    {
        return maxNameLength;
    }

    /**
     * Maximum endpoint or CURVE public key length.
     *
     * @return the maximum in bytes.
     */
    public int maxEndpointLength()
    {
        return maxEndpointLength;
    }

    /**
     * Maximum room filter length.
     *
     * @return the maximum in bytes.
     */
    public int maxFilterLength()
    {
        return maxFilterLength;
    }

    /**
     * Maximum notification or cluster event payload length.
     *
     * @return the maximum in bytes.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Maximum number of members in a membership view or member list.
     *
     * @return the maximum count.
     */
    public int maxMembers()
    {
        return maxMembers;
    }

    /**
     * Maximum length of a frame, header and trailer included.
     *
     * @return the maximum in bytes.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "CodecLimits{" +
            "maxNameLength=" + maxNameLength +
            ", maxEndpointLength=" + maxEndpointLength +
            ", maxFilterLength=" + maxFilterLength +
            ", maxPayloadLength=" + maxPayloadLength +
            ", maxMembers=" + maxMembers +
            ", maxFrameLength=" + maxFrameLength +
            '}';
    }
}
