package io.cohort.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether row-changing API calls are refused {@link CallResult#BACK_PRESSURED} before they are queued: written by
 * the node's thread once per duty cycle, read by any caller thread. Set while changed rooms have been left
 * unpublished at the end of every cycle (the replication window was closed, or the socket refused) for longer than
 * {@code cohort.flow.backpressure.after}, or while the API queue has not been drained for longer than that same
 * bound (its oldest call has waited that long); so callers feel the pressure within milliseconds, long before the
 * queue, the socket buffers and the kernel have stacked up seconds of backlog.
 * <p>
 * The queue is also bounded in time at the call: a caller is refused while the queue holds more bytes than the
 * node's thread drains in {@code cohort.flow.backpressure.after} ({@link #refuses}). The node's thread measures that
 * rate over the cycles that left calls waiting (its whole cycle, so time it spends on other work or off the CPU
 * counts against it) and publishes the bound; before any measure, and never above, it is a quarter of the queue.
 * A byte bound alone (a quarter of 4 MB) let a saturated queue hold tens of milliseconds of calls, and every change
 * waited that long before its owner even applied it.
 */
final class FlowGate
{
    /** Bit set while changes have been left unpublished at the end of every cycle for longer than the bound. */
    static final int WINDOW = 1;
    /** Bit set while the API queue holds more than its bound or has not been drained for longer than the bound. */
    static final int API_QUEUE = 2;
    /** Least bound of the queue: a burst of about a hundred calls is always taken, however slow the last measure. */
    static final int MIN_QUEUE_LIMIT_BYTES = 4096;
    /** Busy time over which one drain rate is measured before it is folded into the running estimate. */
    static final long RATE_SAMPLE_NS = 1_000_000L;
    private static final long NOT_WAITING = Long.MIN_VALUE;
    private static final VarHandle STATE;
    private static final VarHandle QUEUE_LIMIT;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(FlowGate.class, "state", int.class);
            QUEUE_LIMIT = MethodHandles.lookup().findVarHandle(FlowGate.class, "queueLimitBytes", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long backPressureAfterNs;
    @SuppressWarnings("unused") // written and read through STATE
    private volatile int state;
    @SuppressWarnings("unused") // written and read through QUEUE_LIMIT
    private volatile int queueLimitBytes = Integer.MAX_VALUE;
    private int bits;
    private int publishedLimit = Integer.MAX_VALUE;
    /** Bytes the last cycle read while leaving calls queued, or -1: its time is known at the next cycle. */
    private long lastCycleBytes = -1;
    private long lastCycleNs;
    private long sampleBytes;
    private long sampleNs;
    /** Bytes a millisecond, the running estimate of the drain rate (0 before the first sample). */
    private double drainBytesPerMs;
    private long waitingSinceNs = NOT_WAITING;
    private long backlogSinceNs = NOT_WAITING;
    private long windowPressures;

    /**
     * @param backPressureAfterNs how long the window may be closed with changes waiting before calls are refused.
     */
    FlowGate(final long backPressureAfterNs)
    {
        this.backPressureAfterNs = backPressureAfterNs;
    }

    /**
     * What the cycle left unpublished; node thread only, after the cycle's rows were claimed.
     *
     * @param nowNs   the cycle's time.
     * @param pending whether changed rooms are left unpublished (the window or the socket holds them).
     */
    void onWindow(final long nowNs, final boolean pending)
    {
        int next = bits & ~WINDOW;
        if (pending)
        {
            if (NOT_WAITING == waitingSinceNs)
            {
                waitingSinceNs = nowNs;
            }
            if (nowNs - waitingSinceNs > backPressureAfterNs)
            {
                next |= WINDOW;
            }
        }
        else
        {
            waitingSinceNs = NOT_WAITING;
        }
        if (0 != (next & WINDOW) && 0 == (bits & WINDOW))
        {
            windowPressures++;
        }
        publish(next);
    }

    /**
     * The API queue this cycle; node thread only.
     *
     * @param nowNs       the cycle's time.
     * @param drained     whether the cycle read every call queued when it read (it did not stop at its limit).
     * @param queuedBytes bytes queued now.
     * @param capacity    the queue's capacity.
     * @param readBytes   bytes of calls the cycle read.
     */
    void onApiQueue(
        final long nowNs, final boolean drained, final int queuedBytes, final int capacity, final long readBytes)
    {
        measureDrainRate(nowNs, queuedBytes, readBytes);
        final int limit = queueLimit(capacity);
        if (limit != publishedLimit)
        {
            publishedLimit = limit;
            QUEUE_LIMIT.setRelease(this, limit);
        }
        if (drained)
        {
            backlogSinceNs = NOT_WAITING;
        }
        else if (NOT_WAITING == backlogSinceNs)
        {
            backlogSinceNs = nowNs;
        }
        final boolean behind = NOT_WAITING != backlogSinceNs && nowNs - backlogSinceNs > backPressureAfterNs;
        publish(behind || queuedBytes > limit ? bits | API_QUEUE : bits & ~API_QUEUE);
    }

    /**
     * Only cycles that left calls waiting measure the rate: one that emptied the queue was short of calls, not of
     * time. A cycle's time is from its start to the next one's.
     */
    private void measureDrainRate(final long nowNs, final int queuedBytes, final long readBytes)
    {
        if (lastCycleBytes >= 0)
        {
            sampleBytes += lastCycleBytes;
            sampleNs += nowNs - lastCycleNs;
            if (sampleNs >= RATE_SAMPLE_NS)
            {
                final double rate = sampleBytes * 1_000_000.0 / sampleNs;
                drainBytesPerMs = 0 == drainBytesPerMs ? rate : drainBytesPerMs + (rate - drainBytesPerMs) / 4;
                sampleBytes = 0;
                sampleNs = 0;
            }
        }
        lastCycleBytes = queuedBytes > 0 && readBytes > 0 ? readBytes : -1;
        lastCycleNs = nowNs;
    }

    private int queueLimit(final int capacity)
    {
        final int quarter = capacity / 4;
        if (0 == drainBytesPerMs)
        {
            return quarter;
        }
        final double bytes = drainBytesPerMs * backPressureAfterNs / 1_000_000.0;
        return (int)Math.min(quarter, Math.max(MIN_QUEUE_LIMIT_BYTES, bytes));
    }

    /**
     * Whether a row-changing call is refused now; any thread. Refused while the node's thread says its replicas or
     * its queue are behind, or while the queue holds more than the node's thread drains in the bound.
     *
     * @param queuedBytes bytes in the API queue as the caller sees it.
     * @return true if the call is refused {@link CallResult#BACK_PRESSURED}.
     */
    boolean refuses(final int queuedBytes)
    {
        return 0 != (int)STATE.getAcquire(this) || queuedBytes > (int)QUEUE_LIMIT.getAcquire(this);
    }

    /**
     * @return the bytes the API queue may hold before calls are refused; any thread.
     */
    int queueLimitBytes()
    {
        return (int)QUEUE_LIMIT.getAcquire(this);
    }

    /**
     * @return the measured drain rate of the API queue in bytes a millisecond, 0 before any; node thread only.
     */
    double drainBytesPerMs()
    {
        return drainBytesPerMs;
    }

    private void publish(final int next)
    {
        if (next != bits)
        {
            bits = next;
            STATE.setRelease(this, next);
        }
    }

    /**
     * Whether callers should be refused now; any thread.
     *
     * @return true if row-changing calls are refused {@link CallResult#BACK_PRESSURED}.
     */
    boolean isBackPressured()
    {
        return 0 != (int)STATE.getAcquire(this);
    }

    /**
     * @return the bits last published ({@link #WINDOW}, {@link #API_QUEUE}); any thread.
     */
    int state()
    {
        return (int)STATE.getAcquire(this);
    }

    /**
     * @return times the window bit was set since start; node thread only.
     */
    long windowPressures()
    {
        return windowPressures;
    }
}
