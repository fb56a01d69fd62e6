package io.cohort.engine;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.InboundFrameProcessor;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.Transport;
import io.cohort.transport.TransportCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node on a {@link SimNetwork}: the real {@link ClusterCore}, {@link SubscriptionState},
 * {@link OutboundBatcher} and {@link InboundFrameProcessor}; only the sockets are replaced by
 * {@link SimTransport}, and the clock by the network's.
 */
final class SimNode implements AutoCloseable
{
    private final SimNetwork network;
    private final CohortContext context;
    private final SubscriptionState state;
    private final TransportCounters counters;
    private final SimTransport transport;
    private final InboundFrameProcessor inbound;
    private final ClusterCore core;
    private final List<SimNode> subscribers = new ArrayList<>();
    private final Long2LongHashMap lastArrivalByPublisher = new Long2LongHashMap(0);
    private final Long2LongHashMap lastCommandArrivalBySender = new Long2LongHashMap(0);
    private final List<Throwable> errors = new ArrayList<>();
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    private final FrameDecoder commandDecoder = new FrameDecoder();
    private boolean running = true;
    private boolean paused;
    private final List<Runnable> deferred = new ArrayList<>();

    SimNode(final SimNetwork network, final long nodeId, final CohortContext context, final CohortListener listener)
    {
        this.network = network;
        context.nodeId(nodeId).incarnation(network.nowNs()).listener(listener);
        context.conclude();
        this.context = context;
        final ClusterCore[] holder = new ClusterCore[1];
        state = new SubscriptionState(context.stateContext(),
            (roomId, previous, current) -> holder[0].onLocalCountChanged(roomId, previous, current));
        counters = new TransportCounters(new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024 * 4]), new UnsafeBuffer(new byte[64 * 1024])));
        transport = new SimTransport(nodeId, context.incarnation());
        inbound = new InboundFrameProcessor(nodeId, context.codecLimits(), counters, errors::add);
        core = new ClusterCore(context, transport, state, errors::add, network.nowNs());
        holder[0] = core;
        network.register(this);
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
        core.start(network.nowNs(), endpoints);
        transport.flush();
    }

    long nodeId()
    {
        return context.nodeId();
    }

    String syncEndpoint()
    {
        return "sim://" + Long.toHexString(context.nodeId()) + "/sync";
    }

    String commandEndpoint()
    {
        return "sim://" + Long.toHexString(context.nodeId()) + "/command";
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

    boolean isRunningOnNetwork()
    {
        return running;
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
            core.onSubscriberChange(subscriber.nodeId(), true);
        }
    }

    void removeSubscriber(final SimNode subscriber)
    {
        subscribers.remove(subscriber);
    }

    long nextArrival(final long publisherNodeId, final long proposedNs)
    {
        final long arrival = Math.max(proposedNs, lastArrivalByPublisher.get(publisherNodeId));
        lastArrivalByPublisher.put(publisherNodeId, arrival);
        return arrival;
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

    void dutyCycle(final long nowNs)
    {
        if (!running || paused)
        {
            return;
        }
        core.doWork(nowNs);
        transport.flush();
    }

    void receiveSync(final long publisherNodeId, final byte[] message)
    {
        if (deferIfPaused(() -> receiveSync(publisherNodeId, message)))
        {
            return;
        }
        final Peer peer = transport.peers.get(publisherNodeId);
        if (!running || null == peer)
        {
            return;
        }
        receiveBuffer.wrap(message);
        inbound.onSyncFrame(peer, receiveBuffer, 0, message.length, core);
    }

    private void receiveCommand(final byte[] message, final CommandDelivery delivery)
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
        while (commandDecoder.nextMessage())
        {
            delivery.deliver(commandDecoder, receiveBuffer);
        }
        transport.flush();
    }

    @FunctionalInterface
    private interface CommandDelivery
    {
        void deliver(FrameDecoder frame, DirectBuffer buffer);
    }

    /**
     * Stops the node as a crash would: no goodbye, nothing more sent or received.
     */
    void crash()
    {
        running = false;
        for (final SimNode other : network.nodes())
        {
            other.removeSubscriber(this);
        }
        network.unregister(this);
    }

    public void close()
    {
        running = false;
        CloseHelper.quietClose(state);
    }

    /**
     * The transport of a simulated node: frames and commands become network events.
     */
    final class SimTransport implements Transport
    {
        final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();
        private final OutboundBatcher outbound;

        SimTransport(final long nodeId, final long incarnation)
        {
            outbound = new OutboundBatcher(nodeId, incarnation, 64 * 1024,
                (destination, buffer, offset, length) ->
                {
                    network.publish(SimNode.this, destination, (UnsafeBuffer)buffer, offset, length);
                    return true;
                });
        }

        void flush()
        {
            outbound.flush();
        }

        public String syncEndpoint()
        {
            return SimNode.this.syncEndpoint();
        }

        public String commandEndpoint()
        {
            return SimNode.this.commandEndpoint();
        }

        public OutboundBatcher outbound()
        {
            return outbound;
        }

        public Peer addPeer(final long nodeId, final long incarnation, final String syncEndpoint,
            final String commandEndpoint)
        {
            final Peer peer = new Peer(nodeId, incarnation, counters.newPeer(nodeId, incarnation));
            peers.put(nodeId, peer);
            final SimNode publisher = network.nodeAt(syncEndpoint);
            if (null != publisher)
            {
                network.subscribe(SimNode.this, publisher);
            }
            return peer;
        }

        public boolean removePeer(final long nodeId)
        {
            final Peer peer = peers.remove(nodeId);
            if (null == peer)
            {
                return false;
            }
            peer.counters().close();
            for (final SimNode node : network.nodes())
            {
                if (node.nodeId() == nodeId)
                {
                    node.removeSubscriber(SimNode.this);
                }
            }
            return true;
        }

        public Peer peer(final long nodeId)
        {
            return peers.get(nodeId);
        }

        public boolean sendRequest(final long peerNodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            final Peer peer = peers.get(peerNodeId);
            if (null == peer)
            {
                return false;
            }
            SimNode target = null;
            for (final SimNode node : network.nodes())
            {
                if (node.nodeId() == peerNodeId)
                {
                    target = node;
                }
            }
            return sendTo(target, buffer, offset, length);
        }

        private boolean sendTo(final SimNode target, final DirectBuffer buffer, final int offset, final int length)
        {
            if (null == target)
            {
                return true;
            }
            final byte[] message = new byte[length];
            buffer.getBytes(offset, message);
            final SimNode requester = SimNode.this;
            final byte[] routingId = Long.toString(requester.nodeId()).getBytes();
            network.sendCommand(requester, target, () -> target.receiveCommand(message, (frame, frameBuffer) ->
                target.core.onRequest(routingId, frame.senderNodeId(), frame.senderIncarnation(), frame.messageType(),
                    frameBuffer, frame.bodyOffset(), frame.bodyLength())));
            return true;
        }

        public boolean reply(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
        {
            final long requesterId = Long.parseLong(new String(routingId));
            SimNode requester = null;
            for (final SimNode node : network.nodes())
            {
                if (node.nodeId() == requesterId)
                {
                    requester = node;
                }
            }
            if (null == requester)
            {
                return true;
            }
            final byte[] message = new byte[length];
            buffer.getBytes(offset, message);
            final SimNode target = requester;
            network.sendCommand(SimNode.this, target, () -> target.receiveCommand(message, (frame, frameBuffer) ->
                target.core.onResponse(frame.senderNodeId(), frame.senderIncarnation(), frame.messageType(),
                    frameBuffer, frame.bodyOffset(), frame.bodyLength())));
            return true;
        }

        private final List<String> seeds = new ArrayList<>();

        public int connectSeed(final String commandEndpoint)
        {
            seeds.add(commandEndpoint);
            return seeds.size() - 1;
        }

        public boolean sendToSeed(final int seedId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (seedId < 0 || seedId >= seeds.size())
            {
                return false;
            }
            return sendTo(network.nodeAt(seeds.get(seedId)), buffer, offset, length);
        }

        public void disconnectSeeds()
        {
            seeds.clear();
        }

        public void close()
        {
        }
    }

    static long ms(final long millis)
    {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
