package io.cohort.engine;

import org.agrona.concurrent.NanoClock;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time of the calling thread, in nanoseconds: read on the node's thread, it tells a stall in which the
 * thread ran from one it spent off the CPU ({@link StallDetector}). One system call a read, no allocation.
 */
final class ThreadCpuClock implements NanoClock
{
    private final ThreadMXBean threads;

    private ThreadCpuClock(final ThreadMXBean threads)
    {
        this.threads = threads;
    }

    /**
     * The clock, if this JVM measures the current thread's CPU time.
     *
     * @return the clock, or null if the JVM cannot or was told not to (then stalls are counted, not told apart).
     */
    static ThreadCpuClock ifSupported()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled() ?
            new ThreadCpuClock(threads) : null;
    }

    /**
     * @return the calling thread's CPU time (user and system), in nanoseconds.
     */
    @Override
    public long nanoTime()
    {
        return threads.getCurrentThreadCpuTime();
    }
}
