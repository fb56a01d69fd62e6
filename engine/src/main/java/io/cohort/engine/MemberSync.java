package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.state.SnapshotLoadResult;
import io.cohort.state.SnapshotLoader;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.StreamSequence;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Brings this node's copy of a member's rows in line with the member, without the slow-joiner race:
 * <ol>
 * <li>subscribed to the member's stream, wait for its first message, which proves the subscription live (a
 * {@code PROBE} requested on the command channel makes one come at once);</li>
 * <li>from then on buffer the member's state-changing messages, and ask the member for a snapshot of its own
 * rows, which records its sequence at snapshot time: since the request left after the first message arrived,
 * every message past that sequence is in the buffer;</li>
 * <li>load the snapshot (the loader checks the member's digest), replay the buffered messages past the
 * recorded sequence, and trust the copy from then on.</li>
 * </ol>
 * A fault in the stream while syncing (a gap in the buffer), a failed or timed-out snapshot, all start over
 * from step 1; nothing half-loaded is ever trusted.
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

    private final long selfNodeId;
    private final long commandTimeoutNs;
    private long snapshotTimeouts;
    private final Transport transport;
    private final SubscriptionState state;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final ReplicaApplier applier;
    private final SyncedHandler syncedHandler;
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private long nowNs;

    /**
     * @return snapshot requests that went unanswered within {@code cohort.command.timeout}.
     */
    long snapshotTimeouts()
    {
        return snapshotTimeouts;
    }

    MemberSync(
        final CohortContext context,
        final Transport transport,
        final SubscriptionState state,
        final CommandMessages commands,
        final PendingRequests pending,
        final ReplicaApplier applier,
        final SyncedHandler syncedHandler)
    {
        this.selfNodeId = context.nodeId();
        this.commandTimeoutNs = context.commandTimeoutNs();
        this.transport = transport;
        this.state = state;
        this.commands = commands;
        this.pending = pending;
        this.applier = applier;
        this.syncedHandler = syncedHandler;
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
        member.phase = Member.Phase.AWAITING_BASELINE;
        member.loader = null;
        member.nextProbeNs = nowNs;
        member.peer.counters().broadcastSequence().expect(StreamSequence.UNKNOWN);
    }

    /**
     * A broadcast message arrived from a member: the first one after subscribing proves the subscription live.
     */
    void onBroadcastMessage(final Member member, final long nowNs)
    {
        if (Member.Phase.AWAITING_BASELINE == member.phase)
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
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs >= member.nextProbeNs)
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
     * A chunk of a member's snapshot arrived on the command channel. The member's rows come first, then the rooms;
     * the copy is trusted, and the buffer replayed, only when the whole snapshot is in, so that a room change
     * replayed from the stream is never undone by an older room chunk arriving after it.
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
        final SnapshotLoadResult result = member.loader.onChunk(chunk);
        if (result.isFailure())
        {
            LOG.warn("node {}: snapshot of {} failed ({}), asking again", ClusterCore.id(selfNodeId), member,
                member.loader.failureDescription());
            requestSnapshot(member);
        }
        else if (SnapshotLoadResult.COMPLETE == result)
        {
            if (member.snapshotRowsLoaded < 0)
            {
                LOG.warn("node {}: snapshot of {} ended without its rows, asking again", ClusterCore.id(selfNodeId),
                    member);
                requestSnapshot(member);
                return;
            }
            replay(member, member.snapshotSequence);
            member.phase = Member.Phase.SYNCED;
            member.loader = null;
            syncedHandler.onSynced(member, member.snapshotRowsLoaded, member.snapshotSequence);
        }
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
        if (null == member.loader)
        {
            member.loader = new SnapshotLoader(state,
                (owner, incarnation, sequence, rows) -> onOwnerLoaded(member, owner, incarnation, sequence, rows));
        }
        member.loader.begin(member.snapshotCorrelationId);
        final int length = commands.snapshotRequest(member.snapshotCorrelationId, member.nodeId);
        transport.sendRequest(member.nodeId, commands.buffer(), 0, length);
    }

    private void onOwnerLoaded(
        final Member member, final long owner, final long incarnation, final long sequence, final long rows)
    {
        if (owner == member.nodeId && incarnation == member.incarnation)
        {
            member.snapshotSequence = sequence;
            member.snapshotRowsLoaded = rows;
        }
    }

    private void replay(final Member member, final long snapshotSequence)
    {
        final ExpandableArrayBuffer buffered = member.buffered;
        int position = 0;
        while (position < member.bufferedLength)
        {
            final long sequence = buffered.getLong(position + Member.BUFFERED_SEQUENCE_OFFSET);
            final int type = buffered.getInt(position + Member.BUFFERED_TYPE_OFFSET);
            final int length = buffered.getInt(position + Member.BUFFERED_LENGTH_OFFSET);
            if (sequence > snapshotSequence)
            {
                applier.apply(member, type, buffered, position + Member.BUFFERED_BODY_OFFSET, length);
            }
            position += Member.BUFFERED_BODY_OFFSET + length;
        }
        clearBuffer(member);
    }

    private static void clearBuffer(final Member member)
    {
        member.buffered = null;
        member.bufferedLength = 0;
        member.bufferedMessages = 0;
    }
}
