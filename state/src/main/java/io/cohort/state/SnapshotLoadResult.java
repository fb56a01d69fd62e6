package io.cohort.state;

/**
 * Outcome of giving a frame or chunk to a {@link SnapshotLoader}. After a failure the loader refuses
 * everything until {@link SnapshotLoader#begin(long)}, and the state holds a partial load that the caller
 * must not trust (a joining node gives up and joins again with a fresh state).
 */
public enum SnapshotLoadResult
{
    /** Applied; more chunks are expected. */
    LOADING(false),
    /** The last chunk of the snapshot was applied: the load is complete. */
    COMPLETE(false),
    /**
     * {@link SnapshotLoader#begin(long)} was not called, or the snapshot is already complete: the input is
     * ignored (not a failure of the load).
     */
    NOT_LOADING(false),
    /** The frame failed to decode (checksum, length, structure). */
    BAD_FRAME(true),
    /** A message other than a snapshot chunk. */
    UNEXPECTED_MESSAGE(true),
    /** A chunk answering another request. */
    CORRELATION_MISMATCH(true),
    /** A frame or chunk is missing, repeated or out of order (frame sequence, chunk index, owner). */
    OUT_OF_ORDER(true),
    /** A chunk contradicts its stream: counts in a rooms-only chunk, or a changed owner incarnation. */
    MALFORMED_CHUNK(true),
    /** A chunk carries rows of this node, which only this node writes. */
    LOCAL_OWNER(true),
    /** The state refused a room or a count (see {@link SnapshotLoader#stateRefusal()}). */
    STATE_REFUSED(true),
    /** An owner's loaded rows do not reproduce the digest its last chunk carried. */
    DIGEST_MISMATCH(true);

    private final boolean failure;

    SnapshotLoadResult(final boolean failure)
    {
        this.failure = failure;
    }

    /**
     * Whether the load has failed.
     *
     * @return true for a failure.
     */
    public boolean isFailure()
    {
        return failure;
    }
}
