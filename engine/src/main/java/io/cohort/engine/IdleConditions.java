package io.cohort.engine;

/**
 * What the node's thread, idle, must still wake for: the {@link PollingIdleStrategy} asks its {@link NodeAgent}
 * before each poll. Read on the node's thread only.
 */
interface IdleConditions
{
    /**
     * When the next duty cycle is due if nothing arrives ({@link ClusterCore#nextDeadlineNs}).
     *
     * @param nowNs the current time.
     * @return the time it is due, {@code nowNs} if at once.
     */
    long nextDeadlineNs(long nowNs);

    /**
     * Whether the duty cycle leaves queued API calls where they are (the broadcast stream is back-pressured, or the
     * node has no quorum): calls waiting are then no reason to stay awake, only what ends the hold is.
     *
     * @return true while calls are held back.
     */
    boolean callsHeldBack();
}
