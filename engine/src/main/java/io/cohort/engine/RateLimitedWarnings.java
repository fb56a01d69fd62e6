package io.cohort.engine;

import org.agrona.concurrent.NanoClock;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Warning lines that one bad peer or one broken input could repeat for every frame: each kind logs at most
 * {@code burst} lines per interval, the rest are counted, and the next line logged of that kind says how many were
 * suppressed since. An operator sees the fault and its rate without a log that grows with the attacker's send rate;
 * the counters ({@code cohort stat}) still count every occurrence. Safe from any thread.
 */
final class RateLimitedWarnings
{
    /** Where a line goes: an SLF4J {@code warn(format, args)} in production. */
    @FunctionalInterface
    interface Sink
    {
        void warn(String format, Object... args);
    }

    /** Lines of one kind in the current interval. */
    private static final class Window
    {
        long startNs;
        int logged;
        long suppressed;
    }

    /** The defaults: 10 lines per kind per 10 s. */
    static final int DEFAULT_BURST = 10;
    static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Sink sink;
    private final NanoClock clock;
    private final int burst;
    private final long intervalNs;
    private final Map<String, Window> windows = new HashMap<>();

    RateLimitedWarnings(final Sink sink, final NanoClock clock, final int burst, final long intervalNs)
    {
        if (burst <= 0 || intervalNs <= 0)
        {
            throw new IllegalArgumentException("burst=" + burst + " and intervalNs=" + intervalNs + " must be positive");
        }
        this.sink = sink;
        this.clock = clock;
        this.burst = burst;
        this.intervalNs = intervalNs;
    }

    /**
     * Logs a warning unless its kind has used up this interval's lines.
     *
     * @param kind   what the line is about; lines of one kind share a budget (use a constant).
     * @param format an SLF4J format.
     * @param args   its arguments.
     * @return true if the line was logged, false if it was counted as suppressed.
     */
    synchronized boolean warn(final String kind, final String format, final Object... args)
    {
        final long nowNs = clock.nanoTime();
        final Window window = windows.computeIfAbsent(kind, (ignore) -> new Window());
        if (0 == window.logged || nowNs - window.startNs >= intervalNs)
        {
            window.startNs = nowNs;
            window.logged = 0;
        }
        if (window.logged >= burst)
        {
            window.suppressed++;
            return false;
        }
        window.logged++;
        if (0 == window.suppressed)
        {
            sink.warn(format, args);
        }
        else
        {
            // The count goes after the format's arguments; a trailing Throwable stays last, as SLF4J wants it for
            // the stack trace.
            final boolean trailingThrowable = args.length > 0 && args[args.length - 1] instanceof Throwable;
            final int countIndex = trailingThrowable ? args.length - 1 : args.length;
            final Object[] withCount = new Object[args.length + 1];
            System.arraycopy(args, 0, withCount, 0, countIndex);
            withCount[countIndex] = window.suppressed;
            if (trailingThrowable)
            {
                withCount[args.length] = args[args.length - 1];
            }
            sink.warn(format + " (and {} more like it suppressed since the last such line)", withCount);
            window.suppressed = 0;
        }
        return true;
    }
}
