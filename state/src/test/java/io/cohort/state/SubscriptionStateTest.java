package io.cohort.state;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static io.cohort.state.TestStates.createRoom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionStateTest
{
    private static final long REMOTE = 0xBEEFL;
    private static final long CONNECTION = 11;

    private final TestStates.RecordingListener listener = new TestStates.RecordingListener();
    private SubscriptionState state;
    private long room;

    @BeforeEach
    void before()
    {
        state = new SubscriptionState(TestStates.smallContext(), listener);
        room = createRoom(state, 1);
    }

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @Test
    void shouldSubscribeAndReportZeroToOne()
    {
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(CONNECTION, room));

        assertTrue(state.isSubscribed(CONNECTION, room));
        assertEquals(1, state.localCount(room));
        assertEquals(1, state.roomCount(room));
        assertEquals(1, state.connections());
        assertEquals(1, state.localSubscriptions());
        assertArrayEquals(new long[]{ room, 0, 1 }, listener.last());
    }

    @Test
    void shouldNotDoubleCountASecondSubscribe()
    {
        state.subscribe(CONNECTION, room);

        assertEquals(StateResult.ALREADY_SUBSCRIBED, state.subscribe(CONNECTION, room));

        assertEquals(1, state.localCount(room));
        assertEquals(1, state.localSubscriptions());
        assertEquals(1, listener.changes.size());
    }

    @Test
    void shouldCountEachConnectionOnce()
    {
        state.subscribe(CONNECTION, room);
        state.subscribe(CONNECTION + 1, room);

        assertEquals(2, state.localCount(room));
        assertArrayEquals(new long[]{ room, 1, 2 }, listener.last());
    }

    @Test
    void shouldRefuseUnknownRoom()
    {
        assertEquals(StateResult.UNKNOWN_ROOM, state.subscribe(CONNECTION, 12345));

        assertEquals(0, state.connections());
        assertTrue(listener.changes.isEmpty());
    }

    @Test
    void shouldUnsubscribeAndReportOneToZero()
    {
        state.subscribe(CONNECTION, room);

        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(CONNECTION, room));

        assertFalse(state.isSubscribed(CONNECTION, room));
        assertEquals(0, state.localCount(room));
        assertEquals(0, state.connections());
        assertEquals(0, state.ownerRows(LOCAL_NODE));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(LOCAL_NODE));
        assertArrayEquals(new long[]{ room, 1, 0 }, listener.last());
    }

    @Test
    void shouldChangeNothingWhenUnsubscribingWhatIsAbsent()
    {
        assertEquals(StateResult.NOT_SUBSCRIBED, state.unsubscribe(CONNECTION, room));
        state.subscribe(CONNECTION, room);
        final long other = createRoom(state, 2);
        assertEquals(StateResult.NOT_SUBSCRIBED, state.unsubscribe(CONNECTION, other));
        assertEquals(StateResult.NOT_SUBSCRIBED, state.unsubscribe(CONNECTION + 1, room));

        assertEquals(1, state.localCount(room));
        assertEquals(0, state.localCount(other));
        assertEquals(1, listener.changes.size());
    }

    @Test
    void shouldDisconnectEveryRoomIncludingOverflow()
    {
        final long[] rooms = new long[10];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = createRoom(state, 100 + i);
            assertEquals(StateResult.SUBSCRIBED, state.subscribe(CONNECTION, rooms[i]));
            state.subscribe(CONNECTION + 1, rooms[i]);
        }
        assertEquals(10, state.connectionRoomCount(CONNECTION));
        assertEquals(2 * (10 - ConnectionTable.INLINE_ROOMS), state.overflowSubscriptions());
        listener.changes.clear();

        assertEquals(StateResult.DISCONNECTED, state.disconnect(CONNECTION));

        assertEquals(0, state.connectionRoomCount(CONNECTION));
        assertEquals(10 - ConnectionTable.INLINE_ROOMS, state.overflowSubscriptions());
        assertEquals(10, listener.changes.size());
        for (final long r : rooms)
        {
            assertEquals(1, state.localCount(r));
            assertFalse(state.isSubscribed(CONNECTION, r));
            assertTrue(state.isSubscribed(CONNECTION + 1, r));
        }
        for (final long[] change : listener.changes)
        {
            assertEquals(2, change[1]);
            assertEquals(1, change[2]);
        }
        assertEquals(StateResult.UNKNOWN_CONNECTION, state.disconnect(CONNECTION));
    }

    @Test
    void shouldKeepRoomsDenseWhenUnsubscribingFromTheMiddle()
    {
        final long[] rooms = new long[9];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = createRoom(state, 200 + i);
            state.subscribe(CONNECTION, rooms[i]);
        }

        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(CONNECTION, rooms[1]));
        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(CONNECTION, rooms[6]));
        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(CONNECTION, rooms[8]));

        final long[] held = new long[16];
        final int count = state.connectionRooms(CONNECTION, held);
        final long[] actual = Arrays.copyOf(held, count);
        Arrays.sort(actual);
        final long[] expected = { rooms[0], rooms[2], rooms[3], rooms[4], rooms[5], rooms[7] };
        Arrays.sort(expected);
        assertArrayEquals(expected, actual);
        assertEquals(6 - ConnectionTable.INLINE_ROOMS, state.overflowSubscriptions());
        for (final long r : expected)
        {
            assertTrue(state.isSubscribed(CONNECTION, r));
        }
    }

    @Test
    void shouldApplyRemoteCountsAsAbsoluteAndIdempotent()
    {
        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, room, 5));
        assertEquals(StateResult.UNCHANGED, state.applyRemote(REMOTE, room, 5));
        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, room, 3));
        state.subscribe(CONNECTION, room);

        assertEquals(3, state.ownerCount(REMOTE, room));
        assertEquals(4, state.roomCount(room));
        assertEquals(2, state.owners());
        assertTrue(state.hasSubscribers(REMOTE, room));
        assertTrue(state.hasSubscribers(LOCAL_NODE, room));
        assertTrue(listener.changes.stream().allMatch(c -> c[0] == room && c[2] == 1));

        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, room, 0));
        assertEquals(StateResult.UNCHANGED, state.applyRemote(REMOTE, room, 0));
        assertFalse(state.hasSubscribers(REMOTE, room));
        assertEquals(1, state.owners());
        assertEquals(1, state.roomCount(room));
    }

    @Test
    void shouldAcceptRemoteCountForRoomNotYetKnown()
    {
        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, 777, 2));

        assertEquals(2, state.roomCount(777));
        assertFalse(state.roomExists(777));
    }

    @Test
    void shouldListOwnersWithSubscribers()
    {
        state.applyRemote(REMOTE, room, 2);
        state.applyRemote(REMOTE + 1, room, 1);
        state.applyRemote(REMOTE + 2, createRoom(state, 3), 1);
        state.subscribe(CONNECTION, room);
        final long[] seen = new long[8];
        final int[] n = { 0 };

        assertEquals(3, state.forEachOwnerWithSubscribers(room, owner -> seen[n[0]++] = owner));

        final long[] owners = Arrays.copyOf(seen, n[0]);
        Arrays.sort(owners);
        final long[] expected = { LOCAL_NODE, REMOTE, REMOTE + 1 };
        Arrays.sort(expected);
        assertArrayEquals(expected, owners);
        assertEquals(4, state.forEachOwner(owner -> { }));
    }

    @Test
    void shouldRemoveOwnerRowsOnlyAndFreeItsSlot()
    {
        final long other = createRoom(state, 2);
        state.applyRemote(REMOTE, room, 2);
        state.applyRemote(REMOTE, other, 4);
        state.applyRemote(REMOTE + 1, room, 1);
        state.subscribe(CONNECTION, room);

        assertEquals(2, state.removeOwner(REMOTE));

        assertEquals(0, state.ownerCount(REMOTE, room));
        assertEquals(0, state.ownerCount(REMOTE, other));
        assertEquals(0, state.ownerRows(REMOTE));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(REMOTE));
        assertEquals(2, state.roomCount(room));
        assertEquals(1, state.ownerCount(REMOTE + 1, room));
        assertEquals(2, state.owners());
        assertEquals(0, state.removeOwner(REMOTE));
        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, other, 1));
        assertEquals(1, state.roomCount(other));
    }

    @Test
    void shouldCreateRoomOnceAndDetectConflicts()
    {
        final UnsafeBuffer metadata = TestStates.metadata("index", "collection1", "filter-1".getBytes());
        assertEquals(StateResult.ROOM_EXISTS, state.createRoom(room, metadata, 0, metadata.capacity()));
        assertEquals(StateResult.ROOM_ID_MISMATCH, state.createRoom(room + 1, metadata, 0, metadata.capacity()));

        final UnsafeBuffer other = TestStates.metadata("index", "collection1", "filter-2".getBytes());
        final long otherId = RoomIds.roomId(other, 0, other.capacity());
        assertEquals(StateResult.ROOM_CREATED, state.createRoom(otherId, other, 0, other.capacity()));
        assertEquals(2, state.rooms());
    }

    @Test
    void shouldReportConflictWhenTheSameIdHoldsOtherMetadata()
    {
        // Forge a collision: a table entry under an id that is not the hash of its content.
        final UnsafeBuffer other = TestStates.metadata("other", "collection", new byte[3]);
        assertEquals(StateResult.ROOM_CREATED, state.roomTable().create(777, other, 0, other.capacity()));
        final UnsafeBuffer metadata = TestStates.metadata("index", "collection", new byte[3]);

        assertEquals(StateResult.ROOM_CONFLICT, state.roomTable().create(777, metadata, 0, metadata.capacity()));
    }

    @Test
    void shouldCopyRoomMetadata()
    {
        final UnsafeBuffer expected = TestStates.metadata("index", "collection1", "filter-1".getBytes());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[100]);

        assertEquals(expected.capacity(), state.roomMetadataLength(room));
        assertEquals(expected.capacity(), state.copyRoomMetadata(room, copy, 10));
        for (int i = 0; i < expected.capacity(); i++)
        {
            assertEquals(expected.getByte(i), copy.getByte(10 + i));
        }
        assertEquals("collection1", copy.getStringWithoutLengthUtf8(
            RoomMetadata.collectionNameOffset(copy, 10), RoomMetadata.collectionNameLength(copy, 10)));
        assertEquals(-1, state.roomMetadataLength(999));
        assertEquals(-1, state.copyRoomMetadata(999, copy, 0));
    }

    @Test
    void shouldRemoveRoomOnlyWhenNoNodeHasSubscribersInIt()
    {
        state.subscribe(CONNECTION, room);
        state.applyRemote(REMOTE, room, 3);

        assertEquals(StateResult.ROOM_IN_USE, state.removeRoom(room));
        state.unsubscribe(CONNECTION, room);
        assertEquals(StateResult.ROOM_IN_USE, state.removeRoom(room), "another node's subscribers keep it");
        assertTrue(state.roomExists(room));
        state.applyRemote(REMOTE, room, 0);
        assertEquals(StateResult.ROOM_REMOVED, state.removeRoom(room));
        assertEquals(StateResult.UNKNOWN_ROOM, state.removeRoom(room));

        assertFalse(state.roomExists(room));
        assertEquals(0, state.rooms());
        assertEquals(0, state.roomMetadataBytes());
        assertEquals(StateResult.UNKNOWN_ROOM, state.subscribe(CONNECTION, room));
        state.applyRemote(REMOTE, room, 2);
        assertEquals(StateResult.UNKNOWN_ROOM, state.removeRoom(room), "a room unknown here, counted or not");
    }

    @Test
    void shouldForgetEveryRoomInBoundedSteps()
    {
        CloseHelper.close(state);
        state = new SubscriptionState(TestStates.smallContext().maxRooms(4096).averageRoomBytes(32), listener);
        for (int i = 0; i < 600; i++)
        {
            createRoom(state, 1000 + i);
        }
        final long held = state.rooms();
        final Set<Long> told = new HashSet<>();
        int steps = 0;
        int removed;
        while ((removed = state.forgetRooms(8, told::add)) > 0)
        {
            steps++;
            assertTrue(removed >= 1);
        }
        assertEquals(0, state.rooms());
        assertEquals(0, state.roomMetadataBytes());
        assertEquals(held, told.size(), "each room told once");
        assertTrue(steps > 1, "a segment at a time, not at once: " + steps);
        assertEquals(0, state.forgetRooms(8, told::add));
        assertThrows(IllegalArgumentException.class, () -> state.forgetRooms(0, told::add));
    }

    @Test
    void shouldReportFullness()
    {
        state.subscribe(CONNECTION, room);
        state.applyRemote(REMOTE, room, 1);

        final String fullness = state.appendFullness(new StringBuilder()).toString();

        assertTrue(fullness.contains("rooms=1/64"), fullness);
        assertTrue(fullness.contains("connections=1/64"), fullness);
        assertTrue(fullness.contains("owners=2/4"), fullness);
        assertTrue(state.offHeapMemoryUsed() > 0);
    }

    @ParameterizedTest
    @ValueSource(ints = { 3, 600 })
    void shouldRemoveOwnerWithFewOrManyRows(final int rows)
    {
        CloseHelper.close(state);
        state = new SubscriptionState(TestStates.smallContext().maxRooms(1024), listener);
        for (int room = 1; room <= rows; room++)
        {
            state.applyRemote(REMOTE, room, room);
            state.applyRemote(REMOTE + 1, room, 1);
        }
        final long otherDigest = state.ownerDigest(REMOTE + 1);

        assertEquals(rows, state.removeOwner(REMOTE));

        for (int room = 1; room <= rows; room++)
        {
            assertEquals(0, state.ownerCount(REMOTE, room));
            assertEquals(1, state.roomCount(room));
        }
        assertEquals(otherDigest, state.ownerDigest(REMOTE + 1));
        assertEquals(StateResult.APPLIED, state.applyRemote(REMOTE, 1, 9));
        assertEquals(1, state.ownerRows(REMOTE));
        assertEquals(RowDigest.mix(1, 9), state.ownerDigest(REMOTE));
        assertEquals(StateResult.UNCHANGED, state.applyRemote(REMOTE, 2, 0));
    }

    @Test
    void shouldResetToAFreshStateOfAnotherNode()
    {
        final long other = createRoom(state, 2);
        for (int connection = 1; connection <= 8; connection++)
        {
            state.subscribe(connection, room);
            state.subscribe(connection, other);
        }
        for (int extra = 3; extra <= 9; extra++)
        {
            state.subscribe(1, createRoom(state, extra));
        }
        state.applyRemote(REMOTE, room, 5);
        state.applyRemote(REMOTE + 1, other, 2);
        assertTrue(state.overflowSubscriptions() > 0, "connection 1 spills into the overflow map");
        final int changesBefore = listener.changes.size();

        final long newLocal = LOCAL_NODE + 7;
        state.reset(newLocal);

        assertEquals(newLocal, state.localNodeId());
        assertEquals(newLocal, state.context().localNodeId());
        assertEquals(changesBefore, listener.changes.size(), "a reset tells the listener nothing");
        assertEquals(0, state.rooms());
        assertEquals(0, state.roomMetadataBytes());
        assertEquals(0, state.connections());
        assertEquals(0, state.localSubscriptions());
        assertEquals(0, state.overflowSubscriptions());
        assertEquals(1, state.owners());
        assertEquals(0, state.totalRows());
        assertEquals(0, state.roomCount(room));
        assertEquals(0, state.ownerCount(REMOTE, room));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(newLocal));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(REMOTE));
        assertFalse(state.isSubscribed(1, room));
        assertFalse(state.roomExists(room));

        // Usable as new, with the old local node now an ordinary remote owner.
        assertEquals(room, createRoom(state, 1));
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(CONNECTION, room));
        assertEquals(StateResult.APPLIED, state.applyRemote(LOCAL_NODE, room, 3));
        assertEquals(4, state.roomCount(room));
        assertEquals(RowDigest.mix(room, 1), state.ownerDigest(newLocal));
        assertArrayEquals(new long[]{ room, 0, 1 }, listener.last());
    }
}
