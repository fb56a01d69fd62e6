package io.cohort.engine;

/**
 * Lifecycle of a Cohort node, observable through {@link CohortListener#onStateChanged}.
 */
public enum NodeState
{
    /** Sockets bound, not yet part of a cluster. */
    STARTING(0),
    /** Contacting seeds, subscribing to members and loading their state. */
    JOINING(1),
    /**
     * A member whose view holds at least {@code cohort.cluster.minimum.nodes} members and more than half of the seed hosts
     * (under keep-majority), so that no other instance of the cluster can serve beside it: serve traffic.
     */
    RUNNING(2),
    /**
     * A member, but its view holds fewer than {@code cohort.cluster.minimum.nodes} members, or (under keep-majority)
     * half of the seed hosts or fewer: refuse work, sync goes on, nodes that come back join it.
     */
    NOT_ENOUGH_NODES(3),
    /** Leaving gracefully: announced, flushing. */
    LEAVING(4),
    /** Evicted from the cluster: stopped serving, must be restarted as a new incarnation. */
    EVICTED(5),
    /** Closed. */
    CLOSED(6),
    /**
     * A member of the installed view whose lease ran out: no quorum of its view has echoed its heartbeats within
     * the lease (it is cut off, or paused). It refuses API calls and keeps syncing; it serves again once a quorum
     * hears it, or evicts itself after a heartbeat timeout and a suspicion window.
     */
    NO_QUORUM(7);

    private static final NodeState[] BY_CODE;

    static
    {
        final NodeState[] values = values();
        int maxCode = 0;
        for (final NodeState value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new NodeState[maxCode + 1];
        for (final NodeState value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    NodeState(final int code)
    {
        this.code = code;
    }

    /**
     * Whether a node in this state is a member that replicates state.
     *
     * @return true for {@link #RUNNING} and {@link #NOT_ENOUGH_NODES}.
     */
    public boolean isMember()
    {
        return this == RUNNING || this == NOT_ENOUGH_NODES || this == NO_QUORUM;
    }

    /**
     * Whether a node in this state accepts API calls: a member whose lease holds.
     *
     * @return true for {@link #RUNNING} and {@link #NOT_ENOUGH_NODES}.
     */
    public boolean servesCalls()
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

    /**
     * The stable code of this state, as the node state counter holds it (read by {@code cohort stat} and JMX in
     * other processes): never changes, whatever the order of the constants.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The value of a code written by {@link #code()}.
     *
     * @param code a code.
     * @return its value.
     * @throws IllegalArgumentException if no value has this code.
     */
    public static NodeState get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown NodeState code: " + code);
        }
        return BY_CODE[(int)code];
    }
}
