package io.cohort.engine;

/**
 * What became of an API call on {@link CohortNode}: whether it was queued for the node's thread. The calls
 * are asynchronous; what the state then made of them (e.g. an unknown room) reaches
 * {@link CohortListener#onRefused} (a publish: {@link CohortListener#onPublishRefused}, which calls it by default).
 */
public enum CallResult
{
    /** Queued: the node's thread will carry it out. */
    ACCEPTED(0),
    /**
     * The node is behind: the queue into its thread is full, or (calls that change rows) its replicas or its thread
     * lag by more than {@code cohort.flow.backpressure.after}, or (a publish) a node with subscribers in the room
     * has no notification credit (its notification window or its socket is full). Nothing was queued, nothing
     * delivered; retry later or shed load.
     */
    BACK_PRESSURED(1),
    /** The node is not a running member (still joining, leaving): nothing was queued. */
    NOT_MEMBER(2),
    /** The node was evicted: it must be restarted as a new incarnation. Nothing was queued. */
    EVICTED(3),
    /** The node is closed. Nothing was queued. */
    CLOSED(4),
    /**
     * The node is a member but lost its quorum (cut off by a partition, or just resumed from a long pause): it
     * serves nobody until a quorum of its view hears it again, or it is removed. Nothing was queued; retry on
     * another node. It is also returned for about a round trip after a view lets in members whose echoes the node's
     * quorum now needs (a cluster of one or two growing to three), until their first heartbeats in it arrive.
     */
    NO_QUORUM(5);

    private static final CallResult[] BY_CODE;

    static
    {
        final CallResult[] values = values();
        int maxCode = 0;
        for (final CallResult value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new CallResult[maxCode + 1];
        for (final CallResult value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    CallResult(final int code)
    {
        this.code = code;
    }

    /**
     * The stable code of this result, wherever a result is reported as a number: never changes, whatever the
     * order of the constants.
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
    public static CallResult get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown CallResult code: " + code);
        }
        return BY_CODE[(int)code];
    }
}
