package io.cohort.state;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomTableTest
{
    private static final int AVERAGE_ROOM_BYTES = 64;

    @Test
    void shouldKeepEachSegmentOfAFullTableNearASlicesWorthOfRooms()
    {
        // A segment is the unit a snapshot's rooms are read in: Chronicle's own choice (32 segments for 125 k rooms)
        // put about 3,900 rooms in one, many slices of work in a single unit on the node thread.
        final int maxRooms = 125_000;
        try (RoomTable table = new RoomTable(maxRooms, AVERAGE_ROOM_BYTES, 64, 64))
        {
            final UnsafeBuffer metadata = new UnsafeBuffer(new byte[AVERAGE_ROOM_BYTES]);
            for (long roomId = 1; roomId <= maxRooms; roomId++)
            {
                final int length = encodeRoom(metadata, roomId);
                assertEquals(StateResult.ROOM_CREATED, table.create(roomId, metadata, 0, length));
            }

            final Map<Long, Integer> visits = new HashMap<>();
            int largestSegment = 0;
            for (int segment = 0; segment < table.segments(); segment++)
            {
                final int visited = table.forEachInSegment(segment, (roomId, room, offset, length) ->
                    visits.merge(roomId, 1, Integer::sum));
                largestSegment = Math.max(largestSegment, visited);
            }

            assertEquals(maxRooms, visits.size());
            assertTrue(visits.values().stream().allMatch(count -> count == 1), "a room visited twice");
            assertTrue(table.segments() >= maxRooms / RoomTable.ROOMS_PER_SEGMENT, "segments " + table.segments());
            assertTrue(largestSegment <= 2 * RoomTable.ROOMS_PER_SEGMENT, "largest segment " + largestSegment);
        }
    }

    @Test
    void shouldAskForOneSegmentPerSlicesWorthOfRooms()
    {
        assertEquals(1, RoomTable.minSegments(1));
        assertEquals(1, RoomTable.minSegments(RoomTable.ROOMS_PER_SEGMENT));
        assertEquals(2, RoomTable.minSegments(RoomTable.ROOMS_PER_SEGMENT + 1));
        assertEquals(245, RoomTable.minSegments(125_000));
    }

    private static int encodeRoom(final UnsafeBuffer metadata, final long roomId)
    {
        final byte[] name = ("room-" + roomId).getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer fields = new UnsafeBuffer(name);
        return RoomMetadata.encode(metadata, 0, fields, 0, name.length, 0, name.length, 0, 0);
    }
}
