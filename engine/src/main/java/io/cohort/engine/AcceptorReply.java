package io.cohort.engine;

/**
 * The answer of a {@link ViewAcceptor} to one PREPARE or ACCEPT: a mutable holder the acceptor reuses for every
 * answer, so read it (or encode it) before the next call into the same acceptor.
 * <ul>
 * <li>{@link #ok()}: the ballot was promised (PREPARE) or accepted (ACCEPT).</li>
 * <li>{@link #promisedRound()}/{@link #promisedNodeId()}: the acceptor's promise after the call; on an ok answer it
 * is the asked ballot, on a refusal the higher ballot that beats it ({@link Ballot#NO_ROUND} when the refusal is
 * for another epoch, so that a proposer does not raise its rounds past a ballot of another epoch).</li>
 * <li>{@link #acceptedRound()}/{@link #acceptedNodeId()}/{@link #acceptedValue()}: on an ok PROMISE, the highest
 * ballot this acceptor accepted in the epoch and its value ({@link Ballot#NO_ROUND} and null if none).</li>
 * <li>{@link #epochMatched()}: false when the request was for an epoch other than the acceptor's next epoch.</li>
 * </ul>
 *
 * @param <V> the type of the agreed value.
 */
final class AcceptorReply<V>
{
    private boolean ok;
    private boolean epochMatched;
    private long promisedRound = Ballot.NO_ROUND;
    private long promisedNodeId;
    private long acceptedRound = Ballot.NO_ROUND;
    private long acceptedNodeId;
    private V acceptedValue;

    void set(
        final boolean ok,
        final boolean epochMatched,
        final long promisedRound,
        final long promisedNodeId,
        final long acceptedRound,
        final long acceptedNodeId,
        final V acceptedValue)
    {
        this.ok = ok;
        this.epochMatched = epochMatched;
        this.promisedRound = promisedRound;
        this.promisedNodeId = promisedNodeId;
        this.acceptedRound = acceptedRound;
        this.acceptedNodeId = acceptedNodeId;
        this.acceptedValue = acceptedValue;
    }

    /**
     * Whether the ballot was promised or accepted.
     *
     * @return true for PROMISE ok / ACCEPTED ok.
     */
    boolean ok()
    {
        return ok;
    }

    /**
     * Whether the request was for the acceptor's next epoch.
     *
     * @return false if the acceptor refused because it is at another epoch.
     */
    boolean epochMatched()
    {
        return epochMatched;
    }

    /**
     * Round of the acceptor's promise after the call.
     *
     * @return the round, or {@link Ballot#NO_ROUND} for a refusal of another epoch.
     */
    long promisedRound()
    {
        return promisedRound;
    }

    /**
     * Node id of the acceptor's promise after the call.
     *
     * @return the node id of the promised ballot.
     */
    long promisedNodeId()
    {
        return promisedNodeId;
    }

    /**
     * Round of the ballot accepted so far in the epoch (meaningful on an ok PROMISE).
     *
     * @return the round, or {@link Ballot#NO_ROUND} if nothing was accepted.
     */
    long acceptedRound()
    {
        return acceptedRound;
    }

    /**
     * Node id of the ballot accepted so far in the epoch (meaningful on an ok PROMISE).
     *
     * @return the node id of the accepted ballot.
     */
    long acceptedNodeId()
    {
        return acceptedNodeId;
    }

    /**
     * Value accepted so far in the epoch (meaningful on an ok PROMISE).
     *
     * @return the value, or null if nothing was accepted.
     */
    V acceptedValue()
    {
        return acceptedValue;
    }

    /**
     * The answer for logs and test messages.
     *
     * @return a short description (allocates).
     */
    public String toString()
    {
        return (ok ? "ok" : "refused") + (epochMatched ? "" : " (other epoch)") +
            " promised=" + Ballot.toString(promisedRound, promisedNodeId) +
            " accepted=" + Ballot.toString(acceptedRound, acceptedNodeId) +
            (null == acceptedValue ? "" : ":" + acceptedValue);
    }
}
