package io.cohort.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether row-changing API calls are refused {@link CallResult#BACK_PRESSURED} before they are queued: written by
 * the node's thread once per duty cycle, read by any caller thread. Set while changed rooms have been left
 * unpublished at the end of every cycle (the replication window was closed, or the socket refused) for longer than
 * {@code cohort.flow.backpressure.after}, or while the API queue is
 * more than a quarter full or has not been drained for longer than that same bound (its oldest call has waited
 * that long); so callers feel the pressure within milliseconds, long before the queue, the socket
 * buffers and the kernel have stacked up seconds of backlog.
 */
final class FlowGate
{
    /** Bit set while changes have been left unpublished at the end of every cycle for longer than the bound. */
    static final int WINDOW = 1;
    /** Bit set while the API queue is more than a quarter full or has not been drained for longer than the bound. */
    static final int API_QUEUE = 2;
    private static final long NOT_WAITING = Long.MIN_VALUE;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(FlowGate.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long backPressureAfterNs;
    @SuppressWarnings("unused") // written and read through STATE
    private volatile int state;
    private int bits;
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
     */
    void onApiQueue(final long nowNs, final boolean drained, final int queuedBytes, final int capacity)
    {
        if (drained)
        {
            backlogSinceNs = NOT_WAITING;
        }
        else if (NOT_WAITING == backlogSinceNs)
        {
            backlogSinceNs = nowNs;
        }
        final boolean behind = NOT_WAITING != backlogSinceNs && nowNs - backlogSinceNs > backPressureAfterNs;
        publish(behind || queuedBytes > capacity / 4 ? bits | API_QUEUE : bits & ~API_QUEUE);
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
