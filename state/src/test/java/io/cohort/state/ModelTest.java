package io.cohort.state;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the state with a seeded random mix of every operation, at capacities small enough that every limit
 * is hit often, and checks results, listener calls, counts and digests against a plain HashMap model after
 * every operation (a full comparison every few thousand).
 */
class ModelTest
{
    private static final int OPERATIONS = 70_000;
    private static final int FULL_CHECK_INTERVAL = 5_000;
    private static final int MAX_ROOMS = 40;
    private static final int MAX_CONNECTIONS = 30;
    private static final int MAX_ROOMS_PER_CONNECTION = 9;
    private static final int MAX_OVERFLOW = 25;
    private static final int MAX_NODES = 4;
    private static final int ROOM_POOL = 50;
    private static final int CONNECTION_POOL = 45;
    private static final long[] REMOTE_OWNERS = { 101, 102, 103, 104, 105, 106 };

    private final Queue<long[]> expectedChanges = new ArrayDeque<>();
    private final Map<Long, Set<Long>> connections = new HashMap<>();
    private final Map<Long, Long> localCounts = new HashMap<>();
    private final Map<Long, Map<Long, Long>> remoteRows = new HashMap<>();
    private final Map<Long, Long> digests = new HashMap<>();
    private final Set<Long> rooms = new HashSet<>();
    private final long[] roomIds = new long[ROOM_POOL];
    private final UnsafeBuffer[] roomMetadata = new UnsafeBuffer[ROOM_POOL];
    private SubscriptionState state;
    private Random random;
    private Map<Long, long[]> heardInAnyOrder;
    private long disconnecting;
    private final Set<StateResult> resultsSeen = EnumSet.noneOf(StateResult.class);

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void shouldMatchTheModelAfterEveryOperation(final long seed)
    {
        random = new Random(seed);
        state = new SubscriptionState(TestStates.smallContext()
            .maxRooms(MAX_ROOMS)
            .maxConnections(MAX_CONNECTIONS)
            .maxRoomsPerConnection(MAX_ROOMS_PER_CONNECTION)
            .maxOverflowSubscriptions(MAX_OVERFLOW)
            .maxNodes(MAX_NODES),
            this::onLocalCountChanged);
        for (int i = 0; i < ROOM_POOL; i++)
        {
            roomMetadata[i] = TestStates.metadata("index", "collection", ("filter" + i).getBytes());
            roomIds[i] = RoomIds.roomId(roomMetadata[i], 0, roomMetadata[i].capacity());
        }

        for (int op = 1; op <= OPERATIONS; op++)
        {
            final int dice = random.nextInt(100);
            if (dice < 5)
            {
                createRoom();
            }
            else if (dice < 7)
            {
                removeRoom();
            }
            else if (dice < 42)
            {
                subscribe();
            }
            else if (dice < 62)
            {
                unsubscribe();
            }
            else if (dice < 67)
            {
                disconnect();
            }
            else if (dice < 99)
            {
                applyRemote();
            }
            else
            {
                removeOwner();
            }
            assertTrue(expectedChanges.isEmpty(), "listener missed " + expectedChanges.size() + " changes");
            if (0 == op % FULL_CHECK_INTERVAL)
            {
                assertEverything();
            }
        }
        assertEverything();
        for (final StateResult refusal : EnumSet.of(StateResult.UNKNOWN_ROOM, StateResult.CONNECTION_FULL,
            StateResult.CONNECTIONS_FULL, StateResult.OVERFLOW_FULL, StateResult.OWNERS_FULL,
            StateResult.ROOM_COUNTS_FULL, StateResult.ROOMS_FULL, StateResult.ROOM_IN_USE))
        {
            assertTrue(resultsSeen.contains(refusal), "never hit " + refusal + ": the model test is too lax");
        }
    }

    private void onLocalCountChanged(final long roomId, final long previousCount, final long newCount)
    {
        if (null != heardInAnyOrder)
        {
            // A disconnect tells of its rooms once all of them are down: the state read here is final.
            assertEquals(newCount, state.localCount(roomId));
            assertEquals(0, state.connectionRoomCount(connectionBeingRemoved()));
            heardInAnyOrder.put(roomId, new long[]{ roomId, previousCount, newCount });
            return;
        }
        final long[] expected = expectedChanges.poll();
        assertTrue(null != expected, "unexpected change of roomId=" + roomId);
        assertEquals(expected[0], roomId);
        assertEquals(expected[1], previousCount);
        assertEquals(expected[2], newCount);
    }

    private void createRoom()
    {
        final int index = random.nextInt(ROOM_POOL);
        final long roomId = roomIds[index];
        final StateResult expected = rooms.contains(roomId) ? StateResult.ROOM_EXISTS :
            rooms.size() >= MAX_ROOMS ? StateResult.ROOMS_FULL : StateResult.ROOM_CREATED;
        assertEquals(seen(expected), state.createRoom(roomId, roomMetadata[index], 0, roomMetadata[index].capacity()));
        if (StateResult.ROOM_CREATED == expected)
        {
            rooms.add(roomId);
        }
    }

    private void removeRoom()
    {
        final long roomId = roomIds[random.nextInt(ROOM_POOL)];
        final StateResult expected = !rooms.contains(roomId) ? StateResult.UNKNOWN_ROOM :
            hasCounts(roomId) ? StateResult.ROOM_IN_USE : StateResult.ROOM_REMOVED;
        assertEquals(seen(expected), state.removeRoom(roomId));
        if (StateResult.ROOM_REMOVED == expected)
        {
            rooms.remove(roomId);
        }
        assertEquals(rooms.contains(roomId), state.roomExists(roomId));
    }

    private void subscribe()
    {
        final long connection = 1 + random.nextInt(CONNECTION_POOL);
        final long roomId = roomIds[random.nextInt(ROOM_POOL)];
        final Set<Long> held = connections.get(connection);
        final StateResult expected;
        if (!rooms.contains(roomId))
        {
            expected = StateResult.UNKNOWN_ROOM;
        }
        else if (!hasCounts(roomId) && roomsWithCounts() >= MAX_ROOMS)
        {
            expected = StateResult.ROOM_COUNTS_FULL;
        }
        else if (null == held)
        {
            expected = connections.size() >= MAX_CONNECTIONS ? StateResult.CONNECTIONS_FULL : StateResult.SUBSCRIBED;
        }
        else if (held.contains(roomId))
        {
            expected = StateResult.ALREADY_SUBSCRIBED;
        }
        else if (held.size() >= MAX_ROOMS_PER_CONNECTION)
        {
            expected = StateResult.CONNECTION_FULL;
        }
        else if (held.size() >= ConnectionTable.INLINE_ROOMS && overflow() >= MAX_OVERFLOW)
        {
            expected = StateResult.OVERFLOW_FULL;
        }
        else
        {
            expected = StateResult.SUBSCRIBED;
        }
        if (StateResult.SUBSCRIBED == expected)
        {
            connections.computeIfAbsent(connection, c -> new HashSet<>()).add(roomId);
            changeLocal(roomId, 1);
        }
        assertEquals(seen(expected), state.subscribe(connection, roomId));
        assertRoom(roomId);
    }

    private void unsubscribe()
    {
        final long connection = 1 + random.nextInt(CONNECTION_POOL);
        final Set<Long> held = connections.get(connection);
        final long roomId = null != held && !held.isEmpty() && random.nextInt(4) != 0 ?
            held.iterator().next() : roomIds[random.nextInt(ROOM_POOL)];
        final boolean subscribed = null != held && held.contains(roomId);
        if (subscribed)
        {
            held.remove(roomId);
            if (held.isEmpty())
            {
                connections.remove(connection);
            }
            changeLocal(roomId, -1);
        }
        assertEquals(subscribed ? StateResult.UNSUBSCRIBED : StateResult.NOT_SUBSCRIBED,
            state.unsubscribe(connection, roomId));
        assertRoom(roomId);
    }

    private void disconnect()
    {
        final long connection = 1 + random.nextInt(CONNECTION_POOL);
        disconnecting = connection;
        final Set<Long> held = connections.remove(connection);
        if (null == held)
        {
            assertEquals(StateResult.UNKNOWN_CONNECTION, state.disconnect(connection));
            return;
        }
        final Map<Long, long[]> expected = new HashMap<>();
        for (final long roomId : held)
        {
            final long previous = localCounts.get(roomId);
            expected.put(roomId, new long[]{ roomId, previous, previous - 1 });
            changeLocalSilently(roomId, -1);
        }
        heardInAnyOrder = new HashMap<>();

        assertEquals(StateResult.DISCONNECTED, state.disconnect(connection));

        assertEquals(expected.keySet(), heardInAnyOrder.keySet());
        for (final long[] change : expected.values())
        {
            assertEquals(change[1], heardInAnyOrder.get(change[0])[1]);
            assertEquals(change[2], heardInAnyOrder.get(change[0])[2]);
            assertRoom(change[0]);
        }
        heardInAnyOrder = null;
    }

    private StateResult seen(final StateResult result)
    {
        resultsSeen.add(result);
        return result;
    }

    private long connectionBeingRemoved()
    {
        return disconnecting;
    }

    private void applyRemote()
    {
        final long owner = REMOTE_OWNERS[random.nextInt(REMOTE_OWNERS.length)];
        final long roomId = random.nextInt(5) == 0 ? 1 + random.nextInt(ROOM_POOL) : roomIds[random.nextInt(ROOM_POOL)];
        final long count = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(5);
        final Map<Long, Long> rows = remoteRows.get(owner);
        final long previous = null == rows ? 0 : rows.getOrDefault(roomId, 0L);
        final StateResult expected;
        if (previous == count)
        {
            expected = StateResult.UNCHANGED;
        }
        else if (null == rows && remoteRows.size() >= MAX_NODES - 1)
        {
            expected = StateResult.OWNERS_FULL;
        }
        else if (!hasCounts(roomId) && roomsWithCounts() >= MAX_ROOMS)
        {
            expected = StateResult.ROOM_COUNTS_FULL;
        }
        else
        {
            expected = StateResult.APPLIED;
            setRemote(owner, roomId, previous, count);
        }
        assertEquals(seen(expected), state.applyRemote(owner, roomId, count));
        assertEquals(count == previous || StateResult.APPLIED == expected ? count : previous,
            state.ownerCount(owner, roomId));
        assertRoom(roomId);
        assertEquals(digests.getOrDefault(owner, 0L), state.ownerDigest(owner));
    }

    private void removeOwner()
    {
        final long owner = REMOTE_OWNERS[random.nextInt(REMOTE_OWNERS.length)];
        final Map<Long, Long> rows = remoteRows.remove(owner);
        digests.remove(owner);
        assertEquals(null == rows ? 0 : rows.size(), state.removeOwner(owner));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(owner));
        if (null == rows)
        {
            return;
        }
        // The owner's counts are gone from every read at once; the sweep then frees their room, step by step.
        final Set<Long> touched = new HashSet<>(rows.keySet());
        int steps = 0;
        do
        {
            for (final long roomId : touched)
            {
                assertEquals(0, state.ownerCount(owner, roomId));
                assertRoom(roomId);
            }
            assertTrue(++steps < 10_000, "the sweep never ends");
        }
        while (state.sweepRemovedOwners(1 + random.nextInt(3)) > 0 || state.isSweepingRemovedOwners());
    }

    private boolean hasCounts(final long roomId)
    {
        if (localCounts.containsKey(roomId))
        {
            return true;
        }
        for (final Map<Long, Long> rows : remoteRows.values())
        {
            if (rows.containsKey(roomId))
            {
                return true;
            }
        }
        return false;
    }

    private int roomsWithCounts()
    {
        final Set<Long> withCounts = new HashSet<>(localCounts.keySet());
        for (final Map<Long, Long> rows : remoteRows.values())
        {
            withCounts.addAll(rows.keySet());
        }
        return withCounts.size();
    }

    private void setRemote(final long owner, final long roomId, final long previous, final long count)
    {
        final Map<Long, Long> rows = remoteRows.computeIfAbsent(owner, o -> new HashMap<>());
        if (0 == count)
        {
            rows.remove(roomId);
        }
        else
        {
            rows.put(roomId, count);
        }
        if (rows.isEmpty())
        {
            remoteRows.remove(owner);
        }
        digests.put(owner, RowDigest.update(digests.getOrDefault(owner, 0L), roomId, previous, count));
    }

    private void changeLocal(final long roomId, final long delta)
    {
        final long previous = localCounts.getOrDefault(roomId, 0L);
        expectedChanges.add(new long[]{ roomId, previous, previous + delta });
        changeLocalSilently(roomId, delta);
    }

    private void changeLocalSilently(final long roomId, final long delta)
    {
        final long previous = localCounts.getOrDefault(roomId, 0L);
        final long next = previous + delta;
        if (0 == next)
        {
            localCounts.remove(roomId);
        }
        else
        {
            localCounts.put(roomId, next);
        }
        digests.put(LOCAL_NODE, RowDigest.update(digests.getOrDefault(LOCAL_NODE, 0L), roomId, previous, next));
    }

    private int overflow()
    {
        int overflow = 0;
        for (final Set<Long> held : connections.values())
        {
            overflow += Math.max(0, held.size() - ConnectionTable.INLINE_ROOMS);
        }
        return overflow;
    }

    private void assertRoom(final long roomId)
    {
        long sum = localCounts.getOrDefault(roomId, 0L);
        for (final Map<Long, Long> rows : remoteRows.values())
        {
            sum += rows.getOrDefault(roomId, 0L);
        }
        assertEquals(sum, state.roomCount(roomId), "roomCount of roomId=" + roomId);
        assertEquals(localCounts.getOrDefault(roomId, 0L), state.localCount(roomId));
        assertEquals(digests.getOrDefault(LOCAL_NODE, 0L), state.ownerDigest(LOCAL_NODE));
        // The routing decision names exactly the owners with a count above 0.
        final Set<Long> owners = new HashSet<>();
        if (localCounts.getOrDefault(roomId, 0L) > 0)
        {
            owners.add(LOCAL_NODE);
        }
        remoteRows.forEach((owner, rows) ->
        {
            if (rows.getOrDefault(roomId, 0L) > 0)
            {
                owners.add(owner);
            }
        });
        final Set<Long> routed = new HashSet<>();
        assertEquals(owners.size(), state.forEachOwnerWithSubscribers(roomId, routed::add));
        assertEquals(owners, routed, "owners with subscribers in roomId=" + roomId);
    }

    private void assertEverything()
    {
        assertEquals(rooms.size(), state.rooms());
        assertEquals(connections.size(), state.connections());
        assertEquals(connections.values().stream().mapToLong(Set::size).sum(), state.localSubscriptions());
        assertEquals(overflow(), state.overflowSubscriptions());
        assertEquals(1 + remoteRows.size(), state.owners());
        for (int i = 0; i < ROOM_POOL; i++)
        {
            assertEquals(rooms.contains(roomIds[i]), state.roomExists(roomIds[i]));
            assertRoom(roomIds[i]);
            assertRoom(1 + i);
        }
        for (long connection = 1; connection <= CONNECTION_POOL; connection++)
        {
            final Set<Long> held = connections.getOrDefault(connection, Set.of());
            assertEquals(held.size(), state.connectionRoomCount(connection));
            final long[] actual = new long[MAX_ROOMS_PER_CONNECTION];
            final int count = state.connectionRooms(connection, actual);
            final Set<Long> actualSet = new HashSet<>();
            for (int i = 0; i < count; i++)
            {
                actualSet.add(actual[i]);
            }
            assertEquals(held, actualSet);
        }
        // Recompute every digest from the rows, independently of the incremental updates.
        assertEquals(fullDigest(localCounts), state.ownerDigest(LOCAL_NODE));
        assertEquals(localCounts.size(), state.ownerRows(LOCAL_NODE));
        for (final long owner : REMOTE_OWNERS)
        {
            final Map<Long, Long> rows = remoteRows.getOrDefault(owner, Map.of());
            assertEquals(fullDigest(rows), state.ownerDigest(owner));
            assertEquals(rows.size(), state.ownerRows(owner));
        }
    }

    private static long fullDigest(final Map<Long, Long> rows)
    {
        long digest = RowDigest.EMPTY;
        for (final Map.Entry<Long, Long> row : rows.entrySet())
        {
            digest += RowDigest.mix(row.getKey(), row.getValue());
        }
        return digest;
    }
}
