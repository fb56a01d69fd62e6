package io.cohort.engine;

import java.util.Random;

import static io.cohort.engine.SimNode.ms;

/**
 * What a simulated run does to the cluster: its size, timing, split strategy and the faults it injects. A mix is a
 * pure function of the seed ({@link #forSeed}), so a seed alone names a run; tests may also build one by hand.
 */
final class SimFaultMix
{
    /**
     * The shape of a run, which decides the extra invariants it checks.
     */
    enum Scenario
    {
        /** Any faults anywhere. */
        CHAOS,
        /** Faults confined to one node (broken receive path, broken sender, pause, crash): nobody else may go. */
        SINGLE_FAULTY,
        /** One partition, symmetric or one-way, with the workload running. */
        PARTITION,
        /**
         * A non-transitive cut: two groups do not hear each other (both ways or one way) while the bridge nodes
         * hear everyone. The survivors must be a group in which all hear all.
         */
        NON_TRANSITIVE,
        /** Two partitions at once: two groups each cut off from everyone else, the second starting while the first
         * holds; three groups, at most one serving. */
        TWO_PARTITIONS,
        /**
         * A flapping link, the Rapid paper's test scaled to the simulator's timeouts: a few nodes (a minority) drop
         * all incoming traffic, on and off repeatedly through the fault phase. Those nodes are the faulty ones:
         * no other node may be evicted for it.
         */
        FLAPPING
    }

    /**
     * What is wrong with the one faulty node of a {@link Scenario#SINGLE_FAULTY} run.
     */
    enum Faulty
    {
        NONE,
        /** Frames arriving at it are lost, duplicated, reordered or corrupted. */
        RECEIVER,
        /** Frames it sends are lost, duplicated or corrupted before they leave it: every subscriber sees the same. */
        SENDER,
        /** It stops as in a GC pause, shorter or longer than the heartbeat timeout. */
        PAUSE,
        /** It crashes, and is restarted. */
        CRASH,
        /** It loses {@link #HEAVY_LOSS} of its packets, in and out, sync frames and commands, for the fault phase. */
        HEAVY_LOSS,
        /**
         * Its node thread takes each sync frame slowly for the fault phase (a CPU busy elsewhere,
         * {@link SimNode#receiveCostNs}): it falls behind every owner, and the heartbeats in their streams reach it
         * late; its commands, liveness copies included, are not slowed. Only it may go.
         */
        SLOW_RECEIVER
    }

    /** The share of its packets that a {@link Faulty#HEAVY_LOSS} node loses. */
    static final double HEAVY_LOSS = 0.8;

    /** The largest cluster a run uses. */
    static final int MAX_NODES = SimulationRun.MAX_SLOTS;

    final Scenario scenario;
    final Faulty faulty;
    final int nodes;
    final boolean bootstrap;
    final long faultPhaseNs;
    final SplitStrategy splitStrategy;
    final int minimumNodes;
    final boolean syncRepair;
    final boolean newIdOnRestart;
    final long latencyNs;
    final long jitterNs;
    final long subscribeDelayNs;
    final double loss;
    final double duplicate;
    final double corrupt;
    final double reorder;
    final int bursts;
    final long burstNs;
    final int partitions;
    final boolean oneWayPartitions;
    final int pauses;
    final long maxPauseNs;
    final int crashes;
    final int joins;
    /** Each node's clock runs at a rate drawn in {@code [1 - clockDrift, 1 + clockDrift]}; 0 for one clock. Never above
     * {@link Membership#CLOCK_DRIFT}, the bound the lease relies on. */
    final double clockDrift;
    /** In a {@link Scenario#FLAPPING} run: how many nodes flap, and how long each on and each off lasts. */
    final int flappers;
    final long flapNs;
    /** In a {@link Faulty#SLOW_RECEIVER} run: what each sync frame costs the slow node; else 0. */
    final long receiveCostNs;

    SimFaultMix(
        final Scenario scenario,
        final Faulty faulty,
        final int nodes,
        final boolean bootstrap,
        final long faultPhaseNs,
        final SplitStrategy splitStrategy,
        final int minimumNodes,
        final boolean syncRepair,
        final boolean newIdOnRestart,
        final long latencyNs,
        final long jitterNs,
        final long subscribeDelayNs,
        final double loss,
        final double duplicate,
        final double corrupt,
        final double reorder,
        final int bursts,
        final long burstNs,
        final int partitions,
        final boolean oneWayPartitions,
        final int pauses,
        final long maxPauseNs,
        final int crashes,
        final int joins,
        final double clockDrift,
        final int flappers,
        final long flapNs,
        final long receiveCostNs)
    {
        if (clockDrift < 0 || clockDrift > Membership.CLOCK_DRIFT)
        {
            throw new IllegalArgumentException("clockDrift must be 0 to Membership.CLOCK_DRIFT (" +
                Membership.CLOCK_DRIFT + "): clockDrift=" + clockDrift);
        }
        if (nodes < 1 || nodes > MAX_NODES)
        {
            throw new IllegalArgumentException("nodes must be 1 to " + MAX_NODES + ": nodes=" + nodes);
        }
        this.clockDrift = clockDrift;
        this.receiveCostNs = receiveCostNs;
        this.flappers = flappers;
        this.flapNs = flapNs;
        this.scenario = scenario;
        this.faulty = faulty;
        this.nodes = nodes;
        this.bootstrap = bootstrap;
        this.faultPhaseNs = faultPhaseNs;
        this.splitStrategy = splitStrategy;
        this.minimumNodes = minimumNodes;
        this.syncRepair = syncRepair;
        this.newIdOnRestart = newIdOnRestart;
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        this.subscribeDelayNs = subscribeDelayNs;
        this.loss = loss;
        this.duplicate = duplicate;
        this.corrupt = corrupt;
        this.reorder = reorder;
        this.bursts = bursts;
        this.burstNs = burstNs;
        this.partitions = partitions;
        this.oneWayPartitions = oneWayPartitions;
        this.pauses = pauses;
        this.maxPauseNs = maxPauseNs;
        this.crashes = crashes;
        this.joins = joins;
    }

    /**
     * The mix of a seed: a run's every choice follows from its seed.
     */
    static SimFaultMix forSeed(final long seed)
    {
        return forSeed(seed, true, true);
    }

    /**
     * The mix of a seed.
     *
     * @param widened false for the mix the seed had before the shapes of issue 15 joined the draw.
     */
    static SimFaultMix forSeed(final long seed, final boolean widened)
    {
        return forSeed(seed, widened, widened);
    }

    /**
     * The mix of a seed.
     *
     * @param widened false for the mix the seed had before the shapes of issue 15 (non-transitive cuts, two
     *                partitions, flapping, heavy loss, clock drift, 8 and 9 nodes) joined the draw: the regression
     *                seeds recorded before then replay the faults that found their bugs.
     * @param loaded  false for the mix the seed had before slow receivers (issue 14 item 6) joined the draw: the
     *                regression seeds of the widened draw recorded before then keep their faults too.
     */
    static SimFaultMix forSeed(final long seed, final boolean widened, final boolean loaded)
    {
        final Random random = new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        final int pick = random.nextInt(100);
        final Scenario scenario = pick < 50 ? Scenario.CHAOS : pick < 80 ? Scenario.SINGLE_FAULTY : Scenario.PARTITION;
        final int nodes = 3 + random.nextInt(5);
        final boolean bootstrap = random.nextInt(4) == 0;
        final long faultPhaseNs = ms(300 + random.nextInt(700));
        final long latencyNs = 200_000L + random.nextInt(1_800_000);
        final long jitterNs = random.nextInt(4) == 0 ? 0 : random.nextInt(2_000_000);
        final long subscribeDelayNs = ms(1 + random.nextInt(20));
        final boolean newIdOnRestart = random.nextBoolean();

        SplitStrategy strategy = SplitStrategy.KEEP_MAJORITY;
        int minimumNodes = 1;
        boolean syncRepair = false;
        Faulty faulty = Faulty.NONE;
        double loss = 0;
        double duplicate = 0;
        double corrupt = 0;
        double reorder = 0;
        int bursts = 0;
        long burstNs = 0;
        int partitions = 0;
        boolean oneWay = false;
        int pauses = 0;
        long maxPauseNs = 0;
        int crashes = 0;
        int joins = 0;
        switch (scenario)
        {
            case CHAOS:
            {
                final int strategyPick = random.nextInt(10);
                if (strategyPick == 0)
                {
                    strategy = SplitStrategy.KEEP_OLDEST;
                }
                else if (strategyPick == 1)
                {
                    strategy = SplitStrategy.STATIC_QUORUM;
                }
                syncRepair = random.nextInt(5) == 0;
                final double scale = random.nextInt(3) == 0 ? 0.02 : 0.002;
                loss = random.nextBoolean() ? random.nextDouble() * scale : 0;
                duplicate = random.nextInt(3) == 0 ? random.nextDouble() * scale : 0;
                corrupt = random.nextInt(3) == 0 ? random.nextDouble() * scale : 0;
                reorder = random.nextInt(3) == 0 ? random.nextDouble() * scale : 0;
                bursts = random.nextInt(4);
                burstNs = ms(20 + random.nextInt(200));
                partitions = random.nextInt(4) == 0 ? 1 : 0;
                oneWay = random.nextInt(3) == 0;
                pauses = random.nextInt(3);
                maxPauseNs = ms(10 + random.nextInt(250));
                crashes = random.nextInt(3);
                joins = random.nextInt(3);
                if (SplitStrategy.STATIC_QUORUM == strategy)
                {
                    // A quorum is split-brain safe only above half of the largest the cluster may grow to.
                    minimumNodes = Math.min(SimulationRun.MAX_SLOTS, nodes + joins) / 2 + 1;
                }
                else if (SplitStrategy.KEEP_OLDEST == strategy)
                {
                    // Under keep-oldest a cluster of one may run on, so a cold start founds only when every seed
                    // answers: no host may be listed that only a later join would bring up.
                    joins = 0;
                }
                break;
            }

            case SINGLE_FAULTY:
            {
                faulty = Faulty.values()[1 + random.nextInt(4)];
                if (Faulty.RECEIVER == faulty || Faulty.SENDER == faulty)
                {
                    final double scale = random.nextInt(3) == 0 ? 0.2 : 0.02;
                    loss = random.nextBoolean() ? random.nextDouble() * scale : 0;
                    duplicate = random.nextInt(3) == 0 ? random.nextDouble() * scale : 0;
                    corrupt = random.nextInt(3) == 0 || 0 == loss + duplicate ? random.nextDouble() * scale : 0;
                    reorder = Faulty.RECEIVER == faulty && random.nextInt(3) == 0 ? random.nextDouble() * scale : 0;
                    bursts = 1 + random.nextInt(2);
                    burstNs = ms(20 + random.nextInt(300));
                }
                else if (Faulty.PAUSE == faulty)
                {
                    pauses = 1 + random.nextInt(2);
                    maxPauseNs = ms(10 + random.nextInt(300));
                }
                else
                {
                    crashes = 1;
                }
                joins = random.nextInt(4) == 0 ? 1 : 0;
                break;
            }

            default:
            {
                final int strategyPick = random.nextInt(10);
                if (strategyPick == 0)
                {
                    strategy = SplitStrategy.KEEP_OLDEST;
                }
                else if (strategyPick == 1)
                {
                    strategy = SplitStrategy.STATIC_QUORUM;
                    minimumNodes = nodes / 2 + 1;
                }
                partitions = 1;
                oneWay = random.nextInt(3) == 0;
                break;
            }
        }
        // The widened shapes draw from their own stream, after the mix above: a seed that stays in the older shapes
        // keeps exactly the faults it always had (and the seeds recorded as regressions keep their meaning).
        final Random widen = new Random(seed * 0xD1B54A32D192ED03L + 0x8CB92BA72F3D8DD7L);
        final double clockDrift = widen.nextBoolean() ? Membership.CLOCK_DRIFT * (0.5 + widen.nextDouble() / 2) : 0;
        final int shape = widen.nextInt(100);
        // Load (issue 14 item 6) draws from a third stream, and only among seeds of the older shapes, so every seed
        // of the shapes above keeps its faults.
        final Random load = new Random(seed * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
        if (loaded && shape >= 36 && load.nextInt(100) < 8)
        {
            final int loadNodes = 3 + load.nextInt(MAX_NODES - 2);
            return new SimFaultMix(Scenario.SINGLE_FAULTY, Faulty.SLOW_RECEIVER, loadNodes, bootstrap,
                ms(1000 + load.nextInt(1500)), SplitStrategy.KEEP_MAJORITY, 1, false, newIdOnRestart, latencyNs,
                jitterNs, subscribeDelayNs, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, load.nextInt(4) == 0 ? 1 : 0,
                clockDrift, 0, 0, ms(1 + load.nextInt(40)));
        }
        if (!widened || shape >= 36)
        {
            return new SimFaultMix(scenario, faulty, nodes, bootstrap, faultPhaseNs, strategy, minimumNodes,
                syncRepair, newIdOnRestart, latencyNs, jitterNs, subscribeDelayNs, loss, duplicate, corrupt, reorder,
                bursts, burstNs, partitions, oneWay, pauses, maxPauseNs, crashes, joins, widened ? clockDrift : 0, 0, 0, 0);
        }
        final int wideNodes = 3 + widen.nextInt(MAX_NODES - 2);
        final int strategyPick = widen.nextInt(10);
        SplitStrategy wideStrategy = SplitStrategy.KEEP_MAJORITY;
        int wideMinimum = 1;
        if (strategyPick == 0)
        {
            wideStrategy = SplitStrategy.KEEP_OLDEST;
        }
        else if (strategyPick == 1)
        {
            wideStrategy = SplitStrategy.STATIC_QUORUM;
            wideMinimum = wideNodes / 2 + 1;
        }
        final boolean wideOneWay = widen.nextInt(3) == 0;
        if (shape < 12)
        {
            return new SimFaultMix(Scenario.NON_TRANSITIVE, Faulty.NONE, wideNodes, bootstrap, faultPhaseNs,
                wideStrategy, wideMinimum, false, newIdOnRestart, latencyNs, jitterNs, subscribeDelayNs, 0, 0, 0, 0,
                0, 0, 1, wideOneWay, 0, 0, 0, 0, clockDrift, 0, 0, 0);
        }
        if (shape < 20)
        {
            return new SimFaultMix(Scenario.TWO_PARTITIONS, Faulty.NONE, Math.max(4, wideNodes), bootstrap,
                faultPhaseNs, wideStrategy, wideStrategy == SplitStrategy.STATIC_QUORUM ?
                Math.max(4, wideNodes) / 2 + 1 : 1, false, newIdOnRestart, latencyNs, jitterNs, subscribeDelayNs, 0,
                0, 0, 0, 0, 0, 2, wideOneWay, 0, 0, 0, 0, clockDrift, 0, 0, 0);
        }
        if (shape < 28)
        {
            // Rapid's 20 s on, 20 s off against its seconds-long timeouts: here on and off each last from about one
            // heartbeat timeout to a few, over a fault phase long enough for several flips.
            final int flappers = 1 + widen.nextInt(Math.max(1, (wideNodes - 1) / 2));
            final long flapNs = ms(60 + widen.nextInt(250));
            return new SimFaultMix(Scenario.FLAPPING, Faulty.NONE, wideNodes, bootstrap, ms(1000 + widen.nextInt(1500)),
                SplitStrategy.KEEP_MAJORITY, 1, false, newIdOnRestart, latencyNs, jitterNs, subscribeDelayNs, 0, 0, 0,
                0, 0, 0, 0, false, 0, 0, 0, 0, clockDrift, flappers, flapNs, 0);
        }
        return new SimFaultMix(Scenario.SINGLE_FAULTY, Faulty.HEAVY_LOSS, wideNodes, bootstrap, faultPhaseNs,
            SplitStrategy.KEEP_MAJORITY, 1, false, newIdOnRestart, latencyNs, jitterNs, subscribeDelayNs, HEAVY_LOSS, 0,
            0, 0, 0, 0, 0, false, 0, 0, 0, widen.nextInt(4) == 0 ? 1 : 0, clockDrift, 0, 0, 0);
    }

    public String toString()
    {
        final StringBuilder out = new StringBuilder()
            .append(scenario);
        if (Faulty.NONE != faulty)
        {
            out.append('(').append(faulty).append(')');
        }
        out.append(" nodes=").append(nodes).append(bootstrap ? " (bootstrap)" : "")
            .append(" faultPhase=").append(faultPhaseNs / 1_000_000).append("ms")
            .append(" split=").append(splitStrategy.propertyValue());
        if (minimumNodes > 1)
        {
            out.append(" minimumNodes=").append(minimumNodes);
        }
        out.append(syncRepair ? " repair=on" : "")
            .append(" restart=").append(newIdOnRestart ? "new-id" : "same-id")
            .append(String.format(" latency=%.2fms jitter=%.2fms subscribeDelay=%dms", latencyNs / 1e6, jitterNs / 1e6,
                subscribeDelayNs / 1_000_000));
        if (bursts > 0)
        {
            out.append(String.format(" bursts=%dx%dms loss=%.4f dup=%.4f corrupt=%.4f reorder=%.4f", bursts,
                burstNs / 1_000_000, loss, duplicate, corrupt, reorder));
        }
        if (partitions > 0)
        {
            out.append(" partitions=").append(partitions).append(oneWayPartitions ? " (one-way)" : " (both ways)");
        }
        if (pauses > 0)
        {
            out.append(" pauses=").append(pauses).append(" (max ").append(maxPauseNs / 1_000_000).append("ms)");
        }
        if (crashes > 0)
        {
            out.append(" crashes=").append(crashes);
        }
        if (joins > 0)
        {
            out.append(" joins=").append(joins);
        }
        if (flappers > 0)
        {
            out.append(" flapping=").append(flappers).append(" node(s) deaf ").append(flapNs / 1_000_000)
                .append("ms on/off");
        }
        if (Faulty.HEAVY_LOSS == faulty)
        {
            out.append(String.format(" heavyLoss=%.2f", loss));
        }
        if (receiveCostNs > 0)
        {
            out.append(" receiveCost=").append(receiveCostNs / 1_000_000).append("ms/frame");
        }
        if (clockDrift > 0)
        {
            out.append(String.format(" clockDrift=%.4f", clockDrift));
        }
        return out.toString();
    }
}
