package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides who is at fault when a member's stream goes wrong, without letting one node decide alone.
 * <p>
 * <b>The rule.</b> A node that sees a fault in member P's stream (gap, reorder, lost tail, garbled frame, digest
 * mismatch; a duplicate frame is dropped without accusing anyone, as nothing is lost) or hears nothing from P for
 * {@code cohort.heartbeat.timeout} accuses P: it broadcasts
 * {@code SUSPECT(P)}. Every member that sees a fault of P on its own accuses P too. Within the suspicion window
 * ({@code cohort.suspicion.timeout}):
 * <ul>
 * <li>if a majority of the members other than P accuse P (for a fault in P's stream, a majority of the whole
 * cluster, P included, so that two halves cannot evict each other), P is evicted: the node that counts the
 * majority broadcasts {@code NODE_EVICTED(P)}, and every node drops P's rows;</li>
 * <li>if the window ends without a majority, each node that accused P on its own has the broken copy (or
 * receive path), since most members see P healthy: it evicts itself, whether it accused alone or, for a fault
 * in P's stream, with a minority (a healthy node is never taken down by a minority of accusers, and no node keeps
 * serving a copy it knows is wrong). A minority accusing P of silence accuses again instead, as other members
 * time out in turn; a lone accuser of silence waits a heartbeat timeout more before it concludes that it is the
 * broken one, since the others' timers start from the last frame of P they read, which a backlog delays;</li>
 * <li>in a cluster of two, the one member other than P is a majority of one: for silence it evicts P, for a
 * corrupt copy it evicts itself, since the owner's own rows are authoritative and the copy is what is wrong.</li>
 * </ul>
 * <b>Partitions.</b> Silence accusations are also checked against the split strategy: when the members this node
 * still hears (itself included) would lose under {@link SplitStrategy} for a whole window, this node evicts itself
 * (reason {@link ReasonCode#PARTITION}) instead of evicting the others, so that at most one side keeps running. A
 * member added after the silence began counts neither on this side nor in the cluster's size: the other side may
 * not know it, so both sides are weighed in the membership they both knew when the silence began.
 * Silence is decided only when its window ends, even with a majority earlier: the members of the other side fall
 * silent one heartbeat apart, and deciding on the first one alone would let both sides believe they win. On a side
 * that survives, silence is voted on by the members it still hears, so that a surviving side smaller than a
 * majority (keep-oldest, static-quorum) evicts the side it lost.
 * <p>
 * <b>Missed evictions.</b> A node evicted while it could not hear the announcement still sees it: most of the
 * members it hears stop listing it in their heartbeats; after a whole suspicion window of that, it stops.
 * <p>
 * <b>Pauses.</b> A node that notices its own duty cycle stalled (a GC or scheduling pause) restarts every
 * member's silence timer and drops its pending accusations of silence, instead of acting on timers that ran while
 * it slept; an accusation for a fault it saw in a stream stays.
 */
final class FaultDetector
{
    /**
     * What the detector needs from the node.
     */
    interface Node
    {
        /** Broadcasts an accusation. */
        void suspect(Member accused, int reason, long expected, long observed);

        /** Announces the eviction of a member and drops its rows. */
        void evict(Member member, int reason);

        /** Evicts this node: it stops serving at once. */
        void evictSelf(int reason, String why);

        /** Members this node knows, itself excluded. */
        List<Member> members();
    }

    private static final Logger LOG = LoggerFactory.getLogger(FaultDetector.class);
    private static final int SIDE_SURVIVES = 0;
    private static final int SIDE_LOSING = 1;
    private static final int SIDE_EVICTED = 2;

    private static final class Accusation
    {
        final long accusedId;
        final long accusedIncarnation;
        final LongHashSet accusers = new LongHashSet();
        long startedNs;
        int reason;
        boolean selfAccused;
        boolean streamFault;

        Accusation(final long accusedId, final long accusedIncarnation, final int reason, final long startedNs)
        {
            this.accusedId = accusedId;
            this.accusedIncarnation = accusedIncarnation;
            this.reason = reason;
            this.startedNs = startedNs;
        }
    }

    private final long selfNodeId;
    private final long selfIncarnation;
    private final CohortContext context;
    private final Node node;
    private final Long2ObjectHashMap<Accusation> accusations = new Long2ObjectHashMap<>();
    private final List<Accusation> decided = new ArrayList<>();
    private long minoritySinceNs = -1;
    private boolean splitSurvivalLogged;
    private long unlistedSinceNs = -1;
    private int heardOthers;

    FaultDetector(final CohortContext context, final Node node)
    {
        this.selfNodeId = context.nodeId();
        this.selfIncarnation = context.incarnation();
        this.context = context;
        this.node = node;
    }

    /**
     * This node saw a fault in a member's stream, or silence from it.
     */
    void onLocalFault(final Member accused, final int reason, final long expected, final long observed,
        final long nowNs)
    {
        final Accusation accusation = accusation(accused.nodeId, accused.incarnation, reason, nowNs);
        if (ReasonCode.SILENCE != reason)
        {
            // A fault this node saw in P's stream: its copy is known wrong, whatever others accused P of.
            accusation.streamFault = true;
            accusation.reason = reason;
        }
        if (!accusation.selfAccused)
        {
            // The window is this node's accusation's: if others accused first, the rest of theirs may be too short
            // for the nodes that see this same fault to say so.
            accusation.startedNs = nowNs;
            accusation.selfAccused = true;
            accusation.accusers.add(selfNodeId);
            LOG.warn("node {} accuses {}: {} (expected {}, observed {})", ClusterCore.id(selfNodeId), accused,
                ReasonCode.name(reason), expected, observed);
            node.suspect(accused, reason, expected, observed);
        }
    }

    /**
     * Another member accuses a member.
     */
    void onSuspect(final long accuserId, final long accusedId, final long accusedIncarnation, final int reason,
        final long nowNs)
    {
        if (accusedId == selfNodeId)
        {
            LOG.warn("node {} is accused by {}: {}", ClusterCore.id(selfNodeId), ClusterCore.id(accuserId),
                ReasonCode.name(reason));
            return;
        }
        if (accusation(accusedId, accusedIncarnation, reason, nowNs).accusers.add(accuserId))
        {
            LOG.info("node {}: {} accuses {} ({})", ClusterCore.id(selfNodeId), ClusterCore.id(accuserId),
                ClusterCore.id(accusedId), ReasonCode.name(reason));
        }
    }

    /**
     * Forgets a member that left or was evicted.
     */
    void forget(final long memberId)
    {
        accusations.remove(memberId);
    }

    /**
     * This node's duty cycle stalled: timers that ran meanwhile must not count against the others.
     */
    void onResumedFromPause(final List<Member> members, final long nowNs, final long stalledNs)
    {
        LOG.warn("node {} resumed after a {} ms stall: restarting silence timers", ClusterCore.id(selfNodeId),
            stalledNs / 1_000_000);
        for (int i = 0, size = members.size(); i < size; i++)
        {
            members.get(i).lastHeardNs = nowNs;
        }
        // Silence timers ran while this node slept: forget those accusations. A fault it saw in a stream is a
        // fact, not a timer: that accusation stays, or the copy it knows is wrong would be kept for good.
        final Long2ObjectHashMap<Accusation>.ValueIterator it = accusations.values().iterator();
        while (it.hasNext())
        {
            if (!it.next().streamFault)
            {
                it.remove();
            }
        }
        minoritySinceNs = -1;
    }

    private Accusation accusation(final long accusedId, final long incarnation, final int reason, final long nowNs)
    {
        Accusation accusation = accusations.get(accusedId);
        if (null == accusation || accusation.accusedIncarnation != incarnation)
        {
            accusation = new Accusation(accusedId, incarnation, reason, nowNs);
            accusations.put(accusedId, accusation);
        }
        return accusation;
    }

    /**
     * Looks for silent members and decides accusations whose window ended or that reached a majority.
     *
     * @return the amount of work done.
     */
    int tick(final long nowNs)
    {
        final List<Member> members = node.members();
        int workCount = detectSilence(members, nowNs);
        final int side = checkPartition(members, nowNs);
        if (SIDE_EVICTED == side)
        {
            return workCount + 1;
        }
        if (accusations.isEmpty())
        {
            return workCount;
        }

        final int memberCount = members.size();
        decided.clear();
        for (final Accusation accusation : accusations.values())
        {
            final Member accused = find(members, accusation.accusedId);
            if (null == accused || accused.incarnation != accusation.accusedIncarnation)
            {
                decided.add(accusation);
                continue;
            }
            if (ReasonCode.SILENCE == accusation.reason && !accusation.streamFault &&
                accused.lastHeardNs > accusation.startedNs)
            {
                // Heard again since: the silence ended (a pause just under the timeout, a late heartbeat).
                decided.add(accusation);
                continue;
            }
            if (SIDE_LOSING == side && ReasonCode.SILENCE == accusation.reason)
            {
                // Silence on a side that would lose a partition: evicting the other side would split the cluster.
                continue;
            }
            // Silence is voted on by the members this side still hears (and the accused): members beyond a
            // partition cannot vote, and the split strategy already said this side survives. Under keep-majority
            // the count is the same; under keep-oldest or static-quorum a smaller surviving side can then evict
            // the side that left, instead of keeping it as members for ever.
            final int voters = ReasonCode.SILENCE == accusation.reason ?
                heardOthers + (isHeard(accused, nowNs) ? 0 : 1) : memberCount;
            // A fault in P's stream needs a majority of the whole cluster (P included): with a majority of the
            // others only, two halves of a cluster that lost frames of each other (a short partition) would each
            // evict the other half and run on as two clusters.
            final int majority = ReasonCode.SILENCE == accusation.reason ? voters / 2 + 1 : (voters + 1) / 2 + 1;
            final int accusers = countAccusers(accusation, members);
            final boolean windowEnded = nowNs - accusation.startedNs >= context.suspicionTimeoutNs();
            if (1 == voters && accusation.selfAccused)
            {
                // Silence in a true cluster of two is decided at once; one node left hearing only itself on a side
                // that survives waits out the window like the other side, which is deciding to leave.
                if (windowEnded || ReasonCode.SILENCE == accusation.reason && 1 == memberCount)
                {
                    decided.add(accusation);
                    if (ReasonCode.SILENCE == accusation.reason)
                    {
                        node.evict(accused, accusation.reason);
                    }
                    else
                    {
                        node.evictSelf(ReasonCode.FALSE_ACCUSATION, "in a cluster of two, this node's copy of " +
                            accused + " is the broken one (" + ReasonCode.name(accusation.reason) + ")");
                        return workCount + 1;
                    }
                }
            }
            else if (accusers >= majority && (windowEnded || ReasonCode.SILENCE != accusation.reason))
            {
                decided.add(accusation);
                LOG.warn("node {}: {} of {} members accuse {} ({}): evicting it", ClusterCore.id(selfNodeId),
                    accusers, voters, accused, ReasonCode.name(accusation.reason));
                node.evict(accused, accusation.reason);
            }
            else if (windowEnded && accusation.selfAccused && 1 == accusers && !accusation.streamFault &&
                nowNs - accusation.startedNs < context.suspicionTimeoutNs() + context.heartbeatTimeoutNs())
            {
                // Alone in hearing nothing from P, so far: the others' silence timers started from the last frame
                // of P each of them read, which a backlog of frames can delay by seconds after a crash. Until they
                // have had a whole heartbeat timeout more, being first is no evidence that this node's receive path
                // is the broken one (a node that hears no one at all is taken out by the partition rule anyway).
                continue;
            }
            else if (windowEnded)
            {
                decided.add(accusation);
                if (accusation.selfAccused && (1 == accusers || ReasonCode.SILENCE != accusation.reason))
                {
                    // Not confirmed by a majority: the others see P healthy, so this node's copy of P (or its
                    // receive path) is the broken one, whether it accused alone or, for a fault in P's stream,
                    // with a minority: keeping the copy would serve a known-wrong view. A minority that hears
                    // nothing from P keeps asking instead: members that crashed too, or joined too recently to
                    // have timed out, cannot vote yet.
                    node.evictSelf(ReasonCode.FALSE_ACCUSATION, (accusers == 1 ? "this node alone accused " :
                        "only " + accusers + " of " + voters + " members accused ") + accused + " (" +
                        ReasonCode.name(accusation.reason) + "): its own copy or receive path is the broken one");
                    return workCount + 1;
                }
                LOG.info("node {}: accusation of {} ({}) not confirmed by a majority ({} of {}): dropped",
                    ClusterCore.id(selfNodeId), accused, ReasonCode.name(accusation.reason), accusers, voters);
            }
        }
        for (int i = 0, size = decided.size(); i < size; i++)
        {
            final Accusation accusation = decided.get(i);
            if (accusations.get(accusation.accusedId) == accusation)
            {
                accusations.remove(accusation.accusedId);
            }
            workCount++;
        }
        return workCount;
    }

    private int detectSilence(final List<Member> members, final long nowNs)
    {
        int workCount = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs - member.addedNs < context.joinTimeoutNs() &&
                !accusedByOthers(member))
            {
                // Never heard since subscribing: the link is being (re)established; joining has its own bound.
                // Unless others accuse it already: then this node's silence confirms theirs, and withholding its
                // vote would let members that crashed, with joiners counted as voters, never be evicted.
                continue;
            }
            if (nowNs - member.lastHeardNs > context.heartbeatTimeoutNs())
            {
                final Accusation existing = accusations.get(member.nodeId);
                if (null == existing || !existing.selfAccused)
                {
                    onLocalFault(member, ReasonCode.SILENCE, member.lastHeardNs, nowNs, nowNs);
                    workCount++;
                }
            }
        }
        return workCount;
    }

    private boolean accusedByOthers(final Member member)
    {
        final Accusation accusation = accusations.get(member.nodeId);
        return null != accusation && accusation.accusedIncarnation == member.incarnation &&
            !accusation.accusers.isEmpty();
    }

    /**
     * Evicts this node when the members it still hears would lose under the split strategy for a whole window.
     *
     * @return {@link #SIDE_SURVIVES}, {@link #SIDE_LOSING} (waiting out the window) or {@link #SIDE_EVICTED}.
     */
    private boolean isHeard(final Member member, final long nowNs)
    {
        return nowNs - member.lastHeardNs <= context.heartbeatTimeoutNs();
    }

    private int checkPartition(final List<Member> members, final long nowNs)
    {
        // The side is weighed in the membership both sides of a partition knew when it began: the members added
        // before the first silent member was last heard. A member added since may be known to this side only (let
        // in while the other side could no longer learn of it), so it counts neither on this side nor in the
        // cluster's size. Invariant: the side and the size are counted in the same view, one that every side of
        // the partition shares. Counting a late member in the size but not on the side weighs this side in a view
        // no node has: a majority side that let a node in during the few ms before the silence showed would see
        // itself as 2 of 4, lose the tie to the oldest member and evict itself, while the lone node beyond the
        // partition, which learnt of the newcomer too, counts 3 of 4 and keeps running. In one shared view,
        // keep-majority and keep-oldest give exactly one of two complementary sides the win, so at most one side
        // believes it wins; static-quorum ignores the cluster's size.
        long silenceSinceNs = Long.MAX_VALUE;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (!isHeard(member, nowNs))
            {
                silenceSinceNs = Math.min(silenceSinceNs, member.lastHeardNs);
            }
        }
        int heard = 1;
        int knownBefore = 1;
        long oldestIncarnation = selfIncarnation;
        long oldestId = selfNodeId;
        boolean oldestHeard = true;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (member.addedNs > silenceSinceNs)
            {
                continue;
            }
            knownBefore++;
            final boolean isHeard = isHeard(member, nowNs);
            if (isHeard)
            {
                heard++;
            }
            if (member.incarnation < oldestIncarnation ||
                member.incarnation == oldestIncarnation && Long.compareUnsigned(member.nodeId, oldestId) < 0)
            {
                oldestIncarnation = member.incarnation;
                oldestId = member.nodeId;
                oldestHeard = isHeard;
            }
        }
        final boolean holdsOldest = oldestHeard;
        heardOthers = heard - 1;
        final int clusterSize = knownBefore;
        if (heard == clusterSize)
        {
            if (minoritySinceNs >= 0 || splitSurvivalLogged)
            {
                LOG.info("node {} hears every one of the {} members again", ClusterCore.id(selfNodeId), clusterSize);
            }
            minoritySinceNs = -1;
            splitSurvivalLogged = false;
            return SIDE_SURVIVES;
        }
        if (context.splitStrategy().survives(heard, clusterSize, holdsOldest, context.minimumNodes()))
        {
            if (!splitSurvivalLogged)
            {
                // One line per split decision, not per duty cycle.
                splitSurvivalLogged = true;
                LOG.warn("node {} hears {} of {} members: this side survives under {}{}", ClusterCore.id(selfNodeId),
                    heard, clusterSize, context.splitStrategy().propertyValue(),
                    minoritySinceNs >= 0 ? " (it was losing before)" : "");
            }
            minoritySinceNs = -1;
            return SIDE_SURVIVES;
        }
        splitSurvivalLogged = false;
        if (minoritySinceNs < 0)
        {
            minoritySinceNs = nowNs;
            LOG.warn("node {} hears {} of {} members: losing side under {} unless that changes within {} ms",
                ClusterCore.id(selfNodeId), heard, clusterSize, context.splitStrategy().propertyValue(),
                context.suspicionTimeoutNs() / 1_000_000);
            return SIDE_LOSING;
        }
        if (nowNs - minoritySinceNs < context.suspicionTimeoutNs())
        {
            return SIDE_LOSING;
        }
        node.evictSelf(ReasonCode.PARTITION, "this side of a partition holds " + heard + " of " + clusterSize +
            " members and loses under " + context.splitStrategy().propertyValue());
        return SIDE_EVICTED;
    }

    /**
     * An eviction this node never received (sent while a partition or a pause kept it away) still shows: the
     * members it hears no longer list it in their heartbeats. When most of those it hears have not listed it for
     * a whole suspicion window, it is out, and stops.
     *
     * @return 1 if this node evicted itself, else 0.
     */
    int checkStillListed(final long nowNs)
    {
        final List<Member> members = node.members();
        int unlisting = 0;
        int heard = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (nowNs - member.lastHeardNs <= context.heartbeatTimeoutNs())
            {
                heard++;
                unlisting += member.listsSelf ? 0 : 1;
            }
        }
        // Among the members it hears (those silent say nothing either way), most no longer list it.
        if (2 * unlisting <= heard)
        {
            unlistedSinceNs = -1;
            return 0;
        }
        if (unlistedSinceNs < 0)
        {
            unlistedSinceNs = nowNs;
            return 0;
        }
        if (nowNs - unlistedSinceNs < context.suspicionTimeoutNs())
        {
            return 0;
        }
        node.evictSelf(ReasonCode.PARTITION, unlisting + " of " + members.size() + " members no longer list this " +
            "node: it was evicted while it could not hear it");
        return 1;
    }

    private int countAccusers(final Accusation accusation, final List<Member> members)
    {
        int count = accusation.selfAccused ? 1 : 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final long memberId = members.get(i).nodeId;
            if (memberId != accusation.accusedId && accusation.accusers.contains(memberId))
            {
                count++;
            }
        }
        return count;
    }

    private static Member find(final List<Member> members, final long memberId)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (members.get(i).nodeId == memberId)
            {
                return members.get(i);
            }
        }
        return null;
    }
}
