package io.cohort.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StallDetectorTest
{
    private static final long MS = 1_000_000L;

    private long cpuNs;

    @Test
    void shouldCountGapsPastTheBoundAsStallsAndKeepTheLongest()
    {
        final StallDetector detector = new StallDetector();

        assertEquals(0, detector.onCycle(1_000 * MS), "the first cycle has no gap");
        assertEquals(50 * MS, detector.onCycle(1_050 * MS));
        assertEquals(0, detector.stalls(), "a gap of exactly the bound is no stall");
        assertEquals(51 * MS, detector.onCycle(1_101 * MS));
        assertEquals(1, detector.stalls());
        detector.onCycle(1_102 * MS);
        assertEquals(51 * MS, detector.longestStallNs());
        assertEquals(0, detector.workingStalls(), "without a CPU clock no stall is told to be working");
    }

    @Test
    void shouldTellAStallTheThreadWorkedThroughFromOneSpentOffTheCpu()
    {
        final StallDetector detector = new StallDetector();
        detector.cpuClock(() -> cpuNs);
        long nowNs = 1_000 * MS;
        detector.onCycle(nowNs);

        // Off the CPU: 80 ms between two cycles, of which the thread ran 3 ms.
        nowNs += 80 * MS;
        cpuNs += 3 * MS;
        detector.onCycle(nowNs);
        assertEquals(1, detector.stalls());
        assertEquals(0, detector.workingStalls());

        // A long job: 70 ms between two cycles, 68 ms of them running.
        nowNs += 70 * MS;
        cpuNs += 68 * MS;
        detector.onCycle(nowNs);
        assertEquals(2, detector.stalls());
        assertEquals(1, detector.workingStalls());
    }

    @Test
    void shouldNotCountTheCpuOfManyShortCyclesAgainstALaterStall()
    {
        final StallDetector detector = new StallDetector();
        detector.cpuClock(() -> cpuNs);
        long nowNs = 1_000 * MS;
        detector.onCycle(nowNs);
        // A busy second of 1 ms cycles: the clock is sampled as it goes, so that work is not the stall's.
        for (int i = 0; i < 1_000; i++)
        {
            nowNs += MS;
            cpuNs += MS;
            detector.onCycle(nowNs);
        }
        nowNs += 60 * MS;
        cpuNs += 2 * MS;
        detector.onCycle(nowNs);

        assertEquals(1, detector.stalls());
        assertEquals(0, detector.workingStalls(), "at most a sample interval of earlier work is counted");
    }
}
