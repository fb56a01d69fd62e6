package io.cohort.engine;

import io.cohort.config.PropertySet;

/**
 * The values of {@link CohortConfiguration#IDLE_STRATEGY_PROP_NAME}, written in lower case with {@code -}.
 */
enum IdleMode
{
    /** Spin, yield, then sleep in a poll of the node's sockets and its doorbell. */
    BACKOFF,
    /** Never sleep: for a node thread with a core of its own. */
    BUSY_SPIN;

    /**
     * Parses a value as an operator writes it.
     *
     * @param value e.g. {@code busy-spin}.
     * @return the mode.
     * @throws IllegalArgumentException naming {@code cohort.idle.strategy=value} and the accepted values.
     */
    static IdleMode of(final String value)
    {
        return PropertySet.parseEnum(CohortConfiguration.IDLE_STRATEGY_PROP_NAME, value, IdleMode.class);
    }
}
