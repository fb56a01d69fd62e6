package io.cohort.engine;

import io.cohort.transport.ZmqTransport;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.channels.SelectableChannel;

/**
 * The node thread's idle strategy for {@code cohort.idle.strategy=backoff}: after a cycle without work it spins,
 * then yields, then blocks in {@link ZmqTransport#awaitInput} until a message reaches one of the node's sockets,
 * an API call rings the {@link Doorbell}, or the node's next deadline ({@link IdleConditions#nextDeadlineNs}: its
 * next heartbeat, its lease's expiry, an eager flow report) comes, within a bound of {@link #MAX_POLL_TIMEOUT_MS}
 * and a tenth of the heartbeat interval ({@link #maxPollTimeoutMs}): the protocol's other timers run at most that
 * late. While a stream holds a frame its socket refused, the poll lasts a millisecond: the retry has no input to
 * wake it. JeroMQ counts whole milliseconds, so a deadline is met to within one.
 * <p>
 * An idle node used to wake every millisecond (a 1 ms poll): about 1,000 duty cycles a second, 3-4 % of a core
 * each node on the reference machine, taken from whatever else the node's machine runs.
 * <p>
 * Before blocking it marks itself parked and re-checks the API queue: a producer that committed before the mark
 * is seen here, one that commits after it sees the mark and rings.
 */
final class PollingIdleStrategy implements IdleStrategy
{
    /** Cycles without work spent spinning before yielding. */
    static final int MAX_SPINS = 10;
    /** Cycles without work spent yielding before blocking. */
    static final int MAX_YIELDS = 5;
    /** Most milliseconds blocked in one poll, whatever the heartbeat interval. */
    static final long MAX_POLL_TIMEOUT_MS = 10;
    /** Milliseconds blocked in one poll while a refused frame waits for its retry. */
    static final long RETRY_POLL_TIMEOUT_MS = 1;

    private final ZmqTransport transport;
    private final RingBuffer apiQueue;
    private final Doorbell doorbell;
    private final IdleConditions conditions;
    private final NanoClock clock;
    private final long maxPollTimeoutMs;
    private int idleCycles;

    /**
     * @param transport        whose sockets to wait on.
     * @param apiQueue         the queue API callers write to, re-checked after parking.
     * @param doorbell         rung by API callers when this thread is parked.
     * @param conditions       the node's next deadline, and whether its duty cycle holds calls back.
     * @param clock            the node's clock.
     * @param maxPollTimeoutMs most milliseconds to block in one poll (at least 1).
     */
    PollingIdleStrategy(
        final ZmqTransport transport,
        final RingBuffer apiQueue,
        final Doorbell doorbell,
        final IdleConditions conditions,
        final NanoClock clock,
        final long maxPollTimeoutMs)
    {
        if (maxPollTimeoutMs < 1)
        {
            throw new IllegalArgumentException("maxPollTimeoutMs=" + maxPollTimeoutMs + " must be at least 1");
        }
        this.transport = transport;
        this.apiQueue = apiQueue;
        this.doorbell = doorbell;
        this.conditions = conditions;
        this.clock = clock;
        this.maxPollTimeoutMs = maxPollTimeoutMs;
    }

    /**
     * The bound on one poll for a heartbeat interval: a tenth of it, from 1 to {@link #MAX_POLL_TIMEOUT_MS} ms, so
     * that a timer the deadline does not name (a suspicion window, a retry) runs late by a small part of the
     * protocol's shortest period.
     *
     * @param heartbeatIntervalNs {@code cohort.heartbeat.interval}.
     * @return milliseconds.
     */
    static long maxPollTimeoutMs(final long heartbeatIntervalNs)
    {
        return Math.max(1, Math.min(MAX_POLL_TIMEOUT_MS, heartbeatIntervalNs / 10 / 1_000_000));
    }

    /**
     * {@inheritDoc}
     */
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCycles = 0;
        }
        else
        {
            idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void idle()
    {
        if (idleCycles < MAX_SPINS)
        {
            idleCycles++;
            Thread.onSpinWait();
        }
        else if (idleCycles < MAX_SPINS + MAX_YIELDS)
        {
            idleCycles++;
            Thread.yield();
        }
        else
        {
            park();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void reset()
    {
        idleCycles = 0;
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "backoff-polling";
    }

    private void park()
    {
        final SelectableChannel wakeChannel = doorbell.park();
        try
        {
            // The parked mark is written before this read: a record claimed before it is seen here. Queued calls
            // the duty cycle holds back are no reason to stay awake: what ends the hold (a socket's input, a
            // deadline) is.
            if (apiQueue.size() == 0 || conditions.callsHeldBack())
            {
                transport.awaitInput(wakeChannel, pollTimeoutMs());
            }
        }
        finally
        {
            doorbell.unpark();
        }
    }

    private long pollTimeoutMs()
    {
        if (transport.outbound().isBackPressured())
        {
            return RETRY_POLL_TIMEOUT_MS;
        }
        final long nowNs = clock.nanoTime();
        final long untilMs = (conditions.nextDeadlineNs(nowNs) - nowNs) / 1_000_000;
        return Math.max(1, Math.min(maxPollTimeoutMs, untilMs));
    }
}
