package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault rules of {@link FaultDetector}, on a simulated network and clock: who is evicted for a lost,
 * garbled or silent stream, partitions under each strategy, pauses, and quorum.
 */
class FaultRulesTest
{
    private final SimNetwork network = new SimNetwork(7, ms(1), ms(1), ms(20));
    private final List<SimNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId, final CohortContext context)
    {
        context.heartbeatIntervalNs(ms(100)).heartbeatTimeoutNs(ms(1000)).suspicionTimeoutNs(ms(300))
            .commandTimeoutNs(ms(400)).joinTimeoutNs(ms(5000));
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(8).maxOverflowSubscriptions(1024);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        return node;
    }

    private List<SimNode> cluster(final int size, final CohortContext... contexts)
    {
        final List<SimNode> cluster = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            final SimNode node = node(i + 1, contexts.length > i ? contexts[i] : new CohortContext());
            cluster.add(node);
            node.start(i == 0 ? List.of() : List.of(cluster.get(0)));
            // Start one at a time so that incarnations, hence ages, follow node ids.
            network.runFor(ms(30));
        }
        assertTrue(network.runUntil(() -> fullMembership(cluster), ms(5000)), "cluster formed");
        return cluster;
    }

    private static boolean fullMembership(final List<SimNode> cluster)
    {
        for (final SimNode node : cluster)
        {
            if (!node.core().state().isMember() || node.core().memberIds().length != cluster.size() - 1)
            {
                return false;
            }
            for (final long id : node.core().memberIds())
            {
                if (!node.core().member(id).isSynced())
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean knows(final SimNode node, final long memberId)
    {
        for (final long id : node.core().memberIds())
        {
            if (id == memberId)
            {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldEvictTheLoneAccuserNotTheHealthyNodeItAccuses()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n1 = cluster.get(0);
        final SimNode n2 = cluster.get(1);
        final SimNode n3 = cluster.get(2);
        // Once every member has had a heartbeat timeout to sync every other: a fault found before then accuses nobody
        // (another member may not have received that frame at all).
        network.runFor(ms(1200));
        final boolean[] dropped = { false };
        // n2's receive path from n1 loses one frame; n3 receives everything.
        network.syncFault((from, to, message) ->
        {
            if (from == 1 && to == 2 && !dropped[0])
            {
                dropped[0] = true;
                return 0;
            }
            return 1;
        });
        assertTrue(network.runUntil(() -> NodeState.EVICTED == n2.core().state(), ms(3000)), "n2 evicts itself");
        assertTrue(network.runUntil(() -> !knows(n1, 2) && !knows(n3, 2), ms(3000)), "survivors drop n2");
        assertEquals(NodeState.RUNNING, n1.core().state());
        assertEquals(NodeState.RUNNING, n3.core().state());
        assertTrue(knows(n1, 3) && knows(n3, 1), "the healthy nodes keep each other");
    }

    @Test
    void shouldEvictASenderEveryoneSeesGarbled()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n1 = cluster.get(0);
        final SimNode n2 = cluster.get(1);
        final SimNode n3 = cluster.get(2);
        network.syncFault((from, to, message) ->
        {
            if (from == 1)
            {
                message[FrameLayout.HEADER_LENGTH + 2] ^= 0x10;
            }
            return 1;
        });
        assertTrue(network.runUntil(() -> !knows(n2, 1) && !knows(n3, 1), ms(3000)), "n1 evicted by the majority");
        assertTrue(network.runUntil(() -> NodeState.EVICTED == n1.core().state(), ms(3000)), "n1 learns it");
        assertEquals(NodeState.RUNNING, n2.core().state());
        assertEquals(NodeState.RUNNING, n3.core().state());
    }

    @Test
    void shouldEvictACrashedNodeEverywhereWithinTheTimeoutAndWindow()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n1 = cluster.get(0);
        final SimNode n2 = cluster.get(1);
        final long crashedAt = network.nowNs();
        cluster.get(2).crash();
        assertTrue(network.runUntil(() -> !knows(n1, 3) && !knows(n2, 3), ms(3000)));
        final long detectionMs = (network.nowNs() - crashedAt) / 1_000_000;
        assertTrue(detectionMs <= 1500, "crash evicted in " + detectionMs + " ms");
        assertEquals(NodeState.RUNNING, n1.core().state());
        assertEquals(NodeState.RUNNING, n2.core().state());
    }

    @Test
    void shouldNotEvictTheFirstSurvivorToNoticeACrashWhileTheOthersStillReadItsLastFrames()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n1 = cluster.get(0);
        final SimNode n2 = cluster.get(1);
        // n1 stops hearing n3 700 ms before n3 crashes (as when n2 still reads a backlog of n3's frames): n1's
        // silence timer fires alone, and n2's only 700 ms later, past the 300 ms suspicion window.
        network.syncFault((from, to, message) -> from == 3 && to == 1 ? 0 : 1);
        network.runFor(ms(700));
        cluster.get(2).crash();
        assertTrue(network.runUntil(() -> !knows(n1, 3) && !knows(n2, 3), ms(4000)), "both survivors evict n3");
        assertEquals(NodeState.RUNNING, n1.core().state(), "the first to notice is not the broken one");
        assertEquals(NodeState.RUNNING, n2.core().state());
        assertTrue(knows(n1, 2) && knows(n2, 1), "the survivors keep each other");
    }

    @Test
    void shouldNotEvictANodeForAPauseShorterThanTheTimeout()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n3 = cluster.get(2);
        n3.pause();
        network.runFor(ms(500));
        n3.resume();
        network.runFor(ms(2000));
        for (final SimNode node : cluster)
        {
            assertEquals(NodeState.RUNNING, node.core().state(), "node " + node.nodeId());
            assertEquals(2, node.core().memberIds().length, "node " + node.nodeId());
        }
    }

    @Test
    void shouldNotLetAPausedNodeActOnTimersThatRanWhileItSlept()
    {
        final List<SimNode> cluster = cluster(3);
        final SimNode n3 = cluster.get(2);
        n3.pause();
        network.runFor(ms(1500));
        n3.resume();
        network.runFor(ms(100));
        assertEquals(2, cluster.get(0).core().memberIds().length + (knows(cluster.get(0), 3) ? 0 : 1),
            "others may have evicted the silent node, never the other way round");
        assertTrue(knows(n3, 1) || NodeState.EVICTED == n3.core().state(),
            "the paused node does not evict the members it could not hear while paused");
    }

    @Test
    void shouldKeepTheMajorityOfATwoThreeSplit()
    {
        final List<SimNode> cluster = cluster(5);
        network.partition(Set.of(1L, 2L));
        assertTrue(network.runUntil(() -> NodeState.EVICTED == cluster.get(0).core().state() &&
            NodeState.EVICTED == cluster.get(1).core().state(), ms(5000)), "the minority evicts itself");
        assertTrue(network.runUntil(() -> cluster.get(2).core().memberIds().length == 2 &&
            cluster.get(3).core().memberIds().length == 2 && cluster.get(4).core().memberIds().length == 2,
            ms(5000)), "the majority evicts the minority");
        for (int i = 2; i < 5; i++)
        {
            assertEquals(NodeState.RUNNING, cluster.get(i).core().state());
        }
    }

    @Test
    void shouldKeepTheSideWithTheOldestMemberOfATwoTwoSplit()
    {
        final List<SimNode> cluster = cluster(4);
        network.partition(Set.of(3L, 4L));
        assertTrue(network.runUntil(() -> NodeState.EVICTED == cluster.get(2).core().state() &&
            NodeState.EVICTED == cluster.get(3).core().state(), ms(5000)), "the side without the oldest leaves");
        assertTrue(network.runUntil(() -> cluster.get(0).core().memberIds().length == 1 &&
            cluster.get(1).core().memberIds().length == 1, ms(5000)));
        assertEquals(NodeState.RUNNING, cluster.get(0).core().state());
        assertEquals(NodeState.RUNNING, cluster.get(1).core().state());
    }

    @Test
    void shouldKeepOnlyASideWithTheStaticQuorum()
    {
        final CohortContext[] contexts = new CohortContext[4];
        for (int i = 0; i < contexts.length; i++)
        {
            contexts[i] = new CohortContext().splitStrategy(SplitStrategy.STATIC_QUORUM).minimumNodes(3);
        }
        final List<SimNode> cluster = cluster(4, contexts);
        network.partition(Set.of(1L, 2L));
        assertTrue(network.runUntil(() -> cluster.stream().allMatch(n -> NodeState.EVICTED == n.core().state()),
            ms(5000)), "no side of a 2|2 split reaches a quorum of 3");
    }

    @Test
    void shouldReportNotEnoughNodesBelowTheMinimumAndRecover()
    {
        final CohortContext[] contexts = new CohortContext[4];
        for (int i = 0; i < contexts.length; i++)
        {
            contexts[i] = new CohortContext().minimumNodes(3);
        }
        final List<SimNode> cluster = cluster(3, contexts);
        final SimNode n1 = cluster.get(0);
        final SimNode n2 = cluster.get(1);
        assertEquals(NodeState.RUNNING, n1.core().state());

        cluster.get(2).core().leave();
        network.runFor(ms(20));
        cluster.get(2).crash();
        assertTrue(network.runUntil(() -> NodeState.NOT_ENOUGH_NODES == n1.core().state() &&
            NodeState.NOT_ENOUGH_NODES == n2.core().state(), ms(2000)));

        final SimNode n4 = node(4, contexts[3]);
        n4.start(List.of(n1));
        assertTrue(network.runUntil(() -> NodeState.RUNNING == n1.core().state() &&
            NodeState.RUNNING == n2.core().state() && NodeState.RUNNING == n4.core().state(), ms(5000)));
    }

    @Test
    void shouldRepairInsteadOfAccusingWhenRepairIsOn()
    {
        final List<SimNode> cluster = cluster(3, new CohortContext().syncRepair(true),
            new CohortContext().syncRepair(true), new CohortContext().syncRepair(true));
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
        network.runFor(ms(3000));
        assertTrue(dropped[0]);
        for (final SimNode node : cluster)
        {
            assertEquals(NodeState.RUNNING, node.core().state(), "node " + node.nodeId());
            assertEquals(2, node.core().memberIds().length);
        }
        assertTrue(cluster.get(1).core().member(1).desyncs > 0, "the gap was seen and repaired");
        assertFalse(cluster.get(1).core().member(1).isSynced() && cluster.get(1).core().member(1).desyncs == 0);
    }
}
