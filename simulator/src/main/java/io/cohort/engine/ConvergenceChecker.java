package io.cohort.engine;

import io.cohort.state.SubscriptionState;

import java.util.ArrayList;
import java.util.List;

/**
 * Convergence: once the faults stop and the workload is quiet, every live process holds one view (one lineage and
 * epoch) listing exactly the live processes, every node is a member knowing exactly the others,
 * no member waits on notifications it lost (a pending decision), every member's copy of every live owner's rows
 * equals the owner's own rows (digests, row counts, and every
 * room's count compared one by one), no copy of a gone owner is left, and every cluster-wide count is the sum of
 * the owners' local counts. One check is one copy (a replica's rows of one owner) compared in full. A room with
 * subscribers anywhere exists on every node; whether every node holds the same rooms is counted, not checked,
 * unless {@value #STRICT_ROOMS_PROPERTY} is true ({@link #compareRoomTables}).
 */
final class ConvergenceChecker implements SimChecker
{
    static final String STRICT_ROOMS_PROPERTY = "cohort.sim.rooms.strict";

    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    /** Read per run, so that a test may ask for it around one. */
    private final boolean strictRooms = Boolean.getBoolean(STRICT_ROOMS_PROPERTY);
    private long compared;

    ConvergenceChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
    }

    public String name()
    {
        return "convergence";
    }

    public long checks()
    {
        return compared;
    }

    boolean fullyFormed()
    {
        return null == convergenceProblem();
    }

    /**
     * @return null if every node is a member knowing exactly the others, each synced and with equal digests, and
     * no restart is pending; else what is not so yet.
     */
    String convergenceProblem()
    {
        if (run.restartsPending > 0)
        {
            return run.restartsPending + " restart(s) pending";
        }
        final List<SimNode> nodes = network.nodes();
        if (nodes.isEmpty())
        {
            return "no node is up";
        }
        for (final SimNode node : nodes)
        {
            if (!node.core().state().servesCalls() || node.isPaused())
            {
                return node + " is " + node.core().state() + (node.isPaused() ? " (paused)" : "");
            }
        }
        final View first = nodes.get(0).core().membership().view();
        for (final SimNode node : nodes)
        {
            // One cluster holding every live process: one view, of one lineage and epoch, listing each of them.
            final View view = node.core().membership().view();
            if (null == view || !view.equals(first))
            {
                return node + " holds view " + view + ", " + nodes.get(0) + " holds " + first;
            }
            if (!view.contains(node.nodeId(), node.incarnation()) || view.size() != nodes.size())
            {
                return "view " + view + " does not list exactly the " + nodes.size() + " live processes";
            }
        }
        for (final SimNode replica : nodes)
        {
            final ClusterCore core = replica.core();
            if (core.memberIds().length != nodes.size() - 1)
            {
                return replica + " knows " + core.memberIds().length + " members, not " + (nodes.size() - 1) + ": " +
                    describeMembers(replica);
            }
            for (final SimNode owner : nodes)
            {
                if (owner == replica)
                {
                    continue;
                }
                final Member member = core.member(owner.nodeId());
                if (null == member || member.incarnation != owner.incarnation())
                {
                    return replica + " does not know " + owner + " (incarnation " + owner.incarnation() + "): " +
                        describeMembers(replica);
                }
                if (!member.isSynced())
                {
                    return replica + " has not synced " + member;
                }
                if (member.lostNotificationsSinceNs >= 0)
                {
                    // A decision still pending: a view removes the sender, or this node leaves at its bound.
                    return replica + " lost notifications of " + member + " and waits for a view to decide";
                }
                final long truth = owner.state().ownerDigest(owner.nodeId());
                final long copy = replica.state().ownerDigest(owner.nodeId());
                if (truth != copy)
                {
                    return replica + "'s copy of " + owner + " has digest " + Long.toHexString(copy) + ", the owner " +
                        Long.toHexString(truth);
                }
            }
        }
        return null;
    }

    private static String describeMembers(final SimNode node)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final long id : node.core().memberIds())
        {
            out.append(' ').append(node.core().member(id));
        }
        return out.append(" ]").toString();
    }

    /**
     * After convergence by digest: every copy compared room by room and row count with its owner, the
     * cluster-wide sums, and no rows of an owner that is gone.
     */
    public void finish()
    {
        final List<SimNode> nodes = network.nodes();
        for (final SimNode replica : nodes)
        {
            final SubscriptionState copy = replica.state();
            final List<Long> owners = new ArrayList<>();
            copy.forEachOwner(owners::add);
            for (final long owner : owners)
            {
                if (null == network.node(owner))
                {
                    checks.fail(replica + " still holds rows of " + Long.toHexString(owner) + ", which is gone");
                }
            }
            for (int room = 0; room < run.roomIds.length; room++)
            {
                final long roomId = run.roomIds[room];
                long sum = 0;
                for (final SimNode owner : nodes)
                {
                    final long truth = owner.state().localCount(roomId);
                    sum += truth;
                    final long replicated = copy.ownerCount(owner.nodeId(), roomId);
                    if (truth != replicated)
                    {
                        checks.fail(replica + " counts " + replicated + " for " + owner + " in r" + room +
                            ", the owner " + truth);
                    }
                }
                if (copy.roomCount(roomId) != sum)
                {
                    checks.fail(replica + " counts " + copy.roomCount(roomId) + " in r" + room +
                        " cluster-wide, the owners " + sum);
                }
            }
            for (final SimNode owner : nodes)
            {
                if (copy.ownerRows(owner.nodeId()) != owner.state().ownerRows(owner.nodeId()))
                {
                    checks.fail(replica + " holds " + copy.ownerRows(owner.nodeId()) + " rows of " + owner +
                        ", the owner " + owner.state().ownerRows(owner.nodeId()));
                }
                if (owner != replica)
                {
                    compared++;
                }
            }
        }
        compareRoomTables(nodes);
    }

    /**
     * A room in which any node has subscribers exists on every node (checked: a node missing it would refuse its own
     * clients' subscriptions to it, and holds counts in a room it cannot name). Whether every node holds exactly the
     * same rooms is not yet an invariant: rooms have no owner and their changes carry only part of their causality.
     * A removal that reaches a node before the creation it undid ({@link CoveredCreations}), and a joiner's room table
     * holding a removal whose creation it would replay ({@link RoomTableStreams}), and a joiner that removes a room
     * before a member's snapshot of it opens ({@link JoinDriver} waits for them), and a member's whole table older
     * than a removal the node loading it applied, and a creation made after a removal that reaches a node before the
     * removal, and a joiner whose source's table held a removal it never applied itself that loads the older table
     * of a node that joined beside it (the table brings its sender's records of removals: {@link RoomHistory}), are
     * handled, as are a room created by two nodes at once and removed by a third that had applied one creation, and
     * a member's own removal lost with the frame that carried it (applied from its table's record), and a room
     * changed by a node removed before its stream reached every member ({@link RemovedMemberRooms}), and an older
     * table loaded before the newer one that brings the room's removal ({@link MemberTables}), also when a later view
     * adds the newer table's sender. Left: a removal by a node whose copy of a creator's stream is being taken again
     * after a desync, whose list says nothing of it. Such runs are counted, and
     * {@value #STRICT_ROOMS_PROPERTY}{@code =true} fails them.
     */
    private void compareRoomTables(final List<SimNode> nodes)
    {
        final SimStats stats = checks.stats;
        stats.roomTablesCompared++;
        String unequal = null;
        for (int room = 0; room < run.roomIds.length; room++)
        {
            final long roomId = run.roomIds[room];
            int holders = 0;
            SimNode inUseAt = null;
            final StringBuilder holderNames = new StringBuilder();
            for (final SimNode node : nodes)
            {
                if (node.state().roomExists(roomId))
                {
                    holders++;
                    holderNames.append(0 == holderNames.length() ? "" : ", ").append(node);
                }
                inUseAt = node.state().localCount(roomId) > 0 ? node : inUseAt;
            }
            if (0 == holders || nodes.size() == holders)
            {
                continue;
            }
            final String what = "r" + room + " is held by " + holders + " of " + nodes.size() + " nodes (" +
                holderNames + ")";
            if (null != inUseAt)
            {
                checks.fail(what + ", though " + inUseAt + " has subscribers in it");
            }
            unequal = null == unequal ? what : unequal;
        }
        if (null != unequal)
        {
            stats.roomTablesUnequal++;
            if (strictRooms)
            {
                checks.fail("room tables differ: " + unequal);
            }
        }
    }
}
