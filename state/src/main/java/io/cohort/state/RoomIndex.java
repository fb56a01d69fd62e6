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
 * {@link ProbedSlots} over 16-byte slots (room id, 0 = empty; address).
 */
final class RoomIndex implements AutoCloseable
{
    static final int KEY_OFFSET = ProbedSlots.KEY_OFFSET;
    static final int ADDRESS_OFFSET = KEY_OFFSET + Long.BYTES;
    static final int SLOT_LENGTH = ADDRESS_OFFSET + Long.BYTES;

    private final ProbedSlots table;
    private long size;

    RoomIndex(final long maxEntries)
    {
        table = new ProbedSlots(maxEntries, SLOT_LENGTH, "maxEntries");
    }

    /**
     * The native address of an entry's value, as recorded here.
     */
    static long valueAddress(final MapEntry<LongValue, byte[]> found)
    {
        final Data<byte[]> value = found.value();
        return value.bytes().addressForWrite(value.offset());
    }

    /**
     * The address of a room's value.
     *
     * @return the address, 0 if the room has no entry.
     */
    long get(final long roomId)
    {
        final long slot = table.find(roomId);
        return slot < 0 ? 0 : UnsafeApi.getLong(table.slotAddress(slot) + ADDRESS_OFFSET);
    }

    /**
     * Records where a room's value is, replacing any address it had.
     */
    void put(final long roomId, final long valueAddress)
    {
        final long slot = table.find(roomId);
        if (slot >= 0)
        {
            UnsafeApi.putLong(table.slotAddress(slot) + ADDRESS_OFFSET, valueAddress);
            return;
        }
        if (size >= table.slots() - 1)
        {
            throw new IllegalStateException("room index full: size=" + size + " slots=" + table.slots());
        }
        final long at = table.slotAddress(-slot - 1);
        UnsafeApi.putLong(at + ADDRESS_OFFSET, valueAddress);
        UnsafeApi.putLong(at + KEY_OFFSET, roomId);
        size++;
    }

    /**
     * Forgets a room (its entry was removed); a room with no slot is ignored.
     */
    void remove(final long roomId)
    {
        final long slot = table.find(roomId);
        if (slot >= 0)
        {
            table.delete(slot);
            size--;
        }
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
        return table.memoryUsed();
    }

    void clear()
    {
        table.clear();
        size = 0;
    }

    public void close()
    {
        table.close();
    }
}
