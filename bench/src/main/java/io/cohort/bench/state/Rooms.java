package io.cohort.bench.state;

import io.cohort.state.RoomIds;
import io.cohort.state.RoomMetadata;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Room metadata for the state benchmarks.
 */
final class Rooms
{
    /** Comfortably above the size of the rooms {@link #create} makes (about 45 bytes). */
    static final int AVERAGE_ROOM_BYTES = 64;

    private Rooms()
    {
    }

    /**
     * The {@link RoomMetadata} encoding of a room (allocates: set-up only).
     *
     * @param indexName      the index name.
     * @param collectionName the collection name.
     * @param filter         the filter bytes.
     * @return a buffer holding exactly the encoding.
     */
    static UnsafeBuffer metadata(final String indexName, final String collectionName, final byte[] filter)
    {
        final byte[] index = indexName.getBytes(StandardCharsets.UTF_8);
        final byte[] collection = collectionName.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[index.length + collection.length + filter.length]);
        fields.putBytes(0, index);
        fields.putBytes(index.length, collection);
        fields.putBytes(index.length + collection.length, filter);
        final UnsafeBuffer metadata = new UnsafeBuffer(
            new byte[RoomMetadata.encodedLength(index.length, collection.length, filter.length)]);
        RoomMetadata.encode(metadata, 0, fields, 0, index.length, index.length, collection.length,
            index.length + collection.length, filter.length);
        return metadata;
    }

    /**
     * Creates the n-th benchmark room: index "products", collection "catalog", a small JSON filter.
     *
     * @param state to create it in.
     * @param n     which room.
     * @return its room id.
     */
    static long create(final SubscriptionState state, final int n)
    {
        final byte[] filter = ("{\"price\":{\"lt\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer metadata = metadata("products", "catalog", filter);
        final long roomId = RoomIds.roomId(metadata, 0, metadata.capacity());
        final StateResult result = state.createRoom(roomId, metadata, 0, metadata.capacity());
        if (StateResult.ROOM_CREATED != result)
        {
            throw new IllegalStateException("room n=" + n + " not created: " + result);
        }
        return roomId;
    }
}
