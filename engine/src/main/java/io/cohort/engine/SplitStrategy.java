package io.cohort.engine;

import io.cohort.config.PropertySet;

/**
 * Which side of a network partition keeps running ({@code cohort.cluster.split.strategy}). The losing side
 * evicts itself, so that at most one side serves.
 */
public enum SplitStrategy
{
    /** The side with more than half of the members stays; on a tie, the side holding the oldest member. */
    KEEP_MAJORITY("keep-majority"),
    /** A side stays only if it has at least {@code cohort.cluster.minimum.nodes} members. */
    STATIC_QUORUM("static-quorum"),
    /** The side holding the oldest member stays. */
    KEEP_OLDEST("keep-oldest");

    private final String propertyValue;

    SplitStrategy(final String propertyValue)
    {
        this.propertyValue = propertyValue;
    }

    /**
     * The value naming this strategy in {@code cohort.cluster.split.strategy}.
     *
     * @return e.g. {@code keep-majority}.
     */
    public String propertyValue()
    {
        return propertyValue;
    }

    /**
     * Parses a property value.
     *
     * @param value e.g. {@code keep-majority}.
     * @return the strategy.
     * @throws IllegalArgumentException naming the property and the accepted values.
     */
    public static SplitStrategy parse(final String value)
    {
        return PropertySet.parseEnum(CohortConfiguration.SPLIT_STRATEGY_PROP_NAME, value, SplitStrategy.class);
    }

    /**
     * Whether a side of a partition stays.
     *
     * @param sideSize          members on this side, this node included.
     * @param clusterSize       members before the partition, this node included.
     * @param sideHoldsOldest   whether the oldest member is on this side.
     * @param minimumNodes      {@code cohort.cluster.minimum.nodes}.
     * @return true if this side keeps running.
     */
    public boolean survives(
        final int sideSize, final int clusterSize, final boolean sideHoldsOldest, final int minimumNodes)
    {
        switch (this)
        {
            case STATIC_QUORUM:
                return sideSize >= minimumNodes;
            case KEEP_OLDEST:
                return sideHoldsOldest;
            default:
                return 2 * sideSize > clusterSize || 2 * sideSize == clusterSize && sideHoldsOldest;
        }
    }
}
