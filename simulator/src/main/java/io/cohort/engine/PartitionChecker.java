package io.cohort.engine;

import java.util.IdentityHashMap;

import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;
import static io.cohort.engine.SimulationRun.HEARTBEAT_TIMEOUT_NS;
import static io.cohort.engine.SimulationRun.SUSPICION_TIMEOUT_NS;

/**
 * One side after a partition: from {@link #partitionBoundNs()} after a partition starts until it heals, the
 * RUNNING nodes all sit on one side; with {@code keep-majority} and a settled cluster, on the side that should
 * win. One check is one checkpoint, past the bound, at which some node was RUNNING and the sides were
 * compared.
 */
final class PartitionChecker implements SimChecker
{
    private static final class Partition
    {
        final boolean[] inside;
        final boolean bothWays;
        final long startNs;
        final int expectedSide;

        Partition(final boolean[] inside, final boolean bothWays, final long startNs, final int expectedSide)
        {
            this.inside = inside;
            this.bothWays = bothWays;
            this.startNs = startNs;
            this.expectedSide = expectedSide;
        }
    }

    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    private final IdentityHashMap<SimNode, Long> resumedAtNs = new IdentityHashMap<>();
    private Partition partition;
    private long lastCrashNs = Long.MIN_VALUE / 2;
    private long compared;

    PartitionChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
    }

    /**
     * Silence is seen after the heartbeat timeout, decided a suspicion window later; a few heartbeats of slack.
     */
    static long partitionBoundNs()
    {
        return HEARTBEAT_TIMEOUT_NS + SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS + SimChecks.CHECK_INTERVAL_NS;
    }

    public String name()
    {
        return "one-side-after-partition";
    }

    public long checks()
    {
        return compared;
    }

    /**
     * A partition starts.
     *
     * @param inside      per slot, whether it is on the partition's inner side.
     * @param fullyFormed whether the cluster had settled (every member knows every other, in sync).
     * @return a token naming this partition for {@link #isCurrent(Object)}.
     */
    Object onPartition(final boolean[] inside, final boolean bothWays, final boolean fullyFormed)
    {
        int expected = -1;
        if (SplitStrategy.KEEP_MAJORITY == run.mix.splitStrategy && fullyFormed)
        {
            int insideCount = 0;
            int outsideCount = 0;
            for (final SimNode node : network.nodes())
            {
                if (isInside(inside, node))
                {
                    insideCount++;
                }
                else
                {
                    outsideCount++;
                }
            }
            // A tie has no majority side (the strategy breaks it by age, but a node let in meanwhile may tip it
            // either way, safely): only "at most one side" is checked then.
            expected = insideCount > outsideCount ? 1 : insideCount < outsideCount ? 0 : -1;
        }
        partition = new Partition(inside, bothWays, network.nowNs(), expected);
        return partition;
    }

    boolean isCurrent(final Object token)
    {
        return partition == token;
    }

    void onHealed()
    {
        partition = null;
    }

    void onResumed(final SimNode node)
    {
        resumedAtNs.put(node, network.nowNs());
    }

    /**
     * A node crashed: during a partition, the side it was on changes when its silence is noticed, so the sides
     * get the partition's bound again from the crash (a side left with one node that hears no one decides then).
     */
    void onCrashed()
    {
        lastCrashNs = network.nowNs();
    }

    private static boolean isInside(final boolean[] inside, final SimNode node)
    {
        final int slot = SimulationRun.slotIndexOf(node.nodeId());
        return slot >= 0 && slot < inside.length && inside[slot];
    }

    public void checkpoint()
    {
        final Partition current = partition;
        final long now = network.nowNs();
        if (null == current || now - current.startNs < partitionBoundNs() ||
            now - lastCrashNs < partitionBoundNs())
        {
            return;
        }
        SimNode runningInside = null;
        SimNode runningOutside = null;
        for (final SimNode node : network.nodes())
        {
            final Long resumed = resumedAtNs.get(node);
            if (NodeState.RUNNING != node.core().state() || node.isPaused() ||
                null != resumed && now - resumed < partitionBoundNs())
            {
                continue;
            }
            if (isInside(current.inside, node))
            {
                runningInside = node;
            }
            else
            {
                runningOutside = node;
            }
        }
        if (null == runningInside && null == runningOutside)
        {
            return;
        }
        compared++;
        if (null != runningInside && null != runningOutside)
        {
            checks.fail("both sides of a partition are RUNNING " + (now - current.startNs) / 1_000_000 +
                " ms after it started (" + (current.bothWays ? "both ways" : "one way") + "): " + runningInside +
                " and " + runningOutside);
        }
        else if (current.expectedSide >= 0)
        {
            final SimNode wrong = 1 == current.expectedSide ? runningOutside : runningInside;
            if (null != wrong)
            {
                checks.fail(wrong + " is RUNNING on the side of a partition that loses under keep-majority, " +
                    (now - current.startNs) / 1_000_000 + " ms after it started");
            }
        }
    }
}
