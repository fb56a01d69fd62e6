package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.MessageType;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.codec.RoomCountEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundBatcherTest
{
    private static final long CLUSTER_ID = 0x4321;
    private static final long NODE_ID = 0x1234;
    private static final long INCARNATION = 77;
    private static final int MESSAGE_LENGTH = FrameLayout.MESSAGE_HEADER_LENGTH + RoomCountEncoder.BODY_LENGTH;
    /** Room for exactly three ROOM_COUNT messages. */
    private static final int SMALL_FRAME = FrameLayout.MIN_FRAME_LENGTH + 3 * MESSAGE_LENGTH;

    /** A sink that copies and decodes every frame it accepts, and refuses while told to. */
    static final class RecordingSink implements FrameSink
    {
        record Frame(long destination, long sender, long incarnation, long frameDestination, long firstSequence,
            int length, long[] sequences, long[] roomIds)
        {
        }

        final List<Frame> frames = new ArrayList<>();
        final FrameDecoder decoder = new FrameDecoder();
        final RoomCountDecoder roomCount = new RoomCountDecoder();
        boolean accepting = true;
        Random refuseRandomly;
        int offered;

        public boolean send(final long destinationNodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            offered++;
            if (!accepting || (null != refuseRandomly && refuseRandomly.nextInt(3) == 0))
            {
                return false;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            final UnsafeBuffer frameBuffer = new UnsafeBuffer(copy);
            assertEquals(DecodeResult.OK, decoder.wrap(frameBuffer, 0, length), "every frame sent is well formed");
            final long[] sequences = new long[decoder.messageCount()];
            final long[] roomIds = new long[decoder.messageCount()];
            int i = 0;
            while (decoder.nextMessage())
            {
                sequences[i] = decoder.messageSequence();
                roomIds[i] = MessageType.ROOM_COUNT == decoder.messageType() ?
                    roomCount.wrap(frameBuffer, decoder.bodyOffset(), decoder.bodyLength()).roomId() : -1;
                i++;
            }
            frames.add(new Frame(destinationNodeId, decoder.senderNodeId(), decoder.senderIncarnation(),
                decoder.destinationNodeId(), decoder.firstSequence(), length, sequences, roomIds));
            return true;
        }

        List<Long> roomIds(final long destination)
        {
            final List<Long> ids = new ArrayList<>();
            for (final Frame frame : frames)
            {
                if (frame.destination() == destination)
                {
                    for (final long id : frame.roomIds())
                    {
                        ids.add(id);
                    }
                }
            }
            return ids;
        }

        List<Long> sequences(final long destination)
        {
            final List<Long> sequences = new ArrayList<>();
            for (final Frame frame : frames)
            {
                if (frame.destination() == destination)
                {
                    for (final long sequence : frame.sequences())
                    {
                        sequences.add(sequence);
                    }
                }
            }
            return sequences;
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final RoomCountEncoder roomCount = new RoomCountEncoder();

    private boolean broadcast(final OutboundBatcher batcher, final long roomId)
    {
        final int at = batcher.claimBroadcast(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        roomCount.wrap(batcher.broadcastBuffer(), at).roomId(roomId).count(1);
        return true;
    }

    private boolean direct(final OutboundBatcher batcher, final long destination, final long roomId)
    {
        final int at = batcher.claimDirected(destination, MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        roomCount.wrap(batcher.directedBuffer(destination), at).roomId(roomId).count(1);
        return true;
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++)
        {
            values.add(v);
        }
        return values;
    }

    @Test
    void shouldNumberMessagesOfEachStreamFromFirstSequence()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        batcher.addDestination(7);
        batcher.addDestination(8);

        assertTrue(broadcast(batcher, 100));
        assertTrue(direct(batcher, 7, 700));
        assertTrue(broadcast(batcher, 101));
        assertTrue(direct(batcher, 7, 701));
        assertTrue(direct(batcher, 8, 800));
        assertTrue(broadcast(batcher, 102));

        assertEquals(4, batcher.nextBroadcastSequence());
        assertEquals(3, batcher.nextDirectedSequence(7));
        assertEquals(2, batcher.nextDirectedSequence(8));
        assertEquals(0, sink.frames.size(), "nothing sent before flush");

        assertEquals(3, batcher.flush());

        assertEquals(List.of(1L, 2L, 3L), sink.sequences(FrameLayout.BROADCAST));
        assertEquals(List.of(100L, 101L, 102L), sink.roomIds(FrameLayout.BROADCAST));
        assertEquals(List.of(1L, 2L), sink.sequences(7));
        assertEquals(List.of(700L, 701L), sink.roomIds(7));
        assertEquals(List.of(1L), sink.sequences(8));
        for (final RecordingSink.Frame frame : sink.frames)
        {
            assertEquals(NODE_ID, frame.sender());
            assertEquals(INCARNATION, frame.incarnation());
            assertEquals(frame.destination(), frame.frameDestination(), "frame header names its stream's destination");
        }
        assertEquals(3, batcher.framesSent());
        assertEquals(6, batcher.messagesSent());
        assertEquals(sink.frames.stream().mapToLong(RecordingSink.Frame::length).sum(), batcher.bytesSent());
        assertEquals(0, batcher.refusals());
    }

    @Test
    void shouldContinueSequencesAcrossFlushes()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 3; i++)
            {
                assertTrue(broadcast(batcher, round * 10 + i));
            }
            assertEquals(1, batcher.flush());
        }

        assertEquals(5, sink.frames.size());
        assertEquals(range(1, 15), sink.sequences(FrameLayout.BROADCAST));
        for (int i = 0; i < 5; i++)
        {
            assertEquals(1 + 3L * i, sink.frames.get(i).firstSequence());
        }
    }

    @Test
    void shouldSendNothingWhenNothingWasClaimed()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        batcher.addDestination(7);

        assertEquals(0, batcher.flush());
        assertTrue(broadcast(batcher, 1));
        assertEquals(1, batcher.flush());
        assertEquals(0, batcher.flush(), "a flushed frame is not sent again");

        assertEquals(1, sink.frames.size());
        assertEquals(1, sink.offered);
    }

    @Test
    void shouldResendOnlyTheRefusedFrameUnchangedAndSendEveryNewFrame()
    {
        // ZmqTransport keeps the array of a refused frame and hands it over again on resend without copying: that is
        // right only if resend comes after a refusal of the same stream and carries the same bytes.
        final List<String> calls = new ArrayList<>();
        final byte[][] lastOffered = new byte[1][];
        final boolean[] accepting = { false };
        final FrameSink sink = new FrameSink()
        {
            public boolean send(final long destinationNodeId, final DirectBuffer buffer, final int offset,
                final int length)
            {
                calls.add("send " + destinationNodeId);
                lastOffered[0] = copy(buffer, offset, length);
                return accepting[0];
            }

            public boolean resend(final long destinationNodeId, final DirectBuffer buffer, final int offset,
                final int length)
            {
                calls.add("resend " + destinationNodeId);
                assertArrayEquals(lastOffered[0], copy(buffer, offset, length), "a resent frame is unchanged");
                return accepting[0];
            }

            private byte[] copy(final DirectBuffer buffer, final int offset, final int length)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                return bytes;
            }
        };
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);

        assertTrue(broadcast(batcher, 1));
        assertEquals(0, batcher.flush(), "refused");
        assertFalse(broadcast(batcher, 2), "a claim retries the refused frame first, and is refused with it");
        assertEquals(0, batcher.flush(), "refused again");
        accepting[0] = true;
        assertEquals(1, batcher.flush());
        assertTrue(broadcast(batcher, 3));
        assertEquals(1, batcher.flush());

        assertEquals(List.of("send 0", "resend 0", "resend 0", "resend 0", "send 0"), calls);
    }

    @Test
    void shouldFlushDirectedFramesBeforeBroadcast()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        batcher.addDestination(7);
        batcher.addDestination(8);

        assertTrue(broadcast(batcher, 1));
        assertTrue(direct(batcher, 8, 2));
        assertTrue(direct(batcher, 7, 3));
        batcher.flush();

        assertEquals(3, sink.frames.size());
        assertNotEquals(FrameLayout.BROADCAST, sink.frames.get(0).destination());
        assertNotEquals(FrameLayout.BROADCAST, sink.frames.get(1).destination());
        assertEquals(FrameLayout.BROADCAST, sink.frames.get(2).destination());
    }

    @Test
    void shouldSplitFramesWhenFull()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);

        for (int i = 1; i <= 10; i++)
        {
            assertTrue(broadcast(batcher, i));
        }
        assertEquals(3, sink.frames.size(), "full frames go out while claiming");
        batcher.flush();

        assertEquals(4, sink.frames.size());
        assertEquals(List.of(3, 3, 3, 1),
            sink.frames.stream().map(f -> f.sequences().length).toList());
        assertEquals(List.of(1L, 4L, 7L, 10L),
            sink.frames.stream().map(RecordingSink.Frame::firstSequence).toList());
        assertEquals(range(1, 10), sink.sequences(FrameLayout.BROADCAST));
        assertEquals(range(1, 10), sink.roomIds(FrameLayout.BROADCAST));
        for (final RecordingSink.Frame frame : sink.frames)
        {
            assertTrue(frame.length() <= SMALL_FRAME, "frame of " + frame.length() + " bytes");
        }
        assertEquals(SMALL_FRAME, sink.frames.get(0).length(), "a full frame uses exactly the configured size");
    }

    @Test
    void shouldKeepRefusedFrameAndRefuseClaimsUntilItIsSent()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        sink.accepting = false;

        assertTrue(broadcast(batcher, 1));
        assertTrue(broadcast(batcher, 2));
        assertTrue(broadcast(batcher, 3));
        assertFalse(broadcast(batcher, 4), "the full frame was refused: NO_SPACE");
        assertTrue(batcher.isBackPressured());
        assertEquals(1, batcher.refusals());
        assertFalse(broadcast(batcher, 4));
        assertEquals(0, batcher.flush(), "retried and refused again");
        assertTrue(batcher.isBackPressured());
        assertEquals(3, batcher.refusals());
        assertEquals(4, batcher.nextBroadcastSequence(), "no sequence consumed by refused claims");
        assertEquals(0, batcher.framesSent());

        sink.accepting = true;
        assertEquals(1, batcher.flush(), "the kept frame is retried on flush");
        assertFalse(batcher.isBackPressured());
        assertTrue(broadcast(batcher, 4));
        assertTrue(broadcast(batcher, 5));
        batcher.flush();

        assertEquals(range(1, 5), sink.sequences(FrameLayout.BROADCAST));
        assertEquals(range(1, 5), sink.roomIds(FrameLayout.BROADCAST));
        assertEquals(2, batcher.framesSent());
        assertEquals(5, batcher.messagesSent());
    }

    @Test
    void shouldRetryKeptFrameOnNextClaimOnceSinkRecovers()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        assertTrue(broadcast(batcher, 1));
        sink.accepting = false;
        assertEquals(0, batcher.flush());
        assertTrue(batcher.isBackPressured());

        sink.accepting = true;
        assertTrue(broadcast(batcher, 2), "claim retries the kept frame first");
        assertFalse(batcher.isBackPressured());
        assertEquals(1, sink.frames.size());
        batcher.flush();

        assertEquals(List.of(1L, 2L), sink.sequences(FrameLayout.BROADCAST));
    }

    @Test
    void shouldBackPressureOneStreamWithoutBlockingOthers()
    {
        final FrameSink selective = (destination, buffer, offset, length) ->
            7 != destination && sink.send(destination, buffer, offset, length);
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, selective);
        batcher.addDestination(7);
        batcher.addDestination(8);
        assertTrue(direct(batcher, 7, 70));
        assertTrue(direct(batcher, 8, 80));
        assertTrue(broadcast(batcher, 1));

        assertEquals(2, batcher.flush());

        assertTrue(batcher.isBackPressured());
        assertFalse(direct(batcher, 7, 71), "the refused stream refuses claims");
        assertTrue(direct(batcher, 8, 81), "another stream still takes claims");
        assertTrue(broadcast(batcher, 2));
    }

    @Test
    void shouldTellWhichStreamIsBackPressured()
    {
        final FrameSink selective = (destination, buffer, offset, length) ->
            7 != destination && sink.send(destination, buffer, offset, length);
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, selective);
        batcher.addDestination(7);
        batcher.addDestination(8);
        assertTrue(direct(batcher, 7, 70));
        assertTrue(direct(batcher, 8, 80));
        assertTrue(broadcast(batcher, 1));
        batcher.flush();

        assertTrue(batcher.isBackPressured(7));
        assertFalse(batcher.isBackPressured(8));
        assertFalse(batcher.isBackPressured(9), "no stream: nothing held");
        assertFalse(batcher.isBroadcastBackPressured());
        assertTrue(batcher.isBackPressured(), "some stream holds a refused frame");
    }

    @Test
    void shouldGuaranteeTheClaimAfterAReservationWithoutConsumingASequence()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        batcher.addDestination(7);
        assertTrue(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH), "an empty stream takes any message");
        assertEquals(1, batcher.nextDirectedSequence(7), "a reservation claims nothing");
        for (int i = 1; i <= 7; i++)
        {
            assertTrue(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH));
            assertTrue(direct(batcher, 7, i), "the claim after a reservation succeeds");
        }
        assertEquals(2, sink.frames.size(), "full frames went out while reserving, as claims send them");
        batcher.flush();
        assertEquals(range(1, 7), sink.sequences(7));
        assertEquals(range(1, 7), sink.roomIds(7));
    }

    @Test
    void shouldRefuseAReservationWhileTheStreamHoldsARefusedFrameAndLoseNothing()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        batcher.addDestination(7);
        assertTrue(direct(batcher, 7, 1));
        assertTrue(direct(batcher, 7, 2));
        assertTrue(direct(batcher, 7, 3));
        sink.accepting = false;
        assertFalse(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH),
            "the full open frame must go first, and the sink refuses it");
        assertTrue(batcher.isBackPressured(7));
        assertFalse(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH), "still held");
        assertEquals(4, batcher.nextDirectedSequence(7), "no sequence consumed by refused reservations");

        sink.accepting = true;
        assertTrue(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH), "the held frame goes first");
        assertFalse(batcher.isBackPressured(7));
        assertTrue(direct(batcher, 7, 4));
        batcher.flush();
        assertEquals(range(1, 4), sink.sequences(7));
        assertEquals(range(1, 4), sink.roomIds(7));
    }

    @Test
    void shouldRefuseReservationsWhileADestinationsWindowIsClosedAndReopenOnItsReport()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        batcher.addDestination(7);
        batcher.directedWindow(2L * SMALL_FRAME, 64); // applies to streams already open, and to those opened later
        batcher.addDestination(8);
        assertTrue(batcher.isDirectedWindowOpen(7));
        for (int i = 1; i <= 12; i++)
        {
            assertTrue(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH), "no report yet: not bounded");
            assertTrue(direct(batcher, 7, i));
        }
        batcher.flush();
        assertEquals(4, sink.frames.size());

        batcher.onDirectedStatus(7, 12, 0); // took everything: bounded from now on
        assertEquals(0, batcher.directedBytesInFlight(7));
        long next = 13;
        while (batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH))
        {
            assertTrue(direct(batcher, 7, next++));
            assertTrue(next < 100, "the window closes");
        }
        assertEquals(20, next, "two full frames went out, the claim that opened the third was the last let in");
        assertFalse(batcher.isDirectedWindowOpen(7));
        assertEquals(2L * SMALL_FRAME, batcher.directedBytesInFlight(7));
        assertFalse(batcher.isBackPressured(7), "the window, not the socket, holds it");
        assertEquals(20, batcher.nextDirectedSequence(7), "refused reservations take no sequence");
        assertTrue(batcher.isDirectedWindowOpen(8), "each destination has its own window");
        assertTrue(batcher.reserveDirected(8, RoomCountEncoder.BODY_LENGTH));

        batcher.onDirectedStatus(7, 11, 0);
        assertFalse(batcher.isDirectedWindowOpen(7), "an older report changes nothing");
        batcher.onDirectedStatus(7, 15, 0);
        assertTrue(batcher.isDirectedWindowOpen(7), "one frame in flight");
        assertTrue(batcher.reserveDirected(7, RoomCountEncoder.BODY_LENGTH));
        assertTrue(direct(batcher, 7, 20));
        batcher.flush();
        assertEquals(range(1, 20), sink.roomIds(7));

        batcher.onDirectedStatus(9, 1, 0); // no stream: ignored
        assertTrue(batcher.isDirectedWindowOpen(9));
        assertEquals(0, batcher.directedBytesInFlight(9));
        assertThrows(IllegalArgumentException.class, () -> batcher.directedWindow(-1, 64));
        assertThrows(IllegalArgumentException.class, () -> batcher.directedWindow(1024, 1));
        batcher.directedWindow(0, 0);
        assertTrue(batcher.isDirectedWindowOpen(7), "0 turns the bound off");
    }

    @Test
    void shouldRejectAReservationThatCanNeverFitOrForAnUnknownDestination()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        batcher.addDestination(7);
        final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
            () -> batcher.reserveDirected(7, SMALL_FRAME));
        assertTrue(tooLarge.getMessage().contains("bodyLength=" + SMALL_FRAME), tooLarge.getMessage());
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> batcher.reserveDirected(7, -1));
        assertTrue(negative.getMessage().contains("bodyLength=-1 must not be negative"), negative.getMessage());
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> batcher.reserveDirected(8, 8));
        assertTrue(unknown.getMessage().contains("destinationNodeId=8"), unknown.getMessage());
        assertEquals(1, batcher.nextDirectedSequence(7));
        assertEquals(0, sink.offered);
    }

    @Test
    void shouldTrackLastSentDirectedSequenceOnlyForAcceptedFrames()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        batcher.addDestination(7);
        assertEquals(OutboundBatcher.FIRST_SEQUENCE - 1, batcher.lastSentDirectedSequence(7));

        assertTrue(direct(batcher, 7, 1));
        assertTrue(direct(batcher, 7, 2));
        assertEquals(0, batcher.lastSentDirectedSequence(7), "claimed is not sent");
        batcher.flush();
        assertEquals(2, batcher.lastSentDirectedSequence(7));

        assertTrue(direct(batcher, 7, 3));
        sink.accepting = false;
        batcher.flush();
        assertEquals(2, batcher.lastSentDirectedSequence(7), "refused is not sent");

        sink.accepting = true;
        batcher.flush();
        assertEquals(3, batcher.lastSentDirectedSequence(7));
    }

    @Test
    void shouldLoseNothingAndReorderNothingWhenSinkRefusesAtRandom()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME + 2 * MESSAGE_LENGTH, sink);
        batcher.addDestination(7);
        sink.refuseRandomly = new Random(20240607);
        final Random workload = new Random(7);
        final List<Long> claimedBroadcast = new ArrayList<>();
        final List<Long> claimedDirected = new ArrayList<>();
        long nextRoom = 1;

        for (int cycle = 0; cycle < 5_000; cycle++)
        {
            final int claims = workload.nextInt(8);
            for (int i = 0; i < claims; i++)
            {
                final long room = nextRoom++;
                if (workload.nextBoolean())
                {
                    if (broadcast(batcher, room))
                    {
                        claimedBroadcast.add(room);
                    }
                }
                else if (direct(batcher, 7, room))
                {
                    claimedDirected.add(room);
                }
            }
            batcher.flush();
        }
        sink.refuseRandomly = null;
        batcher.flush();

        assertFalse(batcher.isBackPressured());
        assertTrue(batcher.refusals() > 100, "refusals=" + batcher.refusals());
        assertTrue(claimedBroadcast.size() > 1000 && claimedDirected.size() > 1000);
        assertEquals(claimedBroadcast, sink.roomIds(FrameLayout.BROADCAST), "every claimed message, in order");
        assertEquals(claimedDirected, sink.roomIds(7), "every claimed message, in order");
        assertEquals(range(1, claimedBroadcast.size()), sink.sequences(FrameLayout.BROADCAST));
        assertEquals(range(1, claimedDirected.size()), sink.sequences(7));
        assertEquals(claimedDirected.size(), batcher.lastSentDirectedSequence(7));
        assertEquals(claimedBroadcast.size() + claimedDirected.size(), batcher.messagesSent());
    }

    @Test
    void shouldRejectMessageThatCanNeverFitWithoutConsumingASequence()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        final int tooLarge = SMALL_FRAME - FrameLayout.MIN_FRAME_LENGTH - FrameLayout.MESSAGE_HEADER_LENGTH + 1;

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> batcher.claimBroadcast(MessageType.ROOM_COUNT, tooLarge));
        assertTrue(ex.getMessage().contains("bodyLength=" + tooLarge), ex.getMessage());
        assertTrue(ex.getMessage().contains("maxFrameLength=" + SMALL_FRAME), ex.getMessage());
        assertEquals(1, batcher.nextBroadcastSequence());

        assertTrue(broadcast(batcher, 1));
        batcher.flush();
        assertEquals(List.of(1L), sink.sequences(FrameLayout.BROADCAST));
    }

    @Test
    void shouldRejectOversizedMessageAfterOthersWithoutSkippingASequence()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        final int tooLarge = SMALL_FRAME;
        assertTrue(broadcast(batcher, 1));

        assertThrows(IllegalArgumentException.class, () -> batcher.claimBroadcast(MessageType.ROOM_COUNT, tooLarge));
        assertEquals(2, batcher.nextBroadcastSequence(), "the rejected message took no sequence");

        assertTrue(broadcast(batcher, 2));
        assertTrue(broadcast(batcher, 3));
        batcher.flush();
        assertEquals(range(1, 3), sink.sequences(FrameLayout.BROADCAST));
        assertEquals(range(1, 3), sink.roomIds(FrameLayout.BROADCAST));
        final List<Long> firstSequences = sink.frames.stream().map(RecordingSink.Frame::firstSequence).toList();
        long expected = 1;
        for (final RecordingSink.Frame frame : sink.frames)
        {
            assertEquals(expected, frame.firstSequence(), "frames " + firstSequences + " are contiguous");
            expected += frame.sequences().length;
        }
    }

    @Test
    void shouldAcceptMessageFillingAWholeFrame()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, SMALL_FRAME, sink);
        final int bodyLength = SMALL_FRAME - FrameLayout.MIN_FRAME_LENGTH - FrameLayout.MESSAGE_HEADER_LENGTH;

        assertNotEquals(OutboundBatcher.NO_SPACE, batcher.claimBroadcast(MessageType.ROOM_COUNT, bodyLength));
        batcher.flush();

        assertEquals(SMALL_FRAME, sink.frames.get(0).length());
    }

    @Test
    void shouldManageDirectedStreams()
    {
        final OutboundBatcher batcher = new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, 64 * 1024, sink);
        assertFalse(batcher.hasDestination(7));
        assertThrows(IllegalArgumentException.class, () -> batcher.addDestination(FrameLayout.BROADCAST));
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> batcher.claimDirected(7, MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH));
        assertTrue(unknown.getMessage().contains("destinationNodeId=7"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batcher.lastSentDirectedSequence(7));

        batcher.addDestination(7);
        assertTrue(direct(batcher, 7, 1));
        batcher.addDestination(7);
        assertEquals(1, batcher.destinationCount(), "adding twice is idempotent");
        assertEquals(2, batcher.nextDirectedSequence(7), "and keeps the stream");
        batcher.addDestination(9);
        assertEquals(2, batcher.destinationCount());
        assertEquals(7, batcher.destination(0));
        assertEquals(9, batcher.destination(1));

        batcher.removeDestination(7);
        assertFalse(batcher.hasDestination(7));
        assertEquals(1, batcher.destinationCount());
        assertEquals(9, batcher.destination(0));
        batcher.flush();
        assertTrue(sink.frames.isEmpty(), "a removed stream's unsent messages are discarded");

        batcher.addDestination(7);
        assertEquals(1, batcher.nextDirectedSequence(7), "a re-added destination starts a new stream");
        batcher.removeDestination(12345);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, FrameLayout.MIN_FRAME_LENGTH - 1 })
    void shouldRejectFrameLengthBelowMinimum(final int maxFrameLength)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new OutboundBatcher(CLUSTER_ID, NODE_ID, INCARNATION, maxFrameLength, sink));
        assertTrue(ex.getMessage().contains("maxFrameLength=" + maxFrameLength), ex.getMessage());
    }
}
