package io.cohort.engine;

/**
 * An opt-in hook for tools that break a change's propagation latency into stages (the cluster load harness): a
 * {@link CohortListener} that also implements this interface is told, on the node's thread, when a subscribe call
 * leaves the API queue, when a room's count is put into a broadcast frame, when a broadcast frame is handed to the
 * transport, and when another member's count is received and applied here. Listeners that do not
 * implement it cost nothing but a null check at each of those points: the node checks once, at launch.
 * <p>
 * Every method is called on the node's own thread, for every call or count (not only the ones a tool traces), so
 * it must return at once, allocate nothing and read the clock only for what it traces.
 */
public interface LatencyStageObserver
{
    /**
     * The node thread took a subscribe call from the API queue and is about to apply it.
     *
     * @param connectionId the call's connection.
     * @param roomId       the call's room.
     */
    void onSubscribeTaken(long connectionId, long roomId);

    /**
     * This node's count of a room was put into the broadcast frame being built (it leaves with the frame: see
     * {@link #onBroadcastSent}).
     *
     * @param roomId   the room.
     * @param count    the absolute count carried.
     * @param sequence the broadcast sequence of the message that carries it.
     */
    void onCountEncoded(long roomId, long count, long sequence);

    /**
     * A broadcast frame was handed to the transport: every message up to {@code lastSequence} has left this node's
     * batcher.
     *
     * @param lastSequence the broadcast sequence of the frame's last message.
     */
    void onBroadcastSent(long lastSequence);

    /**
     * Another member's count of a room was received and is about to be applied to this node's replica.
     *
     * @param ownerNodeId the member whose row it is.
     * @param roomId      the room.
     * @param count       the absolute count.
     */
    void onCountReceived(long ownerNodeId, long roomId, long count);

    /**
     * The count {@link #onCountReceived} announced is applied to the replica (a {@link ReplicaObserver} is told
     * right after).
     *
     * @param ownerNodeId the member whose row it is.
     * @param roomId      the room.
     * @param count       the absolute count.
     */
    void onCountApplied(long ownerNodeId, long roomId, long count);
}
