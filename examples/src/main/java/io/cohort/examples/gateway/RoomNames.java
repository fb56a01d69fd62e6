package io.cohort.examples.gateway;

import io.cohort.state.RoomMetadata;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * How a chat room's name maps to a Cohort room and back: the gateway creates every room in index
 * {@link Gateway#ROOM_INDEX}, collection {@link Gateway#ROOM_COLLECTION}, with the name's ASCII bytes as its filter,
 * so the name of any room the node knows is read back from the room's metadata ({@code CohortNode.roomMetadata}).
 */
final class RoomNames
{
    private static final byte[] INDEX = Gateway.ROOM_INDEX.getBytes(StandardCharsets.UTF_8);
    private static final byte[] COLLECTION = Gateway.ROOM_COLLECTION.getBytes(StandardCharsets.UTF_8);

    private RoomNames()
    {
    }

    /**
     * The filter of a chat room: a valid room name holds only ASCII characters ({@link ChatProtocol}).
     */
    static byte[] filter(final String room)
    {
        return room.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a chat room's name back from a room's metadata.
     *
     * @param metadata holding the metadata, as {@link RoomMetadata} encodes it.
     * @param offset   where it starts.
     * @return the name, or null if the room is not a chat room (another index or collection).
     */
    static String name(final DirectBuffer metadata, final int offset)
    {
        if (!equal(metadata, RoomMetadata.indexNameOffset(metadata, offset),
            RoomMetadata.indexNameLength(metadata, offset), INDEX) ||
            !equal(metadata, RoomMetadata.collectionNameOffset(metadata, offset),
            RoomMetadata.collectionNameLength(metadata, offset), COLLECTION))
        {
            return null;
        }
        return metadata.getStringWithoutLengthAscii(
            RoomMetadata.filterOffset(metadata, offset), RoomMetadata.filterLength(metadata, offset));
    }

    private static boolean equal(final DirectBuffer buffer, final int offset, final int length, final byte[] expected)
    {
        if (length != expected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }
}
