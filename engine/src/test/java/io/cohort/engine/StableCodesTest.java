package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import io.cohort.state.StateResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codes of {@link NodeState} (the node state counter read by {@code cohort stat} in another process),
 * {@link CallResult}, {@link RefusedOperation}, {@link RefusalReason}, {@link EvictionReason} and {@link MemberState} (public API an
 * embedder may store or log as numbers) never change: a new constant gets a new code and a row here.
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
        pinned.put("NO_QUORUM", 7);
        assertEquals(pinned.size(), NodeState.values().length, "a NodeState without a pinned code");
        for (final NodeState state : NodeState.values())
        {
            assertEquals(pinned.get(state.name()), state.code(), state.name());
            assertSame(state, NodeState.get(state.code()));
        }
        assertUnknown(() -> NodeState.get(8), "unknown NodeState code: 8");
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
        pinned.put("NO_QUORUM", 5);
        assertEquals(pinned.size(), CallResult.values().length, "a CallResult without a pinned code");
        for (final CallResult result : CallResult.values())
        {
            assertEquals(pinned.get(result.name()), result.code(), result.name());
            assertSame(result, CallResult.get(result.code()));
        }
        assertUnknown(() -> CallResult.get(6), "unknown CallResult code: 6");
        assertUnknown(() -> CallResult.get(Long.MAX_VALUE), "unknown CallResult code: " + Long.MAX_VALUE);
    }

    @Test
    void shouldPinEveryRefusedOperationCode()
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("SUBSCRIBE", 1);
        pinned.put("UNSUBSCRIBE", 2);
        pinned.put("DISCONNECT", 3);
        pinned.put("CREATE_ROOM", 4);
        pinned.put("REMOVE_ROOM", 5);
        pinned.put("PUBLISH", 6);
        pinned.put("BROADCAST", 7);
        assertEquals(pinned.size(), RefusedOperation.values().length, "a RefusedOperation without a pinned code");
        for (final RefusedOperation operation : RefusedOperation.values())
        {
            assertEquals(pinned.get(operation.name()), operation.code(), operation.name());
            assertSame(operation, RefusedOperation.get(operation.code()));
        }
        assertUnknown(() -> RefusedOperation.get(0), "unknown RefusedOperation code: 0");
        assertUnknown(() -> RefusedOperation.get(8), "unknown RefusedOperation code: 8");
    }

    @Test
    void shouldPinEveryRefusalReasonCode()
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("UNKNOWN_ROOM", 1);
        pinned.put("CONNECTION_FULL", 2);
        pinned.put("CONNECTIONS_FULL", 3);
        pinned.put("OVERFLOW_FULL", 4);
        pinned.put("OWNERS_FULL", 5);
        pinned.put("ROOM_COUNTS_FULL", 6);
        pinned.put("ROOM_CONFLICT", 7);
        pinned.put("ROOM_ID_MISMATCH", 8);
        pinned.put("ROOM_TOO_LARGE", 9);
        pinned.put("ROOMS_FULL", 10);
        pinned.put("ROOM_IN_USE", 11);
        pinned.put("NOT_MEMBER", 12);
        pinned.put("SYNC_BACK_PRESSURED", 13);
        pinned.put("NOTIFICATION_BACK_PRESSURED", 14);
        assertEquals(pinned.size(), RefusalReason.values().length, "a RefusalReason without a pinned code");
        for (final RefusalReason reason : RefusalReason.values())
        {
            assertEquals(pinned.get(reason.name()), reason.code(), reason.name());
            assertSame(reason, RefusalReason.get(reason.code()));
        }
        assertUnknown(() -> RefusalReason.get(0), "unknown RefusalReason code: 0");
        assertUnknown(() -> RefusalReason.get(15), "unknown RefusalReason code: 15");
    }

    @Test
    void shouldGiveEveryStateRefusalAReasonOfTheSameName()
    {
        for (final StateResult result : StateResult.values())
        {
            if (result.isRefusal())
            {
                assertEquals(result.name(), RefusalReason.of(result).name());
            }
            else
            {
                assertThrows(IllegalArgumentException.class, () -> RefusalReason.of(result));
            }
        }
    }

    @Test
    void shouldPinEveryEvictionReasonCodeToTheWireCode()
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("UNKNOWN", 0);
        pinned.put("GAP", ReasonCode.GAP);
        pinned.put("DUPLICATE", ReasonCode.DUPLICATE);
        pinned.put("REORDER", ReasonCode.REORDER);
        pinned.put("LOST_TAIL", ReasonCode.LOST_TAIL);
        pinned.put("BAD_FRAME", ReasonCode.BAD_FRAME);
        pinned.put("SILENCE", ReasonCode.SILENCE);
        pinned.put("PARTITION", ReasonCode.PARTITION);
        pinned.put("DIGEST_MISMATCH", ReasonCode.DIGEST_MISMATCH);
        pinned.put("OPERATOR", ReasonCode.OPERATOR);
        pinned.put("FALSE_ACCUSATION", ReasonCode.FALSE_ACCUSATION);
        pinned.put("LEFT", ReasonCode.LEFT);
        pinned.put("RESTARTED", ReasonCode.RESTARTED);
        pinned.put("LAGGING", ReasonCode.LAGGING);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), List.copyOf(pinned.values()));
        assertEquals(pinned.size(), EvictionReason.values().length, "an EvictionReason without a pinned code");
        for (final EvictionReason reason : EvictionReason.values())
        {
            assertEquals(pinned.get(reason.name()), reason.code(), reason.name());
            assertSame(reason, EvictionReason.get(reason.code()));
            assertSame(reason, EvictionReason.ofWire(reason.code()));
            assertEquals(0 == reason.code() ? "UNKNOWN(0)" : reason.name(), ReasonCode.name(reason.code()));
        }
        assertSame(EvictionReason.UNKNOWN, EvictionReason.ofWire(14));
        assertSame(EvictionReason.UNKNOWN, EvictionReason.ofWire(-1));
        assertUnknown(() -> EvictionReason.get(14), "unknown EvictionReason code: 14");
    }

    @Test
    void shouldPinEveryMemberStateCode()
    {
        assertEquals(2, MemberState.values().length, "a MemberState without a pinned code");
        assertEquals(1, MemberState.SYNCING.code());
        assertEquals(2, MemberState.SYNCED.code());
        for (final MemberState state : MemberState.values())
        {
            assertSame(state, MemberState.get(state.code()));
        }
        assertUnknown(() -> MemberState.get(0), "unknown MemberState code: 0");
    }

    private static void assertUnknown(final Runnable lookup, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, lookup::run);
        assertTrue(ex.getMessage().equals(message), ex.getMessage());
    }
}
