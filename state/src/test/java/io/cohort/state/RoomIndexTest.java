package io.cohort.state;

import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoomIndexTest
{
    @Test
    void shouldFindEveryRoomThroughChurnAtFullLoad()
    {
        final int maxEntries = 1_000;
        final Long2LongHashMap model = new Long2LongHashMap(0);
        final long[] keys = new long[maxEntries];
        final Random random = new Random(42);
        try (RoomIndex index = new RoomIndex(maxEntries))
        {
            for (int step = 0; step < 200_000; step++)
            {
                final int i = random.nextInt(maxEntries);
                if (0 == keys[i])
                {
                    // Small ids cluster at the same homes: the backward shift is exercised on long runs.
                    keys[i] = 1 + (random.nextBoolean() ? random.nextInt(4 * maxEntries) : random.nextLong() >>> 1);
                    final long address = 8 * (step + 1L);
                    index.put(keys[i], address);
                    model.put(keys[i], address);
                }
                else if (random.nextInt(4) == 0)
                {
                    index.put(keys[i], 7);
                    model.put(keys[i], 7);
                }
                else
                {
                    index.remove(keys[i]);
                    model.remove(keys[i]);
                    keys[i] = 0;
                }
                if (step % 997 == 0)
                {
                    for (final long key : keys)
                    {
                        if (0 != key)
                        {
                            assertEquals(model.get(key), index.get(key), "key=" + key + " step=" + step);
                        }
                    }
                }
            }
            assertEquals(model.size(), index.size());
            for (final long key : keys)
            {
                assertEquals(model.get(key), 0 == key ? 0 : index.get(key));
            }
            index.clear();
            assertEquals(0, index.size());
        }
    }
}
