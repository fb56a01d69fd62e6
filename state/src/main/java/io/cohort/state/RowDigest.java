package io.cohort.state;

/**
 * The per-owner content digest: the wrapping sum, over the owner's rows with a count above 0, of
 * {@link #mix(long, long)} of (room, count). A sum does not depend on the order in which rows were written,
 * so two nodes holding the same rows of an owner hold the same digest whatever path led there, and it is
 * kept up to date in O(1) per change: {@code digest += mix(room, new) - mix(room, old)}, with a count of 0
 * contributing nothing. An owner without rows has digest 0.
 * <p>
 * This is a consistency check between honest replicas (a lost or garbled update changes it with
 * probability about 1 - 2^-64), not a cryptographic commitment. The function is part of the protocol:
 * every node must compute it identically, and tests pin its values.
 */
public final class RowDigest
{
    /** Digest of an owner holding no rows. */
    public static final long EMPTY = 0L;

    private RowDigest()
    {
    }

    /**
     * The contribution of one row to its owner's digest.
     *
     * @param roomId the room.
     * @param count  the owner's count in it.
     * @return 0 for a count of 0, else a 64-bit mix of both.
     */
    public static long mix(final long roomId, final long count)
    {
        if (0 == count)
        {
            return 0;
        }
        // Mixing the room first makes distinct rows collide only by chance, never by arithmetic.
        return mix64(mix64(roomId) + count);
    }

    /**
     * The new digest after one row changed.
     *
     * @param digest        the owner's digest before.
     * @param roomId        the room of the row.
     * @param previousCount the count before (0 if the row did not exist).
     * @param newCount      the count after (0 if the row is removed).
     * @return the owner's digest after.
     */
    public static long update(final long digest, final long roomId, final long previousCount, final long newCount)
    {
        return digest + mix(roomId, newCount) - mix(roomId, previousCount);
    }

    /**
     * SplitMix64's finaliser (Stafford's variant 13): a bijection on 64 bits with full avalanche.
     *
     * @param value to mix.
     * @return the mixed value.
     */
    public static long mix64(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
