package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot operations allocate nothing once warm, and snapshots allocate nothing per entry (JMH with -prof gc
 * measures the same, in bench).
 */
class AllocationTest
{
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private SubscriptionState state;
    private final long[] rooms = new long[8];
    private long sink;

    @BeforeEach
    void before()
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> sink++);
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = TestStates.createRoom(state, i);
        }
    }

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    private void operations(final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            final long room = rooms[i & 7];
            final long connection = 1 + (i & 15);
            state.subscribe(connection, room);
            state.unsubscribe(connection, room);
            state.subscribe(connection, room);
            state.subscribe(connection, rooms[(i + 1) & 7]);
            state.subscribe(connection, rooms[(i + 2) & 7]);
            state.subscribe(connection, rooms[(i + 3) & 7]);
            state.subscribe(connection, rooms[(i + 4) & 7]);
            state.subscribe(connection, rooms[(i + 5) & 7]);
            state.disconnect(connection);
            state.applyRemote(77, room, i & 3);
            sink += state.roomCount(room);
            sink += state.hasSubscribers(77, room) ? 1 : 0;
        }
    }

    @Test
    void shouldNotAllocateInHotOperations()
    {
        operations(WARM_UP);
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        operations(MEASURED);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(0, allocated / MEASURED, "bytes per iteration, allocated=" + allocated);
    }

    @Test
    void shouldNotAllocateWhileWritingOrLoadingSnapshots()
    {
        for (int i = 0; i < 200; i++)
        {
            state.subscribe(1 + i, rooms[i & 7]);
            state.applyRemote(77, 1000 + i, 1 + i);
        }
        final SubscriptionState target = new SubscriptionState(
            TestStates.smallContext().localNodeId(999), (roomId, previousCount, newCount) -> { });
        try
        {
            final SnapshotLoader loader = new SnapshotLoader(target, (owner, incarnation, sequence, rows) -> sink++);
            final SnapshotWriter writer = new SnapshotWriter(state, (buffer, offset, length) ->
            {
                if (loader.onFrame(buffer, offset, length).isFailure())
                {
                    throw new IllegalStateException(loader.failureDescription());
                }
            });
            final Runnable snapshot = () ->
            {
                loader.begin(5);
                writer.begin(TestStates.LOCAL_NODE, 1, 999, 5);
                writer.writeOwner(TestStates.LOCAL_NODE, 1, 1);
                writer.writeOwner(77, 1, 1);
                writer.writeRoomsAndEnd();
            };
            for (int i = 0; i < 300; i++)
            {
                snapshot.run();
            }
            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100; i++)
            {
                snapshot.run();
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

            // A few dozen bytes per snapshot come from Chronicle's iteration and clear(), none per entry: each
            // snapshot here moves 400 counts and 8 rooms.
            assertTrue(allocated / 100 < 256, "bytes per snapshot, allocated=" + allocated);
            assertEquals(state.ownerDigest(77), target.ownerDigest(77));
        }
        finally
        {
            CloseHelper.close(target);
        }
    }
}
