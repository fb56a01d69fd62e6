package io.cohort.transport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * One peer's counters and the expected sequences of its two streams (broadcast, and directed to this node),
 * kept as counters so that an outside process sees them live. Updating a peer counter updates the node-wide
 * total too.
 */
public final class PeerCounters implements AutoCloseable
{
    private final TransportCounters totals;
    private final AtomicCounter expectedBroadcast;
    private final AtomicCounter expectedDirected;
    private final AtomicCounter frames;
    private final AtomicCounter messages;
    private final AtomicCounter applied;
    private final AtomicCounter gaps;
    private final AtomicCounter duplicates;
    private final AtomicCounter reorders;
    private final AtomicCounter badFrames;
    private final AtomicCounter bytes;
    private final AtomicCounter lostTails;
    private final StreamSequence broadcastSequence;
    private final StreamSequence directedSequence;

    PeerCounters(final TransportCounters totals, final long nodeId, final long incarnation)
    {
        this.totals = totals;
        expectedBroadcast = totals.newPeerCounter(
            nodeId, incarnation, "next broadcast seq", CounterType.PEER_EXPECTED_BROADCAST);
        expectedDirected = totals.newPeerCounter(
            nodeId, incarnation, "next directed seq", CounterType.PEER_EXPECTED_DIRECTED);
        frames = totals.newPeerCounter(nodeId, incarnation, "frames", CounterType.PEER_FRAMES);
        messages = totals.newPeerCounter(nodeId, incarnation, "messages", CounterType.PEER_MESSAGES);
        applied = totals.newPeerCounter(nodeId, incarnation, "applied", CounterType.PEER_APPLIED);
        gaps = totals.newPeerCounter(nodeId, incarnation, "gaps", CounterType.PEER_GAPS);
        duplicates = totals.newPeerCounter(nodeId, incarnation, "duplicates", CounterType.PEER_DUPLICATES);
        reorders = totals.newPeerCounter(nodeId, incarnation, "reorders", CounterType.PEER_REORDERS);
        badFrames = totals.newPeerCounter(nodeId, incarnation, "bad frames", CounterType.PEER_BAD_FRAMES);
        bytes = totals.newPeerCounter(nodeId, incarnation, "bytes", CounterType.PEER_BYTES);
        lostTails = totals.newPeerCounter(nodeId, incarnation, "lost tails", CounterType.PEER_LOST_TAILS);
        broadcastSequence = new StreamSequence(
            totals.countersManager().valuesBuffer(), CountersReader.counterOffset(expectedBroadcast.id()));
        directedSequence = new StreamSequence(
            totals.countersManager().valuesBuffer(), CountersReader.counterOffset(expectedDirected.id()));
    }

    /**
     * The peer's broadcast stream.
     *
     * @return its sequence tracker.
     */
    public StreamSequence broadcastSequence()
    {
        return broadcastSequence;
    }

    /**
     * The peer's directed stream to this node.
     *
     * @return its sequence tracker.
     */
    public StreamSequence directedSequence()
    {
        return directedSequence;
    }

    void onFrame(final int length)
    {
        frames.incrementRelease();
        totals.totalFrames.incrementRelease();
        bytes.getAndAddRelease(length);
        totals.totalBytes.getAndAddRelease(length);
    }

    void onMessages(final int count)
    {
        messages.getAndAddRelease(count);
        totals.totalMessages.getAndAddRelease(count);
    }

    /**
     * Counts a message of this peer that the engine applied.
     */
    public void onApplied()
    {
        applied.incrementRelease();
        totals.totalApplied.incrementRelease();
    }

    void onGap()
    {
        gaps.incrementRelease();
        totals.totalGaps.incrementRelease();
    }

    void onDuplicate()
    {
        duplicates.incrementRelease();
        totals.totalDuplicates.incrementRelease();
    }

    void onReorder()
    {
        reorders.incrementRelease();
        totals.totalReorders.incrementRelease();
    }

    void onBadFrame()
    {
        badFrames.incrementRelease();
        totals.totalBadFrames.incrementRelease();
    }

    void onLostTail()
    {
        lostTails.incrementRelease();
        totals.totalLostTails.incrementRelease();
    }

    /**
     * Gaps seen from this peer.
     *
     * @return the count.
     */
    public long gaps()
    {
        return gaps.get();
    }

    /**
     * Duplicate frames from this peer.
     *
     * @return the count.
     */
    public long duplicates()
    {
        return duplicates.get();
    }

    /**
     * Reordered frames from this peer.
     *
     * @return the count.
     */
    public long reorders()
    {
        return reorders.get();
    }

    /**
     * Bad frames from this peer.
     *
     * @return the count.
     */
    public long badFrames()
    {
        return badFrames.get();
    }

    /**
     * Lost tails of this peer's streams.
     *
     * @return the count.
     */
    public long lostTails()
    {
        return lostTails.get();
    }

    /**
     * Messages received in order from this peer.
     *
     * @return the count.
     */
    public long messages()
    {
        return messages.get();
    }

    /**
     * Frees the peer's counters.
     */
    public void close()
    {
        CloseHelper.closeAll(expectedBroadcast, expectedDirected, frames, messages, applied, gaps, duplicates,
            reorders, badFrames, bytes, lostTails);
    }
}
