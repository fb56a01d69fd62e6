package io.cohort.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link StateResult} codes never change wherever a result is reported as a number: a new constant gets a new
 * code and a row here.
 */
class StableCodesTest
{
    @Test
    void shouldPinEveryStateResultCode()
    {
        final List<String> pinned = List.of("SUBSCRIBED", "ALREADY_SUBSCRIBED", "UNKNOWN_ROOM", "CONNECTION_FULL",
            "CONNECTIONS_FULL", "OVERFLOW_FULL", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "DISCONNECTED", "UNKNOWN_CONNECTION",
            "APPLIED", "UNCHANGED", "OWNERS_FULL", "ROOM_COUNTS_FULL", "ROOM_CREATED", "ROOM_EXISTS", "ROOM_CONFLICT",
            "ROOM_ID_MISMATCH", "ROOM_TOO_LARGE", "ROOMS_FULL", "ROOM_REMOVED", "ROOM_IN_USE");
        assertEquals(pinned.size(), StateResult.values().length, "a StateResult without a pinned code");
        for (final StateResult result : StateResult.values())
        {
            assertEquals(pinned.indexOf(result.name()), result.code(), result.name());
            assertSame(result, StateResult.get(result.code()));
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> StateResult.get(-5));
        assertEquals("unknown StateResult code: -5", ex.getMessage());
    }
}
