package io.cohort.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.List;

import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;

/**
 * Propagation lag has a bound when nothing is wrong (issue 14: "when the offered rate is below capacity, propagation
 * lag stays within a bound"). Once the faults have healed (the calm phase and after it, where the simulated workload
 * is far below what a node can apply), a count an owner changed reaches every member that holds a synced copy of
 * the owner's rows within {@link #boundNs()}: between two RUNNING nodes, a copy that differs from the owner's own
 * count of a room for longer than the bound (counted from the owner's last change of that room, or from when the
 * copy was first seen synced, or from the calm, whichever is latest) is a violation. The bound is generous against
 * the network's latency (at most 4 ms a hop): what it catches is a stream that stalls or a window that stays closed
 * while every replica keeps up. One check is one copy compared (by digest, then room by room if
 * the digests differ).
 */
final class PropagationLagChecker implements SimChecker
{
    private static final int MAX_ROOMS = 64;

    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    /** Owner instance * {@link #MAX_ROOMS} + room index: when the owner's count of that room last changed. */
    private final Long2LongHashMap lastLocalChangeNs = new Long2LongHashMap(-1);
    /** Replica instance and owner instance (see {@link #pairKey}): when the copy was first seen synced. */
    private final Long2LongHashMap syncedSinceNs = new Long2LongHashMap(-1);
    private long compared;

    PropagationLagChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
    }

    /**
     * @return how long a synced copy may differ from its owner's count while nothing is wrong: two heartbeat
     * intervals (a stream heartbeat that was refused is retried at the next; a replica reports what it applied every
     * interval, so a window closed by one report opens at the next) and a checkpoint.
     */
    static long boundNs()
    {
        return 2 * HEARTBEAT_INTERVAL_NS + SimChecks.CHECK_INTERVAL_NS;
    }

    public String name()
    {
        return "propagation-lag";
    }

    public long checks()
    {
        return compared;
    }

    /**
     * An owner's count of a room changed (an API call on it).
     */
    void onLocalCountChanged(final SimNode owner, final int room)
    {
        lastLocalChangeNs.put(owner.instance() * MAX_ROOMS + room, network.nowNs());
    }

    /**
     * @return when the owner's count of the room last changed, or -1 if it never did in this run.
     */
    long lastLocalChangeNs(final SimNode owner, final int room)
    {
        return lastLocalChangeNs.get(owner.instance() * MAX_ROOMS + room);
    }

    public void checkpoint()
    {
        final long calmSinceNs = checks.calmSinceNs();
        if (calmSinceNs < 0)
        {
            return;
        }
        final long nowNs = network.nowNs();
        final List<SimNode> nodes = network.nodes();
        for (int r = 0, size = nodes.size(); r < size; r++)
        {
            final SimNode replica = nodes.get(r);
            for (int o = 0; o < size; o++)
            {
                final SimNode owner = nodes.get(o);
                if (owner != replica)
                {
                    checkCopy(replica, owner, calmSinceNs, nowNs);
                }
            }
        }
    }

    private void checkCopy(final SimNode replica, final SimNode owner, final long calmSinceNs, final long nowNs)
    {
        final long key = pairKey(replica, owner);
        final Member member = replica.core().member(owner.nodeId());
        if (!isRunning(replica) || !isRunning(owner) || null == member ||
            member.incarnation != owner.incarnation() || !member.isSynced())
        {
            syncedSinceNs.remove(key);
            return;
        }
        final long since = syncedSinceNs.get(key);
        if (since < 0)
        {
            syncedSinceNs.put(key, nowNs);
            return;
        }
        compared++;
        if (owner.state().ownerDigest(owner.nodeId()) == replica.state().ownerDigest(owner.nodeId()))
        {
            return;
        }
        final long[] roomIds = run.roomIds;
        for (int room = 0; room < roomIds.length; room++)
        {
            final long truth = owner.state().localCount(roomIds[room]);
            final long copy = replica.state().ownerCount(owner.nodeId(), roomIds[room]);
            if (truth != copy)
            {
                final long differsSinceNs = Math.max(lastLocalChangeNs(owner, room), Math.max(since, calmSinceNs));
                if (nowNs - differsSinceNs > boundNs())
                {
                    checks.fail(replica + "'s synced copy of " + owner + " counts " + copy + " in r" + room +
                        ", the owner " + truth + " for " + (nowNs - differsSinceNs) / 1_000_000 +
                        " ms (bound " + boundNs() / 1_000_000 + " ms)");
                    return;
                }
            }
        }
    }

    private static boolean isRunning(final SimNode node)
    {
        return !node.isPaused() && NodeState.RUNNING == node.core().state();
    }

    private static long pairKey(final SimNode replica, final SimNode owner)
    {
        return (replica.instance() << 32) | owner.instance();
    }
}
