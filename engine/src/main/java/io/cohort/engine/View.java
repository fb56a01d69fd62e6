package io.cohort.engine;

import io.cohort.codec.ReasonCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One membership of a cluster instance: {@code (lineage, epoch, members)}, plus the members the transition into
 * it removed.
 * <p>
 * What it guarantees:
 * <ul>
 *     <li>Immutable and compared by content, so a view chosen by agreement is the same object state on every node
 *     that installs it.</li>
 *     <li>Members are held in age order, rank 0 = oldest ({@link ViewMember#compareAge}); the order depends only on
 *     the members, never on the order they were given in, so every node computes the same rank for a member.</li>
 *     <li>At most {@link #MAX_MEMBERS} members (rank bitmaps are one {@code long}), node ids distinct,
 *     {@code epoch >= 1}; anything else is refused with an {@link IllegalArgumentException} naming the problem.</li>
 *     <li>{@link #successor} keeps the lineage and adds one to the epoch: the views of one cluster instance form one
 *     chain, and agreement (one successor per epoch, see {@link Quorum}) keeps it a chain.</li>
 * </ul>
 * The lineage is a random 64-bit value drawn by the founder: two instances of one cluster name that formed apart
 * have different lineages, which is how a heal tells them apart.
 */
final class View
{
    /** The flag of a view whose members all leave to join another cluster instance (a merge). */
    static final int FLAG_DISSOLVE = 1;

    /** The most members a view holds: a set of ranks is one {@code long}. */
    static final int MAX_MEMBERS = Long.SIZE;

    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;

    private final long lineage;
    private final long epoch;
    private final int flags;
    private final ViewMember[] members;
    private final long[] memberIds;
    private final long[] removedNodeIds;
    private final long[] removedIncarnations;
    private final int[] removedReasons;
    private final long hash;

    /**
     * A view.
     *
     * @param lineage             the cluster instance's random id.
     * @param epoch               the view's number in its lineage, from 1.
     * @param flags               e.g. {@link #FLAG_DISSOLVE}.
     * @param members             the members in any order; sorted here by age.
     * @param removedNodeIds      the members the transition into this view removed.
     * @param removedIncarnations their incarnations, index for index.
     * @param removedReasons      their reasons ({@link EvictionReason#code()}), index for index.
     * @throws IllegalArgumentException on an epoch below 1, no member, more than {@link #MAX_MEMBERS}, a node id
     *                                  listed twice, removed arrays of different lengths, or a member also listed as
     *                                  removed.
     */
    View(
        final long lineage,
        final long epoch,
        final int flags,
        final List<ViewMember> members,
        final long[] removedNodeIds,
        final long[] removedIncarnations,
        final int[] removedReasons)
    {
        if (epoch < 1)
        {
            throw new IllegalArgumentException("a view's epoch starts at 1: epoch=" + epoch);
        }
        if (members.isEmpty())
        {
            throw new IllegalArgumentException("a view has at least one member: members=0");
        }
        if (members.size() > MAX_MEMBERS)
        {
            throw new IllegalArgumentException(
                "a view has at most " + MAX_MEMBERS + " members: members=" + members.size());
        }
        if (removedNodeIds.length != removedIncarnations.length || removedNodeIds.length != removedReasons.length)
        {
            throw new IllegalArgumentException("removed lists differ in length: nodeIds=" + removedNodeIds.length +
                " incarnations=" + removedIncarnations.length + " reasons=" + removedReasons.length);
        }

        final ViewMember[] sorted = members.toArray(new ViewMember[0]);
        for (final ViewMember member : sorted)
        {
            if (null == member)
            {
                throw new IllegalArgumentException("a view's member is null");
            }
        }
        Arrays.sort(sorted, ViewMember::compareAge);
        final long[] ids = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++)
        {
            ids[i] = sorted[i].nodeId();
            for (int j = 0; j < i; j++)
            {
                if (ids[j] == ids[i])
                {
                    throw new IllegalArgumentException("node listed twice in a view: nodeId=" + ClusterCore.id(ids[i]));
                }
            }
        }
        for (int i = 0; i < removedNodeIds.length; i++)
        {
            for (final ViewMember member : sorted)
            {
                if (member.is(removedNodeIds[i], removedIncarnations[i]))
                {
                    throw new IllegalArgumentException(
                        "a member is also listed as removed: member=" + member);
                }
            }
        }

        this.lineage = lineage;
        this.epoch = epoch;
        this.flags = flags;
        this.members = sorted;
        this.memberIds = ids;
        this.removedNodeIds = removedNodeIds.clone();
        this.removedIncarnations = removedIncarnations.clone();
        this.removedReasons = removedReasons.clone();
        this.hash = computeHash();
    }

    /**
     * The first view of a new cluster instance: the founder alone, epoch 1.
     *
     * @param lineage the random id the founder drew.
     * @param founder the founder.
     * @return the view.
     */
    static View founding(final long lineage, final ViewMember founder)
    {
        return new View(lineage, 1, 0, List.of(founder), new long[0], new long[0], new int[0]);
    }

    /**
     * The next view of this lineage: epoch + 1, these members removed, those added.
     *
     * @param removeNodeIds members to remove.
     * @param reasons       why, index for index ({@link EvictionReason#code()}).
     * @param add           members to add.
     * @param flags         the new view's flags.
     * @return the successor, whose removed list is exactly {@code removeNodeIds} with the incarnations they had here.
     * @throws IllegalArgumentException if a node to remove is not a member or is listed twice, the arrays differ in
     *                                  length, or the result is not a valid view.
     */
    View successor(final long[] removeNodeIds, final int[] reasons, final List<ViewMember> add, final int flags)
    {
        if (removeNodeIds.length != reasons.length)
        {
            throw new IllegalArgumentException("removeNodeIds and reasons differ in length: " +
                removeNodeIds.length + " vs " + reasons.length);
        }
        long removedRanks = 0;
        final long[] incarnations = new long[removeNodeIds.length];
        for (int i = 0; i < removeNodeIds.length; i++)
        {
            final int rank = rankOf(removeNodeIds[i]);
            if (rank < 0)
            {
                throw new IllegalArgumentException(
                    "cannot remove a node that is not a member: nodeId=" + ClusterCore.id(removeNodeIds[i]));
            }
            if (0 != (removedRanks & (1L << rank)))
            {
                throw new IllegalArgumentException(
                    "node listed twice for removal: nodeId=" + ClusterCore.id(removeNodeIds[i]));
            }
            removedRanks |= 1L << rank;
            incarnations[i] = members[rank].incarnation();
        }

        final List<ViewMember> next = new ArrayList<>(members.length + add.size());
        for (int rank = 0; rank < members.length; rank++)
        {
            if (0 == (removedRanks & (1L << rank)))
            {
                next.add(members[rank]);
            }
        }
        next.addAll(add);
        return new View(lineage, epoch + 1, flags, next, removeNodeIds, incarnations, reasons);
    }

    long lineage()
    {
        return lineage;
    }

    long epoch()
    {
        return epoch;
    }

    int flags()
    {
        return flags;
    }

    boolean isDissolve()
    {
        return 0 != (flags & FLAG_DISSOLVE);
    }

    int size()
    {
        return members.length;
    }

    /**
     * The bitmap of every rank of this view.
     *
     * @return bits 0 to {@code size() - 1} set.
     */
    long allRanks()
    {
        return allRanks(members.length);
    }

    /**
     * The bitmap of every rank of a view of a size.
     *
     * @param size a view size, 0 to {@link #MAX_MEMBERS}.
     * @return bits 0 to {@code size - 1} set.
     */
    static long allRanks(final int size)
    {
        return size >= Long.SIZE ? -1L : (1L << size) - 1;
    }

    /**
     * The member of a rank.
     *
     * @param rank 0 = oldest.
     * @return the member.
     */
    ViewMember member(final int rank)
    {
        return members[rank];
    }

    /**
     * The members in age order.
     *
     * @return an unmodifiable list, oldest first.
     */
    List<ViewMember> members()
    {
        return Collections.unmodifiableList(Arrays.asList(members));
    }

    /**
     * The rank of a node; a scan of at most {@link #MAX_MEMBERS} longs, with no allocation.
     *
     * @param nodeId a node id.
     * @return its rank, or -1 if it is not a member.
     */
    int rankOf(final long nodeId)
    {
        final long[] ids = memberIds;
        for (int rank = 0; rank < ids.length; rank++)
        {
            if (ids[rank] == nodeId)
            {
                return rank;
            }
        }
        return -1;
    }

    /**
     * Whether this incarnation of a node is a member (a restarted node with the same id is not).
     *
     * @param nodeId      a node id.
     * @param incarnation its incarnation.
     * @return true if it is a member.
     */
    boolean contains(final long nodeId, final long incarnation)
    {
        final int rank = rankOf(nodeId);
        return rank >= 0 && members[rank].incarnation() == incarnation;
    }

    int removedCount()
    {
        return removedNodeIds.length;
    }

    long removedNodeId(final int index)
    {
        return removedNodeIds[index];
    }

    long removedIncarnation(final int index)
    {
        return removedIncarnations[index];
    }

    int removedReason(final int index)
    {
        return removedReasons[index];
    }

    /**
     * Why the transition into this view removed a node.
     *
     * @param nodeId the node.
     * @return its reason, or {@link ReasonCode#PARTITION} for a node the view leaves out without naming it.
     */
    int reasonRemoved(final long nodeId)
    {
        int reason = ReasonCode.PARTITION;
        for (int i = 0; i < removedNodeIds.length; i++)
        {
            if (removedNodeIds[i] == nodeId)
            {
                reason = removedReasons[i];
            }
        }
        return reason;
    }

    /**
     * Whether the transition into this view removed this incarnation of a node.
     *
     * @param nodeId      a node id.
     * @param incarnation its incarnation.
     * @return true if it is in the removed list.
     */
    boolean removed(final long nodeId, final long incarnation)
    {
        for (int i = 0; i < removedNodeIds.length; i++)
        {
            if (removedNodeIds[i] == nodeId && removedIncarnations[i] == incarnation)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A 64-bit digest of the lineage, epoch, flags and each member's (node id, incarnation), for counters. It
     * depends on nothing but those values (XXH64's 8-byte lane step and avalanche over them), so two JVMs holding
     * the same view show the same number.
     *
     * @return the digest.
     */
    long hash()
    {
        return hash;
    }

    private long computeHash()
    {
        long h = PRIME_5 + (long)(4 + 2 * members.length) * Long.BYTES;
        h = lane(h, lineage);
        h = lane(h, epoch);
        h = lane(h, flags & 0xFFFF_FFFFL);
        h = lane(h, members.length);
        for (final ViewMember member : members)
        {
            h = lane(h, member.nodeId());
            h = lane(h, member.incarnation());
        }
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        return h ^ (h >>> 32);
    }

    private static long lane(final long h, final long value)
    {
        final long k = Long.rotateLeft(value * PRIME_2, 31) * PRIME_1;
        return Long.rotateLeft(h ^ k, 27) * PRIME_1 + PRIME_4;
    }

    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof View))
        {
            return false;
        }
        final View that = (View)o;
        return lineage == that.lineage && epoch == that.epoch && flags == that.flags &&
            Arrays.equals(members, that.members) &&
            Arrays.equals(removedNodeIds, that.removedNodeIds) &&
            Arrays.equals(removedIncarnations, that.removedIncarnations) &&
            Arrays.equals(removedReasons, that.removedReasons);
    }

    public int hashCode()
    {
        return Long.hashCode(hash);
    }

    /**
     * A short form for logs: {@code lineage/epoch [nodeId/incarnation, ...]}, ids in hex, oldest first.
     *
     * @return e.g. {@code 00000000000000ab/3 [0000000000000001/100, 0000000000000002/101]}.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(32 + 40 * members.length);
        sb.append(ClusterCore.id(lineage)).append('/').append(epoch);
        if (0 != flags)
        {
            sb.append(" flags=").append(flags);
        }
        sb.append(" [");
        for (int rank = 0; rank < members.length; rank++)
        {
            if (rank > 0)
            {
                sb.append(", ");
            }
            sb.append(members[rank]);
        }
        return sb.append(']').toString();
    }
}
