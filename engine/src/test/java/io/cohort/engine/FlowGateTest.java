package io.cohort.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowGateTest
{
    private static final long MS = 1_000_000L;
    private final FlowGate gate = new FlowGate(2 * MS);

    @Test
    void shouldPushBackOnlyOnceChangesHaveWaitedLongerThanTheBound()
    {
        long nowNs = 10 * MS;
        gate.onWindow(nowNs, true);
        nowNs += 2 * MS;
        gate.onWindow(nowNs, true);
        assertFalse(gate.isBackPressured(), "2 ms exactly: not yet");
        nowNs += 1;
        gate.onWindow(nowNs, true);
        assertTrue(gate.isBackPressured());
        assertEquals(FlowGate.WINDOW, gate.state());
        gate.onWindow(nowNs, false);
        assertFalse(gate.isBackPressured(), "everything published: callers may go on");
        gate.onWindow(nowNs + MS, true);
        assertFalse(gate.isBackPressured(), "the wait starts again");
        assertEquals(1, gate.windowPressures());
    }

    @Test
    void shouldPushBackWhileTheApiQueueIsAQuarterFullOrUndrainedPastTheBound()
    {
        long nowNs = 10 * MS;
        gate.onApiQueue(nowNs, true, 1025, 4096, 0);
        assertEquals(FlowGate.API_QUEUE, gate.state(), "more than a quarter full, before any rate is measured");
        assertTrue(gate.refuses(0));
        gate.onApiQueue(nowNs, true, 1024, 4096, 0);
        assertFalse(gate.isBackPressured());
        assertFalse(gate.refuses(1024));
        assertTrue(gate.refuses(1025), "a caller sees the queue as it is, not as the last cycle left it");

        gate.onApiQueue(nowNs, false, 100, 4096, 0);
        nowNs += 2 * MS;
        gate.onApiQueue(nowNs, false, 100, 4096, 0);
        assertFalse(gate.isBackPressured());
        nowNs += 1;
        gate.onApiQueue(nowNs, false, 100, 4096, 0);
        assertTrue(gate.isBackPressured(), "calls queued for more than 2 ms");
        gate.onWindow(nowNs, true);
        assertEquals(FlowGate.API_QUEUE, gate.state(), "the two causes are kept apart");
        gate.onApiQueue(nowNs, true, 100, 4096, 0);
        assertFalse(gate.isBackPressured());
    }

    @Test
    void shouldBoundTheQueueByWhatTheNodeDrainsInTheBound()
    {
        final int capacity = 4 << 20;
        long nowNs = 10 * MS;
        assertEquals(capacity / 4, limitAfter(nowNs, capacity), "no rate yet: a quarter of the queue");
        // Busy cycles of 100 us reading 3,000 bytes each: 30,000 bytes a millisecond, 60,000 in the 2 ms bound.
        for (int cycle = 0; cycle < 40; cycle++)
        {
            gate.onApiQueue(nowNs, true, 500_000, capacity, 3_000);
            nowNs += 100_000;
        }
        assertEquals(30_000.0, gate.drainBytesPerMs(), 1.0);
        assertEquals(60_000, gate.queueLimitBytes(), 2);
        assertEquals(FlowGate.API_QUEUE, gate.state(), "500,000 bytes queued: over the bound");
        gate.onApiQueue(nowNs, true, 1_000, capacity, 3_000);
        assertFalse(gate.isBackPressured(), "the queue is down to 1,000 bytes");
        assertFalse(gate.refuses(59_000));
        assertTrue(gate.refuses(61_000), "more than 2 ms of calls queued");
    }

    @Test
    void shouldNotCountTheTimeOfCyclesThatEmptiedTheQueue()
    {
        final int capacity = 4 << 20;
        long nowNs = 10 * MS;
        for (int cycle = 0; cycle < 40; cycle++)
        {
            // A busy cycle, then one that found the queue empty and slept 900 us: short of calls, not of time.
            gate.onApiQueue(nowNs, true, 4_000, capacity, 3_000);
            nowNs += 100_000;
            gate.onApiQueue(nowNs, true, 0, capacity, 500);
            nowNs += 900_000;
        }
        assertEquals(30_000.0, gate.drainBytesPerMs(), 1.0);
    }

    @Test
    void shouldFollowASlowerDrainAndNeverGoBelowTheLeastBound()
    {
        final int capacity = 4 << 20;
        long nowNs = 10 * MS;
        for (int cycle = 0; cycle < 40; cycle++)
        {
            gate.onApiQueue(nowNs, false, 500_000, capacity, 30_000);
            nowNs += 100_000;
        }
        assertEquals(600_000, gate.queueLimitBytes(), 20);
        // The node's thread is descheduled: long cycles that read little. The estimate follows within a few ms.
        for (int cycle = 0; cycle < 40; cycle++)
        {
            gate.onApiQueue(nowNs, false, 500_000, capacity, 100);
            nowNs += MS;
        }
        assertEquals(FlowGate.MIN_QUEUE_LIMIT_BYTES, gate.queueLimitBytes(), "200 bytes in 2 ms: the least bound");
    }

    private int limitAfter(final long nowNs, final int capacity)
    {
        gate.onApiQueue(nowNs, true, 0, capacity, 0);
        return gate.queueLimitBytes();
    }
}
