package io.cohort.state;

import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * The owner slots of {@link RoomCounts}: which owner holds which slot, and each slot's rows and {@link RowDigest}.
 * Slot 0 is the local node's for good. A slot is FREE, OWNED, RETIRED (its owner removed, its pairs still in
 * entries) or SWEEPING (in the sweep pass under way); it is free again only once a whole pass took its pairs out,
 * so a slot never names two owners' counts. There are twice as many slots as owners allowed. Owners and digests
 * are published with ordered stores for {@link StateReader}s; the rest (the OWNED slots also as bit words, to mask
 * a room's presence bits with) is the state's thread's only.
 */
final class OwnerSlots
{
    static final int NO_SLOT = -1;
    static final int LOCAL_SLOT = 0;
    static final byte FREE = 0;
    static final byte OWNED = 1;
    static final byte RETIRED = 2;
    static final byte SWEEPING = 3;

    private final int maxOwners;
    private final int maxSlots;
    private final AtomicLongArray ownerBySlot;
    private final AtomicLongArray digestBySlot;
    private final long[] rowsBySlot;
    private final byte[] stateBySlot;
    private final long[] ownedWords;
    private final Long2LongHashMap slotByOwner;
    private int owners;
    private int retired;

    OwnerSlots(final long localNodeId, final int maxOwners)
    {
        this.maxOwners = maxOwners;
        maxSlots = Math.min(CountTable.MAX_SLOTS, 2 * maxOwners);
        ownerBySlot = new AtomicLongArray(maxSlots);
        digestBySlot = new AtomicLongArray(maxSlots);
        rowsBySlot = new long[maxSlots];
        stateBySlot = new byte[maxSlots];
        ownedWords = new long[(maxSlots + Long.SIZE - 1) / Long.SIZE];
        slotByOwner = new Long2LongHashMap(maxSlots * 2, 0.65f, NO_SLOT);
        takeLocalSlot(localNodeId);
    }

    private void takeLocalSlot(final long localNodeId)
    {
        own(LOCAL_SLOT, OWNED);
        ownerBySlot.lazySet(LOCAL_SLOT, localNodeId);
        slotByOwner.put(localNodeId, LOCAL_SLOT);
        owners = 1;
    }

    /**
     * Frees every slot and gives slot 0 to a (possibly new) local node; the entries must be gone already.
     */
    void reset(final long localNodeId)
    {
        for (int slot = 0; slot < maxSlots; slot++)
        {
            own(slot, FREE);
            rowsBySlot[slot] = 0;
            ownerBySlot.lazySet(slot, 0);
            digestBySlot.lazySet(slot, RowDigest.EMPTY);
        }
        slotByOwner.clear();
        retired = 0;
        takeLocalSlot(localNodeId);
    }

    int slotOf(final long ownerNodeId)
    {
        return (int)slotByOwner.get(ownerNodeId);
    }

    boolean isFull()
    {
        return owners >= maxOwners;
    }

    /**
     * A free slot.
     *
     * @return the slot, or {@link #NO_SLOT} if every spare slot awaits a sweep.
     */
    int freeSlot()
    {
        for (int slot = 1; slot < maxSlots; slot++)
        {
            if (FREE == stateBySlot[slot])
            {
                return slot;
            }
        }
        return NO_SLOT;
    }

    void take(final int slot, final long ownerNodeId)
    {
        own(slot, OWNED);
        ownerBySlot.lazySet(slot, ownerNodeId);
        slotByOwner.put(ownerNodeId, slot);
        owners++;
    }

    /**
     * Accounts for one row of a slot changing from one count to another.
     */
    void changed(final int slot, final long roomId, final long previous, final long count)
    {
        if (0 == previous)
        {
            rowsBySlot[slot]++;
        }
        else if (0 == count)
        {
            rowsBySlot[slot]--;
        }
        digestBySlot.lazySet(slot, RowDigest.update(digestBySlot.get(slot), roomId, previous, count));
    }

    /**
     * Takes an owner's slot away: its counts are no longer read, its digest is empty.
     *
     * @return the owner's rows, 0 if it held no slot.
     */
    long retire(final long ownerNodeId)
    {
        final int slot = slotOf(ownerNodeId);
        if (NO_SLOT == slot || LOCAL_SLOT == slot)
        {
            return 0;
        }
        final long rows = rowsBySlot[slot];
        release(slot);
        if (rows > 0)
        {
            own(slot, RETIRED);
            retired++;
        }
        return rows;
    }

    /**
     * Gives a remote owner's slot back if it holds no row any more; it has no pair left, so it is free at once.
     */
    void releaseIfEmpty(final int slot)
    {
        if (LOCAL_SLOT != slot && 0 == rowsBySlot[slot] && OWNED == stateBySlot[slot])
        {
            release(slot);
        }
    }

    private void release(final int slot)
    {
        slotByOwner.remove(ownerBySlot.get(slot));
        ownerBySlot.lazySet(slot, 0);
        digestBySlot.lazySet(slot, RowDigest.EMPTY);
        rowsBySlot[slot] = 0;
        own(slot, FREE);
        owners--;
    }

    boolean hasRetired()
    {
        return retired > 0;
    }

    /**
     * Starts a sweep pass: the slots retired so far are the ones it frees.
     */
    void beginPass()
    {
        for (int slot = 0; slot < maxSlots; slot++)
        {
            if (RETIRED == stateBySlot[slot])
            {
                own(slot, SWEEPING);
            }
        }
        retired = 0;
    }

    /**
     * Ends a sweep pass over every entry: its slots hold no pair any more.
     */
    void endPass()
    {
        for (int slot = 0; slot < maxSlots; slot++)
        {
            if (SWEEPING == stateBySlot[slot])
            {
                own(slot, FREE);
            }
        }
    }

    private void own(final int slot, final byte state)
    {
        stateBySlot[slot] = state;
        if (OWNED == state)
        {
            ownedWords[slot >>> 6] |= 1L << slot;
        }
        else
        {
            ownedWords[slot >>> 6] &= ~(1L << slot);
        }
    }

    boolean isOwned(final int slot)
    {
        return OWNED == stateBySlot[slot];
    }

    /**
     * One word of the OWNED slots as bits (bit {@code b} is slot {@code 64 * word + b}), to mask a room's presence
     * bits with: a slot retired or being swept may still have counts in rooms, which are never read.
     */
    long ownedWord(final int word)
    {
        return ownedWords[word];
    }

    /**
     * Every word of the OWNED slots as bits; not to be changed.
     */
    long[] ownedWords()
    {
        return ownedWords;
    }

    int forEachOwner(final LongConsumer consumer)
    {
        int visited = 0;
        for (int slot = 0; slot < maxSlots; slot++)
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
     * @return the owner's node id, 0 if the slot is free or retired.
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
        return maxOwners;
    }

    int maxSlots()
    {
        return maxSlots;
    }
}
