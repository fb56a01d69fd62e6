package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does when its copy of a member's rows can no longer be trusted (a gap, a garbled frame, a digest that
 * differs from the owner's): it takes the copy again from the owner at once (snapshot and replay, as when it first
 * synced), so a known-wrong copy is never kept. Unless repair is on and within budget, the fault also counts against
 * the member in this node's reachability row for a while ({@link Membership#distrust}): the cut then removes the
 * member if most distrust it, or this node if it alone does. A fault in a member's directed stream lost notifications,
 * which no snapshot brings back. Not thread safe: the node's thread only.
 */
final class DesyncResponse
{
    private static final Logger LOG = LoggerFactory.getLogger(DesyncResponse.class);
    private static final long REPAIR_WINDOW_NS = 60_000_000_000L;

    private final CohortContext context;
    private final MemberSync memberSync;
    private final MemberRoster roster;
    private final Membership membership;

    DesyncResponse(
        final CohortContext context,
        final MemberSync memberSync,
        final MemberRoster roster,
        final Membership membership)
    {
        this.context = context;
        this.memberSync = memberSync;
        this.roster = roster;
        this.membership = membership;
    }

    /**
     * @param member     whose copy or directed stream is at fault.
     * @param reason     the fault, a {@link ReasonCode}.
     * @param expected   what was expected (a sequence, a digest), for the log.
     * @param observed   what was seen instead.
     * @param repairable false for a fault in the member's directed stream: what it lost were notifications, which
     *                   no snapshot brings back; this node leaves unless a view resolves it.
     * @param serving    whether this node serves: before it does, it has no subscribers to lose notifications of.
     * @param nowNs      the current time.
     */
    void onDesync(
        final Member member,
        final int reason,
        final long expected,
        final long observed,
        final boolean repairable,
        final boolean serving,
        final long nowNs)
    {
        final long nodeId = context.nodeId();
        if (!repairable)
        {
            if (serving && membership.isMember())
            {
                member.desyncs++;
                LOG.warn("node {}: directed stream of {} broken: {} (expected {}, observed {}); notifications lost",
                    ClusterCore.id(nodeId), member, ReasonCode.name(reason), expected, observed);
                membership.onNotificationsLost(member, reason, nowNs);
            }
            return;
        }
        member.desyncs++;
        // Only a fault the other members could have seen too accuses the owner (the cut removes a replica alone in
        // seeing faults): in a synced copy of a member that every member has had a heartbeat timeout to subscribe to
        // and sync, or in a copy that has not synced for that long. A member this node let in a moment ago may have
        // no other subscriber yet (seed 501511), or copies synced from later snapshots than this node's, which skipped
        // the frame it found lost (seed 561064): this node would be alone, a healthy node removed. A broken sender is
        // still caught, by every copy at once, or because no copy of it stays synced; a broken receiver, because
        // none of its copies does. The copy is retaken either way.
        final long settledNs = context.heartbeatTimeoutNs();
        final boolean faultConfirmable = member.isSynced() ? nowNs - member.addedNs >= settledNs :
            nowNs - member.unsyncedSinceNs >= settledNs;
        final boolean repair = context.syncRepair() && withinRepairBudget(member, nowNs);
        LOG.warn("node {}: copy of {} desynchronised: {} (expected {}, observed {}); taking it again from the owner{}",
            ClusterCore.id(nodeId), member, ReasonCode.name(reason), expected, observed, repair ? " (repair)" : "");
        memberSync.restart(member, nowNs);
        roster.publish();
        if (!repair && membership.isMember())
        {
            if (faultConfirmable)
            {
                membership.distrust(member, reason, nowNs);
            }
            else
            {
                // Judged later (Membership#tick): an accusation if the copy is still unsynced a heartbeat timeout on
                // (a copy stuck waiting for a snapshot sees no further fault), or if another member accuses the owner
                // meanwhile (seed 1197007: a frame corrupted at the sender reached every copy, and only the member
                // for which it was confirmable accused; alone, it was taken for a broken receiver); else forgotten.
                membership.holdUnconfirmedFault(member, reason, nowNs);
            }
        }
    }

    /** {@code cohort.sync.repair.budget} repairs of a member a minute; past that, a fault accuses as without repair. */
    private boolean withinRepairBudget(final Member member, final long nowNs)
    {
        if (nowNs - member.repairWindowStartNs > REPAIR_WINDOW_NS)
        {
            member.repairWindowStartNs = nowNs;
            member.repairsInWindow = 0;
        }
        return member.repairsInWindow++ < context.syncRepairBudget();
    }
}
