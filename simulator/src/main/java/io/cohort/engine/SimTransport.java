package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.codec.MessageType;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.Transport;
import io.cohort.transport.TransportCounters;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The transport of a simulated node: frames and commands become network events. Replies go back to the very
 * node object (incarnation) that asked, as a ROUTER socket's routing id names one connection.
 */
final class SimTransport implements Transport
{
    final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();
    private final SimNode node;
    private final SimNetwork network;
    private final TransportCounters counters;
    private final OutboundBatcher outbound;
    private final List<String> seeds = new ArrayList<>();
    /** Destinations whose directed frames the sink refuses, as a publisher at that subscriber's high-water mark. */
    private final LongHashSet fullDirectedStreams = new LongHashSet();

    SimTransport(final SimNode node, final SimNetwork network, final TransportCounters counters, final long clusterId,
        final long nodeId, final long incarnation)
    {
        this.node = node;
        this.network = network;
        this.counters = counters;
        outbound = new OutboundBatcher(clusterId, nodeId, incarnation, SimNode.MAX_FRAME_LENGTH,
            (destination, buffer, offset, length) ->
            {
                if (fullDirectedStreams.contains(destination))
                {
                    return false;
                }
                // A directed frame is addressed to the incarnation this node knows under that id, as the ZeroMQ
                // transport's directed topic is.
                final Peer peer = 0 == destination ? null : peers.get(destination);
                network.publish(node, destination, null == peer ? 0 : peer.incarnation(), (UnsafeBuffer)buffer,
                    offset, length);
                return true;
            });
    }

    /**
     * Makes the sink refuse (or take again) this node's directed frames to one destination, as a socket refuses
     * sends to a subscriber at its high-water mark: the batcher keeps the refused frame and retries it on each
     * flush. Broadcast frames still go, so that a test can hold one destination's notifications back alone.
     *
     * @param destinationNodeId the destination.
     * @param full              true to refuse its directed frames, false to take them again.
     */
    void directedStreamFull(final long destinationNodeId, final boolean full)
    {
        if (full)
        {
            fullDirectedStreams.add(destinationNodeId);
        }
        else
        {
            fullDirectedStreams.remove(destinationNodeId);
        }
    }

    void flush()
    {
        if (node.isRunningOnNetwork())
        {
            outbound.flush();
        }
    }

    public String syncEndpoint()
    {
        return node.syncEndpoint();
    }

    public String commandEndpoint()
    {
        return node.commandEndpoint();
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
            network.subscribe(node, publisher);
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
        final SimNode publisher = network.node(nodeId);
        // Only the incarnation this peer was: a node restarted under the same id has its own subscription from
        // this node (made when this node added it), which dropping the old peer must not take away.
        if (null != publisher && publisher.incarnation() == peer.incarnation())
        {
            publisher.removeSubscriber(node);
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
        return sendTo(network.node(peerNodeId), buffer, offset, length);
    }

    private boolean sendTo(final SimNode target, final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == target || !node.isRunningOnNetwork())
        {
            return true;
        }
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        final SimNode requester = node;
        final byte[] routingId = Long.toString(requester.instance()).getBytes();
        final Runnable delivery = () -> target.receiveCommand(message, (frame, frameBuffer) ->
            target.core().commandHandler().onRequest(routingId, frame.senderNodeId(), frame.senderIncarnation(),
                frame.messageType(), frameBuffer, frame.bodyOffset(), frame.bodyLength()));
        final int type = buffer.getShort(offset + FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_TYPE_OFFSET,
            FrameLayout.BYTE_ORDER) & 0xFFFF;
        if (MessageType.FLOW_STATUS == type)
        {
            network.sendStatus(requester, target, delivery);
        }
        else if (MessageType.LIVENESS == type)
        {
            network.sendLiveness(requester, target, delivery);
        }
        else
        {
            network.sendCommand(requester, target, delivery);
        }
        return true;
    }

    public boolean reply(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final SimNode requester = network.nodeByInstance(Long.parseLong(new String(routingId)));
        if (null == requester || !node.isRunningOnNetwork())
        {
            return true;
        }
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        network.sendCommand(node, requester, () -> requester.receiveCommand(message,
            (frame, frameBuffer) -> requester.core().commandHandler().onResponse(frame.senderNodeId(),
                frame.senderIncarnation(), frame.messageType(), frameBuffer, frame.bodyOffset(),
                frame.bodyLength())));
        return true;
    }

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
