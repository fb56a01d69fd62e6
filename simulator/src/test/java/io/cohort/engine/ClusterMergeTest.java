package io.cohort.engine;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heal of two instances of one cluster that formed apart ({@link SeedProber}): once the cut between them heals,
 * the instance that loses (fewer members; as many, without the oldest member) dissolves by an agreed view, the
 * winner serves on untouched, and the loser's nodes, restarted as a supervisor would, join the winner.
 */
class ClusterMergeTest
{
    private final SimNetwork network = new SimNetwork(11, ms(1), ms(1), ms(20));
    private final List<SimNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode start(final long nodeId, final SimNode... seeds)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(100)).heartbeatTimeoutNs(ms(1000)).suspicionTimeoutNs(ms(300))
            .commandTimeoutNs(ms(400)).joinTimeoutNs(ms(10_000)).seedsProbeIntervalNs(ms(500));
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(8).maxOverflowSubscriptions(1024);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        node.start(List.of(seeds));
        // One at a time, so that incarnations, hence ages, follow the order of the calls.
        network.runFor(ms(30));
        return node;
    }

    /**
     * Starts a node whose seeds are the hosts of the ids given (some may not run yet), as a shared seed list is.
     */
    private SimNode startWithSeedHosts(final long nodeId, final long... seedIds)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(100)).heartbeatTimeoutNs(ms(1000)).suspicionTimeoutNs(ms(300))
            .commandTimeoutNs(ms(400)).joinTimeoutNs(ms(10_000)).seedsProbeIntervalNs(ms(500));
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(8).maxOverflowSubscriptions(1024);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        final List<String> endpoints = new ArrayList<>();
        for (final long seedId : seedIds)
        {
            if (seedId != nodeId)
            {
                endpoints.add("sim://" + Long.toHexString(seedId) + "/command");
            }
        }
        node.startWithEndpoints(endpoints);
        network.runFor(ms(30));
        return node;
    }

    private static boolean formed(final List<SimNode> cluster)
    {
        for (final SimNode node : cluster)
        {
            if (NodeState.RUNNING != node.core().state() || node.core().memberIds().length != cluster.size() - 1)
            {
                return false;
            }
        }
        return true;
    }

    private static long lineage(final SimNode node)
    {
        return node.core().membership().view().lineage();
    }

    private void heal()
    {
        network.partition((LongPredicate)null, true);
    }

    /**
     * Restarts an evicted node as a supervisor would: a new incarnation under the same id, given these seeds.
     */
    private SimNode restart(final SimNode evicted, final SimNode... seeds)
    {
        evicted.crash();
        return start(evicted.nodeId(), seeds);
    }

    @Test
    void shouldDissolveTheSmallerInstanceThatFindsTheLargerThroughItsSeedsAndJoinIt()
    {
        network.partition(Set.of(4L, 5L), true);
        final SimNode n1 = start(1);
        final SimNode n2 = start(2, n1);
        final SimNode n3 = start(3, n1);
        final SimNode n4 = start(4);
        final SimNode n5 = start(5, n4, n1); // n1 unreachable: n4, a member, lets it in
        assertTrue(network.runUntil(() -> formed(List.of(n1, n2, n3)) && formed(List.of(n4, n5)), ms(5000)),
            "two instances formed apart");
        assertNotEquals(lineage(n1), lineage(n4));
        final long winnerEpoch = n1.core().membership().view().epoch();

        heal();
        assertTrue(network.runUntil(() -> NodeState.EVICTED == n4.core().state() &&
            NodeState.EVICTED == n5.core().state(), ms(5000)), "the smaller instance dissolves, both its members");
        assertTrue(n5.core().failure().contains("dissolves"), n5.core().failure());
        assertTrue(formed(List.of(n1, n2, n3)), "the larger instance serves on");
        assertEquals(winnerEpoch, n1.core().membership().view().epoch(), "and its view did not change");

        final SimNode n4b = restart(n4, n1);
        final SimNode n5b = restart(n5, n4b, n1);
        assertTrue(network.runUntil(() -> formed(List.of(n1, n2, n3, n4b, n5b)), ms(10_000)),
            "the dissolved nodes joined the winner");
        assertEquals(lineage(n1), lineage(n5b));
    }

    @Test
    void shouldLeaveALoserThatCannotReachTheWinnerThroughItsSeedsServing()
    {
        network.partition(Set.of(4L, 5L), true);
        final SimNode n1 = start(1);
        final SimNode n2 = start(2, n1);
        final SimNode n4 = start(4); // founds its own instance, beyond the cut
        final SimNode n3 = start(3, n1, n4); // n4 unreachable: n1 lets it in; n3 probes n4 from now on
        final SimNode n5 = start(5, n4); // the smaller instance's seeds name only itself
        assertTrue(network.runUntil(() -> formed(List.of(n1, n2, n3)) && formed(List.of(n4, n5)), ms(5000)),
            "two instances formed apart");

        heal();
        // Its nodes, started again, could only found it again: the winner leaves it be.
        network.runFor(ms(5000));
        assertTrue(formed(List.of(n1, n2, n3)), "the larger instance serves on");
        assertTrue(formed(List.of(n4, n5)), "the smaller instance serves on");
    }

    /**
     * Seed 411531 of the soak: a view shrunk, one agreed removal at a time, to fewer than a majority of the seed hosts
     * served on, while the nodes removed, started again beyond a cut, were a majority of the seed hosts and founded a
     * second instance that served too. A view now serves only while it holds a majority of the seed hosts; the
     * shrunk one waits (NOT_ENOUGH_NODES) and, once the cut heals, gives way to the RUNNING instance, however large.
     */
    @Test
    void shouldNotServeAViewShrunkBelowAMajorityOfTheSeedHostsAndDissolveItIntoTheInstanceTheOthersFounded()
    {
        final long[] seedHosts = { 1, 2, 3, 4, 5 };
        final List<SimNode> first = new ArrayList<>();
        for (final long id : seedHosts)
        {
            first.add(startWithSeedHosts(id, seedHosts));
        }
        assertTrue(network.runUntil(() -> formed(first), ms(10_000)), "five formed");
        for (int i = 4; i >= 2; i--)
        {
            first.get(i).crash();
            final int size = i;
            assertTrue(network.runUntil(() -> first.get(0).core().memberIds().length == size - 1, ms(10_000)),
                "a view without the crashed node");
        }
        final SimNode n1 = first.get(0);
        final SimNode n2 = first.get(1);
        network.runFor(ms(500));
        assertEquals(2, n1.core().membership().view().size(), n1.core().membership().view()::toString);
        assertEquals(NodeState.NOT_ENOUGH_NODES, n1.core().state(), "two of five seed hosts do not serve");
        assertEquals(NodeState.NOT_ENOUGH_NODES, n2.core().state());

        network.partition(Set.of(1L, 2L), true);
        final List<SimNode> founders = new ArrayList<>();
        for (final long id : new long[]{ 3, 4, 5 })
        {
            final SimNode crashed = first.get((int)id - 1);
            crashed.crash();
            founders.add(startWithSeedHosts(id, seedHosts));
        }
        assertTrue(network.runUntil(() -> formed(founders), ms(10_000)), "three of five seed hosts found and serve");
        assertNotEquals(lineage(n1), lineage(founders.get(0)));
        assertNotEquals(NodeState.RUNNING, n1.core().state(), "never two serving instances");
        assertNotEquals(NodeState.RUNNING, n2.core().state());

        heal();
        assertTrue(network.runUntil(() -> NodeState.EVICTED == n1.core().state() &&
            NodeState.EVICTED == n2.core().state(), ms(5000)), "the instance that does not serve dissolves");
        assertTrue(n1.core().failure().contains("dissolves"), n1.core().failure());
        assertTrue(formed(founders), "the founded instance serves on");
        final List<SimNode> all = new ArrayList<>(founders);
        n1.crash();
        n2.crash();
        all.add(startWithSeedHosts(1, seedHosts));
        all.add(startWithSeedHosts(2, seedHosts));
        assertTrue(network.runUntil(() -> formed(all), ms(10_000)), "one cluster of five");
    }

    @Test
    void shouldDissolveTheInstanceWithoutTheOldestMemberWhenBothAreTheSameSize()
    {
        network.partition(Set.of(1L, 2L), true);
        final SimNode n3 = start(3); // the oldest node of all: its instance wins, whatever the node ids
        final SimNode n4 = start(4, n3);
        final SimNode n1 = start(1);
        final SimNode n2 = start(2, n1, n3);
        assertTrue(network.runUntil(() -> formed(List.of(n1, n2)) && formed(List.of(n3, n4)), ms(5000)),
            "two instances of two formed apart");

        heal();
        assertTrue(network.runUntil(() -> NodeState.EVICTED == n1.core().state() &&
            NodeState.EVICTED == n2.core().state(), ms(5000)), "the younger instance dissolves");
        assertTrue(formed(List.of(n3, n4)), "the one with the oldest member serves on");
    }
}
