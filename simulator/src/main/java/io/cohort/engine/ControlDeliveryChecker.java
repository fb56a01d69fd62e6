package io.cohort.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.List;

/**
 * Control messages are never lost or stuck behind data (issue 14, item 4). Membership announcements (cards, leave,
 * evictions, accusations, probe answers) wait in a node's control lane until the broadcast stream takes them, ahead
 * of any row. Checked: no node ever refuses one because too many were pending (at any time, faults included); once
 * the faults have healed, no RUNNING node keeps one waiting longer than {@link PropagationLagChecker#boundNs()}
 * (the stream refuses nothing for long when every receiver keeps up); and when the run ends no node holds one
 * unsent. Delivery once sent is the stream's own exactness, which the digest and desync checks cover. One check is
 * one node's lane looked at.
 */
final class ControlDeliveryChecker implements SimChecker
{
    private final SimNetwork network;
    private final SimChecks checks;
    /** Node instance: since when its control lane has held a record without emptying. */
    private final Long2LongHashMap pendingSinceNs = new Long2LongHashMap(-1);
    private long looked;

    ControlDeliveryChecker(final SimulationRun run, final SimChecks checks)
    {
        this.network = run.network;
        this.checks = checks;
    }

    public String name()
    {
        return "control-delivered";
    }

    public long checks()
    {
        return looked;
    }

    public void checkpoint()
    {
        final long nowNs = network.nowNs();
        final List<SimNode> nodes = network.nodes();
        for (int i = 0, size = nodes.size(); i < size; i++)
        {
            final SimNode node = nodes.get(i);
            final ClusterCore core = node.core();
            looked++;
            long since = -1;
            final SyncPublisher publisher = core.publisher();
            if (0 == publisher.controlPending())
            {
                pendingSinceNs.remove(node.instance());
            }
            else
            {
                since = pendingSinceNs.get(node.instance());
                if (since < 0)
                {
                    since = nowNs;
                    pendingSinceNs.put(node.instance(), since);
                }
            }
            final String violation = judge(publisher.controlOverflows(), publisher.controlPending(), since,
                checks.calmSinceNs(), !node.isPaused() && NodeState.RUNNING == core.state(), nowNs);
            if (null != violation)
            {
                checks.fail(node + " " + violation);
                return;
            }
        }
    }

    /**
     * The rule, apart from the run: what is wrong with one node's control lane, if anything.
     *
     * @param overflows      control records the node refused since it started (its lane was full).
     * @param pending        control records waiting in its lane now.
     * @param pendingSinceNs since when the lane has held a record without emptying, -1 if it is empty.
     * @param calmSinceNs    when the faults healed, -1 if they have not.
     * @param running        whether the node is RUNNING and not paused.
     * @param nowNs          now.
     * @return null if nothing is wrong, else the violation (after the node's name).
     */
    static String judge(final long overflows, final int pending, final long pendingSinceNs, final long calmSinceNs,
        final boolean running, final long nowNs)
    {
        if (overflows > 0)
        {
            return "refused " + overflows + " control message(s): its control lane was full";
        }
        if (pending > 0 && pendingSinceNs >= 0 && calmSinceNs >= 0 && running)
        {
            final long heldNs = nowNs - Math.max(pendingSinceNs, calmSinceNs);
            if (heldNs > PropagationLagChecker.boundNs())
            {
                return "has held " + pending + " control message(s) unsent for " + heldNs / 1_000_000 +
                    " ms since the faults healed (bound " + PropagationLagChecker.boundNs() / 1_000_000 + " ms)";
            }
        }
        return null;
    }

    public void finish()
    {
        final List<SimNode> nodes = network.nodes();
        for (int i = 0, size = nodes.size(); i < size; i++)
        {
            final SimNode node = nodes.get(i);
            looked++;
            final int pending = node.core().publisher().controlPending();
            if (0 != pending)
            {
                checks.fail(node + " ended the run with " + pending +
                    " control message(s) unsent");
            }
        }
    }
}
