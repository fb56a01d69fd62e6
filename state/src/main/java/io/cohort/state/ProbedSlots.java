package io.cohort.state;

import org.agrona.UnsafeApi;

/**
 * Off-heap open addressing shared by the state thread's own tables ({@link CountTable}, {@link ConnectionTable}):
 * fixed-length slots whose first 8 bytes hold a non-zero key (0 = empty), linear probing from a multiply-shift home,
 * sized for at most 3/4 load, deletion by backward shift (no tombstones, so probe runs never lengthen with churn).
 * The memory is allocated and zeroed at construction, its first slot at the start of a cache line (a slot of 64
 * bytes is one line). What a slot holds past its key is the owner's business.
 */
final class ProbedSlots implements AutoCloseable
{
    static final int KEY_OFFSET = 0;
    private static final int LOAD_NUMERATOR = 3;
    private static final int LOAD_DENOMINATOR = 4;
    private static final long MIN_SLOTS = 16;
    private static final int CACHE_LINE = 64;

    private final long allocated;
    private final long address;
    private final long slots;
    private final int slotLength;
    private boolean closed;

    /**
     * @param maxEntries the most keys the table holds.
     * @param slotLength bytes per slot, the key included.
     * @param what       the setting that sized it, for the error if it is too large.
     */
    ProbedSlots(final long maxEntries, final int slotLength, final String what)
    {
        this.slotLength = slotLength;
        slots = Math.max(MIN_SLOTS, maxEntries / LOAD_NUMERATOR * LOAD_DENOMINATOR + LOAD_DENOMINATOR);
        if (slots > (Long.MAX_VALUE - CACHE_LINE) / slotLength)
        {
            throw new IllegalArgumentException(what + "=" + maxEntries + " is too large");
        }
        allocated = UnsafeApi.allocateMemory(slots * slotLength + CACHE_LINE);
        address = (allocated + CACHE_LINE - 1) & -CACHE_LINE;
        UnsafeApi.setMemory(address, slots * slotLength, (byte)0);
    }

    long slots()
    {
        return slots;
    }

    long home(final long key)
    {
        // Multiply-shift range reduction of a well-mixed hash: no power-of-two rounding of the table.
        return Math.multiplyHigh(RowDigest.mix64(key) >>> 1, slots << 1);
    }

    long next(final long slot)
    {
        final long next = slot + 1;
        return next == slots ? 0 : next;
    }

    long slotAddress(final long slot)
    {
        return address + slot * slotLength;
    }

    long keyAt(final long slot)
    {
        return UnsafeApi.getLong(slotAddress(slot) + KEY_OFFSET);
    }

    /**
     * The slot holding a key, or the empty slot where it would go as {@code -(slot + 1)}. The writer's own lookup:
     * the table always has an empty slot, so the probe ends.
     */
    long find(final long key)
    {
        long slot = home(key);
        while (true)
        {
            final long id = keyAt(slot);
            if (id == key)
            {
                return slot;
            }
            if (0 == id)
            {
                return -(slot + 1);
            }
            slot = next(slot);
        }
    }

    /**
     * Empties a slot by backward shift: each later slot of the probe run whose home is not between the hole and
     * itself moves into the hole, so every key stays reachable from its home without tombstones.
     */
    void delete(final long slot)
    {
        long hole = slot;
        long probe = slot;
        while (true)
        {
            probe = next(probe);
            final long id = keyAt(probe);
            if (0 == id)
            {
                break;
            }
            final long home = home(id);
            final boolean stays = hole <= probe ? hole < home && home <= probe : hole < home || home <= probe;
            if (!stays)
            {
                UnsafeApi.copyMemory(slotAddress(probe), slotAddress(hole), slotLength);
                hole = probe;
            }
        }
        UnsafeApi.setMemory(slotAddress(hole), slotLength, (byte)0);
    }

    /**
     * Bytes of native memory held.
     */
    long memoryUsed()
    {
        return slots * slotLength;
    }

    void clear()
    {
        UnsafeApi.setMemory(address, slots * slotLength, (byte)0);
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            UnsafeApi.freeMemory(allocated);
        }
    }
}
