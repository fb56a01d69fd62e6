package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.RoomRemovedEncoder;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Creations of rooms that a member's removal undid before this node applied them.
 * <p>
 * Rooms have no owner: any node creates one on its own stream and any node removes one on its own, and streams
 * from different senders are not ordered with each other. A room created by X and removed by Y once Y had applied
 * the creation could reach a third node removal first: the removal found nothing to remove, the creation then made
 * the room, and that node kept a room every other node had dropped. So a removal says how far its sender had applied
 * each member's stream ({@link RoomRemovedDecoder#coveredSequence}), and a node behind that point on a member's
 * stream keeps the entry here until it catches up: a creation of the room from that member at or before the covered
 * sequence, applied later, is one the remover saw, and is undone as it arrives (it is skipped). A creation past the
 * covered sequence is one the remover had not seen (a later or a concurrent one) and is applied as before.
 * <p>
 * An entry goes once this node has applied the member's stream up to its sequence (nothing older will be applied
 * from it), once the member's incarnation is no longer a member here, or, beyond {@link #MAX_ENTRIES}, the oldest
 * first (the race it guards is then possible again for that room, as before this rule). Few entries exist at once:
 * one per covered member of each removal that outran a member's stream.
 * <p>
 * Single threaded, on the node's thread. Allocates only when the arrays grow.
 */
final class CoveredCreations
{
    /** The most entries kept: a bound on memory while a member's stream is held up for long. */
    static final int MAX_ENTRIES = 65_536;
    private static final int INITIAL_CAPACITY = 16;

    private final long nodeId;
    private final LongFunction<Member> members;
    private final LongHashSet rooms = new LongHashSet();
    private long[] roomIds = new long[INITIAL_CAPACITY];
    private long[] creatorIds = new long[INITIAL_CAPACITY];
    private long[] creatorIncarnations = new long[INITIAL_CAPACITY];
    private long[] coveredSequences = new long[INITIAL_CAPACITY];
    private int size;
    private long creationsUndone;

    /**
     * @param nodeId  this node's id (its own stream needs no entry: it has applied all of it).
     * @param members this node's member records by node id (null for a node that is none).
     */
    CoveredCreations(final long nodeId, final LongFunction<Member> members)
    {
        this.nodeId = nodeId;
        this.members = members;
    }

    /**
     * Which members' streams a removal sent now covers: every synced member's, up to what this node has applied.
     * A member not synced here covers nothing: its messages wait in a buffer, none of them applied yet.
     *
     * @param members this node's members.
     * @return how many entries {@link #writeCovered} writes.
     */
    static int coveredCount(final List<Member> members)
    {
        int count = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (members.get(i).appliedSequence() > 0)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Writes the covered entries of a removal: the members {@link #coveredCount} counted, in the same order.
     *
     * @param members this node's members, unchanged since they were counted.
     * @param encoder wrapped on a body claimed for {@code count} entries.
     * @param count   what {@link #coveredCount} returned.
     */
    static void writeCovered(final List<Member> members, final RoomRemovedEncoder encoder, final int count)
    {
        encoder.coveredCount(count);
        int index = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            final long applied = member.appliedSequence();
            if (applied > 0)
            {
                encoder.covered(index++, member.nodeId, member.incarnation, applied);
            }
        }
    }

    /**
     * Records the covered creations of a member's removal that this node has not applied yet.
     *
     * @param removal the removal, wrapped.
     */
    void onRemoval(final RoomRemovedDecoder removal)
    {
        if (size > 0)
        {
            prune();
        }
        final long roomId = removal.roomId();
        for (int i = 0, count = removal.coveredCount(); i < count; i++)
        {
            final long creatorId = removal.coveredNodeId(i);
            final Member creator = creatorId == nodeId ? null : members.apply(creatorId);
            final long covered = removal.coveredSequence(i);
            if (null != creator && creator.incarnation == removal.coveredIncarnation(i) &&
                creator.appliedSequence() < covered)
            {
                add(roomId, creatorId, creator.incarnation, covered);
            }
        }
    }

    /**
     * Whether a member's creation of a room, at a sequence of its stream, was undone by a removal this node applied
     * first. Counted: such a creation is skipped.
     *
     * @param roomId   the room created.
     * @param creator  the member whose stream carries the creation.
     * @param sequence the creation's sequence.
     * @return true if the creation is covered.
     */
    boolean covers(final long roomId, final Member creator, final long sequence)
    {
        if (0 == size || !rooms.contains(roomId))
        {
            return false;
        }
        for (int i = 0; i < size; i++)
        {
            if (roomIds[i] == roomId && creatorIds[i] == creator.nodeId &&
                creatorIncarnations[i] == creator.incarnation && sequence <= coveredSequences[i])
            {
                creationsUndone++;
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a removal applied here covers a creation this node has not applied yet: its room table then lacks a
     * room that a node replaying that creation would make ({@link RoomTableStreams}).
     *
     * @return true while such an entry is left.
     */
    boolean awaitsCreation()
    {
        if (size > 0)
        {
            prune();
        }
        return size > 0;
    }

    /**
     * @return creations of members skipped because a removal that covered them was applied first.
     */
    long creationsUndone()
    {
        return creationsUndone;
    }

    /**
     * @return entries held.
     */
    int size()
    {
        return size;
    }

    private void add(final long roomId, final long creatorId, final long creatorIncarnation, final long covered)
    {
        if (size == MAX_ENTRIES)
        {
            removeAt(0);
        }
        if (size == roomIds.length)
        {
            final int capacity = Math.min(MAX_ENTRIES, 2 * size);
            roomIds = Arrays.copyOf(roomIds, capacity);
            creatorIds = Arrays.copyOf(creatorIds, capacity);
            creatorIncarnations = Arrays.copyOf(creatorIncarnations, capacity);
            coveredSequences = Arrays.copyOf(coveredSequences, capacity);
        }
        roomIds[size] = roomId;
        creatorIds[size] = creatorId;
        creatorIncarnations[size] = creatorIncarnation;
        coveredSequences[size] = covered;
        size++;
        rooms.add(roomId);
    }

    /**
     * Drops the entries nothing can match any more: the member's stream applied past them here, or the member's
     * incarnation gone.
     */
    private void prune()
    {
        for (int i = size - 1; i >= 0; i--)
        {
            final Member creator = members.apply(creatorIds[i]);
            if (null == creator || creator.incarnation != creatorIncarnations[i] ||
                creator.appliedSequence() >= coveredSequences[i])
            {
                removeAt(i);
            }
        }
        if (0 == size)
        {
            rooms.clear();
        }
    }

    /**
     * Removes an entry, keeping the others in the order they came (the oldest is dropped first when full). The room
     * stays in {@link #rooms} until no entry is left: a stale member there costs one scan.
     */
    private void removeAt(final int index)
    {
        final int tail = size - index - 1;
        System.arraycopy(roomIds, index + 1, roomIds, index, tail);
        System.arraycopy(creatorIds, index + 1, creatorIds, index, tail);
        System.arraycopy(creatorIncarnations, index + 1, creatorIncarnations, index, tail);
        System.arraycopy(coveredSequences, index + 1, coveredSequences, index, tail);
        size--;
    }
}
