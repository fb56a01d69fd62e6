package io.cohort.codec;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Layout of a Cohort frame: one ZeroMQ message carrying a batch of Cohort messages. All fields are
 * little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic 0x54484F43 "COHT"                   |  0
 *  +---------------+---------------+-------------------------------+
 *  | Version Major | Version Minor |             Flags             |  4
 *  +---------------+---------------+-------------------------------+
 *  |               Frame Length (header + messages + trailer)      |  8
 *  +---------------------------------------------------------------+
 *  |                         Message Count                         | 12
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                      Sender Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                   Sender Incarnation (64)                     +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +          Destination Node Id (64), 0 for a broadcast          +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 40
 *  +                    First Sequence (64)                        +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Messages (Message Count of them)            ... 48
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |          CRC32C of every byte before this field               |  Frame Length - 4
 *  +---------------------------------------------------------------+
 * </pre>
 * The n-th message of a frame (from 0) has sequence number {@code First Sequence + n} in the stream named
 * by (sender node id, sender incarnation, destination node id). The cluster id fences clusters apart: a receiver
 * built for one cluster refuses, before anything is applied, a frame stamped with another
 * ({@link DecodeResult#FOREIGN_CLUSTER}). Each message starts with its own header:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Message Length (header + body)                   |  0
 *  +-------------------------------+-------------------------------+
 *  |          Message Type         |            Reserved           |  4
 *  +-------------------------------+-------------------------------+
 *  |                          Body                                ...  8
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * Compatibility: a receiver rejects a frame whose major version differs from {@link #VERSION_MAJOR}. A newer
 * minor version may only append fields at the end of a message body; receivers ignore bytes past the fields
 * they know. A new message type needs a new major version, because skipping a message of a replicated stream
 * would silently desynchronise the receiver; so does a field whose meaning an older receiver would ignore at the
 * cost of exactness (major 5: a snapshot request's room floors, which a member of major 4 would not wait for).
 */
public final class FrameLayout
{
    /** Byte order of every field on the wire. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** "COHT" read as a little-endian int. */
    public static final int MAGIC = 0x54484F43;
    /** Major protocol version: frames of another major version are rejected. */
    public static final int VERSION_MAJOR = 5;
    /** Minor protocol version: may only append fields at the end of message bodies. */
    public static final int VERSION_MINOR = 0;

    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the major version byte. */
    public static final int VERSION_MAJOR_OFFSET = MAGIC_OFFSET + SIZE_OF_INT;
    /** Offset of the minor version byte. */
    public static final int VERSION_MINOR_OFFSET = VERSION_MAJOR_OFFSET + 1;
    /** Offset of the 16-bit flags. */
    public static final int FLAGS_OFFSET = VERSION_MINOR_OFFSET + 1;
    /** Offset of the frame length. */
    public static final int FRAME_LENGTH_OFFSET = FLAGS_OFFSET + SIZE_OF_SHORT;
    /** Offset of the message count. */
    public static final int MESSAGE_COUNT_OFFSET = FRAME_LENGTH_OFFSET + SIZE_OF_INT;
    /** Offset of the sender's node id. */
    public static final int SENDER_NODE_ID_OFFSET = MESSAGE_COUNT_OFFSET + SIZE_OF_INT;
    /** Offset of the sender's incarnation. */
    public static final int SENDER_INCARNATION_OFFSET = SENDER_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Offset of the destination node id (0 for a broadcast). */
    public static final int DESTINATION_NODE_ID_OFFSET = SENDER_INCARNATION_OFFSET + SIZE_OF_LONG;
    /** Offset of the first message's sequence number. */
    public static final int FIRST_SEQUENCE_OFFSET = DESTINATION_NODE_ID_OFFSET + SIZE_OF_LONG;
    /** Offset of the sender's cluster id. */
    public static final int CLUSTER_ID_OFFSET = FIRST_SEQUENCE_OFFSET + SIZE_OF_LONG;
    /** Length of the frame header: the first message starts here. */
    public static final int HEADER_LENGTH = CLUSTER_ID_OFFSET + SIZE_OF_LONG;
    /** Length of the CRC32C trailer. */
    public static final int TRAILER_LENGTH = SIZE_OF_INT;
    /** Length of a frame that carries no message. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + TRAILER_LENGTH;

    /** Offset of the message length within a message header. */
    public static final int MESSAGE_LENGTH_OFFSET = 0;
    /** Offset of the message type within a message header. */
    public static final int MESSAGE_TYPE_OFFSET = MESSAGE_LENGTH_OFFSET + SIZE_OF_INT;
    /** Offset of the reserved 16 bits within a message header. */
    public static final int MESSAGE_RESERVED_OFFSET = MESSAGE_TYPE_OFFSET + SIZE_OF_SHORT;
    /** Length of a message header: the body starts here. */
    public static final int MESSAGE_HEADER_LENGTH = MESSAGE_RESERVED_OFFSET + SIZE_OF_SHORT;

    /**
     * Cluster id that a {@link FrameDecoder} built without one expects: it then accepts frames of every cluster
     * (tools and tests). No cluster name hashes to it.
     */
    public static final long ANY_CLUSTER = 0L;

    /** Destination node id of a frame addressed to every node. */
    public static final long BROADCAST = 0L;

    private FrameLayout()
    {
    }
}
