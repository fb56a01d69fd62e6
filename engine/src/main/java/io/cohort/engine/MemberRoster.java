package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.Transport;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The other nodes this node syncs, by node id: adding one opens its peer channels, removing one drops its channels
 * and its rows. It also keeps what outlives a member: the incarnations removed for good (a stale view never brings
 * one back) and which incarnations subscribe to this node's directed topics (a subscription may arrive before the
 * node is a member). Other threads read the member list through immutable snapshots published at every change.
 * Not thread safe otherwise: the node's thread only.
 */
final class MemberRoster
{
    private static final Logger LOG = LoggerFactory.getLogger(MemberRoster.class);

    private final long nodeId;
    private final Transport transport;
    private final SubscriptionState state;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    private final Runnable memberDropped;
    private final Long2ObjectHashMap<Member> membersById = new Long2ObjectHashMap<>();
    private final List<Member> members = new ArrayList<>();
    /** Node id of each live subscriber to this node's directed topics, to the incarnation it subscribed as. */
    private final Long2LongHashMap liveSubscribers = new Long2LongHashMap(Long.MIN_VALUE);
    /** Per node id, the last incarnation removed (left or evicted): one entry per node id ever removed. */
    private final Long2LongHashMap removedIncarnations = new Long2LongHashMap(Long.MIN_VALUE);
    private volatile long[] memberIds = new long[0];
    private volatile List<ClusterMember> clusterMembers = List.of();

    /**
     * @param memberDropped told after each member is dropped (removed or forgotten), its rows gone.
     */
    MemberRoster(
        final long nodeId,
        final Transport transport,
        final SubscriptionState state,
        final CohortListener listener,
        final ErrorHandler errorHandler,
        final Runnable memberDropped)
    {
        this.nodeId = nodeId;
        this.transport = transport;
        this.state = state;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.memberDropped = memberDropped;
    }

    /**
     * @return the member with this node id, or null.
     */
    Member member(final long memberId)
    {
        return membersById.get(memberId);
    }

    /**
     * @return the members, in the order they were added; the list itself, for the node's thread only.
     */
    List<Member> members()
    {
        return members;
    }

    /**
     * @return the node ids whose subscription reached this node's publisher, each to the incarnation that subscribed;
     * the map itself, read by the flow control on the node's thread.
     */
    Long2LongHashMap liveSubscribers()
    {
        return liveSubscribers;
    }

    /**
     * @return the members' node ids as of the last change, for any thread.
     */
    long[] memberIds()
    {
        return memberIds;
    }

    /**
     * @return the members and how far each is synced, as of the last change, for any thread.
     */
    List<ClusterMember> clusterMembers()
    {
        return clusterMembers;
    }

    /**
     * Adds a member and opens its peer channels (idempotent for the same incarnation; a new incarnation replaces the
     * old one; an incarnation already removed, or older than the one known, is refused).
     *
     * @return the member (the one known, for its incarnation), or null if it is this node, a refused incarnation, or
     * its channels could not be opened.
     */
    Member add(
        final long memberId,
        final long memberIncarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final long nowNs)
    {
        if (memberId == nodeId)
        {
            return null;
        }
        final Member known = membersById.get(memberId);
        if (null != known && known.incarnation == memberIncarnation)
        {
            return known;
        }
        if (wasRemoved(memberId, memberIncarnation) || null != known && memberIncarnation < known.incarnation)
        {
            // An incarnation that left or was evicted, or older than the one known, named by a stale view (a
            // joiner's member list, a late card): it never comes back.
            return null;
        }
        if (null != known)
        {
            remove(known, ReasonCode.SILENCE, false);
        }
        final Peer peer;
        try
        {
            peer = transport.addPeer(memberId, memberIncarnation, syncEndpoint, commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
        // A new incarnation's directed stream to this node starts at the first sequence: anything lost before
        // the first directed frame is then seen as a gap.
        peer.counters().directedSequence().expect(OutboundBatcher.FIRST_SEQUENCE);
        final Member member = new Member(memberId, memberIncarnation, syncEndpoint, commandEndpoint, peer, nowNs);
        membersById.put(memberId, member);
        members.add(member);
        if (liveSubscribers.get(memberId) == memberIncarnation)
        {
            // Its subscription reached this node before it became a member (e.g. it joined through another node).
            openDirectedStream(member);
        }
        publish();
        LOG.info("node {} subscribed to member {} at {}", ClusterCore.id(nodeId), member, syncEndpoint);
        return member;
    }

    /**
     * Removes a member for good: its channels and rows are dropped, the backend told, and its incarnation is never
     * let back.
     *
     * @param graceful whether it left (else it was evicted, for {@code reason}).
     */
    void remove(final Member member, final int reason, final boolean graceful)
    {
        if (member.incarnation > removedIncarnations.get(member.nodeId))
        {
            removedIncarnations.put(member.nodeId, member.incarnation);
        }
        drop(member, reason, graceful, true);
    }

    /**
     * A joiner stops syncing a member of the view it observed, without holding anything against that incarnation
     * (the view went silent; the joiner looks for the cluster again and may meet the same members).
     */
    void forget(final Member member)
    {
        drop(member, ReasonCode.SILENCE, false, false);
    }

    private void drop(final Member member, final int reason, final boolean graceful, final boolean report)
    {
        membersById.remove(member.nodeId);
        members.remove(member);
        transport.removePeer(member.nodeId);
        transport.outbound().removeDestination(member.nodeId);
        final long rows = state.removeOwner(member.nodeId);
        publish();
        LOG.info("node {} removed member {} ({}): {} rows dropped", ClusterCore.id(nodeId), member,
            graceful ? "left" : ReasonCode.name(reason), rows);
        try
        {
            // A member a view removed is reported whether or not this node had synced it yet; a member of a view a
            // joiner only observed was never the backend's business.
            if (report && graceful)
            {
                listener.onMemberLeft(member.nodeId);
            }
            else if (report)
            {
                listener.onMemberEvicted(member.nodeId, EvictionReason.ofWire(reason));
            }
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
        memberDropped.run();
    }

    /**
     * A member's rows are synced: the snapshots say so, and the backend is told it joined (once per incarnation).
     */
    void onSynced(final Member member)
    {
        publish();
        if (!member.announced)
        {
            member.announced = true;
            try
            {
                listener.onMemberJoined(member.nodeId);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    /**
     * Publishes the snapshots other threads read after a member was added, removed, or synced or unsynced.
     */
    void publish()
    {
        final long[] ids = new long[members.size()];
        final ClusterMember[] views = new ClusterMember[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            final Member member = members.get(i);
            ids[i] = member.nodeId;
            views[i] = new ClusterMember(member.nodeId, member.incarnation, member.syncEndpoint,
                member.commandEndpoint, member.isSynced() ? MemberState.SYNCED : MemberState.SYNCING);
        }
        memberIds = ids;
        clusterMembers = List.of(views);
    }

    /**
     * @return whether this incarnation of a node was removed (left or evicted) from this node's view.
     */
    boolean wasRemoved(final long memberId, final long memberIncarnation)
    {
        return memberIncarnation <= removedIncarnations.get(memberId);
    }

    /**
     * @return whether any member was heard within {@code timeoutNs} of {@code nowNs}.
     */
    boolean anyHeardWithin(final long timeoutNs, final long nowNs)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (nowNs - members.get(i).lastHeardNs <= timeoutNs)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A peer's subscription to this node's stream went live or away. Remembered for nodes not yet members too: the
     * subscription is reported once, and may come first. Only the incarnation a member has here gets its directed
     * stream: the topic names it.
     */
    void onSubscriberChange(final long subscriberNodeId, final long subscriberIncarnation, final boolean subscribed)
    {
        if (subscribed)
        {
            liveSubscribers.put(subscriberNodeId, subscriberIncarnation);
        }
        else if (liveSubscribers.get(subscriberNodeId) == subscriberIncarnation)
        {
            liveSubscribers.remove(subscriberNodeId);
        }
        final Member member = membersById.get(subscriberNodeId);
        if (subscribed && null != member && member.incarnation == subscriberIncarnation)
        {
            openDirectedStream(member);
        }
    }

    private void openDirectedStream(final Member member)
    {
        if (!member.directedStreamOpen)
        {
            transport.outbound().addDestination(member.nodeId);
            member.directedStreamOpen = true;
        }
    }
}
