package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.*;

/**
 * Validates a received frame (see {@link FrameLayout}) as a whole, then walks its messages. Nothing in a
 * frame may be used before {@link #wrap} returned {@link DecodeResult#OK}: it checks the magic, the major
 * version, the length, the CRC32C and the structure of every message, so that a bad frame is rejected
 * whole, before any of it is applied, and no decoder ever reads outside it. A decoder built for a cluster then
 * fences other clusters out: a well-formed frame stamped with another cluster id is
 * {@link DecodeResult#FOREIGN_CLUSTER}, checked last so that a garbled id is a checksum failure, never a stranger.
 * Allocation-free; not thread safe; reusable.
 * <pre>{@code
 * final DecodeResult result = frame.wrap(buffer, offset, length);
 * if (result != DecodeResult.OK) { count it, drop the frame; }
 * while (frame.nextMessage())
 * {
 *     switch (frame.messageType()) { case MessageType.ROOM_COUNT: roomCount.wrap(buffer, frame.bodyOffset(),
 *         frame.bodyLength()); ... }
 * }
 * }</pre>
 */
public final class FrameDecoder
{
    private final CodecLimits limits;
    private final long clusterId;
    private final FrameChecksum checksum = new FrameChecksum();
    private DirectBuffer buffer;
    private int frameOffset;
    private int frameLength;
    private int messageCount;
    private int errorOffset;

    private int cursor;
    private int messageIndex;
    private int messageOffset;
    private int messageLength;

    /**
     * A decoder enforcing the default {@link CodecLimits} and accepting frames of any cluster: for tools and tests.
     */
    public FrameDecoder()
    {
        this(CodecLimits.DEFAULT, FrameLayout.ANY_CLUSTER);
    }

    /**
     * A decoder enforcing the given limits and fencing out every cluster but one.
     *
     * @param limits    maximum sizes; frames exceeding them are rejected.
     * @param clusterId the receiver's cluster id: frames stamped with another are
     *                  {@link DecodeResult#FOREIGN_CLUSTER}; {@link FrameLayout#ANY_CLUSTER} accepts every cluster.
     */
    public FrameDecoder(final CodecLimits limits, final long clusterId)
    {
        this.limits = limits;
        this.clusterId = clusterId;
    }

    /**
     * Validates a frame and, if it is well formed, positions the cursor before its first message.
     *
     * @param buffer holding the frame.
     * @param offset at which the frame starts.
     * @param length number of bytes received.
     * @return {@link DecodeResult#OK} or why the frame is rejected; after {@link DecodeResult#FOREIGN_CLUSTER} the
     * messages may be walked (they are well formed) but none may be applied.
     */
    public DecodeResult wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.frameOffset = offset;
        this.frameLength = 0;
        this.messageCount = 0;
        this.messageIndex = -1;
        this.cursor = offset + HEADER_LENGTH;
        this.errorOffset = offset;

        final DecodeResult result = validate(buffer, offset, length);
        if (DecodeResult.OK == result)
        {
            frameLength = length;
            messageCount = buffer.getInt(offset + MESSAGE_COUNT_OFFSET, BYTE_ORDER);
            if (FrameLayout.ANY_CLUSTER != clusterId && clusterId() != clusterId)
            {
                errorOffset = offset + CLUSTER_ID_OFFSET;
                return DecodeResult.FOREIGN_CLUSTER;
            }
        }
        return result;
    }

    private DecodeResult validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_FRAME_LENGTH || offset < 0 || (long)offset + length > buffer.capacity())
        {
            return DecodeResult.TRUNCATED_HEADER;
        }
        if (buffer.getInt(offset + MAGIC_OFFSET, BYTE_ORDER) != MAGIC)
        {
            return DecodeResult.BAD_MAGIC;
        }
        if ((buffer.getByte(offset + VERSION_MAJOR_OFFSET) & 0xFF) != VERSION_MAJOR)
        {
            errorOffset = offset + VERSION_MAJOR_OFFSET;
            return DecodeResult.UNSUPPORTED_VERSION;
        }

        final int declaredLength = buffer.getInt(offset + FRAME_LENGTH_OFFSET, BYTE_ORDER);
        if (declaredLength != length || length > limits.maxFrameLength())
        {
            errorOffset = offset + FRAME_LENGTH_OFFSET;
            return DecodeResult.BAD_FRAME_LENGTH;
        }

        final int crcOffset = offset + length - TRAILER_LENGTH;
        if (checksum.compute(buffer, offset, length - TRAILER_LENGTH) != buffer.getInt(crcOffset, BYTE_ORDER))
        {
            errorOffset = crcOffset;
            return DecodeResult.CHECKSUM_MISMATCH;
        }

        final int count = buffer.getInt(offset + MESSAGE_COUNT_OFFSET, BYTE_ORDER);
        if (count < 0)
        {
            errorOffset = offset + MESSAGE_COUNT_OFFSET;
            return DecodeResult.BAD_MESSAGE_COUNT;
        }

        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            errorOffset = position;
            if (position > crcOffset - MESSAGE_HEADER_LENGTH)
            {
                return DecodeResult.BAD_MESSAGE_COUNT;
            }

            final int messageLength = buffer.getInt(position + MESSAGE_LENGTH_OFFSET, BYTE_ORDER);
            if (messageLength < MESSAGE_HEADER_LENGTH || messageLength > crcOffset - position)
            {
                return DecodeResult.BAD_MESSAGE_LENGTH;
            }

            final int type = buffer.getShort(position + MESSAGE_TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
            final DecodeResult bodyResult = MessageType.validateBody(
                type, buffer, position + MESSAGE_HEADER_LENGTH, messageLength - MESSAGE_HEADER_LENGTH, limits);
            if (DecodeResult.OK != bodyResult)
            {
                return bodyResult;
            }
            position += messageLength;
        }

        if (position != crcOffset)
        {
            errorOffset = position;
            return DecodeResult.BAD_MESSAGE_COUNT;
        }

        return DecodeResult.OK;
    }

    /**
     * Advances to the next message of a frame that {@link #wrap} accepted.
     *
     * @return false when there are no more messages.
     */
    public boolean nextMessage()
    {
        if (messageIndex + 1 >= messageCount)
        {
            return false;
        }

        messageIndex++;
        messageOffset = cursor;
        messageLength = buffer.getInt(cursor + MESSAGE_LENGTH_OFFSET, BYTE_ORDER);
        cursor += messageLength;
        return true;
    }

    /**
     * Type of the current message.
     *
     * @return one of {@link MessageType}.
     */
    public int messageType()
    {
        return buffer.getShort(messageOffset + MESSAGE_TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Sequence number of the current message in its stream.
     *
     * @return first sequence of the frame plus the message's index.
     */
    public long messageSequence()
    {
        return firstSequence() + messageIndex;
    }

    /**
     * Index of the current message within the frame, from 0.
     *
     * @return the index.
     */
    public int messageIndex()
    {
        return messageIndex;
    }

    /**
     * Offset of the current message's body in the buffer.
     *
     * @return the offset to wrap a message decoder at.
     */
    public int bodyOffset()
    {
        return messageOffset + MESSAGE_HEADER_LENGTH;
    }

    /**
     * Length of the current message's body.
     *
     * @return the length to wrap a message decoder with.
     */
    public int bodyLength()
    {
        return messageLength - MESSAGE_HEADER_LENGTH;
    }

    /**
     * The buffer the frame was read from.
     *
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Length of the accepted frame.
     *
     * @return bytes, or 0 if the frame was malformed.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * Number of messages in the accepted frame.
     *
     * @return the count, or 0 if the frame was malformed.
     */
    public int messageCount()
    {
        return messageCount;
    }

    /**
     * Where in the buffer the last rejected frame went wrong, for diagnostics.
     *
     * @return an offset within the frame.
     */
    public int errorOffset()
    {
        return errorOffset;
    }

    /**
     * Minor protocol version of the sender.
     *
     * @return the minor version byte.
     */
    public int versionMinor()
    {
        return buffer.getByte(frameOffset + VERSION_MINOR_OFFSET) & 0xFF;
    }

    /**
     * The frame's flags (reserved, 0 in this version).
     *
     * @return the 16-bit flags.
     */
    public int flags()
    {
        return buffer.getShort(frameOffset + FLAGS_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * The sender's node id.
     *
     * @return the node id.
     */
    public long senderNodeId()
    {
        return buffer.getLong(frameOffset + SENDER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's incarnation.
     *
     * @return the incarnation.
     */
    public long senderIncarnation()
    {
        return buffer.getLong(frameOffset + SENDER_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * The destination node, or {@link FrameLayout#BROADCAST}.
     *
     * @return the destination node id.
     */
    public long destinationNodeId()
    {
        return buffer.getLong(frameOffset + DESTINATION_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's cluster id (the hash of its cluster name).
     *
     * @return the cluster id.
     */
    public long clusterId()
    {
        return buffer.getLong(frameOffset + CLUSTER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The cluster id this decoder accepts.
     *
     * @return the expected cluster id, or {@link FrameLayout#ANY_CLUSTER}.
     */
    public long expectedClusterId()
    {
        return clusterId;
    }

    /**
     * Sequence number of the frame's first message.
     *
     * @return the first sequence.
     */
    public long firstSequence()
    {
        return buffer.getLong(frameOffset + FIRST_SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
