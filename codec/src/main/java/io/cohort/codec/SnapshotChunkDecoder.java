package io.cohort.codec;

import org.agrona.DirectBuffer;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Reads a {@link MessageType#SNAPSHOT_CHUNK} body: one bounded piece of a snapshot of the replicated state.
 * The counts are one owner's rows; the owner's sequence tells the receiver which of its buffered sync
 * messages the snapshot already contains. Rooms may travel in any chunk. The last chunk of an owner
 * carries {@link #FLAG_LAST} and the owner's digest, which the loaded rows must reproduce.
 * <p>
 * An owner's rows read across several duty cycles ({@link #FLAG_FUZZY} on each of its chunks) may have changed
 * while they were read: its last chunk then carries, in the Owner Sequence field, the end sequence E (the last
 * sequence the owner had claimed when the read ended, nothing pending), and in the Owner Digest field the
 * owner's digest at E. The receiver checks that digest once it has loaded the rows and replayed its buffered
 * messages of the owner up to E.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               | 0
 *  +                      Correlation Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 8
 *  +                       Owner Node Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                     Owner Incarnation (64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +       Owner Sequence at snapshot time (64, broadcast)         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                  Owner Digest (64, last chunk)                +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Chunk Index                          | 40
 *  +---------------------------------------------------------------+
 *  |                             Flags                             | 44
 *  +---------------------------------------------------------------+
 *  |                       Count Entries (n)                       | 48
 *  +---------------------------------------------------------------+
 *  |                        Room Entries (r)                       | 52
 *  +---------------------------------------------------------------+
 *  |            n x (Room Id (64), Subscriber Count (64))         ... 56
 *  +---------------------------------------------------------------+
 *  |         r x room, each laid out as a ROOM_CREATED body       ...
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Table streams.</b> A chunk with {@link #FLAG_TABLE_STREAMS} (of owner 0, before any room, with no count and no
 * room) carries instead, from offset 56, how far its sender had applied each stream when it began reading its rooms:
 * the rooms that follow hold every room change of those streams up to those sequences, so the receiver applies none of
 * them again (a change replayed twice across two streams may undo what a third stream's change did in between), and
 * skips a room of them older than a removal it has applied (the sender had applied less of the remover's stream).
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                       Stream Entries (s)                      | 56
 *  +---------------------------------------------------------------+
 *  |   s x (Node Id (64), Incarnation (64), Sequence (64))        ... 60
 *  +---------------------------------------------------------------+
 * </pre>
 * A node that does not know the flag reads such a chunk as one of no rooms. The entries may span several chunks.
 * <p>
 * <b>Room removals.</b> A chunk with {@link #FLAG_ROOM_REMOVALS} (of owner 0, before any room, with no count, no room
 * and no table stream) carries instead, from offset 56, the last removal its sender applied of rooms its table lacks:
 * the receiver keeps them as its own record of those removals, so that a later, older table of another member does
 * not make such a room again there (its table, taken from this one, reflects removals it never applied itself).
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                      Removal Entries (d)                      | 56
 *  +---------------------------------------------------------------+
 *  |  d x (Room Id (64), Remover Node Id (64), Incarnation (64),  ... 60
 *  |       Sequence (64) of the removal on the remover's stream)     |
 *  +---------------------------------------------------------------+
 * </pre>
 * A node that does not know the flag reads such a chunk as one of no rooms. The entries may span several chunks.
 * Wrap only a body that {@link FrameDecoder} accepted.
 */
public final class SnapshotChunkDecoder
{
    /** Flag: the last chunk of this owner's rows (and of the snapshot, for owner 0). */
    public static final int FLAG_LAST = 1;
    /** Flag: this owner's rows were read across several duty cycles; see the class comment for its last chunk. */
    public static final int FLAG_FUZZY = 2;
    /** Flag: this chunk carries the streams the room table reflects (see the class comment), nothing else. */
    public static final int FLAG_TABLE_STREAMS = 4;
    /** Flag: this chunk carries removals its sender applied of rooms its table lacks (see the class comment). */
    public static final int FLAG_ROOM_REMOVALS = 8;

    static final int CORRELATION_ID_OFFSET = 0;
    static final int OWNER_NODE_ID_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_LONG;
    static final int OWNER_INCARNATION_OFFSET = OWNER_NODE_ID_OFFSET + SIZE_OF_LONG;
    static final int OWNER_SEQUENCE_OFFSET = OWNER_INCARNATION_OFFSET + SIZE_OF_LONG;
    static final int OWNER_DIGEST_OFFSET = OWNER_SEQUENCE_OFFSET + SIZE_OF_LONG;
    static final int CHUNK_INDEX_OFFSET = OWNER_DIGEST_OFFSET + SIZE_OF_LONG;
    static final int FLAGS_OFFSET = CHUNK_INDEX_OFFSET + SIZE_OF_INT;
    static final int COUNT_ENTRIES_OFFSET = FLAGS_OFFSET + SIZE_OF_INT;
    static final int ROOM_ENTRIES_OFFSET = COUNT_ENTRIES_OFFSET + SIZE_OF_INT;
    static final int COUNTS_OFFSET = ROOM_ENTRIES_OFFSET + SIZE_OF_INT;
    /** Length of one count entry. */
    public static final int COUNT_ENTRY_LENGTH = 2 * SIZE_OF_LONG;
    /** Length of a chunk with no entry. */
    public static final int MIN_LENGTH = COUNTS_OFFSET;
    static final int TABLE_STREAM_COUNT_OFFSET = COUNTS_OFFSET;
    static final int TABLE_STREAMS_OFFSET = TABLE_STREAM_COUNT_OFFSET + SIZE_OF_INT;
    /** Length of one table stream entry: node id, incarnation, sequence. */
    public static final int TABLE_STREAM_ENTRY_LENGTH = 3 * SIZE_OF_LONG;
    static final int ROOM_REMOVAL_COUNT_OFFSET = COUNTS_OFFSET;
    static final int ROOM_REMOVALS_OFFSET = ROOM_REMOVAL_COUNT_OFFSET + SIZE_OF_INT;
    /** Length of one room removal entry: room id, remover's node id, its incarnation, the removal's sequence. */
    public static final int ROOM_REMOVAL_ENTRY_LENGTH = 4 * SIZE_OF_LONG;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int nextRoomOffset;
    private int roomsRead;

    /**
     * Wraps a body accepted by {@link FrameDecoder} and rewinds the room cursor.
     *
     * @param buffer holding the body.
     * @param offset where the body starts.
     * @param length length of the body.
     * @return this for a fluent API.
     */
    public SnapshotChunkDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        nextRoomOffset = offset + COUNTS_OFFSET + countEntries() * COUNT_ENTRY_LENGTH;
        roomsRead = 0;
        return this;
    }

    static DecodeResult validate(
        final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final CodecLimits limits)
    {
        if (bodyLength < MIN_LENGTH)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int limit = bodyOffset + bodyLength;
        final int countEntries = buffer.getInt(bodyOffset + COUNT_ENTRIES_OFFSET, BYTE_ORDER);
        final int roomEntries = buffer.getInt(bodyOffset + ROOM_ENTRIES_OFFSET, BYTE_ORDER);
        final int flags = buffer.getInt(bodyOffset + FLAGS_OFFSET, BYTE_ORDER);
        if ((flags & (FLAG_TABLE_STREAMS | FLAG_ROOM_REMOVALS)) != 0)
        {
            return validateTableFacts(buffer, bodyOffset, bodyLength, flags, countEntries, roomEntries, limits);
        }
        int position = Fields.skipFixedList(
            bodyOffset + COUNTS_OFFSET, limit, countEntries, COUNT_ENTRY_LENGTH, Integer.MAX_VALUE);
        if (position < 0)
        {
            return Fields.result(position);
        }
        for (int i = 0; i < countEntries; i++)
        {
            final int entryOffset = bodyOffset + COUNTS_OFFSET + i * COUNT_ENTRY_LENGTH;
            if (buffer.getLong(entryOffset + SIZE_OF_LONG, BYTE_ORDER) < 0)
            {
                return DecodeResult.BAD_FIELD_VALUE;
            }
        }
        if (roomEntries < 0)
        {
            return DecodeResult.BAD_FIELD_LENGTH;
        }
        for (int i = 0; i < roomEntries && position >= 0; i++)
        {
            position = RoomCreatedDecoder.skipEntry(buffer, position, limit, limits);
        }
        return Fields.result(position);
    }

    /**
     * A chunk of table streams or of room removals: facts about the room table that follows, nothing else in it.
     */
    private static DecodeResult validateTableFacts(
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength,
        final int flags,
        final int countEntries,
        final int roomEntries,
        final CodecLimits limits)
    {
        final boolean streams = (flags & FLAG_TABLE_STREAMS) != 0;
        if (0 != countEntries || 0 != roomEntries ||
            buffer.getLong(bodyOffset + OWNER_NODE_ID_OFFSET, BYTE_ORDER) != 0 ||
            (streams && (flags & FLAG_ROOM_REMOVALS) != 0))
        {
            // They describe the rooms that follow: a chunk of counts or rooms never carries them, nor one the other.
            return DecodeResult.BAD_FIELD_VALUE;
        }
        if (bodyLength < TABLE_STREAMS_OFFSET)
        {
            return DecodeResult.TRUNCATED_MESSAGE;
        }
        final int entries = buffer.getInt(bodyOffset + TABLE_STREAM_COUNT_OFFSET, BYTE_ORDER);
        return Fields.result(streams ?
            Fields.skipFixedList(bodyOffset + TABLE_STREAMS_OFFSET, bodyOffset + bodyLength,
                entries, TABLE_STREAM_ENTRY_LENGTH, limits.maxMembers()) :
            Fields.skipFixedList(bodyOffset + ROOM_REMOVALS_OFFSET, bodyOffset + bodyLength,
                entries, ROOM_REMOVAL_ENTRY_LENGTH, Integer.MAX_VALUE));
    }

    /**
     * The correlation id of the snapshot request answered.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The owner of the counts in this chunk.
     *
     * @return the owner's node id, 0 for a chunk of rooms only.
     */
    public long ownerNodeId()
    {
        return buffer.getLong(offset + OWNER_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The owner's incarnation.
     *
     * @return the incarnation.
     */
    public long ownerIncarnation()
    {
        return buffer.getLong(offset + OWNER_INCARNATION_OFFSET, BYTE_ORDER);
    }

    /**
     * The owner's last applied broadcast sequence when the snapshot was taken.
     *
     * @return the sequence; buffered messages up to it are already in the snapshot.
     */
    public long ownerSequence()
    {
        return buffer.getLong(offset + OWNER_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * The digest of the owner's rows at snapshot time, meaningful on the last chunk.
     *
     * @return the digest.
     */
    public long ownerDigest()
    {
        return buffer.getLong(offset + OWNER_DIGEST_OFFSET, BYTE_ORDER);
    }

    /**
     * Index of this chunk in the owner's stream of chunks, from 0.
     *
     * @return the chunk index.
     */
    public int chunkIndex()
    {
        return buffer.getInt(offset + CHUNK_INDEX_OFFSET, BYTE_ORDER);
    }

    /**
     * The chunk's flags.
     *
     * @return a combination of {@link #FLAG_LAST}, {@link #FLAG_FUZZY}, {@link #FLAG_TABLE_STREAMS} and
     * {@link #FLAG_ROOM_REMOVALS}.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Whether this is the owner's last chunk.
     *
     * @return true if {@link #FLAG_LAST} is set.
     */
    public boolean isLast()
    {
        return (flags() & FLAG_LAST) != 0;
    }

    /**
     * Whether the owner's rows were read across several duty cycles.
     *
     * @return true if {@link #FLAG_FUZZY} is set.
     */
    public boolean isFuzzy()
    {
        return (flags() & FLAG_FUZZY) != 0;
    }

    /**
     * Whether this chunk carries the streams the room table reflects.
     *
     * @return true if {@link #FLAG_TABLE_STREAMS} is set.
     */
    public boolean hasTableStreams()
    {
        return (flags() & FLAG_TABLE_STREAMS) != 0;
    }

    /**
     * Number of table stream entries.
     *
     * @return the entries, 0 unless {@link #hasTableStreams()}.
     */
    public int tableStreamCount()
    {
        return hasTableStreams() ? buffer.getInt(offset + TABLE_STREAM_COUNT_OFFSET, BYTE_ORDER) : 0;
    }

    /**
     * @param index from 0 to {@link #tableStreamCount()} - 1.
     * @return the node whose stream the sender had applied.
     */
    public long tableStreamNodeId(final int index)
    {
        return buffer.getLong(tableStreamAt(index), BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #tableStreamCount()} - 1.
     * @return that node's incarnation.
     */
    public long tableStreamIncarnation(final int index)
    {
        return buffer.getLong(tableStreamAt(index) + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #tableStreamCount()} - 1.
     * @return the last sequence of that stream the sender had applied when it began reading its rooms.
     */
    public long tableStreamSequence(final int index)
    {
        return buffer.getLong(tableStreamAt(index) + 2 * SIZE_OF_LONG, BYTE_ORDER);
    }

    private int tableStreamAt(final int index)
    {
        return offset + TABLE_STREAMS_OFFSET + index * TABLE_STREAM_ENTRY_LENGTH;
    }

    /**
     * Whether this chunk carries removals of rooms the sender's table lacks.
     *
     * @return true if {@link #FLAG_ROOM_REMOVALS} is set.
     */
    public boolean hasRoomRemovals()
    {
        return (flags() & FLAG_ROOM_REMOVALS) != 0;
    }

    /**
     * Number of room removal entries.
     *
     * @return the entries, 0 unless {@link #hasRoomRemovals()}.
     */
    public int roomRemovalCount()
    {
        return hasRoomRemovals() ? buffer.getInt(offset + ROOM_REMOVAL_COUNT_OFFSET, BYTE_ORDER) : 0;
    }

    /**
     * @param index from 0 to {@link #roomRemovalCount()} - 1.
     * @return the room removed.
     */
    public long roomRemovalRoomId(final int index)
    {
        return buffer.getLong(roomRemovalAt(index), BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #roomRemovalCount()} - 1.
     * @return the node that removed it.
     */
    public long roomRemovalNodeId(final int index)
    {
        return buffer.getLong(roomRemovalAt(index) + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #roomRemovalCount()} - 1.
     * @return that node's incarnation.
     */
    public long roomRemovalIncarnation(final int index)
    {
        return buffer.getLong(roomRemovalAt(index) + 2 * SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * @param index from 0 to {@link #roomRemovalCount()} - 1.
     * @return the removal's sequence on that incarnation's stream.
     */
    public long roomRemovalSequence(final int index)
    {
        return buffer.getLong(roomRemovalAt(index) + 3 * SIZE_OF_LONG, BYTE_ORDER);
    }

    private int roomRemovalAt(final int index)
    {
        return offset + ROOM_REMOVALS_OFFSET + index * ROOM_REMOVAL_ENTRY_LENGTH;
    }

    /**
     * Number of count entries.
     *
     * @return the count entries in this chunk.
     */
    public int countEntries()
    {
        return buffer.getInt(offset + COUNT_ENTRIES_OFFSET, BYTE_ORDER);
    }

    /**
     * Room of a count entry.
     *
     * @param index from 0 to {@link #countEntries()} - 1.
     * @return the room id.
     */
    public long countRoomId(final int index)
    {
        return buffer.getLong(offset + COUNTS_OFFSET + index * COUNT_ENTRY_LENGTH, BYTE_ORDER);
    }

    /**
     * Subscriber count of a count entry.
     *
     * @param index from 0 to {@link #countEntries()} - 1.
     * @return the owner's subscribers in the room.
     */
    public long countValue(final int index)
    {
        return buffer.getLong(offset + COUNTS_OFFSET + index * COUNT_ENTRY_LENGTH + SIZE_OF_LONG, BYTE_ORDER);
    }

    /**
     * Number of room entries.
     *
     * @return the rooms in this chunk.
     */
    public int roomEntries()
    {
        return buffer.getInt(offset + ROOM_ENTRIES_OFFSET, BYTE_ORDER);
    }

    /**
     * Wraps the next room entry.
     *
     * @param room decoder to wrap.
     * @return false when every room has been read.
     */
    public boolean nextRoom(final RoomCreatedDecoder room)
    {
        if (roomsRead >= roomEntries())
        {
            return false;
        }
        room.wrap(buffer, nextRoomOffset, offset + length - nextRoomOffset);
        nextRoomOffset += room.encodedLength();
        roomsRead++;
        return true;
    }
}
