package io.cohort.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every membership change was decided by a quorum of the view it changes: whenever a node installs a view of epoch
 * {@code e} (an eviction, a leave, a join, a dissolve), a quorum of the view of epoch {@code e - 1} of its lineage
 * (as the strategy's {@link Quorum} counts it: a majority, or half with the oldest, or the static quorum) had
 * accepted exactly that value. Acceptances are read from each node's acceptor after every input it handles and every
 * cycle it runs (an acceptor keeps its accepted value until its node installs the next view), views likewise; a
 * founding view (epoch 1, a view of one) needs no one. One check is one installation judged.
 */
final class InstallChecker implements SimChecker
{
    private static final class Acceptance
    {
        final long nodeId;
        final long incarnation;

        Acceptance(final long nodeId, final long incarnation)
        {
            this.nodeId = nodeId;
            this.incarnation = incarnation;
        }
    }

    private final SimChecks checks;
    private final Quorum quorum;
    /** Per lineage, per epoch, the view first seen installed. */
    private final Map<Long, Map<Long, View>> installed = new HashMap<>();
    /** Per value, who accepted it. */
    private final Map<View, List<Acceptance>> acceptances = new HashMap<>();
    private final IdentityHashMap<SimNode, View> lastAccepted = new IdentityHashMap<>();
    private final IdentityHashMap<SimNode, View> lastInstalled = new IdentityHashMap<>();
    private long judged;

    InstallChecker(final SimulationRun run, final SimChecks checks)
    {
        this.checks = checks;
        this.quorum = new Quorum(run.mix.splitStrategy, run.mix.minimumNodes);
    }

    public String name()
    {
        return "installed-by-quorum";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * After a node handled input or ran its cycle: records what its acceptor accepted, and judges a view it newly
     * installed.
     */
    void afterWork(final SimNode node)
    {
        final Membership membership = node.core().membership();
        final ViewAgreement agreement = membership.agreement();
        // Counted at the acceptor, not sampled: a proposer that is a quorum alone accepts and installs in one step.
        if (agreement.accepts() > 0)
        {
            final View accepted = agreement.lastAccepted();
            if (lastAccepted.get(node) != accepted)
            {
                lastAccepted.put(node, accepted);
                final List<Acceptance> by = acceptances.computeIfAbsent(accepted, value -> new ArrayList<>());
                boolean known = false;
                for (final Acceptance acceptance : by)
                {
                    known |= acceptance.nodeId == node.nodeId() && acceptance.incarnation == node.incarnation();
                }
                if (!known)
                {
                    by.add(new Acceptance(node.nodeId(), node.incarnation()));
                }
            }
        }
        final View view = membership.view();
        if (null == view || lastInstalled.get(node) == view)
        {
            return;
        }
        lastInstalled.put(node, view);
        final Map<Long, View> epochs = installed.computeIfAbsent(view.lineage(), lineage -> new HashMap<>());
        epochs.putIfAbsent(view.epoch(), view);
        if (1 == view.epoch())
        {
            return;
        }
        final View previous = epochs.get(view.epoch() - 1);
        judged++;
        if (null == previous)
        {
            checks.fail(node + " installed " + view + " though no node was ever seen holding epoch " +
                (view.epoch() - 1) + " of its lineage");
            return;
        }
        long ranks = 0;
        final StringBuilder who = new StringBuilder();
        final List<Acceptance> by = acceptances.get(view);
        if (null != by)
        {
            for (final Acceptance acceptance : by)
            {
                final int rank = previous.rankOf(acceptance.nodeId);
                if (rank >= 0 && previous.member(rank).incarnation() == acceptance.incarnation)
                {
                    ranks |= 1L << rank;
                    who.append(' ').append(checks.name(acceptance.nodeId));
                }
            }
        }
        if (!quorum.isQuorum(previous, ranks))
        {
            checks.fail(node + " installed " + view + ", which no quorum of " + previous + " accepted (accepted by:" +
                who + " )");
        }
    }
}
