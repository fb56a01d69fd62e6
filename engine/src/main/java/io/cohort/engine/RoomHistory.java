package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

import java.util.Arrays;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * The recent creations and removals applied here of each room, with the stream and sequence that carried each, so
 * that rooms end the same on every node although their changes come from every node and streams are not ordered with
 * each other. Four rules read it:
 * <ul>
 *   <li><b>A removal undoes only the creations its sender had seen.</b> A node X that applied Y's removal of a room
 *   and then created it again made a room every node should hold; a third node that applies X's creation first (the
 *   room still exists there: nothing changes) and Y's removal after it (a slower link from Y, or a joiner replaying
 *   Y's buffer after X's) removed the room, and alone lacked it. A removal says how far its sender had applied each
 *   member's stream ({@link RoomRemovedDecoder#coveredSequence}); a creation applied here since the room's last
 *   removal, past that point on its creator's stream, is one the remover had not seen, and the room stays
 *   ({@link #outrun}). {@link CoveredCreations} is the other half: a creation the remover had seen, arriving after
 *   the removal, is skipped. A removal that says nothing of a creator's stream (a node that does not send the list,
 *   or had dropped the creator by then) undoes that creator's creations as before.</li>
 *   <li><b>An older table does not make a removed room again.</b> A room table only adds rooms. A member's whole
 *   table, loaded when this node syncs it again (its copy went wrong) or syncs a node that joined beside it, may have
 *   been read before its sender applied a removal this node has applied: loaded as it is, it made the room again here
 *   alone. So a room whose last change here is a removal keeps it as a tombstone, the table comes with how far its
 *   sender had applied each stream ({@link TableStreams}), and a room of the table is skipped while the sender had
 *   applied less of the remover's stream than the removal ({@link #outdates}). A sender that had applied the removal
 *   and still holds the room made it again later, and a table that says nothing of the remover's stream is loaded as
 *   before: a room kept too long is the lesser fault than a room in use lost. A node that took its table from a
 *   member (a joiner) never applies the removals that table reflects, so every table also goes with its sender's
 *   records of the removals of rooms it lacks ({@link #forEachRemoval}), kept here as this node's own where it has
 *   none of the room ({@link #importRemoval}).</li>
 *   <li><b>A removal lost with its frame is applied from its sender's record.</b> A node whose copy of a member went
 *   wrong (a frame lost) takes it again, and the member's table only adds rooms: a removal by the member at or before
 *   its snapshot's start is neither in the table nor replayed. Its record, sent with the table, removes the room here
 *   if every creation of it applied here, back to the one that made it or to its last removal, was one the member
 *   had seen ({@link #undoneBy}; that is why a creation notes whether it made the room).</li>
 *   <li><b>A removed member's last room changes are announced again.</b> A member cut off from some nodes (or killed
 *   while sending) may have made or removed a room in frames that reached only the others; once a view removes it
 *   nobody will resend them. Each member announces again, as its own, the changes of that member that are the last
 *   here of their room and were applied recently ({@link #lastChangesBy}, {@link RemovedMemberRooms}); that is why
 *   a change notes when it was applied.</li>
 * </ul>
 * Each room's changes are chained from its latest; a removal ends the chain (creations before it are undone). This
 * node's own changes are held as past every sequence ({@link #UNPUBLISHED}) until published. At most
 * {@link #MAX_ENTRIES} changes are kept, the oldest written over first (for those the faults above are possible
 * again, as before these rules). Allocates only while its arrays grow. Not thread safe: the node's thread only.
 */
final class RoomHistory
{
    /** The most changes kept: a bound on memory where rooms come and go all day. */
    static final int MAX_ENTRIES = 65_536;
    /** Sequence of a change by this node not yet published: no other node has seen it. */
    static final long UNPUBLISHED = Long.MAX_VALUE;
    private static final int INITIAL_CAPACITY = 64;
    private static final long NONE = -1;
    /** A node id no member has (0 names the broadcast stream): no creation is this remover's. */
    private static final long NO_NODE = 0;

    private final long nodeId;
    private final long incarnation;
    private final LongPredicate roomExists;
    private final LongSupplier clock;
    /** Each room's latest change, by its slot; earlier ones are chained from it by {@link #previousSlots}. */
    private final Long2LongHashMap latestSlot = new Long2LongHashMap(NONE);
    private long[] roomIds = new long[INITIAL_CAPACITY];
    private long[] nodeIds = new long[INITIAL_CAPACITY];
    private long[] incarnations = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private boolean[] removals = new boolean[INITIAL_CAPACITY];
    /** Of a creation: whether it made the room here (the room was absent before it). */
    private boolean[] madeRooms = new boolean[INITIAL_CAPACITY];
    /** When each change was applied (or made) here, on the node's clock. */
    private long[] appliedNs = new long[INITIAL_CAPACITY];
    /** Which write filled each slot, so that a chain link to a slot written over since is seen as broken. */
    private long[] writes = new long[INITIAL_CAPACITY];
    private int[] previousSlots = new int[INITIAL_CAPACITY];
    private long[] previousWrites = new long[INITIAL_CAPACITY];
    private long writeCount;
    private int used;
    private int next;
    private long removalsOutrun;
    private long tableRoomsSkipped;
    private long removalsImported;

    /**
     * @param nodeId      this node, the author of its own changes.
     * @param incarnation its incarnation.
     * @param roomExists  whether a room exists here now (one made again by a table holds no tombstone).
     * @param clock       the node's clock: when each change is applied here ({@link #lastChangesBy}).
     */
    RoomHistory(final long nodeId, final long incarnation, final LongPredicate roomExists, final LongSupplier clock)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.roomExists = roomExists;
        this.clock = clock;
    }

    /**
     * A member's creation of a room was applied here (the room exists now, made by it or before it).
     *
     * @param roomId             the room.
     * @param creatorId          the member.
     * @param creatorIncarnation its incarnation.
     * @param sequence           the creation's sequence on its stream.
     */
    void onCreation(final long roomId, final long creatorId, final long creatorIncarnation, final long sequence)
    {
        onCreation(roomId, creatorId, creatorIncarnation, sequence, false);
    }

    /**
     * A member's creation of a room was applied here.
     *
     * @param roomId             the room.
     * @param creatorId          the member.
     * @param creatorIncarnation its incarnation.
     * @param sequence           the creation's sequence on its stream.
     * @param madeRoom           whether it made the room here (else the room existed already).
     */
    void onCreation(final long roomId, final long creatorId, final long creatorIncarnation, final long sequence,
        final boolean madeRoom)
    {
        record(roomId, creatorId, creatorIncarnation, sequence, false, madeRoom);
    }

    /**
     * This node created a room; its creation is not published yet.
     *
     * @param roomId the room.
     */
    void onOwnCreation(final long roomId)
    {
        record(roomId, nodeId, incarnation, UNPUBLISHED, false, true);
    }

    /**
     * This node announces a room again (it is present here); the announcement is not published yet. A creation like
     * any other for the rules above, except that it did not make the room here.
     *
     * @param roomId the room.
     */
    void onOwnAnnouncement(final long roomId)
    {
        record(roomId, nodeId, incarnation, UNPUBLISHED, false, false);
    }

    /**
     * A member's removal of a room was applied here (or was, in the table loaded from the room source) and the room
     * is gone: its creations are undone, and the removal is its tombstone.
     *
     * @param roomId             the room.
     * @param removerId          the member.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     */
    void onRemoval(final long roomId, final long removerId, final long removerIncarnation, final long sequence)
    {
        record(roomId, removerId, removerIncarnation, sequence, true, false);
    }

    /**
     * This node removed a room; its removal is not published yet.
     *
     * @param roomId the room.
     */
    void onOwnRemoval(final long roomId)
    {
        record(roomId, nodeId, incarnation, UNPUBLISHED, true, false);
    }

    /**
     * This node's change of a room was published: its latest unpublished one of that kind gets its sequence.
     *
     * @param roomId   the room.
     * @param removal  whether the change published is a removal (else a creation or an announcement).
     * @param sequence its sequence on this node's stream.
     */
    void onOwnChangePublished(final long roomId, final boolean removal, final long sequence)
    {
        for (int slot = first(roomId); slot >= 0; slot = previous(slot))
        {
            if (removals[slot] == removal && nodeIds[slot] == nodeId && incarnations[slot] == incarnation &&
                UNPUBLISHED == sequences[slot])
            {
                sequences[slot] = sequence;
                return;
            }
            if (removals[slot])
            {
                return; // changes before the room's last removal are history
            }
        }
    }

    /**
     * Whether a member's removal of a room misses a creation applied here since the room's last removal: one by
     * another node past what the removal says the remover had applied of the creator's stream. Counted: the room
     * then stays.
     *
     * @param removal            the removal, wrapped, with its covered list.
     * @param removerId          the member that sent it.
     * @param removerIncarnation its incarnation.
     * @return true if a creation the remover had not seen made the room here.
     */
    boolean outrun(final RoomRemovedDecoder removal, final long removerId, final long removerIncarnation)
    {
        for (int slot = first(removal.roomId()); slot >= 0 && !removals[slot]; slot = previous(slot))
        {
            final long creatorId = nodeIds[slot];
            final long creatorIncarnation = incarnations[slot];
            if (creatorId == removerId && creatorIncarnation == removerIncarnation)
            {
                continue; // the remover's own creation is before its removal on its stream
            }
            final long covered = coveredSequence(removal, creatorId, creatorIncarnation);
            if (NONE != covered && covered < sequences[slot])
            {
                removalsOutrun++;
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a room of a member's table is older than the removal applied here last: its sender had not applied the
     * removal when it began reading the table. Counted: such a room is skipped.
     *
     * @param roomId  a room of the table.
     * @param streams how far the table reflects each stream.
     * @return true if the room is to be skipped.
     */
    boolean outdates(final long roomId, final TableStreams streams)
    {
        final int slot = first(roomId);
        if (slot < 0 || !removals[slot] || roomExists.test(roomId))
        {
            return false;
        }
        final long applied = streams.sequenceOf(nodeIds[slot], incarnations[slot]);
        if (TableStreams.UNKNOWN == applied || applied >= sequences[slot])
        {
            return false;
        }
        tableRoomsSkipped++;
        return true;
    }

    /**
     * A member's table (its sender's snapshot) says its sender applied a removal of a room: kept as this node's own
     * record of it if this node has none of the room and lacks it. A table taken from a member reflects the removals
     * that member applied, which this node then never applies itself (they are at or before the table's streams);
     * without their record here, an older table of another member loaded later would make such a room again here
     * alone ({@link #outdates}).
     *
     * @param roomId             the room.
     * @param removerId          the node whose removal it was.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     * @return whether it was kept.
     */
    boolean importRemoval(final long roomId, final long removerId, final long removerIncarnation, final long sequence)
    {
        // A room with a record here, or present here, has its own history: a removal from elsewhere, unordered with
        // it, must not end that chain (the creations after it would no longer be seen by outrun).
        if (NONE != latestSlot.get(roomId) || roomExists.test(roomId))
        {
            return false;
        }
        record(roomId, removerId, removerIncarnation, sequence, true, false);
        removalsImported++;
        return true;
    }

    /**
     * Whether a member's own removal of a room, which this node never applied, undoes the room here: this node has
     * applied at least one creation of it since its last removal, and every one was before the removal on the
     * member's stream or on a stream the member's table reflects past it (the member had applied it, and its room is
     * still gone), back to the creation that made the room here or to its last removal. A creation this node does not
     * know the member had seen, a room that came with a table, or a chain cut short by the bound keeps the room: a
     * room kept too long is the lesser fault.
     *
     * @param roomId             the room, present here.
     * @param removerId          the member.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     * @param streams            how far the member's table reflects each stream.
     * @return true if the room is to be removed here.
     */
    boolean undoneBy(final long roomId, final long removerId, final long removerIncarnation, final long sequence,
        final TableStreams streams)
    {
        return CreationsSeen.BACK_TO_ABSENCE == creationsSeen(roomId, removerId, removerIncarnation, sequence, streams);
    }

    /**
     * The rooms whose last change here is a member's, applied since a time: its creations of rooms still present here
     * and its removals of rooms still absent. What a member removed from the view may have sent to only some members
     * ({@link RemovedMemberRooms}). Looks at every change kept ({@link #MAX_ENTRIES} at most).
     *
     * @param authorId          the member.
     * @param authorIncarnation its incarnation.
     * @param sinceNs           the earliest time of application that counts.
     * @param creations         where to add the rooms of its creations (not cleared first).
     * @param removalsOut       where to add the rooms of its removals (not cleared first).
     */
    void lastChangesBy(final long authorId, final long authorIncarnation, final long sinceNs,
        final LongArrayList creations, final LongArrayList removalsOut)
    {
        for (int slot = 0; slot < used; slot++)
        {
            final long roomId = roomIds[slot];
            if (nodeIds[slot] == authorId && incarnations[slot] == authorIncarnation && appliedNs[slot] >= sinceNs &&
                UNPUBLISHED != sequences[slot] && latestSlot.get(roomId) == slot)
            {
                final boolean present = roomExists.test(roomId);
                if (removals[slot] && !present)
                {
                    removalsOut.addLong(roomId);
                }
                else if (!removals[slot] && present)
                {
                    creations.addLong(roomId);
                }
            }
        }
    }

    /**
     * Visits, from a slot on, the removals that are their room's last change here, published, of rooms absent here:
     * what a table sent now lacks because of a removal ({@link #importRemoval} at its receiver). A slot written over
     * between two calls may be visited twice or not at all; a removal missed is the fault these records narrow, not
     * a new one.
     *
     * @param fromSlot where to start, 0 at first.
     * @param maxSlots the most slots to look at in this call: a bound on the node thread's work.
     * @param visitor  told each removal.
     * @return the slot to continue from, or -1 once every slot was looked at.
     */
    int forEachRemoval(final int fromSlot, final int maxSlots, final RemovalVisitor visitor)
    {
        final int end = (int)Math.min(used, (long)fromSlot + maxSlots);
        for (int slot = fromSlot; slot < end; slot++)
        {
            final long roomId = roomIds[slot];
            if (removals[slot] && UNPUBLISHED != sequences[slot] && latestSlot.get(roomId) == slot &&
                !roomExists.test(roomId))
            {
                visitor.onRemoval(roomId, nodeIds[slot], incarnations[slot], sequences[slot]);
            }
        }
        return end < used ? end : -1;
    }

    /**
     * @param roomId a room.
     * @return whether a change of it applied here is kept (else it came with a table and nothing changed it since,
     * or its changes were written over).
     */
    boolean hasChanges(final long roomId)
    {
        return NONE != latestSlot.get(roomId);
    }

    /**
     * Whether a table's sender had applied every creation of a room applied here since the room was last absent
     * here: each one published, on a stream the table reflects at or past it. Walks back to the creation that made
     * the room, its last removal, or the start of its chain (the room came with a table, or nothing changed it since
     * it did); a link written over fails it (what came before is unknown).
     *
     * @param roomId  a room present here.
     * @param streams how far the table reflects each stream.
     * @return true if the table's sender had seen every creation of the room this node applied since it was absent.
     */
    boolean creationsReflectedBy(final long roomId, final TableStreams streams)
    {
        return CreationsSeen.UNSEEN != creationsSeen(roomId, NO_NODE, 0, 0, streams);
    }

    /**
     * How far back a member had seen the creations of a room applied here since the room was last absent here. A
     * creation is seen if it is the remover's own before its removal, or published on a stream the member's table
     * reflects at or past it. Walks from the latest back to the creation that made the room, its last removal, or the
     * start of its chain.
     */
    private CreationsSeen creationsSeen(final long roomId, final long removerId, final long removerIncarnation,
        final long removalSequence, final TableStreams streams)
    {
        int slot = first(roomId);
        if (slot < 0 || removals[slot])
        {
            return CreationsSeen.NONE_APPLIED;
        }
        while (true)
        {
            final long creatorId = nodeIds[slot];
            final long creatorIncarnation = incarnations[slot];
            final long creation = sequences[slot];
            final boolean seen = creatorId == removerId && creatorIncarnation == removerIncarnation ?
                creation < removalSequence :
                UNPUBLISHED != creation && streams.sequenceOf(creatorId, creatorIncarnation) >= creation;
            if (!seen)
            {
                return CreationsSeen.UNSEEN;
            }
            if (madeRooms[slot])
            {
                return CreationsSeen.BACK_TO_ABSENCE; // the room was absent before this creation
            }
            final int previous = previousSlots[slot];
            if (previous < 0)
            {
                return CreationsSeen.BACK_TO_TABLE; // the room came with a table: what made it is unknown here
            }
            if (writes[previous] != previousWrites[slot])
            {
                return CreationsSeen.UNSEEN; // written over: earlier creations are unknown
            }
            if (removals[previous])
            {
                return CreationsSeen.BACK_TO_ABSENCE;
            }
            slot = previous;
        }
    }

    /** How a walk back over a room's creations since it was last absent ended ({@link #creationsSeen}). */
    private enum CreationsSeen
    {
        /** None applied here since the room was last absent (or none kept). */
        NONE_APPLIED,
        /** One was not seen, or the chain was written over before it ended. */
        UNSEEN,
        /** Every one seen, back to the creation that made the room or to its last removal. */
        BACK_TO_ABSENCE,
        /** Every one seen, back to the start of its chain: the room came with a table. */
        BACK_TO_TABLE
    }

    /**
     * A room a table made here turned out older than a removal a later table brought: counted with the rooms
     * {@link #outdates} skips (the same fact, learnt in the other order).
     */
    void onTableRoomOutdated()
    {
        tableRoomsSkipped++;
    }

    /**
     * @return the changes kept: the slots {@link #forEachRemoval} looks at.
     */
    int changes()
    {
        return used;
    }

    /**
     * @return removals kept from members' tables ({@link #importRemoval}).
     */
    long removalsImported()
    {
        return removalsImported;
    }

    /**
     * Forgets every change: this node's room table is emptied.
     */
    void clear()
    {
        latestSlot.clear();
        used = 0;
        next = 0;
    }

    /**
     * @return members' removals not applied because a creation of the room their sender had not seen was applied
     * here first.
     */
    long removalsOutrun()
    {
        return removalsOutrun;
    }

    /**
     * @return rooms of members' tables skipped because a removal applied here was newer.
     */
    long tableRoomsSkipped()
    {
        return tableRoomsSkipped;
    }

    /**
     * @return rooms with a change kept.
     */
    int rooms()
    {
        return latestSlot.size();
    }

    private void record(final long roomId, final long authorId, final long authorIncarnation, final long sequence,
        final boolean removal, final boolean madeRoom)
    {
        final int slot = claimSlot(); // first: the slot it takes may have been the room's latest
        final long latest = latestSlot.get(roomId);
        roomIds[slot] = roomId;
        nodeIds[slot] = authorId;
        incarnations[slot] = authorIncarnation;
        sequences[slot] = sequence;
        removals[slot] = removal;
        madeRooms[slot] = madeRoom;
        appliedNs[slot] = clock.getAsLong();
        writes[slot] = ++writeCount;
        previousSlots[slot] = (int)latest;
        previousWrites[slot] = NONE == latest ? NONE : writes[(int)latest];
        latestSlot.put(roomId, slot);
    }

    private static long coveredSequence(final RoomRemovedDecoder removal, final long nodeId, final long incarnation)
    {
        for (int i = 0, count = removal.coveredCount(); i < count; i++)
        {
            if (removal.coveredNodeId(i) == nodeId && removal.coveredIncarnation(i) == incarnation)
            {
                return removal.coveredSequence(i);
            }
        }
        return NONE;
    }

    private int first(final long roomId)
    {
        return (int)latestSlot.get(roomId);
    }

    private int previous(final int slot)
    {
        final int previous = previousSlots[slot];
        return previous >= 0 && writes[previous] == previousWrites[slot] ? previous : -1;
    }

    private int claimSlot()
    {
        if (used < MAX_ENTRIES)
        {
            if (used == roomIds.length)
            {
                final int capacity = Math.min(MAX_ENTRIES, 2 * used);
                roomIds = Arrays.copyOf(roomIds, capacity);
                nodeIds = Arrays.copyOf(nodeIds, capacity);
                incarnations = Arrays.copyOf(incarnations, capacity);
                sequences = Arrays.copyOf(sequences, capacity);
                removals = Arrays.copyOf(removals, capacity);
                madeRooms = Arrays.copyOf(madeRooms, capacity);
                appliedNs = Arrays.copyOf(appliedNs, capacity);
                writes = Arrays.copyOf(writes, capacity);
                previousSlots = Arrays.copyOf(previousSlots, capacity);
                previousWrites = Arrays.copyOf(previousWrites, capacity);
            }
            return used++;
        }
        final int slot = next;
        next = (next + 1) % MAX_ENTRIES;
        // The oldest change goes; a room whose latest it was keeps none (its earlier ones are older still).
        if (latestSlot.get(roomIds[slot]) == slot)
        {
            latestSlot.remove(roomIds[slot]);
        }
        return slot;
    }

    /**
     * Told one removal by {@link #forEachRemoval}.
     */
    @FunctionalInterface
    interface RemovalVisitor
    {
        /**
         * @param roomId             the room.
         * @param removerId          the node whose removal it was.
         * @param removerIncarnation its incarnation.
         * @param sequence           the removal's sequence on its stream.
         */
        void onRemoval(long roomId, long removerId, long removerIncarnation, long sequence);
    }
}
