package io.cohort.state;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.MessageType;
import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotTest
{
    private static final long RECEIVER = 0x2ECE1FE2L;
    private static final long REMOTE_A = 0xAAAAL;
    private static final long REMOTE_B = 0xBBBBL;
    private static final long CORRELATION_ID = 77;

    private final List<byte[]> frames = new ArrayList<>();
    private final Set<DirectBuffer> buffersSeen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Long, long[]> ownersLoaded = new HashMap<>();
    private SubscriptionState source;
    private SubscriptionState target;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(source, target);
    }

    private void collect(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        frames.add(frame);
        buffersSeen.add(buffer);
    }

    private SnapshotLoader loader()
    {
        return new SnapshotLoader(target, (owner, incarnation, sequence, rows) ->
            ownersLoaded.put(owner, new long[]{ incarnation, sequence, rows }));
    }

    private SnapshotLoadResult loadAll(final SnapshotLoader loader)
    {
        loader.begin(CORRELATION_ID);
        SnapshotLoadResult result = null;
        for (final byte[] frame : frames)
        {
            result = loader.onFrame(new UnsafeBuffer(frame), 0, frame.length);
            if (result.isFailure())
            {
                return result;
            }
        }
        return result;
    }

    private void writeSnapshot(final long... owners)
    {
        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        writer.begin(LOCAL_NODE, 1, RECEIVER, CORRELATION_ID);
        for (final long owner : owners)
        {
            writer.writeOwner(owner, owner + 1000, owner + 2000);
        }
        writer.writeRoomsAndEnd();
    }

    private static StateContext context(final long nodeId)
    {
        return TestStates.smallContext().localNodeId(nodeId).maxRooms(4096).averageRoomBytes(48)
            .maxConnections(4096).maxOverflowSubscriptions(4096).snapshotFrameLength(2048).maxFilterBytes(256);
    }

    private void fillSource(final int rooms, final Random random)
    {
        source = new SubscriptionState(context(LOCAL_NODE), (roomId, previousCount, newCount) -> { });
        for (int i = 0; i < rooms; i++)
        {
            final byte[] filter = new byte[random.nextInt(40)];
            random.nextBytes(filter);
            final long room = TestStates.createRoom(source, "index" + (i % 3), "collection" + i, filter);
            for (int c = 0; c < 1 + i % 3 && i % 7 != 0; c++)
            {
                source.subscribe(1 + random.nextInt(500), room);
            }
            source.applyRemote(REMOTE_A, room, 1 + random.nextInt(9));
            if (i % 2 == 0)
            {
                source.applyRemote(REMOTE_B, room, 1 + random.nextInt(1000));
            }
            if (i % 5 == 0)
            {
                // A count back to 0 leaves a free pair in the entry (or removes it): never a row of the stream.
                source.applyRemote(REMOTE_A, room, 0);
            }
            if (i % 7 == 0)
            {
                // This node's count back to 0 in a room other owners hold: never a row of the stream either.
                source.subscribe(1_000_000 + i, room);
                source.unsubscribe(1_000_000 + i, room);
            }
        }
    }

    private void assertSameReplicatedState()
    {
        assertEquals(source.rooms(), target.rooms());
        assertEquals(source.roomMetadataBytes(), target.roomMetadataBytes());
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer actual = new UnsafeBuffer(new byte[4096]);
        source.roomTable().forEach((roomId, metadata, offset, length) ->
        {
            assertEquals(length, target.copyRoomMetadata(roomId, actual, 0));
            expected.putBytes(0, metadata, offset, length);
            for (int i = 0; i < length; i++)
            {
                assertEquals(expected.getByte(i), actual.getByte(i));
            }
            assertEquals(source.roomCount(roomId), target.roomCount(roomId));
            for (final long owner : new long[]{ LOCAL_NODE, REMOTE_A, REMOTE_B })
            {
                assertEquals(source.ownerCount(owner, roomId), target.ownerCount(owner, roomId));
            }
        });
        for (final long owner : new long[]{ LOCAL_NODE, REMOTE_A, REMOTE_B })
        {
            assertEquals(source.ownerRows(owner), target.ownerRows(owner));
            assertEquals(source.ownerDigest(owner), target.ownerDigest(owner));
        }
    }

    @Test
    void shouldRoundTripRoomsAndEveryOwnerInManyBoundedChunks()
    {
        fillSource(1500, new Random(11));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });

        writeSnapshot(LOCAL_NODE, REMOTE_A, REMOTE_B, 0xDEADL);
        final SnapshotLoader loader = loader();
        final SnapshotLoadResult result = loadAll(loader);

        assertEquals(SnapshotLoadResult.COMPLETE, result, loader.failureDescription());
        assertTrue(loader.isComplete());
        assertTrue(frames.size() > 40, "frames=" + frames.size());
        assertEquals(1, buffersSeen.size());
        assertTrue(frames.stream().allMatch(frame -> frame.length <= 2048));
        assertSameReplicatedState();
        assertEquals(4, loader.ownersLoaded());
        assertEquals(1500, loader.roomsLoaded());
        assertEquals(source.totalRows(), loader.countsLoaded());
        assertEquals(0, ownersLoaded.get(0xDEADL)[2]);
        assertEquals(REMOTE_A + 1000, ownersLoaded.get(REMOTE_A)[0]);
        assertEquals(REMOTE_A + 2000, ownersLoaded.get(REMOTE_A)[1]);
        assertEquals(source.ownerRows(LOCAL_NODE), ownersLoaded.get(LOCAL_NODE)[2]);
        assertEquals(SnapshotLoadResult.NOT_LOADING, loader.onFrame(new UnsafeBuffer(frames.get(0)), 0, 10));
        assertTrue(loader.isComplete());
    }

    @Test
    void shouldSendTheTableStreamsInChunksOfTheirOwnBeforeTheRoomsAndLoadTheSnapshotAsBefore()
    {
        fillSource(300, new Random(5));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        // More streams than one 2 KB chunk holds (84 of 24 bytes each): they continue in a second chunk.
        final int streams = 100;
        final long[] nodeIds = new long[streams];
        final long[] incarnations = new long[streams];
        final long[] sequences = new long[streams];
        for (int i = 0; i < streams; i++)
        {
            nodeIds[i] = 1 + i;
            incarnations[i] = 1000 + i;
            sequences[i] = 2000 + i;
        }

        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        writer.begin(LOCAL_NODE, 1, RECEIVER, CORRELATION_ID);
        writer.writeOwner(REMOTE_A, 7, 3);
        final int ownerFrames = frames.size();
        writer.beginRooms(nodeIds, incarnations, sequences, streams);
        for (int segment = 0; segment < writer.roomSegments(); segment++)
        {
            writer.writeRoomSegment(segment);
        }
        writer.end();

        final List<Long> streamSequences = new ArrayList<>();
        final FrameDecoder frame = new FrameDecoder();
        final SnapshotChunkDecoder chunk = new SnapshotChunkDecoder();
        for (int i = ownerFrames; i < frames.size(); i++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frames.get(i));
            assertEquals(DecodeResult.OK, frame.wrap(buffer, 0, frames.get(i).length));
            assertTrue(frame.nextMessage());
            chunk.wrap(buffer, frame.bodyOffset(), frame.bodyLength());
            assertEquals(i < ownerFrames + 2, chunk.hasTableStreams(), "the first two chunks of the rooms");
            assertEquals(0, chunk.ownerNodeId());
            assertEquals(i - ownerFrames, chunk.chunkIndex());
            for (int entry = 0; entry < chunk.tableStreamCount(); entry++)
            {
                assertEquals(nodeIds[streamSequences.size()], chunk.tableStreamNodeId(entry));
                assertEquals(incarnations[streamSequences.size()], chunk.tableStreamIncarnation(entry));
                streamSequences.add(chunk.tableStreamSequence(entry));
            }
        }
        assertEquals(streams, streamSequences.size());
        assertEquals(2000 + streams - 1, streamSequences.get(streams - 1));

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader), loader.failureDescription());
        assertEquals(300, loader.roomsLoaded());
        assertEquals(source.rooms(), target.rooms());
    }

    @Test
    void shouldSendTheRoomRemovalsInChunksOfTheirOwnAfterTheStreamsAndLoadTheSnapshotAsBefore()
    {
        fillSource(300, new Random(6));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        // More removals than one 2 KB chunk holds (62 of 32 bytes each): they continue in a second and third chunk.
        final int removals = 150;

        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        writer.begin(LOCAL_NODE, 1, RECEIVER, CORRELATION_ID);
        writer.writeOwner(REMOTE_A, 7, 3);
        final int ownerFrames = frames.size();
        writer.beginRooms(new long[] {REMOTE_A}, new long[] {7}, new long[] {3}, 1);
        for (int i = 0; i < removals; i++)
        {
            writer.writeRoomRemoval(0x5000L + i, REMOTE_A, 7, 100 + i);
        }
        writer.writeRoomSegment(0);
        assertThrows(IllegalStateException.class, () -> writer.writeRoomRemoval(1L, 1L, 1L, 1L),
            "a removal among the rooms would be read as no removal by a node that does not know the flag");
        for (int segment = 1; segment < writer.roomSegments(); segment++)
        {
            writer.writeRoomSegment(segment);
        }
        writer.end();

        final List<Long> removedRooms = new ArrayList<>();
        final FrameDecoder frame = new FrameDecoder();
        final SnapshotChunkDecoder chunk = new SnapshotChunkDecoder();
        for (int i = ownerFrames; i < frames.size(); i++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frames.get(i));
            assertEquals(DecodeResult.OK, frame.wrap(buffer, 0, frames.get(i).length));
            assertTrue(frame.nextMessage());
            chunk.wrap(buffer, frame.bodyOffset(), frame.bodyLength());
            assertEquals(i == ownerFrames, chunk.hasTableStreams(), "the streams come first");
            assertEquals(i > ownerFrames && i < ownerFrames + 4, chunk.hasRoomRemovals(), "then three of removals");
            assertEquals(i - ownerFrames, chunk.chunkIndex());
            assertEquals(0, chunk.hasRoomRemovals() ? chunk.roomEntries() : 0);
            for (int entry = 0; entry < chunk.roomRemovalCount(); entry++)
            {
                assertEquals(REMOTE_A, chunk.roomRemovalNodeId(entry));
                assertEquals(7, chunk.roomRemovalIncarnation(entry));
                assertEquals(100 + removedRooms.size(), chunk.roomRemovalSequence(entry));
                removedRooms.add(chunk.roomRemovalRoomId(entry));
            }
        }
        assertEquals(removals, removedRooms.size());
        assertEquals(0x5000L + removals - 1, removedRooms.get(removals - 1));

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader), loader.failureDescription());
        assertEquals(300, loader.roomsLoaded());
        assertEquals(source.rooms(), target.rooms());
    }

    @Test
    void shouldSkipTheRoomsItsListenerDoesNotAdmitAndLoadTheRestAsBefore()
    {
        fillSource(200, new Random(17));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A);
        final Set<Long> refused = new HashSet<>();
        final SnapshotLoader loader = new SnapshotLoader(target, new SnapshotLoadListener()
        {
            public void onOwnerLoaded(final long owner, final long incarnation, final long sequence, final long rows)
            {
                ownersLoaded.put(owner, new long[]{ incarnation, sequence, rows });
            }

            public boolean admitsRoom(final long roomId)
            {
                // Every third room is older than a removal the receiver applied.
                return roomId % 3 != 0 || !refused.add(roomId);
            }
        });

        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader), loader.failureDescription());
        assertTrue(refused.size() > 40, "refused=" + refused.size());
        assertEquals(refused.size(), loader.roomsSkipped());
        assertEquals(200 - refused.size(), loader.roomsLoaded());
        assertEquals(200 - refused.size(), target.rooms());
        for (final long room : refused)
        {
            assertTrue(source.roomExists(room));
            assertFalse(target.roomExists(room), "room " + room + " was not admitted");
        }
        assertEquals(source.ownerRows(REMOTE_A), ownersLoaded.get(REMOTE_A)[2], "the rows load as before");
    }

    @Test
    void shouldRefuseASnapshotOfAnotherClusterBeforeLoadingAnything()
    {
        source = new SubscriptionState(context(LOCAL_NODE).clusterId(0xC1L), (roomId, previousCount, newCount) -> { });
        TestStates.createRoom(source, "index", "collection", new byte[]{ 1 });
        target = new SubscriptionState(context(RECEIVER).clusterId(0xC2L), (roomId, previousCount, newCount) -> { });

        writeSnapshot(LOCAL_NODE);
        final SnapshotLoader loader = loader();

        assertEquals(SnapshotLoadResult.BAD_FRAME, loadAll(loader));
        assertTrue(loader.failureDescription().contains("FOREIGN_CLUSTER"), loader.failureDescription());
        assertEquals(0, target.rooms());
        assertTrue(ownersLoaded.isEmpty());
    }

    @Test
    void shouldReplaceRowsTheReceiverHeldOfAnOwner()
    {
        fillSource(20, new Random(5));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        target.applyRemote(REMOTE_A, 123456789, 4);

        writeSnapshot(REMOTE_A);

        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader()));
        assertEquals(0, target.ownerCount(REMOTE_A, 123456789));
        assertEquals(source.ownerDigest(REMOTE_A), target.ownerDigest(REMOTE_A));
    }

    @Test
    void shouldDetectADigestMismatch()
    {
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final FrameEncoder frame = new FrameEncoder().wrap(buffer, 0, 1024);
        frame.begin(FrameLayout.ANY_CLUSTER, LOCAL_NODE, 1, RECEIVER, 0);
        final int bodyLength = frame.remainingBodyLength();
        final SnapshotChunkEncoder chunk = new SnapshotChunkEncoder()
            .wrap(buffer, frame.claim(MessageType.SNAPSHOT_CHUNK, bodyLength), bodyLength)
            .correlationId(CORRELATION_ID)
            .owner(REMOTE_A, 1, 2)
            .chunkIndex(0)
            .flags(SnapshotChunkDecoder.FLAG_LAST)
            .ownerDigest(RowDigest.mix(10, 6));
        chunk.addCount(10, 5);
        frame.resizeLastMessage(chunk.encodedLength());
        final int length = frame.finish();
        final SnapshotLoader loader = loader();
        loader.begin(CORRELATION_ID);

        assertEquals(SnapshotLoadResult.DIGEST_MISMATCH, loader.onFrame(buffer, 0, length));

        assertEquals(RowDigest.mix(10, 6), loader.expectedDigest());
        assertEquals(RowDigest.mix(10, 5), loader.loadedDigest());
        assertEquals(REMOTE_A, loader.failedOwner());
        assertTrue(loader.failureDescription().contains("DIGEST_MISMATCH ownerNodeId=" + REMOTE_A),
            loader.failureDescription());
        assertFalse(ownersLoaded.containsKey(REMOTE_A));
        assertFalse(loader.isComplete());
        assertEquals(SnapshotLoadResult.DIGEST_MISMATCH, loader.onFrame(buffer, 0, length));
    }

    @Test
    void shouldRejectAGarbledFrame()
    {
        fillSource(50, new Random(1));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A);
        frames.get(1)[100] ^= 1;

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.BAD_FRAME, loadAll(loader));
        assertTrue(loader.failureDescription().contains("CHECKSUM_MISMATCH"), loader.failureDescription());
    }

    @Test
    void shouldRejectAMissingFrame()
    {
        fillSource(300, new Random(2));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A, REMOTE_B);
        frames.remove(2);

        assertEquals(SnapshotLoadResult.OUT_OF_ORDER, loadAll(loader()));
    }

    @Test
    void shouldRejectAnotherRequestsChunks()
    {
        fillSource(5, new Random(3));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A);
        final SnapshotLoader loader = loader();
        loader.begin(CORRELATION_ID + 1);

        final byte[] frame = frames.get(0);
        assertEquals(SnapshotLoadResult.CORRELATION_MISMATCH, loader.onFrame(new UnsafeBuffer(frame), 0, frame.length));
    }

    @Test
    void shouldRejectRowsOfTheReceiverItself()
    {
        fillSource(5, new Random(4));
        target = new SubscriptionState(context(LOCAL_NODE), (roomId, previousCount, newCount) -> { });
        writeSnapshot(LOCAL_NODE);

        assertEquals(SnapshotLoadResult.LOCAL_OWNER, loadAll(loader()));
        assertEquals(0, target.localCount(1));
    }

    @Test
    void shouldRejectAnOwnerStreamedTwice()
    {
        fillSource(5, new Random(4));
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A, REMOTE_A);

        assertEquals(SnapshotLoadResult.OUT_OF_ORDER, loadAll(loader()));
    }

    @Test
    void shouldReportWhatTheStateRefused()
    {
        fillSource(100, new Random(6));
        target = new SubscriptionState(context(RECEIVER).maxRooms(50), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A);

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.STATE_REFUSED, loadAll(loader));
        assertEquals(StateResult.ROOM_COUNTS_FULL, loader.stateRefusal());
        assertTrue(loader.failureDescription().contains("ROOM_COUNTS_FULL"), loader.failureDescription());
    }

    @Test
    void shouldKeepTheRowsBeforeARefusalInAChunkAndNameTheRefusedRoom()
    {
        fillSource(100, new Random(6));
        target = new SubscriptionState(context(RECEIVER).maxRooms(50), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A);

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.STATE_REFUSED, loadAll(loader));
        assertEquals(50, target.ownerRows(REMOTE_A));
        final long refusedRoom = refusedRoom(loader);
        assertEquals(0, target.ownerCount(REMOTE_A, refusedRoom));
        assertTrue(source.ownerCount(REMOTE_A, refusedRoom) > 0);
        assertEquals(2, target.owners());
    }

    @Test
    void shouldRefuseAnOwnerPastTheOwnerSlotsAndNameItsFirstRoom()
    {
        fillSource(20, new Random(8));
        target = new SubscriptionState(context(RECEIVER).maxNodes(2), (roomId, previousCount, newCount) -> { });
        writeSnapshot(REMOTE_A, REMOTE_B);

        final SnapshotLoader loader = loader();
        assertEquals(SnapshotLoadResult.STATE_REFUSED, loadAll(loader));
        assertEquals(StateResult.OWNERS_FULL, loader.stateRefusal());
        assertEquals(REMOTE_B, loader.failedOwner());
        assertEquals(source.ownerDigest(REMOTE_A), target.ownerDigest(REMOTE_A));
        assertEquals(0, target.ownerRows(REMOTE_B));
        assertTrue(source.ownerCount(REMOTE_B, refusedRoom(loader)) > 0);
    }

    /**
     * A chunk whose frame is whole (checksum and layout right) but one of whose rows no state can hold: the load
     * fails naming the row's room, and nothing of the chunk is applied, not even the replacement of the rows the
     * receiver held of the owner.
     */
    @ParameterizedTest
    @ValueSource(strings = { "count of room 0", "count past 48 bits", "room of id 0", "room whose id is not its own" })
    void shouldFailAChunkWithARowNoStateHoldsNamingItAndChangingNothing(final String bad)
    {
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        target.applyRemote(REMOTE_A, 11, 4);
        target.applyRemote(REMOTE_B, 12, 5);
        final long digestA = target.ownerDigest(REMOTE_A);
        final long roomsBefore = target.rooms();

        final UnsafeBuffer body = new UnsafeBuffer(new byte[1024]);
        final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
        encoder.wrap(body, 0, body.capacity()).correlationId(CORRELATION_ID).owner(REMOTE_A, 7, 3)
            .ownerDigest(RowDigest.EMPTY).chunkIndex(0).flags(SnapshotChunkDecoder.FLAG_LAST);
        encoder.addCount(21, 2);
        encoder.addCount(11, 9);
        long badRoom = 0;
        if (bad.startsWith("count past"))
        {
            badRoom = 22;
            encoder.addCount(badRoom, CountTable.MAX_COUNT + 1);
        }
        else if (bad.startsWith("count of"))
        {
            encoder.addCount(0, 1);
        }
        encoder.addCount(23, 1);
        final UnsafeBuffer good = TestStates.metadata("index", "good", new byte[]{ 1 });
        addRoom(encoder, RoomIds.roomId(good, 0, good.capacity()), good);
        if (bad.startsWith("room"))
        {
            final UnsafeBuffer metadata = TestStates.metadata("index", "bad", new byte[]{ 2 });
            badRoom = bad.startsWith("room of id 0") ? 0 : RoomIds.roomId(metadata, 0, metadata.capacity()) ^ 1;
            addRoom(encoder, badRoom, metadata);
        }
        final SnapshotLoader loader = loader();
        loader.begin(CORRELATION_ID);

        final SnapshotChunkDecoder chunk = new SnapshotChunkDecoder().wrap(body, 0, encoder.encodedLength());
        assertEquals(SnapshotLoadResult.MALFORMED_CHUNK, loader.onChunk(chunk));

        assertTrue(loader.failureDescription().startsWith("MALFORMED_CHUNK ownerNodeId=" + REMOTE_A),
            loader.failureDescription());
        assertEquals(badRoom, refusedRoom(loader));
        assertEquals(digestA, target.ownerDigest(REMOTE_A));
        assertEquals(4, target.ownerCount(REMOTE_A, 11));
        assertEquals(0, target.ownerCount(REMOTE_A, 21));
        assertEquals(1, target.ownerRows(REMOTE_A));
        assertEquals(5, target.ownerCount(REMOTE_B, 12));
        assertEquals(roomsBefore, target.rooms());
        assertEquals(SnapshotLoadResult.MALFORMED_CHUNK, loader.onChunk(chunk), "a failure is sticky");
    }

    private static void addRoom(final SnapshotChunkEncoder encoder, final long roomId, final UnsafeBuffer metadata)
    {
        assertTrue(encoder.addRoom(
            roomId,
            metadata,
            RoomMetadata.indexNameOffset(metadata, 0),
            RoomMetadata.indexNameLength(metadata, 0),
            RoomMetadata.collectionNameOffset(metadata, 0),
            RoomMetadata.collectionNameLength(metadata, 0),
            RoomMetadata.filterOffset(metadata, 0),
            RoomMetadata.filterLength(metadata, 0)));
    }

    private static long refusedRoom(final SnapshotLoader loader)
    {
        final String description = loader.failureDescription();
        final int at = description.indexOf("roomId=");
        assertTrue(at >= 0, description);
        return Long.parseLong(description.substring(at + "roomId=".length()).trim());
    }

    /**
     * The argument of SnapshotWriter's Javadoc, played out: the state keeps changing between owner streams,
     * the receiver buffers every message and replays those above each owner's recorded sequence.
     */
    @Test
    void shouldConvergeWhenTheStateChangesWhileStreamingAndBufferedMessagesAreReplayed()
    {
        final Random random = new Random(8);
        source = new SubscriptionState(context(LOCAL_NODE), (roomId, previousCount, newCount) -> { });
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        final long[] owners = { REMOTE_A, REMOTE_B };
        final long[] sequence = new long[2];
        final List<long[]> buffered = new ArrayList<>();
        final long[] rooms = new long[40];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = TestStates.createRoom(source, i);
        }
        final Runnable churn = () ->
        {
            for (int i = 0; i < 200; i++)
            {
                final int o = random.nextInt(2);
                final long room = rooms[random.nextInt(rooms.length)];
                final long count = random.nextInt(3);
                source.applyRemote(owners[o], room, count);
                buffered.add(new long[]{ o, ++sequence[o], room, count });
            }
        };
        churn.run();

        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        writer.begin(LOCAL_NODE, 1, RECEIVER, CORRELATION_ID);
        writer.writeOwner(REMOTE_A, 1, sequence[0]);
        churn.run();
        writer.writeOwner(REMOTE_B, 1, sequence[1]);
        churn.run();
        writer.writeRoomsAndEnd();
        churn.run();

        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader()));
        for (final long[] message : buffered)
        {
            final int o = (int)message[0];
            if (message[1] > ownersLoaded.get(owners[o])[1])
            {
                target.applyRemote(owners[o], message[2], message[3]);
            }
        }

        for (final long owner : owners)
        {
            assertEquals(source.ownerDigest(owner), target.ownerDigest(owner));
            assertEquals(source.ownerRows(owner), target.ownerRows(owner));
        }
        for (final long room : rooms)
        {
            assertEquals(source.roomCount(room), target.roomCount(room));
        }
    }

    @Test
    void shouldReuseOneFrameBuffer()
    {
        fillSource(200, new Random(9));
        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        final DirectBuffer[] first = new DirectBuffer[1];
        for (int i = 0; i < 3; i++)
        {
            writer.begin(LOCAL_NODE, 1, RECEIVER, i);
            writer.writeOwner(REMOTE_A, 1, 1);
            writer.writeRoomsAndEnd();
            if (null == first[0])
            {
                first[0] = buffersSeen.iterator().next();
            }
        }

        assertEquals(1, buffersSeen.size());
        assertSame(first[0], buffersSeen.iterator().next());
        assertEquals(frames.size(), writer.framesWritten());
        assertEquals(2048, writer.frameLength());
    }
    @Test
    void shouldStreamAnOwnerInSegmentsWhileItsRowsChangeAndBeExactAfterTheReplayToItsEnd()
    {
        final Random random = new Random(11);
        fillSource(600, random);
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        final long[] rooms = new long[600];
        final int[] known = { 0 };
        source.roomTable().forEach((roomId, metadata, offset, length) -> rooms[known[0]++] = roomId);

        // The owner's stream: S = 0, then every change below is a message with the next sequence.
        final List<long[]> messages = new ArrayList<>();
        final SnapshotWriter writer = new SnapshotWriter(source, this::collect);
        writer.begin(LOCAL_NODE, 1, RECEIVER, CORRELATION_ID);
        writer.beginOwner(REMOTE_A, 7, 0);
        assertTrue(writer.ownerSegments() > 1, "segments " + writer.ownerSegments());
        for (int segment = 0; segment < writer.ownerSegments(); segment++)
        {
            writer.writeOwnerSegment(segment);
            for (int i = 0; i < 5; i++)
            {
                final long room = rooms[random.nextInt(known[0])];
                final long count = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
                source.applyRemote(REMOTE_A, room, count);
                messages.add(new long[]{ messages.size() + 1, room, count });
            }
        }
        // A change after every segment was read: the rows sent hold the old value of this row.
        final long lastRoom = rooms[0];
        final long lastCount = source.ownerCount(REMOTE_A, lastRoom) + 1000;
        source.applyRemote(REMOTE_A, lastRoom, lastCount);
        messages.add(new long[]{ messages.size() + 1, lastRoom, lastCount });
        final long endSequence = messages.size();
        writer.endOwner(endSequence, source.ownerDigest(REMOTE_A));
        writer.beginRooms();
        for (int segment = 0; segment < writer.roomSegments(); segment++)
        {
            writer.writeRoomSegment(segment);
        }
        writer.end();

        final long[] fuzzy = new long[5];
        final SnapshotLoader loader = new SnapshotLoader(target, new SnapshotLoadListener()
        {
            public void onOwnerLoaded(final long owner, final long incarnation, final long sequence, final long rows)
            {
                throw new AssertionError("a sliced stream is never verified on load");
            }

            public void onFuzzyOwnerLoaded(final long owner, final long incarnation, final long startSequence,
                final long end, final long endDigest, final long rows)
            {
                fuzzy[0] = owner;
                fuzzy[1] = incarnation;
                fuzzy[2] = startSequence;
                fuzzy[3] = end;
                fuzzy[4] = endDigest;
            }
        });
        assertEquals(SnapshotLoadResult.COMPLETE, loadAll(loader), loader::failureDescription);
        assertEquals(REMOTE_A, fuzzy[0]);
        assertEquals(7, fuzzy[1]);
        assertEquals(0, fuzzy[2]);
        assertEquals(endSequence, fuzzy[3]);
        assertEquals(source.ownerDigest(REMOTE_A), fuzzy[4]);
        assertEquals(source.rooms(), target.rooms());

        // The check the engine makes: without the last message the copy is not the owner's rows at E.
        for (int i = 0; i < messages.size() - 1; i++)
        {
            target.applyRemote(REMOTE_A, messages.get(i)[1], messages.get(i)[2]);
        }
        assertFalse(fuzzy[4] == target.ownerDigest(REMOTE_A), "a copy missing a change must fail the check");
        final long[] last = messages.get(messages.size() - 1);
        target.applyRemote(REMOTE_A, last[1], last[2]);
        assertEquals(fuzzy[4], target.ownerDigest(REMOTE_A));
        assertEquals(source.ownerRows(REMOTE_A), target.ownerRows(REMOTE_A));
        for (int i = 0; i < known[0]; i++)
        {
            assertEquals(source.ownerCount(REMOTE_A, rooms[i]), target.ownerCount(REMOTE_A, rooms[i]));
        }
    }

    @Test
    void shouldRefuseASlicedStreamWhoseFirstChunkIsItsLast()
    {
        source = new SubscriptionState(context(LOCAL_NODE), (roomId, previousCount, newCount) -> { });
        target = new SubscriptionState(context(RECEIVER), (roomId, previousCount, newCount) -> { });
        final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
        final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
        encoder.wrap(body, 0, body.capacity()).correlationId(CORRELATION_ID).owner(REMOTE_A, 7, 3)
            .ownerDigest(RowDigest.EMPTY).chunkIndex(0)
            .flags(SnapshotChunkDecoder.FLAG_LAST | SnapshotChunkDecoder.FLAG_FUZZY);
        final SnapshotLoader loader = new SnapshotLoader(target, new SnapshotLoadListener()
        {
            public void onOwnerLoaded(final long owner, final long incarnation, final long sequence, final long rows)
            {
                throw new AssertionError("never loaded");
            }
        });
        loader.begin(CORRELATION_ID);
        // Its one chunk would carry E but not S: nothing says which buffered messages to replay.
        assertEquals(SnapshotLoadResult.MALFORMED_CHUNK,
            loader.onChunk(new SnapshotChunkDecoder().wrap(body, 0, encoder.encodedLength())));
    }
}
