package io.cohort.engine;


import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cohort.engine.SimNode.ms;

/**
 * The faults of a run, drawn from its {@link SimFaultMix} and the run's one {@link Random}: bursts of lost,
 * duplicated, corrupted and reordered frames (at a receiver, or at a sender for every subscriber at once),
 * partitions (both ways or one way), non-transitive cuts, two partitions at once, nodes whose incoming traffic
 * flaps on and off, one node losing most of its packets, pauses, crashes with restarts, and new nodes joining.
 */
final class SimFaults implements SimNetwork.SyncFault, SimNetwork.SenderFault, SimNetwork.CommandFault
{
    /** A window in which frames on some links meet faults. */
    static final class Burst
    {
        static final int ALL = 0;
        static final int FROM = 1;
        static final int TO = 2;
        static final int SENDER = 3;

        final int scope;
        final int slot;
        final long startNs;
        final long endNs;

        Burst(final int scope, final int slot, final long startNs, final long endNs)
        {
            this.scope = scope;
            this.slot = slot;
            this.startNs = startNs;
            this.endNs = endNs;
        }

        String describe()
        {
            final String who = "n" + (slot + 1);
            switch (scope)
            {
                case FROM:
                    return "frames from " + who;
                case TO:
                    return "frames to " + who;
                case SENDER:
                    return "frames " + who + " sends (same fate for every subscriber)";
                default:
                    return "every link";
            }
        }
    }

    private final SimulationRun run;
    private final SimFaultMix mix;
    private final Random random;
    private final List<Burst> bursts = new ArrayList<>();
    private boolean on = true;
    private boolean corrupted;
    private long reorderNs;

    SimFaults(final SimulationRun run)
    {
        this.run = run;
        this.mix = run.mix;
        this.random = run.random;
    }

    /**
     * The single faulty node of a {@link SimFaultMix.Scenario#SINGLE_FAULTY} run: always the slot at index 1 or
     * later (slot 0 founded the cluster, which makes no difference to the rules), chosen by the seed.
     */
    int faultySlot()
    {
        return faultySlot;
    }

    private int faultySlot = -1;

    void schedule(final long phaseNs)
    {
        final SimNetwork network = run.network;
        final long start = network.nowNs();
        if (SimFaultMix.Scenario.SINGLE_FAULTY == mix.scenario)
        {
            faultySlot = random.nextInt(run.slotCount);
            run.checks.singleFaulty(faultySlot);
        }
        network.syncFault(this);
        network.senderFault(this);
        if (SimFaultMix.Faulty.HEAVY_LOSS == mix.faulty)
        {
            network.commandFault(this);
            run.trace("n" + (faultySlot + 1) + " loses " + (int)(SimFaultMix.HEAVY_LOSS * 100) + " % of its packets, " +
                "in and out, until the faults stop");
        }
        if (SimFaultMix.Faulty.SLOW_RECEIVER == mix.faulty)
        {
            final SimNode slow = run.slots[faultySlot].node;
            if (null != slow)
            {
                slow.receiveCostNs(mix.receiveCostNs);
                run.trace("n" + (faultySlot + 1) + " takes a sync frame per " + mix.receiveCostNs / 1_000_000 +
                    " ms until the faults stop");
            }
        }
        if (SimFaultMix.Scenario.NON_TRANSITIVE == mix.scenario)
        {
            final long at = (long)(random.nextDouble() * phaseNs / 2);
            final long duration = random.nextInt(4) > 0 ? ServingChecker.pairwiseBoundNs() + ms(random.nextInt(300)) :
                ms(5 + random.nextInt(400));
            network.schedule(at, () -> nonTransitiveCut(duration));
        }
        else if (SimFaultMix.Scenario.TWO_PARTITIONS == mix.scenario)
        {
            final long at = (long)(random.nextDouble() * phaseNs / 3);
            final long second = at + (long)(random.nextDouble() * phaseNs / 3);
            network.schedule(at, () -> twoPartitions(second - at));
        }
        else if (SimFaultMix.Scenario.FLAPPING == mix.scenario)
        {
            final boolean[] flapping = new boolean[SimulationRun.MAX_SLOTS];
            for (int chosen = 0; chosen < mix.flappers; )
            {
                final int slot = random.nextInt(run.slotCount);
                if (!flapping[slot])
                {
                    flapping[slot] = true;
                    chosen++;
                }
            }
            if (2 * mix.flappers < run.slotCount - 1)
            {
                // The promise: fewer than half of the others flap, so a healthy node that the flappers alone cannot
                // hear keeps a majority hearing it, and the flappers go. At exactly half the rule cannot tell a
                // receive blip at half of the cluster from a node whose links to half of it broke (80 % loss on one
                // node looks the same until its own row arrives): it removes the accused, as it must for the latter.
                run.checks.faultySlots(flapping);
            }
            else
            {
                run.trace("half of the others flap: which side of their cut goes is not promised (no lone-accuser " +
                    "rule this run)");
            }
            network.schedule(random.nextInt((int)Math.min(Integer.MAX_VALUE, mix.flapNs)), () -> flap(flapping, true));
        }
        for (int i = 0; i < mix.bursts; i++)
        {
            final long at = start + (long)(random.nextDouble() * Math.max(1, phaseNs - mix.burstNs));
            final int scope;
            final int slot;
            if (SimFaultMix.Faulty.RECEIVER == mix.faulty)
            {
                scope = Burst.TO;
                slot = faultySlot;
            }
            else if (SimFaultMix.Faulty.SENDER == mix.faulty)
            {
                scope = Burst.SENDER;
                slot = faultySlot;
            }
            else
            {
                scope = random.nextInt(4);
                slot = random.nextInt(run.slotCount);
            }
            final Burst burst = new Burst(scope, slot, at, at + mix.burstNs);
            bursts.add(burst);
            network.schedule(at - start, () -> run.trace("burst of faults on " + burst.describe() + " for " +
                mix.burstNs / 1_000_000 + " ms"));
        }
        for (int i = 0; i < (SimFaultMix.Scenario.NON_TRANSITIVE == mix.scenario ||
            SimFaultMix.Scenario.TWO_PARTITIONS == mix.scenario ? 0 : mix.partitions); i++)
        {
            final long at = (long)(random.nextDouble() * phaseNs / 2);
            final long duration = SimFaultMix.Scenario.PARTITION == mix.scenario && random.nextInt(4) > 0 ?
                PartitionChecker.partitionBoundNs() + ms(random.nextInt(300)) : ms(5 + random.nextInt(400));
            network.schedule(at, () -> partition(duration));
        }
        for (int i = 0; i < mix.pauses; i++)
        {
            final long at = (long)(random.nextDouble() * phaseNs);
            final long duration = ms(1) + (long)(random.nextDouble() * mix.maxPauseNs);
            final int slot = faultySlot >= 0 ? faultySlot : random.nextInt(run.slotCount);
            network.schedule(at, () -> pause(slot, duration));
        }
        for (int i = 0; i < mix.crashes; i++)
        {
            final long at = (long)(random.nextDouble() * phaseNs);
            final long restartAfter = ms(5 + random.nextInt(300));
            final int slot = faultySlot >= 0 ? faultySlot : random.nextInt(run.slotCount);
            network.schedule(at, () -> run.crash(run.slots[slot], restartAfter));
        }
        for (int i = 0; i < mix.joins; i++)
        {
            final long at = (long)(random.nextDouble() * phaseNs);
            network.schedule(at, run::join);
        }
    }

    private void partition(final long durationNs)
    {
        final SimNetwork network = run.network;
        if (!on || network.isPartitioned())
        {
            return;
        }
        final int slots = run.slotCount;
        final boolean[] inside = new boolean[SimulationRun.MAX_SLOTS];
        int insideCount = 0;
        while (0 == insideCount || insideCount == slots)
        {
            insideCount = 0;
            for (int i = 0; i < slots; i++)
            {
                inside[i] = random.nextBoolean();
                insideCount += inside[i] ? 1 : 0;
            }
        }
        final boolean bothWays = !mix.oneWayPartitions || random.nextBoolean();
        network.partition(nodeId ->
        {
            final int slot = SimulationRun.slotIndexOf(nodeId);
            return slot >= 0 && slot < inside.length && inside[slot];
        }, bothWays);
        final StringBuilder side = new StringBuilder();
        for (int i = 0; i < slots; i++)
        {
            if (inside[i])
            {
                side.append(" n").append(i + 1);
            }
        }
        run.trace("partition {" + side + " } | the rest, " + (bothWays ? "both ways" : "one way: the side's frames " +
            "and requests no longer reach the rest") + ", for " + durationNs / 1_000_000 + " ms");
        final Object token = run.checks.onPartition(inside, bothWays);
        run.checks.onCutsChanged(true);
        network.schedule(durationNs, () ->
        {
            if (run.checks.isCurrentPartition(token))
            {
                healPartition();
            }
        });
    }

    private void healPartition()
    {
        if (run.network.isPartitioned())
        {
            run.network.partition((java.util.function.LongPredicate)null, true);
            run.checks.onPartitionHealed();
            run.checks.onCutsChanged(false);
            run.trace("partition healed");
        }
    }

    private static java.util.function.LongPredicate slotsOf(final boolean[] slots)
    {
        return nodeId ->
        {
            final int slot = SimulationRun.slotIndexOf(nodeId);
            return slot >= 0 && slot < slots.length && slots[slot];
        };
    }

    private static String describe(final boolean[] slots, final int count)
    {
        final StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < count; i++)
        {
            if (slots[i])
            {
                out.append(" n").append(i + 1);
            }
        }
        return out.append(" }").toString();
    }

    /**
     * Two groups that do not hear each other, while every other node (at least one, the bridge) hears everyone.
     */
    private void nonTransitiveCut(final long durationNs)
    {
        final SimNetwork network = run.network;
        if (!on)
        {
            return;
        }
        final int slots = run.slotCount;
        final boolean[] a = new boolean[SimulationRun.MAX_SLOTS];
        final boolean[] b = new boolean[SimulationRun.MAX_SLOTS];
        // Each node in A, in B or a bridge, with at least one of each.
        while (true)
        {
            int inA = 0;
            int inB = 0;
            for (int i = 0; i < slots; i++)
            {
                final int side = random.nextInt(3);
                a[i] = 0 == side;
                b[i] = 1 == side;
                inA += a[i] ? 1 : 0;
                inB += b[i] ? 1 : 0;
            }
            if (inA > 0 && inB > 0 && inA + inB < slots)
            {
                break;
            }
        }
        final boolean bothWays = !mix.oneWayPartitions || random.nextBoolean();
        final SimNetwork.Cut cut = new SimNetwork.Cut(slotsOf(a), slotsOf(b), bothWays);
        network.addCut(cut);
        run.checks.onCutsChanged(true);
        run.trace("non-transitive cut " + describe(a, slots) + " x " + describe(b, slots) + ", " +
            (bothWays ? "both ways" : "one way: the first group's frames and requests no longer reach the second") +
            ", the others hear all, for " + durationNs / 1_000_000 + " ms");
        network.schedule(durationNs, () -> removeCut(cut, "non-transitive cut healed"));
    }

    /**
     * Two groups each cut off from everyone else, the second cut starting while the first holds: three groups.
     */
    private void twoPartitions(final long secondAfterNs)
    {
        if (!on)
        {
            return;
        }
        final int slots = run.slotCount;
        final boolean[] first = new boolean[SimulationRun.MAX_SLOTS];
        final boolean[] second = new boolean[SimulationRun.MAX_SLOTS];
        while (true)
        {
            int inFirst = 0;
            int inSecond = 0;
            for (int i = 0; i < slots; i++)
            {
                final int side = random.nextInt(3);
                first[i] = 0 == side;
                second[i] = 1 == side;
                inFirst += first[i] ? 1 : 0;
                inSecond += second[i] ? 1 : 0;
            }
            if (inFirst > 0 && inSecond > 0 && inFirst + inSecond < slots)
            {
                break;
            }
        }
        final long firstNs = PartitionChecker.partitionBoundNs() + secondAfterNs + ms(random.nextInt(300));
        final long secondNs = random.nextInt(4) > 0 ? PartitionChecker.partitionBoundNs() + ms(random.nextInt(300)) :
            ms(5 + random.nextInt(300));
        final boolean firstBothWays = !mix.oneWayPartitions || random.nextBoolean();
        final boolean secondBothWays = !mix.oneWayPartitions || random.nextBoolean();
        final SimNetwork.Cut firstCut = new SimNetwork.Cut(slotsOf(first), null, firstBothWays);
        run.network.addCut(firstCut);
        run.checks.onCutsChanged(true);
        run.trace("first of two partitions: " + describe(first, slots) + " | the rest, " +
            (firstBothWays ? "both ways" : "one way") + ", for " + firstNs / 1_000_000 + " ms");
        run.network.schedule(firstNs, () -> removeCut(firstCut, "first partition healed"));
        run.network.schedule(secondAfterNs, () ->
        {
            if (!on)
            {
                return;
            }
            final SimNetwork.Cut secondCut = new SimNetwork.Cut(slotsOf(second), null, secondBothWays);
            run.network.addCut(secondCut);
            run.checks.onCutsChanged(true);
            run.trace("second partition: " + describe(second, slots) + " | the rest, " +
                (secondBothWays ? "both ways" : "one way") + ", for " + secondNs / 1_000_000 + " ms");
            run.network.schedule(secondNs, () -> removeCut(secondCut, "second partition healed"));
        });
    }

    /**
     * The flapping nodes drop all incoming traffic (on), then hear again (off), each for the mix's period, until
     * the faults stop.
     */
    private void flap(final boolean[] flapping, final boolean deaf)
    {
        if (!on)
        {
            return;
        }
        if (deaf)
        {
            final boolean[] others = new boolean[SimulationRun.MAX_SLOTS];
            for (int i = 0; i < others.length; i++)
            {
                others[i] = !flapping[i];
            }
            final SimNetwork.Cut cut = new SimNetwork.Cut(slotsOf(others), slotsOf(flapping), false);
            run.network.addCut(cut);
            run.checks.onCutsChanged(true);
            run.trace(describe(flapping, run.slotCount) + " drop all incoming traffic for " + mix.flapNs / 1_000_000 +
                " ms");
            run.network.schedule(mix.flapNs, () ->
            {
                removeCut(cut, describe(flapping, run.slotCount) + " hear again");
                flap(flapping, false);
            });
        }
        else
        {
            run.network.schedule(mix.flapNs, () -> flap(flapping, true));
        }
    }

    private void removeCut(final SimNetwork.Cut cut, final String what)
    {
        if (run.network.cutCount() > 0)
        {
            final int before = run.network.cutCount();
            run.network.removeCut(cut);
            if (run.network.cutCount() < before)
            {
                run.checks.onCutsChanged(false);
                run.trace(what);
            }
        }
    }

    private void pause(final int slotIndex, final long durationNs)
    {
        final SimNode node = run.slots[slotIndex].node;
        if (!on || null == node || !node.isRunningOnNetwork() || node.isPaused())
        {
            return;
        }
        run.trace(node + " pauses for " + durationNs / 1_000_000 + " ms");
        node.pause();
        run.network.schedule(durationNs, () -> resume(node));
    }

    private void resume(final SimNode node)
    {
        if (node.isPaused())
        {
            run.trace(node + " resumes");
            node.resume();
            run.checks.onResumed(node);
        }
    }

    /**
     * Ends every fault: bursts, partition, pauses. Crashed nodes still come back through the supervisor.
     */
    void healAll()
    {
        on = false;
        if (SimFaultMix.Faulty.SLOW_RECEIVER == mix.faulty && null != run.slots[faultySlot].node)
        {
            run.slots[faultySlot].node.receiveCostNs(0);
        }
        healPartition();
        final List<SimNode> nodes = new ArrayList<>(run.network.nodes());
        for (final SimNode node : nodes)
        {
            resume(node);
        }
    }

    private Burst burstFor(final long from, final long to, final boolean senderSide)
    {
        if (!on || bursts.isEmpty())
        {
            return null;
        }
        final long now = run.network.nowNs();
        for (int i = 0, size = bursts.size(); i < size; i++)
        {
            final Burst burst = bursts.get(i);
            if (now < burst.startNs || now >= burst.endNs)
            {
                continue;
            }
            final int fromSlot = SimulationRun.slotIndexOf(from);
            final int toSlot = SimulationRun.slotIndexOf(to);
            final boolean applies;
            switch (burst.scope)
            {
                case Burst.FROM:
                    applies = !senderSide && fromSlot == burst.slot;
                    break;
                case Burst.TO:
                    applies = !senderSide && toSlot == burst.slot;
                    break;
                case Burst.SENDER:
                    applies = senderSide && fromSlot == burst.slot;
                    break;
                default:
                    applies = !senderSide;
                    break;
            }
            if (applies)
            {
                return burst;
            }
        }
        return null;
    }

    public int copies(final long from, final long to, final byte[] message)
    {
        corrupted = false;
        reorderNs = 0;
        if (heavyLoss(from, to))
        {
            run.trace("  fault: frame " + label(from) + " -> " + label(to) + " lost (heavy loss)");
            final long destination = SimChecks.destinationOf(message);
            if (0 != destination)
            {
                run.checks.onNotificationLost(from, destination);
            }
            return 0;
        }
        return null == burstFor(from, to, false) ? 1 : fate(from, to, message, true);
    }

    /**
     * A command between two nodes is lost only to the heavy loss of one node.
     */
    public boolean lost(final long from, final long to)
    {
        final boolean lost = heavyLoss(from, to);
        if (lost)
        {
            run.trace("  fault: command " + label(from) + " -> " + label(to) + " lost (heavy loss)");
        }
        return lost;
    }

    private boolean heavyLoss(final long from, final long to)
    {
        if (!on || SimFaultMix.Faulty.HEAVY_LOSS != mix.faulty || faultySlot < 0 ||
            SimulationRun.slotIndexOf(from) != faultySlot && SimulationRun.slotIndexOf(to) != faultySlot)
        {
            return false;
        }
        return random.nextDouble() < SimFaultMix.HEAVY_LOSS;
    }

    public int copies(final long from, final byte[] message)
    {
        corrupted = false;
        return null == burstFor(from, 0, true) ? 1 : fate(from, 0, message, false);
    }

    private int fate(final long from, final long to, final byte[] message, final boolean mayReorder)
    {
        final long destination = SimChecks.destinationOf(message);
        final int copies = decide(from, to, message, mayReorder);
        if (0 != destination && (0 == copies || corrupted || reorderNs > 0))
        {
            // A notification addressed to that node is lost to it: its deliveries are incomplete.
            run.checks.onNotificationLost(from, destination);
        }
        return copies;
    }

    private int decide(final long from, final long to, final byte[] message, final boolean mayReorder)
    {
        final double r = random.nextDouble();
        double threshold = mix.loss;
        final String link = !run.trace.on ? "" : 0 == to ? label(from) + " -> all" : label(from) + " -> " + label(to);
        if (r < threshold)
        {
            run.trace("  fault: frame " + link + " lost (" + message.length + " bytes)");
            return 0;
        }
        threshold += mix.duplicate;
        if (r < threshold)
        {
            run.trace("  fault: frame " + link + " duplicated");
            return 2;
        }
        threshold += mix.corrupt;
        if (r < threshold)
        {
            final int flips = 1 + random.nextInt(3);
            final int[] bits = new int[flips];
            for (int i = 0; i < flips; i++)
            {
                // Distinct bits: flipping one twice would leave the frame whole.
                int bit;
                boolean repeated;
                do
                {
                    bit = random.nextInt(message.length * 8);
                    repeated = false;
                    for (int j = 0; j < i; j++)
                    {
                        repeated |= bits[j] == bit;
                    }
                }
                while (repeated);
                bits[i] = bit;
                message[bit >> 3] ^= (byte)(1 << (bit & 7));
            }
            corrupted = true;
            run.trace("  fault: frame " + link + " corrupted (" + flips + " bit flips)");
            return 1;
        }
        threshold += mix.reorder;
        if (mayReorder && r < threshold)
        {
            reorderNs = ms(1) + random.nextInt(8_000_000);
            run.trace("  fault: frame " + link + " delayed " + reorderNs / 1000 + " us past later frames");
        }
        return 1;
    }

    private String label(final long nodeId)
    {
        final SimNode node = run.network.node(nodeId);
        return null == node ? Long.toHexString(nodeId) : node.label();
    }

    public long reorderDelayNs(final long from, final long to)
    {
        return reorderNs;
    }

    public boolean corrupted()
    {
        return corrupted;
    }
}
