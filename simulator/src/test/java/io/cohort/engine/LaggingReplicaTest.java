package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import io.cohort.transport.ReplicationWindow;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lag bound on the simulated network and clock: three nodes, an owner changing rows every millisecond, and
 * one replica made a slow receiver ({@link SimNode#receiveCostNs}: one sync frame per 2 ms, heartbeats queued
 * behind data, so it is never silent). Kept slow, it keeps the owner's window closed a frame at a time (the owner
 * goes at its pace) and, still behind after {@code cohort.flow.lagging.after}, is removed by an agreed view with
 * reason LAGGING while the owner and the healthy replica stay RUNNING; slowed for less than the bound, it catches
 * up and nobody is removed.
 */
class LaggingReplicaTest
{
    private static final int FRAMES = 16;
    private static final long LAGGING_AFTER_NS = ms(1000);
    private static final long OWNER = 1;
    private static final long HEALTHY = 2;
    private static final long SLOW = 3;

    private final SimNetwork network = new SimNetwork(11, ms(1), 0, ms(20));
    private final List<SimNode> nodes = new ArrayList<>();
    /** Every eviction a node's listener heard, as "evictor:evicted:reason". */
    private final List<String> evictions = new ArrayList<>();
    private SimNode owner;
    private SimNode healthy;
    private SimNode slow;
    private final long[] rooms = new long[4];
    private long nextConnection = 1;

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
            .joinTimeoutNs(ms(5000))
            .flowWindow(16 * 1024)
            .flowWindowFrames(FRAMES)
            .flowUntetherAfterNs(ms(100))
            .flowBackPressureAfterNs(ms(2))
            .flowLaggingAfterNs(LAGGING_AFTER_NS);
        context.stateContext().maxRooms(1024).maxConnections(16 * 1024).maxNodes(4)
            .maxOverflowSubscriptions(16 * 1024);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            public void onMemberEvicted(final long evictedId, final EvictionReason reason)
            {
                evictions.add(nodeId + ":" + evictedId + ":" + reason);
            }
        });
        nodes.add(node);
        return node;
    }

    private void startThreeSyncedNodes()
    {
        owner = node(OWNER);
        owner.start(List.of());
        healthy = node(HEALTHY);
        healthy.start(List.of(owner));
        slow = node(SLOW);
        slow.start(List.of(owner));
        assertTrue(network.runUntil(() -> allRunningAndSynced(owner, healthy, slow), ms(10_000)),
            "three nodes RUNNING, each synced with the others");
        createRooms();
        assertTrue(network.runUntil(() -> window().isTethered(HEALTHY) && window().isTethered(SLOW), ms(1000)),
            "both replicas report and are tethered");
    }

    private void createRooms()
    {
        for (int i = 0; i < rooms.length; i++)
        {
            rooms[i] = owner.createRoom("c" + i);
        }
    }

    private static boolean allRunningAndSynced(final SimNode... all)
    {
        for (final SimNode node : all)
        {
            if (NodeState.RUNNING != node.core().state() || null == node.core().membership().view() ||
                all.length != node.core().membership().view().size())
            {
                return false;
            }
            for (final SimNode other : all)
            {
                final Member member = node.core().member(other.nodeId());
                if (other != node && (null == member || !member.isSynced()))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** An owner and one replica, synced and tethered; then the replica takes a sync frame per 2 ms. */
    private long startTwoNodesAndSlowTheReplica()
    {
        return startTwoNodesAndSlowTheReplica(ms(2));
    }

    private long startTwoNodesAndSlowTheReplica(final long receiveCostNs)
    {
        owner = node(OWNER);
        owner.start(List.of());
        slow = node(SLOW);
        slow.start(List.of(owner));
        assertTrue(network.runUntil(() -> allRunningAndSynced(owner, slow), ms(10_000)));
        createRooms();
        assertTrue(network.runUntil(() -> window().isTethered(SLOW), ms(1000)));
        slow.receiveCostNs(receiveCostNs);
        final long slowFromNs = network.nowNs();
        return slowFromNs;
    }

    private ReplicationWindow window()
    {
        return owner.core().flowControl().window();
    }

    /** One millisecond of load on the owner: a subscription to every room (a frame a cycle), then one tick. */
    private void changeAndTick()
    {
        changeAndRun(ms(1));
    }

    /** A subscription to every room on the owner (a frame), then the network runs for the given time. */
    private void changeAndRun(final long durationNs)
    {
        final long connection = nextConnection++;
        for (final long room : rooms)
        {
            owner.core().subscribe(connection, room);
        }
        network.runFor(durationNs);
        if (connection % 2_000 == 0)
        {
            // Keep the owner's state bounded: the load is the frames, not the rows.
            for (long old = connection - 1_999; old <= connection; old++)
            {
                owner.core().disconnect(old);
            }
        }
    }

    @Test
    void shouldRemoveAReplicaThatStaysBehindPastTheBoundWithReasonLaggingAndKeepTheOthersRunning()
    {
        startThreeSyncedNodes();
        final long epochBefore = owner.core().membership().view().epoch();
        slow.receiveCostNs(ms(2));
        final long slowFromNs = network.nowNs();
        while (NodeState.EVICTED != slow.core().state())
        {
            changeAndTick();
            assertEquals(NodeState.RUNNING, owner.core().state(), "the owner is never the one removed");
            assertEquals(NodeState.RUNNING, healthy.core().state(), "nor the healthy replica");
            assertTrue(network.nowNs() - slowFromNs <= LAGGING_AFTER_NS + ms(2000),
                "removed within the bound and a view agreement (" + slow.core().state() + ")");
        }
        final long removedAfterNs = network.nowNs() - slowFromNs;
        assertEquals(1, window().untetherings(), "past the bound it no longer set the owner's pace");
        assertTrue(removedAfterNs >= LAGGING_AFTER_NS, "not before the bound: " + removedAfterNs / 1_000_000 + " ms");
        assertNotNull(slow.core().failure());
        assertTrue(slow.core().failure().contains("LAGGING"), "the removed node learns why: " + slow.core().failure());
        assertEquals(1, owner.core().membership().laggingAccusations(), "counted once, however often renewed");
        assertEquals(0, healthy.core().membership().laggingAccusations());

        for (int i = 0; i < 500; i++)
        {
            changeAndTick();
        }
        for (final SimNode survivor : List.of(owner, healthy))
        {
            assertEquals(NodeState.RUNNING, survivor.core().state(), survivor.toString());
            final View view = survivor.core().membership().view();
            assertEquals(2, view.size(), view.toString());
            assertEquals(-1, view.rankOf(SLOW), view.toString());
            assertEquals(epochBefore + 1, view.epoch(), "one view removed it: " + view);
            assertEquals(1, view.removedCount(), view.toString());
            assertEquals(SLOW, view.removedNodeId(0));
            assertEquals(ReasonCode.LAGGING, view.removedReason(0));
            assertTrue(evictions.contains(survivor.nodeId() + ":" + SLOW + ":LAGGING"), evictions.toString());
        }
        assertFalse(evictions.stream().anyMatch(e -> !e.endsWith(":" + SLOW + ":LAGGING")), evictions.toString());
        assertTrue(owner.errors().isEmpty(), owner.errors().toString());
        assertTrue(healthy.errors().isEmpty(), healthy.errors().toString());
    }

    /**
     * Liveness on its own path: a receiver so slow that the heartbeats in its stream arrive far past the heartbeat
     * timeout (each sync frame costs it 40 ms, the owner sends one a millisecond) still hears every member and is
     * heard, on their liveness copies: it accuses nobody of silence, keeps its lease and serves until the owner's
     * LAGGING request removes it at the bound; the owner and the healthy replica are never the ones removed.
     */
    @Test
    void shouldKeepASlowReceiverHeardAndHearingOnTheLivenessPathUntilRemovedAsLagging()
    {
        startThreeSyncedNodes();
        slow.receiveCostNs(ms(40));
        final long slowFromNs = network.nowNs();
        while (NodeState.EVICTED != slow.core().state())
        {
            changeAndTick();
            assertEquals(NodeState.RUNNING, owner.core().state(), "the owner is never the one removed");
            assertEquals(NodeState.RUNNING, healthy.core().state(), "nor the healthy replica");
            if (network.nowNs() - slowFromNs < LAGGING_AFTER_NS)
            {
                assertEquals(NodeState.RUNNING, slow.core().state(), "its lease holds on echoes of the liveness path");
                assertEquals(0, slow.core().membership().view().epoch() -
                    owner.core().membership().view().epoch(), "no view change before the bound");
            }
            assertTrue(network.nowNs() - slowFromNs <= LAGGING_AFTER_NS + ms(2000), slow.core().state().toString());
        }
        assertTrue(network.nowNs() - slowFromNs >= LAGGING_AFTER_NS);
        assertTrue(slow.core().failure().contains("LAGGING"), slow.core().failure());
        assertFalse(evictions.stream().anyMatch(e -> !e.endsWith(":" + SLOW + ":LAGGING")), evictions.toString());
    }

    /**
     * With one replica the owner cannot tell a slow replica from a slow stream: past the bound it only untethers it,
     * and never asks for a LAGGING removal. The replica itself knows, from the owner's liveness copies, what the
     * owner handed its socket: once its copy lags past the bound, it distrusts its copy, and the cut removes it, the
     * lone accuser, while the owner serves on ({@link #shouldLetTheSlowReplicaOfAClusterOfTwoGo}).
     */
    @Test
    void shouldUntetherButNeverAccuseInAClusterOfTwoWhereNoOtherReplicaShowsWhichSideIsSlow()
    {
        final long slowFromNs = startTwoNodesAndSlowTheReplica();
        while (window().isTethered(SLOW))
        {
            changeAndTick();
            // The bound counts from the first cycle it held the window closed: tens of ms after the slowdown began.
            assertTrue(network.nowNs() - slowFromNs <= LAGGING_AFTER_NS + ms(100), "untethered at the bound: behind " +
                window().behindNsOf(SLOW, network.nowNs()) / 1_000_000 + " ms");
        }
        assertTrue(network.nowNs() - slowFromNs >= LAGGING_AFTER_NS, "it set the pace until the bound");
        assertEquals(1, window().untetherings());
        for (int i = 0; i < 2 * LAGGING_AFTER_NS / ms(1); i++)
        {
            changeAndTick();
            assertEquals(NodeState.RUNNING, owner.core().state());
            final View view = owner.core().membership().view();
            for (int r = 0; r < view.removedCount(); r++)
            {
                assertTrue(ReasonCode.LAGGING != view.removedReason(r), "no LAGGING removal: " + view);
            }
        }
        assertFalse(evictions.stream().anyMatch(e -> e.endsWith(":LAGGING")), evictions.toString());
        assertTrue(null == slow.core().failure() || !slow.core().failure().contains("LAGGING"),
            slow.core().failure());
        assertEquals(0, owner.core().membership().laggingAccusations(), "nor asked for one");
    }

    @Test
    void shouldRemoveNobodyAfterASlowdownShorterThanTheBound()
    {
        startThreeSyncedNodes();
        final long epochBefore = owner.core().membership().view().epoch();
        slow.receiveCostNs(ms(2));
        long maxBehindNs = 0;
        for (int i = 0; i < 250; i++)
        {
            changeAndTick();
            maxBehindNs = Math.max(maxBehindNs, window().behindNsOf(SLOW, network.nowNs()));
        }
        slow.receiveCostNs(0);
        for (int i = 0; i < 3 * LAGGING_AFTER_NS / ms(1); i++)
        {
            changeAndTick();
            maxBehindNs = Math.max(maxBehindNs, window().behindNsOf(SLOW, network.nowNs()));
            for (final SimNode node : List.of(owner, healthy, slow))
            {
                assertEquals(NodeState.RUNNING, node.core().state(), node.toString());
            }
        }
        assertTrue(maxBehindNs > ms(100) && maxBehindNs < LAGGING_AFTER_NS,
            "behind for a while, less than the bound: " + maxBehindNs / 1_000_000 + " ms");
        assertTrue(window().isTethered(SLOW), "caught up: tethered again");
        assertEquals(epochBefore, owner.core().membership().view().epoch(), "no view change");
        assertTrue(evictions.isEmpty(), evictions.toString());
        network.runFor(ms(200));
        assertEquals(owner.state().ownerDigest(OWNER), slow.state().ownerDigest(OWNER), "every change reached it");
    }

    @Test
    void shouldLetTheSlowReplicaOfAClusterOfTwoGo()
    {
        final long slowFromNs = startTwoNodesAndSlowTheReplica();
        while (NodeState.EVICTED != slow.core().state())
        {
            changeAndTick();
            assertEquals(NodeState.RUNNING, owner.core().state(), "the owner serves on");
            // Its lag grows by half a millisecond a millisecond (a frame each, 2 ms to take one), once the owner
            // stops waiting for it (untethered): past the bound about four bounds after the slowdown, then the cut
            // and the commit wait of a lease.
            assertTrue(network.nowNs() - slowFromNs <= 5 * LAGGING_AFTER_NS,
                "gone once its copy lagged past the bound: " + slow.core().state());
        }
        assertTrue(network.nowNs() - slowFromNs >= 2 * LAGGING_AFTER_NS,
            "not before its lag passed the bound: " + (network.nowNs() - slowFromNs) / 1_000_000 + " ms");
        assertEquals(0, owner.core().membership().laggingAccusations(), "the owner asked for nothing");
        // Its pipe overflowed first (a gap, then syncs that never catch up): cut as a lone accuser of a fault.
        assertTrue(slow.core().failure().contains("FALSE_ACCUSATION"), "cut as the lone accuser: " +
            slow.core().failure());
        final View view = owner.core().membership().view();
        assertEquals(1, view.size(), view.toString());
        assertEquals(NodeState.RUNNING, owner.core().state());
    }

    /**
     * A replica of a cluster of two slower than its owner's stream, though not so much that its pipe overflows before
     * its lag passes the bound (a frame offered every 5 ms, 10 ms to take one: the backlog grows by a frame per 10 ms,
     * and a second of lag is about a hundred frames): its copy lags past the bound with no frame lost, it distrusts the
     * copy (LAGGING) and says so in its heartbeats, and the cut removes it, the lone accuser, as LAGGING.
     */
    @Test
    void shouldRemoveTheSlowReplicaOfAClusterOfTwoAsLaggingOnceItsCopyLagsPastTheBound()
    {
        final long slowFromNs = startTwoNodesAndSlowTheReplica(ms(10));
        while (NodeState.EVICTED != slow.core().state())
        {
            changeAndRun(ms(5));
            assertEquals(NodeState.RUNNING, owner.core().state(), "the owner serves on");
            assertTrue(network.nowNs() - slowFromNs <= 6 * LAGGING_AFTER_NS,
                "gone once its copy lagged past the bound: " + slow.core().state());
            assertEquals(0, slow.core().member(OWNER).desyncs, "no frame lost: the lag alone is the fault");
        }
        assertTrue(network.nowNs() - slowFromNs >= LAGGING_AFTER_NS,
            "not before its lag passed the bound: " + (network.nowNs() - slowFromNs) / 1_000_000 + " ms");
        assertEquals(0, owner.core().membership().laggingAccusations(), "the owner asked for nothing");
        assertTrue(slow.core().failure().contains("LAGGING"), "removed as LAGGING: " + slow.core().failure());
        assertTrue(evictions.contains(OWNER + ":" + SLOW + ":LAGGING"), evictions.toString());
        final View view = owner.core().membership().view();
        assertEquals(1, view.size(), view.toString());
        assertEquals(ReasonCode.LAGGING, view.removedReason(0), view.toString());
    }
}
