package io.cohort.engine;

import io.cohort.transport.ReplicationWindow;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end flow control on the simulated network and clock: a replica that stops applying (a pause) closes its
 * owner's replication window, the owner's changes coalesce, its API refuses row changes BACK_PRESSURED after
 * {@code cohort.flow.backpressure.after}, and either the replica's status reopens it or, past
 * {@code cohort.flow.untether.after}, the replica is untethered and the owner goes on without it.
 */
class FlowControlTest
{
    private static final int FRAMES = 16;

    private final SimNetwork network = new SimNetwork(7, ms(1), 0, ms(20));
    private final List<SimNode> nodes = new ArrayList<>();
    private SimNode owner;
    private SimNode replica;
    private CohortNode api;
    private final long[] rooms = new long[4];
    private long nextConnection = 1;

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private final List<CohortContext> contexts = new ArrayList<>();

    private SimNode node(final long nodeId)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(400))
            .joinTimeoutNs(ms(5000))
            .flowWindow(16 * 1024)
            .flowWindowFrames(FRAMES)
            .flowUntetherAfterNs(ms(100))
            .flowBackPressureAfterNs(ms(2));
        context.stateContext().maxRooms(1024).maxConnections(4096).maxNodes(4).maxOverflowSubscriptions(4096);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        });
        nodes.add(node);
        contexts.add(context);
        return node;
    }

    private void startTwoSyncedNodes()
    {
        owner = node(1);
        owner.start(List.of());
        replica = node(2);
        replica.start(List.of(owner));
        assertTrue(network.runUntil(() -> NodeState.RUNNING == owner.core().state() &&
            NodeState.RUNNING == replica.core().state() && null != owner.core().member(2) &&
            owner.core().member(2).isSynced() && replica.core().member(1).isSynced(), ms(5000)));
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = owner.createRoom("c" + i);
        }
        assertTrue(network.runUntil(() -> window().isTethered(2), ms(1000)), "the synced replica reports and is tethered");
        final ManyToOneRingBuffer queue = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        api = new CohortNode(contexts.get(0), owner.core(), queue, null, new CountReaders(owner.state()),
            owner.syncEndpoint(), owner.commandEndpoint(), null, new Doorbell());
    }

    private ReplicationWindow window()
    {
        return owner.core().flowControl().window();
    }

    /** One duty cycle of changes on the owner: a subscription to every room, then one tick of the network. */
    private void changeAndTick()
    {
        final long connection = nextConnection++;
        for (final long room : rooms)
        {
            owner.core().subscribe(connection, room);
        }
        network.runFor(ms(1));
    }

    @Test
    void shouldPushBackWithinTheBoundWhileAReplicaIsBehindAndLetGoOnceItReports()
    {
        startTwoSyncedNodes();
        assertEquals(CallResult.ACCEPTED, api.subscribe(9_000, rooms[0]));

        replica.pause();
        int cycles = 0;
        while (window().isOpen())
        {
            changeAndTick();
            assertTrue(++cycles <= FRAMES + 2, "a frame per cycle closes the window at the frame cap");
        }
        final long closedAtNs = network.nowNs();
        final long claimedAtClose = owner.core().flowControl().window().sentBytes();
        while (network.nowNs() - closedAtNs <= ms(2))
        {
            assertEquals(CallResult.ACCEPTED, api.subscribe(9_001, rooms[1]), "not before 2 ms");
            changeAndTick();
        }
        final FlowGate gate = owner.core().flowControl().gate();
        assertTrue(network.runUntil(gate::isBackPressured, ms(3)), "within 2 ms and a cycle or two");
        assertEquals(CallResult.BACK_PRESSURED, api.subscribe(9_002, rooms[1]));
        assertEquals(CallResult.BACK_PRESSURED, api.unsubscribe(9_000, rooms[0]));
        assertEquals(CallResult.BACK_PRESSURED, api.disconnect(9_000));
        assertEquals(CallResult.BACK_PRESSURED, api.removeRoom(rooms[0]));
        assertEquals(CallResult.BACK_PRESSURED, api.createRoom("index", "other", new byte[]{ 1 }));
        assertEquals(5, api.backPressuredCalls());
        assertEquals(claimedAtClose, window().sentBytes(), "no row claimed while closed (heartbeats wait too)");

        replica.resume();
        assertTrue(network.runUntil(() -> window().isOpen(), ms(50)), "the replica's status reopens the window");
        network.runFor(ms(2));
        assertEquals(CallResult.ACCEPTED, api.subscribe(9_003, rooms[2]));
        assertTrue(window().isTethered(2));
        assertEquals(0, window().untetherings());
        assertTrue(network.runUntil(() -> digestsEqual(), ms(200)), "every coalesced change reached the replica");
    }

    @Test
    void shouldUntetherAReplicaThatHoldsTheWindowClosedPastTheBoundThenTetherItAgain()
    {
        startTwoSyncedNodes();
        replica.pause();
        while (window().isOpen())
        {
            changeAndTick();
        }
        final long closedAtNs = network.nowNs();
        while (window().isTethered(2))
        {
            changeAndTick();
            assertTrue(network.nowNs() - closedAtNs <= ms(103), "untethered within 100 ms of closing");
        }
        assertTrue(network.nowNs() - closedAtNs >= ms(100), "not before 100 ms");
        assertEquals(1, window().untetherings());
        assertTrue(window().isOpen(), "the owner goes on without the paused replica");
        changeAndTick();
        changeAndTick();
        assertEquals(CallResult.ACCEPTED, api.subscribe(9_000, rooms[0]));

        replica.resume();
        assertTrue(network.runUntil(() -> window().isTethered(2), ms(200)), "tethered again once it caught up");
        assertTrue(network.runUntil(() -> digestsEqual(), ms(200)));
        assertTrue(owner.errors().isEmpty(), owner.errors().toString());
        assertEquals(NodeState.RUNNING, replica.core().state());
    }

    private boolean digestsEqual()
    {
        return owner.state().ownerDigest(1) == replica.state().ownerDigest(1);
    }
}
