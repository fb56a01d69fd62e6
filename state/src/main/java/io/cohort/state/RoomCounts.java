package io.cohort.state;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import net.openhft.chronicle.values.Values;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Room counts, room-major: one Chronicle Map from room id to a {@link CountEntry} holding the count of every
 * owner with subscribers in the room, so that a local change, an applied remote count, a cluster-wide count and
 * the routing of a notification each take one lookup of one map. Owners are mapped to slots (slot 0 is the local
 * node's for good); an entry holds (slot, count) pairs for the owners with a count above 0 (and maybe this node's
 * at 0, see {@link CountEntry}), so that its
 * size follows the owners actually present in the room, not the configured cluster size.
 * <p>
 * Removing an owner is O(1): its slot is retired (its counts vanish from every read at once, its digest becomes
 * {@link RowDigest#EMPTY}) and a later incremental sweep ({@link #sweep(int)}) takes the retired pairs out of the
 * entries a few segments at a time, after which the slot is free again. There are twice as many slots as owners
 * allowed, so a removed owner that comes straight back (a re-sync) takes a free slot while its old one is swept.
 * <p>
 * Owners, rows and digests are in {@link OwnerSlots}. Single writer: every method but {@link #map} (and the
 * slots' published owners and digests) runs on the state's thread, which finds a room's entry through its own
 * {@link RoomIndex} (room id to the entry's address) instead of a Chronicle query context. It reads entries and
 * makes one-store changes (a count, an append into spare capacity: see {@link CountEntry}) in place; inserting,
 * growing, taking a pair out and removing an entry go through Chronicle under the segment's write lock.
 * {@link StateReader}s on other threads take Chronicle's segment read lock for an entry, so they never see a
 * half-written entry, and skip pairs of a slot that has no owner (released with ordered stores).
 */
final class RoomCounts implements AutoCloseable
{
    /** Returned by {@link #set} and {@link #setRow} when a new entry would pass the capacity. */
    static final long FULL = -1;
    static final int NO_SLOT = OwnerSlots.NO_SLOT;
    static final int LOCAL_SLOT = OwnerSlots.LOCAL_SLOT;

    private static final int INITIAL_PAIRS = 2;
    private static final int AVERAGE_PAIRS = 4;
    private static final double MIN_BLOAT_FACTOR = 2.0;
    private static final double MAX_BLOAT_FACTOR = 1000.0;

    private final ChronicleMap<LongValue, byte[]> map;
    private final long maxEntries;
    private final OwnerSlots slots;
    private final long[] ownersScratch;
    private final byte[] scratchArray;
    private final UnsafeBuffer scratch;
    private final BytesStore<?, byte[]> scratchStore;
    private final CountEntry entry = new CountEntry();
    private final RoomIndex index;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final LongValue iterationKey = Values.newHeapInstance(LongValue.class);
    private final Consumer<MapEntry<LongValue, byte[]>> sweeper = this::sweepEntry;
    private final Consumer<MapEntry<LongValue, byte[]>> rowFinder = this::findRow;
    private CountRowVisitor rowVisitor;
    private int visitedSlot;
    private int segmentEntries;
    private long entries;
    private long lastPrevious;
    private int sweepSegment = -1;
    private long sweptEntries;

    RoomCounts(final long localNodeId, final int maxOwners, final long maxEntries)
    {
        this.maxEntries = maxEntries;
        slots = new OwnerSlots(localNodeId, maxOwners);
        final int maxSlots = slots.maxSlots();
        ownersScratch = new long[maxSlots];
        scratchArray = new byte[CountEntry.length(maxSlots)];
        scratch = new UnsafeBuffer(scratchArray);
        scratchStore = BytesStore.wrap(scratchArray);
        final int averageValue = CountEntry.length(Math.min(AVERAGE_PAIRS, maxSlots));
        final double bloat = Math.max(MIN_BLOAT_FACTOR,
            Math.min(MAX_BLOAT_FACTOR, (double)CountEntry.length(maxOwners) / averageValue));
        map = ChronicleMap.of(LongValue.class, byte[].class)
            .name("cohort-room-counts")
            .entries(maxEntries)
            .averageValueSize(averageValue)
            .maxBloatFactor(bloat)
            // Pairs 8-byte aligned: an in-place store of one is atomic for readers.
            .entryAndValueOffsetAlignment(Long.BYTES)
            .putReturnsNull(true)
            .removeReturnsNull(true)
            .skipCloseOnExitHook(true)
            .create();
        try
        {
            index = new RoomIndex(maxEntries);
        }
        catch (final RuntimeException | Error ex)
        {
            map.close();
            throw ex;
        }
    }

    /**
     * Empties the map and gives slot 0 to a (possibly new) local node.
     */
    void reset(final long localNodeId)
    {
        map.clear();
        index.clear();
        slots.reset(localNodeId);
        entries = 0;
        lastPrevious = 0;
        sweepSegment = -1;
    }

    OwnerSlots slots()
    {
        return slots;
    }

    /**
     * The owner's slot, taking a free one if it has none.
     *
     * @return the slot, or {@link #NO_SLOT} if {@code maxOwners} owners hold one already.
     */
    int acquireSlot(final long ownerNodeId)
    {
        final int existing = slots.slotOf(ownerNodeId);
        if (NO_SLOT != existing || slots.isFull())
        {
            return existing;
        }
        int slot = slots.freeSlot();
        if (NO_SLOT == slot)
        {
            // Every spare slot still awaits its sweep (more removals than owners within one sweep): finish it.
            sweep(Integer.MAX_VALUE);
            sweep(Integer.MAX_VALUE);
            slot = slots.freeSlot();
        }
        slots.take(slot, ownerNodeId);
        return slot;
    }

    long count(final int slot, final long roomId)
    {
        final long at = index.get(roomId);
        return 0 == at ? 0 : entry.wrap(at).count(entry.indexOf(slot));
    }

    /**
     * Adds one to the local count if the admission says {@link StateResult#SUBSCRIBED}, finding the entry once;
     * the previous count is then {@link #lastPrevious()}.
     *
     * @return the admission's result, or {@link StateResult#ROOM_COUNTS_FULL} (admission not asked) if the room
     * has no entry and the map is at capacity.
     */
    StateResult incrementIf(final int slot, final long roomId, final CountAdmission admission)
    {
        final long at = index.get(roomId);
        if (0 == at)
        {
            if (entries >= maxEntries)
            {
                return StateResult.ROOM_COUNTS_FULL;
            }
            final StateResult result = admission.admit(roomId, 0);
            if (StateResult.SUBSCRIBED == result)
            {
                insertLocked(slot, roomId, 1);
                slots.changed(slot, roomId, 0, 1);
                lastPrevious = 0;
            }
            return result;
        }
        final int pair = entry.wrap(at).indexOf(slot);
        final long previous = entry.count(pair);
        final StateResult result = admission.admit(roomId, previous);
        if (StateResult.SUBSCRIBED == result)
        {
            // The admission touches no count: the entry wrapped above is still where it was.
            change(pair, slot, roomId, previous + 1);
            slots.changed(slot, roomId, previous, previous + 1);
            lastPrevious = previous;
        }
        return result;
    }

    long lastPrevious()
    {
        return lastPrevious;
    }

    /**
     * Adds a delta to the local count of a room that has an entry (a subscriber leaves).
     *
     * @return the count before.
     * @throws IllegalStateException if the count would go below 0.
     */
    long decrement(final int slot, final long roomId)
    {
        final long at = index.get(roomId);
        final int pair = 0 == at ? -1 : entry.wrap(at).indexOf(slot);
        if (pair < 0)
        {
            throw new IllegalStateException("count of roomId=" + roomId + " would go from 0 to -1");
        }
        final long previous = entry.count(pair);
        change(pair, slot, roomId, previous - 1);
        slots.changed(slot, roomId, previous, previous - 1);
        return previous;
    }

    /**
     * Sets an owner's absolute count in one lookup; 0 removes it. Gives a remote slot back when its last row goes.
     *
     * @return the count before, or {@link #FULL} if the room has no entry and the map is at capacity.
     */
    long set(final int slot, final long roomId, final long count)
    {
        final long previous = setRow(slot, roomId, count);
        slots.releaseIfEmpty(slot);
        return previous;
    }

    /**
     * {@link #set} without giving the slot back when its last row goes: for a snapshot chunk, which resolves the
     * slot once and calls {@link OwnerSlots#releaseIfEmpty} once at the end. Rows are written straight into the
     * room's entry.
     *
     * @return the count before, or {@link #FULL} if the room has no entry and the map is at capacity.
     */
    long setRow(final int slot, final long roomId, final long count)
    {
        final long at = index.get(roomId);
        if (0 == at)
        {
            if (0 == count)
            {
                return 0;
            }
            if (entries >= maxEntries)
            {
                return FULL;
            }
            insertLocked(slot, roomId, count);
            slots.changed(slot, roomId, 0, count);
            return 0;
        }
        final int pair = entry.wrap(at).indexOf(slot);
        final long previous = entry.count(pair);
        if (previous == count)
        {
            return previous;
        }
        change(pair, slot, roomId, count);
        slots.changed(slot, roomId, previous, count);
        return previous;
    }

    /**
     * Gives a slot a new count in the wrapped entry of a room. A change of one pair's count, or an append into
     * spare capacity, is one ordered store that readers see whole, so it is made in place without Chronicle's
     * lock (this is the only writer); taking a pair out (several stores) or growing the entry goes through a
     * query context under the write lock, which keeps readers out until the entry is whole again.
     */
    private void change(final int pair, final int slot, final long roomId, final long count)
    {
        if (0 == count)
        {
            if (LOCAL_SLOT == slot && entry.hasCountBesides(pair))
            {
                // Slot 0 is this node's for good: its pair never moves, so a reader never sees it twice.
                entry.setCount(pair, slot, 0);
            }
            else
            {
                removePairLocked(slot, roomId);
            }
        }
        else if (pair >= 0)
        {
            entry.setCount(pair, slot, count);
        }
        else if (!entry.isFull())
        {
            entry.append(slot, count);
        }
        else
        {
            appendLocked(slot, roomId, count);
        }
    }

    private void insertLocked(final int slot, final long roomId, final long count)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = map.queryContext(key))
        {
            context.writeLock().lock();
            if (null != context.entry())
            {
                throw new IllegalStateException("room index lost roomId=" + roomId);
            }
            final int length = CountEntry.length(INITIAL_PAIRS);
            scratch.setMemory(0, length, (byte)0);
            entry.wrap(scratch, 0, length).initialise(slot, count);
            context.absentEntry().doInsert(context.wrapValueBytesAsData(scratchStore, 0, length));
            entries++;
            index.put(roomId, RoomIndex.valueAddress(context.entry()));
        }
    }

    private MapEntry<LongValue, byte[]> lockedEntry(final ExternalMapQueryContext<LongValue, byte[], ?> context)
    {
        context.writeLock().lock();
        final MapEntry<LongValue, byte[]> found = context.entry();
        if (null == found)
        {
            throw new IllegalStateException("room index holds a removed roomId=" + key.getValue());
        }
        wrap(found);
        return found;
    }

    private void appendLocked(final int slot, final long roomId, final long count)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = map.queryContext(key))
        {
            final MapEntry<LongValue, byte[]> found = lockedEntry(context);
            // Pairs of retired slots may go first: they are never read again.
            entry.dropPairs(slots.states(), OwnerSlots.OWNED);
            if (!entry.isFull())
            {
                entry.append(slot, count);
                return;
            }
            // Grown by doubling: a room gains owners one at a time, and each growth copies the entry.
            final int used = entry.used();
            final int capacity = Math.min(slots.maxSlots(), 2 * entry.capacity());
            final int length = CountEntry.length(capacity);
            scratch.setMemory(0, length, (byte)0);
            entry.copyTo(scratch);
            entry.wrap(scratch, 0, length).writeCapacity();
            entry.append(slot, count);
            found.doReplaceValue(context.wrapValueBytesAsData(scratchStore, 0, length));
            if (entry.used() != used + 1)
            {
                throw new IllegalStateException("entry grew to used=" + entry.used() + " from " + used);
            }
            // A larger value may have moved.
            index.put(roomId, RoomIndex.valueAddress(context.entry()));
        }
    }

    private void removePairLocked(final int slot, final long roomId)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = map.queryContext(key))
        {
            final MapEntry<LongValue, byte[]> found = lockedEntry(context);
            entry.remove(entry.indexOf(slot));
            if (!entry.hasCountBesides(-1))
            {
                found.doRemove();
                entries--;
                index.remove(roomId);
            }
        }
    }

    private CountEntry wrap(final MapEntry<LongValue, byte[]> found)
    {
        return entry.wrap(RoomIndex.valueAddress(found), (int)found.value().size());
    }

    /**
     * Retires an owner's slot: its counts vanish from every read now, its digest becomes empty, and
     * {@link #sweep} takes its pairs out of the entries later.
     *
     * @return the owner's rows at removal.
     */
    long removeOwner(final long ownerNodeId)
    {
        return slots.retire(ownerNodeId);
    }

    /**
     * One step of the sweep of retired slots: whole segments of the map, until at least {@code budget} entries
     * were visited. A pass over every segment frees the slots that were retired when it began.
     *
     * @param budget entries to visit at least, when there is work; a step visits whole segments.
     * @return entries visited, 0 when no slot awaits a sweep.
     */
    int sweep(final int budget)
    {
        if (sweepSegment < 0)
        {
            if (!slots.hasRetired())
            {
                return 0;
            }
            slots.beginPass();
            sweepSegment = 0;
        }
        sweptEntries = 0;
        final int segments = map.segments();
        while (sweepSegment < segments && sweptEntries < budget)
        {
            try (MapSegmentContext<LongValue, byte[], ?> context = map.segmentContext(sweepSegment))
            {
                context.forEachSegmentEntry(sweeper);
            }
            sweepSegment++;
        }
        if (sweepSegment >= segments)
        {
            slots.endPass();
            sweepSegment = -1;
        }
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, sweptEntries));
    }

    /**
     * Whether a retired slot still awaits its sweep.
     *
     * @return true while {@link #sweep} has work.
     */
    boolean isSweeping()
    {
        return sweepSegment >= 0 || slots.hasRetired();
    }

    private void sweepEntry(final MapEntry<LongValue, byte[]> found)
    {
        sweptEntries++;
        wrap(found);
        // Pairs of retired slots (not yet in this pass) may go too: they are never read again.
        final int live = entry.pairsIn(slots.states(), OwnerSlots.OWNED);
        if (live == entry.used())
        {
            return;
        }
        final long roomId = found.key().getUsing(iterationKey).getValue();
        if (0 == live)
        {
            found.doRemove();
            entries--;
            index.remove(roomId);
            return;
        }
        // The iteration holds the segment's update lock, which readers share: the entry is rewritten through
        // Chronicle (taking the write lock) rather than edited in place, so no reader sees pairs half moved.
        final int length = CountEntry.length(entry.capacity());
        scratch.setMemory(0, length, (byte)0);
        entry.copyTo(scratch);
        entry.wrap(scratch, 0, length).dropPairs(slots.states(), OwnerSlots.OWNED);
        found.doReplaceValue(found.context().wrapValueBytesAsData(scratchStore, 0, length));
        index.put(roomId, RoomIndex.valueAddress(found));
    }

    long sum(final long roomId)
    {
        final long at = index.get(roomId);
        if (0 == at)
        {
            return 0;
        }
        entry.wrap(at);
        long sum = 0;
        for (int i = 0, used = entry.used(); i < used; i++)
        {
            if (slots.isOwned(entry.slot(i)))
            {
                sum += entry.count(i);
            }
        }
        return sum;
    }

    int forEachOwnerWithCount(final long roomId, final LongConsumer consumer)
    {
        final long at = index.get(roomId);
        if (0 == at)
        {
            return 0;
        }
        int found = 0;
        entry.wrap(at);
        for (int i = 0, used = entry.used(); i < used; i++)
        {
            final int slot = entry.slot(i);
            if (slots.isOwned(slot) && entry.count(i) > 0)
            {
                ownersScratch[found++] = slots.ownerOfSlot(slot);
            }
        }
        // Told after the entry is read: the consumer may read the state, which rewraps the flyweight.
        for (int i = 0; i < found; i++)
        {
            consumer.accept(ownersScratch[i]);
        }
        return found;
    }

    /**
     * Visits every row of one owner (one pass over the map), e.g. to stream them into a snapshot.
     */
    void forEachRow(final int slot, final CountRowVisitor visitor)
    {
        rowVisitor = visitor;
        visitedSlot = slot;
        try
        {
            map.forEachEntry(rowFinder);
        }
        finally
        {
            rowVisitor = null;
        }
    }

    /**
     * The number of segments of the map: the unit of a sliced iteration ({@link #forEachRowInSegment}).
     */
    int segments()
    {
        return map.segments();
    }

    /**
     * Visits the rows of one owner held in one segment of the map. A key lives in one segment for good, so
     * visiting every segment once, in any number of calls, visits every row that exists throughout exactly once.
     *
     * @return entries of the segment visited (the work done), whoever's rows they hold.
     */
    int forEachRowInSegment(final int slot, final int segment, final CountRowVisitor visitor)
    {
        rowVisitor = visitor;
        visitedSlot = slot;
        segmentEntries = 0;
        try (MapSegmentContext<LongValue, byte[], ?> context = map.segmentContext(segment))
        {
            context.forEachSegmentEntry(rowFinder);
        }
        finally
        {
            rowVisitor = null;
        }
        return segmentEntries;
    }

    private void findRow(final MapEntry<LongValue, byte[]> found)
    {
        segmentEntries++;
        final int index = wrap(found).indexOf(visitedSlot);
        if (entry.count(index) > 0)
        {
            rowVisitor.onRow(found.key().getUsing(iterationKey).getValue(), entry.count(index));
        }
    }

    long entries()
    {
        return entries;
    }

    long maxEntries()
    {
        return maxEntries;
    }

    ChronicleMap<LongValue, byte[]> map()
    {
        return map;
    }

    long offHeapMemoryUsed()
    {
        return map.offHeapMemoryUsed() + index.memoryUsed();
    }

    public void close()
    {
        try
        {
            map.close();
        }
        finally
        {
            index.close();
        }
    }
}
