package io.cohort.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The transport's node-wide counters, and the factory of each peer's {@link PeerCounters}. All counters are
 * written by the transport's single thread with release semantics and may be read from other processes.
 */
public final class TransportCounters implements AutoCloseable
{
    private final CountersManager countersManager;
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[Long.BYTES]);

    final AtomicCounter totalFrames;
    final AtomicCounter totalMessages;
    final AtomicCounter totalApplied;
    final AtomicCounter totalGaps;
    final AtomicCounter totalDuplicates;
    final AtomicCounter totalReorders;
    final AtomicCounter totalBadFrames;
    final AtomicCounter totalBytes;
    final AtomicCounter totalLostTails;
    final AtomicCounter framesSent;
    final AtomicCounter messagesSent;
    final AtomicCounter bytesSent;
    final AtomicCounter sendBackPressure;
    final AtomicCounter staleFrames;
    final AtomicCounter strangerFrames;
    final AtomicCounter authRefused;
    final AtomicCounter commandTimeouts;
    final AtomicCounter misroutedFrames;
    final AtomicCounter foreignClusterFrames;

    /**
     * Allocates the node-wide counters.
     *
     * @param countersManager where to allocate them, typically {@link CountersFile#countersManager()}.
     */
    public TransportCounters(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        totalFrames = total("frames received", CounterType.PEER_FRAMES);
        totalMessages = total("messages received", CounterType.PEER_MESSAGES);
        totalApplied = total("messages applied", CounterType.PEER_APPLIED);
        totalGaps = total("gaps", CounterType.PEER_GAPS);
        totalDuplicates = total("duplicates", CounterType.PEER_DUPLICATES);
        totalReorders = total("reorders", CounterType.PEER_REORDERS);
        totalBadFrames = total("bad frames", CounterType.PEER_BAD_FRAMES);
        totalBytes = total("bytes received", CounterType.PEER_BYTES);
        totalLostTails = total("lost tails", CounterType.PEER_LOST_TAILS);
        framesSent = countersManager.newCounter("frames sent", CounterType.FRAMES_SENT);
        messagesSent = countersManager.newCounter("messages sent", CounterType.MESSAGES_SENT);
        bytesSent = countersManager.newCounter("bytes sent", CounterType.BYTES_SENT);
        sendBackPressure = countersManager.newCounter("send back-pressure", CounterType.SEND_BACK_PRESSURE);
        staleFrames = countersManager.newCounter("stale or unknown frames", CounterType.STALE_FRAMES);
        strangerFrames = countersManager.newCounter("stranger frames", CounterType.STRANGER_FRAMES);
        authRefused = countersManager.newCounter("auth refused", CounterType.AUTH_REFUSED);
        commandTimeouts = countersManager.newCounter("command timeouts", CounterType.COMMAND_TIMEOUTS);
        misroutedFrames = countersManager.newCounter("misrouted frames", CounterType.MISROUTED_FRAMES);
        foreignClusterFrames =
            countersManager.newCounter("foreign cluster frames", CounterType.FOREIGN_CLUSTER_FRAMES);
    }

    private AtomicCounter total(final String label, final int peerType)
    {
        return countersManager.newCounter("total " + label, peerType + CounterType.TOTAL_OFFSET);
    }

    /**
     * Allocates the counters and sequence slots of a peer.
     *
     * @param nodeId      the peer's node id (the key of each of its counters).
     * @param incarnation the peer's incarnation (in the labels).
     * @return the peer's counters; close them when the peer is removed.
     */
    public PeerCounters newPeer(final long nodeId, final long incarnation)
    {
        return new PeerCounters(this, nodeId, incarnation);
    }

    AtomicCounter newPeerCounter(final long nodeId, final long incarnation, final String label, final int typeId)
    {
        keyBuffer.putLong(0, nodeId);
        final String fullLabel = String.format("peer %016x/%d %s", nodeId, incarnation, label);
        final int id = countersManager.allocate(
            typeId, keyBuffer, 0, Long.BYTES, new UnsafeBuffer(fullLabel.getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)), 0, fullLabel.length());
        return new AtomicCounter(countersManager.valuesBuffer(), id, countersManager);
    }

    CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * Frames from an unknown node or stale incarnation.
     *
     * @return the counter.
     */
    public AtomicCounter staleFrames()
    {
        return staleFrames;
    }

    /**
     * Undecodable frames from no known peer.
     *
     * @return the counter.
     */
    public AtomicCounter strangerFrames()
    {
        return strangerFrames;
    }

    /**
     * Connections refused by CURVE authentication.
     *
     * @return the counter.
     */
    public AtomicCounter authRefused()
    {
        return authRefused;
    }

    /**
     * Sends refused at a subscriber's high-water mark.
     *
     * @return the counter.
     */
    public AtomicCounter sendBackPressure()
    {
        return sendBackPressure;
    }

    /**
     * Command requests that timed out.
     *
     * @return the counter.
     */
    public AtomicCounter commandTimeouts()
    {
        return commandTimeouts;
    }

    /**
     * Total gaps over every peer.
     *
     * @return the counter.
     */
    public AtomicCounter totalGaps()
    {
        return totalGaps;
    }

    /**
     * Total bad frames over every peer.
     *
     * @return the counter.
     */
    public AtomicCounter totalBadFrames()
    {
        return totalBadFrames;
    }

    /**
     * Total duplicate frames over every peer.
     *
     * @return the counter.
     */
    public AtomicCounter totalDuplicates()
    {
        return totalDuplicates;
    }

    /**
     * Total messages received in order over every peer.
     *
     * @return the counter.
     */
    public AtomicCounter totalMessages()
    {
        return totalMessages;
    }

    /**
     * Frames sent.
     *
     * @return the counter.
     */
    public AtomicCounter framesSent()
    {
        return framesSent;
    }

    /**
     * Messages sent.
     *
     * @return the counter.
     */
    public AtomicCounter messagesSent()
    {
        return messagesSent;
    }

    /**
     * Directed frames addressed to another node.
     *
     * @return the counter.
     */
    public AtomicCounter misroutedFrames()
    {
        return misroutedFrames;
    }

    /**
     * Well-formed frames from another cluster, refused before anything was applied.
     *
     * @return the counter.
     */
    public AtomicCounter foreignClusterFrames()
    {
        return foreignClusterFrames;
    }

    /**
     * Frees every node-wide counter.
     */
    public void close()
    {
        org.agrona.CloseHelper.closeAll(totalFrames, totalMessages, totalApplied, totalGaps, totalDuplicates,
            totalReorders, totalBadFrames, totalBytes, totalLostTails, framesSent, messagesSent, bytesSent,
            sendBackPressure, staleFrames, strangerFrames, authRefused, commandTimeouts, misroutedFrames,
            foreignClusterFrames);
    }
}
