package io.cohort.engine;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * The members accused of lagging (an owner measured them behind its stream past {@code cohort.flow.lagging.after}
 * and asked the view to remove them, {@link Membership#accuseLagging}), as this node knows them: by whom, in which
 * incarnation, and when the accusation was last renewed. An accuser renews every heartbeat interval while the lag
 * lasts, so an accusation not renewed for a heartbeat timeout has ended (the replica caught up, or the accuser went).
 * <p>
 * What it guarantees: a laggard is removed only on the word of an accuser that is itself neither accused nor leaving,
 * and still a survivor of the view being proposed; an accusation outlives neither its subject's incarnation nor its
 * accuser's membership. Allocates only when a new accusation is recorded. Not thread safe: the node's thread only.
 */
final class LaggingAccusations
{
    private final Long2ObjectHashMap<Accusation> bySubject = new Long2ObjectHashMap<>();

    /**
     * Records an accusation, or renews the one of the same incarnation (several owners may measure the same laggard:
     * the first accuser stays on record, any of them renews).
     *
     * @return true if the accusation is new (not a renewal).
     */
    boolean record(final long subjectId, final long subjectIncarnation, final long accuserId, final long nowNs)
    {
        final Accusation known = bySubject.get(subjectId);
        if (null == known || known.incarnation != subjectIncarnation)
        {
            bySubject.put(subjectId, new Accusation(subjectIncarnation, accuserId, nowNs));
            return true;
        }
        known.renewedNs = nowNs;
        return false;
    }

    /**
     * @return true if no accusation stands.
     */
    boolean isEmpty()
    {
        return bySubject.isEmpty();
    }

    /**
     * Whether a member is accused of lagging by a member that is not itself accused.
     */
    boolean isAccused(final long memberId)
    {
        final Accusation accusation = bySubject.get(memberId);
        return null != accusation && !bySubject.containsKey(accusation.accuserId);
    }

    /**
     * Whether the member at a rank may be removed as a laggard: accused in the incarnation the view lists, by a
     * survivor that is neither accused nor leaving.
     *
     * @param view      the installed view.
     * @param rank      the member's rank in it.
     * @param survivors the ranks of the proposed view's survivors.
     * @param leavers   the members leaving.
     */
    boolean isRemovable(final View view, final int rank, final long survivors, final LongHashSet leavers)
    {
        final ViewMember listed = view.member(rank);
        final Accusation accusation = bySubject.get(listed.nodeId());
        if (null == accusation || accusation.incarnation != listed.incarnation() ||
            bySubject.containsKey(accusation.accuserId) || leavers.contains(accusation.accuserId))
        {
            return false;
        }
        final int accuserRank = view.rankOf(accusation.accuserId);
        return accuserRank >= 0 && 0 != (survivors & (1L << accuserRank));
    }

    /**
     * Drops the accusations not renewed for a heartbeat timeout.
     */
    void expire(final long nowNs, final long heartbeatTimeoutNs)
    {
        if (bySubject.isEmpty())
        {
            return;
        }
        final Long2ObjectHashMap<Accusation>.ValueIterator it = bySubject.values().iterator();
        while (it.hasNext())
        {
            if (nowNs - it.next().renewedNs > heartbeatTimeoutNs)
            {
                it.remove();
            }
        }
    }

    /**
     * A view was installed: an accusation of an incarnation it no longer lists, or by a node it does not list, ends.
     */
    void retainMembersOf(final View next)
    {
        final Long2ObjectHashMap<Accusation>.EntryIterator it = bySubject.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            final Accusation accusation = it.getValue();
            if (!next.contains(it.getLongKey(), accusation.incarnation) || next.rankOf(accusation.accuserId) < 0)
            {
                it.remove();
            }
        }
    }

    /**
     * A member accused of lagging: by whom, and when the accuser last renewed it.
     */
    private static final class Accusation
    {
        final long incarnation;
        final long accuserId;
        long renewedNs;

        Accusation(final long incarnation, final long accuserId, final long renewedNs)
        {
            this.incarnation = incarnation;
            this.accuserId = accuserId;
            this.renewedNs = renewedNs;
        }
    }
}
