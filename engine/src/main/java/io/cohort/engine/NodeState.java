package io.cohort.engine;

/**
 * Lifecycle of a Cohort node, observable through {@link CohortListener#onStateChanged}.
 */
public enum NodeState
{
    /** Sockets bound, not yet part of a cluster. */
    STARTING,
    /** Contacting seeds, subscribing to members and loading their state. */
    JOINING,
    /** A member with at least {@code cohort.cluster.minimum.nodes} live members: serve traffic. */
    RUNNING,
    /** A member, but fewer than {@code cohort.cluster.minimum.nodes} live members: refuse work, sync goes on. */
    NOT_ENOUGH_NODES,
    /** Leaving gracefully: announced, flushing. */
    LEAVING,
    /** Evicted from the cluster: stopped serving, must be restarted as a new incarnation. */
    EVICTED,
    /** Closed. */
    CLOSED;

    /**
     * Whether a node in this state is a member that replicates state.
     *
     * @return true for {@link #RUNNING} and {@link #NOT_ENOUGH_NODES}.
     */
    public boolean isMember()
    {
        return this == RUNNING || this == NOT_ENOUGH_NODES;
    }

    /**
     * Whether the node has stopped for good.
     *
     * @return true for {@link #EVICTED} and {@link #CLOSED}.
     */
    public boolean isTerminal()
    {
        return this == EVICTED || this == CLOSED;
    }
}
