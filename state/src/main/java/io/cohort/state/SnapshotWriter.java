package io.cohort.state;

import io.cohort.codec.FrameEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Streams the replicated state (counts of each owner, then rooms) as {@code SNAPSHOT_CHUNK} messages, one per
 * frame, each frame handed to a {@link SnapshotSink} as soon as it is full. One direct buffer of
 * {@link StateContext#snapshotFrameLength()} bytes is allocated at construction and reused: the memory a
 * snapshot takes does not grow with the state, and writing allocates nothing.
 * <pre>{@code
 * writer.begin(localNodeId, localIncarnation, requesterNodeId, correlationId);
 * for each member m (this node included): writer.writeOwner(m.nodeId, m.incarnation, m.lastBroadcastSequence);
 * writer.writeRoomsAndEnd();
 * }</pre>
 * Frames carry, as their first sequence, the index of their chunk in the snapshot (0, 1, 2, ...), so that the
 * {@link SnapshotLoader} sees a missing or repeated frame. Every chunk of an owner carries the owner's node id,
 * incarnation and the sequence given to {@link #writeOwner}; its last chunk has {@link SnapshotChunkDecoder#FLAG_LAST}
 * and the owner's {@link RowDigest}. The rooms come last in chunks of owner 0, whose last chunk ends the snapshot.
 * <p>
 * <b>Why a snapshot taken while the state changes is still correct.</b> The receiver has subscribed to every
 * member's sync stream before asking, buffers what arrives, loads the snapshot, then replays each owner's
 * buffered messages with a sequence above the one recorded for that owner. Counts are absolute and each row has
 * one writer, so applying a message is "set this row to this value":
 * <ul>
 * <li>an owner's sequence is recorded at the <em>start</em> of its stream, so every message up to it was applied
 * before the stream read the rows: nothing at or below the recorded sequence is missing;</li>
 * <li>a message above it may or may not be in the stream already; replaying it sets the row to the value it
 * carries, which is right either way, and later messages of the same owner then apply in order;</li>
 * <li>rooms are streamed after every owner, so a room created by a message at or below an owner's recorded
 * sequence was created before the rooms were read and is in the snapshot; a room created or removed later
 * is replayed, and creating or removing a room twice is a no-op.</li>
 * </ul>
 * {@link #writeOwner} writes an owner's whole stream in one call, so its rows cannot change while they are
 * streamed and the digest in its last chunk is exactly the digest of the rows sent: the loader checks it to
 * prove the transfer. Owners and rooms may change between calls; the argument above covers that.
 * <p>
 * <b>Sliced (fuzzy) streams.</b> A large owner is streamed a segment of the count table at a time over many duty
 * cycles ({@link #beginOwner}, {@link #writeOwnerSegment}, {@link #endOwner}; rooms likewise with {@link #beginRooms},
 * {@link #writeRoomSegment}, {@link #end}), and its rows change between segments. Every chunk carries
 * {@link SnapshotChunkDecoder#FLAG_FUZZY} and the start sequence S (last claimed when the stream began); a
 * separate empty last chunk carries the end sequence E and the owner's digest at E, read when the stream ended
 * with nothing of the owner left unclaimed. A room lives in one segment for good, so each row is read once, at
 * some moment between S and E. The copy is exact at E because applying a message sets a row to the value it
 * carries: a row changed between S and E was changed by a message in (S, E], which the receiver replays in
 * order after loading, the last one carrying its value at E; a row not changed in (S, E] had the same value
 * all the way from S to E, whenever it was read. So the loaded rows plus the replayed messages of (S, E] are
 * the owner's rows at E, and their digest must be the digest at E: the receiver checks that once it has
 * replayed up to E, which proves the transfer as the one-call digest does.
 * Not thread safe: the state's thread only.
 */
public final class SnapshotWriter
{
    private final SubscriptionState state;
    private final SnapshotSink sink;
    private final UnsafeBuffer buffer;
    private final int frameLength;
    private final FrameEncoder frame = new FrameEncoder();
    private final SnapshotChunkEncoder chunk;
    private final CountRowVisitor countWriter = this::writeCount;
    private final RoomTable.RoomVisitor roomWriter = this::writeRoom;

    private boolean active;
    private long senderNodeId;
    private long senderIncarnation;
    private long destinationNodeId;
    private long correlationId;
    private long nextChunkSequence;
    private long ownerNodeId;
    private long ownerIncarnation;
    private long ownerSequence;
    private int chunkIndex;
    private int ownerFlags;
    /** A room segment was written since {@link #beginRooms}: no room removal may follow. */
    private boolean roomsWritten;
    private long framesWritten;
    private long bytesWritten;

    /**
     * A writer with one reusable frame buffer of the state's configured snapshot frame length.
     *
     * @param state the state to stream.
     * @param sink  given each finished frame.
     */
    public SnapshotWriter(final SubscriptionState state, final SnapshotSink sink)
    {
        this.state = state;
        this.sink = sink;
        frameLength = state.context().snapshotFrameLength();
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameLength, 64));
        chunk = new SnapshotChunkEncoder(state.context().codecLimits());
    }

    /**
     * Starts a snapshot for one requester, discarding any snapshot left unfinished.
     *
     * @param senderNodeId      this node's id, for the frame header.
     * @param senderIncarnation this node's incarnation, for the frame header.
     * @param destinationNodeId the requester.
     * @param correlationId     of the request answered.
     */
    public void begin(
        final long senderNodeId, final long senderIncarnation, final long destinationNodeId, final long correlationId)
    {
        ownerFlags = 0;
        this.senderNodeId = senderNodeId;
        this.senderIncarnation = senderIncarnation;
        this.destinationNodeId = destinationNodeId;
        this.correlationId = correlationId;
        nextChunkSequence = 0;
        active = true;
    }

    /**
     * Streams every row of one owner; an owner without rows gets a single empty last chunk, so the receiver
     * still learns its sequence and clears any rows it had of it.
     *
     * @param ownerNodeId      the owner, this node included; not 0.
     * @param ownerIncarnation its incarnation.
     * @param ownerSequence    its last broadcast sequence applied here, read now, at the start of its stream.
     * @throws IllegalStateException if {@link #begin} was not called.
     */
    public void writeOwner(final long ownerNodeId, final long ownerIncarnation, final long ownerSequence)
    {
        requireActive();
        if (0 == ownerNodeId)
        {
            throw new IllegalArgumentException("ownerNodeId=0 is reserved for the rooms of a snapshot");
        }
        this.ownerNodeId = ownerNodeId;
        this.ownerIncarnation = ownerIncarnation;
        this.ownerSequence = ownerSequence;
        chunkIndex = 0;
        openChunk();
        final RoomCounts counts = state.roomCounts();
        final int slot = counts.slots().slotOf(ownerNodeId);
        long digest = RowDigest.EMPTY;
        if (RoomCounts.NO_SLOT != slot)
        {
            digest = counts.slots().digest(slot);
            counts.forEachRow(slot, countWriter);
        }
        closeChunk(SnapshotChunkDecoder.FLAG_LAST, digest);
    }

    /**
     * Streams every room and ends the snapshot with the last chunk of owner 0.
     *
     * @return the number of frames the snapshot took.
     * @throws IllegalStateException if {@link #begin} was not called.
     */
    public long writeRoomsAndEnd()
    {
        requireActive();
        ownerNodeId = 0;
        ownerIncarnation = 0;
        ownerSequence = 0;
        chunkIndex = 0;
        openChunk();
        state.roomTable().forEach(roomWriter);
        closeChunk(SnapshotChunkDecoder.FLAG_LAST, RowDigest.EMPTY);
        active = false;
        return nextChunkSequence;
    }

    /**
     * Starts a sliced stream of one owner's rows, read a segment at a time by {@link #writeOwnerSegment} and
     * ended by {@link #endOwner}; see the class comment for why the copy is exact although rows change meanwhile.
     *
     * @param ownerNodeId      the owner; not 0.
     * @param ownerIncarnation its incarnation.
     * @param startSequence    S: the last sequence of the owner claimed when the stream begins.
     * @throws IllegalStateException if {@link #begin} was not called.
     */
    public void beginOwner(final long ownerNodeId, final long ownerIncarnation, final long startSequence)
    {
        requireActive();
        if (0 == ownerNodeId)
        {
            throw new IllegalArgumentException("ownerNodeId=0 is reserved for the rooms of a snapshot");
        }
        this.ownerNodeId = ownerNodeId;
        this.ownerIncarnation = ownerIncarnation;
        this.ownerSequence = startSequence;
        ownerFlags = SnapshotChunkDecoder.FLAG_FUZZY;
        chunkIndex = 0;
        openChunk();
    }

    /**
     * The work a whole snapshot takes read in one call: every room of the count table (an owner's stream visits
     * them all) plus every room.
     *
     * @return entries to visit.
     */
    public long snapshotWork()
    {
        return ownerWork() + state.roomTable().rooms();
    }

    /**
     * The work of the owner's rows alone, read in one call: a snapshot sent without rooms takes no more.
     *
     * @return entries to visit.
     */
    public long ownerWork()
    {
        return state.roomCounts().entries();
    }

    /**
     * The number of segments an owner's stream reads, one per {@link #writeOwnerSegment} call.
     *
     * @return the segment count of the count table.
     */
    public int ownerSegments()
    {
        return state.roomCounts().segments();
    }

    /**
     * Streams the owner's rows held in one segment of the count table; full chunks go to the sink.
     *
     * @param segment from 0 to {@link #ownerSegments()} - 1.
     * @return rooms of the segment visited: the work done, whoever's rows they hold.
     */
    public int writeOwnerSegment(final int segment)
    {
        requireActive();
        final RoomCounts counts = state.roomCounts();
        final int slot = counts.slots().slotOf(ownerNodeId);
        return RoomCounts.NO_SLOT == slot ? 0 : counts.forEachRowInSegment(slot, segment, countWriter);
    }

    /**
     * Ends a sliced owner stream: sends the open chunk, then an empty last chunk with E and the digest at E.
     *
     * @param endSequence E: the last sequence of the owner claimed now, with none of its changes unclaimed.
     * @param endDigest   the owner's digest now, at E.
     */
    public void endOwner(final long endSequence, final long endDigest)
    {
        requireActive();
        closeChunk(0, RowDigest.EMPTY);
        chunkIndex++;
        ownerSequence = endSequence;
        openChunk();
        closeChunk(SnapshotChunkDecoder.FLAG_LAST, endDigest);
        ownerFlags = 0;
    }

    /**
     * Ends a snapshot after its owner's rows, without rooms (the requester holds every room it needs): the last
     * chunk of owner 0, empty.
     *
     * @return the number of frames the snapshot took.
     */
    public long endWithoutRooms()
    {
        beginRooms();
        return end();
    }

    /**
     * Starts the rooms of a sliced snapshot, read a segment at a time by {@link #writeRoomSegment}.
     */
    public void beginRooms()
    {
        beginRooms(null, null, null, 0);
    }

    /**
     * Starts the rooms of a sliced snapshot, read a segment at a time by {@link #writeRoomSegment}, after chunks that
     * say how far this node had applied each stream as it began (the rooms then hold every room change of those
     * streams up to those sequences; {@link SnapshotChunkDecoder#FLAG_TABLE_STREAMS}).
     *
     * @param nodeIds      the streams' nodes.
     * @param incarnations their incarnations.
     * @param sequences    the last sequence of each applied here.
     * @param count        the entries to send from the arrays, 0 for none.
     */
    public void beginRooms(
        final long[] nodeIds, final long[] incarnations, final long[] sequences, final int count)
    {
        requireActive();
        ownerNodeId = 0;
        ownerIncarnation = 0;
        ownerSequence = 0;
        ownerFlags = 0;
        chunkIndex = 0;
        roomsWritten = false;
        openChunk();
        if (count > 0)
        {
            for (int i = 0; i < count; i++)
            {
                if (!chunk.addTableStream(nodeIds[i], incarnations[i], sequences[i]))
                {
                    closeChunk(SnapshotChunkDecoder.FLAG_TABLE_STREAMS, RowDigest.EMPTY);
                    chunkIndex++;
                    openChunk();
                    if (!chunk.addTableStream(nodeIds[i], incarnations[i], sequences[i]))
                    {
                        throw new IllegalStateException("frameLength=" + frameLength + " cannot hold one stream");
                    }
                }
            }
            closeChunk(SnapshotChunkDecoder.FLAG_TABLE_STREAMS, RowDigest.EMPTY);
            chunkIndex++;
            openChunk();
        }
    }

    /**
     * Adds the last removal this node applied of a room its table lacks, in chunks of their own
     * ({@link SnapshotChunkDecoder#FLAG_ROOM_REMOVALS}): the requester keeps it as its own record, so that an older
     * table of another member does not make the room again there. Call after {@link #beginRooms} and before the
     * first {@link #writeRoomSegment}.
     *
     * @param roomId             the room.
     * @param removerId          the node whose removal it was.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     */
    public void writeRoomRemoval(
        final long roomId, final long removerId, final long removerIncarnation, final long sequence)
    {
        requireActive();
        if (roomsWritten)
        {
            // A node that does not know the flag reads a chunk of removals as one without rooms: never mix them.
            throw new IllegalStateException("room removals must come before the rooms");
        }
        if (!chunk.addRoomRemoval(roomId, removerId, removerIncarnation, sequence))
        {
            closeRoomRemovals();
            if (!chunk.addRoomRemoval(roomId, removerId, removerIncarnation, sequence))
            {
                throw new IllegalStateException("frameLength=" + frameLength + " cannot hold one room removal");
            }
        }
    }

    /**
     * The number of segments the rooms take, one per {@link #writeRoomSegment} call.
     *
     * @return the segment count of the rooms map.
     */
    public int roomSegments()
    {
        return state.roomTable().segments();
    }

    /**
     * Streams the rooms held in one segment of the rooms map; full chunks go to the sink.
     *
     * @param segment from 0 to {@link #roomSegments()} - 1.
     * @return rooms visited.
     */
    public int writeRoomSegment(final int segment)
    {
        requireActive();
        if (chunk.roomRemovals() > 0)
        {
            closeRoomRemovals();
        }
        roomsWritten = true;
        return state.roomTable().forEachInSegment(segment, roomWriter);
    }

    /**
     * Ends a sliced snapshot with the last chunk of owner 0.
     *
     * @return the number of frames the snapshot took.
     */
    public long end()
    {
        requireActive();
        if (chunk.roomRemovals() > 0)
        {
            closeRoomRemovals();
        }
        closeChunk(SnapshotChunkDecoder.FLAG_LAST, RowDigest.EMPTY);
        active = false;
        return nextChunkSequence;
    }

    /**
     * Frames written since this writer was made.
     *
     * @return the number of frames.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    /**
     * Bytes written since this writer was made.
     *
     * @return the sum of frame lengths.
     */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    /**
     * The length of each frame buffer.
     *
     * @return bytes.
     */
    public int frameLength()
    {
        return frameLength;
    }

    private void writeCount(final long roomId, final long count)
    {
        if (!chunk.addCount(roomId, count))
        {
            closeChunk(0, RowDigest.EMPTY);
            chunkIndex++;
            openChunk();
            if (!chunk.addCount(roomId, count))
            {
                throw new IllegalStateException("frameLength=" + frameLength + " cannot hold one count");
            }
        }
    }

    private void writeRoom(final long roomId, final DirectBuffer metadata, final int offset, final int length)
    {
        if (!addRoom(roomId, metadata, offset))
        {
            closeChunk(0, RowDigest.EMPTY);
            chunkIndex++;
            openChunk();
            if (!addRoom(roomId, metadata, offset))
            {
                // StateContext.conclude() sizes the frame for the largest room, so this is a broken invariant.
                throw new IllegalStateException(
                    "frameLength=" + frameLength + " cannot hold roomId=" + roomId + " of length=" + length);
            }
        }
    }

    private boolean addRoom(final long roomId, final DirectBuffer metadata, final int offset)
    {
        return chunk.addRoom(
            roomId,
            metadata,
            RoomMetadata.indexNameOffset(metadata, offset),
            RoomMetadata.indexNameLength(metadata, offset),
            RoomMetadata.collectionNameOffset(metadata, offset),
            RoomMetadata.collectionNameLength(metadata, offset),
            RoomMetadata.filterOffset(metadata, offset),
            RoomMetadata.filterLength(metadata, offset));
    }

    private void closeRoomRemovals()
    {
        closeChunk(SnapshotChunkDecoder.FLAG_ROOM_REMOVALS, RowDigest.EMPTY);
        chunkIndex++;
        openChunk();
    }

    private void openChunk()
    {
        frame.wrap(buffer, 0, frameLength).begin(
            state.context().clusterId(), senderNodeId, senderIncarnation, destinationNodeId, nextChunkSequence);
        final int bodyLength = frame.remainingBodyLength();
        final int bodyOffset = frame.claim(MessageType.SNAPSHOT_CHUNK, bodyLength);
        chunk.wrap(buffer, bodyOffset, bodyLength)
            .correlationId(correlationId)
            .owner(ownerNodeId, ownerIncarnation, ownerSequence)
            .ownerDigest(RowDigest.EMPTY)
            .chunkIndex(chunkIndex)
            .flags(ownerFlags);
    }

    private void closeChunk(final int flags, final long digest)
    {
        chunk.flags(flags | ownerFlags).ownerDigest(digest);
        frame.resizeLastMessage(chunk.encodedLength());
        final int length = frame.finish();
        nextChunkSequence++;
        framesWritten++;
        bytesWritten += length;
        sink.onFrame(buffer, 0, length);
    }

    private void requireActive()
    {
        if (!active)
        {
            throw new IllegalStateException("no snapshot in progress: call begin(...) first");
        }
    }
}
