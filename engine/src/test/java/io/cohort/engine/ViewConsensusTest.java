package io.cohort.engine;

import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ViewAcceptor} and {@link ViewProposer} under seeded random schedules: 1 to 7 acceptors, 1 to 3 duelling
 * proposers with different values (sometimes changing their value), messages lost, duplicated, reordered and
 * delayed past several round timeouts, nodes crashing (acceptor and proposer together), proposers crashing in the
 * middle of an ACCEPT broadcast. At a random time (GST) the network calms down: no loss, delays of at most
 * {@link #CALM_MAX_DELAY}, no crash; by GST + {@link #CHAOS_MAX_DELAY} ("drained") every message sent before GST
 * has been delivered. Two checkers:
 * <ul>
 * <li>agreement, checked on every ACCEPTED ok and every {@code onChosen}: one value per ballot; never two
 * different values chosen (accepted by a quorum under one ballot) for the epoch; every {@code onChosen} names a
 * ballot a quorum accepted with that value, and the minimum elapsed time of the answers that made it;</li>
 * <li>liveness, in the schedules where a quorum of acceptors and at least one proposer stay alive: a surviving
 * proposer learns a chosen value by drained + {@link #LIVENESS_TIMEOUTS} round timeouts of the slowest proposer;
 * a lone surviving proposer starts at most {@link #SINGLE_SURVIVOR_ROUNDS} rounds after the drain and learns by
 * drained + {@link #SINGLE_SURVIVOR_TIMEOUTS} of its timeouts (the round under way at the drain may fail, the next
 * may be refused by promises to ballots of crashed proposers, and those refusals lift the one after above every
 * live promise). With several survivors the bound is a margin over the argument, not a proof: after the drain a
 * survivor's round is beaten only by another survivor's, a beaten round teaches it a round above the winner, and
 * the staggered timeouts ({@code ROUND_TIMEOUT × (1 + index)}, as plan §3.3 staggers who starts phase 1) make one
 * survivor's two-phase round (at most 4 × {@link #CALM_MAX_DELAY}) finish between the others' restarts.</li>
 * </ul>
 * A failing schedule names its seed; {@link #replay(long)} runs one seed alone.
 */
class ViewConsensusTest
{
    private static final long EPOCH = 12;
    private static final long ROUND_TIMEOUT = 500;
    private static final long RESEND_INTERVAL = 100;
    private static final int TICK_INTERVAL = 100;
    private static final int CALM_MAX_DELAY = 40;
    private static final int CHAOS_MAX_DELAY = 1_500;
    private static final long LIVENESS_TIMEOUTS = 4;
    private static final long SINGLE_SURVIVOR_TIMEOUTS = 3;
    private static final int SINGLE_SURVIVOR_ROUNDS = 2;
    private static final int SCHEDULES = 100_000;
    private static final int BROKEN_SCHEDULES = 10_000;

    @Test
    void shouldChooseOneValueInEveryOneOf100000Schedules()
    {
        final Totals totals = run(1, SCHEDULES, ViewConsensusTest::realAcceptor);
        totals.assertChecked(SCHEDULES);
        System.out.println("ViewConsensusTest: " + totals);
    }

    @Test
    void shouldCatchTwoChosenValuesWhenAcceptorsPromiseTwice()
    {
        final AssertionError error = assertThrows(
            AssertionError.class, () -> run(1, BROKEN_SCHEDULES, PromisesTwiceAcceptor::new));
        assertTrue(error.getMessage().contains("seed="), error.getMessage());
        assertTrue(error.getMessage().contains("two values chosen"), error.getMessage());
    }

    @Test
    void shouldCatchAnEndlessRoundWhenAcceptorsStopAnswering()
    {
        final AssertionError error = assertThrows(
            AssertionError.class, () -> run(1, BROKEN_SCHEDULES, MuteAfterPrepareAcceptor::new));
        assertTrue(error.getMessage().contains("seed="), error.getMessage());
        assertTrue(error.getMessage().contains("nothing chosen"), error.getMessage());
    }

    @Test
    void shouldReplayOneSeedTheSameWay()
    {
        final Outcome first = replay(424_242);
        final Outcome second = replay(424_242);
        assertEquals(first.toString(), second.toString());
    }

    private static Outcome replay(final long seed)
    {
        return new Simulation(seed, ViewConsensusTest::realAcceptor).run();
    }

    private static Totals run(final long firstSeed, final int schedules, final Supplier<Acceptor> acceptors)
    {
        final Totals totals = new Totals();
        for (long seed = firstSeed; seed < firstSeed + schedules; seed++)
        {
            totals.add(new Simulation(seed, acceptors).run());
        }
        return totals;
    }

    private static Acceptor realAcceptor()
    {
        final ViewAcceptor<Val> acceptor = new ViewAcceptor<>();
        return new Acceptor()
        {
            public void reset(final long nextEpoch, final long oldestNodeId)
            {
                acceptor.reset(nextEpoch, oldestNodeId);
            }

            public AcceptorReply<Val> onPrepare(final long epoch, final long round, final long nodeId)
            {
                return acceptor.onPrepare(epoch, round, nodeId);
            }

            public AcceptorReply<Val> onAccept(final long epoch, final long round, final long nodeId, final Val value)
            {
                return acceptor.onAccept(epoch, round, nodeId, value);
            }
        };
    }

    /** A proposed value; a copy crosses every message, as an encoded value would, so equality is by content. */
    record Val(int proposer, int attempt)
    {
        Val copy()
        {
            return new Val(proposer, attempt);
        }
    }

    /** The acceptor under test: the real one, or a broken double that shows the checkers can fail. */
    interface Acceptor
    {
        void reset(long nextEpoch, long oldestNodeId);

        AcceptorReply<Val> onPrepare(long epoch, long round, long nodeId);

        AcceptorReply<Val> onAccept(long epoch, long round, long nodeId, Val value);
    }

    /** Broken on purpose: promises and accepts every ballot, also below a ballot it promised before. */
    static final class PromisesTwiceAcceptor implements Acceptor
    {
        private final AcceptorReply<Val> reply = new AcceptorReply<>();
        private long acceptedRound = Ballot.NO_ROUND;
        private long acceptedNodeId;
        private Val acceptedValue;

        public void reset(final long nextEpoch, final long oldestNodeId)
        {
            acceptedRound = Ballot.NO_ROUND;
            acceptedValue = null;
        }

        public AcceptorReply<Val> onPrepare(final long epoch, final long round, final long nodeId)
        {
            reply.set(true, true, round, nodeId, acceptedRound, acceptedNodeId, acceptedValue);
            return reply;
        }

        public AcceptorReply<Val> onAccept(final long epoch, final long round, final long nodeId, final Val value)
        {
            acceptedRound = round;
            acceptedNodeId = nodeId;
            acceptedValue = value;
            reply.set(true, true, round, nodeId, round, nodeId, value);
            return reply;
        }
    }

    /** Broken on purpose: after its first PREPARE it refuses everything, so no round can ever gather a quorum. */
    static final class MuteAfterPrepareAcceptor implements Acceptor
    {
        private final ViewAcceptor<Val> acceptor = new ViewAcceptor<>();
        private boolean mute;

        public void reset(final long nextEpoch, final long oldestNodeId)
        {
            acceptor.reset(nextEpoch, oldestNodeId);
        }

        public AcceptorReply<Val> onPrepare(final long epoch, final long round, final long nodeId)
        {
            final AcceptorReply<Val> reply = acceptor.onPrepare(epoch, mute ? Ballot.NO_ROUND : round, nodeId);
            mute = true;
            return reply;
        }

        public AcceptorReply<Val> onAccept(final long epoch, final long round, final long nodeId, final Val value)
        {
            return acceptor.onAccept(epoch, mute ? Ballot.NO_ROUND : round, nodeId, value);
        }
    }

    /** What one schedule did, for the totals and for the replay check. */
    static final class Outcome
    {
        long seed;
        int acceptors;
        int proposers;
        boolean live;
        int survivors;
        long survivorTimeoutNs;
        boolean chosen;
        long gstNs;
        long drainedAtNs;
        long learnedAtNs = -1;
        int roundsAfterDrain;
        int messages;
        int acceptedChecks;
        int chosenChecks;
        Val value;

        public String toString()
        {
            return "seed=" + seed + " n=" + acceptors + " proposers=" + proposers + " live=" + live +
                " survivors=" + survivors + " chosen=" + chosen + " value=" + value + " gst=" + gstNs +
                " drainedAt=" + drainedAtNs + " learnedAt=" + learnedAtNs + " roundsAfterDrain=" + roundsAfterDrain +
                " messages=" + messages;
        }
    }

    /** Sums over schedules: a run whose checkers checked (almost) nothing fails instead of passing. */
    static final class Totals
    {
        int schedules;
        int live;
        int chosen;
        int acceptedChecks;
        int chosenChecks;
        long messages;
        int learnedAfterGst;
        long maxLearnDelayNs;
        int maxRoundsAfterDrain;
        final int[] byAcceptors = new int[8];
        final int[] byProposers = new int[4];

        void add(final Outcome outcome)
        {
            schedules++;
            live += outcome.live ? 1 : 0;
            chosen += outcome.chosen ? 1 : 0;
            acceptedChecks += outcome.acceptedChecks;
            chosenChecks += outcome.chosenChecks;
            messages += outcome.messages;
            byAcceptors[outcome.acceptors]++;
            byProposers[outcome.proposers]++;
            if (outcome.live)
            {
                learnedAfterGst += outcome.learnedAtNs >= outcome.gstNs ? 1 : 0;
                maxLearnDelayNs = Math.max(maxLearnDelayNs, outcome.learnedAtNs - outcome.gstNs);
                maxRoundsAfterDrain = Math.max(maxRoundsAfterDrain, outcome.roundsAfterDrain);
            }
        }

        void assertChecked(final int expectedSchedules)
        {
            assertEquals(expectedSchedules, schedules, toString());
            assertTrue(live > schedules / 2, "too few live schedules: " + this);
            assertTrue(chosen > schedules / 2, "too few schedules chose a value: " + this);
            assertTrue(chosenChecks >= live, "every live schedule checks a learned value: " + this);
            assertTrue(acceptedChecks > chosenChecks, this.toString());
            assertTrue(learnedAfterGst > schedules / 10, "too few live schedules left to decide after GST: " + this);
            for (int n = 1; n <= 7; n++)
            {
                assertTrue(byAcceptors[n] > schedules / 20, "too few schedules of " + n + " acceptors: " + this);
            }
            for (int k = 1; k <= 3; k++)
            {
                assertTrue(byProposers[k] > schedules / 20, "too few schedules of " + k + " proposers: " + this);
            }
        }

        public String toString()
        {
            return schedules + " schedules (" + live + " live, " + chosen + " chose a value), " + messages +
                " messages, " + acceptedChecks + " accepts and " + chosenChecks + " decisions checked; " +
                learnedAfterGst + " live schedules decided after GST, the slowest " + maxLearnDelayNs +
                " ns after GST; at most " + maxRoundsAfterDrain + " rounds started after the drain";
        }
    }

    /** One message, tick, proposal or crash in flight, ordered by time then by a random tie-break. */
    static final class Event implements Comparable<Event>
    {
        static final int PREPARE = 1;
        static final int ACCEPT = 2;
        static final int PROMISE = 3;
        static final int ACCEPTED = 4;
        static final int TICK = 5;
        static final int PROPOSE = 6;
        static final int CRASH = 7;

        long timeNs;
        long order;
        int kind;
        int from;
        int to;
        long round;
        long nodeId;
        boolean ok;
        long promisedRound;
        long promisedNodeId;
        long acceptedRound;
        long acceptedNodeId;
        Val value;
        long elapsedNs;

        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return 0 != byTime ? byTime : Long.compare(order, other.order);
        }

        Event copy()
        {
            final Event copy = new Event();
            copy.kind = kind;
            copy.from = from;
            copy.to = to;
            copy.round = round;
            copy.nodeId = nodeId;
            copy.ok = ok;
            copy.promisedRound = promisedRound;
            copy.promisedNodeId = promisedNodeId;
            copy.acceptedRound = acceptedRound;
            copy.acceptedNodeId = acceptedNodeId;
            copy.value = null == value ? null : value.copy();
            copy.elapsedNs = elapsedNs;
            return copy;
        }
    }

    record BallotKey(long round, long nodeId)
    {
    }

    /** One seeded schedule: nodes (each an acceptor, some also proposers), a fault-injecting bus, two checkers. */
    static final class Simulation
    {
        private final SplittableRandom random;
        private final Outcome outcome = new Outcome();
        private final PriorityQueue<Event> queue = new PriorityQueue<>();
        private final int n;
        private final long[] ids;
        private final long oldest;
        private final Acceptor[] acceptors;
        private final boolean[] crashed;
        private final boolean[] willCrash;
        private final int[] proposerNode;
        private final long[] proposerTimeoutNs;
        private final List<ViewProposer<Val>> proposers = new ArrayList<>();
        private final int[] attempts;
        private final int[] acceptsBeforeCrash;
        private final ViewProposer.QuorumRule quorum;
        private final long gstNs;
        private final double[] nodeLoss;
        private final double duplication;
        private final int chaosMaxDelay;
        private final Map<BallotKey, Val> valueByBallot = new HashMap<>();
        private final Map<BallotKey, LongHashSet> acceptedBy = new HashMap<>();
        private final Map<BallotKey, Long> minElapsedDelivered = new HashMap<>();
        private final LongHashSet quorumProbe = new LongHashSet();
        private long nowNs;
        private Val chosenValue;
        private BallotKey chosenBallot;

        Simulation(final long seed, final Supplier<Acceptor> acceptorFactory)
        {
            random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
            outcome.seed = seed;
            n = 1 + random.nextInt(7);
            ids = distinctIds(n);
            oldest = ids[random.nextInt(n)];
            acceptors = new Acceptor[n];
            crashed = new boolean[n];
            willCrash = new boolean[n];
            for (int i = 0; i < n; i++)
            {
                acceptors[i] = acceptorFactory.get();
                acceptors[i].reset(EPOCH, oldest);
            }
            final boolean tieBreakByOldest = random.nextBoolean();
            quorum = (set) -> 2 * set.size() > n || (tieBreakByOldest && 2 * set.size() == n && set.contains(oldest));

            final int proposerCount = 1 + random.nextInt(Math.min(3, n));
            proposerNode = pickProposers(proposerCount);
            proposerTimeoutNs = new long[proposerCount];
            attempts = new int[proposerCount];
            acceptsBeforeCrash = new int[proposerCount];
            outcome.acceptors = n;
            outcome.proposers = proposerCount;

            // Before GST each node loses its own share of what it sends and receives: some nodes are cut off.
            final int[] losses = { 0, 0, 10, 30, 60, 90, 100 };
            final boolean perNode = random.nextBoolean();
            final double sharedLoss = losses[random.nextInt(losses.length)] / 100.0;
            nodeLoss = new double[n];
            for (int i = 0; i < n; i++)
            {
                nodeLoss[i] = perNode ? losses[random.nextInt(losses.length)] / 100.0 : sharedLoss;
            }
            duplication = random.nextInt(3) * 0.15;
            chaosMaxDelay = random.nextBoolean() ? CHAOS_MAX_DELAY : 1 + random.nextInt(CHAOS_MAX_DELAY);
            gstNs = random.nextInt(3_000);
            outcome.gstNs = gstNs;
            outcome.drainedAtNs = gstNs + CHAOS_MAX_DELAY;

            for (int p = 0; p < proposerCount; p++)
            {
                // Staggered timeouts, as the coordinator rule of plan 3.3 staggers who starts phase 1: with equal
                // timeouts two proposers can pre-empt each other forever, and no Paxos promises progress then.
                proposerTimeoutNs[p] = ROUND_TIMEOUT * (1 + p);
                final int self = p;
                final ViewProposer<Val> proposer = new ViewProposer<>(
                    ids[proposerNode[p]], quorum, new SimulatedBus(self), proposerTimeoutNs[p], RESEND_INTERVAL);
                proposer.reset(EPOCH, ids.clone(), oldest);
                proposers.add(proposer);
                schedule(random.nextInt((int)gstNs + 1), Event.PROPOSE, p);
                if (random.nextInt(4) == 0)
                {
                    schedule(random.nextInt((int)gstNs + 1), Event.PROPOSE, p);
                }
                schedule(random.nextInt(TICK_INTERVAL), Event.TICK, p);
            }
            planCrashes();
        }

        Outcome run()
        {
            final long endNs = outcome.drainedAtNs + (1 == outcome.survivors ?
                SINGLE_SURVIVOR_TIMEOUTS * outcome.survivorTimeoutNs :
                LIVENESS_TIMEOUTS * ROUND_TIMEOUT * proposers.size());
            while (!queue.isEmpty())
            {
                final Event event = queue.poll();
                nowNs = event.timeNs;
                if (nowNs > endNs)
                {
                    break;
                }
                handle(event);
            }
            outcome.chosen = null != chosenValue;
            outcome.value = chosenValue;
            if (outcome.live && outcome.learnedAtNs < 0)
            {
                throw new AssertionError("nothing chosen by " + endNs + " ns: " + outcome);
            }
            if (1 == outcome.survivors && outcome.roundsAfterDrain > SINGLE_SURVIVOR_ROUNDS)
            {
                throw new AssertionError("a lone survivor needed " + outcome.roundsAfterDrain +
                    " rounds after the drain: " + outcome);
            }
            return outcome;
        }

        private void handle(final Event event)
        {
            switch (event.kind)
            {
                case Event.PREPARE, Event.ACCEPT -> deliverToAcceptor(event);
                case Event.PROMISE, Event.ACCEPTED -> deliverToProposer(event);
                case Event.TICK -> tick(event.to);
                case Event.PROPOSE -> propose(event.to);
                case Event.CRASH -> crashed[event.to] = true;
                default -> throw new IllegalStateException("kind=" + event.kind);
            }
        }

        private void deliverToAcceptor(final Event request)
        {
            final int index = request.to;
            if (crashed[index])
            {
                return;
            }
            final Acceptor acceptor = acceptors[index];
            final Event answer = new Event();
            answer.from = index;
            answer.to = request.from;
            if (Event.PREPARE == request.kind)
            {
                final AcceptorReply<Val> reply = acceptor.onPrepare(EPOCH, request.round, request.nodeId);
                answer.kind = Event.PROMISE;
                answer.acceptedRound = reply.acceptedRound();
                answer.acceptedNodeId = reply.acceptedNodeId();
                answer.value = null == reply.acceptedValue() ? null : reply.acceptedValue().copy();
                copyPromise(reply, answer);
            }
            else
            {
                final AcceptorReply<Val> reply = acceptor.onAccept(EPOCH, request.round, request.nodeId, request.value);
                answer.kind = Event.ACCEPTED;
                answer.elapsedNs = elapsedReport(index, request.round);
                copyPromise(reply, answer);
                if (reply.ok())
                {
                    checkAccepted(index, request.round, request.nodeId, request.value);
                }
            }
            send(answer);
        }

        private void deliverToProposer(final Event answer)
        {
            final int p = answer.to;
            if (crashed[proposerNode[p]])
            {
                return;
            }
            final ViewProposer<Val> proposer = proposers.get(p);
            final long from = ids[answer.from];
            if (Event.PROMISE == answer.kind)
            {
                proposer.onPromise(from, EPOCH, answer.ok, answer.promisedRound, answer.promisedNodeId,
                    answer.acceptedRound, answer.acceptedNodeId, answer.value);
            }
            else
            {
                if (answer.ok && !proposer.isChosen())
                {
                    minElapsedDelivered.merge(
                        new BallotKey(answer.promisedRound, answer.promisedNodeId), answer.elapsedNs, Math::min);
                }
                proposer.onAccepted(from, EPOCH, answer.ok, answer.promisedRound, answer.promisedNodeId,
                    answer.elapsedNs);
            }
        }

        private void tick(final int p)
        {
            final ViewProposer<Val> proposer = proposers.get(p);
            if (crashed[proposerNode[p]] || proposer.isChosen())
            {
                return;
            }
            final int roundsBefore = proposer.roundsStarted();
            proposer.tick(nowNs);
            if (nowNs >= outcome.drainedAtNs && outcome.learnedAtNs < 0)
            {
                outcome.roundsAfterDrain += proposer.roundsStarted() - roundsBefore;
            }
            schedule(nowNs + TICK_INTERVAL / 2 + random.nextInt(TICK_INTERVAL / 2 + 1), Event.TICK, p);
        }

        private void propose(final int p)
        {
            if (!crashed[proposerNode[p]])
            {
                proposers.get(p).propose(new Val(p, ++attempts[p]), nowNs);
            }
        }

        private void send(final Event message)
        {
            final boolean calm = nowNs >= gstNs;
            final boolean request = Event.PREPARE == message.kind || Event.ACCEPT == message.kind;
            final int proposerNodeIndex = proposerNode[request ? message.from : message.to];
            final int acceptorNodeIndex = request ? message.to : message.from;
            if (!calm && (random.nextDouble() < nodeLoss[proposerNodeIndex] ||
                random.nextDouble() < nodeLoss[acceptorNodeIndex]))
            {
                return;
            }
            enqueue(message, calm);
            if (random.nextDouble() < duplication)
            {
                enqueue(message.copy(), calm);
            }
        }

        private void enqueue(final Event message, final boolean calm)
        {
            message.timeNs = nowNs + random.nextInt(1 + (calm ? CALM_MAX_DELAY : chaosMaxDelay));
            message.order = random.nextLong();
            outcome.messages++;
            queue.add(message);
        }

        private void schedule(final long timeNs, final int kind, final int to)
        {
            final Event event = new Event();
            event.timeNs = timeNs;
            event.order = random.nextLong();
            event.kind = kind;
            event.to = to;
            queue.add(event);
        }

        private void checkAccepted(final int acceptor, final long round, final long nodeId, final Val value)
        {
            outcome.acceptedChecks++;
            final BallotKey ballot = new BallotKey(round, nodeId);
            final Val earlier = valueByBallot.putIfAbsent(ballot, value);
            if (null != earlier && !earlier.equals(value))
            {
                throw new AssertionError("two values under ballot " + Ballot.toString(round, nodeId) + ": " +
                    earlier + " and " + value + ", " + outcome);
            }
            final LongHashSet accepted = acceptedBy.computeIfAbsent(ballot, (b) -> new LongHashSet());
            if (accepted.add(ids[acceptor]) && quorum.isQuorum(accepted))
            {
                if (null == chosenValue)
                {
                    chosenValue = value;
                    chosenBallot = ballot;
                }
                else if (!chosenValue.equals(value))
                {
                    throw new AssertionError("two values chosen: " + chosenValue + " under " +
                        Ballot.toString(chosenBallot.round(), chosenBallot.nodeId()) + " and " + value + " under " +
                        Ballot.toString(round, nodeId) + ", " + outcome);
                }
            }
        }

        private void checkLearned(final int p, final long epoch, final Val value, final long round, final long nodeId)
        {
            outcome.chosenChecks++;
            final BallotKey ballot = new BallotKey(round, nodeId);
            final LongHashSet accepted = acceptedBy.get(ballot);
            if (EPOCH != epoch || nodeId != ids[proposerNode[p]] || null == accepted ||
                !quorum.isQuorum(accepted) || !value.equals(valueByBallot.get(ballot)))
            {
                throw new AssertionError("proposer " + p + " learned " + value + " under " +
                    Ballot.toString(round, nodeId) + " in epoch " + epoch + ", which no quorum accepted, " + outcome);
            }
            if (!value.equals(chosenValue))
            {
                throw new AssertionError("two values chosen: " + chosenValue + " and learned " + value + ", " +
                    outcome);
            }
            final long expectedMin = minElapsedDelivered.get(ballot);
            if (proposers.get(p).minElapsedNs() != expectedMin)
            {
                throw new AssertionError("minElapsedNs=" + proposers.get(p).minElapsedNs() + " expected " +
                    expectedMin + ", " + outcome);
            }
            if (!crashed[proposerNode[p]] && outcome.learnedAtNs < 0 && survives(p))
            {
                outcome.learnedAtNs = nowNs;
            }
        }

        private boolean survives(final int p)
        {
            return outcome.live && !willCrash[proposerNode[p]];
        }

        private void planCrashes()
        {
            final int[] crashPercent = { 0, 0, 20, 50 };
            final int percent = crashPercent[random.nextInt(crashPercent.length)];
            for (int i = 0; i < n; i++)
            {
                willCrash[i] = random.nextInt(100) < percent;
            }
            outcome.live = random.nextInt(10) < 7;
            if (outcome.live)
            {
                // A quorum of acceptors and at least one proposer stay alive.
                willCrash[proposerNode[random.nextInt(proposerNode.length)]] = false;
                while (!quorumAlive())
                {
                    willCrash[random.nextInt(n)] = false;
                }
                if (random.nextBoolean())
                {
                    // Sometimes only one proposer survives, as the brief's liveness condition reads.
                    int survivor = -1;
                    for (int p = 0; p < proposerNode.length; p++)
                    {
                        if (!willCrash[proposerNode[p]] && survivor < 0)
                        {
                            survivor = p;
                        }
                        else if (!willCrash[proposerNode[p]] && quorumAliveWithout(proposerNode[p]))
                        {
                            willCrash[proposerNode[p]] = true;
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++)
            {
                if (willCrash[i])
                {
                    schedule(random.nextInt((int)gstNs + 1), Event.CRASH, i);
                }
            }
            for (int p = 0; outcome.live && p < proposerNode.length; p++)
            {
                if (!willCrash[proposerNode[p]])
                {
                    outcome.survivors++;
                    outcome.survivorTimeoutNs = proposerTimeoutNs[p];
                }
            }
            for (int p = 0; p < proposerNode.length; p++)
            {
                // A planned crash may instead strike in the middle of an ACCEPT broadcast, after this many sends.
                final boolean midAccept = willCrash[proposerNode[p]] && random.nextBoolean();
                acceptsBeforeCrash[p] = midAccept ? 1 + random.nextInt(2 * n) : -1;
            }
        }

        private boolean quorumAlive()
        {
            quorumProbe.clear();
            for (int i = 0; i < n; i++)
            {
                if (!willCrash[i])
                {
                    quorumProbe.add(ids[i]);
                }
            }
            return quorum.isQuorum(quorumProbe);
        }

        private boolean quorumAliveWithout(final int node)
        {
            willCrash[node] = true;
            final boolean alive = quorumAlive();
            willCrash[node] = false;
            return alive;
        }

        private int[] pickProposers(final int count)
        {
            final int[] nodes = new int[count];
            final boolean oldestProposes = random.nextBoolean();
            int chosen = 0;
            if (oldestProposes)
            {
                for (int i = 0; i < n; i++)
                {
                    if (ids[i] == oldest)
                    {
                        nodes[chosen++] = i;
                    }
                }
            }
            while (chosen < count)
            {
                final int candidate = random.nextInt(n);
                boolean taken = false;
                for (int j = 0; j < chosen; j++)
                {
                    taken |= nodes[j] == candidate;
                }
                if (!taken)
                {
                    nodes[chosen++] = candidate;
                }
            }
            return nodes;
        }

        private long[] distinctIds(final int count)
        {
            final long[] result = new long[count];
            final LongHashSet seen = new LongHashSet();
            for (int i = 0; i < count; i++)
            {
                long id;
                do
                {
                    // Small ids, and ids with the top bit set, so the unsigned order of node ids matters.
                    id = random.nextBoolean() ? random.nextInt(16) : random.nextLong();
                }
                while (!seen.add(id));
                result[i] = id;
            }
            return result;
        }

        private static long elapsedReport(final int acceptor, final long round)
        {
            return 1_000L * (acceptor + 1) + round;
        }

        private static void copyPromise(final AcceptorReply<Val> reply, final Event answer)
        {
            answer.ok = reply.ok();
            answer.promisedRound = reply.promisedRound();
            answer.promisedNodeId = reply.promisedNodeId();
        }

        /** The bus of proposer {@code p}: requests become events; a planned crash may cut an ACCEPT broadcast. */
        final class SimulatedBus implements ViewProposer.Bus<Val>
        {
            private final int p;

            SimulatedBus(final int p)
            {
                this.p = p;
            }

            public void sendPrepare(final long to, final long epoch, final long round, final long nodeId)
            {
                request(Event.PREPARE, to, epoch, round, nodeId, null);
            }

            public void sendAccept(
                final long to, final long epoch, final long round, final long nodeId, final Val value)
            {
                request(Event.ACCEPT, to, epoch, round, nodeId, value.copy());
                if (acceptsBeforeCrash[p] > 0 && --acceptsBeforeCrash[p] == 0)
                {
                    crashed[proposerNode[p]] = true;
                }
            }

            public void onChosen(final long epoch, final Val value, final long round, final long nodeId)
            {
                checkLearned(p, epoch, value, round, nodeId);
            }

            private void request(
                final int kind, final long to, final long epoch, final long round, final long nodeId, final Val value)
            {
                if (crashed[proposerNode[p]])
                {
                    return;
                }
                assertEquals(EPOCH, epoch);
                final Event message = new Event();
                message.kind = kind;
                message.from = p;
                message.to = indexOf(to);
                message.round = round;
                message.nodeId = nodeId;
                message.value = value;
                send(message);
            }

            private int indexOf(final long id)
            {
                for (int i = 0; i < n; i++)
                {
                    if (ids[i] == id)
                    {
                        return i;
                    }
                }
                throw new AssertionError("request to a non-member " + id + ", " + outcome);
            }
        }
    }
}
