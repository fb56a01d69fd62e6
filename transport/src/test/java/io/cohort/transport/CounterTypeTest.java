package io.cohort.transport;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counter type ids are read by {@code cohort stat} from another process, possibly of another version: they
 * never change, and a new counter gets a new id and a row here.
 */
class CounterTypeTest
{
    @Test
    void shouldPinEveryCounterTypeId() throws IllegalAccessException
    {
        final Map<String, Integer> pinned = new LinkedHashMap<>();
        pinned.put("PEER_EXPECTED_BROADCAST", 10);
        pinned.put("PEER_EXPECTED_DIRECTED", 11);
        pinned.put("PEER_FRAMES", 12);
        pinned.put("PEER_MESSAGES", 13);
        pinned.put("PEER_APPLIED", 14);
        pinned.put("PEER_GAPS", 15);
        pinned.put("PEER_DUPLICATES", 16);
        pinned.put("PEER_REORDERS", 17);
        pinned.put("PEER_BAD_FRAMES", 18);
        pinned.put("PEER_BYTES", 19);
        pinned.put("PEER_LOST_TAILS", 20);
        pinned.put("TOTAL_OFFSET", 100);
        pinned.put("FRAMES_SENT", 200);
        pinned.put("MESSAGES_SENT", 201);
        pinned.put("BYTES_SENT", 202);
        pinned.put("SEND_BACK_PRESSURE", 203);
        pinned.put("STALE_FRAMES", 204);
        pinned.put("STRANGER_FRAMES", 205);
        pinned.put("AUTH_REFUSED", 206);
        pinned.put("COMMAND_TIMEOUTS", 207);
        pinned.put("MISROUTED_FRAMES", 208);
        pinned.put("FOREIGN_CLUSTER_FRAMES", 209);
        pinned.put("CONTROL_QUEUED", 212);
        pinned.put("CONTROL_SENT", 213);
        pinned.put("CONTROL_PENDING", 214);
        pinned.put("CONTROL_OVERFLOWS", 215);
        pinned.put("FLOW_LAG_MAX_NS", 216);
        pinned.put("FLOW_UNTETHERED", 217);
        pinned.put("FLOW_BACK_PRESSURED", 218);
        pinned.put("NOTIFICATIONS_ROUTED", 219);
        pinned.put("NOTIFICATIONS_REFUSED", 220);
        pinned.put("FLOW_LAGGING_ACCUSATIONS", 221);
        pinned.put("NODE_STATE", 300);
        pinned.put("NODE_MEMBERS", 301);
        pinned.put("NODE_ROOMS", 302);
        pinned.put("NODE_CONNECTIONS", 303);
        pinned.put("NODE_SUBSCRIPTIONS", 304);
        pinned.put("NODE_EVICTIONS", 305);
        pinned.put("NODE_HEARTBEAT", 306);
        pinned.put("NODE_INCARNATION", 307);
        pinned.put("NODE_ERRORS", 308);
        pinned.put("NODE_STALLS", 309);
        pinned.put("NODE_LONGEST_STALL_MS", 310);
        pinned.put("NODE_WORKING_STALLS", 311);
        pinned.put("NODE_ROOMS_WANTED", 312);
        pinned.put("NODE_ROOMS_ANNOUNCED_AGAIN", 313);
        pinned.put("NODE_ROOM_CREATIONS_UNDONE", 314);
        pinned.put("NODE_ROOM_REMOVALS_OUTRUN", 315);

        final Map<String, Integer> declared = new LinkedHashMap<>();
        for (final Field field : CounterType.class.getDeclaredFields())
        {
            final int modifiers = field.getModifiers();
            if (int.class == field.getType() && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers))
            {
                declared.put(field.getName(), field.getInt(null));
            }
        }
        assertEquals(pinned, declared);

        final Set<Integer> ids = new HashSet<>();
        for (final Map.Entry<String, Integer> entry : pinned.entrySet())
        {
            if (!"TOTAL_OFFSET".equals(entry.getKey()))
            {
                assertTrue(ids.add(entry.getValue()), entry.getKey());
            }
            if (entry.getKey().startsWith("PEER_"))
            {
                assertTrue(ids.add(entry.getValue() + CounterType.TOTAL_OFFSET), entry.getKey() + " total");
            }
        }
    }
}
