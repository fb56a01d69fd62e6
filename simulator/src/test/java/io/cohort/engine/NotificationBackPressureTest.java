package io.cohort.engine;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notification credit end to end, through a real {@link CohortNode} and its {@link ApiDispatcher} on the simulated
 * network and clock: while one destination's directed stream is full, a publish to a room it has subscribers in is
 * refused {@link CallResult#BACK_PRESSURED} at the call, or, if it was queued before the node's thread saw the
 * stream fill, refused whole on the node's thread and handed back to the listener; it reaches nobody, not even this
 * node's own subscribers; rooms without subscribers there go on; the counters say so; and once the stream drains,
 * the frame it held arrives and publishes go through again. None is dropped silently, none is delivered in part.
 */
class NotificationBackPressureTest
{
    private final SimNetwork network = new SimNetwork(11, ms(1), 0, ms(20));
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<CohortContext> contexts = new ArrayList<>();
    private final List<List<Long>> received = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final List<Long> refusedIds = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[Long.BYTES]);
    private final UnsafeBuffer largePayload = new UnsafeBuffer(new byte[1024]);
    private SimNode owner;
    private SimNode b;
    private SimNode c;
    private CohortNode api;
    private ManyToOneRingBuffer queue;
    private ApiDispatcher dispatcher;
    private long roomBC;
    private long roomC;

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(400))
            .joinTimeoutNs(ms(5000));
        context.stateContext().maxRooms(1024).maxConnections(4096).maxNodes(4).maxOverflowSubscriptions(4096);
        final List<Long> ids = new ArrayList<>();
        received.add(ids);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
                ids.add(buffer.getLong(offset));
            }
        });
        nodes.add(node);
        contexts.add(context);
        return node;
    }

    private void startThreeNodesWithSubscribers()
    {
        owner = node(1);
        owner.start(List.of());
        b = node(2);
        b.start(List.of(owner));
        c = node(3);
        c.start(List.of(owner));
        assertTrue(network.runUntil(() -> nodes.stream().allMatch((n) -> NodeState.RUNNING == n.core().state()) &&
            owner.hasDirectedStreamTo(2) && owner.hasDirectedStreamTo(3), ms(5000)));
        roomBC = owner.createRoom("bc");
        roomC = owner.createRoom("c");
        assertTrue(network.runUntil(() -> b.state().roomExists(roomBC) && c.state().roomExists(roomC), ms(500)));
        owner.core().subscribe(100, roomBC); // a local subscriber: it must not get what the others do not
        b.core().subscribe(200, roomBC);
        c.core().subscribe(300, roomBC);
        c.core().subscribe(300, roomC);
        assertTrue(network.runUntil(() -> owner.state().ownerCount(2, roomBC) > 0 &&
            owner.state().ownerCount(3, roomBC) > 0 && owner.state().ownerCount(3, roomC) > 0, ms(500)));

        queue = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        api = new CohortNode(contexts.get(0), owner.core(), queue, null, new CountReaders(owner.state()),
            owner.syncEndpoint(), owner.commandEndpoint(), null, new Doorbell());
        dispatcher = new ApiDispatcher(owner.core(), new CohortListener()
        {
            public void onPublishRefused(final long roomId, final DirectBuffer buffer, final int offset,
                final int length, final RefusalReason reason)
            {
                refusals.add("payload #" + buffer.getLong(offset) + " " + reason);
                refusedIds.add(buffer.getLong(offset));
                CohortListener.super.onPublishRefused(roomId, buffer, offset, length, reason);
            }

            public void onRefused(final RefusedOperation operation, final long connectionId, final long roomId,
                final RefusalReason reason)
            {
                refusals.add(operation + " " + (roomId == roomBC ? "bc" : Long.toHexString(roomId)) + " " + reason);
            }
        }, owner.errors()::add);
    }

    private CallResult publish(final long roomId, final long id)
    {
        payload.putLong(0, id);
        return api.publish(roomId, payload, 0, payload.capacity());
    }

    private CallResult publishLarge(final long roomId, final long id)
    {
        largePayload.putLong(0, id);
        return api.publish(roomId, largePayload, 0, largePayload.capacity());
    }

    /** The owner's thread carries out the queued calls, as its agent does at the start of a duty cycle. */
    private void drain()
    {
        queue.read(dispatcher, 4096);
    }

    private List<Long> ownerGot()
    {
        return received.get(0);
    }

    private List<Long> bGot()
    {
        return received.get(1);
    }

    private List<Long> cGot()
    {
        return received.get(2);
    }

    @Test
    void shouldRefuseWholeAndTellTheCallerWhileADestinationHasNoCreditThenDeliverEverythingItAccepted()
    {
        startThreeNodesWithSubscribers();
        final NotificationCredit credit = owner.core().publisher().notificationCredit();

        assertEquals(CallResult.ACCEPTED, publish(roomBC, 1));
        drain();
        assertTrue(network.runUntil(() -> bGot().contains(1L) && cGot().contains(1L), ms(50)));
        assertEquals(List.of(1L), ownerGot());

        // B's directed stream fills: the frame of the next publish is refused by the socket and held for B.
        owner.directedStreamFull(2, true);
        assertEquals(CallResult.ACCEPTED, publish(roomBC, 2));
        drain();
        owner.dutyCycle(network.nowNs()); // its flush: C's frame goes, B's is held (not lost)
        assertEquals(0, credit.exhaustedCount(), "callers learn of it at the owner's next cycle");

        // Queued before the owner's thread saw it: refused whole there, handed back, delivered nowhere.
        assertEquals(CallResult.ACCEPTED, publish(roomBC, 3));
        drain();
        assertEquals(List.of("payload #3 NOTIFICATION_BACK_PRESSURED", "PUBLISH bc NOTIFICATION_BACK_PRESSURED"),
            refusals, "onPublishRefused with the payload, and onRefused through its default");

        // From now on callers are refused at the call, for rooms with subscribers on B only.
        assertEquals(1, credit.exhaustedCount());
        assertEquals(CallResult.BACK_PRESSURED, publish(roomBC, 4));
        assertEquals(0, queue.size(), "nothing queued");
        assertEquals(CallResult.ACCEPTED, publish(roomC, 5), "B has no subscriber in it: not held back");
        drain();
        network.runFor(ms(20));
        assertEquals(List.of(1L, 2L, 5L), cGot());
        assertEquals(List.of(1L), bGot(), "2 is held for B, 3 and 4 went nowhere");
        assertEquals(List.of(1L, 2L), ownerGot(), "3 and 4 were not delivered locally either");
        assertEquals(CallResult.BACK_PRESSURED, publish(roomBC, 7), "still full: still refused");

        assertEquals(3, api.refusedNotifications(), "#3 on the node's thread, #4 and #7 at the call");
        assertEquals(2, api.backPressuredCalls());
        assertEquals(5, api.routedNotifications(), "#1 and #2 to B and C, #5 to C");

        // B's stream drains: the held frame arrives, credit returns, publishes go through again.
        owner.directedStreamFull(2, false);
        assertTrue(network.runUntil(() -> bGot().contains(2L) && 0 == credit.exhaustedCount(), ms(50)));
        assertEquals(CallResult.ACCEPTED, publish(roomBC, 6));
        drain();
        assertTrue(network.runUntil(() -> bGot().contains(6L) && cGot().contains(6L), ms(50)));
        network.runFor(ms(100));

        assertEquals(List.of(1L, 2L, 6L), bGot(), "exactly once each, in order, nothing refused arrived");
        assertEquals(List.of(1L, 2L, 5L, 6L), cGot());
        assertEquals(List.of(1L, 2L, 6L), ownerGot());
        assertEquals(2, refusals.size());
        assertEquals(3, api.refusedNotifications());
        assertEquals(7, api.routedNotifications());
        for (final SimNode node : nodes)
        {
            assertEquals(NodeState.RUNNING, node.core().state(), node + ": a held directed stream is no fault");
            assertTrue(node.errors().isEmpty(), node + ": " + node.errors());
        }
    }

    @Test
    void shouldBoundWhatWaitsForAStalledNodeByItsNotificationWindowAndRefuseTheRestUntilItReports()
    {
        startThreeNodesWithSubscribers();
        final NotificationCredit credit = owner.core().publisher().notificationCredit();
        final int window = contexts.get(0).flowNotificationWindow();
        assertEquals(64 * 1024, window, "the default");
        final io.cohort.transport.OutboundBatcher outbound = owner.outbound();

        b.pause(); // B's thread stalls: it takes nothing and reports nothing, but its socket is not full
        final List<Long> accepted = new ArrayList<>();
        long id = 0;
        long backPressuredAt = -1;
        while (backPressuredAt < 0)
        {
            final CallResult result = publishLarge(roomBC, ++id);
            if (CallResult.ACCEPTED == result)
            {
                accepted.add(id);
                drain();
                network.runFor(ms(1));
            }
            else
            {
                assertEquals(CallResult.BACK_PRESSURED, result);
                backPressuredAt = id;
            }
            assertTrue(id < 200, "the window closes after " + window + " bytes B has not reported taking");
        }
        // A publish accepted in the cycle whose flush closed the window is refused on the owner's thread instead:
        // handed back, delivered nowhere.
        assertTrue(refusedIds.size() <= 1, refusedIds.toString());
        accepted.removeAll(refusedIds);
        final long inFlight = outbound.directedBytesInFlight(2);
        assertTrue(inFlight >= window && inFlight < window + 2 * 1024 + 64 * 1024,
            "what waits for B is bounded by its window (and the frame that crossed it): " + inFlight);
        assertTrue(outbound.directedBytesInFlight(3) < window, "C keeps reporting: " + outbound.directedBytesInFlight(3));
        assertEquals(1, credit.exhaustedCount());
        assertEquals(CallResult.ACCEPTED, publish(roomC, 10_000), "C alone has subscribers in it");
        drain();
        network.runFor(ms(20));
        assertEquals(CallResult.BACK_PRESSURED, publishLarge(roomBC, ++id), "still stalled: still refused");
        assertEquals(2 + refusedIds.size(), api.refusedNotifications(), "two at the call, the rest handed back");
        assertEquals(2, api.backPressuredCalls());
        assertTrue(cGot().containsAll(accepted) && cGot().contains(10_000L));

        b.resume(); // B takes its backlog and reports it: credit returns
        assertTrue(network.runUntil(() -> 0 == credit.exhaustedCount(), ms(100)));
        assertEquals(CallResult.ACCEPTED, publishLarge(roomBC, ++id));
        accepted.add(id);
        drain();
        assertTrue(network.runUntil(() -> bGot().size() == accepted.size(), ms(100)));
        network.runFor(ms(50));

        assertEquals(accepted, bGot(), "every accepted notification exactly once, no refused one");
        final List<Long> toC = new ArrayList<>(accepted);
        toC.add(toC.size() - 1, 10_000L);
        assertEquals(toC, cGot());
        assertEquals(accepted, ownerGot(), "the owner's own subscriber got exactly what the others got");
        assertEquals(2 + refusedIds.size(), api.refusedNotifications());
        for (final SimNode node : nodes)
        {
            assertEquals(NodeState.RUNNING, node.core().state(), node.toString());
            assertTrue(node.errors().isEmpty(), node + ": " + node.errors());
        }
    }
}
