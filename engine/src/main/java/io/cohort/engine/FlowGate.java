package io.cohort.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether row-changing API calls are refused {@link CallResult#BACK_PRESSURED} before they are queued: written by
 * the node's thread once per duty cycle, read by any caller thread. Set while the replication window has stayed
 * closed with changes waiting for longer than {@code cohort.flow.backpressure.after}, or while the API queue is
 * more than a quarter full; so callers feel the pressure within milliseconds, long before the queue, the socket
 * buffers and the kernel have stacked up seconds of backlog.
 */
final class FlowGate
{
    /** Bit set while the window has been closed with changes waiting for longer than the bound. */
    static final int WINDOW = 1;
    /** Bit set while the API queue is more than a quarter full. */
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
    private long windowPressures;

    /**
     * @param backPressureAfterNs how long the window may be closed with changes waiting before calls are refused.
     */
    FlowGate(final long backPressureAfterNs)
    {
        this.backPressureAfterNs = backPressureAfterNs;
    }

    /**
     * The window's state this cycle; node thread only.
     *
     * @param nowNs          the cycle's time.
     * @param closedAndDirty whether the window is closed while changed rooms wait to be published.
     */
    void onWindow(final long nowNs, final boolean closedAndDirty)
    {
        int next = bits & ~WINDOW;
        if (closedAndDirty)
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
     * The API queue's fill this cycle; node thread only.
     *
     * @param queuedBytes bytes queued.
     * @param capacity    the queue's capacity.
     */
    void onApiQueue(final int queuedBytes, final int capacity)
    {
        publish(queuedBytes > capacity / 4 ? bits | API_QUEUE : bits & ~API_QUEUE);
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
