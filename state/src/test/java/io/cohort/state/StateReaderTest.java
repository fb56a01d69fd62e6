package io.cohort.state;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateReaderTest
{
    private SubscriptionState state;

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @Test
    void shouldReadWhatTheWriterPublished()
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, 1);
        state.subscribe(1, room);
        state.applyRemote(5, room, 4);
        final StateReader reader = state.newReader();

        assertEquals(5, reader.roomCount(room));
        assertEquals(4, reader.ownerCount(5, room));
        assertEquals(1, reader.ownerCount(LOCAL_NODE, room));
        assertEquals(state.ownerDigest(5), reader.ownerDigest(5));
        assertEquals(0, reader.ownerCount(0, room));
        state.removeOwner(5);
        assertEquals(RowDigest.EMPTY, reader.ownerDigest(5));
        assertEquals(1, reader.roomCount(room));
    }

    @Test
    void shouldReadRoomsAndConnectionsFromAnotherThread() throws InterruptedException
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, "orders", "open", new byte[]{ 7, 8 });
        final long[] rooms = new long[6];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = TestStates.createRoom(state, 10 + i);
            assertEquals(StateResult.SUBSCRIBED, state.subscribe(3, rooms[i]));
        }
        state.subscribe(4, room);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                final StateReader reader = state.newReader();
                assertTrue(reader.roomExists(room));
                assertFalse(reader.roomExists(room + 1));
                final UnsafeBuffer metadata = new UnsafeBuffer(new byte[reader.maxRoomMetadataLength()]);
                final int length = reader.copyRoomMetadata(room, metadata, 0);
                assertEquals(RoomMetadata.encodedLength(6, 4, 2), length);
                assertEquals("orders", metadata.getStringWithoutLengthUtf8(
                    RoomMetadata.indexNameOffset(metadata, 0), RoomMetadata.indexNameLength(metadata, 0)));
                assertEquals("open", metadata.getStringWithoutLengthUtf8(
                    RoomMetadata.collectionNameOffset(metadata, 0), RoomMetadata.collectionNameLength(metadata, 0)));
                assertEquals(8, metadata.getByte(RoomMetadata.filterOffset(metadata, 0) + 1));
                assertEquals(-1, reader.copyRoomMetadata(room + 1, metadata, 0));

                assertTrue(reader.isSubscribed(4, room));
                assertTrue(reader.isSubscribed(3, rooms[5]), "a room past the inline ones, in the overflow map");
                assertFalse(reader.isSubscribed(3, room));
                assertFalse(reader.isSubscribed(99, room));
                final long[] all = new long[8];
                assertEquals(6, reader.connectionRooms(3, all));
                assertEquals(Set.of(rooms[0], rooms[1], rooms[2], rooms[3], rooms[4], rooms[5]),
                    Arrays.stream(all, 0, 6).boxed().collect(Collectors.toSet()));
                final long[] few = new long[2];
                assertEquals(6, reader.connectionRooms(3, few), "the count, though only two were copied");
                assertEquals(0, reader.connectionRooms(99, few));
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        thread.start();
        thread.join();
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
    }

    @Test
    @Timeout(30)
    void shouldReadAConnectionsRoomsWhileTheWriterChangesThem() throws InterruptedException
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long[] rooms = new long[10];
        final Set<Long> known = new java.util.HashSet<>();
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = TestStates.createRoom(state, 20 + i);
            known.add(rooms[i]);
        }
        final StateReader reader = state.newReader();
        final AtomicReference<String> problem = new AtomicReference<>();
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final long[] seen = new long[rooms.length];
        final Thread thread = new Thread(() ->
        {
            long reads = 0;
            try
            {
                while (!done.get() && null == problem.get())
                {
                    final int count = reader.connectionRooms(3, seen);
                    if (count < 0 || count > rooms.length)
                    {
                        problem.set("count=" + count);
                    }
                    for (int i = 0; i < Math.min(count, seen.length); i++)
                    {
                        if (!known.contains(seen[i]))
                        {
                            problem.set("room " + seen[i] + " was never subscribed");
                        }
                    }
                    reader.isSubscribed(3, rooms[(int)(reads++ % rooms.length)]);
                }
            }
            catch (final RuntimeException ex)
            {
                problem.set(ex.toString());
            }
        });
        thread.start();
        try
        {
            // Past the inline rooms, subscriptions live in the overflow map the reader reads separately.
            for (int round = 0; round < 2_000 && null == problem.get(); round++)
            {
                for (final long room : rooms)
                {
                    state.subscribe(3, room);
                }
                for (int i = rooms.length - 1; i >= 0; i--)
                {
                    state.unsubscribe(3, rooms[(i * 7 + round) % rooms.length]);
                }
            }
        }
        finally
        {
            done.set(true);
            thread.join();
        }
        assertNull(problem.get());
    }

    @Test
    @Timeout(30)
    void shouldNeverSeeACountOutsideWhatTheWriterWroteWhileItWrites() throws InterruptedException
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, 1);
        final StateReader reader = state.newReader();
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            long previous = 0;
            for (int i = 0; i < 200_000 && null == problem.get(); i++)
            {
                final long count = reader.ownerCount(5, room);
                if (count < 0 || count > 3 || reader.roomCount(room) < 0)
                {
                    problem.set("count=" + count);
                }
                previous += count;
            }
            if (previous < 0)
            {
                problem.set("overflow");
            }
        });
        thread.start();
        for (int i = 0; thread.isAlive(); i++)
        {
            state.applyRemote(5, room, i % 4);
        }
        thread.join();

        assertNull(problem.get());
        assertTrue(state.ownerCount(5, room) <= 3);
    }
    @Test
    @Timeout(30)
    void shouldFindARoomWhileRemovalsOfOtherRoomsShiftItAlongItsProbeRun() throws InterruptedException
    {
        final int maxRooms = 64;
        state = new SubscriptionState(
            TestStates.smallContext().maxRooms(maxRooms), (roomId, previousCount, newCount) -> { });
        // Rooms with the read room's home position (the count table's probing, same size): each removal of one
        // ahead of it shifts it back along the run, each insertion goes behind it.
        final long[] sameHome = new long[5];
        try (ProbedSlots probing = new ProbedSlots(maxRooms, Long.BYTES, "maxRooms"))
        {
            final long home = probing.home(1_000);
            for (long id = 1_001, found = 0; found < sameHome.length; id++)
            {
                if (probing.home(id) == home)
                {
                    sameHome[(int)found++] = id;
                }
            }
        }
        final long[] ahead = new long[]{ 1_000, sameHome[0], sameHome[1], sameHome[2] };
        final long room = sameHome[3];
        for (final long other : ahead)
        {
            state.applyRemote(7, other, 1);
        }
        state.applyRemote(5, room, 3);
        state.applyRemote(6, room, 4);
        final StateReader reader = state.newReader();
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            for (int i = 0; i < 2_000_000 && null == problem.get(); i++)
            {
                final long sum = reader.roomCount(room);
                final long count = reader.ownerCount(6, room);
                if (7 != sum || 4 != count)
                {
                    problem.set("sum=" + sum + " count=" + count + " at read " + i);
                }
            }
        });
        thread.start();
        long shifts = 0;
        while (thread.isAlive())
        {
            final long other = ahead[(int)(shifts++ % ahead.length)];
            state.applyRemote(7, other, 0);
            state.applyRemote(7, other, 1);
        }
        thread.join();

        assertNull(problem.get());
        assertEquals(7, state.roomCount(room));
        assertTrue(shifts > 1_000, "shifts " + shifts);
    }

    @Test
    @Timeout(30)
    void shouldSeeEachRoomWholeWhileTheWriterChangesItInPlaceAndUnderItsSequenceLock() throws InterruptedException
    {
        // Owner k holds 0 or 4^k (this node is k = 0): any sum with an odd bit set holds a count read twice or half
        // moved. Eight owners of 16 slots: the counts move between the slot (5 inline) and a block as owners come.
        state = new SubscriptionState(TestStates.smallContext().maxNodes(8), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, 1);
        final StateReader reader = state.newReader();
        final AtomicReference<String> problem = new AtomicReference<>();
        final int owners = 7;
        final Thread thread = new Thread(() ->
        {
            for (int i = 0; i < 300_000 && null == problem.get(); i++)
            {
                final long sum = reader.roomCount(room);
                if (0 != (sum & 0xAAAAAAAAAAAAL) || sum < 0)
                {
                    problem.set("sum=" + Long.toBinaryString(sum));
                }
            }
        });
        thread.start();
        final java.util.Random random = new java.util.Random(7);
        while (thread.isAlive())
        {
            final int k = random.nextInt(owners + 1);
            if (0 == k)
            {
                // This node holds 0 or 4^0 = 1: one connection subscribed or not.
                if (StateResult.ALREADY_SUBSCRIBED == state.subscribe(1, room))
                {
                    state.unsubscribe(1, room);
                }
            }
            else
            {
                state.applyRemote(1 + k, room, random.nextBoolean() ? 1L << (2 * k) : 0);
            }
        }
        thread.join();

        assertNull(problem.get());
    }
}
