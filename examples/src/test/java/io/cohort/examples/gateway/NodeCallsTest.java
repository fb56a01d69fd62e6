package io.cohort.examples.gateway;

import io.cohort.engine.CallResult;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCallsTest
{
    @Test
    void shouldRetryABackPressuredCallUntilItIsQueued()
    {
        final AtomicInteger calls = new AtomicInteger();
        final CallResult result = NodeCalls.retry(() -> calls.incrementAndGet() < 4 ?
            CallResult.BACK_PRESSURED : CallResult.ACCEPTED, TimeUnit.SECONDS.toNanos(5));
        assertEquals(CallResult.ACCEPTED, result);
        assertEquals(4, calls.get());
    }

    @Test
    void shouldGiveUpAfterTheRetryWindowAndSaySo()
    {
        final AtomicInteger calls = new AtomicInteger();
        final long startNs = System.nanoTime();
        final CallResult result = NodeCalls.retry(() ->
        {
            calls.incrementAndGet();
            return CallResult.BACK_PRESSURED;
        }, TimeUnit.MILLISECONDS.toNanos(20));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertEquals(CallResult.BACK_PRESSURED, result);
        assertTrue(elapsedMs >= 20, "gave up after " + elapsedMs + " ms");
        assertTrue(calls.get() > 1, "retried: " + calls.get());
        assertTrue(NodeCalls.error("PUB", "lobby", result).startsWith("ERR BUSY PUB lobby: "));
    }

    @Test
    void shouldNotRetryARefusalThatRetryingCannotCure()
    {
        final AtomicInteger calls = new AtomicInteger();
        final CallResult result = NodeCalls.retry(() ->
        {
            calls.incrementAndGet();
            return CallResult.EVICTED;
        }, TimeUnit.SECONDS.toNanos(5));
        assertEquals(CallResult.EVICTED, result);
        assertEquals(1, calls.get());
        assertEquals("ERR NOT_SERVING SUB lobby: the node refused the call (EVICTED); nothing was done",
            NodeCalls.error("SUB", "lobby", result));
    }
}
