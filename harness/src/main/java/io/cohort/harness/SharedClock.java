package io.cohort.harness;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds that processes on one machine agree on to about a microsecond, read without
 * allocation: the offset between {@code CLOCK_REALTIME} (via {@link Instant#now()}) and {@link System#nanoTime()}
 * is calibrated once per process, then time is {@code nanoTime + offset}. A latency measured across two
 * processes is then the difference of two such readings; the calibration error (the tightest bracket of
 * {@code nanoTime} around an {@code Instant} read, under a microsecond) bounds its error.
 */
final class SharedClock
{
    private static final long OFFSET_NS = calibrate();

    private SharedClock()
    {
    }

    /**
     * Now, in nanoseconds since the epoch, comparable across processes of this machine.
     *
     * @return epoch nanoseconds.
     */
    static long nowNs()
    {
        return System.nanoTime() + OFFSET_NS;
    }

    private static long calibrate()
    {
        long bestBracket = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < 1_000; i++)
        {
            final long before = System.nanoTime();
            final Instant wall = Instant.now();
            final long after = System.nanoTime();
            if (after - before < bestBracket)
            {
                bestBracket = after - before;
                bestOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + (after - before) / 2);
            }
        }
        return bestOffset;
    }
}
