package io.cohort.engine;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeLeavingDecoder;
import io.cohort.codec.ProbeDecoder;
import io.cohort.state.StateContext;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.FrameSink;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.ReplicationWindow;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncPublisherTest
{
    /** A heartbeat of a node in no view: no entries. */
    private static final SyncPublisher.HeartbeatView NO_VIEW = new SyncPublisher.HeartbeatView()
    {
        public long lineage()
        {
            return 0;
        }

        public long epoch()
        {
            return 0;
        }

        public int entryCount()
        {
            return 0;
        }

        public long entryNodeId(final int index)
        {
            throw new IndexOutOfBoundsException(index);
        }

        public long entryEcho(final int index)
        {
            throw new IndexOutOfBoundsException(index);
        }

        public long entryRowVersion(final int index)
        {
            throw new IndexOutOfBoundsException(index);
        }

        public long entryRow(final int index)
        {
            throw new IndexOutOfBoundsException(index);
        }
    };

    private static final long NODE_ID = 0x51;
    private static final long INCARNATION = 3;
    private static final int MAX_MEMBERS = 2;

    private final RecordingSink sink = new RecordingSink();
    private final List<Throwable> errors = new ArrayList<>();
    private SubscriptionState state;
    private OutboundBatcher outbound;
    private SyncPublisher publisher;

    @BeforeEach
    void setUp()
    {
        final CodecLimits limits = new CodecLimits(CodecLimits.MAX_NAME_LENGTH_DEFAULT,
            CodecLimits.MAX_ENDPOINT_LENGTH_DEFAULT, CodecLimits.MAX_FILTER_LENGTH_DEFAULT,
            CodecLimits.MAX_PAYLOAD_LENGTH_DEFAULT, MAX_MEMBERS, CodecLimits.MAX_FRAME_LENGTH_DEFAULT);
        final CohortContext context = new CohortContext().nodeId(NODE_ID).incarnation(INCARNATION).codecLimits(limits);
        state = new SubscriptionState(new StateContext().localNodeId(NODE_ID).maxRooms(64).maxConnections(64)
            .maxRoomsPerConnection(16).maxOverflowSubscriptions(64).maxFilterBytes(1024).averageRoomBytes(64)
            .maxNodes(4).snapshotFrameLength(4096), (roomId, previous, current) -> { });
        outbound = new OutboundBatcher(0xC1, NODE_ID, INCARNATION, 64 * 1024, sink);
        publisher = new SyncPublisher(context, outbound, state, errors::add, new byte[0]);
    }

    @AfterEach
    void tearDown()
    {
        state.close();
    }

    @Test
    void shouldDeliverRefusedControlOnLaterCycleBeforeDataQueuedMeanwhile()
    {
        publisher.countChanged(1);
        assertEquals(1, publisher.publishPending());
        sink.accepting = false;
        outbound.flush(); // the frame holding room 1 is now pending: every claim is refused until it is sent

        publisher.probe(0x52, 10);
        publisher.probe(0x53, 9);
        publisher.countChanged(2);
        assertEquals(0, publisher.publishControl());
        assertEquals(0, publisher.publishPending());
        outbound.flush();
        assertEquals(2, publisher.controlPending(), "a refused claim leaves the records queued");
        assertEquals(2, publisher.controlQueued());
        assertEquals(0, publisher.controlSent());

        sink.accepting = true;
        assertEquals(2, publisher.publishControl());
        assertEquals(1, publisher.publishPending());
        outbound.flush();

        assertEquals(List.of(MessageType.ROOM_COUNT, MessageType.PROBE, MessageType.PROBE,
            MessageType.ROOM_COUNT), sink.types);
        final ProbeDecoder probe = new ProbeDecoder().wrap(sink.bodies.get(1), 0, sink.bodies.get(1).capacity());
        assertEquals(0x52, probe.requesterNodeId());
        assertEquals(10, probe.nonce());
        final ProbeDecoder second = new ProbeDecoder().wrap(sink.bodies.get(2), 0, sink.bodies.get(2).capacity());
        assertEquals(0x53, second.requesterNodeId());
        assertEquals(0, publisher.controlPending());
        assertEquals(2, publisher.controlSent());
        assertTrue(errors.isEmpty());
    }

    @Test
    void shouldCoalesceAThousandChangesOfOneRoomWhileTheWindowIsClosedIntoOneMessage()
    {
        final ReplicationWindow window = new ReplicationWindow(4096, 64, 100_000_000L, MAX_MEMBERS);
        outbound.broadcastSentObserver(window);
        publisher.flowWindow(window);
        window.onStatus(0x52, 0, 0);
        for (long roomId = 100; roomId < 400; roomId++)
        {
            publisher.countChanged(roomId); // 300 counts of empty rooms: one frame of more than 4096 bytes
        }
        assertEquals(300, publisher.publishPending());
        outbound.flush();
        assertFalse(window.isOpen(), "the replica has applied nothing of " + window.sentBytes() + " bytes");
        final int messagesBefore = sink.types.size();

        final long roomId = CohortNode.roomId("index", "collection", "filter".getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer metadata = new UnsafeBuffer(new byte[64]);
        int length = 0;
        for (final String field : new String[]{ "index", "collection", "filter" })
        {
            metadata.putInt(length, field.length(), io.cohort.codec.FrameLayout.BYTE_ORDER);
            metadata.putStringWithoutLengthAscii(length + Integer.BYTES, field);
            length += Integer.BYTES + field.length();
        }
        assertEquals(io.cohort.state.StateResult.ROOM_CREATED, state.createRoom(roomId, metadata, 0, length));
        int changes = 0;
        for (int round = 0; round < 13; round++)
        {
            for (long connectionId = 1; connectionId <= 40; connectionId++)
            {
                assertEquals(io.cohort.state.StateResult.SUBSCRIBED, state.subscribe(connectionId, roomId));
                publisher.countChanged(roomId);
                changes++;
            }
            if (round < 12)
            {
                for (long connectionId = 1; connectionId <= 40; connectionId++)
                {
                    state.unsubscribe(connectionId, roomId);
                    publisher.countChanged(roomId);
                    changes++;
                }
            }
            assertEquals(0, publisher.publishPending(), "nothing is claimed while the window is closed");
            outbound.flush();
        }
        assertEquals(1000, changes);
        assertEquals(messagesBefore, sink.types.size());
        assertTrue(publisher.hasPending());

        window.onStatus(0x52, outbound.nextBroadcastSequence() - 1, 0);
        assertTrue(window.isOpen());
        assertEquals(1, publisher.publishPending());
        outbound.flush();
        assertEquals(messagesBefore + 1, sink.types.size());
        assertEquals(MessageType.ROOM_COUNT, sink.types.get(messagesBefore));
        final io.cohort.codec.RoomCountDecoder count = new io.cohort.codec.RoomCountDecoder()
            .wrap(sink.bodies.get(messagesBefore), 0, sink.bodies.get(messagesBefore).capacity());
        assertEquals(roomId, count.roomId());
        assertEquals(40, count.count(), "the one message carries the room's latest count");
        assertFalse(publisher.hasPending());
    }

    @Test
    void shouldDropAnUnpublishedRemovalOfARoomAMemberCreatedSince()
    {
        publisher.roomRemoved(7);
        publisher.roomRemoved(8);
        publisher.roomCreatedByMember(7); // applied after the removal: published now, the removal would undo it

        assertEquals(1, publisher.publishPending());
        outbound.flush();
        assertEquals(List.of(MessageType.ROOM_REMOVED), sink.types);
        assertEquals(8, sink.bodies.get(0).getLong(0, io.cohort.codec.FrameLayout.BYTE_ORDER));
        assertFalse(publisher.hasPending());
    }

    @Test
    void shouldKeepHeartbeatBehindPendingControl()
    {
        sink.accepting = false;
        publisher.countChanged(1);
        publisher.publishPending();
        outbound.flush();
        publisher.probe(0x53, 9);

        assertFalse(publisher.sendHeartbeat(1, NO_VIEW, 0, 1));
        sink.accepting = true;
        publisher.publishControl();
        assertTrue(publisher.sendHeartbeat(1, NO_VIEW, 0, 1));
        outbound.flush();

        assertEquals(List.of(MessageType.ROOM_COUNT, MessageType.PROBE, MessageType.HEARTBEAT), sink.types);
    }

    @Test
    void shouldStampLeaveWithTheSequenceItIsClaimedAt()
    {
        publisher.countChanged(1);
        publisher.publishPending();
        sink.accepting = false;
        outbound.flush();
        publisher.announceLeaving();
        publisher.publishControl();
        publisher.countChanged(2);
        publisher.publishPending();

        sink.accepting = true;
        publisher.publishControl();
        outbound.flush();

        assertEquals(List.of(MessageType.ROOM_COUNT, MessageType.NODE_LEAVING), sink.types);
        final NodeLeavingDecoder leaving =
            new NodeLeavingDecoder().wrap(sink.bodies.get(1), 0, sink.bodies.get(1).capacity());
        assertEquals(NODE_ID, leaving.nodeId());
        assertEquals(INCARNATION, leaving.incarnation());
        assertEquals(sink.sequences.get(1), leaving.lastBroadcastSequence());
    }

    @Test
    void shouldQueueAnEqualPendingRecordOnceAndReportOverflow()
    {
        sink.accepting = false;
        publisher.countChanged(1);
        publisher.publishPending();
        outbound.flush();

        publisher.probe(0x53, 9);
        publisher.probe(0x53, 9);
        assertEquals(1, publisher.controlPending(), "an equal record still pending says nothing new");
        final int bound = SyncPublisher.maxControlRecords(
            new CodecLimits(1, 1, 1, 1, MAX_MEMBERS, CodecLimits.MAX_FRAME_LENGTH_DEFAULT));
        for (int i = 1; i < bound; i++)
        {
            publisher.probe(0x60, i);
        }
        assertEquals(bound, publisher.controlPending());
        assertTrue(errors.isEmpty());

        publisher.probe(0x60, bound);
        assertEquals(1, publisher.controlOverflows());
        assertEquals(1, errors.size(), "a refused control record is reported, never dropped silently");
        assertEquals(bound, publisher.controlPending());

        sink.accepting = true;
        assertEquals(bound, publisher.publishControl());
        outbound.flush();
        assertEquals(MessageType.PROBE, sink.types.get(1));
        assertEquals(bound + 1, sink.types.size());
    }

    @Test
    void shouldKeepOrderAndBufferAcrossManyCyclesOfPartialDrains()
    {
        final ControlQueue queue = new ControlQueue(64, 8);
        final Object buffer = queue.buffer();
        final int capacity = queue.buffer().capacity();
        long nextIn = 0;
        long nextOut = 0;
        for (int round = 0; round < 10_000; round++)
        {
            while (queue.size() < 3)
            {
                final int length = 8 + (int)(nextIn % 3) * 4;
                final int at = queue.append(MessageType.PROBE, length);
                queue.buffer().putLong(at, nextIn++);
                assertTrue(queue.commit() > 0);
            }
            final int drain = 1 + round % 3;
            for (int i = 0; i < drain && !queue.isEmpty(); i++)
            {
                assertEquals(8 + (int)(nextOut % 3) * 4, queue.headLength());
                assertEquals(nextOut++, queue.buffer().getLong(queue.headBodyOffset()));
                queue.removeHead();
            }
        }
        assertSame(buffer, queue.buffer());
        assertEquals(capacity, queue.buffer().capacity(), "the steady path reuses the buffer, never grows it");
        assertTrue(nextOut > 10_000);
    }

    @Test
    void shouldNotAllocatePerControlRecordOnTheSteadyPath()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        sink.recording = false;
        for (int i = 0; i < 50_000; i++)
        {
            cycle(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50_000; i++)
        {
            cycle(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 50_000, "allocated " + allocated + " bytes for 100000 control records");
    }

    private void cycle(final int i)
    {
        publisher.probe(0x52, i);
        publisher.probe(0x53, 9);
        publisher.publishControl();
        outbound.flush();
    }

    /** A sink that records each message's type, sequence and body, and refuses while told to. */
    static final class RecordingSink implements FrameSink
    {
        final List<Integer> types = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        final List<UnsafeBuffer> bodies = new ArrayList<>();
        final FrameDecoder decoder = new FrameDecoder();
        boolean accepting = true;
        boolean recording = true;

        public boolean send(final long destinationNodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!accepting)
            {
                return false;
            }
            if (!recording)
            {
                return true;
            }
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
            frame.putBytes(0, buffer, offset, length);
            assertEquals(DecodeResult.OK, decoder.wrap(frame, 0, length));
            while (decoder.nextMessage())
            {
                types.add(decoder.messageType());
                sequences.add(decoder.messageSequence());
                final UnsafeBuffer body = new UnsafeBuffer(new byte[decoder.bodyLength()]);
                body.putBytes(0, frame, decoder.bodyOffset(), decoder.bodyLength());
                bodies.add(body);
            }
            return true;
        }
    }
}
