package io.cohort.state;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.RoomCreatedDecoder;
import io.cohort.codec.SnapshotChunkDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;

/**
 * Loads a snapshot written by a {@link SnapshotWriter} into a {@link SubscriptionState}, frame by frame or
 * chunk by chunk, checking as it goes: each frame decodes and carries the next chunk sequence, chunks answer
 * the request, each owner's chunks come in order (index 0, 1, ...) with one incarnation and sequence, no owner
 * comes twice, and on an owner's last chunk the digest of the rows loaded equals the digest the sender sent.
 * The first chunk of an owner replaces every row this state held of it, since counts are absolute. Rooms may
 * come in any chunk; the last chunk of owner 0 completes the snapshot.
 * <p>
 * When an owner is loaded, the {@link SnapshotLoadListener} is told its recorded sequence: the engine then
 * replays that owner's buffered messages above it (see {@link SnapshotWriter} for why that is correct). A
 * failure is sticky until {@link #begin}; {@link #failureDescription()} says what went wrong. Allocation-free
 * except on failure. Not thread safe: the state's thread only.
 */
public final class SnapshotLoader
{
    private final SubscriptionState state;
    private final SnapshotLoadListener listener;
    private final FrameDecoder frameDecoder;
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private final RoomCreatedDecoder roomDecoder = new RoomCreatedDecoder();
    private final LongHashSet loadedOwners;
    private DirectBuffer roomsBuffer;
    private int firstRoomOffset;

    private boolean loading;
    private boolean complete;
    private long correlationId;
    private long nextChunkSequence;
    private long currentOwner;
    private long currentIncarnation;
    private long currentSequence;
    private boolean currentFuzzy;
    private int nextChunkIndex;
    private long ownersLoaded;
    private long roomsLoaded;
    private long roomsSkipped;
    private long countsLoaded;

    private SnapshotLoadResult failure;
    private StateResult stateRefusal;
    private long failedOwner;
    private long failedRoom;
    private long expectedDigest;
    private long loadedDigest;
    private long failureDetail;

    /**
     * A loader into a state.
     *
     * @param state    to load into; this node's own rows are never in a snapshot it loads.
     * @param listener told of each owner loaded.
     */
    public SnapshotLoader(final SubscriptionState state, final SnapshotLoadListener listener)
    {
        this.state = state;
        this.listener = listener;
        frameDecoder = new FrameDecoder(state.context().codecLimits(), state.context().clusterId());
        loadedOwners = new LongHashSet(state.context().maxNodes() * 2);
    }

    /**
     * Starts loading the snapshot answering one request, forgetting any earlier load or failure.
     *
     * @param correlationId of the snapshot request.
     */
    public void begin(final long correlationId)
    {
        this.correlationId = correlationId;
        loading = true;
        complete = false;
        nextChunkSequence = 0;
        currentOwner = 0;
        currentFuzzy = false;
        nextChunkIndex = 0;
        ownersLoaded = 0;
        roomsLoaded = 0;
        roomsSkipped = 0;
        countsLoaded = 0;
        loadedOwners.clear();
        failure = null;
        stateRefusal = null;
        failedOwner = 0;
        failedRoom = 0;
        expectedDigest = 0;
        loadedDigest = 0;
        failureDetail = 0;
    }

    /**
     * Decodes a received frame and loads its chunks.
     *
     * @param buffer holding the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return {@link SnapshotLoadResult#LOADING}, {@link SnapshotLoadResult#COMPLETE}, or a failure.
     */
    public SnapshotLoadResult onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != failure)
        {
            return failure;
        }
        if (!loading)
        {
            return SnapshotLoadResult.NOT_LOADING;
        }
        final DecodeResult decoded = frameDecoder.wrap(buffer, offset, length);
        if (DecodeResult.OK != decoded)
        {
            return fail(SnapshotLoadResult.BAD_FRAME, decoded.code());
        }
        if (frameDecoder.firstSequence() != nextChunkSequence)
        {
            return fail(SnapshotLoadResult.OUT_OF_ORDER, frameDecoder.firstSequence());
        }
        SnapshotLoadResult result = SnapshotLoadResult.LOADING;
        while (frameDecoder.nextMessage())
        {
            if (MessageType.SNAPSHOT_CHUNK != frameDecoder.messageType())
            {
                return fail(SnapshotLoadResult.UNEXPECTED_MESSAGE, frameDecoder.messageType());
            }
            nextChunkSequence++;
            result = onChunk(chunkDecoder.wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength()));
            if (SnapshotLoadResult.LOADING != result)
            {
                return result;
            }
        }
        return result;
    }

    /**
     * Loads one chunk, for callers that decode frames themselves (the frame sequence is then theirs to check).
     *
     * @param chunk a decoder wrapped on a chunk body that the frame decoder accepted.
     * @return {@link SnapshotLoadResult#LOADING}, {@link SnapshotLoadResult#COMPLETE}, or a failure.
     */
    public SnapshotLoadResult onChunk(final SnapshotChunkDecoder chunk)
    {
        if (null != failure)
        {
            return failure;
        }
        if (!loading)
        {
            return SnapshotLoadResult.NOT_LOADING;
        }
        if (chunk.correlationId() != correlationId)
        {
            return fail(SnapshotLoadResult.CORRELATION_MISMATCH, chunk.correlationId());
        }
        final long owner = chunk.ownerNodeId();
        failedOwner = owner;
        final SnapshotLoadResult malformed = checkRows(chunk);
        if (null != malformed)
        {
            return malformed;
        }
        final SnapshotLoadResult ordered = checkOrder(chunk, owner);
        if (null != ordered)
        {
            return ordered;
        }

        final StateResult countsRefused = state.applyRemoteCounts(owner, chunk);
        if (null != countsRefused)
        {
            failedRoom = state.refusedRoom();
            return refused(countsRefused);
        }
        countsLoaded += chunk.countEntries();

        // The rooms were stepped through by checkRows: walked again from the first one's offset.
        for (int i = 0, rooms = chunk.roomEntries(), position = firstRoomOffset; i < rooms; i++)
        {
            roomDecoder.wrap(roomsBuffer, position, 0);
            position += roomDecoder.encodedLength();
            if (!listener.admitsRoom(roomDecoder.roomId()))
            {
                roomsSkipped++;
                continue;
            }
            final StateResult result = state.createRoom(roomDecoder);
            if (result.isRefusal())
            {
                failedRoom = roomDecoder.roomId();
                return refused(result);
            }
            roomsLoaded++;
        }
        roomsBuffer = null;

        nextChunkIndex++;
        if (!chunk.isLast())
        {
            return SnapshotLoadResult.LOADING;
        }
        if (0 == owner)
        {
            loading = false;
            complete = true;
            return SnapshotLoadResult.COMPLETE;
        }

        currentOwner = 0;
        nextChunkIndex = 0;
        if (currentFuzzy)
        {
            ownersLoaded++;
            // Rows read across several cycles: the digest holds only after the replay up to E, which the listener
            // checks (SnapshotWriter says why).
            listener.onFuzzyOwnerLoaded(owner, currentIncarnation, currentSequence, chunk.ownerSequence(),
                chunk.ownerDigest(), state.ownerRows(owner));
            return SnapshotLoadResult.LOADING;
        }
        final long digest = state.ownerDigest(owner);
        if (digest != chunk.ownerDigest())
        {
            expectedDigest = chunk.ownerDigest();
            loadedDigest = digest;
            return fail(SnapshotLoadResult.DIGEST_MISMATCH, state.ownerRows(owner));
        }
        ownersLoaded++;
        listener.onOwnerLoaded(owner, currentIncarnation, currentSequence, state.ownerRows(owner));
        return SnapshotLoadResult.LOADING;
    }

    /**
     * Checks every row of a chunk before any is applied (the frame's checksum and layout are checked already, but
     * a sender may still write a row no state holds): a count row of room 0 or with a count past
     * {@link CountTable#MAX_COUNT}, or a room of id 0 or whose id is not its metadata's ({@link RoomIds}), fails the
     * load as {@link SnapshotLoadResult#MALFORMED_CHUNK} naming the row's room, with nothing of the chunk applied.
     * Records where the rooms start, for the loop that creates them.
     */
    private SnapshotLoadResult checkRows(final SnapshotChunkDecoder chunk)
    {
        for (int i = 0, entries = chunk.countEntries(); i < entries; i++)
        {
            final long count = chunk.countValue(i);
            final long roomId = chunk.countRoomId(i);
            if (0 == roomId || count < 0 || count > CountTable.MAX_COUNT)
            {
                failedRoom = roomId;
                return fail(SnapshotLoadResult.MALFORMED_CHUNK, count);
            }
        }
        boolean first = true;
        while (chunk.nextRoom(roomDecoder))
        {
            if (first)
            {
                first = false;
                roomsBuffer = roomDecoder.buffer();
                firstRoomOffset = SubscriptionState.metadataOffset(roomDecoder) - Long.BYTES;
            }
            final long roomId = roomDecoder.roomId();
            if (0 == roomId || !SubscriptionState.isIdOf(roomDecoder))
            {
                failedRoom = roomId;
                return fail(SnapshotLoadResult.MALFORMED_CHUNK, roomId);
            }
        }
        return null;
    }

    private SnapshotLoadResult checkOrder(final SnapshotChunkDecoder chunk, final long owner)
    {
        final boolean streamOpen = 0 != nextChunkIndex;
        if (streamOpen)
        {
            if (owner != currentOwner || chunk.chunkIndex() != nextChunkIndex)
            {
                return fail(SnapshotLoadResult.OUT_OF_ORDER, chunk.chunkIndex());
            }
            if (chunk.isFuzzy() != currentFuzzy)
            {
                return fail(SnapshotLoadResult.MALFORMED_CHUNK, chunk.flags());
            }
            // A sliced stream's last chunk carries its end sequence E in place of S.
            final boolean endOfFuzzy = currentFuzzy && chunk.isLast();
            if (chunk.ownerIncarnation() != currentIncarnation ||
                (chunk.ownerSequence() != currentSequence && !endOfFuzzy))
            {
                return fail(SnapshotLoadResult.MALFORMED_CHUNK, chunk.ownerIncarnation());
            }
        }
        else if (0 != chunk.chunkIndex())
        {
            return fail(SnapshotLoadResult.OUT_OF_ORDER, chunk.chunkIndex());
        }
        else if (chunk.isFuzzy() && (0 == owner || chunk.isLast()))
        {
            // A sliced stream's first chunk carries S and its last E: they are never the same chunk.
            return fail(SnapshotLoadResult.MALFORMED_CHUNK, chunk.flags());
        }

        if (0 == owner && 0 != chunk.countEntries())
        {
            return fail(SnapshotLoadResult.MALFORMED_CHUNK, chunk.countEntries());
        }
        if (!streamOpen)
        {
            if (0 != owner)
            {
                if (owner == state.localNodeId())
                {
                    return fail(SnapshotLoadResult.LOCAL_OWNER, owner);
                }
                if (!loadedOwners.add(owner))
                {
                    return fail(SnapshotLoadResult.OUT_OF_ORDER, owner);
                }
                // Counts are absolute: the snapshot's rows replace whatever this state held of the owner.
                state.removeOwner(owner);
            }
            currentIncarnation = chunk.ownerIncarnation();
            currentSequence = chunk.ownerSequence();
            currentFuzzy = chunk.isFuzzy();
        }
        currentOwner = owner;
        return null;
    }

    /**
     * Whether the last chunk of the snapshot has been loaded.
     *
     * @return true once complete.
     */
    public boolean isComplete()
    {
        return complete;
    }

    /**
     * The failure, if the load failed.
     *
     * @return the failure, or null.
     */
    public SnapshotLoadResult failure()
    {
        return failure;
    }

    /**
     * What the state refused, on {@link SnapshotLoadResult#STATE_REFUSED}.
     *
     * @return the refusal, or null.
     */
    public StateResult stateRefusal()
    {
        return stateRefusal;
    }

    /**
     * The digest the sender sent, on {@link SnapshotLoadResult#DIGEST_MISMATCH}.
     *
     * @return the expected digest.
     */
    public long expectedDigest()
    {
        return expectedDigest;
    }

    /**
     * The digest of the rows loaded, on {@link SnapshotLoadResult#DIGEST_MISMATCH}.
     *
     * @return the loaded digest.
     */
    public long loadedDigest()
    {
        return loadedDigest;
    }

    /**
     * The owner of the chunk that failed.
     *
     * @return the owner's node id, 0 for a rooms chunk.
     */
    public long failedOwner()
    {
        return failedOwner;
    }

    /**
     * Owners loaded and verified so far.
     *
     * @return the number of owners.
     */
    public long ownersLoaded()
    {
        return ownersLoaded;
    }

    /**
     * Rooms loaded so far (created or already present).
     *
     * @return the number of rooms.
     */
    public long roomsLoaded()
    {
        return roomsLoaded;
    }

    /**
     * Rooms of the table skipped so far: the listener did not admit them ({@link SnapshotLoadListener#admitsRoom}).
     *
     * @return the number of rooms.
     */
    public long roomsSkipped()
    {
        return roomsSkipped;
    }

    /**
     * Count entries loaded so far.
     *
     * @return the number of counts.
     */
    public long countsLoaded()
    {
        return countsLoaded;
    }

    /**
     * Says what went wrong, for a log line (allocates).
     *
     * @return a description naming the values involved, or "no failure".
     */
    public String failureDescription()
    {
        if (null == failure)
        {
            return "no failure";
        }
        switch (failure)
        {
            case DIGEST_MISMATCH:
                return "DIGEST_MISMATCH ownerNodeId=" + failedOwner + " expectedDigest=" + Long.toHexString(expectedDigest) +
                    " loadedDigest=" + Long.toHexString(loadedDigest) + " rowsLoaded=" + failureDetail;
            case STATE_REFUSED:
                return "STATE_REFUSED " + stateRefusal + " ownerNodeId=" + failedOwner + " roomId=" + failedRoom;
            case MALFORMED_CHUNK:
                return "MALFORMED_CHUNK ownerNodeId=" + failedOwner + " value=" + failureDetail +
                    " correlationId=" + correlationId + " nextChunkIndex=" + nextChunkIndex + " roomId=" + failedRoom;
            case BAD_FRAME:
                return "BAD_FRAME " + DecodeResult.get(failureDetail) + " at offset=" +
                    frameDecoder.errorOffset();
            default:
                return failure + " ownerNodeId=" + failedOwner + " value=" + failureDetail +
                    " correlationId=" + correlationId + " nextChunkSequence=" + nextChunkSequence +
                    " nextChunkIndex=" + nextChunkIndex;
        }
    }

    private SnapshotLoadResult refused(final StateResult refusal)
    {
        stateRefusal = refusal;
        return fail(SnapshotLoadResult.STATE_REFUSED, refusal.code());
    }

    private SnapshotLoadResult fail(final SnapshotLoadResult failure, final long detail)
    {
        this.failure = failure;
        this.failureDetail = detail;
        return failure;
    }
}
