package io.cohort.engine;

import org.agrona.concurrent.NanoClock;

/**
 * Measures the gaps between the starts of two duty cycles of the node's thread and counts those longer than
 * {@link #STALL_REPORTED_NS} as stalls, telling apart the two kinds an operator acts on differently:
 * <ul>
 * <li>a <b>working</b> stall: the thread itself ran more than {@link #STALL_REPORTED_NS} of CPU within the gap, a
 * long job in one cycle, which the slices exist to prevent (a bug to report);</li>
 * <li>any other stall: the thread was off the CPU most of the gap, waiting for one (a machine busier than its
 * cores), held at a JVM safepoint (a GC pause) or in the kernel (a page fault): the node's surroundings.</li>
 * </ul>
 * The thread's CPU time comes from a clock installed by production ({@link #cpuClock}); a simulation installs
 * none and tells no kinds apart. Reading that clock is a system call, so it is read at most every
 * {@link #CPU_SAMPLE_INTERVAL_NS} and once after each stall: the CPU counted against a gap starts at the last
 * sample, up to that interval before the gap began, which can only count a stall as working that ran most of
 * the bound itself, never miss one.
 * Not thread safe: the node's thread only.
 */
final class StallDetector
{
    /** A gap between two duty cycles longer than this is a stall ({@code NODE_STALLS}). */
    static final long STALL_REPORTED_NS = 50_000_000L;
    /** The longest time between two reads of the thread's CPU clock while the node cycles. */
    static final long CPU_SAMPLE_INTERVAL_NS = 10_000_000L;

    private NanoClock cpuClock;
    private long lastCycleNs;
    private long stalls;
    private long workingStalls;
    private long longestStallNs;
    private boolean cpuSampled;
    private long cpuSampleNs;
    private long cpuSampledAtNs;

    /**
     * Tells working stalls from the others with this clock of the node thread's CPU time.
     *
     * @param cpuClock read on the node's thread only; null to count stalls without telling kinds apart.
     */
    void cpuClock(final NanoClock cpuClock)
    {
        this.cpuClock = cpuClock;
        cpuSampled = false;
    }

    /**
     * A duty cycle starts.
     *
     * @param nowNs the time the cycle starts.
     * @return the gap since the start of the cycle before, 0 for the first.
     */
    long onCycle(final long nowNs)
    {
        final long gapNs = 0 == lastCycleNs ? 0 : nowNs - lastCycleNs;
        lastCycleNs = nowNs;
        longestStallNs = Math.max(longestStallNs, gapNs);
        final boolean stalled = gapNs > STALL_REPORTED_NS;
        if (stalled)
        {
            stalls++;
        }
        if (null != cpuClock && (stalled || !cpuSampled || nowNs - cpuSampledAtNs >= CPU_SAMPLE_INTERVAL_NS))
        {
            final long cpuNs = cpuClock.nanoTime();
            if (stalled && cpuSampled && cpuNs - cpuSampleNs > STALL_REPORTED_NS)
            {
                workingStalls++;
            }
            cpuSampled = true;
            cpuSampleNs = cpuNs;
            cpuSampledAtNs = nowNs;
        }
        return gapNs;
    }

    /**
     * @return gaps longer than {@link #STALL_REPORTED_NS} so far.
     */
    long stalls()
    {
        return stalls;
    }

    /**
     * @return the stalls in which the node's thread itself ran more than {@link #STALL_REPORTED_NS} of CPU (0 without
     * a CPU clock).
     */
    long workingStalls()
    {
        return workingStalls;
    }

    /**
     * @return the longest gap so far, in nanoseconds.
     */
    long longestStallNs()
    {
        return longestStallNs;
    }
}
