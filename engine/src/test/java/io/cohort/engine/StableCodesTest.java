package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codes of {@link NodeState} (the node state counter read by {@code cohort stat} in another process) and
 * {@link CallResult} ({@link CohortNode#createRoom}'s negative value) never change: a new constant gets a new
 * code and a row here.
 */
class StableCodesTest
{
    @Test
    void shouldPinEveryNodeStateCode()
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("STARTING", 0);
        pinned.put("JOINING", 1);
        pinned.put("RUNNING", 2);
        pinned.put("NOT_ENOUGH_NODES", 3);
        pinned.put("LEAVING", 4);
        pinned.put("EVICTED", 5);
        pinned.put("CLOSED", 6);
        assertEquals(pinned.size(), NodeState.values().length, "a NodeState without a pinned code");
        for (final NodeState state : NodeState.values())
        {
            assertEquals(pinned.get(state.name()), state.code(), state.name());
            assertSame(state, NodeState.get(state.code()));
        }
        assertUnknown(() -> NodeState.get(7), "unknown NodeState code: 7");
        assertUnknown(() -> NodeState.get(-1), "unknown NodeState code: -1");
    }

    @Test
    void shouldPinEveryCallResultCode()
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("ACCEPTED", 0);
        pinned.put("BACK_PRESSURED", 1);
        pinned.put("NOT_MEMBER", 2);
        pinned.put("EVICTED", 3);
        pinned.put("CLOSED", 4);
        assertEquals(pinned.size(), CallResult.values().length, "a CallResult without a pinned code");
        for (final CallResult result : CallResult.values())
        {
            assertEquals(pinned.get(result.name()), result.code(), result.name());
            assertSame(result, CallResult.get(result.code()));
        }
        assertUnknown(() -> CallResult.get(5), "unknown CallResult code: 5");
        assertUnknown(() -> CallResult.get(Long.MAX_VALUE), "unknown CallResult code: " + Long.MAX_VALUE);
    }

    private static void assertUnknown(final Runnable lookup, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, lookup::run);
        assertTrue(ex.getMessage().equals(message), ex.getMessage());
    }
}
