package io.cohort.state;

/**
 * Told by a {@link SnapshotLoader} when an owner's rows are loaded and their digest verified, so that the
 * engine replays that owner's buffered sync messages with a sequence above {@code ownerSequence}; asked whether each
 * room of the snapshot's table is to be made here.
 */
@FunctionalInterface
public interface SnapshotLoadListener
{
    /**
     * An owner's rows are loaded and match the digest its last chunk carried.
     *
     * @param ownerNodeId      the owner.
     * @param ownerIncarnation its incarnation, as the snapshot recorded it.
     * @param ownerSequence    its broadcast sequence at the start of its stream: messages up to it are in.
     * @param rows             rows loaded.
     */
    void onOwnerLoaded(long ownerNodeId, long ownerIncarnation, long ownerSequence, long rows);

    /**
     * An owner's rows read across several duty cycles are loaded ({@link io.cohort.codec.SnapshotChunkDecoder#FLAG_FUZZY}):
     * they are not yet verified. The listener must replay the owner's buffered messages above {@code startSequence}
     * and, having applied exactly those up to {@code endSequence}, check that the owner's digest is
     * {@code endDigest} before trusting the copy (see {@link SnapshotWriter}). A listener that cannot do so must not
     * accept such a snapshot: by default this fails.
     *
     * @param ownerNodeId      the owner.
     * @param ownerIncarnation its incarnation, as the snapshot recorded it.
     * @param startSequence    S: messages up to it are in the rows.
     * @param endSequence      E: the copy is exact once the messages of (S, E] are replayed.
     * @param endDigest        the owner's digest at E.
     * @param rows             rows loaded.
     * @throws IllegalStateException unless overridden.
     */
    default void onFuzzyOwnerLoaded(long ownerNodeId, long ownerIncarnation, long startSequence, long endSequence,
        long endDigest, long rows)
    {
        throw new IllegalStateException("a sliced snapshot of ownerNodeId=" + ownerNodeId +
            " needs its digest checked after replay, which this listener does not do");
    }

    /**
     * Whether a room of the snapshot's room table is to be made here. A room table only adds rooms, and the sender's
     * copy may be older than a removal this node has applied (the engine keeps tombstones of those): such a room is
     * skipped, counted by {@link SnapshotLoader#roomsSkipped()}. By default every room is made.
     *
     * @param roomId the room, already checked well formed.
     * @return true to make it here (or find it made), false to skip it.
     */
    default boolean admitsRoom(long roomId)
    {
        return true;
    }
}
