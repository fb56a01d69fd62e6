package io.cohort.engine;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's model of production's idle strategy ({@link SimNetwork#idleUntilDeadline}): an idle node sleeps
 * through ticks until its next deadline ({@link ClusterCore#nextDeadlineNs}) or input, and the cluster keeps its
 * leases, its view and its invariants meanwhile, over whole simulated runs with their faults.
 */
class IdleUntilDeadlineTest
{
    private final List<SimNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    @Test
    void shouldLetAnIdleClusterSleepUntilItsDeadlinesAndStayWhole()
    {
        final SimNetwork network = new SimNetwork(5, ms(1), 0, ms(5)).idleUntilDeadline(true);
        formClusterOfThree(network);
        final long[] before = cycles();
        final long epoch = nodes.get(0).core().membership().view().epoch();

        network.runFor(ms(2_000));

        for (int i = 0; i < nodes.size(); i++)
        {
            final SimNode node = nodes.get(i);
            final long cycles = node.cycles() - before[i];
            // Every tick would be 2,000; the bound of one poll (a tenth of the 50 ms heartbeat interval) allows 400,
            // and each heartbeat or message received wakes it once more.
            assertTrue(cycles < 1_200, node + " ran " + cycles + " cycles in 2,000 ticks");
            assertTrue(cycles >= 400, node + " ran " + cycles + " cycles: it must still wake within its bound");
            assertEquals(NodeState.RUNNING, node.core().state(), node::toString);
            assertEquals(epoch, node.core().membership().view().epoch(), "no view change: nobody was suspected");
        }
    }

    @Test
    void shouldCycleEveryTickByDefault()
    {
        final SimNetwork network = new SimNetwork(5, ms(1), 0, ms(5));
        formClusterOfThree(network);
        final long[] before = cycles();

        network.runFor(ms(1_000));

        for (int i = 0; i < nodes.size(); i++)
        {
            assertEquals(1_000, nodes.get(i).cycles() - before[i], nodes.get(i)::toString);
        }
    }

    @Test
    void shouldPassSimulatedRunsWithIdleNodesAsleep() throws Exception
    {
        final String before = System.setProperty(SimulationRun.IDLE_PROPERTY, "deadline");
        try
        {
            final SimBatch batch = SimBatch.run(2_788_001, 100, 2);
            assertTrue(batch.failures.isEmpty(), batch::describeFailures);
        }
        finally
        {
            restore(before);
        }
    }

    /**
     * Seeds that failed with idle nodes asleep: 3163314, eight nodes that collapsed after a heal (lost notifications
     * made four leave, and the rest lost their quorum) re-formed only once a joiner let into the dead view had waited
     * out its join timeout ({@link ServingFence}).
     */
    @ParameterizedTest
    @ValueSource(longs = { 3163314 })
    void shouldPassSeedsThatFailedWithIdleNodesAsleep(final long seed)
    {
        final String before = System.setProperty(SimulationRun.IDLE_PROPERTY, "deadline");
        try
        {
            final SimulationRun.Result result = SimBatch.runSeed(seed, 100, false);
            assertFalse(result.failed(), result::describe);
        }
        finally
        {
            restore(before);
        }
    }

    @Test
    void shouldRejectAnUnknownIdleModeByName()
    {
        final String before = System.setProperty(SimulationRun.IDLE_PROPERTY, "sometimes");
        try
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, SimulationRun::idleUntilDeadline);
            assertEquals("cohort.sim.idle=sometimes: expected tick or deadline", ex.getMessage());

            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit = Simulator.run(new String[]{ "1" }, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Simulator.BAD_ARGUMENTS, exit);
            assertEquals("cohort sim: " + ex.getMessage(), err.toString(StandardCharsets.UTF_8).trim());
        }
        finally
        {
            restore(before);
        }
    }

    private static void restore(final String before)
    {
        if (null == before)
        {
            System.clearProperty(SimulationRun.IDLE_PROPERTY);
        }
        else
        {
            System.setProperty(SimulationRun.IDLE_PROPERTY, before);
        }
    }

    private void formClusterOfThree(final SimNetwork network)
    {
        final SimNode first = node(network, 1);
        first.start(List.of());
        network.runFor(ms(50));
        for (long nodeId = 2; nodeId <= 3; nodeId++)
        {
            node(network, nodeId).start(List.of(first));
            assertTrue(network.runUntil(() -> nodes.stream().allMatch(SimNode::runningAndSynced), ms(5_000)));
        }
        network.runFor(ms(200));
    }

    private long[] cycles()
    {
        final long[] cycles = new long[nodes.size()];
        for (int i = 0; i < cycles.length; i++)
        {
            cycles[i] = nodes.get(i).cycles();
        }
        return cycles;
    }

    private SimNode node(final SimNetwork network, final long nodeId)
    {
        final SimNode node = SmallNodes.node(network, nodeId);
        nodes.add(node);
        return node;
    }
}
