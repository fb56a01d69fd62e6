package io.cohort.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingRequestsTest
{
    private static final long START_NS = TimeUnit.SECONDS.toNanos(1_000);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A timeout may fire up to two wheel ticks (about 1 ms each) after its deadline. */
    private static final long LATENESS = 5 * MS;

    private final PendingRequests pending = new PendingRequests(START_NS);
    private final List<long[]> timedOut = new ArrayList<>();
    private final PendingRequests.TimeoutHandler handler =
        (correlationId, peerNodeId) -> timedOut.add(new long[]{ correlationId, peerNodeId });

    @Test
    void shouldHandOutIncreasingCorrelationIds()
    {
        assertEquals(1, pending.nextCorrelationId());
        assertEquals(2, pending.nextCorrelationId());
        assertEquals(3, pending.nextCorrelationId());
    }

    @Test
    void shouldCompleteRequestBeforeItsDeadline()
    {
        final long id = pending.nextCorrelationId();
        pending.register(id, 7, START_NS + 100 * MS);
        assertTrue(pending.isPending(id));
        assertEquals(1, pending.size());

        assertEquals(0, pending.poll(START_NS + 50 * MS, handler));
        assertTrue(pending.complete(id));

        assertFalse(pending.isPending(id));
        assertEquals(0, pending.size());
        assertEquals(0, pending.poll(START_NS + 500 * MS, handler), "a completed request never times out");
        assertTrue(timedOut.isEmpty());
    }

    @Test
    void shouldTimeOutOnlyAfterTheDeadline()
    {
        final long id = pending.nextCorrelationId();
        final long deadline = START_NS + 100 * MS;
        pending.register(id, 7, deadline);

        assertEquals(0, pending.poll(deadline - 1, handler));
        assertTrue(pending.isPending(id));

        assertEquals(1, pending.poll(deadline + LATENESS, handler));
        assertEquals(1, timedOut.size());
        assertEquals(id, timedOut.get(0)[0]);
        assertEquals(7, timedOut.get(0)[1]);
        assertFalse(pending.isPending(id));
        assertEquals(0, pending.size());
        assertEquals(0, pending.poll(deadline + 100 * MS, handler), "timed out once only");
    }

    @Test
    void shouldRefuseLateResponseAfterTimeout()
    {
        final long id = pending.nextCorrelationId();
        pending.register(id, 7, START_NS + 10 * MS);
        pending.poll(START_NS + 20 * MS, handler);

        assertFalse(pending.complete(id), "late response");
        assertFalse(pending.complete(id + 100), "unsolicited response");
    }

    @Test
    void shouldRefuseSecondResponse()
    {
        final long id = pending.nextCorrelationId();
        pending.register(id, 7, START_NS + 10 * MS);

        assertTrue(pending.complete(id));
        assertFalse(pending.complete(id));
    }

    @Test
    void shouldRejectCorrelationIdAlreadyInFlight()
    {
        pending.register(5, 7, START_NS + 10 * MS);

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> pending.register(5, 8, START_NS + 20 * MS));
        assertTrue(ex.getMessage().contains("correlationId=5"), ex.getMessage());
        assertEquals(1, pending.size());
    }

    @Test
    void shouldTrackManyRequestsInFlight()
    {
        final Random random = new Random(42);
        final int requests = 10_000;
        final long[] deadlines = new long[requests + 1];
        final Set<Long> completed = new HashSet<>();
        for (int i = 1; i <= requests; i++)
        {
            final long id = pending.nextCorrelationId();
            deadlines[(int)id] = START_NS + (1 + random.nextInt(2_000)) * MS;
            pending.register(id, id % 5, deadlines[(int)id]);
        }
        assertEquals(requests, pending.size());
        for (int i = 1; i <= requests; i += 2)
        {
            assertTrue(pending.complete(i));
            completed.add((long)i);
        }

        final Set<Long> expired = new HashSet<>();
        for (long now = START_NS; now <= START_NS + 2_100 * MS; now += 7 * MS)
        {
            timedOut.clear();
            pending.poll(now, handler);
            for (final long[] timeout : timedOut)
            {
                final long id = timeout[0];
                assertFalse(completed.contains(id), "completed request " + id + " timed out");
                assertTrue(deadlines[(int)id] <= now, "request " + id + " timed out before its deadline");
                assertEquals(id % 5, timeout[1], "peer of request " + id);
                assertTrue(expired.add(id), "request " + id + " timed out twice");
            }
            for (int id = 2; id <= requests; id += 2)
            {
                if (deadlines[id] + LATENESS <= now)
                {
                    assertTrue(expired.contains((long)id), "request " + id + " is overdue at " + (now - START_NS));
                }
            }
        }
        assertEquals(requests / 2, expired.size());
        assertEquals(0, pending.size());
    }

    @Test
    void shouldCatchUpAfterBigTimeJump()
    {
        for (int i = 0; i < 1_000; i++)
        {
            pending.register(pending.nextCorrelationId(), 3, START_NS + (i + 1) * 10 * MS);
        }
        final long farFuture = pending.nextCorrelationId();
        pending.register(farFuture, 3, START_NS + TimeUnit.HOURS.toNanos(3));

        final long later = START_NS + TimeUnit.HOURS.toNanos(1);
        assertEquals(1_000, pending.poll(later, handler), "every overdue request in one poll");

        assertEquals(1, pending.size());
        assertTrue(pending.isPending(farFuture));
        final long id = pending.nextCorrelationId();
        pending.register(id, 4, later + 50 * MS);
        assertEquals(0, pending.poll(later + 10 * MS, handler));
        assertEquals(1, pending.poll(later + 50 * MS + LATENESS, handler), "a request registered after the jump");
        assertEquals(id, timedOut.get(timedOut.size() - 1)[0]);
    }

    @Test
    void shouldTimeOutRequestRegisteredWithDeadlineAlreadyPassed()
    {
        pending.poll(START_NS + 100 * MS, handler);
        final long id = pending.nextCorrelationId();
        pending.register(id, 9, START_NS + 50 * MS);

        assertEquals(1, pending.poll(START_NS + 100 * MS + LATENESS, handler));
        assertEquals(id, timedOut.get(0)[0]);
    }
}
