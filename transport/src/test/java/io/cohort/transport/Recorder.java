package io.cohort.transport;

import io.cohort.codec.CommandResponseDecoder;
import io.cohort.codec.DecodeResult;
import io.cohort.codec.MessageType;
import io.cohort.codec.ProbeRequestDecoder;
import io.cohort.codec.RoomCountDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records everything a transport delivers (sync messages, faults, bad frames, subscriber changes, command
 * requests and responses) so that tests can assert on it. ROOM_COUNT bodies are decoded (room id, count);
 * PROBE_REQUEST and COMMAND_RESPONSE bodies give their correlation id.
 */
final class Recorder implements SyncHandler, CommandHandler
{
    record Message(long peerNodeId, boolean directed, long sequence, int type, long roomId, long count)
    {
    }

    record Fault(long peerNodeId, boolean directed, int reason, long expected, long observed)
    {
    }

    record BadFrame(long peerNodeId, DecodeResult result)
    {
    }

    record SubscriberChange(long nodeId, boolean subscribed)
    {
    }

    record Request(byte[] routingId, long senderNodeId, long senderIncarnation, int type, long correlationId)
    {
    }

    record Response(long senderNodeId, long senderIncarnation, int type, long correlationId)
    {
    }

    record ForeignFrame(boolean request, long senderNodeId, long clusterId, int type)
    {
    }

    /** Called on each request, e.g. to reply; may throw to test that the command loop survives. */
    interface RequestAction
    {
        void onRequest(Request request);
    }

    /** Correlation id of the probes that prove a request channel live: counted, never recorded or answered. */
    static final long PING_CORRELATION_ID = 0;

    final List<Message> messages = new ArrayList<>();
    final List<Fault> faults = new ArrayList<>();
    final List<BadFrame> badFrames = new ArrayList<>();
    final List<SubscriberChange> subscriberChanges = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final List<Response> responses = new ArrayList<>();
    final List<Long> foreignClusters = new ArrayList<>();
    final List<ForeignFrame> foreignFrames = new ArrayList<>();
    /** Routing id of the last foreign request, to answer it as a refusal would. */
    byte[] foreignFramesRoutingId;
    RequestAction requestAction;
    int pingsReceived;

    private final RoomCountDecoder roomCount = new RoomCountDecoder();
    private final ProbeRequestDecoder probeRequest = new ProbeRequestDecoder();
    private final CommandResponseDecoder commandResponse = new CommandResponseDecoder();

    public void onMessage(
        final Peer peer,
        final boolean directed,
        final long sequence,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        long roomId = 0;
        long count = 0;
        if (MessageType.ROOM_COUNT == type)
        {
            roomCount.wrap(buffer, bodyOffset, bodyLength);
            roomId = roomCount.roomId();
            count = roomCount.count();
        }
        messages.add(new Message(peer.nodeId(), directed, sequence, type, roomId, count));
    }

    public void onStreamFault(
        final Peer peer, final boolean directed, final int reason, final long expected, final long observed)
    {
        faults.add(new Fault(peer.nodeId(), directed, reason, expected, observed));
    }

    public void onBadFrame(final Peer peer, final DecodeResult result)
    {
        badFrames.add(new BadFrame(peer.nodeId(), result));
    }

    public void onForeignCluster(final Peer peer, final long clusterId)
    {
        foreignClusters.add(clusterId);
    }

    public void onForeignFrame(
        final byte[] routingId,
        final long senderNodeId,
        final long clusterId,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        if (MessageType.PROBE_REQUEST == type &&
            PING_CORRELATION_ID == probeRequest.wrap(buffer, bodyOffset, bodyLength).correlationId())
        {
            pingsReceived++;
            return;
        }
        foreignFrames.add(new ForeignFrame(null != routingId, senderNodeId, clusterId, type));
        if (null != routingId)
        {
            foreignFramesRoutingId = routingId;
        }
    }

    public void onSubscriberChange(final long nodeId, final long incarnation, final boolean subscribed)
    {
        subscriberChanges.add(new SubscriberChange(nodeId, subscribed));
    }

    public void onRequest(
        final byte[] routingId,
        final long senderNodeId,
        final long senderIncarnation,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        long correlationId = -1;
        if (MessageType.PROBE_REQUEST == type)
        {
            correlationId = probeRequest.wrap(buffer, bodyOffset, bodyLength).correlationId();
            if (PING_CORRELATION_ID == correlationId)
            {
                pingsReceived++;
                return;
            }
        }
        final Request request = new Request(routingId, senderNodeId, senderIncarnation, type, correlationId);
        requests.add(request);
        if (null != requestAction)
        {
            requestAction.onRequest(request);
        }
    }

    public void onResponse(
        final long senderNodeId,
        final long senderIncarnation,
        final int type,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        long correlationId = -1;
        if (MessageType.COMMAND_RESPONSE == type)
        {
            correlationId = commandResponse.wrap(buffer, bodyOffset, bodyLength).correlationId();
        }
        responses.add(new Response(senderNodeId, senderIncarnation, type, correlationId));
    }

    boolean isSubscribed(final long nodeId)
    {
        boolean subscribed = false;
        for (final SubscriberChange change : subscriberChanges)
        {
            if (change.nodeId() == nodeId)
            {
                subscribed = change.subscribed();
            }
        }
        return subscribed;
    }

    List<Message> messages(final Predicate<Message> filter)
    {
        final List<Message> matching = new ArrayList<>();
        for (final Message message : messages)
        {
            if (filter.test(message))
            {
                matching.add(message);
            }
        }
        return matching;
    }

    long count(final Predicate<Message> filter)
    {
        return messages(filter).size();
    }
}
