package io.cohort.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.MapEntry;
import org.agrona.UnsafeApi;

/**
 * The writer's own index from room id to the native address of the room's value inside {@link RoomCounts}'
 * Chronicle Map, so that the state's thread finds a room's counts without a Chronicle query context (whose
 * segment lock, key search and teardown cost several times the lookup itself). Only the state's thread reads or
 * writes it, and it is the only thread that inserts, relocates or removes a Chronicle entry, so it keeps every
 * address current: an address is recorded when an entry is inserted, replaced by a larger value or rewritten
 * by the sweep, and dropped when the entry is removed.
 * <p>
 * Off-heap linear probing over 16-byte slots (room id, 0 = empty; address) at a load of at most 3/4 of
 * {@code maxEntries}, deletion by backward shift (no tombstones). Allocated and zeroed at construction.
 */
final class RoomIndex implements AutoCloseable
{
    static final int KEY_OFFSET = 0;
    static final int ADDRESS_OFFSET = KEY_OFFSET + Long.BYTES;
    static final int SLOT_LENGTH = ADDRESS_OFFSET + Long.BYTES;
    private static final int LOAD_NUMERATOR = 3;
    private static final int LOAD_DENOMINATOR = 4;
    private static final long MIN_SLOTS = 16;

    private final long address;
    private final long slots;
    private long size;
    private boolean closed;

    RoomIndex(final long maxEntries)
    {
        slots = Math.max(MIN_SLOTS, maxEntries / LOAD_NUMERATOR * LOAD_DENOMINATOR + LOAD_DENOMINATOR);
        if (slots > Long.MAX_VALUE / SLOT_LENGTH)
        {
            throw new IllegalArgumentException("maxEntries=" + maxEntries + " is too large");
        }
        final long allocated = UnsafeApi.allocateMemory(slots * SLOT_LENGTH);
        UnsafeApi.setMemory(allocated, slots * SLOT_LENGTH, (byte)0);
        address = allocated;
    }

    /**
     * The native address of an entry's value, as recorded here.
     */
    static long valueAddress(final MapEntry<LongValue, byte[]> found)
    {
        final Data<byte[]> value = found.value();
        return value.bytes().addressForWrite(value.offset());
    }

    private long home(final long roomId)
    {
        // Multiply-shift range reduction of a well-mixed hash: no power-of-two rounding of the table.
        return Math.multiplyHigh(RowDigest.mix64(roomId) >>> 1, slots << 1);
    }

    private long next(final long slot)
    {
        final long next = slot + 1;
        return next == slots ? 0 : next;
    }

    private long slotAddress(final long slot)
    {
        return address + slot * SLOT_LENGTH;
    }

    /**
     * The slot holding a room, or the empty slot where it would go as {@code -(slot + 1)}.
     */
    private long find(final long roomId)
    {
        long slot = home(roomId);
        while (true)
        {
            final long id = UnsafeApi.getLong(slotAddress(slot) + KEY_OFFSET);
            if (id == roomId)
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
     * The address of a room's value.
     *
     * @return the address, 0 if the room has no entry.
     */
    long get(final long roomId)
    {
        final long slot = find(roomId);
        return slot < 0 ? 0 : UnsafeApi.getLong(slotAddress(slot) + ADDRESS_OFFSET);
    }

    /**
     * Records where a room's value is, replacing any address it had.
     */
    void put(final long roomId, final long valueAddress)
    {
        final long slot = find(roomId);
        if (slot >= 0)
        {
            UnsafeApi.putLong(slotAddress(slot) + ADDRESS_OFFSET, valueAddress);
            return;
        }
        if (size >= slots - 1)
        {
            throw new IllegalStateException("room index full: size=" + size + " slots=" + slots);
        }
        final long at = slotAddress(-slot - 1);
        UnsafeApi.putLong(at + ADDRESS_OFFSET, valueAddress);
        UnsafeApi.putLong(at + KEY_OFFSET, roomId);
        size++;
    }

    /**
     * Forgets a room (its entry was removed); a room with no slot is ignored.
     */
    void remove(final long roomId)
    {
        final long slot = find(roomId);
        if (slot < 0)
        {
            return;
        }
        // Backward shift: each later slot of the probe run whose home is not between the hole and itself moves
        // into the hole, so every room stays reachable from its home without tombstones.
        long hole = slot;
        long probe = slot;
        while (true)
        {
            probe = next(probe);
            final long id = UnsafeApi.getLong(slotAddress(probe) + KEY_OFFSET);
            if (0 == id)
            {
                break;
            }
            final long home = home(id);
            final boolean stays = hole <= probe ? hole < home && home <= probe : hole < home || home <= probe;
            if (!stays)
            {
                UnsafeApi.copyMemory(slotAddress(probe), slotAddress(hole), SLOT_LENGTH);
                hole = probe;
            }
        }
        UnsafeApi.setMemory(slotAddress(hole), SLOT_LENGTH, (byte)0);
        size--;
    }

    long size()
    {
        return size;
    }

    /**
     * Bytes of native memory held.
     */
    long memoryUsed()
    {
        return slots * SLOT_LENGTH;
    }

    void clear()
    {
        UnsafeApi.setMemory(address, slots * SLOT_LENGTH, (byte)0);
        size = 0;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            UnsafeApi.freeMemory(address);
        }
    }
}
