package io.cohort.harness;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeded workload: the same (seed, slot) replays the same events; connections hold two distinct rooms; the
 * replayed counts are what the events add up to; the skew puts the hottest rooms first.
 */
class WorkloadTest
{
    @Test
    void shouldReplayTheSameCountsForTheSameSeedAndSlot()
    {
        assertArrayEquals(Workload.replay(42, 1, 1_000, 100, 10_000), Workload.replay(42, 1, 1_000, 100, 10_000));
        assertNotEquals(Arrays.toString(Workload.replay(42, 1, 1_000, 100, 10_000)),
            Arrays.toString(Workload.replay(42, 2, 1_000, 100, 10_000)));
    }

    @Test
    void shouldKeepTwoDistinctRoomsPerConnectionThroughChurn()
    {
        final int connections = 500;
        final Workload workload = new Workload(7, 0, connections, 20);
        final boolean[][] subscribed = new boolean[connections][20];
        for (int e = 0; e < 50_000; e++)
        {
            workload.next();
            final boolean subscribe = Workload.SUBSCRIBE == workload.op;
            assertEquals(!subscribe, subscribed[workload.connection][workload.room], "event " + e);
            subscribed[workload.connection][workload.room] = subscribe;
        }
        long live = 0;
        for (final boolean[] rooms : subscribed)
        {
            int count = 0;
            for (final boolean in : rooms)
            {
                count += in ? 1 : 0;
            }
            assertTrue(count == 2 || count == 1, "a connection holds its two rooms (one while it moves)");
            live += count;
        }
        assertEquals(live, workload.liveSubscriptions());
        assertEquals(live, Arrays.stream(Workload.replay(7, 0, connections, 20, 50_000)).sum());
    }

    @Test
    void shouldSkewSubscriptionsTowardsTheFirstRanks()
    {
        final long[] counts = Workload.replay(3, 0, 100_000, 1_000, 200_000);
        assertTrue(counts[0] > counts[10] && counts[10] > counts[500], Arrays.toString(Arrays.copyOf(counts, 12)));
    }

    @Test
    void shouldBeTheDefaultWorkloadWithTwoRoomsAndSkewOne()
    {
        assertArrayEquals(Workload.replay(42, 1, 1_000, 100, 10_000),
            Workload.replay(42, 1, 1_000, 100, 2, 1.0, 10_000));
    }

    @Test
    void shouldKeepAnyNumberOfDistinctRoomsPerConnectionThroughChurn()
    {
        final int connections = 300;
        final int rooms = 12;
        final int perConnection = 5;
        final Workload workload = new Workload(9, 0, connections, rooms, perConnection, 0.5);
        final boolean[][] subscribed = new boolean[connections][rooms];
        for (int e = 0; e < 30_000; e++)
        {
            workload.next();
            final boolean subscribe = Workload.SUBSCRIBE == workload.op;
            assertEquals(!subscribe, subscribed[workload.connection][workload.room], "event " + e);
            subscribed[workload.connection][workload.room] = subscribe;
        }
        long live = 0;
        for (final boolean[] held : subscribed)
        {
            int count = 0;
            for (final boolean in : held)
            {
                count += in ? 1 : 0;
            }
            assertTrue(count == perConnection || count == perConnection - 1, "held " + count);
            live += count;
        }
        assertEquals(live, workload.liveSubscriptions());
        assertEquals(live, Arrays.stream(Workload.replay(9, 0, connections, rooms, perConnection, 0.5, 30_000)).sum());
    }

    @Test
    void shouldSpreadEvenlyWithoutSkewAndConcentrateWithMore()
    {
        final long[] uniform = Workload.replay(5, 0, 100_000, 100, 1, 0.0, 100_000);
        assertTrue(Arrays.stream(uniform).min().getAsLong() > 700, "uniform: " + Arrays.toString(uniform));
        final long[] steep = Workload.replay(5, 0, 100_000, 100, 1, 2.0, 100_000);
        assertTrue(steep[0] > 40_000, "s = 2 puts most connections in the first room: " + steep[0]);
    }

    @Test
    void shouldRefuseAShapeWithoutAFreshRoomOrOutOfRange()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(1, 0, 10, 4, 4, 1.0))
            .getMessage().startsWith("rooms=4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(1, 0, 10, 100, 0, 1.0))
            .getMessage().startsWith("roomsPerConnection=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Workload(1, 0, 10, 100, 2, -0.5))
            .getMessage().startsWith("skew=-0.5"));
    }

    @Test
    void shouldRefuseTooFewRooms()
    {
        assertThrows(IllegalArgumentException.class, () -> new Workload(1, 0, 10, 2));
    }
}
