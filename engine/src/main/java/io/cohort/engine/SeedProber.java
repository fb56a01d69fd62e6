package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import io.cohort.codec.SeedProbeDecoder;
import io.cohort.codec.SeedProbeResponseDecoder;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * The heal of two clusters that formed apart: every serving member of a view of two or more probes its seeds every
 * {@code cohort.cluster.seeds.probe.interval}, and answers the probes of others, so that two disjoint instances of
 * one cluster (different lineages) find each other once a cut between them heals.
 * <p>
 * The rule, the same on both sides so that they agree without talking: an instance that is not RUNNING loses to
 * one that is (its view holds too few of the seed hosts to rule out another instance: {@link Quorum#smallestServingView});
 * then the instance with fewer members loses; of two the same size, the one without the older oldest member
 * ({@link ViewMember#compareAge}) loses. A member that
 * learns its instance loses asks its view to dissolve ({@link Membership#requestDissolve}): a view of the next epoch
 * flagged {@link View#FLAG_DISSOLVE}, agreed like any other, after which every member leaves and a new incarnation
 * joins the winner. Rows are per owner, so rejoining is the whole merge.
 * <p>
 * Only the loser acts, and only once it found the winner through its own seeds: its nodes, started again, join
 * through those same seeds. A winner that meets a loser does nothing; telling it would dissolve a cluster whose
 * nodes could not reach the winner to join it, and they would only found the loser again, over and over. (The
 * agreed view takes every member of the loser along, even those whose own seeds miss the winner: they join it
 * through their former peers once those are in.)
 * <p>
 * The same probe heals a member that missed its own removal: an answer from a later view of its own lineage that
 * does not list it evicts it, as a heartbeat of that view would.
 * <p>
 * A member alone probes with join requests instead ({@link JoinDriver#probeSeedsWhileAlone}): a cluster of one has
 * nothing to agree and simply joins. Like the core, this owns no socket and reads no clock.
 */
final class SeedProber
{
    /** A probe round that nobody answered for this many intervals reconnects the seed channels. */
    static final int RECONNECT_AFTER_SILENT_ROUNDS = 3;

    private final CohortContext context;
    private final Transport transport;
    private final ViewMessages messages;
    private final ClusterCore core;
    private final long nodeId;
    private final SeedProbeDecoder probeDecoder = new SeedProbeDecoder();
    private final SeedProbeResponseDecoder responseDecoder = new SeedProbeResponseDecoder();
    private SeedEndpoints seeds = SeedEndpoints.fixed(List.of());
    private boolean connected;
    private long nextProbeNs;
    private long lastAnswerNs;
    private long connectedNs;
    private long correlationIds;

    SeedProber(final CohortContext context, final Transport transport, final ViewMessages messages,
        final ClusterCore core)
    {
        this.context = context;
        this.transport = transport;
        this.messages = messages;
        this.core = core;
        this.nodeId = context.nodeId();
    }

    void seeds(final SeedEndpoints seeds)
    {
        this.seeds = seeds;
    }

    /**
     * Probes the seeds when a round is due: only a serving member of a view of two or more probes (a member alone
     * is the {@link JoinDriver}'s).
     *
     * @return the amount of work done.
     */
    int tick(final long nowNs)
    {
        final View view = core.membership().view();
        if (!seeds.configured() || null == view || !core.state().servesCalls() || nowNs < nextProbeNs)
        {
            return 0;
        }
        nextProbeNs = nowNs + context.seedsProbeIntervalNs();
        if (seeds.refresh(nowNs) || !connected ||
            nowNs - Math.max(lastAnswerNs, connectedNs) > RECONNECT_AFTER_SILENT_ROUNDS * context.seedsProbeIntervalNs())
        {
            // New addresses for the seeds' names, or nobody answered for a few rounds: JeroMQ sometimes never
            // completes a fresh connection's handshake, and fresh sockets are the cure.
            connect(nowNs);
        }
        final int endpoints = seeds.endpoints().size();
        final int probeLength = messages.seedProbe(++correlationIds, view);
        for (int i = 0; i < endpoints; i++)
        {
            transport.sendToSeed(i, messages.buffer(), 0, probeLength);
        }
        return 1;
    }

    /**
     * Closes the seed channels: the member is alone (the join driver probes with its own), or no longer serves.
     */
    void stop()
    {
        if (connected)
        {
            connected = false;
            transport.disconnectSeeds();
        }
    }

    private void connect(final long nowNs)
    {
        if (connected)
        {
            transport.disconnectSeeds();
        }
        for (final String endpoint : seeds.endpoints())
        {
            transport.connectSeed(endpoint);
        }
        connected = true;
        connectedNs = nowNs;
    }

    /**
     * A probe from another node: a serving member answers with its view's summary (a node that does not serve
     * answers nothing: a cluster that has lost its quorum, or is joining, must not attract others).
     */
    void onProbe(final byte[] routingId, final long senderNodeId, final long senderIncarnation,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final View view = core.membership().view();
        if (null == view || !core.state().servesCalls())
        {
            return;
        }
        final SeedProbeDecoder probe = probeDecoder.wrap(buffer, offset, length);
        transport.reply(routingId, messages.buffer(), 0,
            messages.seedProbeResponse(probe.correlationId(), view, view.contains(senderNodeId, senderIncarnation),
                NodeState.RUNNING == core.state()));
    }

    /**
     * A summary of another node's view: the answer to this node's probe.
     */
    void onSummary(final long senderNodeId, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        final View view = core.membership().view();
        if (null == view || !core.state().servesCalls())
        {
            return;
        }
        final SeedProbeResponseDecoder summary = responseDecoder.wrap(buffer, offset, length);
        lastAnswerNs = nowNs;
        if (0 == summary.size())
        {
            return;
        }
        if (summary.lineage() == view.lineage())
        {
            if (summary.epoch() > view.epoch() && !summary.listsProber())
            {
                // A later view of this instance without this node: a quorum removed it (its heartbeats never said).
                core.lifecycle().evictSelf(ReasonCode.PARTITION, "node " + ClusterCore.id(senderNodeId) +
                    " answered a seed probe with view " + summary.epoch() + " of this cluster, which does not list " +
                    "this node");
            }
            return;
        }
        if (summary.listsProber())
        {
            return; // another instance that lists this incarnation: not disjoint (a stale answer), nothing to decide
        }
        if (otherWins(view, NodeState.RUNNING == core.state(), summary))
        {
            core.membership().requestDissolve(nowNs, "node " + ClusterCore.id(senderNodeId) + " serves another " +
                "instance of the cluster with " + summary.size() + " member(s) (oldest " +
                ClusterCore.id(summary.oldestNodeId()) + "), which wins against this one of " + view.size());
        }
    }

    /**
     * @param running whether this node is RUNNING.
     * @return whether the instance summarised wins against this node's: a RUNNING one against one that is not (a view
     * too small to rule out another instance must give way to the one that formed beside it); then more members; as
     * many, an older oldest.
     */
    static boolean otherWins(final View view, final boolean running, final SeedProbeResponseDecoder summary)
    {
        if (summary.running() != running)
        {
            return summary.running();
        }
        if (summary.size() != view.size())
        {
            return summary.size() > view.size();
        }
        final ViewMember oldest = view.member(0);
        return ViewMember.compareAge(summary.oldestIncarnation(), summary.oldestNodeId(), oldest.incarnation(),
            oldest.nodeId()) < 0;
    }
}
