package io.cohort.state;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static io.cohort.state.TestStates.createRoom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every capacity is refused with a named result before Chronicle would fail, and a refusal changes nothing.
 */
class CapacityTest
{
    private final TestStates.RecordingListener listener = new TestStates.RecordingListener();
    private SubscriptionState state;

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @Test
    void shouldRefuseConnectionPastMaxConnectionsAndChangeNothing()
    {
        state = new SubscriptionState(TestStates.smallContext().maxConnections(2), listener);
        final long room = createRoom(state, 1);
        final long other = createRoom(state, 2);
        state.subscribe(1, room);
        state.subscribe(2, room);
        final long digest = state.ownerDigest(LOCAL_NODE);
        final int changes = listener.changes.size();

        assertEquals(StateResult.CONNECTIONS_FULL, state.subscribe(3, room));
        assertTrue(StateResult.CONNECTIONS_FULL.isRefusal());

        assertEquals(2, state.localCount(room));
        assertEquals(2, state.connections());
        assertEquals(2, state.localSubscriptions());
        assertFalse(state.isSubscribed(3, room));
        assertEquals(digest, state.ownerDigest(LOCAL_NODE));
        assertEquals(changes, listener.changes.size());
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(1, other));
        state.disconnect(1);
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(3, room));
    }

    @Test
    void shouldRefuseRoomPastMaxRoomsPerConnectionAndChangeNothing()
    {
        state = new SubscriptionState(TestStates.smallContext().maxRoomsPerConnection(5), listener);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(StateResult.SUBSCRIBED, state.subscribe(1, createRoom(state, i)));
        }
        final long sixth = createRoom(state, 5);
        final long digest = state.ownerDigest(LOCAL_NODE);

        assertEquals(StateResult.CONNECTION_FULL, state.subscribe(1, sixth));

        assertEquals(0, state.localCount(sixth));
        assertEquals(5, state.connectionRoomCount(1));
        assertEquals(1, state.overflowSubscriptions());
        assertEquals(digest, state.ownerDigest(LOCAL_NODE));
        assertEquals(5, listener.changes.size());
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(2, sixth));
    }

    @Test
    void shouldRefuseOverflowPastMaxOverflowSubscriptionsAndChangeNothing()
    {
        state = new SubscriptionState(TestStates.smallContext().maxOverflowSubscriptions(2), listener);
        final long[] rooms = new long[8];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = createRoom(state, i);
        }
        for (int i = 0; i < 6; i++)
        {
            assertEquals(StateResult.SUBSCRIBED, state.subscribe(1, rooms[i]));
        }
        final long digest = state.ownerDigest(LOCAL_NODE);

        assertEquals(StateResult.OVERFLOW_FULL, state.subscribe(1, rooms[6]));

        assertEquals(0, state.localCount(rooms[6]));
        assertEquals(6, state.connectionRoomCount(1));
        assertEquals(2, state.overflowSubscriptions());
        assertEquals(digest, state.ownerDigest(LOCAL_NODE));
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(2, rooms[6]));
        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(1, rooms[0]));
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(1, rooms[6]));
    }

    @Test
    void shouldRefuseRoomPastMaxRooms()
    {
        state = new SubscriptionState(TestStates.smallContext().maxRooms(4), listener);
        for (int i = 0; i < 4; i++)
        {
            createRoom(state, i);
        }
        final UnsafeBuffer metadata = TestStates.metadata("index", "collection", new byte[1]);
        final long roomId = RoomIds.roomId(metadata, 0, metadata.capacity());

        assertEquals(StateResult.ROOMS_FULL, state.createRoom(roomId, metadata, 0, metadata.capacity()));

        assertEquals(4, state.rooms());
        assertFalse(state.roomExists(roomId));
    }

    @Test
    void shouldRefuseRoomPastTheMetadataByteBudget()
    {
        state = new SubscriptionState(TestStates.smallContext().maxRooms(8).averageRoomBytes(32), listener);
        assertEquals(256, state.maxRoomMetadataBytes());
        createRoom(state, "i", "c", new byte[200]);
        final long bytes = state.roomMetadataBytes();
        final UnsafeBuffer tooMuch = TestStates.metadata("i", "c", new byte[100]);

        assertEquals(StateResult.ROOMS_FULL,
            state.createRoom(RoomIds.roomId(tooMuch, 0, tooMuch.capacity()), tooMuch, 0, tooMuch.capacity()));

        assertEquals(1, state.rooms());
        assertEquals(bytes, state.roomMetadataBytes());
        createRoom(state, "i", "c", new byte[256 - 214 - 14]);
    }

    @Test
    void shouldRefuseRoomLargerThanTheLimits()
    {
        state = new SubscriptionState(TestStates.smallContext().maxFilterBytes(16), listener);
        final UnsafeBuffer bigFilter = TestStates.metadata("i", "c", new byte[17]);
        final UnsafeBuffer bigName = TestStates.metadata("i".repeat(256), "c", new byte[1]);

        assertEquals(StateResult.ROOM_TOO_LARGE,
            state.createRoom(RoomIds.roomId(bigFilter, 0, bigFilter.capacity()), bigFilter, 0, bigFilter.capacity()));
        assertEquals(StateResult.ROOM_TOO_LARGE,
            state.createRoom(RoomIds.roomId(bigName, 0, bigName.capacity()), bigName, 0, bigName.capacity()));
        assertEquals(0, state.rooms());
        createRoom(state, "i".repeat(255), "c".repeat(255), new byte[16]);
    }

    @Test
    void shouldRefuseNewOwnerWhenEverySlotIsTaken()
    {
        state = new SubscriptionState(TestStates.smallContext().maxNodes(2), listener);

        assertEquals(StateResult.APPLIED, state.applyRemote(100, 1, 1));
        assertEquals(StateResult.OWNERS_FULL, state.applyRemote(200, 1, 1));
        assertEquals(StateResult.UNCHANGED, state.applyRemote(200, 1, 0));

        assertEquals(0, state.ownerCount(200, 1));
        assertEquals(1, state.roomCount(1));
        assertEquals(2, state.owners());
        assertEquals(StateResult.APPLIED, state.applyRemote(100, 1, 0));
        assertEquals(StateResult.APPLIED, state.applyRemote(200, 1, 1));
    }

    @Test
    void shouldRefuseRowPastMaxRoomsPerOwnerAndChangeNothing()
    {
        state = new SubscriptionState(TestStates.smallContext().maxRooms(4), listener);
        for (int room = 1; room <= 4; room++)
        {
            assertEquals(StateResult.APPLIED, state.applyRemote(100, room, room));
        }
        final long digest = state.ownerDigest(100);

        assertEquals(StateResult.ROOM_COUNTS_FULL, state.applyRemote(100, 5, 1));

        assertEquals(4, state.ownerRows(100));
        assertEquals(digest, state.ownerDigest(100));
        assertEquals(0, state.ownerCount(100, 5));
        assertEquals(StateResult.APPLIED, state.applyRemote(100, 4, 7));
        assertEquals(StateResult.APPLIED, state.applyRemote(100, 4, 0));
        assertEquals(StateResult.APPLIED, state.applyRemote(100, 5, 1));
    }

    @Test
    void shouldFillMultiSegmentMapsToCapacityWithoutChronicleFailing()
    {
        final int capacity = 20_000;
        state = new SubscriptionState(TestStates.smallContext()
            .maxRooms(capacity).maxConnections(capacity).maxOverflowSubscriptions(capacity).averageRoomBytes(40),
            (roomId, previousCount, newCount) -> { });
        final Random random = new Random(42);
        for (int i = 0; i < capacity; i++)
        {
            assertEquals(StateResult.APPLIED, state.applyRemote(100, 1 + random.nextInt(Integer.MAX_VALUE - 1) * 2L, 1));
        }
        assertEquals(StateResult.ROOM_COUNTS_FULL, state.applyRemote(100, 2, 1));
        final long room = createRoom(state, "i", "c", new byte[]{ 1 });
        assertEquals(StateResult.ROOM_COUNTS_FULL, state.subscribe(1, room));
        assertEquals(0, state.connections());

        // The removed owner's counts hold their room in the map until swept.
        assertEquals(capacity, state.removeOwner(100));
        assertEquals(StateResult.ROOM_COUNTS_FULL, state.subscribe(1, room));
        int steps = 0;
        while (state.sweepRemovedOwners(64) > 0)
        {
            steps++;
        }
        assertTrue(steps > 1, "a sweep of " + capacity + " entries in steps of 64 took " + steps);
        assertFalse(state.isSweepingRemovedOwners());
        for (int connection = 1; connection <= capacity; connection++)
        {
            assertEquals(StateResult.SUBSCRIBED, state.subscribe(connection, room));
        }
        assertEquals(StateResult.CONNECTIONS_FULL, state.subscribe(capacity + 1, room));
        assertEquals(capacity, state.localCount(room));

        // Rooms of random sizes, filled until the byte budget refuses them, then churned.
        int created = 1;
        int refused = 0;
        while (refused < 100)
        {
            final UnsafeBuffer metadata = TestStates.metadata("i", "c" + created, new byte[random.nextInt(100)]);
            final StateResult result = state.createRoom(
                RoomIds.roomId(metadata, 0, metadata.capacity()), metadata, 0, metadata.capacity());
            if (StateResult.ROOM_CREATED == result)
            {
                created++;
            }
            else
            {
                assertEquals(StateResult.ROOMS_FULL, result);
                refused++;
            }
        }
        assertTrue(state.roomMetadataBytes() <= state.maxRoomMetadataBytes());
        assertEquals(created, state.rooms());
    }
}
