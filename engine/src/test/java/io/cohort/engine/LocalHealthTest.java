package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalHealthTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long CYCLE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long BASE_NS = TimeUnit.MILLISECONDS.toNanos(1300);

    private final LocalHealth health = new LocalHealth(TIMEOUT_NS);
    private long nowNs = TimeUnit.SECONDS.toNanos(100);

    @Test
    void shouldLeaveTimeoutsAloneWhileCyclesAreOnTime()
    {
        for (int i = 0; i < 10_000; i++)
        {
            cycleAfter(CYCLE_NS);
        }
        cycleAfter(TIMEOUT_NS / 2); // at the stall threshold, not past it
        assertEquals(0, health.score(nowNs));
        assertEquals(BASE_NS, health.scaled(BASE_NS, nowNs));
    }

    @Test
    void shouldRaiseTheScoreByTheStallInHalfTimeouts()
    {
        cycleAfter(TimeUnit.MILLISECONDS.toNanos(3000));
        assertEquals(6, health.score(nowNs));
        assertEquals(7 * BASE_NS, health.scaled(BASE_NS, nowNs));

        cycleAfter(TimeUnit.MILLISECONDS.toNanos(501));
        assertEquals(8, health.score(nowNs), "a stall just past the threshold counts as two halves, capped at the maximum");
        cycleAfter(TimeUnit.SECONDS.toNanos(30));
        assertEquals(LocalHealth.MAX_SCORE, health.score(nowNs));
        assertEquals((1 + LocalHealth.MAX_SCORE) * BASE_NS, health.scaled(BASE_NS, nowNs));
    }

    @Test
    void shouldFallByOnePerTimeoutOfCyclesOnTime()
    {
        cycleAfter(TimeUnit.MILLISECONDS.toNanos(2000));
        assertEquals(4, health.score(nowNs));
        runOnTimeFor(TIMEOUT_NS - CYCLE_NS);
        assertEquals(4, health.score(nowNs), "not before a whole timeout on time");
        runOnTimeFor(CYCLE_NS);
        assertEquals(3, health.score(nowNs));
        runOnTimeFor(2 * TIMEOUT_NS);
        assertEquals(1, health.score(nowNs));
        runOnTimeFor(5 * TIMEOUT_NS);
        assertEquals(0, health.score(nowNs));
        assertEquals(BASE_NS, health.scaled(BASE_NS, nowNs));
    }

    @Test
    void shouldLetANodeThatResumedFromAStallWaitLongerForItsQuorumThanOneThatDidNot()
    {
        // What ClusterCore does with it: the self-eviction window after the node's own 3 s stall. A quorum that
        // echoes the node 3 s after it resumed (the others stalled as long, and are catching up) is still in time.
        cycleAfter(TimeUnit.MILLISECONDS.toNanos(3000));
        final long lostNs = nowNs;
        runOnTimeFor(TimeUnit.MILLISECONDS.toNanos(3000));
        assertEquals(3, health.score(nowNs));
        assertEquals(true, nowNs - lostNs <= health.scaled(BASE_NS, nowNs));

        final LocalHealth healthy = new LocalHealth(TIMEOUT_NS);
        assertEquals(false, nowNs - lostNs <= healthy.scaled(BASE_NS, nowNs), "a healthy node gives up at its base");
    }

    @Test
    void shouldRefuseAHeartbeatTimeoutTooShortToHalve()
    {
        assertThrows(IllegalArgumentException.class, () -> new LocalHealth(1));
    }

    private void cycleAfter(final long gapNs)
    {
        nowNs += gapNs;
        health.onCycle(gapNs, nowNs);
    }

    private void runOnTimeFor(final long durationNs)
    {
        final long endNs = nowNs + durationNs;
        while (nowNs + CYCLE_NS <= endNs)
        {
            cycleAfter(CYCLE_NS);
        }
        if (nowNs < endNs)
        {
            cycleAfter(endNs - nowNs);
        }
    }
}
