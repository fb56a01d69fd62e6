package io.cohort.engine;

import io.cohort.state.SubscriptionState;

import static io.cohort.engine.SimNode.ms;

/**
 * No negative counts: no local count goes below zero when the API changes it, and every
 * {@link #SWEEP_INTERVAL_NS} (and at the end) every node's local, cluster-wide and per-member counts of every
 * room are at least zero. One check is one local count change judged or one node swept.
 */
final class NonNegativeChecker implements SimChecker
{
    static final long SWEEP_INTERVAL_NS = ms(50);

    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    private long nextSweepNs;
    private long judged;

    NonNegativeChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
    }

    public String name()
    {
        return "no-negative-count";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * A local count of a node changed (an API call).
     */
    void onLocalCountChanged(final SimNode node, final int room, final long current)
    {
        judged++;
        if (current < 0)
        {
            checks.fail(node + " local count of room r" + room + " went to " + current);
        }
    }

    public void checkpoint()
    {
        if (network.nowNs() >= nextSweepNs)
        {
            nextSweepNs = network.nowNs() + SWEEP_INTERVAL_NS;
            sweep();
        }
    }

    public void finish()
    {
        sweep();
    }

    private void sweep()
    {
        for (final SimNode node : network.nodes())
        {
            judged++;
            final SubscriptionState state = node.state();
            for (int room = 0; room < run.roomIds.length; room++)
            {
                final long roomId = run.roomIds[room];
                if (state.localCount(roomId) < 0 || state.roomCount(roomId) < 0)
                {
                    checks.fail(node + " has a negative count in r" + room);
                }
                for (final long memberId : node.core().memberIds())
                {
                    if (state.ownerCount(memberId, roomId) < 0)
                    {
                        checks.fail(node + " has a negative count of " + checks.name(memberId) + " in r" + room);
                    }
                }
            }
        }
    }
}
