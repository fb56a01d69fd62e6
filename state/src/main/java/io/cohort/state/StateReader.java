package io.cohort.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.values.Values;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A read-only view of the rooms, the local connections and the room counts for one thread other than the
 * state's writer: each reader has its own reusable keys and values, reads the same off-heap maps (Chronicle Map
 * is safe for concurrent readers), and sees owners and digests as the writer publishes them. A value read while
 * the writer changes it is the value before or after the change. Reads allocate nothing. Not thread safe
 * itself: one reader per thread ({@link SubscriptionState#newReader()}).
 */
public final class StateReader
{
    private final OwnerTable owners;
    private final RoomTable rooms;
    private final ConnectionTable connections;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final LongValue value = Values.newHeapInstance(LongValue.class);
    private final byte[] roomArray;
    private final UnsafeBuffer roomBuffer;
    private final ConnectionTable.ReaderScratch connectionScratch = new ConnectionTable.ReaderScratch();

    StateReader(final OwnerTable owners, final RoomTable rooms, final ConnectionTable connections)
    {
        this.owners = owners;
        this.rooms = rooms;
        this.connections = connections;
        roomArray = new byte[rooms.maxRoomBytes()];
        roomBuffer = new UnsafeBuffer(roomArray);
    }

    /**
     * Whether a room exists on this node.
     *
     * @param roomId the room.
     * @return true if it exists.
     */
    public boolean roomExists(final long roomId)
    {
        return rooms.contains(key, roomId);
    }

    /**
     * Copies a room's {@link RoomMetadata} encoding out (read its fields with {@link RoomMetadata}'s accessors).
     *
     * @param roomId    the room.
     * @param dst       to copy into, with room for {@link #maxRoomMetadataLength()} bytes.
     * @param dstOffset where to copy to.
     * @return bytes copied, or -1 if the room is unknown.
     */
    public int copyRoomMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        return rooms.copyMetadata(key, roomArray, roomBuffer, roomId, dst, dstOffset);
    }

    /**
     * The longest {@link RoomMetadata} encoding a room may have here: a buffer this long holds any room's.
     *
     * @return bytes.
     */
    public int maxRoomMetadataLength()
    {
        return roomArray.length;
    }

    /**
     * Whether a local connection is subscribed to a room.
     *
     * @param connectionId the connection.
     * @param roomId       the room.
     * @return true if subscribed.
     */
    public boolean isSubscribed(final long connectionId, final long roomId)
    {
        return connections.contains(connectionScratch, connectionId, roomId);
    }

    /**
     * Copies the rooms of a local connection, in no particular order, up to {@code dst.length} of them.
     *
     * @param connectionId the connection.
     * @param dst          to copy into.
     * @return how many rooms the connection holds: more than {@code dst.length} if only some were copied.
     */
    public int connectionRooms(final long connectionId, final long[] dst)
    {
        return connections.copyRooms(connectionScratch, connectionId, dst);
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
