package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewAcceptorTest
{
    private static final long EPOCH = 8;
    private static final long OLDEST = 0x20;
    private static final long LOWER_ID = 0x10;
    private static final long HIGHER_ID = 0x30;

    private final ViewAcceptor<String> acceptor = new ViewAcceptor<>();

    @Test
    void shouldOrderBallotsByRoundThenUnsignedNodeId()
    {
        assertTrue(Ballot.compare(1, 5, 2, 1) < 0);
        assertTrue(Ballot.compare(2, 1, 1, 5) > 0);
        assertEquals(0, Ballot.compare(3, 7, 3, 7));
        assertTrue(Ballot.isHigher(1, -1L, 1, 5), "node id -1 is the highest unsigned id");
        assertTrue(Ballot.isHigher(1, Long.MIN_VALUE, 1, Long.MAX_VALUE));
        assertFalse(Ballot.isHigher(1, 5, 1, 5));
        assertTrue(Ballot.isHigherOrEqual(1, 5, 1, 5));
        assertTrue(Ballot.isHigher(0, 0, Ballot.NO_ROUND, -1L), "no ballot is below every real ballot");
        assertEquals("3/1f", Ballot.toString(3, 0x1f));
        assertEquals("none", Ballot.toString(Ballot.NO_ROUND, 0));
    }

    @Test
    void shouldRefuseEverythingBeforeTheFirstReset()
    {
        assertEquals(ViewAcceptor.NO_EPOCH, acceptor.nextEpoch());
        AcceptorReply<String> reply = acceptor.onPrepare(ViewAcceptor.NO_EPOCH, 5, HIGHER_ID);
        assertFalse(reply.ok());
        assertFalse(reply.epochMatched());
        reply = acceptor.onAccept(ViewAcceptor.NO_EPOCH, 5, HIGHER_ID, "v");
        assertFalse(reply.ok());
        assertFalse(acceptor.hasAccepted());
        assertThrows(IllegalArgumentException.class, () -> acceptor.reset(0, OLDEST));
    }

    @Test
    void shouldStartPromisedToTheOldestAtRoundZero()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertEquals(0, acceptor.promisedRound());
        assertEquals(OLDEST, acceptor.promisedNodeId());

        AcceptorReply<String> reply = acceptor.onAccept(EPOCH, 0, LOWER_ID, "lower");
        assertFalse(reply.ok(), "a round-0 ballot below the oldest's is under the implicit promise");
        assertEquals(0, reply.promisedRound());
        assertEquals(OLDEST, reply.promisedNodeId());
        assertFalse(acceptor.onPrepare(EPOCH, 0, LOWER_ID).ok());
        assertFalse(acceptor.onPrepare(EPOCH, Ballot.NO_ROUND, HIGHER_ID).ok());

        reply = acceptor.onAccept(EPOCH, 0, OLDEST, "oldest");
        assertTrue(reply.ok(), "the oldest's round 0 needs no phase 1");
        assertTrue(reply.epochMatched());
        assertEquals(0, reply.promisedRound());
        assertEquals(OLDEST, reply.promisedNodeId());
        assertEquals("oldest", acceptor.acceptedValue());
        assertEquals(0, acceptor.acceptedRound());
        assertEquals(OLDEST, acceptor.acceptedNodeId());
    }

    @Test
    void shouldPromiseAHigherBallotAndReportWhatWasAccepted()
    {
        acceptor.reset(EPOCH, OLDEST);
        AcceptorReply<String> reply = acceptor.onPrepare(EPOCH, 1, LOWER_ID);
        assertTrue(reply.ok());
        assertEquals(1, reply.promisedRound());
        assertEquals(LOWER_ID, reply.promisedNodeId());
        assertEquals(Ballot.NO_ROUND, reply.acceptedRound());
        assertNull(reply.acceptedValue());

        assertTrue(acceptor.onAccept(EPOCH, 1, LOWER_ID, "a").ok());
        reply = acceptor.onPrepare(EPOCH, 2, HIGHER_ID);
        assertTrue(reply.ok());
        assertEquals(2, reply.promisedRound());
        assertEquals(HIGHER_ID, reply.promisedNodeId());
        assertEquals(1, reply.acceptedRound());
        assertEquals(LOWER_ID, reply.acceptedNodeId());
        assertEquals("a", reply.acceptedValue());
    }

    @Test
    void shouldRefuseALowerPrepareWithThePromiseThatBeatsIt()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onPrepare(EPOCH, 4, LOWER_ID).ok());

        AcceptorReply<String> reply = acceptor.onPrepare(EPOCH, 3, HIGHER_ID);
        assertFalse(reply.ok());
        assertTrue(reply.epochMatched());
        assertEquals(4, reply.promisedRound());
        assertEquals(LOWER_ID, reply.promisedNodeId());
        assertNull(reply.acceptedValue());

        assertTrue(acceptor.onPrepare(EPOCH, 4, HIGHER_ID).ok(), "same round, higher node id (unsigned)");
        assertEquals(HIGHER_ID, acceptor.promisedNodeId());
        assertFalse(acceptor.onPrepare(EPOCH, 4, LOWER_ID).ok());
    }

    @Test
    void shouldAnswerAResentPrepareOfThePromisedBallotAgain()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onPrepare(EPOCH, 2, LOWER_ID).ok());
        final AcceptorReply<String> reply = acceptor.onPrepare(EPOCH, 2, LOWER_ID);
        assertTrue(reply.ok(), "a resend after a lost promise must not read as a refusal of its own ballot");
        assertEquals(2, reply.promisedRound());
        assertEquals(LOWER_ID, reply.promisedNodeId());
    }

    @Test
    void shouldAcceptAnEqualOrHigherBallotAndRaiseThePromise()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onPrepare(EPOCH, 2, LOWER_ID).ok());
        assertTrue(acceptor.onAccept(EPOCH, 2, LOWER_ID, "a").ok());
        assertTrue(acceptor.onAccept(EPOCH, 2, LOWER_ID, "a").ok(), "a resent accept is accepted again");

        final AcceptorReply<String> reply = acceptor.onAccept(EPOCH, 5, HIGHER_ID, "b");
        assertTrue(reply.ok(), "an accept above the promise needs no prepare at this acceptor");
        assertEquals(5, acceptor.promisedRound());
        assertEquals(HIGHER_ID, acceptor.promisedNodeId());
        assertEquals("b", acceptor.acceptedValue());
        assertFalse(acceptor.onPrepare(EPOCH, 4, LOWER_ID).ok(), "accepting raised the promise");
    }

    @Test
    void shouldRefuseAnAcceptBelowThePromiseAndKeepTheAcceptedValue()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onAccept(EPOCH, 0, OLDEST, "a").ok());
        assertTrue(acceptor.onPrepare(EPOCH, 3, HIGHER_ID).ok());

        final AcceptorReply<String> reply = acceptor.onAccept(EPOCH, 2, LOWER_ID, "b");
        assertFalse(reply.ok());
        assertEquals(3, reply.promisedRound());
        assertEquals(HIGHER_ID, reply.promisedNodeId());
        assertEquals("a", acceptor.acceptedValue());
        assertEquals(0, acceptor.acceptedRound());
        assertThrows(NullPointerException.class, () -> acceptor.onAccept(EPOCH, 9, HIGHER_ID, null));
    }

    @Test
    void shouldRefuseOtherEpochsWithoutAPromiseToRaiseRoundsPast()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onPrepare(EPOCH, 7, LOWER_ID).ok());

        for (final long epoch : new long[]{ EPOCH - 1, EPOCH + 1 })
        {
            AcceptorReply<String> reply = acceptor.onPrepare(epoch, 100, HIGHER_ID);
            assertFalse(reply.ok());
            assertFalse(reply.epochMatched());
            assertEquals(Ballot.NO_ROUND, reply.promisedRound());
            reply = acceptor.onAccept(epoch, 100, HIGHER_ID, "x");
            assertFalse(reply.ok());
            assertFalse(reply.epochMatched());
        }
        assertEquals(7, acceptor.promisedRound(), "requests of other epochs leave the state alone");
        assertFalse(acceptor.hasAccepted());
    }

    @Test
    void shouldForgetEverythingAtReset()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onAccept(EPOCH, 9, HIGHER_ID, "a").ok());
        acceptor.reset(EPOCH + 1, LOWER_ID);
        assertEquals(EPOCH + 1, acceptor.nextEpoch());
        assertEquals(0, acceptor.promisedRound());
        assertEquals(LOWER_ID, acceptor.promisedNodeId());
        assertFalse(acceptor.hasAccepted());
        assertEquals(Ballot.NO_ROUND, acceptor.acceptedRound());
        assertFalse(acceptor.onAccept(EPOCH, 10, HIGHER_ID, "b").ok(), "the old epoch is over");
        final AcceptorReply<String> reply = acceptor.onPrepare(EPOCH + 1, 1, OLDEST);
        assertTrue(reply.ok());
        assertNull(reply.acceptedValue());
    }

    @Test
    void shouldKeepItsPromiseAndValueThroughAResetToTheSameEpoch()
    {
        acceptor.reset(EPOCH, OLDEST);
        assertTrue(acceptor.onAccept(EPOCH, 3, HIGHER_ID, "a").ok());
        acceptor.reset(EPOCH, OLDEST);
        assertEquals(3, acceptor.promisedRound(), "forgetting a promise within an epoch would promise twice");
        assertEquals("a", acceptor.acceptedValue());
        assertFalse(acceptor.onAccept(EPOCH, 0, OLDEST, "b").ok());

        assertThrows(IllegalArgumentException.class, () -> acceptor.reset(EPOCH, LOWER_ID));
        assertThrows(IllegalArgumentException.class, () -> acceptor.reset(EPOCH - 1, OLDEST));
        assertEquals("a", acceptor.acceptedValue());
    }

    @Test
    void shouldReuseOneReplyAndAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        acceptor.reset(EPOCH, OLDEST);
        assertSame(acceptor.onPrepare(EPOCH, 1, LOWER_ID), acceptor.onAccept(EPOCH, 1, LOWER_ID, "a"));
        for (int i = 0; i < 20_000; i++)
        {
            cycle(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 20_000; i < 120_000; i++)
        {
            cycle(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 400000 acceptor calls");
    }

    private void cycle(final int i)
    {
        acceptor.reset(EPOCH + i, OLDEST);
        acceptor.onPrepare(EPOCH + i, i + 1, LOWER_ID);
        acceptor.onAccept(EPOCH + i, i + 1, LOWER_ID, "a");
        acceptor.onPrepare(EPOCH + i, i, HIGHER_ID);
    }
}
