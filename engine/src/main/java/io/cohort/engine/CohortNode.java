package io.cohort.engine;

import io.cohort.state.RoomIds;
import io.cohort.state.RoomMetadata;
import io.cohort.transport.CounterType;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * A running Cohort node, linked into a backend: thread-safe calls from any backend thread, carried out on the
 * node's own thread. Calls that change state are queued without allocating and return at once: a full queue
 * is {@link CallResult#BACK_PRESSURED}, never an exception. Obtain one with {@link Cohort#launch}; close it to
 * leave the cluster gracefully.
 * <p>
 * One node is one incarnation: once {@link NodeState#EVICTED} it never serves again. Close it and launch a new one
 * with a new {@link CohortContext} (the same settings): it joins as a new incarnation. {@link CohortSupervisor} does
 * that for you. A reference to a closed node stays safe to use from any thread: its reads answer as for an empty
 * node and its calls return {@link CallResult#CLOSED}.
 * <p>
 * <b>Outcomes.</b> A call returns {@link CallResult#ACCEPTED} once it is queued; anything else means nothing was
 * queued. What the node's thread then refuses reaches the listener ({@link CohortListener#onRefused}, and for a
 * publish {@link CohortListener#onPublishRefused} with its payload), never nothing: in particular a notification
 * is delivered to all of its room's subscribers or to none, and one that did not go out is always told, either as
 * {@code BACK_PRESSURED} here or as {@link RefusalReason#NOTIFICATION_BACK_PRESSURED} there, and counted
 * ({@link #refusedNotifications()}).
 */
public final class CohortNode implements AutoCloseable
{
    private static final long LEAVE_LINGER_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private final CohortContext context;
    private final ClusterCore core;
    private final ManyToOneRingBuffer apiQueue;
    private final AgentRunner runner;
    private final CountReaders countReaders;
    private final String syncEndpoint;
    private final String commandEndpoint;
    private final String name;
    private final CounterLookup counters;
    private final AtomicLong backPressuredCalls = new AtomicLong();
    private volatile boolean closed;
    private volatile NodeJmx jmx;
    private final Doorbell doorbell;
    private final FlowGate flowGate;
    private final NotificationCredit notificationCredit;
    private final NotificationCredit.OwnerCounts ownerCounts;

    CohortNode(
        final CohortContext context,
        final ClusterCore core,
        final ManyToOneRingBuffer apiQueue,
        final AgentRunner runner,
        final CountReaders countReaders,
        final String syncEndpoint,
        final String commandEndpoint,
        final CounterLookup counters,
        final Doorbell doorbell)
    {
        this.doorbell = doorbell;
        this.flowGate = core.flowControl().gate();
        this.notificationCredit = core.publisher().notificationCredit();
        this.ownerCounts = countReaders::ownerCount;
        this.context = context;
        this.core = core;
        this.apiQueue = apiQueue;
        this.runner = runner;
        this.countReaders = countReaders;
        this.syncEndpoint = syncEndpoint;
        this.commandEndpoint = commandEndpoint;
        this.counters = counters;
        this.name = context.jmxName().isEmpty() ?
            "node-" + commandEndpoint.substring(commandEndpoint.lastIndexOf(':') + 1) : context.jmxName();
    }

    /**
     * This node's id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return context.nodeId();
    }

    /**
     * This node's incarnation.
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return context.incarnation();
    }

    /**
     * This node's stable name ({@code cohort.jmx.name}): the name of its MBean and the {@code node} tag of its
     * metrics. Unlike {@link #nodeId()} it stays the same across restarts.
     *
     * @return the configured name, or {@code node-<command port>} by default.
     */
    public String name()
    {
        return name;
    }

    /**
     * The cluster's name ({@code cohort.cluster.name}), the same on every node of the cluster.
     *
     * @return the name.
     */
    public String clusterName()
    {
        return context.clusterName();
    }

    /**
     * The endpoint peers subscribe to.
     *
     * @return e.g. {@code tcp://10.0.0.1:7511}.
     */
    public String syncEndpoint()
    {
        return syncEndpoint;
    }

    /**
     * The endpoint other nodes join through (give it to them as a seed, without {@code tcp://}).
     *
     * @return e.g. {@code tcp://10.0.0.1:7510}.
     */
    public String commandEndpoint()
    {
        return commandEndpoint;
    }

    /**
     * The node's lifecycle state.
     *
     * @return the current state.
     */
    public NodeState state()
    {
        return core.state();
    }

    /**
     * Why the node closed by itself (e.g. a join that timed out).
     *
     * @return a one-line reason, or null.
     */
    public String failure()
    {
        return core.failure();
    }

    /**
     * The other members this node knows, in the order it learnt of them.
     *
     * @return their node ids (a fresh copy).
     */
    public long[] members()
    {
        return core.memberIds().clone();
    }

    /**
     * The other members this node knows, with their incarnation, endpoints and state, as the node's thread last
     * published them. Safe from any thread; allocation-free (the list is replaced, never changed).
     *
     * @return an unmodifiable list, in the order this node learnt of them.
     */
    public List<ClusterMember> clusterMembers()
    {
        return core.clusterMembers();
    }

    /**
     * Whether a room exists on this node (created here, or replicated from another member). Safe from any
     * thread; allocation-free after the calling thread's first read.
     *
     * @param roomId the room.
     * @return true if it exists.
     */
    public boolean roomExists(final long roomId)
    {
        return countReaders.roomExists(roomId);
    }

    /**
     * Copies a room's metadata out: its index name, collection name and filter, read with
     * {@link io.cohort.state.RoomMetadata}'s accessors. Safe from any thread; allocation-free after the calling
     * thread's first read.
     *
     * @param roomId    the room.
     * @param dst       to copy into, with room for {@link #maxRoomMetadataLength()} bytes.
     * @param dstOffset where to copy to.
     * @return bytes copied, or -1 if the room does not exist.
     */
    public int roomMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        return countReaders.copyRoomMetadata(roomId, dst, dstOffset);
    }

    /**
     * The longest metadata a room may have on this node.
     *
     * @return bytes: a buffer this long holds any room's metadata.
     */
    public int maxRoomMetadataLength()
    {
        return countReaders.maxRoomMetadataLength();
    }

    /**
     * Whether a connection of this node is subscribed to a room, as the node's thread has carried out its calls
     * so far (a queued subscribe counts once carried out). Safe from any thread; allocation-free after the
     * calling thread's first read.
     *
     * @param connectionId the connection.
     * @param roomId       the room.
     * @return true if subscribed.
     */
    public boolean isSubscribed(final long connectionId, final long roomId)
    {
        return countReaders.isSubscribed(connectionId, roomId);
    }

    /**
     * Copies the rooms a connection of this node is subscribed to, in no particular order. Safe from any thread;
     * allocation-free after the calling thread's first read.
     *
     * @param connectionId the connection.
     * @param dst          to copy into; at most {@code dst.length} rooms are copied.
     * @return how many rooms the connection holds: more than {@code dst.length} if only some were copied.
     */
    public int connectionRooms(final long connectionId, final long[] dst)
    {
        return countReaders.connectionRooms(connectionId, dst);
    }

    /**
     * Waits until the node reaches a state.
     *
     * @param expected the state to wait for.
     * @param timeout  how long to wait.
     * @param unit     unit of the timeout.
     * @return true if reached, false on timeout or if the node stopped for good first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitState(final NodeState expected, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline)
        {
            final NodeState current = core.state();
            if (current == expected)
            {
                return true;
            }
            if (current.isTerminal())
            {
                return false;
            }
            Thread.sleep(1);
        }
        return core.state() == expected;
    }

    /**
     * Subscribes a connection to a room (idempotent). Its outcome, if refused, reaches
     * {@link CohortListener#onRefused}.
     *
     * @param connectionId the backend's connection id, non-zero.
     * @param roomId       the room, non-zero, from {@link #roomId}.
     * @return whether the call was queued.
     */
    public CallResult subscribe(final long connectionId, final long roomId)
    {
        return subscription(ApiCommands.SUBSCRIBE, connectionId, roomId);
    }

    /**
     * Unsubscribes a connection from a room (idempotent).
     *
     * @param connectionId the connection, non-zero.
     * @param roomId       the room, non-zero.
     * @return whether the call was queued.
     */
    public CallResult unsubscribe(final long connectionId, final long roomId)
    {
        return subscription(ApiCommands.UNSUBSCRIBE, connectionId, roomId);
    }

    /**
     * Removes every subscription of a connection.
     *
     * @param connectionId the connection, non-zero.
     * @return whether the call was queued.
     */
    public CallResult disconnect(final long connectionId)
    {
        requireId("connectionId", connectionId);
        final CallResult refusal = rowRefusal();
        if (null != refusal)
        {
            return refusal;
        }
        final int index = apiQueue.tryClaim(ApiCommands.DISCONNECT, Long.BYTES);
        if (index <= 0)
        {
            return backPressured();
        }
        apiQueue.buffer().putLong(index, connectionId, BYTE_ORDER);
        commit(index);
        return CallResult.ACCEPTED;
    }

    private CallResult subscription(final int type, final long connectionId, final long roomId)
    {
        requireId("connectionId", connectionId);
        requireId("roomId", roomId);
        final CallResult refusal = rowRefusal();
        if (null != refusal)
        {
            return refusal;
        }
        final int index = apiQueue.tryClaim(type, ApiCommands.SUBSCRIPTION_LENGTH);
        if (index <= 0)
        {
            return backPressured();
        }
        apiQueue.buffer().putLong(index + ApiCommands.CONNECTION_ID_OFFSET, connectionId, BYTE_ORDER);
        apiQueue.buffer().putLong(index + ApiCommands.ROOM_ID_OFFSET, roomId, BYTE_ORDER);
        commit(index);
        return CallResult.ACCEPTED;
    }

    /**
     * The content-derived id of a room: every node computes the same id for the same room, without talking.
     *
     * @param indexName      the index (scope).
     * @param collectionName the collection (scope).
     * @param filter         the normalised filter bytes.
     * @return the room id, never 0.
     */
    public static long roomId(final String indexName, final String collectionName, final byte[] filter)
    {
        return RoomIds.roomId(indexName, collectionName, filter);
    }

    /**
     * Creates a room (idempotent) and replicates it. Its id is content-derived: {@link #roomId} gives it, on any
     * node, without a call. Every node's listener learns of the room through {@link CohortListener#onRoomCreated};
     * a refusal by the state (e.g. {@link RefusalReason#ROOMS_FULL}) reaches {@link CohortListener#onRefused}.
     *
     * @param indexName      the index (scope).
     * @param collectionName the collection (scope).
     * @param filter         the normalised, opaque filter bytes.
     * @return whether the call was queued.
     * @throws IllegalArgumentException if a field is longer than its configured maximum.
     */
    public CallResult createRoom(final String indexName, final String collectionName, final byte[] filter)
    {
        final byte[] index = indexName.getBytes(StandardCharsets.UTF_8);
        final byte[] collection = collectionName.getBytes(StandardCharsets.UTF_8);
        final int maxName = context.codecLimits().maxNameLength();
        if (index.length > maxName || collection.length > maxName)
        {
            throw new IllegalArgumentException("indexName/collectionName length=" +
                Math.max(index.length, collection.length) + " bytes exceeds maxNameLength=" + maxName);
        }
        if (filter.length > context.stateContext().maxFilterBytes())
        {
            throw new IllegalArgumentException("filter length=" + filter.length + " exceeds " +
                io.cohort.state.StateConfiguration.MAX_FILTER_BYTES_PROP_NAME + "=" +
                context.stateContext().maxFilterBytes());
        }
        final CallResult refusal = rowRefusal();
        if (null != refusal)
        {
            return refusal;
        }
        final int metadataLength = RoomMetadata.encodedLength(index.length, collection.length, filter.length);
        final int index0 = apiQueue.tryClaim(ApiCommands.CREATE_ROOM, ApiCommands.ROOM_BODY_OFFSET + metadataLength);
        if (index0 <= 0)
        {
            return backPressured();
        }
        final org.agrona.concurrent.AtomicBuffer buffer = apiQueue.buffer();
        buffer.putLong(index0, roomId(indexName, collectionName, filter), BYTE_ORDER);
        int at = index0 + ApiCommands.ROOM_BODY_OFFSET;
        for (final byte[] field : new byte[][]{ index, collection, filter })
        {
            buffer.putInt(at, field.length, BYTE_ORDER);
            buffer.putBytes(at + Integer.BYTES, field);
            at += Integer.BYTES + field.length;
        }
        commit(index0);
        return CallResult.ACCEPTED;
    }

    /**
     * Removes a room everywhere.
     *
     * @param roomId the room.
     * @return whether the call was queued.
     */
    public CallResult removeRoom(final long roomId)
    {
        requireId("roomId", roomId);
        final CallResult refusal = rowRefusal();
        if (null != refusal)
        {
            return refusal;
        }
        final int index = apiQueue.tryClaim(ApiCommands.REMOVE_ROOM, Long.BYTES);
        if (index <= 0)
        {
            return backPressured();
        }
        apiQueue.buffer().putLong(index, roomId, BYTE_ORDER);
        commit(index);
        return CallResult.ACCEPTED;
    }

    /**
     * Publishes a notification to a room's subscribers: delivered to this node's listener if it has local
     * subscribers, and routed only to the nodes whose count for the room is above zero. The payload is copied
     * before this returns.
     * <p>
     * All or nothing, never dropped silently: each node it must reach needs notification credit, that is, fewer
     * than {@code cohort.flow.notification.window} bytes of notifications sent to it and not yet reported taken.
     * While a node with subscribers in the room has none
     * (it is slow, or stalled), this returns {@link CallResult#BACK_PRESSURED} and queues nothing (publish it again
     * later: {@link BlockingCalls#publish} retries until a deadline); rooms without subscribers on that node are not
     * held back. A publish accepted just
     * before a node ran out of credit is refused whole on the node's thread, delivered nowhere (not even locally),
     * and handed back to {@link CohortListener#onPublishRefused} with
     * {@link RefusalReason#NOTIFICATION_BACK_PRESSURED}. Both count in {@link #refusedNotifications()}.
     *
     * @param roomId the room.
     * @param buffer holding the payload.
     * @param offset where it starts.
     * @param length its length, at most the codec's maximum payload length.
     * @return whether the call was queued: {@link CallResult#BACK_PRESSURED} if the queue is full or a node with
     * subscribers in the room has no notification credit.
     */
    public CallResult publish(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
        requireId("roomId", roomId);
        if (length < 0 || length > context.codecLimits().maxPayloadLength())
        {
            throw new IllegalArgumentException("payload length=" + length + " is outside [0, " +
                context.codecLimits().maxPayloadLength() + "]");
        }
        final CallResult refusal = refusal();
        if (null != refusal)
        {
            return refusal;
        }
        if (notificationCredit.refuses(roomId, ownerCounts))
        {
            notificationCredit.onRefusedAtCall();
            return backPressured();
        }
        final int index = apiQueue.tryClaim(ApiCommands.PUBLISH, ApiCommands.ROOM_BODY_OFFSET + length);
        if (index <= 0)
        {
            return backPressured();
        }
        apiQueue.buffer().putLong(index, roomId, BYTE_ORDER);
        apiQueue.buffer().putBytes(index + ApiCommands.ROOM_BODY_OFFSET, buffer, offset, length);
        commit(index);
        return CallResult.ACCEPTED;
    }

    /**
     * Sends a backend-defined event to every node of the cluster, this one included.
     *
     * @param name    the event's name.
     * @param payload holding the payload.
     * @param offset  where it starts.
     * @param length  its length.
     * @return whether the call was queued.
     */
    public CallResult broadcast(final String name, final DirectBuffer payload, final int offset, final int length)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > context.codecLimits().maxNameLength() ||
            length < 0 || length > context.codecLimits().maxPayloadLength())
        {
            throw new IllegalArgumentException("event name length=" + nameBytes.length + " or payload length=" +
                length + " exceeds the codec limits " + context.codecLimits());
        }
        final CallResult refusal = refusal();
        if (null != refusal)
        {
            return refusal;
        }
        final int index = apiQueue.tryClaim(
            ApiCommands.BROADCAST_EVENT, ApiCommands.EVENT_NAME_OFFSET + nameBytes.length + length);
        if (index <= 0)
        {
            return backPressured();
        }
        apiQueue.buffer().putInt(index + ApiCommands.EVENT_NAME_LENGTH_OFFSET, nameBytes.length, BYTE_ORDER);
        apiQueue.buffer().putBytes(index + ApiCommands.EVENT_NAME_OFFSET, nameBytes);
        apiQueue.buffer().putBytes(index + ApiCommands.EVENT_NAME_OFFSET + nameBytes.length, payload, offset, length);
        commit(index);
        return CallResult.ACCEPTED;
    }

    /**
     * The cluster-wide number of subscribers of a room, as this node's replicas know it now. Safe from any
     * thread; allocation-free after the calling thread's first call.
     *
     * @param roomId the room.
     * @return the sum of every member's count.
     */
    public long subscriberCount(final long roomId)
    {
        return countReaders.roomCount(roomId);
    }

    /**
     * This node's own number of subscribers in a room. Safe from any thread.
     *
     * @param roomId the room.
     * @return the local count.
     */
    public long localSubscriberCount(final long roomId)
    {
        return countReaders.ownerCount(context.nodeId(), roomId);
    }

    /**
     * One member's number of subscribers in a room, as this node's replica knows it. Safe from any thread.
     *
     * @param ownerNodeId the member.
     * @param roomId      the room.
     * @return the member's count.
     */
    public long subscriberCount(final long ownerNodeId, final long roomId)
    {
        return countReaders.ownerCount(ownerNodeId, roomId);
    }

    /**
     * The digest of a member's rows as this node holds them (equal on every node holding the same rows).
     *
     * @param ownerNodeId the member, or this node.
     * @return the order-independent digest.
     */
    public long digest(final long ownerNodeId)
    {
        return countReaders.digest(ownerNodeId);
    }

    /**
     * Off-heap bytes Chronicle Map has reserved for this node's state (rooms, every owner's rows, local
     * connections: their configured capacities, touched lazily); for sizing and benchmarks. Safe from any thread.
     *
     * @return bytes in use off-heap.
     */
    public long offHeapMemoryUsed()
    {
        return countReaders.offHeapMemoryUsed();
    }

    /**
     * Reads one of the node's own counters, as {@code cohort stat} shows it: node status ({@code NODE_*}) and
     * node-wide transport totals. Safe from any thread and allocation-free; it scans the node's few dozen counters,
     * so it suits a metrics scrape, not a per-message path.
     *
     * @param typeId one of {@link io.cohort.transport.CounterType}'s node-wide types.
     * @return the counter's value; 0 if the node has no such counter or is closed.
     */
    public long counter(final int typeId)
    {
        return counters.value(typeId, false, 0);
    }

    /**
     * Reads one of the node's counters of a peer (gaps, duplicates, bad frames, lost tails, bytes, ...). Safe from
     * any thread and allocation-free, as {@link #counter(int)}.
     *
     * @param peerNodeId the peer, one of {@link #members()}.
     * @param typeId     one of {@link io.cohort.transport.CounterType}'s {@code PEER_*} types.
     * @return the counter's value since the peer was added; 0 if the node has no such peer (it left) or is closed.
     */
    public long peerCounter(final long peerNodeId, final int typeId)
    {
        return counters.value(typeId, true, peerNodeId);
    }

    /**
     * API calls refused with {@link CallResult#BACK_PRESSURED} since launch: the node's queue was full, or (calls
     * that change rows) its replicas had fallen behind by more than the replication window for longer than
     * {@code cohort.flow.backpressure.after}, or its queue held more calls than its thread carries out in that time,
     * or (publishes) a node with
     * subscribers in the room had no notification credit.
     *
     * @return the count.
     */
    public long backPressuredCalls()
    {
        return backPressuredCalls.get();
    }

    /**
     * Publishes that did not go out because a node with subscribers in their room had no notification credit
     * (its notification window or its socket was full), since launch: those refused {@link CallResult#BACK_PRESSURED} by
     * {@link #publish} (also in {@link #backPressuredCalls()}) and those already queued that the node's thread
     * refused, reported to {@link CohortListener#onPublishRefused} with
     * {@link RefusalReason#NOTIFICATION_BACK_PRESSURED}. Each was delivered nowhere. The counters file has it as
     * {@link CounterType#NOTIFICATIONS_REFUSED}. Safe from any thread.
     *
     * @return the count.
     */
    public long refusedNotifications()
    {
        return notificationCredit.refused();
    }

    /**
     * Notification messages sent to other nodes since launch (one per destination of each publish). The counters
     * file has it as {@link CounterType#NOTIFICATIONS_ROUTED}. Safe from any thread.
     *
     * @return the count.
     */
    public long routedNotifications()
    {
        return notificationCredit.routed();
    }

    /**
     * Errors reported to the node's error handler since launch (each one is also logged or passed to
     * {@link CohortContext#errorHandler()}); a failure in one message never stops the node. The node's errors
     * counter, as {@code cohort stat} shows it.
     *
     * @return the count; 0 once the node is closed.
     */
    public long errors()
    {
        return counter(CounterType.NODE_ERRORS);
    }

    /**
     * Bytes of API calls queued for the node's thread and not yet carried out: a queue that stays full means the
     * node's thread falls behind its callers. Safe from any thread.
     *
     * @return bytes queued, at most {@link #callQueueCapacity()}.
     */
    public int queuedCallBytes()
    {
        return apiQueue.size();
    }

    /**
     * Capacity of the queue of API calls ({@code cohort.api.queue.length}).
     *
     * @return bytes.
     */
    public int callQueueCapacity()
    {
        return apiQueue.capacity();
    }

    private CallResult backPressured()
    {
        backPressuredCalls.incrementAndGet();
        return CallResult.BACK_PRESSURED;
    }

    /**
     * The refusal of a call that changes rows: {@link #refusal()}, else {@link CallResult#BACK_PRESSURED} while
     * the node's thread says its replicas or its queue are behind ({@link FlowGate}), before anything is queued.
     */
    private CallResult rowRefusal()
    {
        final CallResult refusal = refusal();
        if (null == refusal && flowGate.refuses(apiQueue.size()))
        {
            return backPressured();
        }
        return refusal;
    }

    private CallResult refusal()
    {
        if (closed)
        {
            return CallResult.CLOSED;
        }
        final NodeState current = core.state();
        if (current.servesCalls())
        {
            return null;
        }
        switch (current)
        {
            case NO_QUORUM: return CallResult.NO_QUORUM;
            case EVICTED: return CallResult.EVICTED;
            case CLOSED: return CallResult.CLOSED;
            default: return CallResult.NOT_MEMBER;
        }
    }

    private static void requireId(final String name, final long id)
    {
        if (0 == id)
        {
            throw new IllegalArgumentException(name + "=0 is reserved: ids must be non-zero");
        }
    }

    /**
     * Leaves the cluster gracefully (others drop this node's rows at once), then stops the node's thread and
     * releases everything the node holds: its sockets and ports, its off-heap state, its counters file and its JMX
     * name, so that a node of the same id and settings can be launched in this JVM once this returns (an evicted
     * node is closed without a leave: it is no longer a member). Reads of a closed node answer as for an empty node
     * (0, false, -1) and its calls return {@link CallResult#CLOSED}. Idempotent; a call made while another thread
     * closes the node (e.g. a JMX {@code leave} and the launcher's own close) returns once the node is fully closed.
     *
     * @throws IllegalStateException if called on the node's own thread (from a {@link CohortListener} callback): the
     *                               close waits for that thread to stop, so it would wait for itself; close from
     *                               another thread, as {@link CohortSupervisor} does.
     */
    public void close()
    {
        if (Thread.currentThread() == runner.thread())
        {
            throw new IllegalStateException("node " + ClusterCore.id(nodeId()) + ": close() was called on the " +
                "node's own thread (from a CohortListener callback), which it would wait for: close it from " +
                "another thread");
        }
        closeOnce();
    }

    private synchronized void closeOnce()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            closeResources();
        }
        finally
        {
            Cohort.released(context.nodeId());
        }
    }

    private void closeResources()
    {
        CloseHelper.close(jmx);
        counters.close(); // before the node's thread stops and unmaps the counters file
        countReaders.close(); // before the node's thread stops and frees the off-heap state
        if (core.state().isMember())
        {
            final long deadline = System.nanoTime() + LEAVE_LINGER_NS;
            while (!apiQueue.write(ApiCommands.LEAVE, apiQueue.buffer(), 0, 0) && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            doorbell.ring();
            while (NodeState.LEAVING != core.state() && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            // The node stays an acceptor until the others install a view without it (a cluster of two needs its
            // vote to let it go); bounded, as a cluster that cannot agree removes it for its silence anyway.
            final long leftDeadline = System.nanoTime() + context.heartbeatTimeoutNs();
            while (NodeState.LEAVING == core.state() && !core.hasLeft() && System.nanoTime() < leftDeadline)
            {
                Thread.onSpinWait();
            }
            final long lingerEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < lingerEnd)
            {
                Thread.onSpinWait();
            }
        }
        CloseHelper.close(runner);
    }

    /**
     * Attaches the node's JMX view, closed first on {@link #close()}: it reads the counters file the node's thread
     * unmaps when it stops.
     */
    void jmx(final NodeJmx jmx)
    {
        this.jmx = jmx;
    }

    static int queueCapacity(final RingBuffer ring)
    {
        return ring.capacity();
    }

    private void commit(final int index)
    {
        apiQueue.commit(index);
        // After the commit: a parked node thread either sees the record on its re-check or is rung here.
        doorbell.ring();
    }
}
