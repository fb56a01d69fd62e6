package io.cohort.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * One member of a {@link View}: who it is ({@code nodeId}, {@code incarnation}) and how to reach it.
 * <p>
 * Immutable: the public key is copied in and out, so a view once built can be shared between threads and compared
 * by content. The identity of a member is the pair {@code (nodeId, incarnation)}: a node that restarts is a new
 * member even if it keeps its node id.
 * <p>
 * Age order ({@link #compareAge}) is {@code (incarnation, nodeId unsigned)} ascending, oldest first; it is a total
 * order on members with distinct node ids, so every node sorts one view's members into the same ranks.
 */
final class ViewMember
{
    private static final byte[] NO_KEY = new byte[0];

    private final long nodeId;
    private final long incarnation;
    private final String syncEndpoint;
    private final String commandEndpoint;
    private final byte[] publicKey;

    /**
     * A member.
     *
     * @param nodeId          the node's id.
     * @param incarnation     the node's incarnation (its start time in milliseconds; larger = younger).
     * @param syncEndpoint    where it publishes its sync stream.
     * @param commandEndpoint where it answers commands.
     * @param publicKey       its CURVE public key, empty without CURVE; copied.
     */
    ViewMember(
        final long nodeId,
        final long incarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final byte[] publicKey)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.syncEndpoint = Objects.requireNonNull(syncEndpoint, "syncEndpoint");
        this.commandEndpoint = Objects.requireNonNull(commandEndpoint, "commandEndpoint");
        this.publicKey = null == publicKey || 0 == publicKey.length ? NO_KEY : publicKey.clone();
    }

    /**
     * Orders members by age: {@code (incarnation, nodeId unsigned)} ascending, oldest first.
     *
     * @param a a member.
     * @param b another member.
     * @return negative if {@code a} is older than {@code b}, 0 if both have the same incarnation and node id.
     */
    static int compareAge(final ViewMember a, final ViewMember b)
    {
        return compareAge(a.incarnation, a.nodeId, b.incarnation, b.nodeId);
    }

    /**
     * Orders two (incarnation, node id) pairs by age, oldest first, without objects.
     *
     * @param incarnationA incarnation of the first.
     * @param nodeIdA      node id of the first.
     * @param incarnationB incarnation of the second.
     * @param nodeIdB      node id of the second.
     * @return negative if the first is older.
     */
    static int compareAge(final long incarnationA, final long nodeIdA, final long incarnationB, final long nodeIdB)
    {
        final int byIncarnation = Long.compare(incarnationA, incarnationB);
        return 0 != byIncarnation ? byIncarnation : Long.compareUnsigned(nodeIdA, nodeIdB);
    }

    long nodeId()
    {
        return nodeId;
    }

    long incarnation()
    {
        return incarnation;
    }

    String syncEndpoint()
    {
        return syncEndpoint;
    }

    String commandEndpoint()
    {
        return commandEndpoint;
    }

    /**
     * The public key.
     *
     * @return a copy; empty without CURVE.
     */
    byte[] publicKey()
    {
        return 0 == publicKey.length ? NO_KEY : publicKey.clone();
    }

    int publicKeyLength()
    {
        return publicKey.length;
    }

    /**
     * Whether this is the given member incarnation.
     *
     * @param nodeId      a node id.
     * @param incarnation an incarnation.
     * @return true if both match.
     */
    boolean is(final long nodeId, final long incarnation)
    {
        return this.nodeId == nodeId && this.incarnation == incarnation;
    }

    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ViewMember))
        {
            return false;
        }
        final ViewMember that = (ViewMember)o;
        return nodeId == that.nodeId && incarnation == that.incarnation &&
            syncEndpoint.equals(that.syncEndpoint) && commandEndpoint.equals(that.commandEndpoint) &&
            Arrays.equals(publicKey, that.publicKey);
    }

    public int hashCode()
    {
        int result = Long.hashCode(nodeId);
        result = 31 * result + Long.hashCode(incarnation);
        result = 31 * result + syncEndpoint.hashCode();
        result = 31 * result + commandEndpoint.hashCode();
        return 31 * result + Arrays.hashCode(publicKey);
    }

    public String toString()
    {
        return ClusterCore.id(nodeId) + "/" + incarnation;
    }
}
