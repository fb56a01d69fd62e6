package io.cohort.engine;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol core driven by a simulated network and clock: join, bootstrap, replication, buffering and
 * replay at join, routing, leave, silence.
 */
class ClusterCoreTest
{
    private final SimNetwork network = new SimNetwork(42, ms(1), ms(1), ms(20));
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<String> notifications = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId)
    {
        return node(nodeId, new CohortContext());
    }

    private SimNode node(final long nodeId, final CohortContext base)
    {
        return node(nodeId, base, 6);
    }

    private SimNode node(final long nodeId, final CohortContext base, final int maxNodes)
    {
        final CohortContext context = base
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(400))
            .joinTimeoutNs(ms(5000));
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(maxNodes).maxOverflowSubscriptions(1024);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
                notifications.add(nodeId + ":" + buffer.getStringWithoutLengthAscii(offset, length));
            }
        });
        nodes.add(node);
        return node;
    }

    private boolean allRunningWithFullMembership()
    {
        for (final SimNode node : network.nodes())
        {
            if (NodeState.RUNNING != node.core().state() || node.core().memberIds().length != network.nodes().size() - 1)
            {
                return false;
            }
            for (final long memberId : node.core().memberIds())
            {
                if (!node.core().member(memberId).isSynced())
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void assertReplicasEqualOwners()
    {
        for (final SimNode owner : network.nodes())
        {
            final long ownDigest = owner.state().ownerDigest(owner.nodeId());
            for (final SimNode replica : network.nodes())
            {
                assertEquals(ownDigest, replica.state().ownerDigest(owner.nodeId()),
                    "replica " + replica.nodeId() + " of owner " + owner.nodeId());
            }
        }
    }

    private long createRoom(final SimNode node, final String collection)
    {
        final byte[] filter = collection.getBytes();
        final long roomId = CohortNode.roomId("index", collection, filter);
        final UnsafeBuffer metadata = new UnsafeBuffer(new byte[256]);
        int length = 0;
        for (final byte[] field : new byte[][]{ "index".getBytes(), collection.getBytes(), filter })
        {
            metadata.putInt(length, field.length, io.cohort.codec.FrameLayout.BYTE_ORDER);
            metadata.putBytes(length + Integer.BYTES, field);
            length += Integer.BYTES + field.length;
        }
        node.core().createRoom(roomId, metadata, 0, length);
        return roomId;
    }

    @Test
    void shouldCountJoinRequestsThatNoSeedAnswers()
    {
        final SimNode seedGone = node(1);
        seedGone.close();
        final SimNode joiner = node(2);
        joiner.start(List.of(seedGone));

        network.runFor(ms(1000));

        assertEquals(NodeState.JOINING, joiner.core().state());
        assertTrue(joiner.core().requestTimeouts() >= 2, () -> "timeouts " + joiner.core().requestTimeouts());
    }

    @Test
    void shouldFormClusterOfThreeThroughOneSeed()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        assertEquals(NodeState.RUNNING, n1.core().state());
        final SimNode n2 = node(2);
        final SimNode n3 = node(3);
        n2.start(List.of(n1));
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        assertTrue(n1.errors().isEmpty(), n1.errors().toString());
    }

    @Test
    void shouldRefuseANodePastTheConfiguredClusterSizeAtJoin()
    {
        final SimNode n1 = node(1, new CohortContext(), 2);
        n1.start(List.of());
        final SimNode n2 = node(2, new CohortContext(), 2);
        n2.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));

        final SimNode n3 = node(3, new CohortContext(), 2);
        n3.start(List.of(n1, n2));
        network.runFor(ms(2000));

        assertFalse(n3.core().state().isMember(), "state " + n3.core().state());
        assertEquals(1, n1.core().memberIds().length);
        assertEquals(1, n2.core().memberIds().length);
        assertEquals(NodeState.RUNNING, n1.core().state());
        assertTrue(n1.errors().isEmpty(), n1.errors().toString());
    }

    @Test
    void shouldBootstrapOneClusterWhenEveryNodeStartsWithTheSameSeeds()
    {
        final SimNode n1 = node(11);
        final SimNode n2 = node(12);
        final SimNode n3 = node(13);
        final List<SimNode> seeds = List.of(n1, n2, n3);
        n3.start(seeds);
        n2.start(seeds);
        n1.start(seeds);
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(8000)),
            () -> "states " + n1.core().state() + " " + n2.core().state() + " " + n3.core().state());
    }

    @Test
    void shouldReplicateCountsSoEveryNodeSeesTheClusterWideCount()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        final SimNode n3 = node(3);
        n2.start(List.of(n1));
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));

        final long room = createRoom(n1, "chat");
        network.runFor(ms(20));
        for (final SimNode node : List.of(n1, n2, n3))
        {
            assertTrue(node.state().roomExists(room), "room known on " + node.nodeId());
        }
        n1.core().subscribe(100, room);
        n2.core().subscribe(200, room);
        n2.core().subscribe(201, room);
        n3.core().subscribe(300, room);
        n3.core().subscribe(300, room);
        assertTrue(network.runUntil(() -> n1.state().roomCount(room) == 4 && n2.state().roomCount(room) == 4 &&
            n3.state().roomCount(room) == 4, ms(1000)));
        assertReplicasEqualOwners();

        n2.core().disconnect(200);
        assertTrue(network.runUntil(() -> n1.state().roomCount(room) == 3 && n3.state().roomCount(room) == 3, ms(1000)));
        assertReplicasEqualOwners();
    }

    @Test
    void shouldBufferAndReplayWhatChangesWhileANodeJoins()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        n2.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        final long[] rooms = new long[8];
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = createRoom(i % 2 == 0 ? n1 : n2, "room-" + i);
        }
        network.runFor(ms(20));

        final Random random = new Random(7);
        final SimNode n3 = node(3);
        boolean started = false;
        for (int step = 0; step < 600; step++)
        {
            final SimNode owner = random.nextBoolean() ? n1 : n2;
            final long connection = owner.nodeId() * 1000 + random.nextInt(50) + 1;
            final long room = rooms[random.nextInt(rooms.length)];
            if (random.nextInt(3) == 0)
            {
                owner.core().unsubscribe(connection, room);
            }
            else
            {
                owner.core().subscribe(connection, room);
            }
            if (step == 50)
            {
                n3.start(List.of(n1));
                started = true;
            }
            network.runFor(ms(2));
        }
        assertTrue(started);
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        network.runFor(ms(200));
        assertReplicasEqualOwners();
        for (final long room : rooms)
        {
            assertEquals(n1.state().roomCount(room), n3.state().roomCount(room), "room " + room);
        }
    }

    @Test
    void shouldRouteNotificationsOnlyToNodesWithSubscribers()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        final SimNode n3 = node(3);
        n2.start(List.of(n1));
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        final long room = createRoom(n1, "news");
        network.runFor(ms(20));
        n2.core().subscribe(7, room);
        assertTrue(network.runUntil(() -> n1.state().ownerCount(2, room) == 1, ms(1000)));

        final UnsafeBuffer payload = new UnsafeBuffer("hi".getBytes());
        assertEquals(1, n1.core().publish(room, payload, 0, payload.capacity()));
        network.runFor(ms(50));
        assertEquals(List.of("2:hi"), notifications);
    }

    @Test
    void shouldDropTheRowsOfALeaverEverywhere()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        final SimNode n3 = node(3);
        n2.start(List.of(n1));
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        final long room = createRoom(n3, "x");
        network.runFor(ms(20));
        n3.core().subscribe(1, room);
        assertTrue(network.runUntil(() -> n1.state().roomCount(room) == 1, ms(1000)));

        n3.core().leave();
        network.runFor(ms(20));
        n3.crash();
        assertTrue(network.runUntil(() -> n1.state().roomCount(room) == 0 && n2.state().roomCount(room) == 0 &&
            n1.core().memberIds().length == 1 && n2.core().memberIds().length == 1, ms(200)));
    }

    @Test
    void shouldRemoveASilentMemberAfterTheHeartbeatTimeout()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        n2.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        n2.crash();
        network.runFor(ms(300));
        assertEquals(1, n1.core().memberIds().length, "not yet: a member is removed only after the timeout");
        assertTrue(network.runUntil(() -> n1.core().memberIds().length == 0, ms(500)));
    }

    @Test
    void shouldStopServingAtTheFirstCycleAfterAPausePastItsLeaseAndServeAgainOnceHeard()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        n2.start(List.of(n1));
        final SimNode n3 = node(3);
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        network.runFor(ms(200));

        assertEquals(0, n3.core().stallDetector().stalls(), "a simulated node cycles every millisecond or so");
        assertTrue(n3.core().stallDetector().longestStallNs() <= StallDetector.STALL_REPORTED_NS);
        n3.pause();
        // Past its lease (the heartbeat timeout less an interval, from its last heartbeat a quorum echoed), short of
        // the heartbeat timeout that would start its removal.
        network.runFor(ms(480));
        n3.resume();
        assertEquals(1, n3.core().stallDetector().stalls(), "the pause is counted as one stall");
        final long longestStallNs = n3.core().stallDetector().longestStallNs();
        assertTrue(longestStallNs >= ms(480), "and measured: " + longestStallNs);
        assertEquals(0, n1.core().stallDetector().stalls());
        assertEquals(NodeState.NO_QUORUM, n3.core().state(), "the lease is checked before any input is handled");
        assertFalse(n3.core().acceptsApiCalls());

        assertTrue(network.runUntil(() -> NodeState.RUNNING == n3.core().state(), ms(500)),
            "serves again once a quorum echoes its heartbeats: " + n3.core().state());
        assertEquals(2, n3.core().memberIds().length, "a pause shorter than the heartbeat timeout removes no one");
        assertEquals(2, n1.core().memberIds().length);
        assertEquals(2, n2.core().memberIds().length);
    }

    @Test
    void shouldNameADeadlineNoLaterThanItsNextHeartbeatAndItsLeasesEnd()
    {
        final SimNode n1 = node(1);
        n1.start(List.of());
        final SimNode n2 = node(2);
        n2.start(List.of(n1));
        final SimNode n3 = node(3);
        n3.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        network.runFor(ms(200));

        final long idleNowNs = n1.localNowNs();
        final long idleDeadlineNs = n1.core().nextDeadlineNs(idleNowNs);
        assertTrue(idleDeadlineNs > idleNowNs && idleDeadlineNs <= idleNowNs + ms(50),
            "an idle member sleeps, at most to its next heartbeat (an interval of 50 ms): " +
            (idleDeadlineNs - idleNowNs) + " ns");

        final SimNode joiner = node(4);
        joiner.start(List.of(n1));
        network.runFor(ms(1));
        assertEquals(NodeState.JOINING, joiner.core().state());
        assertEquals(joiner.localNowNs(), joiner.core().nextDeadlineNs(joiner.localNowNs()),
            "a joining node moves by time: due at once");
        joiner.crash();

        // Nobody echoes n1 any more: it must wake no later than its lease's end, where its fence stops it serving.
        n2.pause();
        n3.pause();
        int cycles = 0;
        while (NodeState.RUNNING == n1.core().state())
        {
            final long nowNs = n1.localNowNs();
            final long leaseEndNs = n1.core().membership().leaseExpiryNs(nowNs);
            final long deadlineNs = n1.core().nextDeadlineNs(nowNs);
            assertTrue(deadlineNs <= leaseEndNs, "deadline " + deadlineNs + " past the lease's end " + leaseEndNs);
            assertTrue(deadlineNs <= nowNs + ms(50), "and no later than its next heartbeat");
            network.runFor(ms(1));
            assertTrue(++cycles < 1_000, "the lease ends within the heartbeat timeout");
        }
        assertEquals(NodeState.NO_QUORUM, n1.core().state());
        n2.resume();
        n3.resume();
    }

    @Test
    void shouldRepairACopyAfterALostFrameWhenRepairIsOn()
    {
        final SimNode n1 = node(1, new CohortContext().syncRepair(true));
        n1.start(List.of());
        final SimNode n2 = node(2, new CohortContext().syncRepair(true));
        n2.start(List.of(n1));
        assertTrue(network.runUntil(this::allRunningWithFullMembership, ms(5000)));
        final long room = createRoom(n1, "r");
        network.runFor(ms(20));

        final boolean[] dropped = { false };
        network.syncFault((from, to, message) ->
        {
            if (from == 1 && to == 2 && !dropped[0])
            {
                dropped[0] = true;
                return 0;
            }
            return 1;
        });
        n1.core().subscribe(5, room);
        network.runFor(ms(5));
        network.syncFault(null);
        n1.core().subscribe(6, room);
        assertTrue(dropped[0]);
        assertTrue(network.runUntil(() -> n2.state().ownerCount(1, room) == 2 && n2.core().member(1).isSynced(),
            ms(3000)));
        assertTrue(n2.core().member(1).desyncs > 0, "the gap was seen");
        assertFalse(n2.errors().stream().anyMatch(e -> !(e instanceof IllegalStateException)), n2.errors().toString());
    }
}
