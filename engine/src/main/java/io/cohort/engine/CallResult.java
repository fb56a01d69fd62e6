package io.cohort.engine;

/**
 * What became of an API call on {@link CohortNode}: whether it was queued for the node's thread. The calls
 * are asynchronous; what the state then made of them (e.g. an unknown room) reaches
 * {@link CohortListener#onRefused}.
 */
public enum CallResult
{
    /** Queued: the node's thread will carry it out. */
    ACCEPTED,
    /** The queue into the node's thread is full: nothing was queued; retry later or shed load. */
    BACK_PRESSURED,
    /** The node is not a running member (still joining, leaving): nothing was queued. */
    NOT_MEMBER,
    /** The node was evicted: it must be restarted as a new incarnation. Nothing was queued. */
    EVICTED,
    /** The node is closed. Nothing was queued. */
    CLOSED
}
