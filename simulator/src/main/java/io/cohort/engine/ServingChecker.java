package io.cohort.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.IdentityHashMap;
import java.util.List;

import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;
import static io.cohort.engine.SimulationRun.HEARTBEAT_TIMEOUT_NS;
import static io.cohort.engine.SimulationRun.SUSPICION_TIMEOUT_NS;

/**
 * Who may serve, judged from the network's links at every checkpoint, whatever the cuts (one partition, a
 * non-transitive cut, two at once, nodes whose incoming traffic flaps):
 * <ul>
 *     <li><b>No quorum, no service</b>: a RUNNING node has, for a quorum of its view, had a link both ways with each
 *     of them at some moment of the last {@link #leaseBoundNs()} (a crashed member has none): its lease lives only
 *     on echoes of heartbeats each member of a quorum received, and ends a lease after the send of the one they all
 *     echoed, on a clock that runs at least {@code 1 - ρ} as fast as real time. The receipts need not be at one
 *     moment (one member may have heard it just before crashing, another just after a cut healed), so neither do
 *     the links. A paused member keeps its links: what reaches it waits in its buffers, and its echo once it
 *     resumes proves a receipt as any other.</li>
 *     <li><b>Survivors hear each other</b>: from {@link #pairwiseBoundNs()} after the last cut began, no two RUNNING
 *     nodes lack a link between them, either way: the view that survives is a group in which all hear all, so a
 *     bridge node cannot keep two groups serving.</li>
 *     <li><b>One cluster serves</b>: RUNNING nodes never hold views of two lineages for longer than the same bound
 *     (two lineages meet only when disjoint clusters find each other, and the one that loses dissolves).</li>
 * </ul>
 * A paused node is not judged (it serves nothing); it is from its first cycle after it resumes, when its lease is
 * checked before any input. One check is one RUNNING node judged against its links at a checkpoint.
 */
final class ServingChecker implements SimChecker
{
    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    private final Quorum quorum;
    /** Per node, per member of its view (keyed by {@link #memberKey}, so a crashed one is still found): the last
     * checkpoint at which they had a link both ways. */
    private final IdentityHashMap<SimNode, Long2LongHashMap> lastLinkedNs = new IdentityHashMap<>();
    private long lastCutStartNs = Long.MIN_VALUE / 2;
    private long lastCrashNs = Long.MIN_VALUE / 2;
    private long twoLineagesSinceNs = -1;
    private long judged;

    ServingChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
        this.quorum = new Quorum(run.mix.splitStrategy, run.mix.minimumNodes);
    }

    /**
     * The lease, as the engine derives it from the run's heartbeat settings, in real time at the slowest clock the
     * drift bound allows, plus a cycle and a checkpoint to notice it.
     */
    static long leaseBoundNs()
    {
        final long leaseNs = Membership.leaseNs(new CohortContext()
            .heartbeatIntervalNs(HEARTBEAT_INTERVAL_NS)
            .heartbeatTimeoutNs(HEARTBEAT_TIMEOUT_NS));
        return (long)Math.ceil(leaseNs / (1.0 - Membership.CLOCK_DRIFT)) + SimNode.ms(1) +
            SimChecks.CHECK_INTERVAL_NS;
    }

    /**
     * From a cut to the survivors all hearing each other: the silence seen (a heartbeat timeout), a lone accuser's
     * settling (a suspicion window and a heartbeat timeout more), rows spreading and the agreement's rounds (three
     * heartbeats), then the losers' leases running out once the acceptors stop echoing them.
     */
    static long pairwiseBoundNs()
    {
        return 2 * HEARTBEAT_TIMEOUT_NS + SUSPICION_TIMEOUT_NS + 3 * HEARTBEAT_INTERVAL_NS + leaseBoundNs();
    }

    public String name()
    {
        return "serving-needs-quorum";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * A cut began (or healed: nothing to restart then, a link more only helps).
     */
    void onCutsChanged(final boolean started)
    {
        if (started)
        {
            lastCutStartNs = network.nowNs();
        }
    }

    void onCrashed()
    {
        lastCrashNs = network.nowNs();
    }

    private boolean hearsBothWays(final SimNode a, final SimNode b)
    {
        return network.connected(a.nodeId(), b.nodeId()) && network.connected(b.nodeId(), a.nodeId());
    }

    private SimNode live(final ViewMember member)
    {
        final SimNode node = network.node(member.nodeId());
        return null == node || node.incarnation() != member.incarnation() || !node.isRunningOnNetwork() ? null : node;
    }

    private String describeLinks(final SimNode node, final View view, final long now)
    {
        final StringBuilder out = new StringBuilder();
        for (int rank = 0; rank < view.size(); rank++)
        {
            final ViewMember member = view.member(rank);
            final SimNode other = live(member);
            out.append(' ').append(null == other ? checks.name(member.nodeId()) + " (gone)" : other.toString());
            if (other != node)
            {
                final long linkedAt = lastLinkedNs.get(node).get(memberKey(member));
                out.append(Long.MIN_VALUE == linkedAt ? " (never linked)" :
                    " (linked " + (now - linkedAt) / 1_000_000 + " ms ago)");
            }
        }
        return out.toString();
    }

    /**
     * A member incarnation as one number: its incarnation (a start time, below 2^40 ns) above its node id (a slot
     * and a generation, below 2^20).
     */
    private static long memberKey(final ViewMember member)
    {
        return member.incarnation() << 20 ^ member.nodeId();
    }

    private static boolean serving(final SimNode node)
    {
        return node.isRunningOnNetwork() && !node.isPaused() && NodeState.RUNNING == node.core().state();
    }

    public void checkpoint()
    {
        final long now = network.nowNs();
        final List<SimNode> nodes = network.nodes();
        SimNode servingA = null;
        SimNode servingB = null;
        for (int i = 0, size = nodes.size(); i < size; i++)
        {
            final SimNode node = nodes.get(i);
            // A paused node's links are recorded too (what reaches it waits in its buffers, what it sent before the
            // pause is still on its way); it is judged only once it runs again.
            if (!node.isRunningOnNetwork())
            {
                continue;
            }
            final View view = node.core().membership().view();
            if (null == view)
            {
                continue;
            }
            final Long2LongHashMap links = lastLinkedNs.computeIfAbsent(node,
                ignore -> new Long2LongHashMap(Long.MIN_VALUE));
            long recentlyLinked = 0;
            for (int rank = 0; rank < view.size(); rank++)
            {
                final ViewMember member = view.member(rank);
                if (member.nodeId() == node.nodeId())
                {
                    recentlyLinked |= 1L << rank;
                    continue;
                }
                final SimNode other = live(member);
                final long key = memberKey(member);
                if (null != other && hearsBothWays(node, other))
                {
                    links.put(key, now);
                }
                final long linkedAt = links.get(key);
                if (now - linkedAt <= leaseBoundNs())
                {
                    recentlyLinked |= 1L << rank;
                }
            }
            if (!serving(node))
            {
                continue;
            }
            judged++;
            if (!quorum.isQuorum(view, recentlyLinked))
            {
                checks.fail(node + " is RUNNING in view " + view + " though within the last " +
                    leaseBoundNs() / 1_000_000 + " ms it had a link both ways with no quorum of it:" +
                    describeLinks(node, view, now));
                return;
            }
            if (null == servingA)
            {
                servingA = node;
            }
            else if (servingA.core().membership().view().lineage() != view.lineage())
            {
                servingB = node;
            }
        }
        if (null == servingB)
        {
            twoLineagesSinceNs = -1;
        }
        else if (twoLineagesSinceNs < 0)
        {
            twoLineagesSinceNs = now;
        }
        else if (now - twoLineagesSinceNs > pairwiseBoundNs())
        {
            checks.fail("two clusters serve at once for " + (now - twoLineagesSinceNs) / 1_000_000 + " ms: " +
                servingA + " in " + servingA.core().membership().view() + " and " + servingB + " in " +
                servingB.core().membership().view());
            return;
        }
        if (now - lastCutStartNs < pairwiseBoundNs() || now - lastCrashNs < pairwiseBoundNs() ||
            !network.isPartitioned())
        {
            return;
        }
        for (int i = 0, size = nodes.size(); i < size; i++)
        {
            final SimNode a = nodes.get(i);
            if (!serving(a))
            {
                continue;
            }
            for (int j = i + 1; j < size; j++)
            {
                final SimNode b = nodes.get(j);
                if (serving(b) && !hearsBothWays(a, b))
                {
                    checks.fail(a + " and " + b + " are both RUNNING " + (now - lastCutStartNs) / 1_000_000 +
                        " ms after the last cut began, though " + (network.connected(a.nodeId(), b.nodeId()) ?
                        b + " does not reach " + a : a + " does not reach " + b) + " (bound " +
                        pairwiseBoundNs() / 1_000_000 + " ms)");
                    return;
                }
            }
        }
    }
}
