package io.cohort.state;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A read-only view of the rooms, the local connections and the room counts for one thread other than the
 * state's writer: each reader has its own reusable keys and scratch and reads the same off-heap tables. Rooms
 * are read from Chronicle Map (safe for concurrent readers). A room's counts are read through the count table's
 * sequence locks ({@link CountTableReader}): a read the writer overlapped with anything but a single count's store is
 * done again, so a room is never seen half-changed: each owner's count read is one the writer wrote, no owner is
 * counted twice, and a count of an owner removed meanwhile is not counted; counts of two owners that change in
 * place while the reader reads may be from moments one store apart. The local connections are read through the
 * connection table's sequence lock likewise. Other values read while the writer changes them are the value
 * before or after the change. Reads allocate nothing. Not thread safe itself: one reader per thread
 * ({@link SubscriptionState#newReader()}).
 */
public final class StateReader
{
    private final RoomCounts counts;
    private final CountTableReader countReader;
    private final RoomTable rooms;
    private final ConnectionTableReader connections;
    private final LongCell key = new LongCell();
    private final byte[] roomArray;
    private final UnsafeBuffer roomBuffer;

    StateReader(final RoomCounts counts, final RoomTable rooms, final ConnectionTable connections)
    {
        this.counts = counts;
        this.rooms = rooms;
        this.connections = new ConnectionTableReader(connections);
        countReader = counts.newReader();
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
        return connections.contains(connectionId, roomId);
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
        return connections.copyRooms(connectionId, dst);
    }

    /**
     * Cluster-wide subscribers of a room: the sum over owners, from the room's one slot.
     *
     * @param roomId the room.
     * @return the sum of every owner's count.
     */
    public long roomCount(final long roomId)
    {
        return countReader.sum(roomId);
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
        return RoomCounts.NO_SLOT == slot ? 0 : countReader.count(roomId, slot);
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
        return RoomCounts.NO_SLOT == slot ? RowDigest.EMPTY : counts.slots().digest(slot);
    }

    private int slotOf(final long ownerNodeId)
    {
        if (0 == ownerNodeId)
        {
            return RoomCounts.NO_SLOT;
        }
        for (int slot = 0, slots = counts.slots().maxSlots(); slot < slots; slot++)
        {
            if (counts.slots().ownerOfSlot(slot) == ownerNodeId)
            {
                return slot;
            }
        }
        return RoomCounts.NO_SLOT;
    }

}
