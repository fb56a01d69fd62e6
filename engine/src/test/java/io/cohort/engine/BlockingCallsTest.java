package io.cohort.engine;

import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlockingCallsTest
{
    private static final long TIMEOUT_NS = 1_000;
    private static final long IDLE_NS = 100;

    private long nowNs = 5_000;
    private int idles;
    private int resets;
    private int attempts;

    private final IdleStrategy idleStrategy = new IdleStrategy()
    {
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        public void idle()
        {
            idles++;
            nowNs += IDLE_NS;
        }

        public void reset()
        {
            resets++;
        }
    };

    private final BlockingCalls calls = new BlockingCalls(null, TIMEOUT_NS, idleStrategy, () -> nowNs);

    private BlockingCalls.Call returning(final CallResult... results)
    {
        final Deque<CallResult> queue = new ArrayDeque<>(java.util.List.of(results));
        return () ->
        {
            attempts++;
            return queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
        };
    }

    @Test
    void shouldRetryBackPressureUntilAccepted()
    {
        assertEquals(CallResult.ACCEPTED, calls.call(returning(
            CallResult.BACK_PRESSURED, CallResult.BACK_PRESSURED, CallResult.BACK_PRESSURED, CallResult.ACCEPTED)));
        assertEquals(4, attempts);
        assertEquals(3, idles);
        assertEquals(1, resets);
    }

    @Test
    void shouldReturnBackPressuredAtTheDeadline()
    {
        final long start = nowNs;
        assertEquals(CallResult.BACK_PRESSURED, calls.call(returning(CallResult.BACK_PRESSURED)));
        // Attempts at 0, 100, ... 1000 ns: the one at the deadline is the last.
        assertEquals(TIMEOUT_NS / IDLE_NS + 1, attempts);
        assertEquals(start + TIMEOUT_NS, nowNs);
    }

    @ParameterizedTest
    @EnumSource(value = CallResult.class, names = { "NOT_MEMBER", "EVICTED", "CLOSED", "ACCEPTED" })
    void shouldReturnAtOnceWhatWaitingDoesNotChange(final CallResult result)
    {
        assertEquals(result, calls.call(returning(result, CallResult.ACCEPTED)));
        assertEquals(1, attempts);
        assertEquals(0, idles);
    }

    @Test
    void shouldReturnNotMemberMetWhileRetrying()
    {
        assertEquals(CallResult.NOT_MEMBER, calls.call(returning(CallResult.BACK_PRESSURED, CallResult.NOT_MEMBER)));
        assertEquals(2, attempts);
    }

    @Test
    void shouldMakeOneAttemptWithoutATimeout()
    {
        final BlockingCalls once = new BlockingCalls(null, 0, idleStrategy, () -> nowNs);
        assertEquals(CallResult.BACK_PRESSURED, once.call(returning(CallResult.BACK_PRESSURED)));
        assertEquals(1, attempts);
        assertEquals(0, idles);
    }

    @Test
    void shouldRefuseANegativeTimeout()
    {
        assertThrows(IllegalArgumentException.class, () -> new BlockingCalls(null, -1, idleStrategy, () -> nowNs));
    }
}
