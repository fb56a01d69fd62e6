package io.cohort.engine;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's widened draw (issue 15, item 7) and the checkers' own failure modes: the new shapes take a fair
 * share of seeds without displacing the older ones, clocks never drift past the bound the lease assumes, cuts express
 * non-transitive and stacked partitions, and the notification check fails when deliveries are dropped or when it
 * would exempt everything.
 */
class WideningTest
{
    private static final int SEEDS = 20_000;

    @Test
    void shouldGiveTheNewShapesAFairShareAndKeepMostSeedsInTheOldOnes()
    {
        final Map<SimFaultMix.Scenario, Integer> byScenario = new EnumMap<>(SimFaultMix.Scenario.class);
        int heavyLoss = 0;
        int slowReceiver = 0;
        int drifting = 0;
        int large = 0;
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final SimFaultMix mix = SimFaultMix.forSeed(seed);
            byScenario.merge(mix.scenario, 1, Integer::sum);
            heavyLoss += SimFaultMix.Faulty.HEAVY_LOSS == mix.faulty ? 1 : 0;
            slowReceiver += SimFaultMix.Faulty.SLOW_RECEIVER == mix.faulty ? 1 : 0;
            assertEquals(SimFaultMix.Faulty.SLOW_RECEIVER == mix.faulty, mix.receiveCostNs > 0, mix::toString);
            drifting += mix.clockDrift > 0 ? 1 : 0;
            large += mix.nodes > 7 ? 1 : 0;
            assertTrue(mix.clockDrift <= Membership.CLOCK_DRIFT, mix::toString);
            assertTrue(mix.nodes >= 3 && mix.nodes <= SimulationRun.MAX_SLOTS, mix::toString);
            if (SimFaultMix.Scenario.FLAPPING == mix.scenario)
            {
                // A minority flaps: the others can still hold a quorum and must.
                assertTrue(mix.flappers >= 1 && 2 * mix.flappers < mix.nodes, mix::toString);
            }
        }
        for (final SimFaultMix.Scenario wide : new SimFaultMix.Scenario[]{ SimFaultMix.Scenario.NON_TRANSITIVE,
            SimFaultMix.Scenario.TWO_PARTITIONS, SimFaultMix.Scenario.FLAPPING })
        {
            assertTrue(byScenario.getOrDefault(wide, 0) > SEEDS / 20, byScenario::toString);
        }
        assertTrue(heavyLoss > SEEDS / 20, "heavy loss " + heavyLoss);
        assertTrue(slowReceiver > SEEDS / 40, "slow receiver " + slowReceiver);
        assertTrue(drifting > SEEDS / 3, "drifting " + drifting);
        assertTrue(large > SEEDS / 20, "8 or 9 nodes " + large);
        final int old = byScenario.get(SimFaultMix.Scenario.CHAOS) + byScenario.get(SimFaultMix.Scenario.PARTITION) +
            byScenario.get(SimFaultMix.Scenario.SINGLE_FAULTY) - heavyLoss - slowReceiver;
        // The widened shapes take about a third, slow receivers about one seed in twenty of the rest.
        assertTrue(old > SEEDS * 11 / 20, "older shapes " + old + " of " + SEEDS);
    }

    @Test
    void shouldKeepTheOlderMixOfASeedThatStaysInTheOlderShapes()
    {
        int same = 0;
        for (long seed = 1; seed <= 2_000; seed++)
        {
            final SimFaultMix widened = SimFaultMix.forSeed(seed);
            final SimFaultMix before = SimFaultMix.forSeed(seed, false);
            assertEquals(0, before.clockDrift);
            assertTrue(before.nodes <= 7, before::toString);
            if (widened.flappers == 0 && SimFaultMix.Scenario.NON_TRANSITIVE != widened.scenario &&
                SimFaultMix.Scenario.TWO_PARTITIONS != widened.scenario &&
                SimFaultMix.Faulty.HEAVY_LOSS != widened.faulty &&
                SimFaultMix.Faulty.SLOW_RECEIVER != widened.faulty)
            {
                assertEquals(before.toString(), widened.toString().replaceAll(" clockDrift=[0-9.]+", ""));
                same++;
            }
        }
        assertTrue(same > 1_000, "seeds keeping their mix: " + same);
    }

    @Test
    void shouldKeepTheMixOfEverySeedThatLoadDoesNotDraw()
    {
        int loaded = 0;
        for (long seed = 1; seed <= 5_000; seed++)
        {
            final SimFaultMix mix = SimFaultMix.forSeed(seed);
            if (SimFaultMix.Faulty.SLOW_RECEIVER == mix.faulty)
            {
                loaded++;
                assertTrue(mix.receiveCostNs >= 1_000_000 && mix.faultPhaseNs >= 1_000_000_000L, mix::toString);
            }
            else
            {
                assertEquals(SimFaultMix.forSeed(seed, true, false).toString(), mix.toString());
            }
        }
        assertTrue(loaded > 100, "slow receivers: " + loaded);
    }

    @Test
    void shouldRefuseAClockDriftPastTheLeaseBound()
    {
        final SimFaultMix mix = SimFaultMix.forSeed(1);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new SimFaultMix(
            mix.scenario, mix.faulty, mix.nodes, mix.bootstrap, mix.faultPhaseNs, mix.splitStrategy, mix.minimumNodes,
            mix.syncRepair, mix.newIdOnRestart, mix.latencyNs, mix.jitterNs, mix.subscribeDelayNs, mix.loss,
            mix.duplicate, mix.corrupt, mix.reorder, mix.bursts, mix.burstNs, mix.partitions, mix.oneWayPartitions,
            mix.pauses, mix.maxPauseNs, mix.crashes, mix.joins, Membership.CLOCK_DRIFT * 1.01, 0, 0, 0));
        assertTrue(refused.getMessage().contains("clockDrift"), refused.getMessage());
    }

    @Test
    void shouldCutNonTransitivelyOneWayAndTwiceAtOnce()
    {
        final SimNetwork network = new SimNetwork(1, ms(1), 0, ms(1));
        final SimNetwork.Cut nonTransitive = new SimNetwork.Cut(Set.of(1L, 2L)::contains, Set.of(4L, 5L)::contains,
            true);
        network.addCut(nonTransitive);
        assertFalse(network.connected(1, 4));
        assertFalse(network.connected(5, 2));
        assertTrue(network.connected(1, 3) && network.connected(3, 1), "the bridge hears and is heard");
        assertTrue(network.connected(3, 4) && network.connected(4, 3), "the bridge hears and is heard");
        assertTrue(network.connected(1, 2) && network.connected(4, 5));

        network.removeCut(nonTransitive);
        final SimNetwork.Cut deaf = new SimNetwork.Cut(id -> id != 2, id -> id == 2, false);
        network.addCut(deaf);
        assertFalse(network.connected(1, 2), "a node that drops all incoming traffic hears nobody");
        assertTrue(network.connected(2, 1), "but is heard");

        network.removeCut(deaf);
        network.addCut(new SimNetwork.Cut(Set.of(1L)::contains, null, true));
        network.addCut(new SimNetwork.Cut(Set.of(2L)::contains, null, true));
        assertFalse(network.connected(1, 2) || network.connected(2, 3) || network.connected(3, 1));
        assertTrue(network.connected(3, 4));
        assertEquals(2, network.cutCount());

        network.partition((java.util.function.LongPredicate)null, true);
        assertFalse(network.isPartitioned());
        assertTrue(network.connected(1, 2));
    }

    @Test
    void shouldRunANodesClockAtItsOwnRate()
    {
        final SimNetwork network = new SimNetwork(1, ms(1), 0, ms(1));
        final CohortContext context = new CohortContext();
        context.stateContext().maxRooms(16).maxConnections(16).maxNodes(4).maxOverflowSubscriptions(16);
        final SimNode node = new SimNode(network, 1, context, new CohortListener()
        {
        }, null, null, "n1", "host1", 1.005, ms(7));
        try
        {
            final long start = node.localNowNs();
            assertEquals(network.nowNs() + ms(7), start);
            network.runFor(ms(1000));
            assertEquals(ms(1005), node.localNowNs() - start, ms(1) / 1000);
        }
        finally
        {
            CloseHelper.quietClose(node);
        }
    }

    private static long seedWithManyDeliveries()
    {
        for (long seed = 1; ; seed++)
        {
            final SimFaultMix mix = SimFaultMix.forSeed(seed);
            if (SimFaultMix.Scenario.SINGLE_FAULTY == mix.scenario && SimFaultMix.Faulty.PAUSE == mix.faulty &&
                mix.nodes >= 4 && mix.faultPhaseNs >= ms(600))
            {
                return seed;
            }
        }
    }

    @Test
    void shouldFailWhenDeliveriesAreDroppedWhereNoNodeCanNotice()
    {
        final SimulationRun.Result failed = failsOnlyWhenChanged(seedWithManyDeliveries(),
            (passed) -> assertTrue(passed.stats.expectedDeliveries >= NotificationChecker.MIN_PROMISED,
                passed::describe),
            (run) -> run.checks.dropNotificationArrivalsEvery = 7);
        assertTrue(failed.failure.contains(" 0 times"), failed::describe);
    }

    @Test
    void shouldDropFramesPastAFullSubscriptionAndKeepEveryInvariant()
    {
        // The slowest slow receivers fill a subscription: frames past it are dropped for that node alone, it sees
        // the gap, and the run keeps every invariant (the slow node may go, nobody else).
        try (SimLogging ignore = SimLogging.quiet();
            SimStatePool pool = new SimStatePool(SimulationRun::stateContext))
        {
            int overflowed = 0;
            for (long seed = 1; seed <= 4_000 && overflowed < 3; seed++)
            {
                final SimFaultMix mix = SimFaultMix.forSeed(seed);
                if (SimFaultMix.Faulty.SLOW_RECEIVER != mix.faulty || mix.receiveCostNs < ms(30))
                {
                    continue;
                }
                final SimulationRun.Result result = new SimulationRun(seed, mix, pool, SimTrace.OFF).run();
                assertFalse(result.failed(), result::describe);
                if (result.stats.pipeOverflows > 0)
                {
                    overflowed++;
                }
            }
            assertEquals(3, overflowed, "slow receivers whose subscription filled up");
        }
    }

    @Test
    void shouldFailWhenACopyLagsWhileNothingIsWrong()
    {
        final SimulationRun.Result failed = failsOnlyWhenChanged(seedWithManyDeliveries(), (passed) -> {},
            (run) -> run.calmReceiveCostNsForTest = ms(30));
        assertTrue(failed.failure.contains("synced copy of"), failed::describe);
    }

    /**
     * Runs a seed as it is, which must pass (and meet {@code onPassed}), then again with a change a checker must
     * catch.
     *
     * @return the changed run's result, failed.
     */
    private static SimulationRun.Result failsOnlyWhenChanged(
        final long seed, final Consumer<SimulationRun.Result> onPassed, final Consumer<SimulationRun> change)
    {
        try (SimLogging ignore = SimLogging.quiet();
            SimStatePool pool = new SimStatePool(SimulationRun::stateContext))
        {
            final SimulationRun.Result passed =
                new SimulationRun(seed, SimFaultMix.forSeed(seed), pool, SimTrace.OFF).run();
            assertFalse(passed.failed(), passed::describe);
            onPassed.accept(passed);

            final SimulationRun changed = new SimulationRun(seed, SimFaultMix.forSeed(seed), pool, SimTrace.OFF);
            change.accept(changed);
            final SimulationRun.Result failed = changed.run();
            assertTrue(failed.failed(), failed::describe);
            return failed;
        }
    }

    @Test
    void shouldFailWhenTheCheckWouldExemptEveryDelivery()
    {
        final long seed = seedWithManyDeliveries();
        try (SimLogging ignore = SimLogging.quiet();
            SimStatePool pool = new SimStatePool(SimulationRun::stateContext))
        {
            final SimulationRun run = new SimulationRun(seed, SimFaultMix.forSeed(seed), pool, SimTrace.OFF);
            run.checks.notificationChecker().exemptEverythingForTest = true;
            final SimulationRun.Result failed = run.run();
            assertTrue(failed.failed(), failed::describe);
            assertTrue(failed.failure.contains("deliveries promised between nodes that both ended the run"),
                failed::describe);
            assertEquals(0, failed.stats.expectedDeliveries, failed::describe);
        }
    }
}
