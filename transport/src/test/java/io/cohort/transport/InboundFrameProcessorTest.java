package io.cohort.transport;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ReasonCode;
import io.cohort.codec.RoomCountEncoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundFrameProcessorTest
{
    private static final long SELF = 2;
    private static final long PEER = 1;
    private static final long PEER_INCARNATION = 11;
    private static final long CLUSTER = 0x0C1C;
    private static final long OTHER_CLUSTER = 0x0C2C;
    private static final int MAX_COUNTERS = 256;

    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_COUNTERS * CountersReader.METADATA_LENGTH, 64)),
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_COUNTERS * CountersReader.COUNTER_LENGTH, 64)));
    private final TransportCounters counters = new TransportCounters(countersManager);
    private final List<Throwable> errors = new ArrayList<>();
    private final InboundFrameProcessor processor =
        new InboundFrameProcessor(SELF, CLUSTER, CodecLimits.DEFAULT, counters, errors::add);
    private final Recorder recorder = new Recorder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final FrameEncoder encoder = new FrameEncoder();
    private final RoomCountEncoder roomCount = new RoomCountEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private Peer peer;

    @BeforeEach
    void setUp()
    {
        peer = new Peer(PEER, PEER_INCARNATION, counters.newPeer(PEER, PEER_INCARNATION));
    }

    /** Encodes a frame of ROOM_COUNT messages whose room ids are their sequences. */
    private int frame(final long sender, final long incarnation, final long destination, final long first, final int count)
    {
        return frame(CLUSTER, sender, incarnation, destination, first, count);
    }

    private int frame(
        final long cluster, final long sender, final long incarnation, final long destination, final long first,
        final int count)
    {
        encoder.wrap(buffer, 0, buffer.capacity()).begin(cluster, sender, incarnation, destination, first);
        for (int i = 0; i < count; i++)
        {
            final int at = encoder.claim(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
            roomCount.wrap(buffer, at).roomId(first + i).count(i);
        }
        return encoder.finish();
    }

    private int broadcast(final long first, final int count)
    {
        return frame(PEER, PEER_INCARNATION, FrameLayout.BROADCAST, first, count);
    }

    private int deliver(final int length)
    {
        return processor.onSyncFrame(peer, buffer, 0, length, recorder);
    }

    /** Encodes a broadcast frame holding one heartbeat that lists directed streams (destination, last sequence). */
    private int heartbeatFrame(final long sequence, final long... directed)
    {
        encoder.wrap(buffer, 0, buffer.capacity()).begin(CLUSTER, PEER, PEER_INCARNATION, FrameLayout.BROADCAST, sequence);
        final int at = encoder.claim(MessageType.HEARTBEAT, HeartbeatEncoder.computeLength(0, directed.length / 2));
        heartbeat.wrap(buffer, at).sendTimeNs(1).lastBroadcastSequence(sequence).stateDigest(0).memberCount(0);
        for (int i = 0; i < directed.length; i += 2)
        {
            heartbeat.addDirected(directed[i], directed[i + 1]);
        }
        return encoder.finish();
    }

    private List<Long> sequences()
    {
        return recorder.messages.stream().map(Recorder.Message::sequence).toList();
    }

    @Test
    void shouldRefuseAFrameOfAnotherClusterWithoutDeliveringOrAccusing()
    {
        final Recorder fenced = recorder;
        final int length = frame(OTHER_CLUSTER, PEER, PEER_INCARNATION, FrameLayout.BROADCAST, 1, 3);
        assertEquals(0, processor.onSyncFrame(peer, buffer, 0, length, fenced));

        assertEquals(List.of(OTHER_CLUSTER), fenced.foreignClusters);
        assertTrue(fenced.messages.isEmpty(), "nothing of a foreign frame is delivered");
        assertTrue(fenced.badFrames.isEmpty(), "another cluster's frame is no bad frame of the peer");
        assertTrue(fenced.faults.isEmpty());
        assertEquals(1, counters.foreignClusterFrames().get());
        assertEquals(0, counters.totalBadFrames().get());

        assertEquals(3, processor.onSyncFrame(peer, buffer, 0, broadcast(1, 3), fenced),
            "the stream's sequence was left untouched by the refused frame");
    }

    @Test
    void shouldDeliverInOrderFramesMessageByMessage()
    {
        assertEquals(3, deliver(broadcast(1, 3)));
        assertEquals(2, deliver(broadcast(4, 2)));

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences());
        for (final Recorder.Message message : recorder.messages)
        {
            assertEquals(PEER, message.peerNodeId());
            assertFalse(message.directed());
            assertEquals(MessageType.ROOM_COUNT, message.type());
            assertEquals(message.sequence(), message.roomId(), "body handed over intact");
        }
        assertTrue(recorder.faults.isEmpty());
        assertEquals(5, peer.counters().messages());
        assertEquals(5, counters.totalMessages().get());
        assertEquals(6, peer.counters().broadcastSequence().expected());
        assertTrue(errors.isEmpty());
    }

    @Test
    void shouldDeliverDirectedFramesOnTheirOwnStream()
    {
        deliver(broadcast(1, 2));
        deliver(frame(PEER, PEER_INCARNATION, SELF, 1, 3));
        deliver(broadcast(3, 1));

        assertEquals(List.of(1L, 2L, 1L, 2L, 3L, 3L), sequences());
        assertEquals(List.of(false, false, true, true, true, false),
            recorder.messages.stream().map(Recorder.Message::directed).toList());
        assertEquals(4, peer.counters().broadcastSequence().expected());
        assertEquals(4, peer.counters().directedSequence().expected());
        assertTrue(recorder.faults.isEmpty());
    }

    @Test
    void shouldDeliverFrameAfterGapAndReportTheMissingRange()
    {
        deliver(broadcast(1, 3));

        assertEquals(2, deliver(broadcast(7, 2)));

        assertEquals(List.of(new Recorder.Fault(PEER, false, ReasonCode.GAP, 4, 7)), recorder.faults);
        assertEquals(List.of(1L, 2L, 3L, 7L, 8L), sequences());
        assertEquals(1, peer.counters().gaps());
        assertEquals(1, counters.totalGaps().get());
        assertEquals(4, peer.counters().broadcastSequence().gapFrom());
        assertEquals(6, peer.counters().broadcastSequence().gapTo());
    }

    @Test
    void shouldDropDuplicateAndReportIt()
    {
        deliver(broadcast(1, 3));

        assertEquals(0, deliver(broadcast(1, 3)));

        assertEquals(List.of(new Recorder.Fault(PEER, false, ReasonCode.DUPLICATE, 4, 1)), recorder.faults);
        assertEquals(List.of(1L, 2L, 3L), sequences());
        assertEquals(1, peer.counters().duplicates());
        assertEquals(1, counters.totalDuplicates().get());
        assertEquals(3, peer.counters().messages());
    }

    @Test
    void shouldDropReorderedFrameAndReportIt()
    {
        deliver(broadcast(1, 3));
        deliver(broadcast(7, 1));
        recorder.faults.clear();

        assertEquals(0, deliver(broadcast(4, 3)));

        assertEquals(List.of(new Recorder.Fault(PEER, false, ReasonCode.REORDER, 8, 4)), recorder.faults);
        assertEquals(List.of(1L, 2L, 3L, 7L), sequences());
        assertEquals(1, peer.counters().reorders());
        assertEquals(8, peer.counters().broadcastSequence().expected());
    }

    enum Corruption
    {
        CHECKSUM(DecodeResult.CHECKSUM_MISMATCH),
        MAGIC(DecodeResult.BAD_MAGIC),
        TRUNCATED(DecodeResult.BAD_FRAME_LENGTH),
        TOO_SHORT_FOR_A_HEADER(DecodeResult.TRUNCATED_HEADER);

        final DecodeResult expected;

        Corruption(final DecodeResult expected)
        {
            this.expected = expected;
        }
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void shouldRejectBadFrameCountItAndDeliverNothing(final Corruption corruption)
    {
        deliver(broadcast(1, 1));
        int length = broadcast(2, 3);
        switch (corruption)
        {
            case CHECKSUM -> buffer.putByte(FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH,
                (byte)(buffer.getByte(FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH) ^ 0x10));
            case MAGIC -> buffer.putByte(0, (byte)~buffer.getByte(0));
            case TRUNCATED -> length -= 5;
            case TOO_SHORT_FOR_A_HEADER -> length = FrameLayout.MIN_FRAME_LENGTH - 1;
        }

        assertEquals(0, deliver(length));

        assertEquals(List.of(new Recorder.BadFrame(PEER, corruption.expected)), recorder.badFrames);
        assertEquals(List.of(1L), sequences(), "nothing of the bad frame delivered");
        assertTrue(recorder.faults.isEmpty());
        assertEquals(1, peer.counters().badFrames());
        assertEquals(1, counters.totalBadFrames().get());
        assertEquals(2, peer.counters().broadcastSequence().expected(), "sequence not advanced by a bad frame");

        assertEquals(3, deliver(broadcast(2, 3)), "the same frame, intact, is then delivered in order");
        assertTrue(recorder.faults.isEmpty());
    }

    @Test
    void shouldCountAndDropFrameFromStaleIncarnation()
    {
        deliver(broadcast(1, 2));

        assertEquals(0, deliver(frame(PEER, PEER_INCARNATION - 1, FrameLayout.BROADCAST, 3, 2)));
        assertEquals(0, deliver(frame(PEER, PEER_INCARNATION + 1, FrameLayout.BROADCAST, 3, 2)));

        assertEquals(2, counters.staleFrames().get());
        assertEquals(List.of(1L, 2L), sequences());
        assertTrue(recorder.faults.isEmpty());
        assertEquals(3, peer.counters().broadcastSequence().expected());
    }

    @Test
    void shouldCountAndDropFrameNamingAnotherSender()
    {
        assertEquals(0, deliver(frame(PEER + 40, PEER_INCARNATION, FrameLayout.BROADCAST, 1, 2)));

        assertEquals(1, counters.staleFrames().get());
        assertTrue(recorder.messages.isEmpty());
        assertEquals(StreamSequence.UNKNOWN, peer.counters().broadcastSequence().expected());
    }

    @Test
    void shouldCountAndDropDirectedFrameForAnotherNode()
    {
        assertEquals(0, deliver(frame(PEER, PEER_INCARNATION, SELF + 1, 1, 2)));

        assertEquals(1, counters.misroutedFrames().get());
        assertTrue(recorder.messages.isEmpty());
        assertTrue(recorder.faults.isEmpty());
        assertEquals(StreamSequence.UNKNOWN, peer.counters().directedSequence().expected());
    }

    @Test
    void shouldIgnoreFrameWithoutMessages()
    {
        deliver(broadcast(1, 1));

        assertEquals(0, deliver(broadcast(9, 0)));

        assertTrue(recorder.faults.isEmpty());
        assertEquals(2, peer.counters().broadcastSequence().expected());
    }

    @Test
    void shouldReportLostTailWhenHeartbeatNamesDirectedSequenceNeverReceived()
    {
        deliver(frame(PEER, PEER_INCARNATION, SELF, 1, 2));

        assertEquals(1, deliver(heartbeatFrame(1, SELF, 3)));

        assertEquals(List.of(new Recorder.Fault(PEER, true, ReasonCode.LOST_TAIL, 3, 3)), recorder.faults);
        assertEquals(1, peer.counters().lostTails());
        assertEquals(4, peer.counters().directedSequence().expected(), "the stream resumes after the lost tail");
        assertEquals(MessageType.HEARTBEAT, recorder.messages.get(recorder.messages.size() - 1).type(),
            "the heartbeat itself is delivered");

        deliver(heartbeatFrame(2, SELF, 3));
        assertEquals(1, recorder.faults.size(), "the same tail is reported once");

        deliver(frame(PEER, PEER_INCARNATION, SELF, 4, 1));
        assertEquals(1, recorder.faults.size(), "the next directed frame is in order");
    }

    @Test
    void shouldReportLostTailWhenNoDirectedFrameWasEverReceived()
    {
        deliver(heartbeatFrame(1, SELF, 2));

        assertEquals(List.of(new Recorder.Fault(PEER, true, ReasonCode.LOST_TAIL, StreamSequence.UNKNOWN, 2)),
            recorder.faults);
        assertEquals(3, peer.counters().directedSequence().expected());
    }

    @Test
    void shouldNotReportLostTailWhenEverythingArrived()
    {
        deliver(frame(PEER, PEER_INCARNATION, SELF, 1, 2));

        deliver(heartbeatFrame(1, SELF, 2));
        deliver(heartbeatFrame(2, SELF + 5, 9));
        deliver(heartbeatFrame(3));

        assertTrue(recorder.faults.isEmpty(), recorder.faults.toString());
        assertEquals(0, peer.counters().lostTails());
    }

    @Test
    void shouldNotReportLostTailForDirectedStreamThatSentNothing()
    {
        deliver(heartbeatFrame(1, SELF, OutboundBatcher.FIRST_SEQUENCE - 1));

        assertTrue(recorder.faults.isEmpty(), recorder.faults.toString());
        assertEquals(StreamSequence.UNKNOWN, peer.counters().directedSequence().expected());
    }

    @Test
    void shouldReportHandlerExceptionAndDeliverTheRestOfTheFrame()
    {
        final RuntimeException failure = new IllegalStateException("handler failed on 2");
        final SyncHandler throwing = new SyncHandler()
        {
            public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
                final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
            {
                if (2 == sequence)
                {
                    throw failure;
                }
                recorder.onMessage(peer, directed, sequence, type, buffer, bodyOffset, bodyLength);
            }

            public void onStreamFault(final Peer peer, final boolean directed, final int reason, final long expected,
                final long observed)
            {
                throw new IllegalStateException("fault handler failed");
            }

            public void onBadFrame(final Peer peer, final DecodeResult result)
            {
                throw new IllegalStateException("bad frame handler failed");
            }
        };

        assertEquals(2, processor.onSyncFrame(peer, buffer, 0, broadcast(1, 3), throwing));
        assertEquals(List.of(1L, 3L), sequences());
        assertEquals(List.of(failure), errors);

        assertEquals(1, processor.onSyncFrame(peer, buffer, 0, broadcast(9, 1), throwing), "gap: still delivered");
        assertEquals(0, processor.onSyncFrame(peer, buffer, 0, broadcast(9, 1), throwing));
        final int length = broadcast(10, 1);
        buffer.putByte(length - 1, (byte)~buffer.getByte(length - 1));
        assertEquals(0, processor.onSyncFrame(peer, buffer, 0, length, throwing));

        assertEquals(4, errors.size(), "every handler exception reported: " + errors);
        assertEquals(List.of(1L, 3L, 9L), sequences());
    }

    @Test
    void shouldCountFramesAndBytesIncludingBadOnes()
    {
        final CountersReader reader = countersManager;
        final int good = broadcast(1, 2);
        deliver(good);
        final int bad = FrameLayout.MIN_FRAME_LENGTH - 1;
        deliver(bad);

        assertEquals(2, counterValue(reader, CounterType.PEER_FRAMES, PEER));
        assertEquals(good + bad, counterValue(reader, CounterType.PEER_BYTES, PEER));
        assertEquals(2, counterValue(reader, CounterType.PEER_FRAMES + CounterType.TOTAL_OFFSET, -1));
        assertEquals(good + bad, counterValue(reader, CounterType.PEER_BYTES + CounterType.TOTAL_OFFSET, -1));
    }

    static long counterValue(final CountersReader reader, final int typeId, final long keyNodeId)
    {
        final long[] value = { Long.MIN_VALUE };
        reader.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId && (keyNodeId < 0 || keyBuffer.getLong(0) == keyNodeId))
            {
                value[0] = reader.getCounterValue(counterId);
            }
        });
        return value[0];
    }
}
