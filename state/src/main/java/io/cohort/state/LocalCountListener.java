package io.cohort.state;

/**
 * Told of every change of this node's own count in a room, so that the engine can replicate it (a
 * {@code ROOM_COUNT} carrying {@code newCount}, which is absolute). Called on the state's thread after the
 * change is complete, so the state it reads is consistent; it must not allocate on a hot path, and it may
 * read the state but should not change it from within the callback.
 */
@FunctionalInterface
public interface LocalCountListener
{
    /**
     * The local count of a room changed: 0 to 1 (first local subscriber), n to n + 1, n to n - 1, or 1 to 0
     * (last local subscriber gone).
     *
     * @param roomId        the room.
     * @param previousCount the count before, never negative.
     * @param newCount      the count now, never negative, different from {@code previousCount}.
     */
    void onLocalCountChanged(long roomId, long previousCount, long newCount);
}
