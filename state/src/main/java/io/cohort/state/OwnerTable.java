package io.cohort.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.values.Values;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.atomic.AtomicLongArray;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Room counts per owner: a fixed pool of Chronicle Maps (room id to count), one per owner slot, created at
 * start-up because creating a map costs up to a second. Slot 0 belongs to the local node for good; a
 * remote owner takes a free slot with its first row and gives it back with its last, so a slot is taken
 * exactly while its owner holds rows. Removing an owner clears its own map only: it never visits another
 * owner's rows. The on-heap part is a few arrays of {@code maxNodes} longs and an Agrona primitive map.
 * Single writer; other threads read through {@link StateReader}s. Every change takes Chronicle's write lock up
 * front rather than the update lock: a row is inserted or removed often (a room's first and last subscriber,
 * a snapshot load), and an update lock upgraded to a write lock costs two more atomic operations.
 */
final class OwnerTable implements AutoCloseable
{
    /** Returned by {@link #add} and {@link #set} when the owner's map is at capacity. */
    static final long FULL = -1;
    static final int NO_SLOT = -1;
    static final int LOCAL_SLOT = 0;
    private static final long CLEAR_RATIO = 64;

    private final ChronicleMap<LongValue, LongValue>[] maps;
    /** Published with release stores so that a {@link StateReader} on another thread sees owners and digests. */
    private final AtomicLongArray ownerBySlot;
    private final AtomicLongArray digestBySlot;
    private final long[] rowsBySlot;
    private final Long2LongHashMap slotByOwner;
    private final long maxRows;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final LongValue heapValue = Values.newHeapInstance(LongValue.class);
    private final LongValue nativeValue = Values.newNativeReference(LongValue.class);
    private final Consumer<MapEntry<LongValue, LongValue>> removeEntry = MapEntry::doRemove;
    private int owners;
    private long lastPrevious;

    /**
     * Decides, with the row's lock held, whether a row goes up by one: lets a caller check and change
     * other tables in the same step as the row, so a subscribe finds its local row once.
     */
    @FunctionalInterface
    interface Admission
    {
        /**
         * @return {@link StateResult#SUBSCRIBED} to add one to the row; anything else leaves it unchanged.
         */
        StateResult admit(long roomId, long previousCount);
    }

    @SuppressWarnings("unchecked")
    OwnerTable(final long localNodeId, final int maxNodes, final long maxRows)
    {
        this.maxRows = maxRows;
        maps = new ChronicleMap[maxNodes];
        ownerBySlot = new AtomicLongArray(maxNodes);
        digestBySlot = new AtomicLongArray(maxNodes);
        rowsBySlot = new long[maxNodes];
        slotByOwner = new Long2LongHashMap(maxNodes * 2, 0.65f, NO_SLOT);
        try
        {
            for (int slot = 0; slot < maxNodes; slot++)
            {
                maps[slot] = ChronicleMap.of(LongValue.class, LongValue.class)
                    .name("cohort-owner-slot-" + slot)
                    .entries(maxRows)
                    .putReturnsNull(true)
                    .removeReturnsNull(true)
                    .skipCloseOnExitHook(true)
                    .create();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            close();
            throw ex;
        }
        takeLocalSlot(localNodeId);
    }

    private void takeLocalSlot(final long localNodeId)
    {
        ownerBySlot.lazySet(LOCAL_SLOT, localNodeId);
        slotByOwner.put(localNodeId, LOCAL_SLOT);
        owners = 1;
    }

    /**
     * Empties every slot's map and gives slot 0 to a (possibly new) local node.
     */
    void reset(final long localNodeId)
    {
        for (int slot = 0; slot < maps.length; slot++)
        {
            if (rowsBySlot[slot] > 0)
            {
                maps[slot].clear();
            }
            rowsBySlot[slot] = 0;
            ownerBySlot.lazySet(slot, 0);
            digestBySlot.lazySet(slot, RowDigest.EMPTY);
        }
        slotByOwner.clear();
        lastPrevious = 0;
        takeLocalSlot(localNodeId);
    }

    int slotOf(final long ownerNodeId)
    {
        return (int)slotByOwner.get(ownerNodeId);
    }

    /**
     * The owner's slot, taking a free one if it has none.
     *
     * @return the slot, or {@link #NO_SLOT} if every slot is taken.
     */
    int acquireSlot(final long ownerNodeId)
    {
        final int existing = slotOf(ownerNodeId);
        if (NO_SLOT != existing)
        {
            return existing;
        }
        for (int slot = 1; slot < ownerBySlot.length(); slot++)
        {
            if (0 == ownerBySlot.get(slot))
            {
                ownerBySlot.lazySet(slot, ownerNodeId);
                slotByOwner.put(ownerNodeId, slot);
                owners++;
                return slot;
            }
        }
        return NO_SLOT;
    }

    long count(final int slot, final long roomId)
    {
        key.setValue(roomId);
        final LongValue value = maps[slot].getUsing(key, heapValue);
        return null == value ? 0 : value.getValue();
    }

    /**
     * Adds one to a row if the admission says {@link StateResult#SUBSCRIBED}, finding the row once; the
     * previous count is then {@link #lastPrevious()}.
     *
     * @return the admission's result.
     * @throws IllegalStateException if the row is new and the map at capacity (the caller guarantees it is not).
     */
    StateResult incrementIf(final int slot, final long roomId, final Admission admission)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, LongValue, ?> context = maps[slot].queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, LongValue> entry = context.entry();
            final LongValue value = null == entry ? null : entry.value().getUsing(nativeValue);
            final long previous = null == value ? 0 : value.getValue();
            final StateResult result = admission.admit(roomId, previous);
            if (StateResult.SUBSCRIBED != result)
            {
                return result;
            }
            if (null != value)
            {
                value.setValue(previous + 1);
            }
            else
            {
                if (rowsBySlot[slot] >= maxRows)
                {
                    throw new IllegalStateException("rows=" + rowsBySlot[slot] + " of slot=" + slot +
                        " reached maxRows=" + maxRows + " after the admission changed other tables");
                }
                heapValue.setValue(1);
                context.absentEntry().doInsert(context.wrapValueAsData(heapValue));
                rowsBySlot[slot]++;
            }
            digestBySlot.lazySet(slot, RowDigest.update(digestBySlot.get(slot), roomId, previous, previous + 1));
            lastPrevious = previous;
            return result;
        }
    }

    long lastPrevious()
    {
        return lastPrevious;
    }

    /**
     * Adds a delta to a row in one lookup.
     *
     * @return the count before, or {@link #FULL} if the row is new and the map at capacity (nothing changed).
     */
    long add(final int slot, final long roomId, final long delta)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, LongValue, ?> context = maps[slot].queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, LongValue> entry = context.entry();
            final long previous;
            if (null != entry)
            {
                final LongValue value = entry.value().getUsing(nativeValue);
                previous = value.getValue();
                final long next = previous + delta;
                requireNotNegative(roomId, previous, next);
                if (0 == next)
                {
                    entry.doRemove();
                    rowsBySlot[slot]--;
                }
                else
                {
                    value.setValue(next);
                }
            }
            else
            {
                previous = 0;
                requireNotNegative(roomId, 0, delta);
                if (0 == delta)
                {
                    return 0;
                }
                if (rowsBySlot[slot] >= maxRows)
                {
                    return FULL;
                }
                heapValue.setValue(delta);
                context.absentEntry().doInsert(context.wrapValueAsData(heapValue));
                rowsBySlot[slot]++;
            }
            digestBySlot.lazySet(slot, RowDigest.update(digestBySlot.get(slot), roomId, previous, previous + delta));
            return previous;
        }
        finally
        {
            releaseIfEmpty(slot);
        }
    }

    /**
     * Sets a row to an absolute count in one lookup; 0 removes it.
     *
     * @return the count before, or {@link #FULL} if the row is new and the map at capacity (nothing changed).
     */
    long set(final int slot, final long roomId, final long count)
    {
        try
        {
            return setRow(slot, roomId, count);
        }
        finally
        {
            releaseIfEmpty(slot);
        }
    }

    /**
     * {@link #set} without giving the slot back when its last row goes: for a caller setting many rows of one
     * owner in a row (a snapshot chunk), which resolves the slot once and calls {@link #releaseIfEmpty} once
     * at the end.
     *
     * @return the count before, or {@link #FULL} if the row is new and the map at capacity (nothing changed).
     */
    long setRow(final int slot, final long roomId, final long count)
    {
        key.setValue(roomId);
        try (ExternalMapQueryContext<LongValue, LongValue, ?> context = maps[slot].queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, LongValue> entry = context.entry();
            final long previous;
            if (null != entry)
            {
                final LongValue value = entry.value().getUsing(nativeValue);
                previous = value.getValue();
                if (previous == count)
                {
                    return previous;
                }
                if (0 == count)
                {
                    entry.doRemove();
                    rowsBySlot[slot]--;
                }
                else
                {
                    value.setValue(count);
                }
            }
            else
            {
                previous = 0;
                if (0 == count)
                {
                    return 0;
                }
                if (rowsBySlot[slot] >= maxRows)
                {
                    return FULL;
                }
                heapValue.setValue(count);
                context.absentEntry().doInsert(context.wrapValueAsData(heapValue));
                rowsBySlot[slot]++;
            }
            digestBySlot.lazySet(slot, RowDigest.update(digestBySlot.get(slot), roomId, previous, count));
            return previous;
        }
    }

    /**
     * Removes every row of an owner, visiting its own map only, and frees its slot.
     *
     * @return the number of rows removed.
     */
    long removeOwner(final long ownerNodeId)
    {
        final int slot = slotOf(ownerNodeId);
        if (NO_SLOT == slot)
        {
            return 0;
        }
        final long rows = rowsBySlot[slot];
        // clear() resets the whole hash lookup (a memset over the map's capacity, faulting in pages never
        // used); removing entry by entry costs a Chronicle removal per row. Few rows: remove them one by one.
        if (rows * CLEAR_RATIO < maxRows)
        {
            maps[slot].forEachEntry(removeEntry);
        }
        else
        {
            maps[slot].clear();
        }
        rowsBySlot[slot] = 0;
        digestBySlot.lazySet(slot, RowDigest.EMPTY);
        releaseIfEmpty(slot);
        return rows;
    }

    long sum(final long roomId)
    {
        long sum = 0;
        for (int slot = 0; slot < ownerBySlot.length(); slot++)
        {
            if (0 != ownerBySlot.get(slot))
            {
                sum += count(slot, roomId);
            }
        }
        return sum;
    }

    int forEachOwnerWithCount(final long roomId, final LongConsumer consumer)
    {
        int visited = 0;
        for (int slot = 0; slot < ownerBySlot.length(); slot++)
        {
            final long owner = ownerBySlot.get(slot);
            if (0 != owner && count(slot, roomId) > 0)
            {
                consumer.accept(owner);
                visited++;
            }
        }
        return visited;
    }

    int forEachOwner(final LongConsumer consumer)
    {
        int visited = 0;
        for (int slot = 0; slot < ownerBySlot.length(); slot++)
        {
            final long owner = ownerBySlot.get(slot);
            if (0 != owner)
            {
                consumer.accept(owner);
                visited++;
            }
        }
        return visited;
    }

    long digest(final int slot)
    {
        return digestBySlot.get(slot);
    }

    /**
     * The owner holding a slot, for readers on other threads.
     *
     * @return the owner's node id, 0 if the slot is free.
     */
    long ownerOfSlot(final int slot)
    {
        return ownerBySlot.get(slot);
    }

    long rows(final int slot)
    {
        return rowsBySlot[slot];
    }

    long totalRows()
    {
        long rows = 0;
        for (final long slotRows : rowsBySlot)
        {
            rows += slotRows;
        }
        return rows;
    }

    int owners()
    {
        return owners;
    }

    int maxOwners()
    {
        return ownerBySlot.length();
    }

    long maxRows()
    {
        return maxRows;
    }

    ChronicleMap<LongValue, LongValue> map(final int slot)
    {
        return maps[slot];
    }

    long offHeapMemoryUsed()
    {
        long bytes = 0;
        for (final ChronicleMap<LongValue, LongValue> map : maps)
        {
            bytes += map.offHeapMemoryUsed();
        }
        return bytes;
    }

    public void close()
    {
        CloseHelper.closeAll(maps);
    }

    /**
     * Gives a remote owner's slot back if it holds no row any more.
     */
    void releaseIfEmpty(final int slot)
    {
        if (LOCAL_SLOT != slot && 0 == rowsBySlot[slot] && 0 != ownerBySlot.get(slot))
        {
            slotByOwner.remove(ownerBySlot.get(slot));
            ownerBySlot.lazySet(slot, 0);
            digestBySlot.lazySet(slot, RowDigest.EMPTY);
            owners--;
        }
    }

    private static void requireNotNegative(final long roomId, final long previous, final long next)
    {
        if (next < 0)
        {
            throw new IllegalStateException(
                "count of roomId=" + roomId + " would go from " + previous + " to " + next);
        }
    }
}
