package io.cohort.transport;

import io.cohort.codec.CommandResponseEncoder;
import io.cohort.codec.CommandStatus;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ProbeRequestEncoder;
import io.cohort.codec.RoomCountEncoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One node of a loopback test: its counters file, a {@link ZmqTransport} bound to 127.0.0.1 on free ports,
 * and a {@link Recorder} that receives everything it delivers. Helpers encode messages and command frames.
 */
final class TestNode implements AutoCloseable
{
    static final long DEFAULT_TIMEOUT_MS = 10_000;

    final long nodeId;
    final long incarnation;
    final long clusterId;
    final CountersFile countersFile;
    final TransportCounters counters;
    final ZmqTransport transport;
    final Recorder recorder = new Recorder();
    final List<Throwable> errors = new ArrayList<>();

    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[1024]);
    private final FrameEncoder commandFrame = new FrameEncoder();
    private final RoomCountEncoder roomCount = new RoomCountEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ProbeRequestEncoder probeRequest = new ProbeRequestEncoder();
    private final CommandResponseEncoder commandResponse = new CommandResponseEncoder();

    TestNode(final File countersDir, final long nodeId, final Consumer<TransportContext> customise)
    {
        this.nodeId = nodeId;
        this.incarnation = 1000 + nodeId;
        countersFile = new CountersFile(countersDir, nodeId, 512);
        counters = new TransportCounters(countersFile.countersManager());
        final TransportContext context = new TransportContext()
            .nodeId(nodeId)
            .incarnation(incarnation)
            .bindAddress("127.0.0.1")
            .advertisedHost("127.0.0.1")
            .syncPort(0)
            .commandPort(0)
            .countersDir(countersDir.getPath());
        customise.accept(context);
        clusterId = context.clusterId();
        ZmqTransport created = null;
        try
        {
            created = new ZmqTransport(context.conclude(), counters, errors::add);
        }
        finally
        {
            if (null == created)
            {
                CloseHelper.quietCloseAll(counters, countersFile);
            }
        }
        transport = created;
    }

    TestNode(final File countersDir, final long nodeId)
    {
        this(countersDir, nodeId, context -> {});
    }

    int poll()
    {
        return transport.poll(recorder, recorder);
    }

    /**
     * This node starts receiving the other's sync streams and gets a request channel to it.
     *
     * @param other the node to subscribe to.
     * @return the other node as a peer of this one.
     */
    Peer subscribeTo(final TestNode other)
    {
        return subscribeTo(other, other.incarnation);
    }

    Peer subscribeTo(final TestNode other, final long otherIncarnation)
    {
        return transport.addPeer(other.nodeId, otherIncarnation, other.transport.syncEndpoint(),
            other.transport.commandEndpoint());
    }

    /**
     * Makes {@code subscriber} a subscriber of {@code publisher} and waits until the publisher's XPUB has seen
     * the subscription (the slow-joiner rule), then opens the publisher's directed stream to it.
     */
    static Peer connect(final TestNode publisher, final TestNode subscriber)
    {
        return link(publisher, subscriber, publisher.incarnation, false);
    }

    /**
     * Adds {@code server} as a peer of {@code client} and waits until the server's XPUB has seen the client's
     * subscription and, if {@code commands}, until a ping request from the client reached the server. Then
     * opens the server's directed stream to the client.
     * <p>
     * JeroMQ 0.6.0 sometimes leaves a freshly connected socket without a ZMTP handshake (the connect hand-off
     * race of zeromq/jeromq#1022, a few percent of connections, stuck for at least the 30 s handshake
     * interval), so an attempt that shows no sign of life within a few seconds is undone and retried with fresh
     * sockets, as a node would do.
     */
    static Peer link(final TestNode server, final TestNode client, final long serverIncarnation, final boolean commands)
    {
        final Peer[] peer = new Peer[1];
        final boolean[] pinged = new boolean[1];
        final int[] pingsBefore = new int[1];
        retrying("node " + client.nodeId + " linked to node " + server.nodeId,
            () ->
            {
                peer[0] = client.subscribeTo(server, serverIncarnation);
                pinged[0] = false;
                pingsBefore[0] = server.recorder.pingsReceived;
            },
            () ->
            {
                if (commands && !pinged[0])
                {
                    final int length = client.encodeProbeRequest(server.nodeId, Recorder.PING_CORRELATION_ID);
                    pinged[0] = client.transport.sendRequest(server.nodeId, client.commandBuffer, 0, length);
                }
                return server.recorder.isSubscribed(client.nodeId) &&
                    (!commands || server.recorder.pingsReceived > pingsBefore[0]);
            },
            () -> client.transport.removePeer(server.nodeId),
            server, client);
        server.transport.outbound().addDestination(client.nodeId);
        return peer[0];
    }

    /**
     * Opens a seed channel from {@code joiner} to {@code seed} and waits until a ping through it reached the
     * seed, retrying with a fresh socket if the connection shows no sign of life (see {@link #link}).
     *
     * @return the seed id.
     */
    static int connectSeed(final TestNode joiner, final TestNode seed)
    {
        final int[] seedId = new int[1];
        final boolean[] pinged = new boolean[1];
        final int[] pingsBefore = new int[1];
        retrying("seed channel of node " + joiner.nodeId + " to node " + seed.nodeId,
            () ->
            {
                seedId[0] = joiner.transport.connectSeed(seed.transport.commandEndpoint());
                pinged[0] = false;
                pingsBefore[0] = seed.recorder.pingsReceived;
            },
            () ->
            {
                if (!pinged[0])
                {
                    final int length = joiner.encodeProbeRequest(0, Recorder.PING_CORRELATION_ID);
                    pinged[0] = joiner.transport.sendToSeed(seedId[0], joiner.commandBuffer, 0, length);
                }
                return seed.recorder.pingsReceived > pingsBefore[0];
            },
            joiner.transport::disconnectSeeds,
            seed, joiner);
        return seedId[0];
    }

    /** How long one attempt to set up a connection may show no sign of life before it is retried. */
    static final long ATTEMPT_MS = 3_000;
    /** Attempts before giving up on a connection. */
    static final int MAX_ATTEMPTS = 4;

    /**
     * Runs {@code attempt} and polls the nodes until {@code live}; if it does not become live within
     * {@link #ATTEMPT_MS}, runs {@code undo} and tries again, failing after {@link #MAX_ATTEMPTS}.
     */
    static void retrying(
        final String what, final Runnable attempt, final BooleanSupplier live, final Runnable undo, final TestNode... nodes)
    {
        for (int i = 1; i <= MAX_ATTEMPTS; i++)
        {
            attempt.run();
            if (pollUntil(ATTEMPT_MS, live, nodes))
            {
                return;
            }
            System.err.println(what + ": no sign of life after " + ATTEMPT_MS + " ms, retrying with fresh sockets");
            undo.run();
        }
        fail(what + ": no sign of life after " + MAX_ATTEMPTS + " attempts of " + ATTEMPT_MS + " ms");
    }

    /**
     * Polls the nodes until the condition holds, failing after {@link #DEFAULT_TIMEOUT_MS}.
     */
    static void awaitUntil(final BooleanSupplier condition, final Supplier<String> message, final TestNode... nodes)
    {
        if (!pollUntil(DEFAULT_TIMEOUT_MS, condition, nodes))
        {
            fail(message.get());
        }
    }

    /**
     * Polls and flushes the nodes until the condition holds or the time is up.
     *
     * @return whether the condition held in time.
     */
    static boolean pollUntil(final long timeoutMs, final BooleanSupplier condition, final TestNode... nodes)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            int work = 0;
            for (final TestNode node : nodes)
            {
                work += node.poll();
                work += node.transport.flush();
            }
            if (condition.getAsBoolean())
            {
                return true;
            }
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            if (0 == work)
            {
                sleepQuietly(1);
            }
        }
    }

    /**
     * Polls the nodes for a while, for checks that something does <em>not</em> happen.
     */
    static void pollFor(final long durationMs, final TestNode... nodes)
    {
        pollUntil(durationMs, () -> false, nodes);
    }

    static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Batches one ROOM_COUNT broadcast.
     *
     * @return false under back-pressure (nothing claimed).
     */
    boolean broadcastRoomCount(final long roomId, final long count)
    {
        final OutboundBatcher outbound = transport.outbound();
        final int at = outbound.claimBroadcast(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        roomCount.wrap(outbound.broadcastBuffer(), at).roomId(roomId).count(count);
        return true;
    }

    /**
     * Batches one ROOM_COUNT to a destination.
     *
     * @return false under back-pressure (nothing claimed).
     */
    boolean directRoomCount(final long destinationNodeId, final long roomId, final long count)
    {
        final OutboundBatcher outbound = transport.outbound();
        final int at = outbound.claimDirected(destinationNodeId, MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        roomCount.wrap(outbound.directedBuffer(destinationNodeId), at).roomId(roomId).count(count);
        return true;
    }

    /**
     * Batches a broadcast HEARTBEAT listing the last sent sequence of every open directed stream.
     */
    void broadcastHeartbeat()
    {
        final OutboundBatcher outbound = transport.outbound();
        final int directedCount = outbound.destinationCount();
        final int at = outbound.claimBroadcast(MessageType.HEARTBEAT, HeartbeatEncoder.computeLength(0, directedCount));
        if (OutboundBatcher.NO_SPACE == at)
        {
            fail("heartbeat refused under back-pressure");
        }
        heartbeat.wrap(outbound.broadcastBuffer(), at)
            .sendTimeNs(System.nanoTime())
            .lastBroadcastSequence(outbound.nextBroadcastSequence() - 1)
            .stateDigest(0)
            .memberCount(0);
        for (int i = 0; i < directedCount; i++)
        {
            final long destination = outbound.destination(i);
            heartbeat.addDirected(destination, outbound.lastSentDirectedSequence(destination));
        }
    }

    /**
     * Encodes a command frame holding one PROBE_REQUEST.
     *
     * @return the frame's length in {@link #commandBuffer()}.
     */
    int encodeProbeRequest(final long destinationNodeId, final long correlationId)
    {
        commandFrame.wrap(commandBuffer, 0, commandBuffer.capacity())
            .begin(clusterId, nodeId, incarnation, destinationNodeId, 0);
        final int at = commandFrame.claim(MessageType.PROBE_REQUEST, ProbeRequestEncoder.BODY_LENGTH);
        probeRequest.wrap(commandBuffer, at).correlationId(correlationId).nonce(correlationId * 31);
        return commandFrame.finish();
    }

    /**
     * Encodes a command frame holding one COMMAND_RESPONSE.
     *
     * @return the frame's length in {@link #commandBuffer()}.
     */
    int encodeResponse(final long destinationNodeId, final long correlationId)
    {
        commandFrame.wrap(commandBuffer, 0, commandBuffer.capacity())
            .begin(clusterId, nodeId, incarnation, destinationNodeId, 0);
        final byte[] detail = new byte[0];
        final int at = commandFrame.claim(MessageType.COMMAND_RESPONSE, CommandResponseEncoder.computeLength(0));
        commandResponse.wrap(commandBuffer, at).correlationId(correlationId).status(CommandStatus.OK).detail(detail);
        return commandFrame.finish();
    }

    UnsafeBuffer commandBuffer()
    {
        return commandBuffer;
    }

    /**
     * Makes this node answer every PROBE_REQUEST with a COMMAND_RESPONSE carrying the same correlation id.
     */
    void answerProbes()
    {
        recorder.requestAction = request ->
        {
            final int length = encodeResponse(request.senderNodeId(), request.correlationId());
            if (!transport.reply(request.routingId(), commandBuffer, 0, length))
            {
                throw new IllegalStateException("reply refused for correlationId=" + request.correlationId());
            }
        };
    }

    public void close()
    {
        CloseHelper.closeAll(transport, counters, countersFile);
    }
}
