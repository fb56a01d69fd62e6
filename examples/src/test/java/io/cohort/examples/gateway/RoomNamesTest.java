package io.cohort.examples.gateway;

import io.cohort.state.RoomMetadata;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoomNamesTest
{
    private final UnsafeBuffer metadata = new UnsafeBuffer(new byte[256]);

    @Test
    void shouldReadAChatRoomsNameBackFromTheMetadataTheGatewayCreatesItWith()
    {
        final int offset = 7;
        encode(offset, Gateway.ROOM_INDEX, Gateway.ROOM_COLLECTION, RoomNames.filter("lobby.2_x-y"));
        assertEquals("lobby.2_x-y", RoomNames.name(metadata, offset));
    }

    @Test
    void shouldNotNameARoomOfAnotherIndexOrCollection()
    {
        encode(0, "chatx", Gateway.ROOM_COLLECTION, RoomNames.filter("lobby"));
        assertNull(RoomNames.name(metadata, 0));
        encode(0, Gateway.ROOM_INDEX, "room", RoomNames.filter("lobby"));
        assertNull(RoomNames.name(metadata, 0));
        // The same bytes split differently between the fields are another room.
        encode(0, Gateway.ROOM_INDEX + Gateway.ROOM_COLLECTION, "", RoomNames.filter("lobby"));
        assertNull(RoomNames.name(metadata, 0));
    }

    private void encode(final int offset, final String index, final String collection, final byte[] filter)
    {
        final byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
        final byte[] collectionBytes = collection.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[indexBytes.length + collectionBytes.length + filter.length]);
        src.putBytes(0, indexBytes);
        src.putBytes(indexBytes.length, collectionBytes);
        src.putBytes(indexBytes.length + collectionBytes.length, filter);
        RoomMetadata.encode(metadata, offset, src, 0, indexBytes.length, indexBytes.length, collectionBytes.length,
            indexBytes.length + collectionBytes.length, filter.length);
    }
}
