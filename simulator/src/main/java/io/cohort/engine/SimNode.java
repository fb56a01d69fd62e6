package io.cohort.engine;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameLayout;
import io.cohort.state.LocalCountListener;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.InboundFrameProcessor;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.TransportCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node on a {@link SimNetwork}: the real {@link ClusterCore}, {@link SubscriptionState},
 * {@link OutboundBatcher} and {@link InboundFrameProcessor}; only the sockets are replaced by
 * {@link SimTransport}, and the clock by the network's. Exceptions that escape the core are caught and kept in
 * {@link #errors()} with those its error handler reported, so that a simulation can tell.
 */
final class SimNode implements AutoCloseable
{
    /**
     * Watches what a node receives and changes, for a simulation's invariants.
     */
    interface Observer
    {
        /**
         * A message of a frame that passed the frame and sequence checks, just before the core gets it.
         *
         * @param corruptedFrame whether the network changed the frame's bytes on the way.
         * @return true to hand it to the core; false drops it unseen (a test of the checkers: a delivery lost where
         *         no layer of the node can notice).
         */
        boolean onSyncMessage(SimNode receiver, long publisherNodeId, boolean directed, int type, DirectBuffer buffer,
            int offset, int length, boolean corruptedFrame);

        /**
         * The node handled some input or ran its cycle: what its core decided may be read now.
         */
        default void afterWork(final SimNode node)
        {
        }

        /**
         * A local count of the node changed (an API call).
         */
        void onLocalCountChanged(SimNode node, long roomId, long previous, long current);

        /**
         * The node just saw a fault in a member's stream (its {@code desyncs} went up while handling input).
         */
        void onDesync(SimNode node, Member member);

        /**
         * A frame that the network corrupted on the way is about to be decoded by this running node.
         */
        void onCorruptedFrame(SimNode receiver);

        /**
         * A sync frame was dropped because this node's subscription to its publisher already held
         * {@link SimSyncSocket#PIPE_FRAMES} frames, as the publisher's socket drops for one full pipe.
         */
        void onPipeOverflow(SimNode receiver, long publisherNodeId, byte[] message);
    }

    static final int MAX_FRAME_LENGTH = 16 * 1024;

    private final SimNetwork network;
    private final CohortContext context;
    private final SubscriptionState state;
    private final SimStatePool pool;
    private SimStatePool.Lease lease;
    private final TransportCounters counters;
    private final SimTransport transport;
    private final InboundFrameProcessor inbound;
    private final ClusterCore core;
    private final long instance;
    private final String label;
    private final String host;
    private final Observer observer;
    private final List<SimNode> subscribers = new ArrayList<>();
    private final Long2LongHashMap lastArrivalByPublisher = new Long2LongHashMap(0);
    private final Long2LongHashMap lastCommandArrivalBySender = new Long2LongHashMap(0);
    private final List<Throwable> errors = new ArrayList<>();
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    private final FrameDecoder commandDecoder = new FrameDecoder();
    private final SyncHandler handler;
    private final List<Runnable> deferred = new ArrayList<>();
    private boolean running = true;
    private boolean paused;
    private final SimIdle idle;
    private long cycles;
    private final SimSyncSocket syncSocket = new SimSyncSocket(new SimSyncSocket.Reader()
    {
        public void take(final long publisherNodeId, final byte[] message, final boolean corrupted)
        {
            receiveSync(publisherNodeId, message, corrupted);
        }

        public void overflow(final long publisherNodeId, final byte[] message)
        {
            if (null != observer)
            {
                observer.onPipeOverflow(SimNode.this, publisherNodeId, message);
            }
        }
    });
    /** This node's clock: {@code clockOriginNs + (network time - networkOriginNs) * clockRate}. */
    private final double clockRate;
    private final long clockOriginNs;
    private final long networkOriginNs;
    private boolean frameCorrupted;
    private int escapedExceptions;

    SimNode(final SimNetwork network, final long nodeId, final CohortContext context, final CohortListener listener)
    {
        this(network, nodeId, context, listener, null, null, null, null, 1.0, 0);
    }

    SimNode(
        final SimNetwork network,
        final long nodeId,
        final CohortContext context,
        final CohortListener listener,
        final SimStatePool pool,
        final Observer observer,
        final String label,
        final String host)
    {
        this(network, nodeId, context, listener, pool, observer, label, host, 1.0, 0);
    }

    /**
     * @param pool     where to borrow the state from (returned on {@link #crash()} or {@link #close()}), or null
     *                 to create one.
     * @param observer told of what the node receives and changes, or null.
     * @param label    a short name for traces, or null for the node id.
     * @param host     the host part of its endpoints, which a restart with a new node id keeps (a host:port), or
     *                 null for the node id.
     * @param clockRate   how fast this node's clock runs against the network's (real time), e.g. 1.005: every
     *                    time its core reads is on this clock, as on a host whose oscillator drifts.
     * @param clockOffsetNs where this node's clock starts against the network's (its nanoTime origin).
     */
    SimNode(
        final SimNetwork network,
        final long nodeId,
        final CohortContext context,
        final CohortListener listener,
        final SimStatePool pool,
        final Observer observer,
        final String label,
        final String host,
        final double clockRate,
        final long clockOffsetNs)
    {
        this.network = network;
        this.clockRate = clockRate;
        this.networkOriginNs = network.nowNs();
        this.clockOriginNs = networkOriginNs + clockOffsetNs;
        this.host = null == host ? Long.toHexString(nodeId) : host;
        this.pool = pool;
        this.observer = observer;
        context.nodeId(nodeId).incarnation(network.nowNs()).listener(listener);
        context.conclude();
        this.context = context;
        this.idle = new SimIdle(context.heartbeatIntervalNs());
        this.label = null == label ? Long.toHexString(nodeId) : label;
        final ClusterCore[] holder = new ClusterCore[1];
        final LocalCountListener countListener = (roomId, previous, current) ->
        {
            if (null != observer)
            {
                observer.onLocalCountChanged(this, roomId, previous, current);
            }
            holder[0].onLocalCountChanged(roomId, previous, current);
        };
        if (null != pool)
        {
            lease = pool.acquire(nodeId, countListener);
            state = lease.state;
        }
        else
        {
            state = new SubscriptionState(context.stateContext(), countListener);
        }
        counters = null != lease ?
            new TransportCounters(new CountersManager(lease.countersMetadata, lease.countersValues)) :
            new TransportCounters(new CountersManager(SimStatePool.newCountersMetadata(),
                SimStatePool.newCountersValues()));
        transport = new SimTransport(this, network, counters, context.clusterId(), nodeId, context.incarnation());
        inbound = new InboundFrameProcessor(nodeId, context.clusterId(), context.codecLimits(), counters, errors::add);
        core = new ClusterCore(context, context.listener(), transport, state, errors::add, localNowNs());
        holder[0] = core;
        handler = null == observer ? core.syncHandler() : new ObservingHandler();
        instance = network.register(this);
    }

    void start(final List<SimNode> seeds)
    {
        final List<String> endpoints = new ArrayList<>();
        for (final SimNode seed : seeds)
        {
            if (seed != this)
            {
                endpoints.add(seed.commandEndpoint());
            }
        }
        startWithEndpoints(endpoints);
    }

    /**
     * Starts with seeds given as command endpoints, which may name nodes that are down.
     */
    void startWithEndpoints(final List<String> seedEndpoints)
    {
        try
        {
            core.start(localNowNs(), SeedEndpoints.fixed(seedEndpoints));
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
        transport.flush();
    }

    long nodeId()
    {
        return context.nodeId();
    }

    long incarnation()
    {
        return context.incarnation();
    }

    long instance()
    {
        return instance;
    }

    String label()
    {
        return label;
    }

    String syncEndpoint()
    {
        return "sim://" + host + "/sync";
    }

    String commandEndpoint()
    {
        return "sim://" + host + "/command";
    }

    /**
     * Creates a room on this node's core as a client would through the API: index {@code "index"}, the collection
     * named, and the collection's bytes as its filter (tests name rooms by collection).
     *
     * @param collection the room's collection.
     * @return the room's id.
     * @throws IllegalStateException if the core refuses the room (one that exists is not refused).
     */
    long createRoom(final String collection)
    {
        final byte[] name = collection.getBytes(StandardCharsets.UTF_8);
        final long roomId = CohortNode.roomId("index", collection, name);
        final UnsafeBuffer metadata = new UnsafeBuffer(new byte[256]);
        int length = 0;
        // RoomMetadata's encoding: index name, collection name, filter (here the collection's bytes again).
        for (final byte[] field : new byte[][]{ "index".getBytes(StandardCharsets.UTF_8), name, name })
        {
            metadata.putInt(length, field.length, FrameLayout.BYTE_ORDER);
            metadata.putBytes(length + Integer.BYTES, field);
            length += Integer.BYTES + field.length;
        }
        final StateResult result = core.createRoom(roomId, metadata, 0, length);
        if (StateResult.ROOM_CREATED != result && StateResult.ROOM_EXISTS != result)
        {
            throw new IllegalStateException("room " + collection + " refused: " + result);
        }
        return roomId;
    }

    ClusterCore core()
    {
        return core;
    }

    SubscriptionState state()
    {
        return state;
    }

    List<Throwable> errors()
    {
        return errors;
    }

    /**
     * @return exceptions thrown out of the core's methods (a subset of {@link #errors()}).
     */
    int escapedExceptions()
    {
        return escapedExceptions;
    }

    /**
     * @return whether this node's publisher has a directed stream open to a node.
     */
    boolean hasDirectedStreamTo(final long nodeId)
    {
        return transport.outbound().hasDestination(nodeId);
    }

    /**
     * @return this node's transport, for a test that drives a part of the core over it.
     */
    SimTransport transport()
    {
        return transport;
    }

    /**
     * @return this node's outbound streams, to look at their windows and back-pressure.
     */
    OutboundBatcher outbound()
    {
        return transport.outbound();
    }

    /**
     * Makes this node's sink refuse (or take again) its directed frames to one destination: see
     * {@link SimTransport#directedStreamFull}.
     */
    void directedStreamFull(final long destinationNodeId, final boolean full)
    {
        transport.directedStreamFull(destinationNodeId, full);
    }

    boolean isRunningOnNetwork()
    {
        return running;
    }

    /**
     * @return whether the node is RUNNING and has synced every member it knows.
     */
    boolean runningAndSynced()
    {
        if (NodeState.RUNNING != core.state())
        {
            return false;
        }
        for (final long memberId : core.memberIds())
        {
            if (!core.member(memberId).isSynced())
            {
                return false;
            }
        }
        return true;
    }

    boolean isPaused()
    {
        return paused;
    }

    boolean wantsSubscriptionTo(final long publisherNodeId)
    {
        return null != transport.peers.get(publisherNodeId);
    }

    List<SimNode> liveSubscribers()
    {
        return subscribers;
    }

    void addSubscriber(final SimNode subscriber)
    {
        if (!subscribers.contains(subscriber))
        {
            subscribers.add(subscriber);
            notifySubscriber(subscriber.nodeId(), subscriber.incarnation());
        }
    }

    private void notifySubscriber(final long subscriberNodeId, final long subscriberIncarnation)
    {
        // The XPUB socket reports the subscription when the node next polls it: not while it is paused.
        if (deferIfPaused(() -> notifySubscriber(subscriberNodeId, subscriberIncarnation)) || !running)
        {
            return;
        }
        idle.onInput();
        try
        {
            core.onSubscriberChange(subscriberNodeId, subscriberIncarnation, true);
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
    }

    void removeSubscriber(final SimNode subscriber)
    {
        if (subscribers.remove(subscriber))
        {
            notifyUnsubscribed(subscriber.nodeId(), subscriber.incarnation());
        }
    }

    private void notifyUnsubscribed(final long subscriberNodeId, final long subscriberIncarnation)
    {
        if (deferIfPaused(() -> notifyUnsubscribed(subscriberNodeId, subscriberIncarnation)) || !running)
        {
            return;
        }
        idle.onInput();
        try
        {
            core.onSubscriberChange(subscriberNodeId, subscriberIncarnation, false);
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
    }

    long nextArrival(final long publisherNodeId, final long proposedNs)
    {
        final long arrival = Math.max(proposedNs, lastArrivalByPublisher.get(publisherNodeId));
        lastArrivalByPublisher.put(publisherNodeId, arrival);
        return arrival;
    }

    /**
     * Makes this node a slow receiver: it takes at most one sync frame per {@code costNs} (a node whose CPU is
     * busy elsewhere), whichever publisher sent it, so a publisher sending faster builds a backlog in its socket that
     * delays everything behind it, heartbeats included; commands (flow status, views, liveness copies) are not
     * slowed. 0 restores a fast receiver, which takes what waits at once, in order, as a thread that got its CPU back.
     *
     * @param costNs nanoseconds per sync frame, 0 for none.
     */
    void receiveCostNs(final long costNs)
    {
        syncSocket.receiveCostNs(costNs, network.nowNs());
    }

    /**
     * A sync frame reached this node's socket ({@link SimSyncSocket#arrive}).
     */
    void arriveSync(final long publisherNodeId, final byte[] message, final boolean corrupted)
    {
        syncSocket.arrive(publisherNodeId, message, corrupted, network.nowNs());
    }

    long nextCommandArrival(final long senderNodeId, final long proposedNs)
    {
        final long arrival = Math.max(proposedNs, lastCommandArrivalBySender.get(senderNodeId));
        lastCommandArrivalBySender.put(senderNodeId, arrival);
        return arrival;
    }

    /**
     * Stops the node's duty cycle as a GC pause would: what arrives meanwhile waits in its socket buffers.
     */
    void pause()
    {
        paused = true;
    }

    void resume()
    {
        paused = false;
        idle.onInput();
        if (running)
        {
            // As the node's agent does (NodeAgent.doWork): the cycle's time is set before its input is handled.
            core.beginCycle(localNowNs());
        }
        final List<Runnable> pending = new ArrayList<>(deferred);
        deferred.clear();
        pending.forEach(Runnable::run);
    }

    boolean deferIfPaused(final Runnable action)
    {
        if (paused)
        {
            deferred.add(action);
            return true;
        }
        return false;
    }

    /**
     * @param networkNs a time of the network (real time).
     * @return the same instant on this node's clock.
     */
    long localNs(final long networkNs)
    {
        return 1.0 == clockRate ? clockOriginNs + (networkNs - networkOriginNs) :
            clockOriginNs + (long)((networkNs - networkOriginNs) * clockRate);
    }

    long localNowNs()
    {
        return localNs(network.nowNs());
    }

    double clockRate()
    {
        return clockRate;
    }

    void dutyCycle(final long nowNs)
    {
        if (!running || paused)
        {
            return;
        }
        cycles++;
        syncSocket.take(nowNs);
        try
        {
            core.doWork(localNs(nowNs));
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
        transport.flush();
        if (network.idlesUntilDeadline())
        {
            final long localNowNs = localNs(nowNs);
            idle.afterCycle(nowNs, (long)(Math.max(0, core.nextDeadlineNs(localNowNs) - localNowNs) / clockRate));
        }
        observeWork();
    }

    /**
     * @return duty cycles this node has run (an API call's included).
     */
    long cycles()
    {
        return cycles;
    }

    /**
     * An API call wakes a node that slept through ticks as the doorbell wakes its agent: the cycle's time is set and
     * the fence runs ({@link ClusterCore#beginCycle}) before the call is taken.
     */
    void wakeForCall()
    {
        if (running && !paused)
        {
            core.beginCycle(localNowNs());
        }
    }

    /**
     * With {@link SimNetwork#idleUntilDeadline}: whether this node runs its duty cycle at this tick, as the node
     * thread's poll would return by then: input arrived, its socket holds a backlog, a refused frame waits for its
     * retry (a 1 ms poll), or its deadline came.
     */
    boolean dueAt(final long nowNs)
    {
        return idle.awakeAt(nowNs) || syncSocket.hasBacklog() || transport.outbound().isBackPressured();
    }

    void receiveSync(final long publisherNodeId, final byte[] message)
    {
        receiveSync(publisherNodeId, message, false);
    }

    void receiveSync(final long publisherNodeId, final byte[] message, final boolean corrupted)
    {
        if (deferIfPaused(() -> receiveSync(publisherNodeId, message, corrupted)))
        {
            return;
        }
        final Peer peer = transport.peers.get(publisherNodeId);
        if (!running || null == peer)
        {
            return;
        }
        receiveBuffer.wrap(message);
        frameCorrupted = corrupted;
        if (corrupted && null != observer)
        {
            observer.onCorruptedFrame(this);
        }
        try
        {
            inbound.onSyncFrame(peer, receiveBuffer, 0, message.length, handler);
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
        frameCorrupted = false;
        idle.onInput();
        observeWork();
    }

    void receiveCommand(final byte[] message, final CommandDelivery delivery)
    {
        if (deferIfPaused(() -> receiveCommand(message, delivery)))
        {
            return;
        }
        if (!running)
        {
            return;
        }
        receiveBuffer.wrap(message);
        if (DecodeResult.OK != commandDecoder.wrap(receiveBuffer, 0, message.length))
        {
            return;
        }
        try
        {
            while (commandDecoder.nextMessage())
            {
                delivery.deliver(commandDecoder, receiveBuffer);
            }
        }
        catch (final RuntimeException ex)
        {
            escaped(ex);
        }
        transport.flush();
        idle.onInput();
        observeWork();
    }

    private void observeWork()
    {
        if (null != observer && running)
        {
            observer.afterWork(this);
        }
    }

    private void escaped(final RuntimeException ex)
    {
        escapedExceptions++;
        errors.add(ex);
    }

    /**
     * Hands a command message to the core, once the node takes input.
     */
    @FunctionalInterface
    interface CommandDelivery
    {
        void deliver(FrameDecoder frame, DirectBuffer buffer);
    }

    /**
     * Stops the node as a crash would: no goodbye, nothing more sent or received. A borrowed state goes back to
     * its pool, so a crashed node's state must not be read after.
     */
    void crash()
    {
        if (!running)
        {
            return;
        }
        running = false;
        paused = false;
        deferred.clear();
        for (final SimNode other : network.nodes())
        {
            other.removeSubscriber(this);
        }
        network.unregister(this);
        returnState();
    }

    private void returnState()
    {
        if (null != lease)
        {
            pool.release(lease);
            lease = null;
        }
    }

    public void close()
    {
        running = false;
        if (null != pool)
        {
            returnState();
        }
        else
        {
            CloseHelper.quietClose(state);
        }
    }

    public String toString()
    {
        return label;
    }

    /**
     * Tells the observer of each message before the core gets it.
     */
    private final class ObservingHandler implements SyncHandler
    {
        public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
            final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
        {
            if (!observer.onSyncMessage(SimNode.this, peer.nodeId(), directed, type, buffer, bodyOffset, bodyLength,
                frameCorrupted))
            {
                return;
            }
            final Member member = core.member(peer.nodeId());
            final long desyncs = null == member ? 0 : member.desyncs;
            core.syncHandler().onMessage(peer, directed, sequence, type, buffer, bodyOffset, bodyLength);
            afterInput(member, desyncs);
        }

        public void onStreamFault(final Peer peer, final boolean directed, final int reason,
            final long expectedSequence, final long observedSequence)
        {
            final Member member = core.member(peer.nodeId());
            final long desyncs = null == member ? 0 : member.desyncs;
            core.syncHandler().onStreamFault(peer, directed, reason, expectedSequence, observedSequence);
            afterInput(member, desyncs);
        }

        public void onBadFrame(final Peer peer, final DecodeResult result)
        {
            final Member member = core.member(peer.nodeId());
            final long desyncs = null == member ? 0 : member.desyncs;
            core.syncHandler().onBadFrame(peer, result);
            afterInput(member, desyncs);
        }

        public boolean directedTailApplies(final Peer peer, final long lineage, final long epoch)
        {
            return core.syncHandler().directedTailApplies(peer, lineage, epoch);
        }

        public void onSubscriberChange(final long nodeId, final long incarnation, final boolean subscribed)
        {
            core.onSubscriberChange(nodeId, incarnation, subscribed);
        }

        private void afterInput(final Member member, final long desyncsBefore)
        {
            if (null != member && member.desyncs > desyncsBefore)
            {
                observer.onDesync(SimNode.this, member);
            }
        }
    }

    static long ms(final long millis)
    {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
