package io.cohort.state;

import io.cohort.codec.RoomCreatedDecoder;
import io.cohort.codec.SnapshotChunkDecoder;
import net.openhft.posix.PosixAPI;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.function.LongConsumer;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * A node's realtime subscription state, off-heap: rooms in Chronicle Map, counts and connections in tables of the
 * state's own thread:
 * <ul>
 * <li><b>rooms</b> (replicated): room id to {@link RoomMetadata}; ids are content-derived ({@link RoomIds});</li>
 * <li><b>room counts</b> (replicated): room id to one slot holding each owner node's absolute number of
 * subscribers in the room and a presence bit per owner, so that every change, count read and routing decision
 * takes one lookup (routing reads the bits alone); an off-heap table without locks ({@link CountTable}), read by
 * other threads through sequence locks. Only the
 * owner writes its rows: this node's rows change through {@link #subscribe}, {@link #unsubscribe} and
 * {@link #disconnect}, every other owner's through {@link #applyRemote} (a set: idempotent) and
 * {@link #removeOwner} (an evicted or departed node: O(1), cleaned up by {@link #sweepRemovedOwners});</li>
 * <li><b>connections</b> (local, written by the state's thread only): connection id to its rooms, so that
 * {@link #disconnect} removes them all; an off-heap table without locks, read by other threads through a
 * sequence lock.</li>
 * </ul>
 * Each change of a local count is reported to the {@link LocalCountListener} given at construction, after the
 * change is complete, so that the engine replicates it as an absolute {@code ROOM_COUNT}. Every owner has a
 * {@link RowDigest} kept in O(1) per change, for replicas to prove in heartbeats that they agree.
 * <p>
 * Capacities come from {@link StateContext}. Every limit is checked before anything changes: an operation
 * either completes or returns a refusal ({@link StateResult#isRefusal()}) with the state untouched; Chronicle
 * (rooms, connections' overflow) is sized with headroom past these limits so that it never fails first. Misuse
 * of the API (an id of 0, a negative count, the local node given as a remote owner) is an
 * {@link IllegalArgumentException} naming the offending {@code name=value}.
 * <p>
 * <b>Threading</b>: a single writer. Every method of this class, reads included, must be called from one
 * thread (the engine's agent), because the on-heap part (owner slot table, counters and reused flyweights)
 * is not synchronised. Other threads read counts and digests through their own {@link StateReader}
 * ({@link #newReader()}): slot owners and digests are published with ordered stores, the count and connection
 * tables are read through their sequence locks, and Chronicle Map is safe for concurrent readers. The hot
 * operations allocate nothing. {@link #close()} last, once no reader is in use; the tables are in-memory and
 * vanish with it.
 */
public final class SubscriptionState implements AutoCloseable
{
    private final StateContext context;
    private long localNodeId;
    private final LocalCountListener listener;
    private final RoomTable rooms;
    private final ConnectionTable connections;
    private final RoomCounts counts;
    private final CountAdmission subscribeAdmission = this::admitSubscription;
    private final long[] previousCounts;
    private long subscribingConnection;
    private long refusedRoom;
    private boolean appliedFromZero;
    private int nextForgottenSegment;

    /**
     * Creates the maps: this takes up to a second per map the first time in a JVM (Chronicle compiles
     * classes at run time), about 0.1 s per map after; count it in start-up time.
     *
     * @param context  the configuration; {@link StateContext#conclude()} is called here.
     * @param listener told of every change of a local count.
     * @throws IllegalArgumentException if the configuration is invalid.
     */
    public SubscriptionState(final StateContext context, final LocalCountListener listener)
    {
        this.context = context.conclude();
        this.localNodeId = context.localNodeId();
        if (null == listener)
        {
            throw new IllegalArgumentException("listener=null: give a LocalCountListener");
        }
        this.listener = listener;
        previousCounts = new long[context.maxRoomsPerConnection()];

        if (!context.chroniclePosix())
        {
            // Before the first map: Chronicle's core loads its native binding as it initialises, unless one is
            // installed already. Cohort's maps are in memory: nothing of theirs calls it.
            PosixAPI.useNoOpPosixApi();
        }
        RoomTable rooms = null;
        ConnectionTable connections = null;
        try
        {
            rooms = new RoomTable(
                context.maxRooms(),
                context.averageRoomBytes(),
                context.codecLimits().maxNameLength(),
                context.maxFilterBytes());
            connections = new ConnectionTable(
                context.maxConnections(), context.maxRoomsPerConnection(), context.maxOverflowSubscriptions());
            counts = new RoomCounts(localNodeId, context.maxNodes(), context.maxRooms());
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(connections, rooms);
            throw ex;
        }
        this.rooms = rooms;
        this.connections = connections;
    }

    // ----------------------------------------------------------------------------------------------- rooms

    /**
     * Creates a room from its {@link RoomMetadata} encoding. The room id must be {@link RoomIds} of that
     * encoding, which is checked.
     *
     * @param roomId   the room's content-derived id.
     * @param metadata holding the encoding.
     * @param offset   where it starts.
     * @param length   its length.
     * @return {@link StateResult#ROOM_CREATED}, {@link StateResult#ROOM_EXISTS}, or a refusal:
     * {@link StateResult#ROOM_ID_MISMATCH}, {@link StateResult#ROOM_TOO_LARGE}, {@link StateResult#ROOM_CONFLICT},
     * {@link StateResult#ROOMS_FULL}.
     * @throws IllegalArgumentException if the room id is 0 or the encoding is malformed.
     */
    public StateResult createRoom(final long roomId, final DirectBuffer metadata, final int offset, final int length)
    {
        requireId("roomId", roomId);
        final StateResult invalid = rooms.validate(metadata, offset, length);
        if (null != invalid)
        {
            return invalid;
        }
        if (RoomIds.roomId(metadata, offset, length) != roomId)
        {
            return StateResult.ROOM_ID_MISMATCH;
        }
        return rooms.create(roomId, metadata, offset, length);
    }

    /**
     * Creates the room of a decoded {@code ROOM_CREATED} body (or a room entry of a snapshot chunk), whose
     * fields after the room id are the {@link RoomMetadata} encoding.
     *
     * @param room a decoder wrapped on a body that the frame decoder accepted.
     * @return as {@link #createRoom(long, DirectBuffer, int, int)}.
     */
    public StateResult createRoom(final RoomCreatedDecoder room)
    {
        return createRoom(room.roomId(), room.buffer(), metadataOffset(room), metadataLength(room));
    }

    /**
     * Where the {@link RoomMetadata} encoding of a decoded room starts: its fields after the room id.
     */
    static int metadataOffset(final RoomCreatedDecoder room)
    {
        return room.filterOffset() - SIZE_OF_INT - room.collectionNameLength() - SIZE_OF_INT -
            room.indexNameLength() - SIZE_OF_INT;
    }

    private static int metadataLength(final RoomCreatedDecoder room)
    {
        return RoomMetadata.encodedLength(room.indexNameLength(), room.collectionNameLength(), room.filterLength());
    }

    /**
     * Whether a decoded room's id is the {@link RoomIds} of its metadata.
     */
    static boolean isIdOf(final RoomCreatedDecoder room)
    {
        return RoomIds.roomId(room.buffer(), metadataOffset(room), metadataLength(room)) == room.roomId();
    }

    /**
     * Removes a room that no connection is subscribed to, on this node or on any other as far as this node knows
     * (every owner's count in it is 0): a room in use somewhere must stay everywhere, or a node would hold counts
     * and subscribers in a room its peers no longer know.
     *
     * @param roomId the room.
     * @return {@link StateResult#ROOM_REMOVED}, {@link StateResult#UNKNOWN_ROOM} or {@link StateResult#ROOM_IN_USE}.
     */
    public StateResult removeRoom(final long roomId)
    {
        requireId("roomId", roomId);
        if (!rooms.contains(roomId))
        {
            return StateResult.UNKNOWN_ROOM;
        }
        if (counts.sum(roomId) > 0)
        {
            return StateResult.ROOM_IN_USE;
        }
        rooms.remove(roomId);
        return StateResult.ROOM_REMOVED;
    }

    /**
     * One bounded step of forgetting every room, for a node that is not a member and whose table came from a cluster
     * instance it was never let into (that instance dissolved while the node joined it): the table it joins next must
     * be exactly that cluster's. Removes whole segments of the room table until at least {@code budget} rooms were
     * removed or every segment was visited once in this call. Rooms a local connection is subscribed to are removed
     * too: a node that is not a member has none.
     *
     * @param budget  rooms to remove at least when there are some, at least 1.
     * @param removed told each room removed.
     * @return rooms removed in this step: 0 once the table is empty.
     */
    public int forgetRooms(final int budget, final LongConsumer removed)
    {
        if (budget < 1)
        {
            throw new IllegalArgumentException("budget=" + budget + " must be at least 1");
        }
        final int segments = rooms.segments();
        int removedRooms = 0;
        for (int visited = 0; visited < segments && removedRooms < budget && rooms.rooms() > 0; visited++)
        {
            removedRooms += rooms.removeSegment(nextForgottenSegment, removed);
            nextForgottenSegment = (nextForgottenSegment + 1) % segments;
        }
        return removedRooms;
    }

    /**
     * Whether a room exists on this node.
     *
     * @param roomId the room.
     * @return true if it exists.
     */
    public boolean roomExists(final long roomId)
    {
        return rooms.contains(roomId);
    }

    /**
     * Length of a room's {@link RoomMetadata} encoding, e.g. to claim room for a message.
     *
     * @param roomId the room.
     * @return bytes, or -1 if the room is unknown.
     */
    public int roomMetadataLength(final long roomId)
    {
        return rooms.metadataLength(roomId);
    }

    /**
     * Copies a room's {@link RoomMetadata} encoding out: written after a room id, it is a {@code ROOM_CREATED}
     * body.
     *
     * @param roomId    the room.
     * @param dst       to copy into, with room for {@link #roomMetadataLength(long)} bytes.
     * @param dstOffset where to copy to.
     * @return bytes copied, or -1 if the room is unknown.
     */
    public int copyRoomMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        return rooms.copyMetadata(roomId, dst, dstOffset);
    }

    // ------------------------------------------------------------------------------------- local subscriptions

    /**
     * Subscribes a local connection to a room. If it was not subscribed yet, the local count of the room goes
     * up by one and the listener is told.
     *
     * @param connectionId the connection, not 0.
     * @param roomId       the room, not 0.
     * @return {@link StateResult#SUBSCRIBED}, {@link StateResult#ALREADY_SUBSCRIBED}, or a refusal:
     * {@link StateResult#UNKNOWN_ROOM}, {@link StateResult#ROOM_COUNTS_FULL} (the room has no count yet and
     * {@link StateContext#maxRooms()} rooms have counts), {@link StateResult#CONNECTION_FULL},
     * {@link StateResult#CONNECTIONS_FULL}, {@link StateResult#OVERFLOW_FULL}.
     */
    public StateResult subscribe(final long connectionId, final long roomId)
    {
        requireId("connectionId", connectionId);
        requireId("roomId", roomId);
        subscribingConnection = connectionId;
        final StateResult result = counts.incrementIf(RoomCounts.LOCAL_SLOT, roomId, subscribeAdmission);
        if (StateResult.SUBSCRIBED == result)
        {
            final long previous = counts.lastPrevious();
            listener.onLocalCountChanged(roomId, previous, previous + 1);
        }
        else if (StateResult.ROOM_COUNTS_FULL == result && !rooms.contains(roomId))
        {
            return StateResult.UNKNOWN_ROOM;
        }
        return result;
    }

    private StateResult admitSubscription(final long roomId, final long localCount)
    {
        // A local count exists only for a room that exists (a room in use cannot be removed), so the room map is
        // read only for a room's first local subscriber.
        if (0 == localCount && !rooms.contains(roomId))
        {
            return StateResult.UNKNOWN_ROOM;
        }
        return connections.add(subscribingConnection, roomId);
    }

    /**
     * Unsubscribes a local connection from a room. If it was subscribed, the local count of the room goes down
     * by one and the listener is told.
     *
     * @param connectionId the connection, not 0.
     * @param roomId       the room, not 0.
     * @return {@link StateResult#UNSUBSCRIBED} or {@link StateResult#NOT_SUBSCRIBED}.
     */
    public StateResult unsubscribe(final long connectionId, final long roomId)
    {
        requireId("connectionId", connectionId);
        requireId("roomId", roomId);
        final StateResult result = connections.remove(connectionId, roomId);
        if (StateResult.UNSUBSCRIBED == result)
        {
            final long previous = counts.decrement(RoomCounts.LOCAL_SLOT, roomId);
            listener.onLocalCountChanged(roomId, previous, previous - 1);
        }
        return result;
    }

    /**
     * Removes every subscription of a local connection; the local count of each of its rooms goes down by
     * one and the listener is told once per room, after the connection is gone.
     *
     * @param connectionId the connection, not 0.
     * @return {@link StateResult#DISCONNECTED} or {@link StateResult#UNKNOWN_CONNECTION} (no subscription).
     */
    public StateResult disconnect(final long connectionId)
    {
        requireId("connectionId", connectionId);
        final int count = connections.removeAll(connectionId);
        if (0 == count)
        {
            return StateResult.UNKNOWN_CONNECTION;
        }
        final long[] removed = connections.removedRooms();
        for (int i = 0; i < count; i++)
        {
            previousCounts[i] = counts.decrement(RoomCounts.LOCAL_SLOT, removed[i]);
        }
        // Told only once every count is down, so a listener reading the state sees it whole; a connection holds
        // a room once, so each room's count went down by exactly one.
        for (int i = 0; i < count; i++)
        {
            listener.onLocalCountChanged(removed[i], previousCounts[i], previousCounts[i] - 1);
        }
        return StateResult.DISCONNECTED;
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
     * Number of rooms a local connection is subscribed to.
     *
     * @param connectionId the connection.
     * @return the rooms, 0 if unknown.
     */
    public int connectionRoomCount(final long connectionId)
    {
        return connections.roomCount(connectionId);
    }

    /**
     * Copies the rooms of a local connection, in no particular order.
     *
     * @param connectionId the connection.
     * @param dst          to copy into, at least {@link #connectionRoomCount(long)} long.
     * @return the number of rooms copied.
     * @throws IllegalArgumentException if {@code dst} is too short.
     */
    public int connectionRooms(final long connectionId, final long[] dst)
    {
        return connections.copyRooms(connectionId, dst);
    }

    // ---------------------------------------------------------------------------------------- replicated counts

    /**
     * Sets a remote owner's absolute count in a room, as carried by its {@code ROOM_COUNT}; 0 removes the
     * row. Idempotent. The room need not exist here: messages of different senders are not ordered, so a
     * count may arrive before the room.
     *
     * @param ownerNodeId the owner, neither 0 nor this node.
     * @param roomId      the room, not 0.
     * @param count       the owner's subscribers in the room, from 0 to 2^48 - 1.
     * @return {@link StateResult#APPLIED}, {@link StateResult#UNCHANGED}, or a refusal:
     * {@link StateResult#OWNERS_FULL} ({@link StateContext#maxNodes()} owners hold counts),
     * {@link StateResult#ROOM_COUNTS_FULL} (the room has no count yet and {@link StateContext#maxRooms()} rooms
     * have counts).
     */
    public StateResult applyRemote(final long ownerNodeId, final long roomId, final long count)
    {
        requireRemoteOwner(ownerNodeId);
        requireId("roomId", roomId);
        requireCount(roomId, count);
        final int slot = 0 == count ? counts.slots().slotOf(ownerNodeId) : counts.acquireSlot(ownerNodeId);
        if (RoomCounts.NO_SLOT == slot)
        {
            return 0 == count ? StateResult.UNCHANGED : StateResult.OWNERS_FULL;
        }
        final long previous = counts.set(slot, roomId, count);
        if (RoomCounts.FULL == previous)
        {
            return StateResult.ROOM_COUNTS_FULL;
        }
        if (previous == count)
        {
            return StateResult.UNCHANGED;
        }
        appliedFromZero = 0 == previous;
        return StateResult.APPLIED;
    }

    /**
     * Whether the last {@link #applyRemote} that returned {@link StateResult#APPLIED} set the owner's count from 0:
     * its first subscribers in the room, the one change after which the room must exist here.
     *
     * @return true if the owner's count was 0 before it.
     */
    public boolean appliedFromZero()
    {
        return appliedFromZero;
    }

    /**
     * Sets a remote owner's counts from the count entries of a snapshot chunk, in order: the same as
     * {@link #applyRemote} for each entry, but the owner's slot is found once per chunk instead of once per
     * row (a snapshot load sets millions of rows of a handful of owners). Stops at the first refusal, the rows
     * before it applied, as row by row.
     *
     * @param ownerNodeId the owner of the chunk, neither 0 nor this node if the chunk holds entries.
     * @param chunk       a chunk decoder wrapped on a body that the frame decoder accepted.
     * @return null if every entry applied, else the refusal ({@link StateResult#OWNERS_FULL},
     * {@link StateResult#ROOM_COUNTS_FULL}), whose room is then {@link #refusedRoom()}.
     */
    StateResult applyRemoteCounts(final long ownerNodeId, final SnapshotChunkDecoder chunk)
    {
        final int entries = chunk.countEntries();
        if (0 == entries)
        {
            return null;
        }
        requireRemoteOwner(ownerNodeId);
        final int slot = counts.acquireSlot(ownerNodeId);
        if (RoomCounts.NO_SLOT == slot)
        {
            // Every slot taken: row by row, where a count of 0 needs no slot and any other is OWNERS_FULL.
            for (int i = 0; i < entries; i++)
            {
                final long roomId = chunk.countRoomId(i);
                final StateResult result = applyRemote(ownerNodeId, roomId, chunk.countValue(i));
                if (result.isRefusal())
                {
                    refusedRoom = roomId;
                    return result;
                }
            }
            return null;
        }
        try
        {
            for (int i = 0; i < entries; i++)
            {
                final long roomId = chunk.countRoomId(i);
                final long count = chunk.countValue(i);
                requireId("roomId", roomId);
                requireCount(roomId, count);
                if (RoomCounts.FULL == counts.setRow(slot, roomId, count))
                {
                    refusedRoom = roomId;
                    return StateResult.ROOM_COUNTS_FULL;
                }
            }
            return null;
        }
        finally
        {
            // Taken for the chunk; held only while the owner holds rows (a chunk of zeros leaves none).
            counts.slots().releaseIfEmpty(slot);
        }
    }

    /**
     * The room of the last refusal of {@link #applyRemoteCounts}.
     *
     * @return the room id.
     */
    long refusedRoom()
    {
        return refusedRoom;
    }

    /**
     * Removes every row of a remote owner (an evicted or departed node) in O(1): its counts vanish from every
     * read and its digest becomes {@link RowDigest#EMPTY} at once; {@link #sweepRemovedOwners} later takes them
     * out of the room entries (until then they still occupy room in the count map).
     *
     * @param ownerNodeId the owner, neither 0 nor this node.
     * @return the number of rows removed, 0 if the owner held none.
     */
    public long removeOwner(final long ownerNodeId)
    {
        requireRemoteOwner(ownerNodeId);
        return counts.removeOwner(ownerNodeId);
    }

    /**
     * One bounded step of the clean-up behind {@link #removeOwner}: takes removed owners' counts out of the room
     * entries, whole segments of the count map at a time, until at least {@code budget} entries were visited.
     * Reads never see those counts (they vanish at removal); the sweep only gives their memory and slots back.
     * The engine calls this once per duty cycle.
     *
     * @param budget entries to visit at least when there is work, at least 1.
     * @return entries visited, 0 when there was nothing to sweep.
     */
    public int sweepRemovedOwners(final int budget)
    {
        if (budget < 1)
        {
            throw new IllegalArgumentException("budget=" + budget + " must be at least 1");
        }
        return counts.sweep(budget);
    }

    /**
     * Whether counts of a removed owner still await {@link #sweepRemovedOwners}.
     *
     * @return true while the sweep has work.
     */
    public boolean isSweepingRemovedOwners()
    {
        return counts.isSweeping();
    }

    /**
     * A read-only view of the counts for another thread (e.g. a backend thread asking for a room's subscriber
     * count while the state's thread writes): one per thread.
     *
     * @return a new reader.
     */
    public StateReader newReader()
    {
        return new StateReader(counts, rooms, connections);
    }

    /**
     * Cluster-wide subscribers of a room: the sum over owners, from the room's one slot.
     *
     * @param roomId the room.
     * @return the sum of every owner's count.
     */
    public long roomCount(final long roomId)
    {
        return counts.sum(roomId);
    }

    /**
     * This node's subscribers in a room.
     *
     * @param roomId the room.
     * @return the local count.
     */
    public long localCount(final long roomId)
    {
        return counts.count(RoomCounts.LOCAL_SLOT, roomId);
    }

    /**
     * One owner's subscribers in a room.
     *
     * @param ownerNodeId the owner (this node included).
     * @param roomId      the room.
     * @return the owner's count, 0 if it holds none.
     */
    public long ownerCount(final long ownerNodeId, final long roomId)
    {
        final int slot = counts.slots().slotOf(ownerNodeId);
        return RoomCounts.NO_SLOT == slot ? 0 : counts.count(slot, roomId);
    }

    /**
     * Whether an owner has subscribers in a room: notifications are routed only to such nodes.
     *
     * @param ownerNodeId the owner (this node included).
     * @param roomId      the room.
     * @return true if its count is above 0.
     */
    public boolean hasSubscribers(final long ownerNodeId, final long roomId)
    {
        return ownerCount(ownerNodeId, roomId) > 0;
    }

    /**
     * Visits every owner, this node included, with subscribers in a room: the destinations of a notification.
     * Allocation-free with a reused consumer; the consumer must not change the state.
     *
     * @param roomId   the room.
     * @param consumer given each owner's node id.
     * @return the number of owners visited.
     */
    public int forEachOwnerWithSubscribers(final long roomId, final LongConsumer consumer)
    {
        return counts.forEachOwnerWithCount(roomId, consumer);
    }

    /**
     * Visits every owner holding rows, and this node always.
     *
     * @param consumer given each owner's node id; must not change the state.
     * @return the number of owners visited.
     */
    public int forEachOwner(final LongConsumer consumer)
    {
        return counts.slots().forEachOwner(consumer);
    }

    /**
     * The {@link RowDigest} of an owner's rows.
     *
     * @param ownerNodeId the owner (this node included).
     * @return the digest, {@link RowDigest#EMPTY} if it holds no rows.
     */
    public long ownerDigest(final long ownerNodeId)
    {
        final int slot = counts.slots().slotOf(ownerNodeId);
        return RoomCounts.NO_SLOT == slot ? RowDigest.EMPTY : counts.slots().digest(slot);
    }

    /**
     * Number of rooms in which an owner has a count above 0.
     *
     * @param ownerNodeId the owner (this node included).
     * @return the owner's rows.
     */
    public long ownerRows(final long ownerNodeId)
    {
        final int slot = counts.slots().slotOf(ownerNodeId);
        return RoomCounts.NO_SLOT == slot ? 0 : counts.slots().rows(slot);
    }

    // ----------------------------------------------------------------------------------------------- fullness

    /**
     * This node's id.
     *
     * @return the local node id.
     */
    public long localNodeId()
    {
        return localNodeId;
    }

    /**
     * The concluded configuration.
     *
     * @return the context.
     */
    public StateContext context()
    {
        return context;
    }

    /**
     * Rooms known, against {@link StateContext#maxRooms()}.
     *
     * @return the number of rooms.
     */
    public long rooms()
    {
        return rooms.rooms();
    }

    /**
     * Bytes of room metadata held, against {@link #maxRoomMetadataBytes()}.
     *
     * @return bytes.
     */
    public long roomMetadataBytes()
    {
        return rooms.metadataBytes();
    }

    /**
     * The byte budget of room metadata: max rooms times average room bytes.
     *
     * @return bytes.
     */
    public long maxRoomMetadataBytes()
    {
        return rooms.maxMetadataBytes();
    }

    /**
     * Local connections holding a subscription, against {@link StateContext#maxConnections()}.
     *
     * @return the number of connections.
     */
    public long connections()
    {
        return connections.connections();
    }

    /**
     * Local subscriptions (connection, room) in total.
     *
     * @return the number of subscriptions.
     */
    public long localSubscriptions()
    {
        return connections.subscriptions();
    }

    /**
     * Subscriptions held in the overflow map, against {@link StateContext#maxOverflowSubscriptions()}.
     *
     * @return the number of overflow subscriptions.
     */
    public long overflowSubscriptions()
    {
        return connections.overflowSubscriptions();
    }

    /**
     * Owners holding a slot (this node always does), against {@link StateContext#maxNodes()}.
     *
     * @return the number of counts.
     */
    public int owners()
    {
        return counts.slots().owners();
    }

    /**
     * Rows of every owner together; each owner may hold up to {@link StateContext#maxRooms()}.
     *
     * @return the number of rows.
     */
    public long totalRows()
    {
        return counts.slots().totalRows();
    }

    /**
     * Off-heap bytes reserved for every table: Chronicle's maps (their configured capacity, touched lazily), the
     * connection table and the count table (allocated whole) and the count blocks allocated so far.
     *
     * @return bytes.
     */
    public long offHeapMemoryUsed()
    {
        return rooms.offHeapMemoryUsed() + connections.connectionsOffHeapMemoryUsed() +
            connections.overflowOffHeapMemoryUsed() + counts.offHeapMemoryUsed();
    }

    /**
     * Off-heap bytes held for the room counts: the count table and its blocks (part of
     * {@link #offHeapMemoryUsed()}).
     *
     * @return bytes.
     */
    public long roomCountsOffHeapMemoryUsed()
    {
        return counts.offHeapMemoryUsed();
    }

    /**
     * Appends sizes against capacities and off-heap bytes per map, for logs and diagnostics (allocates).
     *
     * @param out to append to.
     * @return {@code out}.
     */
    public StringBuilder appendFullness(final StringBuilder out)
    {
        return out.append("rooms=").append(rooms.rooms()).append('/').append(rooms.maxRooms())
            .append(" roomMetadataBytes=").append(rooms.metadataBytes()).append('/').append(rooms.maxMetadataBytes())
            .append(" connections=").append(connections.connections()).append('/')
            .append(connections.maxConnections())
            .append(" localSubscriptions=").append(connections.subscriptions())
            .append(" overflowSubscriptions=").append(connections.overflowSubscriptions()).append('/')
            .append(connections.maxOverflowSubscriptions())
            .append(" owners=").append(counts.slots().owners()).append('/').append(counts.slots().maxOwners())
            .append(" rows=").append(counts.slots().totalRows())
            .append(" roomsWithCounts=").append(counts.entries()).append('/').append(counts.maxEntries())
            .append(" offHeapBytes{rooms=").append(rooms.offHeapMemoryUsed())
            .append(", connections=").append(connections.connectionsOffHeapMemoryUsed())
            .append(", overflow=").append(connections.overflowOffHeapMemoryUsed())
            .append(", counts=").append(counts.offHeapMemoryUsed()).append('}');
    }

    /**
     * Empties every map and makes this a fresh state of another local node, as if just created with
     * {@code localNodeId} (the listener stays): far cheaper than creating the maps again, for tests and
     * simulations that start many short-lived nodes. Every map is cleared, counters go to 0, digests to
     * {@link RowDigest#EMPTY}. No {@link StateReader} may be in use.
     *
     * @param localNodeId the new local node id, not 0.
     * @throws IllegalArgumentException if the id is 0.
     */
    public void reset(final long localNodeId)
    {
        requireId("localNodeId", localNodeId);
        rooms.clear();
        connections.clear();
        counts.reset(localNodeId);
        context.localNodeId(localNodeId);
        this.localNodeId = localNodeId;
        subscribingConnection = 0;
    }

    /**
     * Closes every map; the state is unusable after.
     */
    public void close()
    {
        CloseHelper.closeAll(counts, connections, rooms);
    }

    RoomTable roomTable()
    {
        return rooms;
    }

    RoomCounts roomCounts()
    {
        return counts;
    }

    private void requireRemoteOwner(final long ownerNodeId)
    {
        requireId("ownerNodeId", ownerNodeId);
        if (ownerNodeId == localNodeId)
        {
            throw new IllegalArgumentException("ownerNodeId=" + ownerNodeId +
                " is this node: its rows change only through subscribe, unsubscribe and disconnect");
        }
    }

    private static void requireCount(final long roomId, final long count)
    {
        if (count < 0 || count > CountTable.MAX_COUNT)
        {
            throw new IllegalArgumentException("count=" + count + " must be from 0 to " + CountTable.MAX_COUNT +
                " (roomId=" + roomId + ")");
        }
    }

    private static void requireId(final String name, final long id)
    {
        if (0 == id)
        {
            throw new IllegalArgumentException(name + "=0 is reserved for \"none\"");
        }
    }
}
