package io.cohort.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountTableTest
{
    private static final int MAX_ROOMS = 300;

    /**
     * Owner slots 1, 16, 70 and 130 give one, one, two and three words of presence bits (5, 5, 4 and 3 counts
     * inline): every size crosses between inline counts and blocks, and back.
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 16, 70, 130 })
    void shouldMatchAModelThroughCountsAddedChangedRemovedAndRetained(final int maxSlots)
    {
        final Random random = new Random(maxSlots);
        final Map<Long, TreeMap<Integer, Long>> model = new HashMap<>();
        final List<Long> roomIds = new ArrayList<>();
        for (int i = 0; i < MAX_ROOMS + 50; i++)
        {
            // Small ids and random ones: long probe runs, so removals shift rooms back.
            roomIds.add(random.nextBoolean() ? 1 + i : random.nextLong() | 1);
        }
        try (CountTable table = new CountTable(MAX_ROOMS, maxSlots))
        {
            final OwnerSlots everyoneOwned = new OwnerSlots(1, maxSlots);
            for (int slot = 1; slot < maxSlots; slot++)
            {
                everyoneOwned.take(slot, 100 + slot);
            }
            final CountTableReader reader = new CountTableReader(table, everyoneOwned);
            for (int step = 0; step < 60_000; step++)
            {
                final long roomId = roomIds.get(random.nextInt(roomIds.size()));
                final int slot = random.nextInt(maxSlots);
                final long count = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000);
                final TreeMap<Integer, Long> counts = model.get(roomId);
                final long position = table.find(roomId);
                if (random.nextInt(50) == 0 && null != counts)
                {
                    // Keep a random subset of the slots, as the sweep does for the slots still owned.
                    final long[] kept = new long[table.words()];
                    for (final int held : new ArrayList<>(counts.keySet()))
                    {
                        if (random.nextBoolean())
                        {
                            kept[held >>> 6] |= 1L << held;
                        }
                        else
                        {
                            counts.remove(held);
                        }
                    }
                    if (counts.isEmpty())
                    {
                        table.delete(position);
                        model.remove(roomId);
                    }
                    else
                    {
                        table.retain(table.slotAddress(position), kept);
                    }
                }
                else if (position < 0)
                {
                    if (0 != count && model.size() < MAX_ROOMS)
                    {
                        table.insert(position, roomId, slot, count);
                        model.computeIfAbsent(roomId, r -> new TreeMap<>()).put(slot, count);
                    }
                }
                else
                {
                    final long at = table.slotAddress(position);
                    final long previous = table.count(at, slot);
                    assertEquals(counts.getOrDefault(slot, 0L), previous);
                    if (0 == count && 0 != previous)
                    {
                        if (1 == table.used(at))
                        {
                            table.delete(position);
                            model.remove(roomId);
                        }
                        else
                        {
                            table.remove(at, slot);
                            counts.remove(slot);
                        }
                    }
                    else if (0 != count)
                    {
                        if (0 == previous)
                        {
                            table.add(at, slot, count);
                        }
                        else
                        {
                            table.setCount(at, slot, count);
                        }
                        counts.put(slot, count);
                    }
                }
                assertRoom(table, model, roomId, reader);
                if (step % 1000 == 0)
                {
                    for (final long room : roomIds)
                    {
                        assertRoom(table, model, room, reader);
                    }
                }
            }
            assertEquals(model.size(), table.size());
            long roomsInBlocks = 0;
            for (final TreeMap<Integer, Long> counts : model.values())
            {
                roomsInBlocks += counts.size() > inline(table) ? 1 : 0;
            }
            assertEquals(roomsInBlocks, table.blocksInUse(), "a block exactly for each room whose counts outgrew it");
            if (maxSlots > inline(table))
            {
                assertTrue(roomsInBlocks > 0, "no room used a block");
            }

            table.clear();
            assertEquals(0, table.size());
            assertEquals(0, table.blockBytesInUse());
            assertTrue(table.find(roomIds.get(0)) < 0);
        }
    }

    private static int arenasFor(final int blocks, final int capacity)
    {
        return (int)((blocks * (long)capacity * Long.BYTES + CountBlocks.ARENA_BYTES - 1) / CountBlocks.ARENA_BYTES);
    }

    private static int inline(final CountTable table)
    {
        final int countsOffset = CountTable.BITS_OFFSET + table.words() * Long.BYTES;
        final int slotLength = (int)(table.slotBytes() / table.positions());
        return (slotLength - countsOffset) / Long.BYTES;
    }

    private static void assertRoom(
        final CountTable table,
        final Map<Long, TreeMap<Integer, Long>> model,
        final long roomId,
        final CountTableReader reader)
    {
        final TreeMap<Integer, Long> counts = model.get(roomId);
        final long position = table.find(roomId);
        assertEquals(null == counts, position < 0, "room " + roomId);
        long sum = 0;
        if (null != counts)
        {
            final long at = table.slotAddress(position);
            assertEquals(counts.size(), table.used(at));
            final long address = table.countsAddress(at);
            int index = 0;
            for (final Map.Entry<Integer, Long> count : counts.entrySet())
            {
                assertTrue(table.has(at, count.getKey()));
                assertEquals(count.getValue(), table.count(at, count.getKey()));
                assertEquals(count.getValue(), table.countAt(address, index++), "counts in owner slot order");
                assertEquals(count.getValue(), reader.count(roomId, count.getKey()));
                sum += count.getValue();
            }
            int bits = 0;
            for (int w = 0; w < table.words(); w++)
            {
                bits += Long.bitCount(table.bits(at, w));
            }
            assertEquals(counts.size(), bits);
        }
        assertEquals(sum, reader.sum(roomId));
    }

    @Test
    void shouldVisitEachRoomPresentThroughoutExactlyOnceWhileRoomsComeAndGoBetweenSegments()
    {
        final int maxRooms = 3_000;
        final Random random = new Random(3);
        try (RoomCounts counts = new RoomCounts(1, 4, maxRooms))
        {
            final int slot = counts.acquireSlot(2);
            final Set<Long> present = new HashSet<>();
            long nextRoom = 1;
            while (present.size() < maxRooms - 100)
            {
                counts.setRow(slot, nextRoom, nextRoom);
                present.add(nextRoom++);
            }
            assertTrue(counts.segments() > 3, "segments " + counts.segments());
            final Set<Long> throughout = new HashSet<>(present);
            final Map<Long, Integer> visits = new HashMap<>();
            for (int segment = 0; segment < counts.segments(); segment++)
            {
                counts.forEachRowInSegment(slot, segment, (roomId, count) ->
                {
                    assertEquals(roomId, count);
                    visits.merge(roomId, 1, Integer::sum);
                });
                // Rooms go (shifting later rooms of their run back) and come between the segments.
                for (int i = 0; i < 40; i++)
                {
                    final Long gone = present.stream().skip(random.nextInt(present.size())).findFirst().orElseThrow();
                    counts.setRow(slot, gone, 0);
                    present.remove(gone);
                    throughout.remove(gone);
                }
                for (int i = 0; i < 40; i++)
                {
                    counts.setRow(slot, nextRoom, nextRoom);
                    present.add(nextRoom++);
                }
            }
            for (final long roomId : throughout)
            {
                assertEquals(1, visits.getOrDefault(roomId, 0), "room " + roomId);
            }
            visits.values().forEach(times -> assertEquals(1, times));
        }
    }

    @Test
    void shouldSweepRoomsAwayWhileWalkingTheirRunsAndKeepEveryOwnedCount()
    {
        final int maxRooms = 4_000;
        final Random random = new Random(5);
        try (RoomCounts counts = new RoomCounts(1, 3, maxRooms))
        {
            final int kept = counts.acquireSlot(2);
            final int removed = counts.acquireSlot(3);
            final Map<Long, Long> keptRows = new HashMap<>();
            for (long roomId = 1; roomId <= maxRooms; roomId++)
            {
                // Most rooms held by the removed owner alone: their removal shifts the runs being walked.
                counts.setRow(removed, roomId, 1);
                if (random.nextInt(4) == 0)
                {
                    counts.setRow(kept, roomId, roomId);
                    keptRows.put(roomId, roomId);
                }
            }
            assertEquals(maxRooms, counts.removeOwner(3));
            int steps = 0;
            while (counts.sweep(100) > 0)
            {
                steps++;
            }
            assertTrue(steps > 3, "steps " + steps);
            assertFalse(counts.isSweeping());
            assertEquals(keptRows.size(), counts.entries());
            for (long roomId = 1; roomId <= maxRooms; roomId++)
            {
                assertEquals(keptRows.getOrDefault(roomId, 0L), counts.count(kept, roomId), "room " + roomId);
                assertEquals(keptRows.getOrDefault(roomId, 0L), counts.sum(roomId));
            }
        }
    }

    /**
     * What readers rely on (the stress tests in {@link StateReaderTest} play it out): each change of more than one
     * word of a slot leaves its sequence advanced by 2 (odd meanwhile), a count changed in place is one store, and
     * each removal advances the table's move count by 2 whatever else it moves.
     */
    @Test
    void shouldAdvanceTheSequencesReadersCheckAroundEveryChangeTheyMustNotSeeHalfMade()
    {
        try (CountTable table = new CountTable(64, 16))
        {
            final long room = 77;
            final long empty = table.find(room);
            table.insert(empty, room, 3, 30);
            final long at = table.slotAddress(-empty - 1);
            int sequence = table.sequence(at);
            assertEquals(2, sequence, "insert");

            table.setCount(at, 3, 31);
            assertEquals(sequence, table.sequence(at), "a count in place is one store");
            for (int slot = 4; slot < 16; slot++)
            {
                // Past 5 counts they move to a block, then to larger ones.
                table.add(at, slot, slot);
                assertEquals(sequence += 2, table.sequence(at), "add of slot " + slot);
            }
            assertTrue(table.blocksInUse() > 0);
            for (int slot = 15; slot > 6; slot--)
            {
                table.remove(at, slot);
                assertEquals(sequence += 2, table.sequence(at), "remove of slot " + slot);
            }
            assertEquals(0, table.blocksInUse(), "back inline");
            assertTrue(table.retain(at, new long[]{ 1L << 3 | 1L << 5 }));
            assertEquals(sequence += 2, table.sequence(at), "retain");
            assertFalse(table.retain(at, new long[]{ -1L }));
            assertEquals(sequence, table.sequence(at), "nothing to take out: not changed");

            final long moves = table.moves();
            table.delete(table.find(room));
            assertEquals(moves + 2, table.moves(), "delete");
            assertTrue(table.find(room) < 0);
        }
    }

    @Test
    void shouldReuseABlockBySizeAndAnArenaEmptiedOfOneSizeForAnother()
    {
        try (CountBlocks blocks = new CountBlocks(64))
        {
            final long first = blocks.allocate(8);
            final long second = blocks.allocate(2);
            assertEquals(80, blocks.bytesInUse());
            blocks.free(first, 8);
            assertEquals(first, blocks.allocate(8), "a freed block is reused by its own size");
            assertTrue(second != blocks.allocate(2));

            // Rooms growing in lockstep: 20,000 blocks of 8 counts, then each swapped for one of 16, then 32.
            final long[] rooms = new long[20_000];
            for (int i = 0; i < rooms.length; i++)
            {
                rooms[i] = blocks.allocate(8);
            }
            final int arenasAt8 = blocks.arenas();
            for (final int capacity : new int[]{ 16, 32 })
            {
                for (int i = 0; i < rooms.length; i++)
                {
                    final long grown = blocks.allocate(capacity);
                    blocks.free(rooms[i], capacity / 2);
                    rooms[i] = grown;
                }
            }
            // Each size's peak held at once would be 2 + 3 + 5 arenas (plus the one of the blocks of 2); the arenas
            // the 8s and 16s left serve the 32s, so only the 16s still held while the 32s grow come on top.
            final int peaks = arenasFor(rooms.length, 8) + arenasFor(rooms.length, 16) + arenasFor(rooms.length, 32);
            assertEquals(3, arenasAt8);
            assertTrue(blocks.arenas() <= 1 + arenasFor(rooms.length, 16) + arenasFor(rooms.length, 32) &&
                blocks.arenas() < 1 + peaks, "arenas " + blocks.arenas() + ", each size's peak " + peaks);
            for (final long block : rooms)
            {
                blocks.free(block, 32);
            }
            assertEquals(3, blocks.blocksInUse());
            blocks.clear();
            assertEquals(0, blocks.bytesInUse());
            assertTrue(0 != blocks.allocate(64));
        }
        assertEquals(2, CountBlocks.capacityFor(2));
        assertEquals(8, CountBlocks.capacityFor(5));
        assertEquals(1, CountBlocks.capacityFor(1));
        assertThrows(IllegalArgumentException.class, () -> new CountBlocks(6));
        assertThrows(IllegalArgumentException.class, () -> new CountTable(10, CountTable.MAX_SLOTS + 1));
    }
}
