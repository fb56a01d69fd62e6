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
        gate.onApiQueue(nowNs, true, 1025, 4096);
        assertEquals(FlowGate.API_QUEUE, gate.state(), "more than a quarter full");
        gate.onApiQueue(nowNs, true, 1024, 4096);
        assertFalse(gate.isBackPressured());

        gate.onApiQueue(nowNs, false, 100, 4096);
        nowNs += 2 * MS;
        gate.onApiQueue(nowNs, false, 100, 4096);
        assertFalse(gate.isBackPressured());
        nowNs += 1;
        gate.onApiQueue(nowNs, false, 100, 4096);
        assertTrue(gate.isBackPressured(), "calls queued for more than 2 ms");
        gate.onWindow(nowNs, true);
        assertEquals(FlowGate.API_QUEUE, gate.state(), "the two causes are kept apart");
        gate.onApiQueue(nowNs, true, 100, 4096);
        assertFalse(gate.isBackPressured());
    }
}
