package io.cohort.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.values.Values;

/**
 * A read-only view of the room counts for one thread other than the state's writer: each reader has its own
 * reusable key and value, reads the same off-heap maps (Chronicle Map is safe for concurrent readers), and
 * sees owners and digests as the writer publishes them. A count read while the writer changes it is the value
 * before or after the change. Not thread safe itself: one reader per thread ({@link SubscriptionState#newReader()}).
 */
public final class StateReader
{
    private final OwnerTable owners;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final LongValue value = Values.newHeapInstance(LongValue.class);

    StateReader(final OwnerTable owners)
    {
        this.owners = owners;
    }

    /**
     * Cluster-wide subscribers of a room: the sum over owners.
     *
     * @param roomId the room.
     * @return the sum of every owner's count.
     */
    public long roomCount(final long roomId)
    {
        long sum = 0;
        for (int slot = 0, slots = owners.maxOwners(); slot < slots; slot++)
        {
            if (0 != owners.ownerOfSlot(slot))
            {
                sum += count(slot, roomId);
            }
        }
        return sum;
    }

    /**
     * One owner's subscribers in a room.
     *
     * @param ownerNodeId the owner.
     * @param roomId      the room.
     * @return its count, 0 if it holds none.
     */
    public long ownerCount(final long ownerNodeId, final long roomId)
    {
        final int slot = slotOf(ownerNodeId);
        return OwnerTable.NO_SLOT == slot ? 0 : count(slot, roomId);
    }

    /**
     * The digest of an owner's rows.
     *
     * @param ownerNodeId the owner.
     * @return the digest, {@link RowDigest#EMPTY} if it holds no rows.
     */
    public long ownerDigest(final long ownerNodeId)
    {
        final int slot = slotOf(ownerNodeId);
        return OwnerTable.NO_SLOT == slot ? RowDigest.EMPTY : owners.digest(slot);
    }

    private int slotOf(final long ownerNodeId)
    {
        if (0 == ownerNodeId)
        {
            return OwnerTable.NO_SLOT;
        }
        for (int slot = 0, slots = owners.maxOwners(); slot < slots; slot++)
        {
            if (owners.ownerOfSlot(slot) == ownerNodeId)
            {
                return slot;
            }
        }
        return OwnerTable.NO_SLOT;
    }

    private long count(final int slot, final long roomId)
    {
        key.setValue(roomId);
        final LongValue found = owners.map(slot).getUsing(key, value);
        return null == found ? 0 : found.getValue();
    }
}
