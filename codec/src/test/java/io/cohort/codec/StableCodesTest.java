package io.cohort.codec;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Codes that travel on the wire never change: {@link ReasonCode} (suspicions and evictions),
 * {@link DecodeResult} (the observed value of a BAD_FRAME accusation), {@link CommandStatus} (command responses,
 * join refusals among them), the kinds of a change request and the flags of a view. A new constant gets a new code
 * and a row here.
 */
class StableCodesTest
{
    @Test
    void shouldPinEveryDecodeResultCode()
    {
        final List<String> pinned = List.of("OK", "TRUNCATED_HEADER", "BAD_MAGIC", "UNSUPPORTED_VERSION",
            "BAD_FRAME_LENGTH", "CHECKSUM_MISMATCH", "BAD_MESSAGE_COUNT", "BAD_MESSAGE_LENGTH", "UNKNOWN_MESSAGE_TYPE",
            "TRUNCATED_MESSAGE", "BAD_FIELD_LENGTH", "FIELD_TOO_LARGE", "BAD_FIELD_VALUE", "FOREIGN_CLUSTER");
        assertEquals(pinned.size(), DecodeResult.values().length, "a DecodeResult without a pinned code");
        for (final DecodeResult result : DecodeResult.values())
        {
            assertEquals(pinned.indexOf(result.name()), result.code(), result.name());
            assertSame(result, DecodeResult.get(result.code()));
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> DecodeResult.get(14));
        assertEquals("unknown DecodeResult code: 14", ex.getMessage());
    }

    @Test
    void shouldPinEveryCommandStatus() throws IllegalAccessException
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("OK", 0);
        pinned.put("REJECTED", 1);
        pinned.put("NOT_READY", 2);
        pinned.put("BAD_REQUEST", 3);
        pinned.put("INTERNAL_ERROR", 4);
        pinned.put("CLUSTER_MISMATCH", 5);
        pinned.put("SETTINGS_MISMATCH", 6);
        pinned.put("REMOVED", 7);
        assertEquals(pinned, intConstants(CommandStatus.class));
        for (final Map.Entry<String, Integer> entry : pinned.entrySet())
        {
            assertEquals(entry.getKey(), CommandStatus.name(entry.getValue()));
        }
        assertEquals("UNKNOWN(8)", CommandStatus.name(8));
    }

    @Test
    void shouldPinTheChangeRequestKindsAndTheViewFlags() throws IllegalAccessException
    {
        final Map<String, Integer> kinds = new LinkedHashMap<>();
        kinds.put("KIND_JOIN", 1);
        kinds.put("KIND_LEAVE", 2);
        kinds.put("KIND_FAULT", 3);
        kinds.put("KIND_LAGGING", 4);
        kinds.put("KIND_DISSOLVE", 5);
        assertEquals(kinds, withPrefix("KIND_", intConstants(ChangeRequestDecoder.class)));
        assertEquals(Map.of("FLAG_DISSOLVE", 1), withPrefix("FLAG_", intConstants(ViewValueDecoder.class)));
    }

    private static Map<String, Integer> withPrefix(final String prefix, final Map<String, Integer> constants)
    {
        final Map<String, Integer> selected = new LinkedHashMap<>();
        constants.forEach((name, value) ->
        {
            if (name.startsWith(prefix))
            {
                selected.put(name, value);
            }
        });
        return selected;
    }

    @Test
    void shouldPinEveryReasonCode() throws IllegalAccessException
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("GAP", 1);
        pinned.put("DUPLICATE", 2);
        pinned.put("REORDER", 3);
        pinned.put("LOST_TAIL", 4);
        pinned.put("BAD_FRAME", 5);
        pinned.put("SILENCE", 6);
        pinned.put("PARTITION", 7);
        pinned.put("DIGEST_MISMATCH", 8);
        pinned.put("OPERATOR", 9);
        pinned.put("FALSE_ACCUSATION", 10);
        pinned.put("LEFT", 11);
        pinned.put("RESTARTED", 12);
        pinned.put("LAGGING", 13);
        assertEquals(pinned, intConstants(ReasonCode.class));
        for (final Map.Entry<String, Integer> entry : pinned.entrySet())
        {
            assertEquals(entry.getKey(), ReasonCode.name(entry.getValue()));
        }
        assertEquals("UNKNOWN(14)", ReasonCode.name(14));
    }

    static Map<String, Integer> intConstants(final Class<?> type) throws IllegalAccessException
    {
        final Map<String, Integer> constants = new LinkedHashMap<>();
        for (final Field field : type.getDeclaredFields())
        {
            final int modifiers = field.getModifiers();
            if (int.class == field.getType() && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers))
            {
                constants.put(field.getName(), field.getInt(null));
            }
        }
        return constants;
    }
}
