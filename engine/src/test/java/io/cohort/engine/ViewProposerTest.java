package io.cohort.engine;

import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewProposerTest
{
    private static final long EPOCH = 5;
    private static final long A = 0x0A;
    private static final long B = 0x0B;
    private static final long C = 0x0C;
    private static final long D = 0x0D;
    private static final long E = 0x0E;
    private static final long[] FIVE = { A, B, C, D, E };
    private static final long TIMEOUT_NS = 1_000;
    private static final long RESEND_NS = 200;

    private final RecordingBus bus = new RecordingBus();
    private final ViewProposer.QuorumRule majorityOfFive = (ids) -> 2 * ids.size() > FIVE.length;

    @Test
    void shouldChooseRoundZeroOfTheOldestInOneRoundTrip()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);

        assertTrue(bus.prepares.isEmpty(), "the oldest's round 0 skips phase 1");
        assertEquals(5, bus.accepts.size());
        for (final Sent sent : bus.accepts)
        {
            assertEquals(EPOCH, sent.epoch);
            assertEquals(0, sent.round);
            assertEquals(A, sent.nodeId);
            assertEquals("v", sent.value);
        }
        proposer.onAccepted(A, EPOCH, true, 0, A, 700);
        proposer.onAccepted(C, EPOCH, true, 0, A, 300);
        assertFalse(proposer.isChosen());
        proposer.onAccepted(E, EPOCH, true, 0, A, 900);

        assertTrue(proposer.isChosen());
        assertEquals(List.of(new Chosen(EPOCH, "v", 0, A)), bus.chosen);
        assertEquals(300, proposer.minElapsedNs(), "minimum over the quorum that chose");
        assertEquals(1, proposer.roundsStarted());
    }

    @Test
    void shouldRunPhaseOneAboveRoundZeroWhenNotTheOldest()
    {
        final ViewProposer<String> proposer = proposer(B);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);

        assertTrue(bus.accepts.isEmpty());
        assertEquals(5, bus.prepares.size());
        assertEquals(1, bus.prepares.get(0).round, "round 0 belongs to the oldest");
        assertEquals(B, bus.prepares.get(0).nodeId);

        promise(proposer, A, 1, B, Ballot.NO_ROUND, 0, null);
        promise(proposer, C, 1, B, Ballot.NO_ROUND, 0, null);
        assertTrue(bus.accepts.isEmpty());
        promise(proposer, D, 1, B, Ballot.NO_ROUND, 0, null);
        assertEquals(5, bus.accepts.size());
        assertEquals("v", bus.accepts.get(0).value, "no promise carried an accepted value: its own");
        assertEquals(1, bus.accepts.get(0).round);

        proposer.onAccepted(A, EPOCH, true, 1, B, Long.MAX_VALUE);
        proposer.onAccepted(B, EPOCH, true, 1, B, Long.MAX_VALUE);
        proposer.onAccepted(C, EPOCH, true, 1, B, Long.MAX_VALUE);
        assertEquals(List.of(new Chosen(EPOCH, "v", 1, B)), bus.chosen);
        assertEquals(Long.MAX_VALUE, proposer.minElapsedNs(), "no acceptor reported a removed member");
    }

    @Test
    void shouldAdoptTheValueOfTheHighestAcceptedBallotAmongThePromises()
    {
        final ViewProposer<String> proposer = proposer(C);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("mine", 0);

        promise(proposer, A, 1, C, 0, A, "oldest's");
        promise(proposer, B, 1, C, Ballot.NO_ROUND, 0, null);
        promise(proposer, D, 1, C, 0, E, "a higher ballot of round 0");
        assertEquals(5, bus.accepts.size());
        assertEquals("a higher ballot of round 0", bus.accepts.get(0).value);
    }

    @Test
    void shouldMakeALaterProposerAdoptAValueTheOldestGotAccepted()
    {
        final List<ViewAcceptor<String>> acceptors = acceptors(FIVE, A);
        final ViewProposer<String> oldest = proposer(A);
        oldest.reset(EPOCH, FIVE, A);
        oldest.propose("oldest's", 0);
        // The oldest crashes after its accept reached only C, which accepted it.
        final Sent toC = bus.accepts.stream().filter(s -> s.to == C).findFirst().orElseThrow();
        assertTrue(acceptors.get(2).onAccept(toC.epoch, toC.round, toC.nodeId, toC.value).ok());
        bus.clear();

        final ViewProposer<String> later = proposer(D);
        later.reset(EPOCH, FIVE, A);
        later.propose("later's", 0);
        for (final int i : new int[]{ 1, 2, 4 })
        {
            final AcceptorReply<String> reply = acceptors.get(i).onPrepare(EPOCH, 1, D);
            later.onPromise(FIVE[i], EPOCH, reply.ok(), reply.promisedRound(), reply.promisedNodeId(),
                reply.acceptedRound(), reply.acceptedNodeId(), reply.acceptedValue());
        }
        assertEquals(5, bus.accepts.size());
        assertEquals("oldest's", bus.accepts.get(0).value, "C's promise reported the accepted value");
        for (final int i : new int[]{ 1, 2, 4 })
        {
            final AcceptorReply<String> reply = acceptors.get(i).onAccept(EPOCH, 1, D, bus.accepts.get(0).value);
            later.onAccepted(FIVE[i], EPOCH, reply.ok(), reply.promisedRound(), reply.promisedNodeId(), 0);
        }
        assertEquals(List.of(new Chosen(EPOCH, "oldest's", 1, D)), bus.chosen);
    }

    @Test
    void shouldIgnoreAnswersOfOtherEpochsOlderBallotsAndStrangers()
    {
        final ViewProposer<String> proposer = proposer(B);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        proposer.tick(TIMEOUT_NS);
        assertEquals(2, proposer.round());
        bus.clear();

        promise(proposer, A, 1, B, Ballot.NO_ROUND, 0, null);
        promise(proposer, C, 1, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(D, EPOCH + 1, true, 2, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(D, EPOCH - 1, true, 2, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(0x77, EPOCH, true, 2, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(0x78, EPOCH, true, 2, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(0x79, EPOCH, true, 2, B, Ballot.NO_ROUND, 0, null);
        proposer.onAccepted(D, EPOCH, true, 2, B, 0);
        assertTrue(bus.accepts.isEmpty(), "answers of round 1, other epochs and non-members make no quorum");

        promise(proposer, A, 2, B, Ballot.NO_ROUND, 0, null);
        promise(proposer, C, 2, B, Ballot.NO_ROUND, 0, null);
        promise(proposer, D, 2, B, Ballot.NO_ROUND, 0, null);
        assertEquals(5, bus.accepts.size());
    }

    @Test
    void shouldCountDuplicateAnswersOnce()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        for (int i = 0; i < 3; i++)
        {
            proposer.onAccepted(B, EPOCH, true, 0, A, 5);
            proposer.onAccepted(C, EPOCH, true, 0, A, 5);
        }
        assertFalse(proposer.isChosen());
        proposer.onAccepted(D, EPOCH, true, 0, A, 5);
        proposer.onAccepted(D, EPOCH, true, 0, A, 5);
        proposer.onAccepted(E, EPOCH, true, 0, A, 5);
        assertEquals(1, bus.chosen.size(), "chosen once, whatever arrives after");
    }

    @Test
    void shouldRaiseTheNextRoundPastARefusalAtTheTimeout()
    {
        final ViewProposer<String> proposer = proposer(B);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        proposer.onPromise(A, EPOCH, false, 7, E, Ballot.NO_ROUND, 0, null);
        assertEquals(7, proposer.maxRoundSeen());
        bus.clear();

        proposer.tick(TIMEOUT_NS - 1);
        assertTrue(bus.prepares.stream().noneMatch(s -> s.round != 1), "a refusal does not restart at once");
        proposer.tick(TIMEOUT_NS);
        assertEquals(8, proposer.round());
        assertEquals(5, bus.prepares.stream().filter(s -> s.round == 8).count());
        assertEquals(2, proposer.roundsStarted());
    }

    @Test
    void shouldRaiseTheNextRoundPastARefusedAccept()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        proposer.onAccepted(C, EPOCH, false, 3, B, 0);
        proposer.tick(TIMEOUT_NS);
        assertEquals(4, proposer.round());
        assertEquals(A, bus.prepares.get(0).nodeId);
        assertEquals(4, bus.prepares.get(0).round, "the oldest's later rounds run phase 1");
    }

    @Test
    void shouldResendOnlyToAcceptorsThatHaveNotAnswered()
    {
        final ViewProposer<String> proposer = proposer(B);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 100);
        promise(proposer, A, 1, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(C, EPOCH, false, 3, E, Ballot.NO_ROUND, 0, null);
        bus.clear();

        proposer.tick(100 + RESEND_NS - 1);
        assertTrue(bus.prepares.isEmpty());
        proposer.tick(100 + RESEND_NS);
        assertEquals(List.of(B, D, E), bus.prepares.stream().map(s -> s.to).toList());
        assertTrue(bus.prepares.stream().allMatch(s -> s.round == 1), "a resend keeps the ballot");

        promise(proposer, B, 1, B, Ballot.NO_ROUND, 0, null);
        promise(proposer, D, 1, B, Ballot.NO_ROUND, 0, null);
        bus.clear();
        proposer.onAccepted(E, EPOCH, true, 1, B, 0);
        proposer.tick(100 + 2 * RESEND_NS);
        assertEquals(List.of(A, B, C, D), bus.accepts.stream().map(s -> s.to).toList());
    }

    @Test
    void shouldRestartWithAHigherRoundWhenARoundIsNotChosenInTime()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        proposer.onAccepted(B, EPOCH, true, 0, A, 0);
        proposer.onAccepted(C, EPOCH, true, 0, A, 0);
        proposer.tick(TIMEOUT_NS);
        assertEquals(1, proposer.round());
        assertTrue(proposer.isActive());

        proposer.onAccepted(D, EPOCH, true, 0, A, 0);
        assertFalse(proposer.isChosen(), "answers to the abandoned round 0 are stale");
        proposer.tick(2 * TIMEOUT_NS);
        assertEquals(2, proposer.round());
    }

    @Test
    void shouldNeverUseRoundZeroTwiceInAnEpoch()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("first", 0);
        bus.clear();
        proposer.propose("second", 10);
        assertTrue(bus.accepts.isEmpty());
        assertEquals(5, bus.prepares.size());
        assertEquals(1, proposer.round());

        proposer.reset(EPOCH + 1, FIVE, A);
        bus.clear();
        proposer.propose("next epoch", 20);
        assertEquals(0, proposer.round(), "a new epoch gives the oldest round 0 again");
        assertEquals(EPOCH + 1, bus.accepts.get(0).epoch);
    }

    @Test
    void shouldNotReuseRoundZeroAfterAResetToTheSameEpoch()
    {
        final ViewProposer<String> proposer = proposer(A);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("first", 0);
        proposer.reset(EPOCH, FIVE, A);
        bus.clear();
        proposer.propose("second", 10);
        assertTrue(bus.accepts.isEmpty(), "a second value under ballot (0, oldest) could be chosen beside the first");
        assertEquals(1, proposer.round());
        assertThrows(IllegalArgumentException.class, () -> proposer.reset(EPOCH - 1, FIVE, A));
    }

    @Test
    void shouldNotRestartARoundInProgressForAnEqualValue()
    {
        final ViewProposer<String> proposer = proposer(B);
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);
        proposer.propose(new String("v"), 10);
        assertEquals(1, proposer.round(), "equal by equals, not by identity");
        assertEquals(5, bus.prepares.size());
        proposer.propose("w", 20);
        assertEquals(2, proposer.round(), "a different value starts a new round");
    }

    @Test
    void shouldDoNothingMoreOnceChosen()
    {
        final ViewProposer<String> proposer = new ViewProposer<>(A, (ids) -> 2 * ids.size() > 1, bus, TIMEOUT_NS);
        proposer.reset(EPOCH, new long[]{ A }, A);
        proposer.propose("alone", 0);
        proposer.onAccepted(A, EPOCH, true, 0, A, 42);
        assertEquals(List.of(new Chosen(EPOCH, "alone", 0, A)), bus.chosen);
        bus.clear();

        proposer.tick(10 * TIMEOUT_NS);
        proposer.propose("again", 10 * TIMEOUT_NS);
        proposer.onAccepted(A, EPOCH, true, 0, A, 0);
        assertTrue(bus.prepares.isEmpty() && bus.accepts.isEmpty() && bus.chosen.isEmpty());
        assertEquals("alone", proposer.value());
        assertEquals(42, proposer.minElapsedNs());
    }

    @Test
    void shouldChooseThroughABusThatAnswersInsideTheSend()
    {
        final List<ViewAcceptor<String>> acceptors = acceptors(FIVE, A);
        final ViewProposer<String>[] holder = newHolder();
        final SynchronousBus sync = new SynchronousBus(acceptors, holder);
        final ViewProposer<String> proposer = new ViewProposer<>(C, majorityOfFive, sync, TIMEOUT_NS, RESEND_NS);
        holder[0] = proposer;
        proposer.reset(EPOCH, FIVE, A);
        proposer.propose("v", 0);

        assertTrue(proposer.isChosen());
        assertEquals(List.of(new Chosen(EPOCH, "v", 1, C)), sync.chosen);
        assertEquals(3, sync.prepares, "the prepare broadcast stops once the quorum moved to phase 2");
        assertEquals(3, sync.accepts, "the accept broadcast stops once chosen");
    }

    @Test
    void shouldRefuseMisuse()
    {
        final ViewProposer<String> proposer = proposer(A);
        assertThrows(IllegalStateException.class, () -> proposer.propose("v", 0));
        assertThrows(IllegalArgumentException.class, () -> proposer.reset(0, FIVE, A));
        proposer.reset(EPOCH, FIVE, A);
        assertThrows(NullPointerException.class, () -> proposer.propose(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new ViewProposer<>(A, majorityOfFive, bus, 0));
    }

    @Test
    void shouldAllocateNothingOnAnswersAndTicks()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ViewProposer.Bus<String> silent = new ViewProposer.Bus<>()
        {
            public void sendPrepare(final long to, final long epoch, final long round, final long nodeId)
            {
            }

            public void sendAccept(final long to, final long epoch, final long round, final long nodeId, final String v)
            {
            }

            public void onChosen(final long epoch, final String value, final long round, final long nodeId)
            {
            }
        };
        final ViewProposer<String> proposer = new ViewProposer<>(B, majorityOfFive, silent, TIMEOUT_NS, RESEND_NS);
        for (int i = 0; i < 20_000; i++)
        {
            cycle(proposer, i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 20_000; i < 70_000; i++)
        {
            cycle(proposer, i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 50000 agreements");
    }

    private static void cycle(final ViewProposer<String> proposer, final int i)
    {
        proposer.reset(EPOCH + i, FIVE, A);
        final long epoch = EPOCH + i;
        proposer.propose("v", 0);
        proposer.onPromise(A, epoch, false, 3, E, Ballot.NO_ROUND, 0, null);
        proposer.tick(RESEND_NS);
        proposer.tick(TIMEOUT_NS);
        final long round = proposer.round();
        proposer.onPromise(A, epoch, true, round, B, 2, C, "w");
        proposer.onPromise(C, epoch, true, round, B, Ballot.NO_ROUND, 0, null);
        proposer.onPromise(D, epoch, true, round, B, Ballot.NO_ROUND, 0, null);
        proposer.tick(TIMEOUT_NS + RESEND_NS);
        proposer.onAccepted(A, epoch, true, round, B, 7);
        proposer.onAccepted(A, epoch, true, round, B, 7);
        proposer.onAccepted(C, epoch, true, round, B, 5);
        proposer.onAccepted(E, epoch, true, round, B, 9);
        if (!proposer.isChosen() || !"w".equals(proposer.value()) || 5 != proposer.minElapsedNs())
        {
            throw new AssertionError("cycle " + i + " did not choose w with min elapsed 5");
        }
    }

    private ViewProposer<String> proposer(final long self)
    {
        return new ViewProposer<>(self, majorityOfFive, bus, TIMEOUT_NS, RESEND_NS);
    }

    private static void promise(
        final ViewProposer<String> proposer,
        final long from,
        final long round,
        final long nodeId,
        final long acceptedRound,
        final long acceptedNodeId,
        final String acceptedValue)
    {
        proposer.onPromise(from, EPOCH, true, round, nodeId, acceptedRound, acceptedNodeId, acceptedValue);
    }

    private static List<ViewAcceptor<String>> acceptors(final long[] ids, final long oldest)
    {
        final List<ViewAcceptor<String>> acceptors = new ArrayList<>();
        for (int i = 0; i < ids.length; i++)
        {
            final ViewAcceptor<String> acceptor = new ViewAcceptor<>();
            acceptor.reset(EPOCH, oldest);
            acceptors.add(acceptor);
        }
        return acceptors;
    }

    @SuppressWarnings("unchecked")
    private static ViewProposer<String>[] newHolder()
    {
        return (ViewProposer<String>[])new ViewProposer[1];
    }

    record Sent(long to, long epoch, long round, long nodeId, String value)
    {
    }

    record Chosen(long epoch, String value, long round, long nodeId)
    {
    }

    /** Records what the proposer sends and decides. */
    static final class RecordingBus implements ViewProposer.Bus<String>
    {
        final List<Sent> prepares = new ArrayList<>();
        final List<Sent> accepts = new ArrayList<>();
        final List<Chosen> chosen = new ArrayList<>();

        public void sendPrepare(final long to, final long epoch, final long round, final long nodeId)
        {
            prepares.add(new Sent(to, epoch, round, nodeId, null));
        }

        public void sendAccept(final long to, final long epoch, final long round, final long nodeId, final String value)
        {
            accepts.add(new Sent(to, epoch, round, nodeId, value));
        }

        public void onChosen(final long epoch, final String value, final long round, final long nodeId)
        {
            chosen.add(new Chosen(epoch, value, round, nodeId));
        }

        void clear()
        {
            prepares.clear();
            accepts.clear();
            chosen.clear();
        }
    }

    /** Delivers each request to its acceptor and the answer back to the proposer inside the send call. */
    static final class SynchronousBus implements ViewProposer.Bus<String>
    {
        private final List<ViewAcceptor<String>> acceptors;
        private final ViewProposer<String>[] proposer;
        final List<Chosen> chosen = new ArrayList<>();
        int prepares;
        int accepts;

        SynchronousBus(final List<ViewAcceptor<String>> acceptors, final ViewProposer<String>[] proposer)
        {
            this.acceptors = acceptors;
            this.proposer = proposer;
        }

        public void sendPrepare(final long to, final long epoch, final long round, final long nodeId)
        {
            prepares++;
            final AcceptorReply<String> r = acceptor(to).onPrepare(epoch, round, nodeId);
            proposer[0].onPromise(to, epoch, r.ok(), r.promisedRound(), r.promisedNodeId(),
                r.acceptedRound(), r.acceptedNodeId(), r.acceptedValue());
        }

        public void sendAccept(final long to, final long epoch, final long round, final long nodeId, final String value)
        {
            accepts++;
            final AcceptorReply<String> r = acceptor(to).onAccept(epoch, round, nodeId, value);
            proposer[0].onAccepted(to, epoch, r.ok(), r.promisedRound(), r.promisedNodeId(), 0);
        }

        public void onChosen(final long epoch, final String value, final long round, final long nodeId)
        {
            chosen.add(new Chosen(epoch, value, round, nodeId));
        }

        private ViewAcceptor<String> acceptor(final long id)
        {
            for (int i = 0; i < FIVE.length; i++)
            {
                if (FIVE[i] == id)
                {
                    return acceptors.get(i);
                }
            }
            throw new IllegalArgumentException("no acceptor " + id);
        }
    }
}
