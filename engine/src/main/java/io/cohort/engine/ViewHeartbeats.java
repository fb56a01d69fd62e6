package io.cohort.engine;

import io.cohort.codec.HeartbeatDecoder;

/**
 * The membership side of heartbeats: what each of this node's heartbeats carries of its view (per member, the last
 * heartbeat heard from it, its echo, and the reachability row this node knows with its version), the heartbeat
 * sequence whose send times the {@link Lease} counts, and what a member's heartbeat tells this node: its echo of
 * this node's heartbeats (the lease), the rows it knows (the cut, {@link ReachabilityMatrix}), a later epoch (asked
 * for). {@link Membership} keeps the view itself; {@link Heartbeats} decides when a heartbeat goes out.
 * <p>
 * Single threaded, on the node's thread; reads no clock (time comes in as arguments).
 */
final class ViewHeartbeats implements SyncPublisher.HeartbeatView
{
    private final ClusterCore core;
    private final Membership membership;
    private final ReachabilityMatrix matrix;
    private final Lease lease;
    private final long heartbeatTimeoutNs;
    private final long nodeId;
    private long heartbeatSeq;

    /**
     * @param core               the node's core: its members' records.
     * @param membership         the view (or the observed one) the entries describe.
     * @param matrix             the reachability rows, shared with the membership's cut.
     * @param lease              counts this node's heartbeats' send times and the members' echoes.
     * @param heartbeatTimeoutNs silence after which a member is not heard.
     * @param nodeId             this node's id.
     */
    ViewHeartbeats(
        final ClusterCore core,
        final Membership membership,
        final ReachabilityMatrix matrix,
        final Lease lease,
        final long heartbeatTimeoutNs,
        final long nodeId)
    {
        this.core = core;
        this.membership = membership;
        this.matrix = matrix;
        this.lease = lease;
        this.heartbeatTimeoutNs = heartbeatTimeoutNs;
        this.nodeId = nodeId;
    }

    /**
     * {@inheritDoc}
     */
    public long lineage()
    {
        return membership.lineage();
    }

    /**
     * {@inheritDoc}
     */
    public long epoch()
    {
        return membership.epoch();
    }

    /**
     * @return the sequence the next heartbeat carries.
     */
    long nextHeartbeatSeq()
    {
        return heartbeatSeq + 1;
    }

    /**
     * @return the sequence of the last heartbeat sent (0 before the first).
     */
    long lastHeartbeatSeq()
    {
        return heartbeatSeq;
    }

    /**
     * {@inheritDoc}
     */
    public int entryCount()
    {
        final View view = membership.view();
        return null != view ? view.size() : core.members().size();
    }

    /**
     * {@inheritDoc}
     */
    public long entryNodeId(final int index)
    {
        final View view = membership.view();
        return null != view ? view.member(index).nodeId() : core.members().get(index).nodeId;
    }

    /**
     * {@inheritDoc}
     */
    public long entryEcho(final int index)
    {
        final View view = membership.view();
        final ViewAgreement agreement = membership.agreement();
        final Member member;
        if (null != view)
        {
            final ViewMember listed = view.member(index);
            member = core.member(listed.nodeId());
            if (index == matrix.selfRank() || null == member || member.incarnation != listed.incarnation())
            {
                return 0;
            }
            if (agreement.hasAccepted() && !agreement.acceptedValue().contains(listed.nodeId(), listed.incarnation()))
            {
                // The lease handoff: a member the accepted value removes gets no more echoes from this node, so that
                // its lease ends before the committer's wait does.
                return 0;
            }
        }
        else
        {
            member = core.members().get(index);
        }
        return member.heardHeartbeatSeq;
    }

    /**
     * {@inheritDoc}
     */
    public long entryRowVersion(final int index)
    {
        if (!membership.isMember())
        {
            return 0;
        }
        final long version = matrix.version(index);
        return ReachabilityMatrix.NO_VERSION == version ? 0 : version;
    }

    /**
     * {@inheritDoc}
     */
    public long entryRow(final int index)
    {
        return membership.isMember() ? matrix.row(index) : 0;
    }

    /**
     * Called just before a heartbeat is encoded: this node's own row goes out under the heartbeat's sequence.
     */
    void beforeHeartbeat(final long nowNs)
    {
        if (membership.isMember())
        {
            matrix.setOwnRow(ownRow(nowNs), heartbeatSeq + 1, nowNs);
        }
    }

    /**
     * The heartbeat was handed to the stream: its send time counts for the lease.
     */
    void onHeartbeatSent(final long nowNs)
    {
        heartbeatSeq++;
        lease.onHeartbeatSent(heartbeatSeq, nowNs);
    }

    /**
     * A member's heartbeat: its echo of this node's heartbeats (the lease), the rows it knows (the cut), and its
     * epoch (a later one is asked for).
     */
    void onHeartbeat(final Member from, final HeartbeatDecoder heartbeat, final long nowNs)
    {
        if (heartbeat.heartbeatSeq() > from.heardHeartbeatSeq)
        {
            from.heardHeartbeatSeq = heartbeat.heartbeatSeq();
        }
        if (0 != (heartbeat.flags() & HeartbeatDecoder.FLAG_LAGGING_COPY))
        {
            from.reportedLaggingCopyNs = nowNs;
        }
        final View view = membership.view();
        final View known = null != view ? view : membership.observed();
        if (null == known || heartbeat.lineage() != known.lineage())
        {
            return;
        }
        if (heartbeat.epoch() > known.epoch())
        {
            membership.query(from.nodeId, nowNs);
            return;
        }
        if (null == view || heartbeat.epoch() != view.epoch())
        {
            return;
        }
        final int rank = view.rankOf(from.nodeId);
        if (rank < 0 || view.member(rank).incarnation() != from.incarnation)
        {
            return;
        }
        final int selfIndex = heartbeat.memberIndex(nodeId);
        if (selfIndex >= 0)
        {
            lease.onEcho(rank, heartbeat.memberEchoedHeartbeatSeq(selfIndex));
        }
        // Same epoch, same view: the sender's entry order is the ranks.
        for (int i = 0, count = Math.min(heartbeat.memberCount(), view.size()); i < count; i++)
        {
            final long version = heartbeat.memberRowVersion(i);
            if (version > 0 && heartbeat.member(i) == view.member(i).nodeId())
            {
                matrix.mergeRow(i, heartbeat.memberUnreachableBits(i), version, nowNs);
            }
        }
    }

    /**
     * @return this node's row: the ranks of its view it does not hear (silent past the heartbeat timeout, or a copy
     *         it distrusts), as bits; called only while it is a member.
     */
    long ownRow(final long nowNs)
    {
        final View view = membership.view();
        final int selfRank = matrix.selfRank();
        long row = 0;
        for (int rank = 0, size = view.size(); rank < size; rank++)
        {
            if (rank != selfRank && !hears(view.member(rank), nowNs))
            {
                row |= 1L << rank;
            }
        }
        return row;
    }

    private boolean hears(final ViewMember listed, final long nowNs)
    {
        final Member member = core.member(listed.nodeId());
        return null != member && member.incarnation == listed.incarnation() &&
            nowNs - member.lastHeardNs <= heartbeatTimeoutNs && member.distrustedUntilNs <= nowNs;
    }
}
