package io.cohort.state;

import net.openhft.chronicle.map.ChronicleMap;
import org.agrona.UnsafeApi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * This node's connections: connection id to its rooms (a count and {@link #INLINE_ROOMS} inline
 * room ids), and an overflow map from (connection, index) to room id for connections with more rooms. A
 * connection is present only while it holds a subscription.
 * <p>
 * Only the state's thread ever reads or writes connections, so they live in an off-heap open-addressing table of
 * this class's own rather than in Chronicle Map: no segment lock to take and release, no query context to set up
 * and tear down (~85 % of a Chronicle operation on this workload). {@link ProbedSlots} over fixed 48-byte slots sized for
 * {@code maxConnections}. A slot:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Connection Id (0 = empty slot)               | 0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Room Count                           | 8
 *  +---------------------------------------------------------------+
 *  |                           Reserved                            | 12
 *  +---------------------------------------------------------------+
 *  |                   Inline Room Ids (4 x 8 bytes)              ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Rooms past the inline ones stay in a Chronicle overflow map (rare: connections with more than four rooms).
 * Finding a room in a connection is linear in its rooms, bounded by {@code cohort.state.max.rooms.per.connection}.
 * <p>
 * Single writer. Other threads read through a sequence lock: the writer makes the table's version odd before it changes anything and even again after, and a reader
 * ({@link ConnectionTableReader}) that saw the version change (or odd) while it read throws its result away and
 * reads again, so it never acts on a slot half written or moved by a backward shift. A reader's probe and copy
 * are bounded whatever it reads.
 */
final class ConnectionTable implements AutoCloseable
{
    /** Rooms stored in a connection's own slot; more go to the overflow map. */
    static final int INLINE_ROOMS = 4;
    static final int ID_OFFSET = ProbedSlots.KEY_OFFSET;
    static final int COUNT_OFFSET = ID_OFFSET + Long.BYTES;
    static final int ROOMS_OFFSET = COUNT_OFFSET + 2 * Integer.BYTES;
    static final int SLOT_LENGTH = ROOMS_OFFSET + INLINE_ROOMS * Long.BYTES;
    private static final VarHandle VERSION;

    static
    {
        try
        {
            VERSION = MethodHandles.lookup().findVarHandle(ConnectionTable.class, "version", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ProbedSlots table;
    private final ChronicleMap<OverflowKey, LongCell> overflow;
    private final long maxConnections;
    private final long maxOverflow;
    private final int maxRoomsPerConnection;
    private final long[] removedRooms;
    private final OverflowKey overflowKey = new OverflowKey();
    private final LongCell overflowValue = new LongCell();
    private long connectionCount;
    private long overflowCount;
    private long subscriptionCount;
    private boolean closed;
    /** Odd while the writer changes the table; read by other threads through {@link #VERSION}. */
    private long version;

    ConnectionTable(final long maxConnections, final int maxRoomsPerConnection, final long maxOverflow)
    {
        this.maxConnections = maxConnections;
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        this.maxOverflow = maxOverflow;
        removedRooms = new long[maxRoomsPerConnection];
        table = new ProbedSlots(maxConnections, SLOT_LENGTH, "maxConnections");
        try
        {
            overflow = ChronicleMap.of(OverflowKey.class, LongCell.class)
                .name("cohort-connection-overflow")
                .keyMarshallers(OverflowKeyMarshaller.INSTANCE, OverflowKeyMarshaller.INSTANCE)
                .constantKeySizeBySample(new OverflowKey())
                .valueMarshallers(LongCellMarshaller.INSTANCE, LongCellMarshaller.INSTANCE)
                .constantValueSizeBySample(new LongCell())
                .entries(maxOverflow)
                .putReturnsNull(true)
                .removeReturnsNull(true)
                .skipCloseOnExitHook(true)
                .create();
        }
        catch (final RuntimeException | Error ex)
        {
            table.close();
            throw ex;
        }
    }

    private void beginWrite()
    {
        VERSION.setOpaque(this, version + 1);
        // The odd version is visible before any change it guards.
        VarHandle.storeStoreFence();
    }

    private void endWrite()
    {
        VERSION.setRelease(this, version + 1);
    }

    long slotAddress(final long slot)
    {
        return table.slotAddress(slot);
    }

    /**
     * The slot holding a connection, or the empty slot where it would go as {@code -(slot + 1)}.
     */
    private long find(final long connectionId)
    {
        return table.find(connectionId);
    }

    private static int count(final long at)
    {
        return UnsafeApi.getInt(at + COUNT_OFFSET);
    }

    static long inlineRoom(final long at, final int index)
    {
        return UnsafeApi.getLong(at + ROOMS_OFFSET + (long)index * Long.BYTES);
    }

    private static void inlineRoom(final long at, final int index, final long roomId)
    {
        UnsafeApi.putLong(at + ROOMS_OFFSET + (long)index * Long.BYTES, roomId);
    }

    /**
     * Records a subscription, or refuses it without changing anything.
     *
     * @return {@link StateResult#SUBSCRIBED}, {@link StateResult#ALREADY_SUBSCRIBED},
     * {@link StateResult#CONNECTION_FULL}, {@link StateResult#CONNECTIONS_FULL} or {@link StateResult#OVERFLOW_FULL}.
     */
    StateResult add(final long connectionId, final long roomId)
    {
        beginWrite();
        try
        {
            return doAdd(connectionId, roomId);
        }
        finally
        {
            endWrite();
        }
    }

    private StateResult doAdd(final long connectionId, final long roomId)
    {
        final long slot = find(connectionId);
        if (slot < 0)
        {
            if (connectionCount >= maxConnections)
            {
                return StateResult.CONNECTIONS_FULL;
            }
            final long at = slotAddress(-slot - 1);
            UnsafeApi.putInt(at + COUNT_OFFSET, 1);
            inlineRoom(at, 0, roomId);
            UnsafeApi.putLong(at + ID_OFFSET, connectionId);
            connectionCount++;
            subscriptionCount++;
            return StateResult.SUBSCRIBED;
        }

        final long at = slotAddress(slot);
        final int count = count(at);
        if (indexOf(at, count, connectionId, roomId) >= 0)
        {
            return StateResult.ALREADY_SUBSCRIBED;
        }
        if (count >= maxRoomsPerConnection)
        {
            return StateResult.CONNECTION_FULL;
        }
        if (count < INLINE_ROOMS)
        {
            inlineRoom(at, count, roomId);
        }
        else
        {
            if (overflowCount >= maxOverflow)
            {
                return StateResult.OVERFLOW_FULL;
            }
            putOverflow(connectionId, count, roomId);
            overflowCount++;
        }
        UnsafeApi.putInt(at + COUNT_OFFSET, count + 1);
        subscriptionCount++;
        return StateResult.SUBSCRIBED;
    }

    /**
     * Removes a subscription, moving the connection's last room into the hole so rooms stay dense.
     *
     * @return {@link StateResult#UNSUBSCRIBED} or {@link StateResult#NOT_SUBSCRIBED}.
     */
    StateResult remove(final long connectionId, final long roomId)
    {
        beginWrite();
        try
        {
            return doRemove(connectionId, roomId);
        }
        finally
        {
            endWrite();
        }
    }

    private StateResult doRemove(final long connectionId, final long roomId)
    {
        final long slot = find(connectionId);
        if (slot < 0)
        {
            return StateResult.NOT_SUBSCRIBED;
        }
        final long at = slotAddress(slot);
        final int count = count(at);
        final int index = indexOf(at, count, connectionId, roomId);
        if (index < 0)
        {
            return StateResult.NOT_SUBSCRIBED;
        }

        final int last = count - 1;
        if (index != last)
        {
            final long lastRoom = roomAt(at, connectionId, last);
            if (index < INLINE_ROOMS)
            {
                inlineRoom(at, index, lastRoom);
            }
            else
            {
                putOverflow(connectionId, index, lastRoom);
            }
        }
        subscriptionCount--;
        if (last >= INLINE_ROOMS)
        {
            removeOverflow(connectionId, last);
        }
        if (0 == last)
        {
            delete(slot);
            connectionCount--;
        }
        else
        {
            if (last < INLINE_ROOMS)
            {
                inlineRoom(at, last, 0);
            }
            UnsafeApi.putInt(at + COUNT_OFFSET, last);
        }
        return StateResult.UNSUBSCRIBED;
    }

    /**
     * Removes a connection with all its rooms, which are left in {@link #removedRooms()}.
     *
     * @return the number of rooms removed, 0 if the connection was unknown.
     */
    int removeAll(final long connectionId)
    {
        beginWrite();
        try
        {
            return doRemoveAll(connectionId);
        }
        finally
        {
            endWrite();
        }
    }

    private int doRemoveAll(final long connectionId)
    {
        final long slot = find(connectionId);
        if (slot < 0)
        {
            return 0;
        }
        final long at = slotAddress(slot);
        final int count = count(at);
        for (int i = 0; i < count; i++)
        {
            removedRooms[i] = roomAt(at, connectionId, i);
            if (i >= INLINE_ROOMS)
            {
                removeOverflow(connectionId, i);
            }
        }
        delete(slot);
        connectionCount--;
        subscriptionCount -= count;
        return count;
    }

    private void delete(final long slot)
    {
        table.delete(slot);
    }

    long[] removedRooms()
    {
        return removedRooms;
    }

    boolean contains(final long connectionId, final long roomId)
    {
        final long slot = find(connectionId);
        if (slot < 0)
        {
            return false;
        }
        final long at = slotAddress(slot);
        return indexOf(at, count(at), connectionId, roomId) >= 0;
    }

    int roomCount(final long connectionId)
    {
        final long slot = find(connectionId);
        return slot < 0 ? 0 : count(slotAddress(slot));
    }

    int copyRooms(final long connectionId, final long[] dst)
    {
        final long slot = find(connectionId);
        if (slot < 0)
        {
            return 0;
        }
        final long at = slotAddress(slot);
        final int count = count(at);
        if (dst.length < count)
        {
            throw new IllegalArgumentException(
                "dst.length=" + dst.length + " is below the connection's " + count + " rooms");
        }
        for (int i = 0; i < count; i++)
        {
            dst[i] = roomAt(at, connectionId, i);
        }
        return count;
    }

    long beginRead()
    {
        long seen;
        while (0 != ((seen = (long)VERSION.getAcquire(this)) & 1))
        {
            Thread.onSpinWait();
        }
        return seen;
    }

    boolean validRead(final long seen)
    {
        // The reads of the table are done before the version is read again.
        VarHandle.loadLoadFence();
        return seen == (long)VERSION.getOpaque(this);
    }

    /**
     * The slot of a connection as a reader sees it, bounded by the table's size whatever it reads.
     *
     * @return the slot, or -1.
     */
    long readerFind(final long connectionId)
    {
        long slot = table.home(connectionId);
        for (long probes = 0, slots = table.slots(); probes < slots; probes++)
        {
            final long id = table.keyAt(slot);
            if (id == connectionId)
            {
                return slot;
            }
            if (0 == id)
            {
                return -1;
            }
            slot = table.next(slot);
        }
        return -1;
    }

    int readerCount(final long at)
    {
        return Math.max(0, Math.min(maxRoomsPerConnection, count(at)));
    }

    private int indexOf(final long at, final int count, final long connectionId, final long roomId)
    {
        final int inline = Math.min(count, INLINE_ROOMS);
        for (int i = 0; i < inline; i++)
        {
            if (inlineRoom(at, i) == roomId)
            {
                return i;
            }
        }
        for (int i = INLINE_ROOMS; i < count; i++)
        {
            if (getOverflow(connectionId, i) == roomId)
            {
                return i;
            }
        }
        return -1;
    }

    private long roomAt(final long at, final long connectionId, final int index)
    {
        return index < INLINE_ROOMS ? inlineRoom(at, index) : getOverflow(connectionId, index);
    }

    private long getOverflow(final long connectionId, final int index)
    {
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        final LongCell value = overflow.getUsing(overflowKey, overflowValue);
        if (null == value)
        {
            throw new IllegalStateException(
                "overflow entry missing: connectionId=" + connectionId + " index=" + index);
        }
        return value.get();
    }

    private void putOverflow(final long connectionId, final int index, final long roomId)
    {
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        overflowValue.set(roomId);
        overflow.put(overflowKey, overflowValue);
    }

    private void removeOverflow(final long connectionId, final int index)
    {
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        overflow.remove(overflowKey);
        overflowCount--;
    }

    long connections()
    {
        return connectionCount;
    }

    long maxConnections()
    {
        return maxConnections;
    }

    long overflowSubscriptions()
    {
        return overflowCount;
    }

    long maxOverflowSubscriptions()
    {
        return maxOverflow;
    }

    long subscriptions()
    {
        return subscriptionCount;
    }

    int maxRoomsPerConnection()
    {
        return maxRoomsPerConnection;
    }

    long connectionsOffHeapMemoryUsed()
    {
        return table.memoryUsed();
    }

    ChronicleMap<OverflowKey, LongCell> overflow()
    {
        return overflow;
    }

    long overflowOffHeapMemoryUsed()
    {
        return overflow.offHeapMemoryUsed();
    }

    /**
     * Removes every connection and overflow entry.
     */
    void clear()
    {
        beginWrite();
        table.clear();
        endWrite();
        overflow.clear();
        connectionCount = 0;
        overflowCount = 0;
        subscriptionCount = 0;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            table.close();
            overflow.close();
        }
    }
}
