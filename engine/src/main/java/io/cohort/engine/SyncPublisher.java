package io.cohort.engine;

import io.cohort.codec.ClusterEventEncoder;
import io.cohort.codec.CodecLimits;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NodeLeavingEncoder;
import io.cohort.codec.NotificationEncoder;
import io.cohort.codec.ProbeEncoder;
import io.cohort.codec.RoomCountEncoder;
import io.cohort.codec.RoomRemovedEncoder;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.ReplicationWindow;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayQueue;
import org.agrona.collections.LongHashSet;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Everything this node publishes on its sync streams: its own rows (coalesced per duty cycle: counts are
 * absolute, so only a room's last value in a cycle travels), its rooms, heartbeats, membership announcements,
 * and notifications routed only to the nodes whose count for the room is above zero.
 * <p>
 * <b>Notifications are all or nothing.</b> A notification goes to every node with subscribers in its room or to
 * none: room is reserved on each of their directed streams before any is claimed, and a destination without credit
 * ({@link NotificationCredit}) refuses the whole route ({@link #REFUSED}), so the caller learns it and nothing was
 * delivered anywhere.
 * <p>
 * Nothing is lost under back-pressure: a row or room that cannot be claimed stays pending and is published on
 * a later cycle, and no heartbeat is sent while anything is pending, because a heartbeat's digest must describe
 * exactly the rows already in the stream before it.
 * <p>
 * <b>Control lane.</b> Membership announcements (cards, leave, evictions, accusations, probe answers) never fail:
 * they are encoded into a {@link ControlQueue} and claimed by {@link #publishControl()} before any row of the
 * cycle, in the order they were queued. A record is sent once its claim is accepted, whatever happened since it
 * was queued: each one states a decision about one incarnation, receivers ignore one about an incarnation older
 * than they hold, and evictions are final, so a late record never undoes a later fact. Two rules keep it exact:
 * a record equal to one still pending is not queued twice, and the leave's last broadcast sequence is written
 * when it is claimed, so it still covers every message before it in the stream.
 */
final class SyncPublisher
{
    static final int CONTROL_RECORDS_PER_NODE = 4;
    /** Returned by {@link #route} when a destination had no credit: nothing was claimed for any node. */
    static final int REFUSED = -1;
    private static final int CONTROL_INITIAL_CAPACITY = 4096;

    private final long nodeId;
    private final long incarnation;
    private final OutboundBatcher outbound;
    private final SubscriptionState state;
    private final ErrorHandler errorHandler;
    private final LongHashSet pendingCounts = new LongHashSet();
    /** The rooms of {@link #pendingCounts} in the order they first changed: published oldest first, so none waits
     * behind rooms that change again and again (counts are absolute: a room queued once carries every change). */
    private final LongArrayQueue countOrder = new LongArrayQueue(1024, 0);
    private final LongHashSet pendingRooms = new LongHashSet();
    private final LongHashSet pendingRoomRemovals = new LongHashSet();
    /** Rooms announced again because this node keeps them in use: published after the counts (see
     * {@link #roomKeptInUse}). */
    private final LongHashSet pendingRoomsKept = new LongHashSet();
    /** Rooms this node holds counts in and does not know: asked for with {@code ROOM_WANTED}. */
    private final LongHashSet pendingRoomsWanted = new LongHashSet();
    /** Whether the last {@link #publishRooms} stopped at a closed window or a full stream. */
    private boolean roomsBlocked;
    /** Room creations and removals made by this node; see {@link #roomChanges()}. */
    private long roomChanges;
    private long roomsWanted;
    private long roomsAnnouncedAgain;
    private final LongConsumer collectRouteOwner = this::collectRouteOwner;
    /** The other nodes with subscribers in the room being routed: filled by one pass over the room's counts. */
    private final long[] routeOwners;
    private int routeOwnerCount;
    private final HeartbeatEncoder heartbeatEncoder;
    private final RoomCountEncoder roomCountEncoder = new RoomCountEncoder();
    private final RoomRemovedEncoder roomRemovedEncoder = new RoomRemovedEncoder();
    private final NotificationEncoder notificationEncoder;
    private final ClusterEventEncoder clusterEventEncoder;
    private final NodeLeavingEncoder nodeLeavingEncoder = new NodeLeavingEncoder();
    private final ProbeEncoder probeEncoder = new ProbeEncoder();
    private final byte[] publicKey;
    private final ControlQueue control;
    private ReplicationWindow window;
    private List<Member> coveredStreams = List.of();
    private RoomHistory roomHistory;
    private long controlQueued;
    private long controlSent;
    private long controlOverflows;
    private final NotificationCredit notificationCredit;
    // Null unless the listener opted in (a latency tool): the hot path then pays one null check.
    private final LatencyStageObserver stageObserver;

    SyncPublisher(
        final CohortContext context,
        final OutboundBatcher outbound,
        final SubscriptionState state,
        final ErrorHandler errorHandler,
        final byte[] publicKey)
    {
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.outbound = outbound;
        this.state = state;
        this.errorHandler = errorHandler;
        this.publicKey = publicKey;
        this.heartbeatEncoder = new HeartbeatEncoder(context.codecLimits());
        this.notificationEncoder = new NotificationEncoder(context.codecLimits());
        this.clusterEventEncoder = new ClusterEventEncoder(context.codecLimits());
        this.control = new ControlQueue(CONTROL_INITIAL_CAPACITY, maxControlRecords(context.codecLimits()));
        // Only nodes holding counts (at most maxNodes owners, this one included) are ever routed to.
        this.notificationCredit = new NotificationCredit(state.context().maxNodes());
        this.routeOwners = new long[state.context().maxNodes()];
        this.stageObserver = NodeStatusListener.stageObserverOf(context.listener());
    }

    /**
     * The bound of the control lane. Every record pending is about one node of the cluster (at most
     * {@code maxMembers} besides this one): its card (joined or introduced), one accusation, one eviction (a
     * repeat of a pending eviction is not queued twice) and one answer to its probe while it is alone. A queue
     * that holds more has had its broadcast claims refused for longer than any of that can explain.
     */
    static int maxControlRecords(final CodecLimits limits)
    {
        return CONTROL_RECORDS_PER_NODE * (limits.maxMembers() + 1);
    }

    /**
     * The members whose streams a room removal covers ({@link CoveredCreations}): as far as this node has applied
     * each, at the moment the removal is claimed. Without them (a publisher on its own) a removal covers nothing.
     *
     * @param members the core's list of members (read only here).
     */
    void coveredStreams(final List<Member> members)
    {
        this.coveredStreams = members;
    }

    /**
     * Where this node's room changes get their sequence once published; without it (a publisher on its own) nothing
     * is told.
     *
     * @param roomHistory the rooms' recent changes applied here.
     */
    void roomHistory(final RoomHistory roomHistory)
    {
        this.roomHistory = roomHistory;
    }

    /**
     * Gates the rows on a replication window: they are claimed only while it is open, and coalesce meanwhile.
     *
     * @param window the window over this node's broadcast stream, or null for none.
     */
    void flowWindow(final ReplicationWindow window)
    {
        this.window = window;
    }

    void countChanged(final long roomId)
    {
        if (pendingCounts.add(roomId))
        {
            countOrder.offerLong(roomId);
        }
    }

    void roomCreated(final long roomId)
    {
        roomChanges++;
        pendingRoomRemovals.remove(roomId);
        pendingRooms.add(roomId);
    }

    void roomRemoved(final long roomId)
    {
        roomChanges++;
        pendingRooms.remove(roomId);
        pendingRoomsKept.remove(roomId);
        pendingRoomRemovals.add(roomId);
    }

    /**
     * A room a member removed while this node has subscribers in it: announced again, after this node's pending
     * counts, so that a node that applies the announcement already holds this node's count above zero, and refuses
     * the member's removal should it arrive later on the member's own stream ({@link ReplicaApplier}).
     */
    void roomKeptInUse(final long roomId)
    {
        announceRoomAgain(roomId);
    }

    /**
     * A room present here announced again as this node's creation ({@code ROOM_CREATED} with its metadata, dropped
     * if the room is gone by the time it is claimed): kept in use ({@link #roomKeptInUse}), or last made here by a
     * member a view has removed ({@link RemovedMemberRooms}). Counted in {@link #roomsAnnouncedAgain}.
     */
    void announceRoomAgain(final long roomId)
    {
        roomChanges++;
        if (pendingRoomsKept.add(roomId))
        {
            roomsAnnouncedAgain++;
        }
    }

    /**
     * A removal of a room absent here published again as this node's own ({@code ROOM_REMOVED} with how far this node
     * has applied each stream): the last change here of a room by a member a view has removed
     * ({@link RemovedMemberRooms}). Counted in {@link #roomsAnnouncedAgain}.
     */
    void republishRemoval(final long roomId)
    {
        roomRemoved(roomId);
        roomsAnnouncedAgain++;
    }

    /**
     * A member's creation of a room was applied here: a removal of the room made here and not yet published (the
     * window held it) is dropped. Published after the creation, it would remove the room on every node that applied
     * the creation, while this node holds it again.
     */
    void roomCreatedByMember(final long roomId)
    {
        pendingRoomRemovals.remove(roomId);
    }

    /**
     * A member's count went above 0 in a room this node does not know: the nodes with subscribers in it are asked to
     * announce it again, unless it is known by the time the request is claimed.
     */
    void roomWanted(final long roomId)
    {
        if (pendingRoomsWanted.add(roomId))
        {
            roomsWanted++;
        }
    }

    /**
     * @return rooms this node asked for since launch ({@link #roomWanted}).
     */
    long roomsWanted()
    {
        return roomsWanted;
    }

    /**
     * @return rooms this node announced again since launch ({@link #announceRoomAgain}, {@link #republishRemoval}).
     */
    long roomsAnnouncedAgain()
    {
        return roomsAnnouncedAgain;
    }

    /**
     * Rooms this node created or removed itself in this incarnation. While there is none, its snapshot need not carry
     * the room table to a member whose table is otherwise complete: no room change of this node can be missing there.
     *
     * @return the number of room changes made here.
     */
    long roomChanges()
    {
        return roomChanges;
    }

    boolean hasPending()
    {
        return !pendingCounts.isEmpty() || !pendingRooms.isEmpty() || !pendingRoomRemovals.isEmpty() ||
            !pendingRoomsKept.isEmpty() || !pendingRoomsWanted.isEmpty();
    }

    /**
     * @return the credit notifications are routed under, with its counters.
     */
    NotificationCredit notificationCredit()
    {
        return notificationCredit;
    }

    /**
     * The sequence of the last message claimed on the broadcast stream: a snapshot of this node's rows taken now
     * contains every change up to it.
     */
    long lastClaimedBroadcastSequence()
    {
        return outbound.nextBroadcastSequence() - 1;
    }

    /**
     * Publishes pending rooms, then counts, then rooms announced again ({@link #roomKeptInUse}), then room removals,
     * then requests for rooms wanted ({@link #roomWanted}), as far as the stream and the replication window accept
     * them. While the window is closed nothing is claimed and the pending sets keep coalescing: a room
     * changed any number of times meanwhile leaves as one message carrying its latest state.
     *
     * @return the number of messages claimed.
     */
    int publishPending()
    {
        // Once per cycle, after the last flush: callers see which destinations drained or filled up since.
        notificationCredit.refresh(outbound);
        int published = publishRooms(pendingRooms, MessageType.ROOM_CREATED);
        if (roomsBlocked)
        {
            return published;
        }
        while (!countOrder.isEmpty())
        {
            final long roomId = countOrder.peekLong();
            if (windowClosed())
            {
                return published;
            }
            final int at = outbound.claimBroadcast(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
            if (OutboundBatcher.NO_SPACE == at)
            {
                return published;
            }
            final long count = state.localCount(roomId);
            roomCountEncoder.wrap(outbound.broadcastBuffer(), at).roomId(roomId).count(count);
            if (null != stageObserver)
            {
                // The claim has numbered the message: it is the one before the next.
                stageObserver.onCountEncoded(roomId, count, outbound.nextBroadcastSequence() - 1);
            }
            countOrder.pollLong();
            pendingCounts.remove(roomId);
            published++;
        }
        published += publishRooms(pendingRoomsKept, MessageType.ROOM_CREATED);
        if (roomsBlocked)
        {
            return published;
        }
        published += publishRooms(pendingRoomRemovals, MessageType.ROOM_REMOVED);
        if (roomsBlocked)
        {
            return published;
        }
        published += publishRooms(pendingRoomsWanted, MessageType.ROOM_WANTED);
        return published;
    }

    /**
     * Claims a message of the type for each room of the set, as far as the window and the stream accept them
     * ({@link #roomsBlocked} says whether they stopped it): a {@code ROOM_CREATED} carries the room's metadata and is
     * dropped if the room no longer exists here; a {@code ROOM_WANTED} is dropped if the room is known by now; a
     * {@code ROOM_REMOVED} carries how far this node has applied each member's stream ({@link CoveredCreations}).
     */
    private int publishRooms(final LongHashSet rooms, final int type)
    {
        roomsBlocked = false;
        int published = 0;
        if (rooms.isEmpty())
        {
            return published;
        }
        final boolean announce = MessageType.ROOM_CREATED == type;
        final LongHashSet.LongIterator it = rooms.iterator();
        while (it.hasNext())
        {
            final long roomId = it.nextValue();
            final int metadataLength = MessageType.ROOM_REMOVED == type ? 0 : state.roomMetadataLength(roomId);
            if (outdated(type, metadataLength))
            {
                it.remove();
                continue;
            }
            if (windowClosed())
            {
                roomsBlocked = true;
                return published;
            }
            final boolean removal = MessageType.ROOM_REMOVED == type;
            final int coveredCount = removal ? CoveredCreations.coveredCount(coveredStreams) : 0;
            final int bodyLength = removal ? RoomRemovedEncoder.bodyLength(coveredCount) :
                Long.BYTES + (announce ? metadataLength : 0);
            final int at = outbound.claimBroadcast(type, bodyLength);
            if (OutboundBatcher.NO_SPACE == at)
            {
                roomsBlocked = true;
                return published;
            }
            final MutableDirectBuffer target = outbound.broadcastBuffer();
            target.putLong(at, roomId, FrameLayout.BYTE_ORDER);
            if (announce)
            {
                state.copyRoomMetadata(roomId, target, at + Long.BYTES);
                if (null != roomHistory)
                {
                    roomHistory.onOwnChangePublished(roomId, false, lastClaimedBroadcastSequence());
                }
            }
            else if (removal)
            {
                CoveredCreations.writeCovered(coveredStreams, roomRemovedEncoder.wrap(target, at), coveredCount);
                if (null != roomHistory)
                {
                    roomHistory.onOwnChangePublished(roomId, true, lastClaimedBroadcastSequence());
                }
            }
            it.remove();
            published++;
        }
        return published;
    }

    /**
     * Whether a pending room message has nothing left to say: an announcement of a room gone since, or a request for
     * a room known since ({@code metadataLength} is -1 for a room unknown here).
     */
    private static boolean outdated(final int type, final int metadataLength)
    {
        switch (type)
        {
            case MessageType.ROOM_CREATED:
                return metadataLength < 0;
            case MessageType.ROOM_WANTED:
                return metadataLength >= 0;
            default:
                return false;
        }
    }

    private boolean windowClosed()
    {
        return null != window && !window.isOpen();
    }

    /**
     * Claims a heartbeat: the last broadcast sequence (its own), the digest of this node's rows, the membership
     * view, and the last sequence sent on each directed stream.
     *
     * @param nowNs        the current time.
     * @param view         the membership the heartbeat describes.
     * @param flags        heartbeat flags.
     * @param heartbeatSeq the heartbeat sequence it carries: the one just sent on the liveness path, or, for a
     *                     heartbeat the stream refused then, the latest sent since (an echo of it proves a receipt
     *                     after its send time, which is all the lease asks).
     * @return false if nothing was claimed (control pending, or back-pressure): try again next cycle.
     */
    boolean sendHeartbeat(final long nowNs, final HeartbeatView view, final int flags, final long heartbeatSeq)
    {
        // Control first (it is never held back). Rows the window holds back do not hold the heartbeat back: a lease
        // and the others' silence timers must not depend on the replication window; the heartbeat then says its
        // digest covers rows not yet sent, and receivers skip that check.
        if (!control.isEmpty())
        {
            return false;
        }
        final int memberCount = view.entryCount();
        final int directedCount = outbound.destinationCount();
        final int at = outbound.claimBroadcast(
            MessageType.HEARTBEAT, HeartbeatEncoder.computeLength(memberCount, directedCount));
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        final HeartbeatEncoder heartbeat = heartbeatEncoder.wrap(outbound.broadcastBuffer(), at)
            .sendTimeNs(nowNs)
            .lastBroadcastSequence(outbound.nextBroadcastSequence() - 1)
            .stateDigest(state.ownerDigest(nodeId))
            .flags(hasPending() ? flags | HeartbeatDecoder.FLAG_ROWS_PENDING : flags);
        writeMembership(heartbeat, view, heartbeatSeq);
        for (int i = 0; i < directedCount; i++)
        {
            final long destination = outbound.destination(i);
            heartbeat.addDirected(destination, outbound.lastSentDirectedSequence(destination));
        }
        return true;
    }

    /**
     * Writes what a heartbeat says of the membership (view, heartbeat sequence, one entry per member), for the
     * heartbeat of the stream and its liveness copy on the command channel alike.
     */
    static void writeMembership(final HeartbeatEncoder heartbeat, final HeartbeatView view, final long heartbeatSeq)
    {
        final int memberCount = view.entryCount();
        heartbeat.view(view.lineage(), view.epoch()).heartbeatSeq(heartbeatSeq).memberCount(memberCount);
        for (int i = 0; i < memberCount; i++)
        {
            heartbeat.member(i, view.entryNodeId(i), view.entryEcho(i), view.entryRowVersion(i), view.entryRow(i));
        }
    }

    /**
     * What a heartbeat says of the membership: the view (lineage, epoch) and one entry per member in view order (its
     * node id, the last heartbeat of it this node received, and its row of unreachable members as this node knows
     * it, with the row's version).
     */
    interface HeartbeatView
    {
        /** @return the lineage of the view this node is in or observes, 0 if none. */
        long lineage();

        /** @return the epoch of that view, 0 if none. */
        long epoch();

        /** @return the number of entries. */
        int entryCount();

        /** @return the node id of an entry. */
        long entryNodeId(int index);

        /** @return the last heartbeat sequence of that node this node received (0 if none, or withheld). */
        long entryEcho(int index);

        /** @return the version of that node's row this node holds (0 if none). */
        long entryRowVersion(int index);

        /** @return that node's row: bit i set if it does not hear the member of rank i. */
        long entryRow(int index);
    }

    /**
     * Queues this node's leave on the control lane; its last broadcast sequence is written when it is claimed
     * (the leave covers every message before it in the stream).
     */
    void announceLeaving()
    {
        final int at = control.append(MessageType.NODE_LEAVING, NodeLeavingEncoder.BODY_LENGTH);
        if (ControlQueue.NO_SPACE != at)
        {
            nodeLeavingEncoder.wrap(control.buffer(), at).nodeId(nodeId).incarnation(incarnation)
                .lastBroadcastSequence(0);
        }
        commitControl(MessageType.NODE_LEAVING, at);
    }

    /**
     * Queues the answer to a probe on the control lane.
     */
    void probe(final long requesterNodeId, final long nonce)
    {
        final int at = control.append(MessageType.PROBE, ProbeEncoder.BODY_LENGTH);
        if (ControlQueue.NO_SPACE != at)
        {
            probeEncoder.wrap(control.buffer(), at).requesterNodeId(requesterNodeId).nonce(nonce);
        }
        commitControl(MessageType.PROBE, at);
    }

    private void commitControl(final int type, final int at)
    {
        if (ControlQueue.NO_SPACE == at)
        {
            controlOverflows++;
            errorHandler.onError(new IllegalStateException("control message type " + type + " refused: " +
                control.maxRecords() + " control messages already pending (the broadcast stream has refused " +
                "claims for longer than the membership can account for)"));
            return;
        }
        if (ControlQueue.DUPLICATE != control.commit())
        {
            controlQueued++;
        }
    }

    /**
     * Claims the pending control records on the broadcast stream, oldest first, as far as it accepts them; run
     * before any row is claimed in a cycle, so control never waits behind data. A refused claim leaves the record
     * (and every later one, keeping their order) for the next cycle.
     *
     * @return the number of records claimed.
     */
    int publishControl()
    {
        int published = 0;
        while (!control.isEmpty())
        {
            final int type = control.headType();
            final int length = control.headLength();
            final int at = outbound.claimBroadcast(type, length);
            if (OutboundBatcher.NO_SPACE == at)
            {
                return published;
            }
            final MutableDirectBuffer target = outbound.broadcastBuffer();
            target.putBytes(at, control.buffer(), control.headBodyOffset(), length);
            if (MessageType.NODE_LEAVING == type)
            {
                nodeLeavingEncoder.wrap(target, at).lastBroadcastSequence(outbound.nextBroadcastSequence() - 1);
            }
            control.removeHead();
            controlSent++;
            published++;
        }
        return published;
    }

    /**
     * @return control records queued since start (a record equal to one still pending is not counted again).
     */
    long controlQueued()
    {
        return controlQueued;
    }

    /**
     * @return control records claimed on the broadcast stream since start.
     */
    long controlSent()
    {
        return controlSent;
    }

    /**
     * @return control records waiting for the broadcast stream.
     */
    int controlPending()
    {
        return control.size();
    }

    /**
     * @return control records refused because {@link ControlQueue#maxRecords()} were already pending.
     */
    long controlOverflows()
    {
        return controlOverflows;
    }

    /**
     * Routes a notification to exactly the nodes whose count for the room is above zero, all of them or none: room
     * is reserved on each one's directed stream first, and if one of them has no credit (its notification window is
     * closed, or its stream holds a frame the sink refused) or no stream yet (its subscription has not reached this
     * node), nothing is claimed for any, the refusal is counted and that node is marked without credit for callers.
     * Allocation-free.
     *
     * @return the number of other nodes it was sent to, or {@link #REFUSED}.
     */
    int route(final long roomId, final DirectBuffer payload, final int offset, final int length)
    {
        final int bodyLength = NotificationEncoder.computeLength(length);
        routeOwnerCount = 0;
        state.forEachOwnerWithSubscribers(roomId, collectRouteOwner);
        final int owners = routeOwnerCount;
        for (int i = 0; i < owners; i++)
        {
            final long owner = routeOwners[i];
            if (!outbound.hasDestination(owner) || !outbound.reserveDirected(owner, bodyLength))
            {
                notificationCredit.onRefused(owner);
                return REFUSED;
            }
        }
        // Invariant: every stream below was reserved for this body and nothing touched it since, so no claim fails.
        for (int i = 0; i < owners; i++)
        {
            final long owner = routeOwners[i];
            final int at = outbound.claimDirected(owner, MessageType.NOTIFICATION, bodyLength);
            if (OutboundBatcher.NO_SPACE == at)
            {
                throw new IllegalStateException("node " + ClusterCore.id(owner) + " refused a reserved claim");
            }
            notificationEncoder.wrap(outbound.directedBuffer(owner), at)
                .roomId(roomId).payload(payload, offset, length);
        }
        notificationCredit.onRouted(owners);
        return owners;
    }

    private void collectRouteOwner(final long ownerNodeId)
    {
        if (ownerNodeId != nodeId)
        {
            routeOwners[routeOwnerCount++] = ownerNodeId;
        }
    }

    /**
     * Claims a cluster event.
     *
     * @return the offset of its body in {@link OutboundBatcher#broadcastBuffer()}, or
     * {@link OutboundBatcher#NO_SPACE}.
     */
    int broadcastEvent(
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int at = outbound.claimBroadcast(
            MessageType.CLUSTER_EVENT, ClusterEventEncoder.computeLength(nameLength, payloadLength));
        if (OutboundBatcher.NO_SPACE != at)
        {
            clusterEventEncoder.wrap(outbound.broadcastBuffer(), at)
                .name(name, nameOffset, nameLength).payload(payload, payloadOffset, payloadLength);
        }
        return at;
    }
}
