package io.cohort.engine;

import java.util.Objects;

/**
 * The acceptor of the single-decree Paxos that agrees on the view of epoch {@code e + 1} among the members of the
 * installed view {@code e} (plan §3.3). One per node, {@link #reset} at each install; state in memory only, which
 * is safe because a crashed acceptor never comes back as the same incarnation.
 * <p>
 * Guarantees, which make at most one value chosen per epoch whatever the proposers do with distinct ballots:
 * <ul>
 * <li>the promise only rises: a PREPARE is promised only if its ballot is at least the promise, an ACCEPT is
 * accepted only if its ballot is at least the promise, and accepting raises the promise to that ballot;</li>
 * <li>an ok PROMISE reports the highest ballot accepted so far with its value, so a proposer that gathers a quorum
 * of promises learns any value that may have been chosen under a lower ballot;</li>
 * <li>the promise starts at {@code (0, oldest)}: no ballot below it is ever accepted, so the oldest member's
 * round 0 needs no phase 1 (the promise it would gather is already held by every acceptor).</li>
 * </ul>
 * A PREPARE whose ballot equals the promise is answered ok again (the same answer as the first time, plus what the
 * same ballot's ACCEPT may have stored since): a proposer's resent PREPARE must not read as a refusal of its own
 * ballot. Requests for any epoch other than the next one are refused without touching the state.
 * Not thread safe; allocates nothing (one reused {@link AcceptorReply}).
 *
 * @param <V> the type of the agreed value (compared by the proposers with {@code equals}).
 */
final class ViewAcceptor<V>
{
    /** The next epoch before the first {@link #reset}: epochs start at 1, so no request matches it. */
    static final long NO_EPOCH = 0;

    private final AcceptorReply<V> reply = new AcceptorReply<>();
    private long nextEpoch = NO_EPOCH;
    private long oldestNodeId;
    private long promisedRound = Ballot.NO_ROUND;
    private long promisedNodeId;
    private long acceptedRound = Ballot.NO_ROUND;
    private long acceptedNodeId;
    private V acceptedValue;
    /** Every value accepted, counted, and the last one, kept past the epoch (a checker's record). */
    private long accepts;
    private V lastAccepted;

    /**
     * Starts the agreement on epoch {@code nextEpoch} (at the install of view {@code nextEpoch - 1}): promised to
     * {@code (0, oldestNodeId)}, nothing accepted. A reset to the epoch already being agreed changes nothing: an
     * acceptor that forgot its promise or accepted value within an epoch could let two values be chosen.
     *
     * @param nextEpoch    the epoch being agreed (installed epoch + 1), not below the current one.
     * @param oldestNodeId the node id of rank 0 of the installed view.
     * @throws IllegalArgumentException if {@code nextEpoch} is below 1 or below the epoch being agreed, or if it is
     *                                  the epoch being agreed with another oldest member.
     */
    void reset(final long nextEpoch, final long oldestNodeId)
    {
        if (nextEpoch <= NO_EPOCH || nextEpoch < this.nextEpoch)
        {
            throw new IllegalArgumentException(
                "nextEpoch=" + nextEpoch + " must be at least 1 and not below the current " + this.nextEpoch);
        }
        if (nextEpoch == this.nextEpoch)
        {
            if (oldestNodeId != this.oldestNodeId)
            {
                throw new IllegalArgumentException("oldestNodeId=" + Long.toHexString(oldestNodeId) +
                    " differs from " + Long.toHexString(this.oldestNodeId) + " for the same nextEpoch=" + nextEpoch);
            }
            return;
        }
        this.nextEpoch = nextEpoch;
        this.oldestNodeId = oldestNodeId;
        promisedRound = 0;
        promisedNodeId = oldestNodeId;
        acceptedRound = Ballot.NO_ROUND;
        acceptedNodeId = 0;
        acceptedValue = null;
    }

    /**
     * Phase 1: a proposer asks for a promise of ballot {@code (round, nodeId)}.
     *
     * @param epoch  the epoch the proposer agrees on.
     * @param round  round of its ballot.
     * @param nodeId node id of its ballot.
     * @return the reused answer: ok with what was accepted so far, or refused with the promise that beats it.
     */
    AcceptorReply<V> onPrepare(final long epoch, final long round, final long nodeId)
    {
        if (!matches(epoch))
        {
            return refuseOtherEpoch();
        }
        if (Ballot.isHigherOrEqual(round, nodeId, promisedRound, promisedNodeId))
        {
            promisedRound = round;
            promisedNodeId = nodeId;
            reply.set(true, true, round, nodeId, acceptedRound, acceptedNodeId, acceptedValue);
        }
        else
        {
            refuse();
        }
        return reply;
    }

    /**
     * Phase 2: a proposer asks to accept {@code value} under ballot {@code (round, nodeId)}.
     *
     * @param epoch  the epoch the proposer agrees on.
     * @param round  round of its ballot.
     * @param nodeId node id of its ballot.
     * @param value  the value, never null.
     * @return the reused answer: ok (promised = accepted = the ballot), or refused with the promise that beats it.
     */
    AcceptorReply<V> onAccept(final long epoch, final long round, final long nodeId, final V value)
    {
        Objects.requireNonNull(value, "value");
        if (!matches(epoch))
        {
            return refuseOtherEpoch();
        }
        if (Ballot.isHigherOrEqual(round, nodeId, promisedRound, promisedNodeId))
        {
            promisedRound = acceptedRound = round;
            promisedNodeId = acceptedNodeId = nodeId;
            acceptedValue = value;
            accepts++;
            lastAccepted = value;
            reply.set(true, true, round, nodeId, round, nodeId, value);
        }
        else
        {
            refuse();
        }
        return reply;
    }

    /**
     * The epoch being agreed.
     *
     * @return installed epoch + 1, or {@link #NO_EPOCH} before the first reset.
     */
    long nextEpoch()
    {
        return nextEpoch;
    }

    /**
     * Round of the current promise.
     *
     * @return the round.
     */
    long promisedRound()
    {
        return promisedRound;
    }

    /**
     * Node id of the current promise.
     *
     * @return the node id.
     */
    long promisedNodeId()
    {
        return promisedNodeId;
    }

    /**
     * Whether a value was accepted in this epoch (from then on a node echoes only the members in it, plan §3.5).
     *
     * @return true once an ACCEPT was accepted.
     */
    boolean hasAccepted()
    {
        return null != acceptedValue;
    }

    /**
     * Round of the accepted ballot.
     *
     * @return the round, or {@link Ballot#NO_ROUND}.
     */
    long acceptedRound()
    {
        return acceptedRound;
    }

    /**
     * Node id of the accepted ballot.
     *
     * @return the node id (0 if nothing accepted).
     */
    long acceptedNodeId()
    {
        return acceptedNodeId;
    }

    /**
     * The value accepted under the highest ballot so far.
     *
     * @return the value, or null if none.
     */
    V acceptedValue()
    {
        return acceptedValue;
    }

    /**
     * @return how many values this acceptor has accepted, in every epoch.
     */
    long accepts()
    {
        return accepts;
    }

    /**
     * @return the value accepted last, kept after its epoch ends (an acceptance and the install it allows may happen
     * in one step: a proposer that is a quorum alone).
     */
    V lastAccepted()
    {
        return lastAccepted;
    }

    private boolean matches(final long epoch)
    {
        return NO_EPOCH != nextEpoch && epoch == nextEpoch;
    }

    private void refuse()
    {
        reply.set(false, true, promisedRound, promisedNodeId, Ballot.NO_ROUND, 0, null);
    }

    private AcceptorReply<V> refuseOtherEpoch()
    {
        reply.set(false, false, Ballot.NO_ROUND, 0, Ballot.NO_ROUND, 0, null);
        return reply;
    }
}
