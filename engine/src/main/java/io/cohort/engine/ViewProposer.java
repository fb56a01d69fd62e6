package io.cohort.engine;

import org.agrona.collections.LongHashSet;

import java.util.Objects;

/**
 * The proposer of the single-decree Paxos that agrees on the view of epoch {@code e + 1} among the acceptors of
 * view {@code e} (plan §3.3). It chooses at most one value per epoch together with {@link ViewAcceptor}s:
 * <ul>
 * <li>its ballots are {@code (round, self)}, and its rounds only rise within an epoch, so it never sends two
 * values under one ballot (only the members of view {@code e} may propose: a ballot names a node id);</li>
 * <li>round 0 is used only by the oldest member and only for its first round of an epoch, with no phase 1: every
 * acceptor starts promised to {@code (0, oldest)}, so no lower ballot can have chosen anything;</li>
 * <li>every other round runs phase 1 and, with a quorum of ok promises for its ballot, proposes the value of the
 * highest ballot accepted among them, its own value only if none accepted anything;</li>
 * <li>the value is chosen when a quorum answers ACCEPTED ok for the current ballot; {@link Bus#onChosen} is then
 * called exactly once per epoch, with the minimum {@code elapsedSinceHeardNs} of those answers kept in
 * {@link #minElapsedNs()} for the lease wait before the commit.</li>
 * </ul>
 * Answers are matched to the current ballot through the promise they carry (an ok answer carries the ballot it
 * answers), answers for other epochs or older ballots are ignored, and duplicates count once. A refusal raises the
 * next round past the ballot that beat it. {@link #tick} resends the current phase's request to the acceptors that
 * have not answered it every {@code resendIntervalNs}, and restarts phase 1 with a higher round when a round is not
 * chosen within {@code roundTimeoutNs} of its start. A refused round is not restarted before its timeout: restarting
 * at once on every refusal lets two proposers pre-empt each other without end.
 * <p>
 * Pure (time comes in as {@code nowNs}); not thread safe. The answer handlers and {@link #tick} allocate nothing.
 * The bus may deliver answers synchronously from inside a send (a node answering itself): a broadcast stops as soon
 * as the phase it belongs to is over.
 *
 * @param <V> the type of the agreed value, compared with {@code equals}.
 */
final class ViewProposer<V>
{
    /** Which sets of acceptors form a quorum of the installed view (any two must intersect). */
    interface QuorumRule
    {
        /**
         * Whether these acceptors form a quorum.
         *
         * @param acceptorNodeIds node ids of acceptors of the installed view (read only, do not keep).
         * @return true if they are a quorum.
         */
        boolean isQuorum(LongHashSet acceptorNodeIds);
    }

    /**
     * Where the proposer's requests go and where its decision is announced.
     *
     * @param <V> the type of the agreed value.
     */
    interface Bus<V>
    {
        /**
         * Sends a PREPARE (phase 1) to one acceptor.
         *
         * @param to     node id of the acceptor.
         * @param epoch  the epoch being agreed.
         * @param round  round of the ballot.
         * @param nodeId node id of the ballot (the proposer).
         */
        void sendPrepare(long to, long epoch, long round, long nodeId);

        /**
         * Sends an ACCEPT (phase 2) to one acceptor.
         *
         * @param to     node id of the acceptor.
         * @param epoch  the epoch being agreed.
         * @param round  round of the ballot.
         * @param nodeId node id of the ballot (the proposer).
         * @param value  the value proposed under the ballot.
         */
        void sendAccept(long to, long epoch, long round, long nodeId, V value);

        /**
         * The value is chosen (a quorum accepted it under one ballot); called once per epoch.
         *
         * @param epoch  the epoch agreed.
         * @param value  the chosen value (possibly another proposer's).
         * @param round  round of the ballot under which it was chosen.
         * @param nodeId node id of that ballot.
         */
        void onChosen(long epoch, V value, long round, long nodeId);
    }

    private static final int IDLE = 0;
    private static final int PREPARING = 1;
    private static final int ACCEPTING = 2;
    private static final int CHOSEN = 3;
    private static final int INITIAL_SET_CAPACITY = 128;

    private final long selfNodeId;
    private final QuorumRule quorum;
    private final Bus<V> bus;
    private final long roundTimeoutNs;
    private final long resendIntervalNs;
    private final LongHashSet acceptorSet = new LongHashSet(INITIAL_SET_CAPACITY);
    private final LongHashSet answered = new LongHashSet(INITIAL_SET_CAPACITY);
    private final LongHashSet oks = new LongHashSet(INITIAL_SET_CAPACITY);
    private long[] acceptors = new long[0];
    private int acceptorCount;

    private long nextEpoch = ViewAcceptor.NO_EPOCH;
    private long oldestNodeId;
    private int state = IDLE;
    private int phaseGeneration;
    private boolean roundStarted;
    private long round = Ballot.NO_ROUND;
    private long maxRoundSeen = Ballot.NO_ROUND;
    private long roundStartNs;
    private long lastSendNs;
    private V ownValue;
    private V phase2Value;
    private long highestAcceptedRound = Ballot.NO_ROUND;
    private long highestAcceptedNodeId;
    private V highestAcceptedValue;
    private long minElapsedNs = Long.MAX_VALUE;
    private int roundsStarted;

    /**
     * A proposer that resends unanswered requests every fifth of the round timeout.
     *
     * @param selfNodeId     node id of this proposer (the node id of its ballots).
     * @param quorum         the quorum rule of the installed view.
     * @param bus            where requests go.
     * @param roundTimeoutNs a round not chosen within this restarts with a higher round.
     */
    ViewProposer(final long selfNodeId, final QuorumRule quorum, final Bus<V> bus, final long roundTimeoutNs)
    {
        this(selfNodeId, quorum, bus, roundTimeoutNs, Math.max(1, roundTimeoutNs / 5));
    }

    /**
     * A proposer.
     *
     * @param selfNodeId       node id of this proposer (the node id of its ballots).
     * @param quorum           the quorum rule of the installed view.
     * @param bus              where requests go.
     * @param roundTimeoutNs   a round not chosen within this restarts with a higher round.
     * @param resendIntervalNs the current request is resent this often to acceptors that have not answered it.
     */
    ViewProposer(
        final long selfNodeId,
        final QuorumRule quorum,
        final Bus<V> bus,
        final long roundTimeoutNs,
        final long resendIntervalNs)
    {
        if (roundTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("roundTimeoutNs=" + roundTimeoutNs + " must be positive");
        }
        if (resendIntervalNs <= 0)
        {
            throw new IllegalArgumentException("resendIntervalNs=" + resendIntervalNs + " must be positive");
        }
        this.selfNodeId = selfNodeId;
        this.quorum = Objects.requireNonNull(quorum, "quorum");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.roundTimeoutNs = roundTimeoutNs;
        this.resendIntervalNs = resendIntervalNs;
    }

    /**
     * Starts a new epoch's agreement (at the install of view {@code nextEpoch - 1}): idle, no round started,
     * nothing chosen; answers for earlier epochs are ignored from now on. A reset to the epoch already being agreed
     * changes nothing: ballots are never reused within an epoch (round 0 above all).
     *
     * @param nextEpoch       the epoch being agreed (installed epoch + 1), not below the current one.
     * @param acceptorNodeIds node ids of the installed view's members (copied).
     * @param oldestNodeId    node id of rank 0 of the installed view (owner of round 0).
     * @throws IllegalArgumentException if {@code nextEpoch} is below 1 or below the epoch being agreed.
     */
    void reset(final long nextEpoch, final long[] acceptorNodeIds, final long oldestNodeId)
    {
        if (nextEpoch <= ViewAcceptor.NO_EPOCH || nextEpoch < this.nextEpoch)
        {
            throw new IllegalArgumentException(
                "nextEpoch=" + nextEpoch + " must be at least 1 and not below the current " + this.nextEpoch);
        }
        if (nextEpoch == this.nextEpoch)
        {
            return;
        }
        if (acceptors.length < acceptorNodeIds.length)
        {
            acceptors = new long[acceptorNodeIds.length];
        }
        acceptorSet.clear();
        acceptorCount = 0;
        for (final long id : acceptorNodeIds)
        {
            if (acceptorSet.add(id))
            {
                acceptors[acceptorCount++] = id;
            }
        }
        this.nextEpoch = nextEpoch;
        this.oldestNodeId = oldestNodeId;
        phaseGeneration++;
        state = IDLE;
        roundStarted = false;
        round = Ballot.NO_ROUND;
        // Round 0 is the oldest member's (every acceptor starts promised to it): phase 1 rounds start at 1.
        maxRoundSeen = 0;
        ownValue = null;
        phase2Value = null;
        clearHighestAccepted();
        minElapsedNs = Long.MAX_VALUE;
        roundsStarted = 0;
        answered.clear();
        oks.clear();
    }

    /**
     * Proposes {@code value} for the epoch: the value this proposer puts forward when the promises it gathers carry
     * no accepted value. Starts a round now, abandoning any round in progress: round 0 without phase 1 if this is
     * the oldest member and no round was started in the epoch yet, else phase 1 with a round above every round
     * seen. Ignored once a value is chosen in the epoch, and while a round is in progress for an equal value (a
     * caller that proposes its pending change on every cycle must not restart the round every cycle).
     *
     * @param value the proposed value, never null.
     * @param nowNs the time now.
     */
    void propose(final V value, final long nowNs)
    {
        Objects.requireNonNull(value, "value");
        if (ViewAcceptor.NO_EPOCH == nextEpoch)
        {
            throw new IllegalStateException("propose before reset: nextEpoch=" + nextEpoch);
        }
        if (CHOSEN == state || (isActive() && value.equals(ownValue)))
        {
            return;
        }
        ownValue = value;
        if (!roundStarted && selfNodeId == oldestNodeId)
        {
            roundStarted = true;
            round = 0;
            roundStartNs = nowNs;
            roundsStarted++;
            startAccept(value, nowNs);
        }
        else
        {
            startPrepare(nowNs);
        }
    }

    /**
     * An acceptor's answer to a PREPARE.
     *
     * @param from            node id of the acceptor.
     * @param epoch           the epoch of the answer.
     * @param ok              whether it promised.
     * @param promisedRound   round of its promise (the asked ballot if ok; the higher one if refused).
     * @param promisedNodeId  node id of its promise.
     * @param acceptedRound   round of the highest ballot it accepted in the epoch, or {@link Ballot#NO_ROUND}.
     * @param acceptedNodeId  node id of that ballot.
     * @param acceptedValue   the value accepted under it, or null if none.
     */
    void onPromise(
        final long from,
        final long epoch,
        final boolean ok,
        final long promisedRound,
        final long promisedNodeId,
        final long acceptedRound,
        final long acceptedNodeId,
        final V acceptedValue)
    {
        if (epoch != nextEpoch || !acceptorSet.contains(from))
        {
            return;
        }
        seeRound(promisedRound);
        seeRound(acceptedRound);
        if (PREPARING != state)
        {
            return;
        }
        if (!ok)
        {
            if (Ballot.isHigher(promisedRound, promisedNodeId, round, selfNodeId))
            {
                answered.add(from);
            }
            return;
        }
        if (promisedRound != round || promisedNodeId != selfNodeId)
        {
            return;
        }
        answered.add(from);
        if (!oks.add(from))
        {
            return;
        }
        if (null != acceptedValue &&
            Ballot.isHigher(acceptedRound, acceptedNodeId, highestAcceptedRound, highestAcceptedNodeId))
        {
            highestAcceptedRound = acceptedRound;
            highestAcceptedNodeId = acceptedNodeId;
            highestAcceptedValue = acceptedValue;
        }
        if (quorum.isQuorum(oks))
        {
            // No clock here: the accepts count as sent with the prepares for the resend interval.
            startAccept(null != highestAcceptedValue ? highestAcceptedValue : ownValue, lastSendNs);
        }
    }

    /**
     * An acceptor's answer to an ACCEPT.
     *
     * @param from                node id of the acceptor.
     * @param epoch               the epoch of the answer.
     * @param ok                  whether it accepted.
     * @param promisedRound       round of its promise (the accepted ballot if ok; the higher one if refused).
     * @param promisedNodeId      node id of its promise.
     * @param elapsedSinceHeardNs the acceptor's time since it last heard from the members the value removes (the
     *                            minimum over them; {@code Long.MAX_VALUE} if it removes none).
     */
    void onAccepted(
        final long from,
        final long epoch,
        final boolean ok,
        final long promisedRound,
        final long promisedNodeId,
        final long elapsedSinceHeardNs)
    {
        if (epoch != nextEpoch || !acceptorSet.contains(from))
        {
            return;
        }
        seeRound(promisedRound);
        if (ACCEPTING != state)
        {
            return;
        }
        if (!ok)
        {
            if (Ballot.isHigher(promisedRound, promisedNodeId, round, selfNodeId))
            {
                answered.add(from);
            }
            return;
        }
        if (promisedRound != round || promisedNodeId != selfNodeId)
        {
            return;
        }
        answered.add(from);
        minElapsedNs = Math.min(minElapsedNs, elapsedSinceHeardNs);
        if (oks.add(from) && quorum.isQuorum(oks))
        {
            state = CHOSEN;
            phaseGeneration++;
            bus.onChosen(nextEpoch, phase2Value, round, selfNodeId);
        }
    }

    /**
     * Drives retries: restarts phase 1 with a higher round when the current round is older than the round timeout,
     * else resends the current request to the acceptors that have not answered it once the resend interval passed.
     *
     * @param nowNs the time now.
     */
    void tick(final long nowNs)
    {
        if (PREPARING != state && ACCEPTING != state)
        {
            return;
        }
        if (nowNs - roundStartNs >= roundTimeoutNs)
        {
            startPrepare(nowNs);
        }
        else if (nowNs - lastSendNs >= resendIntervalNs)
        {
            lastSendNs = nowNs;
            if (PREPARING == state)
            {
                sendPrepares(true);
            }
            else
            {
                sendAccepts(true);
            }
        }
    }

    /**
     * The epoch being agreed.
     *
     * @return installed epoch + 1.
     */
    long nextEpoch()
    {
        return nextEpoch;
    }

    /**
     * Whether a value was chosen through this proposer in the epoch.
     *
     * @return true after {@link Bus#onChosen}.
     */
    boolean isChosen()
    {
        return CHOSEN == state;
    }

    /**
     * Whether a round is in progress (phase 1 or 2, not chosen).
     *
     * @return true while proposing.
     */
    boolean isActive()
    {
        return PREPARING == state || ACCEPTING == state;
    }

    /**
     * The value sent in phase 2 of the current round, the chosen value once chosen.
     *
     * @return the value, or null before any phase 2 of this round.
     */
    V value()
    {
        return phase2Value;
    }

    /**
     * Round of the current (or choosing) ballot.
     *
     * @return the round, or {@link Ballot#NO_ROUND} before the first round of the epoch.
     */
    long round()
    {
        return round;
    }

    /**
     * The highest round seen in the epoch (round 0 of the oldest, own rounds, promises and accepted ballots
     * reported by acceptors): the next phase 1 uses a round above it.
     *
     * @return the round.
     */
    long maxRoundSeen()
    {
        return maxRoundSeen;
    }

    /**
     * Rounds started in the epoch (round 0 and every phase 1).
     *
     * @return the count.
     */
    int roundsStarted()
    {
        return roundsStarted;
    }

    /**
     * The minimum {@code elapsedSinceHeardNs} of the ACCEPTED ok answers of the current ballot; once chosen, of the
     * answers up to and including the one that made the quorum (the committer waits
     * {@code Lease.commitWaitNs(..., minElapsedNs())} before the commit).
     *
     * @return the minimum, or {@code Long.MAX_VALUE} if no answer reported one.
     */
    long minElapsedNs()
    {
        return minElapsedNs;
    }

    private void startPrepare(final long nowNs)
    {
        roundStarted = true;
        round = Math.max(round, maxRoundSeen) + 1;
        maxRoundSeen = round;
        roundStartNs = nowNs;
        lastSendNs = nowNs;
        roundsStarted++;
        state = PREPARING;
        phaseGeneration++;
        phase2Value = null;
        minElapsedNs = Long.MAX_VALUE;
        clearHighestAccepted();
        answered.clear();
        oks.clear();
        sendPrepares(false);
    }

    private void startAccept(final V value, final long nowNs)
    {
        state = ACCEPTING;
        phaseGeneration++;
        phase2Value = value;
        lastSendNs = nowNs;
        minElapsedNs = Long.MAX_VALUE;
        answered.clear();
        oks.clear();
        sendAccepts(false);
    }

    private void sendPrepares(final boolean unansweredOnly)
    {
        final int generation = phaseGeneration;
        final long epoch = nextEpoch;
        final long ballotRound = round;
        for (int i = 0; i < acceptorCount && generation == phaseGeneration; i++)
        {
            final long to = acceptors[i];
            if (!unansweredOnly || !answered.contains(to))
            {
                bus.sendPrepare(to, epoch, ballotRound, selfNodeId);
            }
        }
    }

    private void sendAccepts(final boolean unansweredOnly)
    {
        final int generation = phaseGeneration;
        final long epoch = nextEpoch;
        final long ballotRound = round;
        final V value = phase2Value;
        for (int i = 0; i < acceptorCount && generation == phaseGeneration; i++)
        {
            final long to = acceptors[i];
            if (!unansweredOnly || !answered.contains(to))
            {
                bus.sendAccept(to, epoch, ballotRound, selfNodeId, value);
            }
        }
    }

    private void seeRound(final long seenRound)
    {
        if (seenRound > maxRoundSeen)
        {
            maxRoundSeen = seenRound;
        }
    }

    private void clearHighestAccepted()
    {
        highestAcceptedRound = Ballot.NO_ROUND;
        highestAcceptedNodeId = 0;
        highestAcceptedValue = null;
    }
}
