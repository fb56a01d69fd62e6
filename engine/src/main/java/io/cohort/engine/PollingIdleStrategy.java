package io.cohort.engine;

import io.cohort.transport.ZmqTransport;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.channels.SelectableChannel;

/**
 * The node thread's idle strategy for {@code cohort.idle.strategy=backoff}: after a cycle without work it spins,
 * then yields, then blocks in {@link ZmqTransport#awaitInput} until a message reaches one of the node's sockets,
 * an API call rings the {@link Doorbell}, or the poll timeout passes. The timeout is at most 1 ms (JeroMQ counts
 * whole milliseconds), so the protocol's timers (heartbeats every {@code cohort.heartbeat.interval}) run at most
 * that late.
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
    /** Default most milliseconds blocked in one poll. */
    static final long DEFAULT_POLL_TIMEOUT_MS = 1;

    private final ZmqTransport transport;
    private final RingBuffer apiQueue;
    private final Doorbell doorbell;
    private final long pollTimeoutMs;
    private int idleCycles;

    /**
     * @param transport     whose sockets to wait on.
     * @param apiQueue      the queue API callers write to, re-checked after parking.
     * @param doorbell      rung by API callers when this thread is parked.
     * @param pollTimeoutMs most milliseconds to block in one poll (at least 1).
     */
    PollingIdleStrategy(
        final ZmqTransport transport, final RingBuffer apiQueue, final Doorbell doorbell, final long pollTimeoutMs)
    {
        if (pollTimeoutMs < 1)
        {
            throw new IllegalArgumentException("pollTimeoutMs=" + pollTimeoutMs + " must be at least 1");
        }
        this.transport = transport;
        this.apiQueue = apiQueue;
        this.doorbell = doorbell;
        this.pollTimeoutMs = pollTimeoutMs;
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
            // that back-pressure holds back are no reason to stay awake: the sockets are. Only the broadcast
            // stream holds them back (NodeAgent): a full directed stream does not.
            if (apiQueue.size() == 0 || transport.outbound().isBroadcastBackPressured())
            {
                transport.awaitInput(wakeChannel, pollTimeoutMs);
            }
        }
        finally
        {
            doorbell.unpark();
        }
    }
}
