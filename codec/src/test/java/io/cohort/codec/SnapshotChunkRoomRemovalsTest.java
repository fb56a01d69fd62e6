package io.cohort.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot chunk of room removals: the last removal its sender applied of each room its table lacks. Its layout,
 * the refusal of a list cut short or negative, and of such a chunk that also carries counts, rooms, table streams or
 * an owner.
 */
class SnapshotChunkRoomRemovalsTest
{
    private static final int OFFSET = 5;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();

    private SnapshotChunkEncoder wrapRemovalsChunk()
    {
        return encoder.wrap(buffer, OFFSET, 256).correlationId(9L).owner(0, 0, 0).chunkIndex(1)
            .flags(SnapshotChunkDecoder.FLAG_ROOM_REMOVALS);
    }

    @Test
    void shouldWriteAndReadTheRemovalsAtTheirPlaces()
    {
        wrapRemovalsChunk();
        assertTrue(encoder.addRoomRemoval(0x33L, 7L, 1_000L, 42L));
        assertTrue(encoder.addRoomRemoval(0x44L, 9L, 2_000L, 4_242L));
        final int length = encoder.encodedLength();
        assertEquals(60 + 2 * 32, length);
        assertEquals(2, buffer.getInt(OFFSET + 56, BYTE_ORDER));
        assertEquals(0x33L, buffer.getLong(OFFSET + 60, BYTE_ORDER));
        assertEquals(7L, buffer.getLong(OFFSET + 68, BYTE_ORDER));
        assertEquals(1_000L, buffer.getLong(OFFSET + 76, BYTE_ORDER));
        assertEquals(42L, buffer.getLong(OFFSET + 84, BYTE_ORDER));
        assertEquals(0x44L, buffer.getLong(OFFSET + 92, BYTE_ORDER));

        assertEquals(DecodeResult.OK, validate(length));
        decoder.wrap(buffer, OFFSET, length);
        assertTrue(decoder.hasRoomRemovals());
        assertFalse(decoder.hasTableStreams());
        assertEquals(0, decoder.tableStreamCount());
        assertEquals(0, decoder.countEntries());
        assertEquals(0, decoder.roomEntries());
        assertEquals(2, decoder.roomRemovalCount());
        assertEquals(0x44L, decoder.roomRemovalRoomId(1));
        assertEquals(9L, decoder.roomRemovalNodeId(1));
        assertEquals(2_000L, decoder.roomRemovalIncarnation(1));
        assertEquals(4_242L, decoder.roomRemovalSequence(1));
    }

    @Test
    void shouldReadNoRemovalsInAChunkWithoutTheFlag()
    {
        encoder.wrap(buffer, OFFSET, 256).owner(0, 0, 0).flags(SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        assertTrue(encoder.addTableStream(5L, 1L, 1L));

        assertEquals(DecodeResult.OK, validate(encoder.encodedLength()));
        decoder.wrap(buffer, OFFSET, encoder.encodedLength());
        assertFalse(decoder.hasRoomRemovals());
        assertEquals(0, decoder.roomRemovalCount());
    }

    @Test
    void shouldStopAddingWhenTheChunkIsFull()
    {
        encoder.wrap(buffer, OFFSET, 60 + 32 + 31);
        assertTrue(encoder.addRoomRemoval(1L, 1L, 1L, 1L));
        assertFalse(encoder.addRoomRemoval(2L, 2L, 2L, 2L));
        assertEquals(1, encoder.roomRemovals());
        assertEquals(60 + 32, encoder.encodedLength());
    }

    @Test
    void shouldKeepRemovalsApartFromCountsRoomsAndStreams()
    {
        wrapRemovalsChunk().addRoomRemoval(1L, 1L, 1L, 1L);
        assertThrows(IllegalStateException.class, () -> encoder.addCount(5L, 1L));
        assertThrows(IllegalStateException.class, () -> encoder.addTableStream(1L, 1L, 1L));

        encoder.wrap(buffer, OFFSET, 256).addCount(5L, 1L);
        assertThrows(IllegalStateException.class, () -> encoder.addRoomRemoval(1L, 1L, 1L, 1L));

        encoder.wrap(buffer, OFFSET, 256).addTableStream(1L, 1L, 1L);
        assertThrows(IllegalStateException.class, () -> encoder.addRoomRemoval(1L, 1L, 1L, 1L));
    }

    @Test
    void shouldRefuseARemovalListThatDoesNotFitItsBody()
    {
        wrapRemovalsChunk();
        encoder.addRoomRemoval(1L, 1L, 1L, 1L);
        encoder.addRoomRemoval(2L, 2L, 2L, 2L);

        assertEquals(DecodeResult.TRUNCATED_MESSAGE, validate(58));
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(60 + 32));
        assertEquals(DecodeResult.OK, validate(60 + 64));

        buffer.putInt(OFFSET + 56, -1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(60 + 64));

        buffer.putInt(OFFSET + 56, Integer.MAX_VALUE, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(60 + 64), "a count past the body, not an overflow");
    }

    @Test
    void shouldRefuseRemovalsInAChunkOfAnOwnerWithEntriesOrWithStreams()
    {
        wrapRemovalsChunk().addRoomRemoval(1L, 1L, 1L, 1L);
        final int length = encoder.encodedLength();

        encoder.owner(5L, 1L, 1L);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "the removals describe owner 0's rooms");

        encoder.owner(0, 0, 0);
        buffer.putInt(OFFSET + 48, 1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "with a count entry");

        buffer.putInt(OFFSET + 48, 0, BYTE_ORDER);
        buffer.putInt(OFFSET + 52, 1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "with a room entry");

        buffer.putInt(OFFSET + 52, 0, BYTE_ORDER);
        encoder.flags(SnapshotChunkDecoder.FLAG_ROOM_REMOVALS | SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "read as both lists at once");

        encoder.flags(SnapshotChunkDecoder.FLAG_ROOM_REMOVALS | SnapshotChunkDecoder.FLAG_LAST);
        assertEquals(DecodeResult.OK, validate(length));
    }

    private DecodeResult validate(final int bodyLength)
    {
        return MessageType.validateBody(MessageType.SNAPSHOT_CHUNK, buffer, OFFSET, bodyLength, CodecLimits.DEFAULT);
    }
}
