package io.cohort.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot chunk of table streams: how far a room source had applied each stream when it began reading its rooms.
 * Its layout, the refusal of a list cut short, negative or longer than the members a cluster can have, and of such a
 * chunk that also carries counts, rooms or an owner.
 */
class SnapshotChunkTableStreamsTest
{
    private static final int OFFSET = 3;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();

    private SnapshotChunkEncoder wrapStreamsChunk()
    {
        return encoder.wrap(buffer, OFFSET, 256).correlationId(9L).owner(0, 0, 0).chunkIndex(0)
            .flags(SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
    }

    @Test
    void shouldWriteAndReadTheStreamsAtTheirPlaces()
    {
        wrapStreamsChunk();
        assertTrue(encoder.addTableStream(7L, 1_000L, 42L));
        assertTrue(encoder.addTableStream(9L, 2_000L, 4_242L));
        final int length = encoder.encodedLength();
        assertEquals(60 + 2 * 24, length);
        assertEquals(2, buffer.getInt(OFFSET + 56, BYTE_ORDER));
        assertEquals(7L, buffer.getLong(OFFSET + 60, BYTE_ORDER));
        assertEquals(1_000L, buffer.getLong(OFFSET + 68, BYTE_ORDER));
        assertEquals(42L, buffer.getLong(OFFSET + 76, BYTE_ORDER));
        assertEquals(9L, buffer.getLong(OFFSET + 84, BYTE_ORDER));

        assertEquals(DecodeResult.OK, validate(length));
        decoder.wrap(buffer, OFFSET, length);
        assertTrue(decoder.hasTableStreams());
        assertEquals(0, decoder.countEntries());
        assertEquals(0, decoder.roomEntries());
        assertEquals(2, decoder.tableStreamCount());
        assertEquals(9L, decoder.tableStreamNodeId(1));
        assertEquals(2_000L, decoder.tableStreamIncarnation(1));
        assertEquals(4_242L, decoder.tableStreamSequence(1));
    }

    @Test
    void shouldReadNoStreamsInAChunkWithoutTheFlag()
    {
        encoder.wrap(buffer, OFFSET, 256).flags(SnapshotChunkDecoder.FLAG_LAST);
        assertTrue(encoder.addCount(5L, 1L));

        assertEquals(DecodeResult.OK, validate(encoder.encodedLength()));
        decoder.wrap(buffer, OFFSET, encoder.encodedLength());
        assertFalse(decoder.hasTableStreams());
        assertEquals(0, decoder.tableStreamCount());
    }

    @Test
    void shouldStopAddingWhenTheChunkIsFull()
    {
        encoder.wrap(buffer, OFFSET, 60 + 24 + 23);
        assertTrue(encoder.addTableStream(1L, 1L, 1L));
        assertFalse(encoder.addTableStream(2L, 2L, 2L));
        assertEquals(1, encoder.tableStreams());
        assertEquals(60 + 24, encoder.encodedLength());
    }

    @Test
    void shouldKeepStreamsApartFromCountsAndRooms()
    {
        wrapStreamsChunk().addTableStream(1L, 1L, 1L);
        assertThrows(IllegalStateException.class, () -> encoder.addCount(5L, 1L));

        encoder.wrap(buffer, OFFSET, 256).addCount(5L, 1L);
        assertThrows(IllegalStateException.class, () -> encoder.addTableStream(1L, 1L, 1L));
    }

    @Test
    void shouldRefuseAStreamListThatDoesNotFitItsBody()
    {
        wrapStreamsChunk();
        encoder.addTableStream(1L, 1L, 1L);
        encoder.addTableStream(2L, 2L, 2L);

        assertEquals(DecodeResult.TRUNCATED_MESSAGE, validate(58));
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(60 + 24));
        assertEquals(DecodeResult.OK, validate(60 + 48));

        buffer.putInt(OFFSET + 56, -1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(60 + 48));

        buffer.putInt(OFFSET + 56, CodecLimits.DEFAULT.maxMembers() + 1, BYTE_ORDER);
        assertEquals(DecodeResult.FIELD_TOO_LARGE, validate(60 + 48));
    }

    @Test
    void shouldRefuseStreamsInAChunkOfAnOwnerOrWithEntries()
    {
        wrapStreamsChunk().addTableStream(1L, 1L, 1L);
        final int length = encoder.encodedLength();

        encoder.owner(5L, 1L, 1L);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "the streams describe owner 0's rooms");

        encoder.owner(0, 0, 0);
        buffer.putInt(OFFSET + 48, 1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "with a count entry");

        buffer.putInt(OFFSET + 48, 0, BYTE_ORDER);
        buffer.putInt(OFFSET + 52, 1, BYTE_ORDER);
        assertEquals(DecodeResult.BAD_FIELD_VALUE, validate(length), "with a room entry");
    }

    private DecodeResult validate(final int bodyLength)
    {
        return MessageType.validateBody(MessageType.SNAPSHOT_CHUNK, buffer, OFFSET, bodyLength, CodecLimits.DEFAULT);
    }
}
