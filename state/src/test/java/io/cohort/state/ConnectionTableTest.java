package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The off-heap connection table under random churn at full load, where probe runs are long and every delete
 * shifts entries back: each connection must stay reachable with exactly its rooms.
 */
class ConnectionTableTest
{
    private static final int MAX_CONNECTIONS = 500;
    private static final int ROOMS_PER_CONNECTION = 6;
    private ConnectionTable table;

    @AfterEach
    void after()
    {
        CloseHelper.close(table);
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2 })
    void shouldKeepEveryConnectionReachableThroughChurnAtFullLoad(final long seed)
    {
        final Random random = new Random(seed);
        table = new ConnectionTable(MAX_CONNECTIONS, ROOMS_PER_CONNECTION, 10_000);
        final Map<Long, Set<Long>> model = new HashMap<>();
        final List<Long> ids = new ArrayList<>();
        for (int op = 0; op < 200_000; op++)
        {
            // Sequential and random ids: both must spread over the table.
            final long connection = random.nextBoolean() ? 1 + random.nextInt(800) : 1 + random.nextInt(1 << 30);
            final long room = 1 + random.nextInt(8);
            final int dice = random.nextInt(10);
            final Set<Long> rooms = model.get(connection);
            if (dice < 6)
            {
                final StateResult expected;
                if (null == rooms)
                {
                    expected = model.size() >= MAX_CONNECTIONS ? StateResult.CONNECTIONS_FULL : StateResult.SUBSCRIBED;
                }
                else if (rooms.contains(room))
                {
                    expected = StateResult.ALREADY_SUBSCRIBED;
                }
                else
                {
                    expected = rooms.size() >= ROOMS_PER_CONNECTION ? StateResult.CONNECTION_FULL : StateResult.SUBSCRIBED;
                }
                assertEquals(expected, table.add(connection, room));
                if (StateResult.SUBSCRIBED == expected)
                {
                    if (null == rooms)
                    {
                        ids.add(connection);
                    }
                    model.computeIfAbsent(connection, c -> new LinkedHashSet<>()).add(room);
                }
            }
            else if (dice < 9 && !ids.isEmpty())
            {
                final long held = ids.get(random.nextInt(ids.size()));
                final Set<Long> heldRooms = model.get(held);
                final long target = random.nextBoolean() ? heldRooms.iterator().next() : room;
                final boolean present = heldRooms.remove(target);
                assertEquals(present ? StateResult.UNSUBSCRIBED : StateResult.NOT_SUBSCRIBED, table.remove(held, target));
                if (heldRooms.isEmpty())
                {
                    model.remove(held);
                    ids.remove(held);
                }
            }
            else if (!ids.isEmpty())
            {
                final long held = ids.remove(random.nextInt(ids.size()));
                assertEquals(model.remove(held).size(), table.removeAll(held));
            }
            if (0 == op % 20_000)
            {
                assertSame(model);
            }
        }
        assertSame(model);
        table.clear();
        assertEquals(0, table.connections());
        for (final long connection : model.keySet())
        {
            assertEquals(0, table.roomCount(connection));
        }
    }

    private void assertSame(final Map<Long, Set<Long>> model)
    {
        long subscriptions = 0;
        final long[] rooms = new long[ROOMS_PER_CONNECTION];
        for (final Map.Entry<Long, Set<Long>> entry : model.entrySet())
        {
            final int count = table.copyRooms(entry.getKey(), rooms);
            assertEquals(entry.getValue().size(), count);
            for (int i = 0; i < count; i++)
            {
                assertEquals(true, entry.getValue().contains(rooms[i]), "connection " + entry.getKey());
            }
            subscriptions += count;
        }
        assertEquals(model.size(), table.connections());
        assertEquals(subscriptions, table.subscriptions());
    }
}
