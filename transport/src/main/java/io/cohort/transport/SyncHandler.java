package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import org.agrona.DirectBuffer;

/**
 * Receives what arrives on the sync channel from each peer, already validated and sequence-checked.
 */
public interface SyncHandler
{
    /**
     * A message of a frame that passed every check (or that follows a reported gap). Messages of a frame
     * arrive in sequence order. An exception thrown here is reported to the error handler and does not stop
     * the delivery of the following messages.
     *
     * @param peer       the sender.
     * @param directed   true if the message came on the sender's directed stream to this node.
     * @param sequence   the message's sequence number in its stream.
     * @param type       one of {@link io.cohort.codec.MessageType}.
     * @param buffer     holding the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength the body's length.
     */
    void onMessage(
        Peer peer, boolean directed, long sequence, int type, DirectBuffer buffer, int bodyOffset, int bodyLength);

    /**
     * A peer's stream is not what it should be: this node's copy of the peer's rows can no longer be trusted.
     *
     * @param peer             the sender.
     * @param directed         true for its directed stream to this node.
     * @param reason           {@link io.cohort.codec.ReasonCode#GAP}, {@code DUPLICATE}, {@code REORDER} or
     *                         {@code LOST_TAIL}.
     * @param expectedSequence the sequence this node expected.
     * @param observedSequence the first sequence seen instead (for a lost tail: the last one the peer sent).
     */
    void onStreamFault(Peer peer, boolean directed, int reason, long expectedSequence, long observedSequence);

    /**
     * A frame from a peer failed its checksum or did not decode; nothing of it was delivered.
     *
     * @param peer   the peer whose socket it came from.
     * @param result why it was rejected.
     */
    void onBadFrame(Peer peer, DecodeResult result);

    /**
     * A well-formed frame on a peer's socket was stamped with another cluster's id: it was refused whole and
     * counted, nothing of it was delivered, and it is no fault of the peer's stream.
     *
     * @param peer      the peer whose socket it came from.
     * @param clusterId the cluster id the frame carried.
     */
    default void onForeignCluster(final Peer peer, final long clusterId)
    {
    }

    /**
     * Whether the directed tail a heartbeat names for this node's node id is of this incarnation's stream. A
     * member that has not yet learnt that this node replaced an earlier incarnation under the same node id still
     * names its directed stream to the predecessor; taking that as this node's tail would shift its expected
     * sequence and drop the real stream's first frames as duplicates.
     *
     * @param peer    the heartbeat's sender.
     * @param lineage the lineage of the view the sender was in when it sent the heartbeat.
     * @param epoch   that view's epoch.
     * @return true (the default) if the tail is checked.
     */
    default boolean directedTailApplies(final Peer peer, final long lineage, final long epoch)
    {
        return true;
    }

    /**
     * A node's subscription to this node's directed stream became live (or went away). From the moment this is
     * called with {@code subscribed == true}, everything this node publishes reaches that node (or is refused
     * under back-pressure), so its directed stream may start: this is how a publisher proves a subscription
     * live without the slow-joiner race.
     *
     * @param nodeId      the subscriber's node id.
     * @param incarnation the subscriber's incarnation: a directed stream is addressed to one incarnation, so that a
     *                    node restarted under the same node id never receives frames meant for its predecessor.
     * @param subscribed  true when the subscription arrived, false when it was withdrawn.
     */
    default void onSubscriberChange(final long nodeId, final long incarnation, final boolean subscribed)
    {
    }
}
