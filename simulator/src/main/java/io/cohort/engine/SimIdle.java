package io.cohort.engine;

/**
 * A simulated node's model of the node thread's poll under {@link SimNetwork#idleUntilDeadline}, as production's
 * {@link PollingIdleStrategy} parks it: after a duty cycle the node sleeps until the core's next deadline, at least a
 * millisecond (JeroMQ's poll counts whole ones) and at most the strategy's bound, unless input reaches it first.
 * Not thread safe: the simulation's thread only.
 */
final class SimIdle
{
    private static final long MIN_POLL_NS = 1_000_000L;

    private final long boundNs;
    private boolean inputSinceCycle = true;
    private long wakeNs = Long.MIN_VALUE;

    /**
     * @param heartbeatIntervalNs the node's heartbeat interval, which sets the strategy's bound.
     */
    SimIdle(final long heartbeatIntervalNs)
    {
        this.boundNs = PollingIdleStrategy.maxPollTimeoutMs(heartbeatIntervalNs) * 1_000_000L;
    }

    /**
     * Input reached the node (a frame, a command, a subscription, its resumption): the poll returns.
     */
    void onInput()
    {
        inputSinceCycle = true;
    }

    /**
     * @return whether the poll has returned by this time: input came, or the time it slept until.
     */
    boolean awakeAt(final long nowNs)
    {
        return inputSinceCycle || nowNs >= wakeNs;
    }

    /**
     * A duty cycle ended: the node sleeps from now.
     *
     * @param nowNs           the network's time.
     * @param untilDeadlineNs real time until the core's next deadline (0 if due at once).
     */
    void afterCycle(final long nowNs, final long untilDeadlineNs)
    {
        inputSinceCycle = false;
        wakeNs = nowNs + Math.max(MIN_POLL_NS, Math.min(boundNs, untilDeadlineNs));
    }
}
