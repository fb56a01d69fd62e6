package io.cohort.codec;

import org.agrona.MutableDirectBuffer;

import static io.cohort.codec.FrameLayout.*;

/**
 * Writes a frame (see {@link FrameLayout}) into a buffer: {@link #begin} the header, {@link #claim} room
 * for each message and write its body with the type's encoder at the returned offset, then {@link #finish}
 * to stamp the length, count and CRC32C. Reusable and allocation-free; not thread safe.
 * <pre>{@code
 * frame.wrap(buffer, 0, buffer.capacity()).begin(clusterId, nodeId, incarnation, FrameLayout.BROADCAST, nextSequence);
 * final int at = frame.claim(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
 * if (at != FrameEncoder.NO_SPACE)
 * {
 *     roomCount.wrap(buffer, at).roomId(roomId).count(count);
 * }
 * final int frameLength = frame.finish();
 * }</pre>
 */
public final class FrameEncoder
{
    /** Returned by {@link #claim} when the message does not fit in the rest of the frame. */
    public static final int NO_SPACE = -1;

    private final FrameChecksum checksum = new FrameChecksum();
    private MutableDirectBuffer buffer;
    private int frameOffset;
    private int capacity;
    private int limit;
    private int messageCount;
    private int lastMessageOffset;
    private boolean begun;

    /**
     * Wraps the region of a buffer the frame will be written to.
     *
     * @param buffer   to write into.
     * @param offset   at which the frame starts.
     * @param capacity the most bytes the frame may take, trailer included.
     * @return this for a fluent API.
     * @throws IllegalArgumentException if the capacity cannot hold an empty frame or exceeds the buffer.
     */
    public FrameEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        if (capacity < MIN_FRAME_LENGTH || offset < 0 || (long)offset + capacity > buffer.capacity())
        {
            throw new IllegalArgumentException("capacity=" + capacity + " at offset=" + offset +
                " must hold at least " + MIN_FRAME_LENGTH + " bytes within a buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.frameOffset = offset;
        this.capacity = capacity;
        this.begun = false;
        return this;
    }

    /**
     * Starts a new, empty frame in the wrapped region, discarding anything written before.
     *
     * @param clusterId         the sender's cluster id (the hash of its cluster name), which receivers of another
     *                          cluster refuse.
     * @param senderNodeId      the sender's node id.
     * @param senderIncarnation the sender's incarnation.
     * @param destinationNodeId the destination node, or {@link FrameLayout#BROADCAST}.
     * @param firstSequence     the sequence number of the first message to be claimed.
     * @return this for a fluent API.
     */
    public FrameEncoder begin(
        final long clusterId,
        final long senderNodeId,
        final long senderIncarnation,
        final long destinationNodeId,
        final long firstSequence)
    {
        final MutableDirectBuffer buffer = this.buffer;
        final int offset = frameOffset;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        buffer.putByte(offset + VERSION_MAJOR_OFFSET, (byte)VERSION_MAJOR);
        buffer.putByte(offset + VERSION_MINOR_OFFSET, (byte)VERSION_MINOR);
        buffer.putShort(offset + FLAGS_OFFSET, (short)0, BYTE_ORDER);
        buffer.putLong(offset + SENDER_NODE_ID_OFFSET, senderNodeId, BYTE_ORDER);
        buffer.putLong(offset + SENDER_INCARNATION_OFFSET, senderIncarnation, BYTE_ORDER);
        buffer.putLong(offset + DESTINATION_NODE_ID_OFFSET, destinationNodeId, BYTE_ORDER);
        buffer.putLong(offset + FIRST_SEQUENCE_OFFSET, firstSequence, BYTE_ORDER);
        buffer.putLong(offset + CLUSTER_ID_OFFSET, clusterId, BYTE_ORDER);
        limit = offset + HEADER_LENGTH;
        messageCount = 0;
        begun = true;
        return this;
    }

    /**
     * Claims room for one message and writes its header.
     *
     * @param messageType one of {@link MessageType}.
     * @param bodyLength  length of the body the caller will write at the returned offset.
     * @return the offset at which to write the body, or {@link #NO_SPACE} if it does not fit (nothing is
     * written then, and the frame stays valid).
     * @throws IllegalStateException if {@link #begin} was not called.
     * @throws IllegalArgumentException if the body length is negative.
     */
    public int claim(final int messageType, final int bodyLength)
    {
        if (!begun)
        {
            throw new IllegalStateException("claim before begin: call begin(...) for each frame");
        }
        if (bodyLength < 0)
        {
            throw new IllegalArgumentException("bodyLength=" + bodyLength + " must not be negative");
        }

        if ((long)limit + MESSAGE_HEADER_LENGTH + bodyLength > (long)frameOffset + capacity - TRAILER_LENGTH)
        {
            return NO_SPACE;
        }

        final int messageLength = MESSAGE_HEADER_LENGTH + bodyLength;
        final int messageOffset = limit;
        lastMessageOffset = messageOffset;
        buffer.putInt(messageOffset + MESSAGE_LENGTH_OFFSET, messageLength, BYTE_ORDER);
        buffer.putShort(messageOffset + MESSAGE_TYPE_OFFSET, (short)messageType, BYTE_ORDER);
        buffer.putShort(messageOffset + MESSAGE_RESERVED_OFFSET, (short)0, BYTE_ORDER);
        limit = messageOffset + messageLength;
        messageCount++;
        return messageOffset + MESSAGE_HEADER_LENGTH;
    }

    /**
     * Shrinks the body of the message claimed last, for messages whose length is only known once written
     * (e.g. a snapshot chunk filled until the frame is full): claim {@link #remainingBodyLength()}, write,
     * then resize to what was written.
     *
     * @param bodyLength the body length actually written, at most the claimed length.
     * @throws IllegalStateException if no message was claimed since {@link #begin}.
     * @throws IllegalArgumentException if the length is negative or larger than claimed.
     */
    public void resizeLastMessage(final int bodyLength)
    {
        if (!begun || 0 == messageCount)
        {
            throw new IllegalStateException("no message claimed since begin");
        }
        final int claimedBodyLength = limit - lastMessageOffset - MESSAGE_HEADER_LENGTH;
        if (bodyLength < 0 || bodyLength > claimedBodyLength)
        {
            throw new IllegalArgumentException(
                "bodyLength=" + bodyLength + " is outside [0, " + claimedBodyLength + "] claimed");
        }
        buffer.putInt(lastMessageOffset + MESSAGE_LENGTH_OFFSET, MESSAGE_HEADER_LENGTH + bodyLength, BYTE_ORDER);
        limit = lastMessageOffset + MESSAGE_HEADER_LENGTH + bodyLength;
    }

    /**
     * The longest message body that still fits in the frame.
     *
     * @return a body length for {@link #claim}, or {@link #NO_SPACE} if not even a message header fits.
     */
    public int remainingBodyLength()
    {
        final int remaining = frameOffset + capacity - TRAILER_LENGTH - limit - MESSAGE_HEADER_LENGTH;
        return remaining >= 0 ? remaining : NO_SPACE;
    }

    /**
     * Whether a message body of this length still fits in the frame.
     *
     * @param bodyLength length of a body.
     * @return true if {@link #claim} would succeed.
     */
    public boolean fits(final int bodyLength)
    {
        return begun && bodyLength >= 0 &&
            (long)limit + MESSAGE_HEADER_LENGTH + bodyLength <= (long)frameOffset + capacity - TRAILER_LENGTH;
    }

    /**
     * Number of messages claimed since {@link #begin}.
     *
     * @return the message count.
     */
    public int messageCount()
    {
        return messageCount;
    }

    /**
     * Length the frame will have when finished, trailer included.
     *
     * @return the frame length in bytes.
     */
    public int frameLength()
    {
        return limit - frameOffset + TRAILER_LENGTH;
    }

    /**
     * Stamps the frame length, message count and CRC32C. Bodies must have been written by now. The frame
     * may be finished again after more claims; {@link #begin} starts the next one.
     *
     * @return the frame's length in bytes, trailer included.
     */
    public int finish()
    {
        if (!begun)
        {
            throw new IllegalStateException("finish before begin: call begin(...) for each frame");
        }

        final MutableDirectBuffer buffer = this.buffer;
        final int offset = frameOffset;
        final int frameLength = frameLength();
        buffer.putInt(offset + FRAME_LENGTH_OFFSET, frameLength, BYTE_ORDER);
        buffer.putInt(offset + MESSAGE_COUNT_OFFSET, messageCount, BYTE_ORDER);
        final int crc = checksum.compute(buffer, offset, frameLength - TRAILER_LENGTH);
        buffer.putInt(limit, crc, BYTE_ORDER);
        return frameLength;
    }
}
