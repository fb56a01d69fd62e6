package io.cohort.engine;

import io.cohort.codec.CommandStatus;
import io.cohort.codec.SnapshotRequestDecoder;
import io.cohort.state.SnapshotWriter;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves snapshots of this node's own rows (then every room, unless the requester needs none of them) to the
 * members that sync it, in slices: each duty cycle gives the sessions at most the {@link SliceBudget} left, a map
 * segment at a time, so a node serving a joiner keeps heartbeating and serving its own clients. At most
 * {@code cohort.snapshot.max.sessions} requesters are served at once (a further one is answered {@code NOT_READY}
 * and asks again), and a session keeps at most
 * {@code cohort.snapshot.credit} chunks (plus one segment's worth) beyond what its requester reports loaded, so
 * neither side queues a whole snapshot in memory.
 * <p>
 * Rows change between slices: the owner's stream is fuzzy, exact at its end sequence E once the requester has
 * replayed its buffered messages up to E, which the requester proves against the digest at E carried by the last
 * chunk ({@link SnapshotWriter} says why). E is read only when none of this node's changes is left unclaimed, so
 * every change the rows reflect is in the stream at or below E.
 * Not thread safe: the node's thread only.
 */
final class SnapshotServer
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotServer.class);
    private static final int OWNER = 0;
    /** The rows are sent; the rooms wait until this node has applied the streams up to the requester's floors. */
    private static final int AWAITING_FLOORS = 1;
    /** The removals of rooms this node's table lacks are sent, a bounded number of slots per step. */
    private static final int ROOM_REMOVALS = 2;
    private static final int ROOMS = 3;
    private static final int FLUSH = 4;
    /** Slots of the room history looked at per step at most: at most this many removals (32 bytes each). */
    private static final int ROOM_HISTORY_SLOTS_PER_STEP = 256;
    private static final int FRAME_LENGTH_OFFSET = 0;
    private static final int FRAME_OFFSET = Integer.BYTES;

    private final long nodeId;
    private final long incarnation;
    private final int credit;
    private final long idleTimeoutNs;
    private final Transport transport;
    private final SubscriptionState state;
    private final SyncPublisher publisher;
    private final CommandMessages commands;
    private final SliceBudget budget;
    private final RoomTableStreams tableStreams;
    private final RoomHistory roomHistory;
    private final Session[] sessions;
    /**
     * The incarnation of each node that opened a snapshot of this node's rows: from then on every change made here is
     * past that snapshot's start there, so it reaches that node replayed or live ({@link JoinDriver} waits for it).
     */
    private final Long2LongHashMap snapshotsOpened = new Long2LongHashMap(Long.MIN_VALUE);
    private int nextSession;
    private long served;
    private long refused;
    private long dropped;
    private long servedWithoutRooms;
    private long segmentsWritten;

    SnapshotServer(
        final CohortContext context,
        final Transport transport,
        final SubscriptionState state,
        final SyncPublisher publisher,
        final CommandMessages commands,
        final SliceBudget budget,
        final RoomTableStreams tableStreams,
        final RoomHistory roomHistory)
    {
        this.budget = budget;
        this.tableStreams = tableStreams;
        this.roomHistory = roomHistory;
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.credit = context.snapshotCredit();
        this.idleTimeoutNs = context.commandTimeoutNs();
        this.transport = transport;
        this.state = state;
        this.publisher = publisher;
        this.commands = commands;
        sessions = new Session[context.snapshotMaxSessions()];
        for (int i = 0; i < sessions.length; i++)
        {
            sessions[i] = new Session(state, transport, context.codecLimits().maxMembers());
        }
    }

    /**
     * A member asks for a snapshot of this node's rows: opens (or, for a requester already served, restarts) its
     * session, or answers {@code NOT_READY} when every session is taken. Its flags say which rooms follow the rows:
     * <ul>
     * <li>{@code FLAG_NO_ROOMS}: none;</li>
     * <li>{@code FLAG_ROOM_TABLE_COMPLETE}: the requester holds every room but those this node's own operations
     * changed, so the table is sent only if this node ever created or removed a room (a change made after the request
     * is in the stream past S, which the requester replays);</li>
     * <li>otherwise every room, and with {@code FLAG_ROOM_FLOORS} (a joiner's room source) only once this node has
     * applied each floor's stream up to its sequence and every creation its removals undid, after how far it had
     * applied each stream then ({@link RoomTableStreams}; the session waits after the rows; one that waits past
     * {@code cohort.command.timeout} is dropped like any that makes no progress, and the requester asks again).</li>
     * </ul>
     * A table sent goes with how far this node had applied each stream and its records of the removals of rooms the
     * table lacks ({@link RoomHistory#forEachRemoval}, a bounded number of slots per step), in chunks of their own
     * before the rooms.
     */
    void onRequest(final byte[] routingId, final long requesterId, final long requesterIncarnation,
        final SnapshotRequestDecoder request, final long nowNs)
    {
        final long correlationId = request.correlationId();
        Session session = find(requesterId);
        if (null == session)
        {
            session = free();
        }
        if (null == session)
        {
            refused++;
            final int length = commands.commandResponse(correlationId, CommandStatus.NOT_READY,
                "serving " + sessions.length + " snapshots already");
            transport.reply(routingId, commands.buffer(), 0, length);
            return;
        }
        // S: every change claimed so far is at or below it; later ones are replayed by the requester.
        publisher.publishPending();
        session.open(routingId, requesterId, correlationId, nowNs);
        snapshotsOpened.put(requesterId, requesterIncarnation);
        final int flags = request.flags();
        session.withRooms = 0 == (flags & SnapshotRequestDecoder.FLAG_NO_ROOMS) &&
            (0 == (flags & SnapshotRequestDecoder.FLAG_ROOM_TABLE_COMPLETE) || publisher.roomChanges() > 0);
        if (!session.withRooms)
        {
            servedWithoutRooms++;
        }
        else
        {
            session.floors(request);
            session.roomSource = 0 != (flags & SnapshotRequestDecoder.FLAG_ROOM_FLOORS);
        }
        final SnapshotWriter writer = session.writer;
        writer.begin(nodeId, incarnation, requesterId, correlationId);
        // A snapshot without rooms is only the rows: a joiner's few rows are then sent whole, not sliced.
        final long work = session.withRooms ? writer.snapshotWork() + roomHistory.changes() : writer.ownerWork();
        if (work < budget.remainingRows() && roomsMayBegin(session))
        {
            // Small enough for what is left of this cycle: read whole now, so the rows cannot change while read and
            // the owner's last chunk carries the exact digest of the rows sent.
            writer.writeOwner(nodeId, incarnation, publisher.lastClaimedBroadcastSequence());
            if (session.withRooms)
            {
                beginRooms(session);
                roomHistory.forEachRemoval(0, Integer.MAX_VALUE, session.removalWriter);
                for (int segment = 0, segments = writer.roomSegments(); segment < segments; segment++)
                {
                    writer.writeRoomSegment(segment);
                }
                writer.end();
            }
            else
            {
                writer.endWithoutRooms();
            }
            budget.charge(work);
            session.phase = FLUSH;
            finishIfFlushed(session);
            return;
        }
        writer.beginOwner(nodeId, incarnation, publisher.lastClaimedBroadcastSequence());
    }

    /**
     * Whether a member has opened a snapshot of this node's rows: a room change made here before that would reach it
     * neither in the snapshot (rows, and rooms only added) nor replayed (it is at or before the snapshot's start).
     *
     * @param member the member.
     * @return true once that incarnation's request opened a session here.
     */
    boolean snapshotOpenedBy(final Member member)
    {
        return snapshotsOpened.get(member.nodeId) == member.incarnation;
    }

    /**
     * This node looks for a cluster again: the snapshots the members it leaves opened say nothing of the next ones.
     */
    void forgetSnapshotsOpened()
    {
        snapshotsOpened.clear();
    }

    /**
     * The requester has loaded this many chunks of its snapshot.
     */
    void onCredit(final long requesterId, final long correlationId, final long chunksLoaded, final long nowNs)
    {
        final Session session = find(requesterId);
        if (null != session && session.correlationId == correlationId && chunksLoaded > session.chunksAcked)
        {
            session.chunksAcked = Math.min(chunksLoaded, session.chunksMade);
            session.lastProgressNs = nowNs;
        }
    }

    /**
     * Works on the open sessions, in turn, until the budget is spent.
     *
     * @return the amount of work done.
     */
    int doWork(final SliceBudget budget, final long nowNs)
    {
        int workCount = 0;
        final int count = sessions.length;
        final int first = nextSession;
        nextSession = (first + 1) % count;
        for (int i = 0; i < count; i++)
        {
            final Session session = sessions[(first + i) % count];
            if (session.active)
            {
                workCount += serve(session, budget, nowNs);
            }
        }
        return workCount;
    }

    private int serve(final Session session, final SliceBudget budget, final long nowNs)
    {
        int workCount = session.drain(nowNs);
        while (!budget.exhausted() && session.queuedLength == 0 && session.chunksMade - session.chunksAcked < credit)
        {
            final SnapshotWriter writer = session.writer;
            if (OWNER == session.phase)
            {
                if (session.segment < writer.ownerSegments())
                {
                    budget.charge(writer.writeOwnerSegment(session.segment++));
                    segmentsWritten++;
                }
                else
                {
                    // E must cover every change the rows reflect: nothing of this node may be left unclaimed.
                    publisher.publishPending();
                    if (publisher.hasPending())
                    {
                        break;
                    }
                    writer.endOwner(publisher.lastClaimedBroadcastSequence(), state.ownerDigest(nodeId));
                    session.phase = AWAITING_FLOORS;
                    budget.charge(1);
                }
            }
            else if (AWAITING_FLOORS == session.phase)
            {
                if (!roomsMayBegin(session))
                {
                    break; // no progress: a session that waits past the idle timeout is dropped below
                }
                beginRooms(session);
                session.phase = session.withRooms ? ROOM_REMOVALS : ROOMS;
                session.removalSlot = 0;
                session.segment = 0;
                budget.charge(1);
            }
            else if (ROOM_REMOVALS == session.phase)
            {
                // No more slots than the cycle has rows left: a step is never a long job of its own.
                final int from = session.removalSlot;
                final int slots = (int)Math.max(1, Math.min(ROOM_HISTORY_SLOTS_PER_STEP, budget.remainingRows()));
                budget.charge(Math.max(1, Math.min(slots, roomHistory.changes() - from)));
                session.removalSlot = roomHistory.forEachRemoval(from, slots, session.removalWriter);
                if (session.removalSlot < 0)
                {
                    session.phase = ROOMS;
                }
            }
            else if (ROOMS == session.phase)
            {
                if (session.withRooms && session.segment < writer.roomSegments())
                {
                    budget.charge(writer.writeRoomSegment(session.segment++));
                    segmentsWritten++;
                }
                else
                {
                    writer.end();
                    session.phase = FLUSH;
                }
            }
            else
            {
                break;
            }
            workCount++;
            session.lastProgressNs = nowNs;
            workCount += session.drain(nowNs);
        }
        if (finishIfFlushed(session))
        {
            return workCount;
        }
        if (nowNs - session.lastProgressNs > idleTimeoutNs)
        {
            dropped++;
            LOG.warn("node {}: snapshot for {} made no progress for {} ms: dropped, it will ask again",
                ClusterCore.id(nodeId), ClusterCore.id(session.requesterId), idleTimeoutNs / 1_000_000);
            session.close();
        }
        return workCount;
    }

    /**
     * Whether the rooms may be read now: this node has applied each floor's stream up to its sequence and, for a
     * room source, every creation its removals undid.
     */
    private boolean roomsMayBegin(final Session session)
    {
        return floorsReached(session) && !(session.roomSource && tableStreams.awaitsCoveredCreation());
    }

    /**
     * Starts the rooms, after how far this node has applied each stream now: a joiner's room source's table is then
     * not applied again from the streams, and a room of any table older than a removal its requester applied is
     * skipped there ({@link RoomHistory}).
     */
    private void beginRooms(final Session session)
    {
        final int count = session.withRooms ?
            tableStreams.write(session.streamNodeIds, session.streamIncarnations, session.streamSequences) : 0;
        session.writer.beginRooms(session.streamNodeIds, session.streamIncarnations, session.streamSequences, count);
    }

    private boolean floorsReached(final Session session)
    {
        for (int i = 0; i < session.floorCount; i++)
        {
            if (!tableStreams.hasApplied(
                session.floorNodeIds[i], session.floorIncarnations[i], session.floorSequences[i]))
            {
                return false;
            }
        }
        return true;
    }

    private boolean finishIfFlushed(final Session session)
    {
        if (FLUSH == session.phase && 0 == session.queuedLength)
        {
            served++;
            session.close();
            return true;
        }
        return false;
    }

    private Session find(final long requesterId)
    {
        for (final Session session : sessions)
        {
            if (session.active && session.requesterId == requesterId)
            {
                return session;
            }
        }
        return null;
    }

    private Session free()
    {
        for (final Session session : sessions)
        {
            if (!session.active)
            {
                return session;
            }
        }
        return null;
    }

    /**
     * @return sessions open now.
     */
    int activeSessions()
    {
        int active = 0;
        for (final Session session : sessions)
        {
            active += session.active ? 1 : 0;
        }
        return active;
    }

    /**
     * @return snapshots served whole.
     */
    long served()
    {
        return served;
    }

    /**
     * @return requests answered {@code NOT_READY} because every session was taken.
     */
    long refused()
    {
        return refused;
    }

    /**
     * @return sessions dropped after making no progress for {@code cohort.command.timeout}.
     */
    long dropped()
    {
        return dropped;
    }

    /**
     * @return snapshots asked by a member with a complete room table and sent without rooms (this node never changed
     * one): a joiner's rows reach the running members without its copy of every room.
     */
    long servedWithoutRooms()
    {
        return servedWithoutRooms;
    }

    /**
     * @return map segments streamed, one unit of work each.
     */
    long segmentsWritten()
    {
        return segmentsWritten;
    }

    /**
     * One requester's snapshot in progress. Its frames go to the transport as they are made; one the transport
     * refuses (the requester's pipe is full) is queued with every later one, in order, and no new segment is read
     * until the queue is drained.
     */
    private static final class Session
    {
        final SnapshotWriter writer;
        final ExpandableArrayBuffer queue = new ExpandableArrayBuffer(64 * 1024);
        final Transport transport;
        boolean active;
        byte[] routingId;
        long requesterId;
        long correlationId;
        int phase;
        /** Whether the room table follows the owner's rows. */
        boolean withRooms;
        /** The streams this node must have applied, up to these sequences, before it sends the rooms. */
        final long[] floorNodeIds;
        final long[] floorIncarnations;
        final long[] floorSequences;
        int floorCount;
        /** Whether the requester takes its room table from this node alone (it sent floors). */
        boolean roomSource;
        /** How far this node had applied each stream when it began the rooms of a room source's snapshot. */
        final long[] streamNodeIds;
        final long[] streamIncarnations;
        final long[] streamSequences;
        int segment;
        /** The next slot of the room history to look at for removals, -1 once every slot was. */
        int removalSlot;
        final RoomHistory.RemovalVisitor removalWriter;
        long chunksMade;
        long chunksAcked;
        long lastProgressNs;
        int queuedLength;
        int queueReadOffset;

        Session(final SubscriptionState state, final Transport transport, final int maxFloors)
        {
            this.transport = transport;
            floorNodeIds = new long[maxFloors];
            floorIncarnations = new long[maxFloors];
            floorSequences = new long[maxFloors];
            streamNodeIds = new long[maxFloors + 1];
            streamIncarnations = new long[maxFloors + 1];
            streamSequences = new long[maxFloors + 1];
            writer = new SnapshotWriter(state, this::onFrame);
            removalWriter = writer::writeRoomRemoval;
        }

        void open(final byte[] routingId, final long requesterId, final long correlationId, final long nowNs)
        {
            active = true;
            this.routingId = routingId;
            this.requesterId = requesterId;
            this.correlationId = correlationId;
            phase = OWNER;
            segment = 0;
            chunksMade = 0;
            chunksAcked = 0;
            lastProgressNs = nowNs;
            queuedLength = 0;
            queueReadOffset = 0;
            floorCount = 0;
            roomSource = false;
        }

        void floors(final SnapshotRequestDecoder request)
        {
            // The codec bounds the count by the member limit, which sized these arrays.
            floorCount = request.floorCount();
            for (int i = 0; i < floorCount; i++)
            {
                floorNodeIds[i] = request.floorNodeId(i);
                floorIncarnations[i] = request.floorIncarnation(i);
                floorSequences[i] = request.floorSequence(i);
            }
        }

        void close()
        {
            active = false;
            routingId = null;
            queuedLength = 0;
            queueReadOffset = 0;
        }

        private void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            chunksMade++;
            if (0 == queuedLength && transport.reply(routingId, buffer, offset, length))
            {
                return;
            }
            queue.putInt(queuedLength + FRAME_LENGTH_OFFSET, length);
            queue.putBytes(queuedLength + FRAME_OFFSET, buffer, offset, length);
            queuedLength += FRAME_OFFSET + length;
        }

        int drain(final long nowNs)
        {
            int sent = 0;
            while (queueReadOffset < queuedLength)
            {
                final int length = queue.getInt(queueReadOffset + FRAME_LENGTH_OFFSET);
                if (!transport.reply(routingId, queue, queueReadOffset + FRAME_OFFSET, length))
                {
                    return sent;
                }
                queueReadOffset += FRAME_OFFSET + length;
                lastProgressNs = nowNs;
                sent++;
            }
            queuedLength = 0;
            queueReadOffset = 0;
            return sent;
        }
    }
}
