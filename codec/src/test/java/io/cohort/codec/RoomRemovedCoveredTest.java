package io.cohort.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A room removal's covered entries: how far the remover had applied each member's stream. Their layout, and the
 * refusal of a body whose list is cut short, negative or longer than the members a cluster can have.
 */
class RoomRemovedCoveredTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final RoomRemovedEncoder encoder = new RoomRemovedEncoder();
    private final RoomRemovedDecoder decoder = new RoomRemovedDecoder();

    @Test
    void shouldWriteAndReadTheCoveredEntriesAtTheirPlaces()
    {
        final int offset = 5;
        final int length = RoomRemovedEncoder.bodyLength(2);
        assertEquals(12 + 2 * 24, length);
        encoder.wrap(buffer, offset).roomId(0x1122334455667788L).coveredCount(2)
            .covered(0, 7L, 1_000L, 42L)
            .covered(1, 9L, 2_000L, 4_242L);

        assertEquals(DecodeResult.OK, MessageType.validateBody(MessageType.ROOM_REMOVED, buffer, offset, length,
            CodecLimits.DEFAULT));
        assertEquals(0x1122334455667788L, buffer.getLong(offset, BYTE_ORDER));
        assertEquals(2, buffer.getInt(offset + 8, BYTE_ORDER));
        assertEquals(7L, buffer.getLong(offset + 12, BYTE_ORDER));
        assertEquals(1_000L, buffer.getLong(offset + 20, BYTE_ORDER));
        assertEquals(42L, buffer.getLong(offset + 28, BYTE_ORDER));
        assertEquals(9L, buffer.getLong(offset + 36, BYTE_ORDER));

        decoder.wrap(buffer, offset, length);
        assertEquals(0x1122334455667788L, decoder.roomId());
        assertEquals(2, decoder.coveredCount());
        assertEquals(9L, decoder.coveredNodeId(1));
        assertEquals(2_000L, decoder.coveredIncarnation(1));
        assertEquals(4_242L, decoder.coveredSequence(1));
    }

    @Test
    void shouldReadABodyWithTheRoomIdAloneAsCoveringNothing()
    {
        encoder.wrap(buffer, 0).roomId(3L);

        assertEquals(DecodeResult.OK, MessageType.validateBody(MessageType.ROOM_REMOVED, buffer, 0,
            RoomRemovedEncoder.BODY_LENGTH, CodecLimits.DEFAULT));
        assertEquals(0, decoder.wrap(buffer, 0, RoomRemovedEncoder.BODY_LENGTH).coveredCount());
        assertEquals(3L, decoder.roomId());
    }

    @Test
    void shouldRefuseACoveredListThatDoesNotFitItsBody()
    {
        encoder.wrap(buffer, 0).roomId(3L).coveredCount(2).covered(0, 1L, 1L, 1L);

        assertEquals(DecodeResult.TRUNCATED_MESSAGE, validate(RoomRemovedEncoder.BODY_LENGTH + 2));
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(RoomRemovedEncoder.bodyLength(1)));
        assertEquals(DecodeResult.OK, validate(RoomRemovedEncoder.bodyLength(2)));

        encoder.coveredCount(-1);
        assertEquals(DecodeResult.BAD_FIELD_LENGTH, validate(RoomRemovedEncoder.bodyLength(2)));

        encoder.coveredCount(CodecLimits.DEFAULT.maxMembers() + 1);
        assertEquals(DecodeResult.FIELD_TOO_LARGE, validate(RoomRemovedEncoder.bodyLength(2)));
    }

    private DecodeResult validate(final int bodyLength)
    {
        return MessageType.validateBody(MessageType.ROOM_REMOVED, buffer, 0, bodyLength, CodecLimits.DEFAULT);
    }
}
