package io.cohort.engine;

/**
 * Lifeguard's local health multiplier, for the node's own patience: a node that sees its own duty cycles late (its
 * thread stalled: a pause, or a core shared with many busy threads) raises its own timeouts for a while, because the
 * slowness it measures is then at least as likely its own, or the whole machine's, as the others'.
 * <p>
 * The score rises by the stall's length in stall thresholds (half a heartbeat timeout, the stall detector's), up to
 * {@link #MAX_SCORE}, and falls by one for every heartbeat timeout of cycles on time. A timeout scaled by it is the
 * base times {@code 1 + score}: a node that resumed after a 3 s stall (score 6 at the default 1 s heartbeat timeout)
 * waits up to seven times its usual window before it gives up, and a healthy node's timing does not change.
 * <p>
 * Only a node's judgement of <em>itself</em> is scaled (how long it waits for a quorum to echo it before it evicts
 * itself): waiting longer while it has no quorum is safe, because the lease fence has already stopped it serving,
 * and it costs only a later restart in a real partition, bounded by {@link #MAX_SCORE}.
 * Not thread safe: the node's thread only.
 */
final class LocalHealth
{
    /** Highest score (Lifeguard's default maximum multiplier is 8: a timeout grows at most to nine times its base). */
    static final int MAX_SCORE = 8;

    private final long stallThresholdNs;
    private final long recoveryNs;
    private int score;
    private long lastChangeNs;

    /**
     * @param heartbeatTimeoutNs the node's heartbeat timeout: stalls are counted in halves of it, and the score
     *                           falls by one per whole timeout on time.
     */
    LocalHealth(final long heartbeatTimeoutNs)
    {
        if (heartbeatTimeoutNs < 2)
        {
            throw new IllegalArgumentException("heartbeat timeout must be at least 2 ns: " + heartbeatTimeoutNs);
        }
        this.stallThresholdNs = heartbeatTimeoutNs / 2;
        this.recoveryNs = heartbeatTimeoutNs;
    }

    /**
     * The time between the starts of two duty cycles: a gap past the stall threshold raises the score.
     *
     * @param gapNs time since the previous cycle began.
     * @param nowNs the cycle's time.
     */
    void onCycle(final long gapNs, final long nowNs)
    {
        decay(nowNs);
        if (gapNs > stallThresholdNs)
        {
            final long stalls = (gapNs + stallThresholdNs - 1) / stallThresholdNs;
            score = (int)Math.min(MAX_SCORE, score + stalls);
            lastChangeNs = nowNs;
        }
    }

    /**
     * A timeout of the node's own judgement, scaled by its health.
     *
     * @param baseNs the timeout with the node healthy.
     * @param nowNs  the current time.
     * @return {@code baseNs * (1 + score)}.
     */
    long scaled(final long baseNs, final long nowNs)
    {
        decay(nowNs);
        return baseNs * (1 + score);
    }

    /**
     * @param nowNs the current time.
     * @return the score, 0 (healthy) to {@link #MAX_SCORE}.
     */
    int score(final long nowNs)
    {
        decay(nowNs);
        return score;
    }

    private void decay(final long nowNs)
    {
        if (score > 0 && nowNs - lastChangeNs >= recoveryNs)
        {
            final long steps = (nowNs - lastChangeNs) / recoveryNs;
            score = (int)Math.max(0, score - steps);
            lastChangeNs += steps * recoveryNs;
        }
    }
}
