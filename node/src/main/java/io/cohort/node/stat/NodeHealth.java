package io.cohort.node.stat;

import io.cohort.engine.NodeState;
import io.cohort.transport.CounterType;

import java.util.List;
import java.util.Locale;

/**
 * Whether a node is fit to serve, as a probe sees it from its counters file: healthy only when its writer is live
 * (a recent status timestamp) and its state is {@link NodeState#RUNNING}. A directory is healthy when it holds at
 * least one node and every node in it is healthy.
 */
final class NodeHealth
{
    private NodeHealth()
    {
    }

    /**
     * Why a node is not healthy, or null when it is.
     *
     * @param view one sample of the node.
     * @return one phrase that starts with {@code dead}, {@code stale} or {@code not RUNNING}, or null.
     */
    static String problem(final NodeView view)
    {
        switch (view.liveness)
        {
            case DEAD:
                return "dead: process " + view.pid + " is gone (its counters file is left behind)";
            case STALLED:
                return "stale: no status update for " + StatFormat.duration(view.statusAgeMs) + " (process " +
                    view.pid + " runs but its duty cycle is stalled)";
            default:
                final String state = view.stateName();
                return NodeState.RUNNING.name().equals(state) ? null : "not RUNNING: " + state;
        }
    }

    /**
     * Whether a whole directory is healthy.
     *
     * @param views every node read from the directory.
     * @return true if there is at least one node and none has a problem.
     */
    static boolean healthy(final List<NodeView> views)
    {
        if (views.isEmpty())
        {
            return false;
        }
        for (final NodeView view : views)
        {
            if (null != problem(view))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The text of {@code cohort stat --check}: one line per node, {@code ok} or its problem, then a verdict line.
     *
     * @param out       where the lines go.
     * @param directory the counters directory, for the verdict of an empty one.
     * @param views     every node read from the directory.
     */
    static void appendCheck(final StringBuilder out, final String directory, final List<NodeView> views)
    {
        int unhealthy = 0;
        for (final NodeView view : views)
        {
            final String problem = problem(view);
            out.append(String.format(Locale.ROOT, "node %016x  pid %d  ", view.nodeId, view.pid))
                .append(null == problem ? "ok: live, RUNNING, members " +
                    view.value(CounterType.NODE_MEMBERS, 0) : problem)
                .append('\n');
            unhealthy += null == problem ? 0 : 1;
        }
        if (views.isEmpty())
        {
            out.append("UNHEALTHY: no node in ").append(directory).append('\n');
        }
        else if (unhealthy > 0)
        {
            out.append("UNHEALTHY: ").append(unhealthy).append(" of ").append(views.size())
                .append(views.size() == 1 ? " node" : " nodes").append(" not live and RUNNING\n");
        }
        else
        {
            out.append("OK: ").append(views.size()).append(views.size() == 1 ? " node" : " nodes")
                .append(" live and RUNNING\n");
        }
    }
}
