package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Reads a member card: a node's identity, protocol version and endpoints. It is the body of
 * {@link MessageType#MEMBER_CARD} and {@link MessageType#NODE_JOINED}, and the entries of join requests and
 * responses.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                         Node Id (64)                          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                       Incarnation (64)                        +
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  | Version Major | Version Minor |           Reserved            | 16
 *  +---------------+---------------+-------------------------------+
 *  |                             Flags                             | 20
 *  +---------------------------------------------------------------+
 *  |                  Sync Endpoint Length (s)                     | 24
 *  +---------------------------------------------------------------+
 *  |            Sync Endpoint (s bytes, e.g. tcp://h:7511)        ... 28
 *  +---------------------------------------------------------------+
 *  |                 Command Endpoint Length (c)                   |
 *  +---------------------------------------------------------------+
 *  |                  Command Endpoint (c bytes)                  ...
 *  +---------------------------------------------------------------+
 *  |              CURVE Public Key Length (k, 0 or 32)             |
 *  +---------------------------------------------------------------+
 *  |                    CURVE Public Key (k bytes)                ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class MemberCardDecoder
{
    static final int NODE_ID_OFFSET = 0;
    static final int INCARNATION_OFFSET = NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int VERSION_MAJOR_OFFSET = INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int VERSION_MINOR_OFFSET = VERSION_MAJOR_OFFSET + 1;
    static final int RESERVED_OFFSET = VERSION_MINOR_OFFSET + 1;
    static final int FLAGS_OFFSET = RESERVED_OFFSET + SIZE_OF_SHORT;
    static final int SYNC_ENDPOINT_OFFSET = FLAGS_OFFSET + SIZE_OF_INT;
    /** Length of a card whose endpoints and key are empty. */
    public static final int MIN_LENGTH = SYNC_ENDPOINT_OFFSET + 3 * Fields.VAR_LENGTH_PREFIX;

    private DirectBuffer buffer;
    private int offset;
    private int commandEndpointOffset;
    private int publicKeyOffset;

    /**
     * Wraps a card accepted by {@link FrameDecoder}.
     *
     * @param buffer holding the card.
     * @param offset where the card starts.
     * @param length length of the body holding it.
     * @return this for a fluent API.
     */
    public MemberCardDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        commandEndpointOffset = Fields.varEnd(buffer, offset + SYNC_ENDPOINT_OFFSET);
        publicKeyOffset = Fields.varEnd(buffer, commandEndpointOffset);
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        return Fields.result(skipEntry(buffer, bodyOffset, bodyOffset + bodyLength, limits));
    }

    /**
     * Validates one card at {@code offset} that must end by {@code limit}.
     *
     * @return the offset after it, or a negative error for {@link Fields#result(int)}.
     */
    static int skipEntry(final DirectBuffer buffer, final int offset, final int limit, final CodecLimits limits)
    {
        if (offset > limit - MIN_LENGTH)
        {
            return Fields.error(DecodeResult.BAD_FIELD_LENGTH);
        }
        final int maxLength = limits.maxEndpointLength();
        int position = Fields.skipVar(buffer, offset + SYNC_ENDPOINT_OFFSET, limit, maxLength);
        if (position >= 0)
        {
            position = Fields.skipVar(buffer, position, limit, maxLength);
        }
        if (position >= 0)
        {
            position = Fields.skipVar(buffer, position, limit, maxLength);
        }
        return position;
    }

    /**
     * The offset just past a card that was validated.
     *
     * @return the offset after the card's public key.
     */
    static int end(final DirectBuffer buffer, final int offset)
    {
        return Fields.varEnd(buffer, Fields.varEnd(buffer, Fields.varEnd(buffer, offset + SYNC_ENDPOINT_OFFSET)));
    }

    /**
     * Length of the wrapped card.
     *
     * @return bytes from the wrapped offset to the end of the public key.
     */
    public int encodedLength()
    {
        return Fields.varEnd(buffer, publicKeyOffset) - offset;
    }

    /**
     * The member's node id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return buffer.getLong(offset + NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The member's incarnation.
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return buffer.getLong(offset + INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * The major protocol version the member speaks.
     *
     * @return the major version.
     */
    public int versionMajor()
    {
        return buffer.getByte(offset + VERSION_MAJOR_OFFSET) & 0xFF;
    }

    /**
     * The minor protocol version the member speaks.
     *
     * @return the minor version.
     */
    public int versionMinor()
    {
        return buffer.getByte(offset + VERSION_MINOR_OFFSET) & 0xFF;
    }

    /**
     * The member's flags (reserved, 0 in this version).
     *
     * @return the flags.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * The sync (publishing) endpoint (allocates).
     *
     * @return the endpoint, e.g. {@code tcp://10.0.0.1:7511}.
     */
    public String syncEndpoint()
    {
        return Fields.getVarString(buffer, offset + SYNC_ENDPOINT_OFFSET);
    }

    /**
     * The command (ROUTER) endpoint (allocates).
     *
     * @return the endpoint, e.g. {@code tcp://10.0.0.1:7510}.
     */
    public String commandEndpoint()
    {
        return Fields.getVarString(buffer, commandEndpointOffset);
    }

    /**
     * Length of the CURVE public key.
     *
     * @return 0 when CURVE is off.
     */
    public int publicKeyLength()
    {
        return Fields.varLength(buffer, publicKeyOffset);
    }

    /**
     * The CURVE public key (allocates).
     *
     * @return the key bytes, empty when CURVE is off.
     */
    public byte[] publicKey()
    {
        return Fields.getVarBytes(buffer, publicKeyOffset);
    }
}
