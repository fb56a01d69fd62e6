package io.cohort.engine;

/**
 * An opt-in hook for tools that measure replication (the cluster load harness): a {@link CohortListener} that
 * also implements this interface is told of every count of another member applied to this node's replica.
 * Listeners that do not implement it cost nothing: the node checks once, at launch, and keeps a null.
 * <p>
 * Called on the node's own thread for every applied count, so it must return at once and must not allocate.
 */
public interface ReplicaObserver
{
    /**
     * A member's count of a room was applied to this node's replica of its rows (live, or replayed at join).
     *
     * @param ownerNodeId the member whose row it is.
     * @param roomId      the room.
     * @param count       the member's absolute count of subscribers in the room, now visible on this node.
     */
    void onReplicaCount(long ownerNodeId, long roomId, long count);
}
