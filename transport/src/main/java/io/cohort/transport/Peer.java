package io.cohort.transport;

/**
 * A member whose sync streams this node receives: its identity (a restarted node is a new incarnation, hence
 * a new peer) and its counters, including the expected sequences of its streams.
 */
public final class Peer
{
    private final long nodeId;
    private final long incarnation;
    private final PeerCounters counters;

    /**
     * A peer.
     *
     * @param nodeId      the peer's node id.
     * @param incarnation the peer's incarnation.
     * @param counters    its counters, from {@link TransportCounters#newPeer(long, long)}.
     */
    public Peer(final long nodeId, final long incarnation, final PeerCounters counters)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.counters = counters;
    }

    /**
     * The peer's node id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * The peer's incarnation.
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * The peer's counters and stream sequences.
     *
     * @return the counters.
     */
    public PeerCounters counters()
    {
        return counters;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return String.format("Peer{%016x/%d}", nodeId, incarnation);
    }
}
