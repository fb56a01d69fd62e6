package io.cohort.transport;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.TimeUnit;

/**
 * Command requests in flight, each with a deadline: a response completes its request, a deadline passing
 * times it out. Many may be in flight; nothing here blocks. Sans-IO: time comes in as {@code nowNs}.
 */
public final class PendingRequests
{
    /**
     * Told of a request whose deadline passed without a response.
     */
    @FunctionalInterface
    public interface TimeoutHandler
    {
        /**
         * A request timed out.
         *
         * @param correlationId the request's correlation id.
         * @param peerNodeId    the peer it was sent to.
         */
        void onTimeout(long correlationId, long peerNodeId);
    }

    private static final long MISSING = Long.MIN_VALUE;
    /** About a millisecond: the wheel needs a power of two. */
    private static final long TICK_RESOLUTION_NS = 1L << 20;

    private final DeadlineTimerWheel timerWheel;
    private final Long2LongHashMap timerIdByCorrelationId = new Long2LongHashMap(MISSING);
    private final Long2LongHashMap correlationIdByTimerId = new Long2LongHashMap(MISSING);
    private final Long2LongHashMap peerByCorrelationId = new Long2LongHashMap(MISSING);
    private final DeadlineTimerWheel.TimerHandler expiryHandler = this::onExpiry;
    private TimeoutHandler timeoutHandler;
    private long nextCorrelationId = 1;

    /**
     * An empty set of requests.
     *
     * @param startTimeNs the current time.
     */
    public PendingRequests(final long startTimeNs)
    {
        timerWheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startTimeNs, TICK_RESOLUTION_NS, 256);
    }

    /**
     * A fresh correlation id, unique within this node's incarnation.
     *
     * @return the next correlation id.
     */
    public long nextCorrelationId()
    {
        return nextCorrelationId++;
    }

    /**
     * Records a request sent.
     *
     * @param correlationId its correlation id.
     * @param peerNodeId    the peer it was sent to.
     * @param deadlineNs    when it times out.
     */
    public void register(final long correlationId, final long peerNodeId, final long deadlineNs)
    {
        if (timerIdByCorrelationId.containsKey(correlationId))
        {
            throw new IllegalArgumentException("correlationId=" + correlationId + " is already in flight");
        }
        final long timerId = timerWheel.scheduleTimer(deadlineNs);
        timerIdByCorrelationId.put(correlationId, timerId);
        correlationIdByTimerId.put(timerId, correlationId);
        peerByCorrelationId.put(correlationId, peerNodeId);
    }

    /**
     * Completes a request on its response.
     *
     * @param correlationId from the response.
     * @return false if no such request is in flight (late, duplicate or unsolicited response).
     */
    public boolean complete(final long correlationId)
    {
        final long timerId = timerIdByCorrelationId.remove(correlationId);
        if (MISSING == timerId)
        {
            return false;
        }
        timerWheel.cancelTimer(timerId);
        correlationIdByTimerId.remove(timerId);
        peerByCorrelationId.remove(correlationId);
        return true;
    }

    /**
     * Whether a request is in flight.
     *
     * @param correlationId its correlation id.
     * @return true until it completes or times out.
     */
    public boolean isPending(final long correlationId)
    {
        return timerIdByCorrelationId.containsKey(correlationId);
    }

    /**
     * Number of requests in flight.
     *
     * @return the count.
     */
    public int size()
    {
        return timerIdByCorrelationId.size();
    }

    /**
     * Times out every request whose deadline has passed. The wheel advances one tick per poll while timers
     * are pending, so after a long gap (a pause, or simulated time jumping) this catches up tick by tick.
     *
     * @param nowNs   the current time.
     * @param handler told of each timed-out request.
     * @return number of requests timed out.
     */
    public int poll(final long nowNs, final TimeoutHandler handler)
    {
        timeoutHandler = handler;
        int expired = 0;
        do
        {
            expired += timerWheel.poll(nowNs, expiryHandler, Integer.MAX_VALUE);
        }
        while (timerWheel.timerCount() > 0 && timerWheel.currentTickTime() <= nowNs);
        timeoutHandler = null;
        return expired;
    }

    private boolean onExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final long correlationId = correlationIdByTimerId.remove(timerId);
        if (MISSING != correlationId)
        {
            timerIdByCorrelationId.remove(correlationId);
            final long peer = peerByCorrelationId.remove(correlationId);
            timeoutHandler.onTimeout(correlationId, peer);
        }
        return true;
    }
}
