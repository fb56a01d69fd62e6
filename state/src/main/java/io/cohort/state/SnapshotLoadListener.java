package io.cohort.state;

/**
 * Told by a {@link SnapshotLoader} when an owner's rows are loaded and their digest verified, so that the
 * engine replays that owner's buffered sync messages with a sequence above {@code ownerSequence}.
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
}
