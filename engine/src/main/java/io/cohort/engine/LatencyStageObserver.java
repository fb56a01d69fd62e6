package io.cohort.engine;

/**
 * An opt-in hook for tools that break a change's propagation latency into stages (the cluster load harness): a
 * {@link CohortListener} that also implements this interface is told, on the node's thread, when a subscribe call
 * leaves the API queue, when a room's count is put into a broadcast frame, when a duty cycle's frames have been
 * handed to the transport, and when another member's count is received and applied here. Listeners that do not
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
     * This node's count of a room was put into the broadcast frame being built (it leaves with the frame).
     *
     * @param roomId the room.
     * @param count  the absolute count carried.
     */
    void onCountEncoded(long roomId, long count);

    /**
     * The duty cycle flushed its frames to the transport.
     *
     * @param broadcastPending true if a broadcast frame is still held back (the transport refused it): counts
     *                         encoded so far have not all been handed over yet.
     */
    void onCycleFlushed(boolean broadcastPending);

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
