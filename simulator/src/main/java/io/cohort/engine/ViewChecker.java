package io.cohort.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Agreed views, checked at every checkpoint on every running node:
 * <ul>
 *     <li><b>One successor per epoch</b>: every node that holds a view of a lineage at an epoch holds the same members
 *     (a second value chosen for one epoch would be two clusters);</li>
 *     <li><b>The fence</b>: no node serves (RUNNING, API calls accepted) in a view once a later view of its lineage
 *     without it was installed anywhere: the committer of that view waited out the node's lease, so the node stopped
 *     serving first. A sampling interval of slack is allowed: a node notices its lease ended at its next cycle.</li>
 * </ul>
 * One check is one running node's view compared with what the run has seen of its lineage.
 */
final class ViewChecker implements SimChecker
{
    private static final class Installed
    {
        final View view;
        final long firstSeenNs;

        Installed(final View view, final long firstSeenNs)
        {
            this.view = view;
            this.firstSeenNs = firstSeenNs;
        }
    }

    private final SimNetwork network;
    private final SimChecks checks;
    /** Per lineage, per epoch, the view first seen installed. */
    private final Map<Long, Map<Long, Installed>> installed = new HashMap<>();
    private long judged;

    ViewChecker(final SimulationRun run, final SimChecks checks)
    {
        this.network = run.network;
        this.checks = checks;
    }

    public String name()
    {
        return "agreed-views";
    }

    public long checks()
    {
        return judged;
    }

    public void checkpoint()
    {
        final long nowNs = network.nowNs();
        for (final SimNode node : network.nodes())
        {
            if (!node.isRunningOnNetwork() || node.core().state().isTerminal())
            {
                continue;
            }
            final View view = node.core().membership().view();
            if (null == view)
            {
                continue;
            }
            final Map<Long, Installed> epochs = installed.computeIfAbsent(view.lineage(), lineage -> new HashMap<>());
            final Installed known = epochs.get(view.epoch());
            judged++;
            if (null == known)
            {
                epochs.put(view.epoch(), new Installed(view, nowNs));
            }
            else if (!known.view.equals(view))
            {
                checks.fail("two views of epoch " + view.epoch() + " in one lineage: " + node + " holds " + view +
                    ", another node held " + known.view);
                return;
            }
        }
        for (final SimNode node : network.nodes())
        {
            if (!node.isRunningOnNetwork() || node.isPaused() || NodeState.RUNNING != node.core().state())
            {
                continue;
            }
            final View view = node.core().membership().view();
            final Map<Long, Installed> epochs = null == view ? null : installed.get(view.lineage());
            if (null == epochs)
            {
                continue;
            }
            for (final Installed later : epochs.values())
            {
                if (later.view.epoch() > view.epoch() && !later.view.contains(node.nodeId(), node.incarnation()) &&
                    nowNs - later.firstSeenNs > SimChecks.CHECK_INTERVAL_NS)
                {
                    checks.fail(node + " is RUNNING in view " + view.epoch() + " " +
                        (nowNs - later.firstSeenNs) / 1_000_000 + " ms after view " + later.view + " without it " +
                        "was installed");
                    return;
                }
            }
        }
    }
}
