package io.cohort.engine;

import io.cohort.codec.ReasonCode;

import java.util.List;

/**
 * Whether this node serves, by its lease: once it has begun to serve as a member (founded, or joined and synced), it
 * is RUNNING (or NOT_ENOUGH_NODES, below the smallest view that serves) while a quorum of its view echoes its
 * heartbeats, and NO_QUORUM otherwise. After a heartbeat timeout and a suspicion window without quorum, both scaled
 * by the node's own lateness (Lifeguard's local health), it evicts itself, so that a supervisor starts a new
 * incarnation that joins whatever cluster runs on (a node of a cluster that lost most of its members for good would
 * otherwise wait for ever). Invariant: a node whose lease ran out serves no call from the moment it checks
 * ({@link ClusterCore#beginCycle} checks before any input of a cycle).
 * <p>
 * A joiner that a view has let in counts in that view's quorums before it serves (it is still syncing its members),
 * and it answers other joiners that a cluster exists. Without a quorum of its view for the same window it evicts
 * itself too: its view lost most of its nodes (they left or died), and waiting out the join timeout in it would keep
 * the nodes that restart from founding the cluster again for that long (seed 3,163,314: eight nodes collapsed after
 * a heal, and one joiner let into the dead view refused the others for 1.6 s). A joiner of a live view hears its
 * quorum within a heartbeat interval of being let in, so a slow sync is never cut short by this.
 * Not thread safe: the node's thread only.
 */
final class ServingFence
{
    private final CohortContext context;
    private final ClusterCore core;
    private final Membership membership;
    private final LocalHealth localHealth;
    /** This node's seeds: how many seed hosts there are bounds the smallest view that serves. */
    private SeedEndpoints seeds = SeedEndpoints.fixed(List.of());
    /** Whether this node has begun to serve as a member (founded, or joined and synced). */
    private boolean serving;
    private long quorumLostSinceNs = -1;

    /**
     * @param context     the node's settings: timeouts, minimum nodes, split strategy.
     * @param core        the node whose state it sets.
     * @param membership  the view and the lease.
     * @param localHealth the node's own lateness.
     */
    ServingFence(
        final CohortContext context, final ClusterCore core, final Membership membership, final LocalHealth localHealth)
    {
        this.context = context;
        this.core = core;
        this.membership = membership;
        this.localHealth = localHealth;
    }

    /**
     * @param seeds the node's seeds, as it starts.
     */
    void seeds(final SeedEndpoints seeds)
    {
        this.seeds = seeds;
    }

    /**
     * The node begins to serve as a member; its state follows its lease from now on.
     *
     * @param nowNs the current time.
     */
    void begin(final long nowNs)
    {
        serving = true;
        update(nowNs);
    }

    /**
     * @return whether the node has begun to serve as a member.
     */
    boolean isServing()
    {
        return serving;
    }

    /**
     * Sets the node's state from its lease now (nothing before it serves, once it is leaving, or once it ended).
     *
     * @param nowNs the current time.
     */
    void update(final long nowNs)
    {
        final NodeState nodeState = core.state();
        if (nodeState.isTerminal() || NodeState.LEAVING == nodeState || !membership.isMember() ||
            !serving && NodeState.JOINING != nodeState)
        {
            return;
        }
        if (!membership.leaseValid(nowNs))
        {
            if (quorumLostSinceNs < 0)
            {
                quorumLostSinceNs = nowNs;
            }
            else if (nowNs - quorumLostSinceNs >
                localHealth.scaled(context.heartbeatTimeoutNs() + context.suspicionTimeoutNs(), nowNs))
            {
                core.lifecycle().evictSelf(ReasonCode.PARTITION, "no quorum of view " + membership.view().epoch() +
                    " for " + (nowNs - quorumLostSinceNs) / 1_000_000 + " ms (local health score " +
                    localHealth.score(nowNs) + ")" + (serving ? "" : " while joining it"));
                return;
            }
            if (serving)
            {
                core.lifecycle().changeState(NodeState.NO_QUORUM);
            }
            return;
        }
        quorumLostSinceNs = -1;
        if (serving)
        {
            core.lifecycle().changeState(membership.view().size() >= smallestServingView() ? NodeState.RUNNING :
                NodeState.NOT_ENOUGH_NODES);
        }
    }

    /**
     * @return the fewest members this node's view must hold to be RUNNING: {@code cohort.cluster.minimum.nodes}, and
     * as many seed hosts as make founding a second instance impossible ({@link Quorum#smallestServingView}).
     */
    int smallestServingView()
    {
        return Math.max(context.minimumNodes(), Quorum.smallestServingView(context.splitStrategy(),
            context.minimumNodes(), 1 + seeds.endpoints().size()));
    }
}
