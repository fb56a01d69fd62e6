package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.state.SnapshotLoadListener;
import io.cohort.state.SnapshotLoadResult;
import io.cohort.state.SnapshotLoader;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.StreamSequence;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Brings this node's copy of a member's rows in line with the member, without the slow-joiner race:
 * <ol>
 * <li>subscribed to the member's stream, wait for its first message, which proves the subscription live (a
 * {@code PROBE} requested on the command channel makes one come at once);</li>
 * <li>from then on buffer the member's state-changing messages, and ask the member for a snapshot of its own
 * rows, which records its sequence at snapshot time: since the request left after the first message arrived,
 * every message past that sequence is in the buffer;</li>
 * <li>load the snapshot, replay the buffered messages past the recorded sequence S, and trust the copy from then
 * on. A member serves its rows in slices while they change (a fuzzy copy, see {@link io.cohort.state.SnapshotWriter}):
 * the copy is exact once the messages up to the snapshot's end sequence E are replayed, and its digest is checked
 * against the member's digest at E right then.</li>
 * </ol>
 * Loading and replay are long jobs: chunks are queued as they arrive and loaded, and the buffer replayed, within
 * the cycle's {@link SliceBudget} ({@link #doSlices}), so the node keeps heartbeating meanwhile. Loaded chunks are
 * reported to the member ({@code SNAPSHOT_CREDIT}), which sends only a bounded number ahead. The buffer is bounded
 * by {@code cohort.join.buffer.max}: past it the member's sync starts over after {@code cohort.command.timeout},
 * counted ({@link #joinBufferOverflows()}), never growing without bound and never dropping a message silently.
 * A fault in the stream while syncing (a gap in the buffer), a failed, refused or timed-out snapshot, a digest
 * mismatch at E, all start over; nothing half-loaded is ever trusted.
 */
final class MemberSync
{
    /**
     * Told when a member's copy is trusted.
     */
    @FunctionalInterface
    interface SyncedHandler
    {
        /**
         * The member's rows are loaded and its buffered messages replayed.
         *
         * @param member   the member, now {@link Member.Phase#SYNCED}.
         * @param rows     rows its snapshot held.
         * @param sequence its sequence at snapshot time.
         */
        void onSynced(Member member, long rows, long sequence);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MemberSync.class);
    private static final long PROBE_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * A member unheard for this long after subscribing gets fresh sockets: JeroMQ sometimes never completes a
     * fresh connection's handshake.
     */
    private static final long RECONNECT_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(1000);
    private static final int INITIAL_BUFFER_LENGTH = 64 * 1024;
    /** Buffered messages replayed between two charges of the slice budget (one clock read). */
    private static final int REPLAY_UNIT = 256;

    private final long selfNodeId;
    private final long commandTimeoutNs;
    private final int joinBufferMax;
    private final int creditEvery;
    private long snapshotTimeouts;
    private long joinBufferOverflows;
    private long snapshotDigestMismatches;
    private long slicedSnapshotsVerified;
    private long chunksLoadedTotal;
    private long messagesReplayed;
    private int nextMember;
    private final Transport transport;
    private final SubscriptionState state;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final ReplicaApplier applier;
    private final SliceBudget budget;
    private final SyncedHandler syncedHandler;
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private long nowNs;
    private final RoomSource roomSource;
    private final MemberTables memberTables;

    /**
     * @return snapshot requests that went unanswered within {@code cohort.command.timeout}.
     */
    long snapshotTimeouts()
    {
        return snapshotTimeouts;
    }

    /**
     * @return syncs started over because a member's buffer passed {@code cohort.join.buffer.max}.
     */
    long joinBufferOverflows()
    {
        return joinBufferOverflows;
    }

    /**
     * @return sliced snapshots whose copy, replayed up to E, did not have the member's digest at E.
     */
    long snapshotDigestMismatches()
    {
        return snapshotDigestMismatches;
    }

    /**
     * @return sliced snapshots whose copy, replayed up to E, had the member's digest at E.
     */
    long slicedSnapshotsVerified()
    {
        return slicedSnapshotsVerified;
    }

    /**
     * @return snapshot chunks loaded since start.
     */
    long chunksLoaded()
    {
        return chunksLoadedTotal;
    }

    /**
     * @return buffered messages replayed since start.
     */
    long messagesReplayed()
    {
        return messagesReplayed;
    }

    MemberSync(
        final CohortContext context,
        final Transport transport,
        final SubscriptionState state,
        final CommandMessages commands,
        final PendingRequests pending,
        final ReplicaApplier applier,
        final SliceBudget budget,
        final List<Member> members,
        final LongFunction<Member> memberById,
        final RoomHistory roomHistory,
        final SyncedHandler syncedHandler)
    {
        this.memberTables = new MemberTables(
            context.nodeId(), context.codecLimits().maxMembers() + 1, state, roomHistory, applier, memberById);
        this.roomSource = new RoomSource(members);
        this.budget = budget;
        this.selfNodeId = context.nodeId();
        this.commandTimeoutNs = context.commandTimeoutNs();
        this.joinBufferMax = context.joinBufferMax();
        this.creditEvery = Math.max(1, context.snapshotCredit() / 2);
        this.transport = transport;
        this.state = state;
        this.commands = commands;
        this.pending = pending;
        this.applier = applier;
        this.syncedHandler = syncedHandler;
    }

    /**
     * This node has synced every member once (or founded the cluster): its room table holds every room but those a
     * member whose sync starts over may have changed while this node missed its messages, which only that member's
     * own operations can have done. Its snapshots are asked from now on with {@code FLAG_ROOM_TABLE_COMPLETE}, so
     * that a member that never changed a room (a joiner) sends none: without it every running member would load a
     * joiner's copy of every room, and the joiner would send it once per member. Until then the rooms come from one
     * member ({@link RoomSource}).
     */
    void roomTableComplete()
    {
        roomSource.tableComplete();
    }

    /**
     * Adds the rooms still here that a member's table made here ({@link MemberTables#roomsMadeBy}).
     *
     * @param makerId the member's node id.
     * @param out     where the rooms go.
     */
    void roomsMadeByTableOf(final long makerId, final LongArrayList out)
    {
        memberTables.roomsMadeBy(makerId, out);
    }

    /**
     * @param roomId a room.
     * @return the node id of the member whose table made it here, or 0 if none is known.
     */
    long tableThatMade(final long roomId)
    {
        return memberTables.tableThatMade(roomId);
    }

    /**
     * @return which snapshots carry the rooms to this node.
     */
    RoomSource roomSource()
    {
        return roomSource;
    }

    /**
     * Starts syncing a member just subscribed to.
     */
    void start(final Member member, final long nowNs)
    {
        this.nowNs = nowNs;
        member.connectedNs = nowNs;
        requestProbe(member);
    }

    /**
     * Drops the member's rows and what was buffered, and starts over: the copy is not trusted until synced again.
     */
    void restart(final Member member, final long nowNs)
    {
        this.nowNs = nowNs;
        // The copy is known wrong: drop it now rather than at the snapshot request, which waits for the member to
        // answer a probe (it may be paused), so that counts and routing never use it meanwhile.
        state.removeOwner(member.nodeId);
        clearBuffer(member);
        clearChunks(member);
        member.phase = Member.Phase.AWAITING_BASELINE;
        if (member.unsyncedSinceNs < 0)
        {
            member.unsyncedSinceNs = nowNs;
        }
        member.loader = null;
        member.snapshotStartKnown = false;
        member.snapshotDeferred = false;
        member.nextProbeNs = nowNs;
        member.peer.counters().broadcastSequence().expect(StreamSequence.UNKNOWN);
    }

    /**
     * A broadcast message arrived from a member: the first one after subscribing proves the subscription live.
     */
    void onBroadcastMessage(final Member member, final long sequence, final long nowNs)
    {
        member.lastBroadcastSequence = sequence;
        if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs >= member.resyncNotBeforeNs)
        {
            this.nowNs = nowNs;
            member.phase = Member.Phase.AWAITING_SNAPSHOT;
            requestSnapshot(member);
        }
    }

    /**
     * Retries probes and snapshots that got no answer.
     *
     * @return the amount of work done.
     */
    int tick(final List<Member> members, final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = 0;
        final Member newSource = roomSource.replaceSourceIfGone();
        if (null != newSource && Member.Phase.AWAITING_BASELINE != newSource.phase)
        {
            // Its snapshot was asked without rooms: asked again as the source's (a member still awaiting its
            // baseline is chosen as the source when it is asked, as any other).
            LOG.info("node {}: the room source left before its rooms were loaded: {} sends them instead",
                ClusterCore.id(selfNodeId), newSource);
            restartAsSource(newSource);
            workCount++;
        }
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_SNAPSHOT == member.phase && member.snapshotDeferred)
            {
                if (roomSource.floorsKnown())
                {
                    requestSnapshot(member);
                    workCount++;
                }
            }
            else if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs >= member.nextProbeNs)
            {
                if (nowNs - member.connectedNs > RECONNECT_AFTER_NS && transport.reconnectPeer(member.nodeId))
                {
                    LOG.warn("node {}: nothing from {} since subscribing: reconnecting", ClusterCore.id(selfNodeId),
                        member);
                    member.connectedNs = nowNs;
                }
                requestProbe(member);
                workCount++;
            }
            else if (Member.Phase.AWAITING_SNAPSHOT == member.phase && member.snapshotRefused &&
                nowNs >= member.snapshotDeadlineNs)
            {
                // The member serves as many snapshots as it may: not a fault, ask again.
                requestSnapshot(member);
                workCount++;
            }
            else if (Member.Phase.AWAITING_SNAPSHOT == member.phase && nowNs >= member.snapshotDeadlineNs &&
                roomSource.isAwaitedSource(member))
            {
                // The source sent nothing for a command timeout: it lags (its rooms wait for floors it has not
                // reached) or is stuck, and every other member's copy waits for it. A lagging source must not hold the
                // join: every member is asked for its own rooms instead, as before the room source (seed 2520437).
                snapshotTimeouts++;
                LOG.warn("node {}: room source {} sent nothing for {} ms: every member sends its own rooms",
                    ClusterCore.id(selfNodeId), member, commandTimeoutNs / 1_000_000);
                roomSource.fallBack();
                askEveryMemberForItsRooms(members);
                workCount++;
            }
            else if (Member.Phase.AWAITING_SNAPSHOT == member.phase && nowNs >= member.snapshotDeadlineNs)
            {
                snapshotTimeouts++;
                if (++member.snapshotTimeouts >= 2 && transport.reconnectPeer(member.nodeId))
                {
                    // The request channel may be a connection whose handshake never completed.
                    LOG.warn("node {}: snapshot of {} timed out twice: reconnecting and syncing again",
                        ClusterCore.id(selfNodeId), member);
                    member.snapshotTimeouts = 0;
                    restart(member, nowNs);
                    member.connectedNs = nowNs;
                }
                else
                {
                    LOG.warn("node {}: snapshot of {} timed out, asking again", ClusterCore.id(selfNodeId), member);
                    requestSnapshot(member);
                }
                workCount++;
            }
        }
        return workCount;
    }

    /**
     * Keeps a state-changing message of a member not yet synced, to replay past its snapshot.
     */
    void buffer(final Member member, final long sequence, final int type, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (Member.Phase.AWAITING_BASELINE == member.phase)
        {
            // No snapshot asked yet: the one asked later records an S at or past this message, so it is never
            // replayed; keeping it would only fill the buffer.
            return;
        }
        if ((long)member.bufferedLength + Member.BUFFERED_BODY_OFFSET + length > joinBufferMax)
        {
            overflow(member, "its buffered messages");
            return;
        }
        if (null == member.buffered)
        {
            member.buffered = new ExpandableArrayBuffer(INITIAL_BUFFER_LENGTH);
        }
        final ExpandableArrayBuffer target = member.buffered;
        final int at = member.bufferedLength;
        target.putLong(at + Member.BUFFERED_SEQUENCE_OFFSET, sequence);
        target.putInt(at + Member.BUFFERED_TYPE_OFFSET, type);
        target.putInt(at + Member.BUFFERED_LENGTH_OFFSET, length);
        target.putBytes(at + Member.BUFFERED_BODY_OFFSET, buffer, offset, length);
        member.bufferedLength = at + Member.BUFFERED_BODY_OFFSET + length;
        member.bufferedMessages++;
    }

    /**
     * A chunk of a member's snapshot arrived on the command channel: loaded now if the cycle's budget allows and
     * none is queued before it, else queued and loaded by {@link #doSlices}.
     * The member's rows come first, then the rooms; the copy is trusted, and the buffer replayed, only when the whole
     * snapshot is in, so that a room change replayed from the stream is never undone by an older room chunk
     * arriving after it.
     */
    void onSnapshotChunk(final Member member, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        this.nowNs = nowNs;
        if (Member.Phase.AWAITING_SNAPSHOT != member.phase || null == member.loader)
        {
            return;
        }
        final SnapshotChunkDecoder chunk = chunkDecoder.wrap(buffer, offset, length);
        if (chunk.correlationId() != member.snapshotCorrelationId)
        {
            return;
        }
        // The member is making progress: the timeout bounds a silence, not a whole sliced snapshot.
        member.snapshotDeadlineNs = nowNs + commandTimeoutNs;
        if (!member.snapshotStartKnown)
        {
            // Its first chunk, the first of its rows: the sequence it carries is the snapshot's start S.
            member.snapshotStartSequence = chunk.ownerSequence();
            member.snapshotStartKnown = true;
        }
        // The member sends a bounded credit ahead, so this queue stays small; the bound guards a broken sender.
        if (member.chunks.isEmpty() && !budget.exhausted())
        {
            if (loadChunk(member, chunk))
            {
                creditIfDue(member);
            }
            return;
        }
        if (!member.chunks.offer(buffer, offset, length, joinBufferMax))
        {
            overflow(member, "its queued snapshot chunks");
        }
    }

    /**
     * A member refused a request of this node; a refused snapshot is asked again shortly.
     */
    void onRequestRefused(final Member member, final long correlationId, final long nowNs)
    {
        if (Member.Phase.AWAITING_SNAPSHOT == member.phase && correlationId == member.snapshotCorrelationId)
        {
            member.snapshotRefused = true;
            member.snapshotDeadlineNs = nowNs + PROBE_RETRY_NS;
        }
    }

    /**
     * The long jobs of syncing: loads queued snapshot chunks and replays buffers, member after member (starting
     * with a different one each cycle, so none starves), until the budget is spent.
     *
     * @return the amount of work done.
     */
    int doSlices(final List<Member> members, final SliceBudget budget, final long nowNs)
    {
        this.nowNs = nowNs;
        final int size = members.size();
        if (0 == size)
        {
            return 0;
        }
        int workCount = 0;
        final int first = nextMember % size;
        nextMember = first + 1;
        for (int i = 0; i < size && !budget.exhausted(); i++)
        {
            final Member member = members.get((first + i) % size);
            if (Member.Phase.AWAITING_SNAPSHOT == member.phase && null != member.loader)
            {
                workCount += loadChunks(member);
            }
            if (Member.Phase.REPLAYING == member.phase)
            {
                workCount += replay(member, budget);
            }
        }
        return workCount;
    }

    private int loadChunks(final Member member)
    {
        int workCount = 0;
        final ChunkQueue chunks = member.chunks;
        while (!budget.exhausted() && chunks.poll())
        {
            workCount++;
            if (!loadChunk(member, chunkDecoder.wrap(chunks.buffer(), chunks.bodyOffset(), chunks.bodyLength())))
            {
                return workCount;
            }
        }
        creditIfDue(member);
        return workCount;
    }

    /**
     * Loads one chunk, charging its rows to the budget.
     *
     * @return whether loading goes on: false once the snapshot failed (asked again) or completed (replay began).
     */
    private boolean loadChunk(final Member member, final SnapshotChunkDecoder chunk)
    {
        member.chunksLoaded++;
        chunksLoadedTotal++;
        member.snapshotSliced |= chunk.isFuzzy();
        final SnapshotLoadResult result = member.loader.onChunk(chunk);
        budget.charge(chunk.countEntries() + chunk.roomEntries() + chunk.roomRemovalCount());
        if (result.isFailure())
        {
            LOG.warn("node {}: snapshot of {} failed ({}), asking again", ClusterCore.id(selfNodeId), member,
                member.loader.failureDescription());
            requestSnapshot(member);
            return false;
        }
        memberTables.onChunk(member, chunk);
        if (SnapshotLoadResult.COMPLETE == result)
        {
            if (member.snapshotRowsLoaded < 0)
            {
                LOG.warn("node {}: snapshot of {} ended without its rows, asking again",
                    ClusterCore.id(selfNodeId), member);
                requestSnapshot(member);
                return false;
            }
            clearChunks(member);
            if (!roomSource.onLoaded(member))
            {
                // Rows without rooms: replayed once the source's rooms are loaded, so that no room change replayed
                // here is undone by the source's older copy of the table.
                member.phase = Member.Phase.AWAITING_ROOMS;
                return false;
            }
            member.phase = Member.Phase.REPLAYING;
            member.replayPosition = 0;
            if (member == roomSource.source())
            {
                releaseAwaitingRooms();
            }
            replay(member, budget);
            return false;
        }
        return true;
    }

    /**
     * Reports loaded chunks to the member serving a sliced snapshot (a snapshot read in one call is sent whole and
     * waits for no credit); every one is reported once the queue is empty, so the member never waits on credit
     * held here.
     */
    private void creditIfDue(final Member member)
    {
        if (member.snapshotSliced && member.chunksLoaded > member.chunksCredited &&
            (member.chunksLoaded - member.chunksCredited >= creditEvery || member.chunks.isEmpty()))
        {
            final int length = commands.snapshotCredit(member.snapshotCorrelationId, member.chunksLoaded);
            if (transport.sendRequest(member.nodeId, commands.buffer(), 0, length))
            {
                member.chunksCredited = member.chunksLoaded;
            }
        }
    }

    /**
     * Replays the buffered messages past S from where the last slice stopped. A sliced snapshot's copy is checked
     * against the member's digest at E exactly when every message up to E, and none past it, is applied: before
     * the first buffered message past E, or, once the buffer is replayed, when the stream has reached E (the
     * messages between the last buffered one and E change no row). Any copy is synced only once the buffer is
     * replayed and the stream has reached E (S for a whole snapshot).
     */
    private int replay(final Member member, final SliceBudget budget)
    {
        final ExpandableArrayBuffer buffered = member.buffered;
        final long snapshotSequence = member.snapshotSequence;
        int replayed = 0;
        int unit = 0;
        while (true)
        {
            final boolean more = member.replayPosition < member.bufferedLength;
            if (!member.snapshotVerified)
            {
                final boolean atEnd = more ?
                    buffered.getLong(member.replayPosition + Member.BUFFERED_SEQUENCE_OFFSET) >
                        member.snapshotEndSequence :
                    member.lastBroadcastSequence >= member.snapshotEndSequence;
                if (atEnd && !verify(member))
                {
                    break;
                }
            }
            if (!more)
            {
                // Synced only once the stream has reached the snapshot's end too: a message at or before it still on
                // its way (a slow receiver's socket backlog; the snapshot came on the command channel) would
                // otherwise be applied, or its heartbeat's digest checked, as if it came after (seed 952).
                if (member.snapshotVerified && member.lastBroadcastSequence >= member.snapshotEndSequence)
                {
                    member.phase = Member.Phase.SYNCED;
                    member.unsyncedSinceNs = -1;
                    member.loader = null;
                    clearBuffer(member);
                    syncedHandler.onSynced(member, member.snapshotRowsLoaded, snapshotSequence);
                }
                break;
            }
            if (budget.exhausted())
            {
                break;
            }
            final int position = member.replayPosition;
            final long sequence = buffered.getLong(position + Member.BUFFERED_SEQUENCE_OFFSET);
            final int type = buffered.getInt(position + Member.BUFFERED_TYPE_OFFSET);
            final int length = buffered.getInt(position + Member.BUFFERED_LENGTH_OFFSET);
            member.replayPosition = position + Member.BUFFERED_BODY_OFFSET + length;
            if (sequence > snapshotSequence)
            {
                applier.apply(member, sequence, type, buffered, position + Member.BUFFERED_BODY_OFFSET, length);
            }
            replayed++;
            if (++unit == REPLAY_UNIT)
            {
                budget.charge(unit);
                unit = 0;
            }
        }
        if (unit > 0)
        {
            budget.charge(unit);
        }
        messagesReplayed += replayed;
        return replayed;
    }

    private boolean verify(final Member member)
    {
        final long digest = state.ownerDigest(member.nodeId);
        if (digest == member.snapshotEndDigest)
        {
            slicedSnapshotsVerified++;
            member.snapshotVerified = true;
            return true;
        }
        snapshotDigestMismatches++;
        LOG.warn("node {}: sliced snapshot of {} replayed to sequence {} has digest {} where the member had {}: " +
            "syncing again", ClusterCore.id(selfNodeId), member, member.snapshotEndSequence, Long.toHexString(digest),
            Long.toHexString(member.snapshotEndDigest));
        restart(member, nowNs);
        return false;
    }

    private void overflow(final Member member, final String what)
    {
        joinBufferOverflows++;
        LOG.warn("node {}: {} of {} passed cohort.join.buffer.max={} bytes: syncing it again in {} ms",
            ClusterCore.id(selfNodeId), what, member, joinBufferMax, commandTimeoutNs / 1_000_000);
        restart(member, nowNs);
        member.resyncNotBeforeNs = nowNs + commandTimeoutNs;
        member.nextProbeNs = member.resyncNotBeforeNs;
        member.connectedNs = member.resyncNotBeforeNs;
    }

    private void requestProbe(final Member member)
    {
        final long correlationId = pending.nextCorrelationId();
        final int length = commands.probeRequest(correlationId, correlationId);
        transport.sendRequest(member.nodeId, commands.buffer(), 0, length);
        member.nextProbeNs = nowNs + PROBE_RETRY_NS;
    }

    private void requestSnapshot(final Member member)
    {
        state.removeOwner(member.nodeId);
        member.snapshotCorrelationId = pending.nextCorrelationId();
        member.snapshotDeadlineNs = nowNs + commandTimeoutNs;
        member.snapshotRowsLoaded = -1;
        member.snapshotRefused = false;
        member.snapshotVerified = false;
        member.snapshotStartKnown = false;
        member.snapshotDeferred = false;
        clearChunks(member);
        if (null == member.loader)
        {
            member.loader = new SnapshotLoader(state, new SnapshotLoadListener()
            {
                public void onOwnerLoaded(final long owner, final long incarnation, final long sequence,
                    final long rows)
                {
                    MemberSync.this.onOwnerLoaded(member, owner, incarnation, sequence, sequence, 0, true, rows);
                }

                public void onFuzzyOwnerLoaded(final long owner, final long incarnation, final long startSequence,
                    final long endSequence, final long endDigest, final long rows)
                {
                    MemberSync.this.onOwnerLoaded(
                        member, owner, incarnation, startSequence, endSequence, endDigest, false, rows);
                }

                public boolean admitsRoom(final long roomId)
                {
                    return memberTables.admits(member, roomId);
                }
            });
        }
        member.loader.begin(member.snapshotCorrelationId);
        memberTables.begin(member);
        member.tableAskedNs = nowNs;
        final int flags = roomSource.flagsFor(member);
        if (RoomSource.DEFER == flags)
        {
            // The room source: asked by tick once every other member's snapshot has started.
            member.snapshotDeferred = true;
            member.snapshotDeadlineNs = Long.MAX_VALUE;
            return;
        }
        final int length = commands.snapshotRequest(member.snapshotCorrelationId, member.nodeId, flags, roomSource);
        transport.sendRequest(member.nodeId, commands.buffer(), 0, length);
        final Member source = roomSource.sourceToAskAgain(member);
        if (null != source && Member.Phase.AWAITING_SNAPSHOT == source.phase)
        {
            // This member's snapshot starts past the floor the source was given: the source's starts over.
            requestSnapshot(source);
        }
    }

    private void restartAsSource(final Member member)
    {
        // What it buffered is older than the start of the snapshot asked now, so never replayed (as in buffer()).
        member.phase = Member.Phase.AWAITING_SNAPSHOT;
        clearBuffer(member);
        requestSnapshot(member);
    }

    private void askEveryMemberForItsRooms(final List<Member> members)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_SNAPSHOT == member.phase || Member.Phase.AWAITING_ROOMS == member.phase)
            {
                member.phase = Member.Phase.AWAITING_SNAPSHOT;
                requestSnapshot(member);
            }
        }
    }

    private void releaseAwaitingRooms()
    {
        final List<Member> members = roomSource.members();
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_ROOMS == member.phase)
            {
                member.phase = Member.Phase.REPLAYING;
                member.replayPosition = 0;
            }
        }
    }

    private void onOwnerLoaded(
        final Member member,
        final long owner,
        final long incarnation,
        final long startSequence,
        final long endSequence,
        final long endDigest,
        final boolean verified,
        final long rows)
    {
        if (owner == member.nodeId && incarnation == member.incarnation)
        {
            member.snapshotSequence = startSequence;
            member.snapshotEndSequence = endSequence;
            member.snapshotEndDigest = endDigest;
            member.snapshotVerified = verified;
            member.snapshotRowsLoaded = rows;
        }
    }

    private static void clearBuffer(final Member member)
    {
        member.buffered = null;
        member.bufferedLength = 0;
        member.bufferedMessages = 0;
        member.replayPosition = 0;
    }

    private static void clearChunks(final Member member)
    {
        member.chunks.clear();
        member.chunksLoaded = 0;
        member.chunksCredited = 0;
        member.snapshotSliced = false;
    }
}
