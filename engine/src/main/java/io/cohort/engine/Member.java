package io.cohort.engine;

import io.cohort.state.SnapshotLoader;
import io.cohort.transport.Peer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Another node of the cluster as this node knows it: identity, endpoints, liveness, and how far this node's
 * copy of its rows has got. A member's rows are trusted only once {@link Phase#SYNCED}: until then its
 * state-changing messages are buffered, and replayed past the sequence its snapshot recorded.
 */
final class Member
{
    /**
     * How far this node's copy of the member's rows has got.
     */
    enum Phase
    {
        /** Subscribed; no message received yet, so nothing proves the subscription live. */
        AWAITING_BASELINE,
        /** Messages arrive (and are buffered); its snapshot was requested, and its chunks are loaded in slices. */
        AWAITING_SNAPSHOT,
        /**
         * Its snapshot is loaded without rooms; its messages are buffered until the room source's are loaded
         * ({@link RoomSource}).
         */
        AWAITING_ROOMS,
        /** Its snapshot is loaded; the buffered messages are replayed in slices (new ones still buffered). */
        REPLAYING,
        /** Its rows are loaded and every later message is applied as it arrives. */
        SYNCED
    }

    static final int BUFFERED_SEQUENCE_OFFSET = 0;
    static final int BUFFERED_TYPE_OFFSET = BUFFERED_SEQUENCE_OFFSET + Long.BYTES;
    static final int BUFFERED_LENGTH_OFFSET = BUFFERED_TYPE_OFFSET + Integer.BYTES;
    static final int BUFFERED_BODY_OFFSET = BUFFERED_LENGTH_OFFSET + Integer.BYTES;

    final long nodeId;
    final long incarnation;
    final String syncEndpoint;
    final String commandEndpoint;
    final Peer peer;
    final long addedNs;
    Phase phase = Phase.AWAITING_BASELINE;
    long lastHeardNs;
    /** The last heartbeat sequence received from it: echoed in this node's heartbeats (its lease). */
    long heardHeartbeatSeq;
    /**
     * When a heartbeat of it last said it distrusted a copy whose stream lagged past the bound (-1: never; it counts
     * for a heartbeat timeout): if it is removed as the lone accuser meanwhile, it is the slow receiver, and the reason
     * is LAGGING.
     */
    long reportedLaggingCopyNs = -1;
    /** Until when this node distrusts its copy after a fault in its stream: an edge in this node's row. */
    long distrustedUntilNs;
    /** The fault that made this node distrust its copy. */
    int distrustReason;
    /** Since when this node's copy has not been synced (-1: it is): a copy that stays unsynced is itself a fault. */
    long unsyncedSinceNs;
    /** A fault found in the copy that the others could not have seen yet (0: none), held until judged. */
    int unconfirmedFaultReason;
    /** Until when a held fault still corroborates another member's accusation of this member. */
    long unconfirmedFaultUntilNs;
    /** Since when notifications it sent this node are known lost (-1: none); and why. */
    long lostNotificationsSinceNs = -1;
    int lostNotificationsReason;
    long nextProbeNs;
    long connectedNs;
    int snapshotTimeouts;
    long snapshotCorrelationId;
    long snapshotDeadlineNs;
    long snapshotSequence;
    /** The sequence its snapshot started at, as its first chunk said, once {@link #snapshotStartKnown}. */
    long snapshotStartSequence;
    boolean snapshotStartKnown;
    /** Its snapshot request waits for the other members' snapshots to start: it is the room source. */
    boolean snapshotDeferred;
    long snapshotRowsLoaded = -1;
    SnapshotLoader loader;
    ExpandableArrayBuffer buffered;
    int bufferedLength;
    int bufferedMessages;
    /** Chunks of its snapshot received and not yet loaded. */
    final ChunkQueue chunks = new ChunkQueue();
    long chunksLoaded;
    long chunksCredited;
    /** Whether its snapshot is read in slices: the member then sends chunks only as far as credit allows. */
    boolean snapshotSliced;
    boolean snapshotRefused;
    /** E of a sliced snapshot: its copy is exact once the buffered messages up to E are replayed. */
    long snapshotEndSequence;
    long snapshotEndDigest;
    boolean snapshotVerified;
    int replayPosition;
    /**
     * Its room changes up to this sequence are in the room table this node loaded from its room source
     * ({@link RoomTableStreams}): none of them is applied again (-1: none).
     */
    long roomTableThrough = -1;
    /**
     * How far the room table of its current snapshot reflects each stream, as the snapshot's chunks said
     * ({@link RoomHistory}, {@link RoomSource}); made with its first snapshot's loader, emptied at each request.
     */
    TableStreams tableStreams;
    /**
     * When its current snapshot (with the rooms its table makes here) was asked for; {@link Long#MIN_VALUE} before
     * the first. A table asked long before the member is removed holds only rooms every member had by then
     * ({@link RemovedMemberRooms}).
     */
    long tableAskedNs = Long.MIN_VALUE;
    /** Sequence of the last broadcast message received from it, state-changing or not. */
    long lastBroadcastSequence = -1;
    /**
     * The last broadcast sequence its liveness copy said it had handed to its socket that this node awaited, and
     * since when (-1: none yet); awaited no more once {@link #lastBroadcastSequence} reaches it. How long its stream
     * takes to arrive here.
     */
    long awaitedBroadcastSequence = -1;
    long awaitedSinceNs = -1;
    /** After a join buffer overflow: no new sync before this time. */
    long resyncNotBeforeNs;
    boolean directedStreamOpen;
    boolean announced;
    long desyncs;
    /** How far this node has applied the member's broadcast stream, and what it last reported to it. */
    final FlowReporter.Progress flow = new FlowReporter.Progress();
    long repairWindowStartNs;
    int repairsInWindow;

    Member(
        final long nodeId,
        final long incarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final Peer peer,
        final long nowNs)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.syncEndpoint = syncEndpoint;
        this.commandEndpoint = commandEndpoint;
        this.peer = peer;
        this.addedNs = nowNs;
        this.lastHeardNs = nowNs;
        this.unsyncedSinceNs = nowNs;
    }

    /**
     * Its liveness copy says it has handed its socket every broadcast message up to a sequence: if this node has not
     * received that one yet and awaits none still missing, it awaits this one from now.
     */
    void awaitBroadcast(final long sentSequence, final long nowNs)
    {
        if (awaitingForNs(nowNs) == 0 && sentSequence > lastBroadcastSequence)
        {
            awaitedBroadcastSequence = sentSequence;
            awaitedSinceNs = nowNs;
        }
    }

    /**
     * @return for how long this node has awaited a message its socket was handed (0 if that one has arrived).
     */
    long awaitingForNs(final long nowNs)
    {
        return awaitedSinceNs < 0 || lastBroadcastSequence >= awaitedBroadcastSequence ? 0 : nowNs - awaitedSinceNs;
    }

    boolean isSynced()
    {
        return Phase.SYNCED == phase;
    }

    /**
     * How far this node has applied the member's broadcast stream: nothing while its copy is not synced (messages wait
     * in its buffer, and are applied only once synced); once synced, every message received (a copy becomes synced
     * only with its buffer replayed up to the last one received, and a synced copy applies each as it arrives). Not
     * {@link #flow}'s figure, which only live messages move: just after a resync it still says where the copy was
     * before, below what the replay applied.
     *
     * @return the last sequence applied, -1 for none.
     */
    long appliedSequence()
    {
        return isSynced() ? lastBroadcastSequence : -1;
    }

    public String toString()
    {
        return String.format("%016x/%d(%s)", nodeId, incarnation, phase);
    }
}
