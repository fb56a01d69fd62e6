package io.cohort.state;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.values.Values;
import org.agrona.CloseHelper;

import static io.cohort.state.ConnectionRooms.INLINE_ROOMS;

/**
 * This node's connections: connection id to its rooms ({@link ConnectionRooms}: a count and
 * {@link ConnectionRooms#INLINE_ROOMS} inline room ids), and an overflow map from (connection, index) to
 * room id for connections with more rooms. A connection is present only while it holds a subscription.
 * Updates go through a query context and a native reference, so each operation finds the connection's
 * entry once and edits it in place. Writes take Chronicle's write lock up front: most of them insert or remove
 * the entry, and taking the update lock first would cost an upgrade to the write lock and a downgrade on close,
 * two more atomic operations on the segment's lock word. Finding a room in a connection is linear in its rooms, bounded by
 * {@code cohort.state.max.rooms.per.connection}. Single writer.
 */
final class ConnectionTable implements AutoCloseable
{
    private final ChronicleMap<LongValue, ConnectionRooms> connections;
    private final ChronicleMap<OverflowKey, LongValue> overflow;
    private final long maxConnections;
    private final long maxOverflow;
    private final int maxRoomsPerConnection;
    private final long[] removedRooms;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final ConnectionRooms heapRooms = Values.newHeapInstance(ConnectionRooms.class);
    private final ConnectionRooms nativeRooms = Values.newNativeReference(ConnectionRooms.class);
    private final OverflowKey overflowKey = Values.newHeapInstance(OverflowKey.class);
    private final LongValue overflowValue = Values.newHeapInstance(LongValue.class);
    private long connectionCount;
    private long overflowCount;
    private long subscriptionCount;

    ConnectionTable(final long maxConnections, final int maxRoomsPerConnection, final long maxOverflow)
    {
        this.maxConnections = maxConnections;
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        this.maxOverflow = maxOverflow;
        removedRooms = new long[maxRoomsPerConnection];
        ChronicleMap<LongValue, ConnectionRooms> connections = null;
        try
        {
            connections = ChronicleMap.of(LongValue.class, ConnectionRooms.class)
                .name("cohort-connections")
                .entries(maxConnections)
                .putReturnsNull(true)
                .removeReturnsNull(true)
                .skipCloseOnExitHook(true)
                .create();
            overflow = ChronicleMap.of(OverflowKey.class, LongValue.class)
                .name("cohort-connection-overflow")
                .entries(maxOverflow)
                .putReturnsNull(true)
                .removeReturnsNull(true)
                .skipCloseOnExitHook(true)
                .create();
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(connections);
            throw ex;
        }
        this.connections = connections;
    }

    /**
     * Records a subscription, or refuses it without changing anything.
     *
     * @return {@link StateResult#SUBSCRIBED}, {@link StateResult#ALREADY_SUBSCRIBED},
     * {@link StateResult#CONNECTION_FULL}, {@link StateResult#CONNECTIONS_FULL} or {@link StateResult#OVERFLOW_FULL}.
     */
    StateResult add(final long connectionId, final long roomId)
    {
        key.setValue(connectionId);
        try (ExternalMapQueryContext<LongValue, ConnectionRooms, ?> context = connections.queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, ConnectionRooms> entry = context.entry();
            if (null == entry)
            {
                if (connectionCount >= maxConnections)
                {
                    return StateResult.CONNECTIONS_FULL;
                }
                heapRooms.setCount(1);
                heapRooms.setRoomAt(0, roomId);
                for (int i = 1; i < INLINE_ROOMS; i++)
                {
                    heapRooms.setRoomAt(i, 0);
                }
                context.absentEntry().doInsert(context.wrapValueAsData(heapRooms));
                connectionCount++;
                subscriptionCount++;
                return StateResult.SUBSCRIBED;
            }

            final ConnectionRooms rooms = entry.value().getUsing(nativeRooms);
            final int count = rooms.getCount();
            if (indexOf(rooms, count, connectionId, roomId) >= 0)
            {
                return StateResult.ALREADY_SUBSCRIBED;
            }
            if (count >= maxRoomsPerConnection)
            {
                return StateResult.CONNECTION_FULL;
            }
            if (count < INLINE_ROOMS)
            {
                rooms.setRoomAt(count, roomId);
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
            rooms.setCount(count + 1);
            subscriptionCount++;
            return StateResult.SUBSCRIBED;
        }
    }

    /**
     * Removes a subscription, moving the connection's last room into the hole so rooms stay dense.
     *
     * @return {@link StateResult#UNSUBSCRIBED} or {@link StateResult#NOT_SUBSCRIBED}.
     */
    StateResult remove(final long connectionId, final long roomId)
    {
        key.setValue(connectionId);
        try (ExternalMapQueryContext<LongValue, ConnectionRooms, ?> context = connections.queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, ConnectionRooms> entry = context.entry();
            if (null == entry)
            {
                return StateResult.NOT_SUBSCRIBED;
            }
            final ConnectionRooms rooms = entry.value().getUsing(nativeRooms);
            final int count = rooms.getCount();
            final int index = indexOf(rooms, count, connectionId, roomId);
            if (index < 0)
            {
                return StateResult.NOT_SUBSCRIBED;
            }

            final int last = count - 1;
            if (index != last)
            {
                final long lastRoom = roomAt(rooms, connectionId, last);
                if (index < INLINE_ROOMS)
                {
                    rooms.setRoomAt(index, lastRoom);
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
                entry.doRemove();
                connectionCount--;
            }
            else
            {
                if (last < INLINE_ROOMS)
                {
                    rooms.setRoomAt(last, 0);
                }
                rooms.setCount(last);
            }
            return StateResult.UNSUBSCRIBED;
        }
    }

    /**
     * Removes a connection with all its rooms, which are left in {@link #removedRooms()}.
     *
     * @return the number of rooms removed, 0 if the connection was unknown.
     */
    int removeAll(final long connectionId)
    {
        key.setValue(connectionId);
        try (ExternalMapQueryContext<LongValue, ConnectionRooms, ?> context = connections.queryContext(key))
        {
            context.writeLock().lock();
            final MapEntry<LongValue, ConnectionRooms> entry = context.entry();
            if (null == entry)
            {
                return 0;
            }
            final ConnectionRooms rooms = entry.value().getUsing(nativeRooms);
            final int count = rooms.getCount();
            for (int i = 0; i < count; i++)
            {
                removedRooms[i] = roomAt(rooms, connectionId, i);
                if (i >= INLINE_ROOMS)
                {
                    removeOverflow(connectionId, i);
                }
            }
            entry.doRemove();
            connectionCount--;
            subscriptionCount -= count;
            return count;
        }
    }

    long[] removedRooms()
    {
        return removedRooms;
    }

    boolean contains(final long connectionId, final long roomId)
    {
        key.setValue(connectionId);
        try (ExternalMapQueryContext<LongValue, ConnectionRooms, ?> context = connections.queryContext(key))
        {
            final MapEntry<LongValue, ConnectionRooms> entry = context.entry();
            if (null == entry)
            {
                return false;
            }
            final ConnectionRooms rooms = entry.value().getUsing(nativeRooms);
            return indexOf(rooms, rooms.getCount(), connectionId, roomId) >= 0;
        }
    }

    int roomCount(final long connectionId)
    {
        key.setValue(connectionId);
        final ConnectionRooms rooms = connections.getUsing(key, heapRooms);
        return null == rooms ? 0 : rooms.getCount();
    }

    int copyRooms(final long connectionId, final long[] dst)
    {
        key.setValue(connectionId);
        try (ExternalMapQueryContext<LongValue, ConnectionRooms, ?> context = connections.queryContext(key))
        {
            final MapEntry<LongValue, ConnectionRooms> entry = context.entry();
            if (null == entry)
            {
                return 0;
            }
            final ConnectionRooms rooms = entry.value().getUsing(nativeRooms);
            final int count = rooms.getCount();
            if (dst.length < count)
            {
                throw new IllegalArgumentException(
                    "dst.length=" + dst.length + " is below the connection's " + count + " rooms");
            }
            for (int i = 0; i < count; i++)
            {
                dst[i] = roomAt(rooms, connectionId, i);
            }
            return count;
        }
    }

    /** A reader thread's own reusable keys and values, so that its reads share nothing with the writer's. */
    static final class ReaderScratch
    {
        final LongValue key = Values.newHeapInstance(LongValue.class);
        final ConnectionRooms rooms = Values.newHeapInstance(ConnectionRooms.class);
        final OverflowKey overflowKey = Values.newHeapInstance(OverflowKey.class);
        final LongValue overflowValue = Values.newHeapInstance(LongValue.class);
    }

    /**
     * Whether a connection holds a room, read from another thread than the writer's. The connection's entry is
     * copied under its lock; an overflow room the writer removes meanwhile reads as absent.
     */
    boolean contains(final ReaderScratch scratch, final long connectionId, final long roomId)
    {
        scratch.key.setValue(connectionId);
        final ConnectionRooms rooms = connections.getUsing(scratch.key, scratch.rooms);
        if (null == rooms)
        {
            return false;
        }
        final int count = rooms.getCount();
        for (int i = 0; i < count; i++)
        {
            if (readerRoomAt(scratch, rooms, connectionId, i) == roomId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies up to {@code dst.length} rooms of a connection, read from another thread than the writer's.
     *
     * @return the rooms the connection holds (more than copied if {@code dst} is too short), 0 if unknown.
     */
    int copyRooms(final ReaderScratch scratch, final long connectionId, final long[] dst)
    {
        scratch.key.setValue(connectionId);
        final ConnectionRooms rooms = connections.getUsing(scratch.key, scratch.rooms);
        if (null == rooms)
        {
            return 0;
        }
        final int count = rooms.getCount();
        for (int i = 0, copied = Math.min(count, dst.length); i < copied; i++)
        {
            final long roomId = readerRoomAt(scratch, rooms, connectionId, i);
            if (0 == roomId)
            {
                return i; // the writer shrank the connection since its entry was copied
            }
            dst[i] = roomId;
        }
        return count;
    }

    private long readerRoomAt(
        final ReaderScratch scratch, final ConnectionRooms rooms, final long connectionId, final int index)
    {
        if (index < INLINE_ROOMS)
        {
            return rooms.getRoomAt(index);
        }
        scratch.overflowKey.setConnectionId(connectionId);
        scratch.overflowKey.setIndex(index);
        final LongValue value = overflow.getUsing(scratch.overflowKey, scratch.overflowValue);
        return null == value ? 0 : value.getValue();
    }

    private int indexOf(final ConnectionRooms rooms, final int count, final long connectionId, final long roomId)
    {
        final int inline = Math.min(count, INLINE_ROOMS);
        for (int i = 0; i < inline; i++)
        {
            if (rooms.getRoomAt(i) == roomId)
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

    private long roomAt(final ConnectionRooms rooms, final long connectionId, final int index)
    {
        return index < INLINE_ROOMS ? rooms.getRoomAt(index) : getOverflow(connectionId, index);
    }

    private long getOverflow(final long connectionId, final int index)
    {
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        final LongValue value = overflow.getUsing(overflowKey, overflowValue);
        if (null == value)
        {
            throw new IllegalStateException(
                "overflow entry missing: connectionId=" + connectionId + " index=" + index);
        }
        return value.getValue();
    }

    private void putOverflow(final long connectionId, final int index, final long roomId)
    {
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        overflowValue.setValue(roomId);
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
        return connections.offHeapMemoryUsed();
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
        connections.clear();
        overflow.clear();
        connectionCount = 0;
        overflowCount = 0;
        subscriptionCount = 0;
    }

    public void close()
    {
        CloseHelper.closeAll(connections, overflow);
    }
}
