package io.cohort.state;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small states and rooms for tests: capacities are tiny so that maps are created in milliseconds.
 */
final class TestStates
{
    static final long LOCAL_NODE = 0x10CA1L;

    private TestStates()
    {
    }

    static StateContext smallContext()
    {
        return new StateContext()
            .localNodeId(LOCAL_NODE)
            .maxRooms(64)
            .maxConnections(64)
            .maxRoomsPerConnection(16)
            .maxOverflowSubscriptions(64)
            .maxFilterBytes(1024)
            .averageRoomBytes(64)
            .maxNodes(4)
            .snapshotFrameLength(4096);
    }

    static UnsafeBuffer metadata(final String indexName, final String collectionName, final byte[] filter)
    {
        final byte[] index = indexName.getBytes(StandardCharsets.UTF_8);
        final byte[] collection = collectionName.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[index.length + collection.length + filter.length]);
        fields.putBytes(0, index);
        fields.putBytes(index.length, collection);
        fields.putBytes(index.length + collection.length, filter);
        final UnsafeBuffer buffer = new UnsafeBuffer(
            new byte[RoomMetadata.encodedLength(index.length, collection.length, filter.length)]);
        RoomMetadata.encode(buffer, 0, fields, 0, index.length, index.length, collection.length,
            index.length + collection.length, filter.length);
        return buffer;
    }

    static long createRoom(final SubscriptionState state, final String indexName, final String collectionName,
        final byte[] filter)
    {
        final UnsafeBuffer metadata = metadata(indexName, collectionName, filter);
        final long roomId = RoomIds.roomId(metadata, 0, metadata.capacity());
        assertEquals(StateResult.ROOM_CREATED, state.createRoom(roomId, metadata, 0, metadata.capacity()));
        return roomId;
    }

    static long createRoom(final SubscriptionState state, final int n)
    {
        return createRoom(state, "index", "collection" + n, ("filter-" + n).getBytes(StandardCharsets.UTF_8));
    }

    /** Records every local count change. */
    static final class RecordingListener implements LocalCountListener
    {
        final List<long[]> changes = new ArrayList<>();

        public void onLocalCountChanged(final long roomId, final long previousCount, final long newCount)
        {
            changes.add(new long[]{ roomId, previousCount, newCount });
        }

        long[] last()
        {
            return changes.get(changes.size() - 1);
        }
    }
}
