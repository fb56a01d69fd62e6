package io.cohort.engine;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationDecoder;
import io.cohort.state.StateContext;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.FrameSink;
import io.cohort.transport.OutboundBatcher;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification credit rule, on {@link SyncPublisher#route} and {@link NotificationCredit} over a real
 * {@link OutboundBatcher} whose sink refuses chosen destinations: a notification goes to every node with
 * subscribers in its room or to none, a destination without credit refuses it whole, every refusal is counted, the
 * destinations without credit are what callers see, and nothing allocates.
 */
class NotificationCreditTest
{
    private static final long NODE_ID = 0x51;
    private static final long B = 0x52;
    private static final long C = 0x53;
    private static final long D = 0x54;
    private static final long ROOM_BC = 1001;
    private static final long ROOM_C = 1002;
    private static final long ROOM_NONE = 1003;

    private final Sink sink = new Sink();
    private final List<Throwable> errors = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
    private SubscriptionState state;
    private OutboundBatcher outbound;
    private SyncPublisher publisher;
    private NotificationCredit credit;

    @BeforeEach
    void setUp()
    {
        final CodecLimits limits = new CodecLimits(CodecLimits.MAX_NAME_LENGTH_DEFAULT,
            CodecLimits.MAX_ENDPOINT_LENGTH_DEFAULT, CodecLimits.MAX_FILTER_LENGTH_DEFAULT,
            CodecLimits.MAX_PAYLOAD_LENGTH_DEFAULT, 4, CodecLimits.MAX_FRAME_LENGTH_DEFAULT);
        final CohortContext context = new CohortContext().nodeId(NODE_ID).incarnation(3).codecLimits(limits);
        state = new SubscriptionState(new StateContext().localNodeId(NODE_ID).maxRooms(64).maxConnections(64)
            .maxRoomsPerConnection(16).maxOverflowSubscriptions(64).maxFilterBytes(1024).averageRoomBytes(64)
            .maxNodes(8).snapshotFrameLength(4096), (roomId, previous, current) -> { });
        outbound = new OutboundBatcher(0xC1, NODE_ID, 3, 64 * 1024, sink);
        publisher = new SyncPublisher(context, outbound, state, errors::add, new byte[0]);
        credit = publisher.notificationCredit();
        outbound.addDestination(B);
        outbound.addDestination(C);
        assertEquals(StateResult.APPLIED, state.applyRemote(B, ROOM_BC, 2));
        assertEquals(StateResult.APPLIED, state.applyRemote(C, ROOM_BC, 1));
        assertEquals(StateResult.APPLIED, state.applyRemote(C, ROOM_C, 5));
    }

    @AfterEach
    void tearDown()
    {
        state.close();
    }

    private int route(final long roomId, final long id)
    {
        payload.putLong(0, id);
        return publisher.route(roomId, payload, 0, payload.capacity());
    }

    @Test
    void shouldRouteToEveryNodeWithSubscribersAndNoOther()
    {
        assertEquals(2, route(ROOM_BC, 1));
        assertEquals(1, route(ROOM_C, 2));
        assertEquals(0, route(ROOM_NONE, 3), "nobody has subscribers: nothing to send, nothing refused");
        outbound.flush();

        assertEquals(List.of(1L), sink.ids(B));
        assertEquals(List.of(1L, 2L), sink.ids(C));
        assertEquals(3, credit.routed());
        assertEquals(0, credit.refused());
        assertTrue(errors.isEmpty());
    }

    @Test
    void shouldRefuseTheWholeRouteWhenOneDestinationHasNoCreditAndClaimNothingForTheOthers()
    {
        assertEquals(2, route(ROOM_BC, 1));
        sink.full.add(B);
        outbound.flush(); // B's frame is refused: its stream holds it, and has no credit until it goes
        final long cNextBefore = outbound.nextDirectedSequence(C);

        assertEquals(SyncPublisher.REFUSED, route(ROOM_BC, 2));
        assertEquals(cNextBefore, outbound.nextDirectedSequence(C), "nothing claimed for C either");
        assertEquals(1, credit.refused());
        assertEquals(1, credit.refusedQueued());
        assertTrue(credit.isExhausted(B), "callers now see B without credit");
        assertFalse(credit.isExhausted(C));

        assertEquals(1, route(ROOM_C, 3), "a room without subscribers on B is not held back");
        outbound.flush();
        assertEquals(List.of(1L, 3L), sink.ids(C));
        assertEquals(List.of(), sink.ids(B), "B's held frame has not gone yet, and is not lost");

        sink.full.remove(B);
        outbound.flush();
        assertEquals(List.of(1L), sink.ids(B), "the held frame goes once the sink takes it");
        assertEquals(2, route(ROOM_BC, 4), "credit again");
        outbound.flush();
        assertEquals(List.of(1L, 4L), sink.ids(B));
        assertEquals(List.of(1L, 3L, 4L), sink.ids(C));
        assertEquals(List.of(1L, 2L), sink.sequences(B), "the directed stream has no gap: the refused one took none");
        assertEquals(List.of(1L, 2L, 3L), sink.sequences(C));
        assertEquals(1, credit.refused(), "one refusal, counted once");
        assertEquals(5, credit.routed());
        assertTrue(errors.isEmpty(), "a refusal is an outcome told to the caller, not an error");
    }

    @Test
    void shouldRefuseARouteToANodeWithSubscribersButNoDirectedStreamYet()
    {
        assertEquals(StateResult.APPLIED, state.applyRemote(D, ROOM_C, 1));
        assertEquals(SyncPublisher.REFUSED, route(ROOM_C, 1), "D's subscription has not reached this node");
        outbound.flush();
        assertEquals(List.of(), sink.ids(C), "C does not get it alone");
        assertEquals(1, credit.refusedQueued());

        outbound.addDestination(D);
        assertEquals(2, route(ROOM_C, 2));
        outbound.flush();
        assertEquals(List.of(2L), sink.ids(C));
        assertEquals(List.of(2L), sink.ids(D));
    }

    @Test
    void shouldRefuseWholeWhileADestinationHoldsItsNotificationWindowClosedAndAdmitAgainOnItsReport()
    {
        final NotificationCredit.OwnerCounts counts = state::ownerCount;
        outbound.directedWindow(16 * 1024, 1024);
        outbound.onDirectedStatus(B, 0, 0); // B reports (nothing taken yet, nothing sent): bounded from now on
        long id = 0;
        long cNextBefore;
        while (true)
        {
            cNextBefore = outbound.nextDirectedSequence(C);
            if (SyncPublisher.REFUSED == route(ROOM_BC, ++id))
            {
                break;
            }
            outbound.flush();
            outbound.onDirectedStatus(C, outbound.nextDirectedSequence(C) - 1, 0); // C keeps up, B takes nothing
            assertTrue(id < 1000, "B's window closes after 16k unreported bytes");
        }
        final long refusedId = id;
        assertTrue(outbound.directedBytesInFlight(B) >= 16 * 1024);
        assertFalse(outbound.isBackPressured(B), "the socket took everything: the window holds B back");
        assertEquals(cNextBefore, outbound.nextDirectedSequence(C), "the refused one was claimed for C neither");
        assertEquals(1, credit.refusedQueued());
        publisher.publishPending();
        assertTrue(credit.refuses(ROOM_BC, counts));
        assertFalse(credit.refuses(ROOM_C, counts), "C alone has subscribers in it");
        assertEquals(1, route(ROOM_C, ++id));

        outbound.onDirectedStatus(B, outbound.nextDirectedSequence(B) - 1, 0); // B took everything
        publisher.publishPending();
        assertFalse(credit.refuses(ROOM_BC, counts));
        assertEquals(2, route(ROOM_BC, ++id));
        outbound.flush();
        final List<Long> toB = sink.ids(B);
        assertEquals(id, (long)toB.get(toB.size() - 1));
        assertFalse(toB.contains(refusedId), "the refused one went nowhere");
        assertFalse(sink.ids(C).contains(refusedId));
        assertTrue(sink.ids(C).contains(refusedId + 1));
        assertEquals(toB.size(), sink.sequences(B).get(toB.size() - 1), "no gap in B's stream");
    }

    @Test
    void shouldShowCallersExactlyTheDestinationsWithoutCreditOncePerCycle()
    {
        final NotificationCredit.OwnerCounts counts = state::ownerCount;
        assertEquals(2, route(ROOM_BC, 1));
        sink.full.add(B);
        outbound.flush();
        assertFalse(credit.refuses(ROOM_BC, counts), "not before the node's thread looked at its streams");

        publisher.publishPending(); // the cycle's refresh
        assertEquals(1, credit.exhaustedCount());
        assertTrue(credit.refuses(ROOM_BC, counts), "B has subscribers in it");
        assertFalse(credit.refuses(ROOM_C, counts), "B has none in it: C still takes it");
        assertFalse(credit.refuses(ROOM_NONE, counts));
        assertEquals(1, credit.exhaustions());

        publisher.publishPending();
        assertEquals(1, credit.exhaustions(), "a destination still without credit is not marked again");
        sink.full.remove(B);
        outbound.flush();
        publisher.publishPending();
        assertEquals(0, credit.exhaustedCount());
        assertFalse(credit.refuses(ROOM_BC, counts));

        sink.full.add(C);
        assertEquals(1, route(ROOM_C, 2));
        outbound.flush();
        publisher.publishPending();
        assertTrue(credit.isExhausted(C));
        outbound.removeDestination(C);
        publisher.publishPending();
        assertEquals(0, credit.exhaustedCount(), "a closed stream leaves the set (its node left)");
    }

    @Test
    void shouldCountCallerRefusalsWithTheQueuedOnes()
    {
        credit.onRefusedAtCall();
        credit.onRefusedAtCall();
        sink.full.add(B);
        assertEquals(2, route(ROOM_BC, 1));
        outbound.flush();
        assertEquals(SyncPublisher.REFUSED, route(ROOM_BC, 2));
        assertEquals(2, credit.refusedAtCall());
        assertEquals(1, credit.refusedQueued());
        assertEquals(3, credit.refused());
    }

    @Test
    void shouldRejectAnEmptyDestinationSet()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new NotificationCredit(0));
        assertTrue(ex.getMessage().contains("maxDestinations=0"), ex.getMessage());
    }

    @Test
    void shouldNotAllocateWhenRoutingRefusingOrCheckingCredit()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final NotificationCredit.OwnerCounts counts = state::ownerCount;
        sink.recording = false;
        for (int i = 0; i < 20_000; i++)
        {
            exercise(i, counts);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++)
        {
            exercise(i, counts);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20000 rounds of routes and refusals");
        assertTrue(credit.refused() > 0 && credit.routed() > 0);
    }

    private void exercise(final int i, final NotificationCredit.OwnerCounts counts)
    {
        route(ROOM_BC, i);
        route(ROOM_C, i);
        outbound.flush();
        publisher.publishPending();
        credit.refuses(ROOM_BC, counts);
        if (i % 4 < 2) // two rounds full: the first holds a frame, the second refuses routes
        {
            sink.full.add(B);
        }
        else
        {
            sink.full.remove(B);
        }
    }

    /** Records the id in every notification it takes, per destination; refuses the destinations in {@link #full}. */
    static final class Sink implements FrameSink
    {
        final LongHashSet full = new LongHashSet();
        final List<long[]> received = new ArrayList<>();
        final FrameDecoder decoder = new FrameDecoder();
        final NotificationDecoder notification = new NotificationDecoder();
        boolean recording = true;

        public boolean send(final long destinationNodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (full.contains(destinationNodeId))
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
                if (MessageType.NOTIFICATION == decoder.messageType())
                {
                    notification.wrap(frame, decoder.bodyOffset(), decoder.bodyLength());
                    received.add(new long[]{ destinationNodeId, decoder.messageSequence(),
                        frame.getLong(notification.payloadOffset()) });
                }
            }
            return true;
        }

        List<Long> ids(final long destination)
        {
            final List<Long> ids = new ArrayList<>();
            for (final long[] r : received)
            {
                if (r[0] == destination)
                {
                    ids.add(r[2]);
                }
            }
            return ids;
        }

        List<Long> sequences(final long destination)
        {
            final List<Long> sequences = new ArrayList<>();
            for (final long[] r : received)
            {
                if (r[0] == destination)
                {
                    sequences.add(r[1]);
                }
            }
            return sequences;
        }
    }
}
