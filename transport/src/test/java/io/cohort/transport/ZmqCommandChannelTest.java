package io.cohort.transport;

import io.cohort.codec.MessageType;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.cohort.transport.TestNode.awaitUntil;
import static io.cohort.transport.TestNode.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command channel over real sockets on 127.0.0.1: requests with correlation ids and deadlines, many in
 * flight, a dead peer, seeds whose node id is not known yet, and a request handler that fails.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZmqCommandChannelTest
{
    @TempDir
    File countersDir;

    private final List<TestNode> nodes = new ArrayList<>();

    private TestNode node(final long nodeId)
    {
        final TestNode node = new TestNode(countersDir, nodeId);
        nodes.add(node);
        return node;
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(nodes);
    }

    /** Sends a probe request to a peer, retrying while the DEALER has no connection yet (it never queues then). */
    private static void sendProbe(final TestNode from, final long to, final long correlationId)
    {
        final int length = from.encodeProbeRequest(to, correlationId);
        awaitUntil(() -> from.transport.sendRequest(to, from.commandBuffer(), 0, length),
            () -> "request " + correlationId + " never accepted by the DEALER", from);
    }

    @Test
    void shouldMatchManyResponsesInFlightToTheirRequests()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(b, a, b.incarnation, true);
        b.answerProbes();
        final PendingRequests pending = new PendingRequests(System.nanoTime());
        final List<Long> timedOut = new ArrayList<>();
        final int requests = 500;

        for (int i = 0; i < requests; i++)
        {
            final long correlationId = pending.nextCorrelationId();
            pending.register(correlationId, 2, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            sendProbe(a, 2, correlationId);
        }
        assertEquals(requests, pending.size(), "all in flight before the responder reads any");

        final Set<Long> completed = new HashSet<>();
        awaitUntil(() ->
            {
                for (final Recorder.Response response : a.recorder.responses)
                {
                    if (pending.complete(response.correlationId()))
                    {
                        assertTrue(completed.add(response.correlationId()));
                    }
                }
                a.recorder.responses.clear();
                pending.poll(System.nanoTime(), (id, peer) -> timedOut.add(id));
                return completed.size() == requests;
            },
            () -> "completed " + completed.size() + " of " + requests, a, b);

        assertEquals(0, pending.size());
        assertTrue(timedOut.isEmpty(), "timed out: " + timedOut);
        assertEquals(requests, b.recorder.requests.size());
        for (final Recorder.Request request : b.recorder.requests)
        {
            assertEquals(1, request.senderNodeId());
            assertEquals(a.incarnation, request.senderIncarnation());
            assertEquals(MessageType.PROBE_REQUEST, request.type());
        }
        assertTrue(a.errors.isEmpty() && b.errors.isEmpty(), a.errors + " " + b.errors);
    }

    /**
     * Requests (on the ROUTER) and responses (on the DEALER) are read into the pool's arrays and given back once
     * dispatched: hundreds of frames each way, a handful of arrays made. No sync frame flows here, so read into
     * arrays of their own, as commands were before, none would come from the pool at all.
     */
    @Test
    void shouldReadRequestsAndResponsesIntoPooledArraysThatAreGivenBack()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(b, a, b.incarnation, true);
        b.answerProbes();
        final int requests = 300;
        for (int i = 1; i <= requests; i++)
        {
            sendProbe(a, 2, 1_000 + i);
            final long correlationId = 1_000 + i;
            awaitUntil(() -> a.recorder.responses.stream().anyMatch(r -> r.correlationId() == correlationId),
                () -> "response " + correlationId, a, b);
        }
        final long requestArrays = b.transport.receivePool().arraysMade();
        final long responseArrays = a.transport.receivePool().arraysMade();
        assertTrue(requestArrays >= 1 && requestArrays < 10, "request bodies read into pooled arrays: " +
            requestArrays + " made for " + requests);
        assertTrue(responseArrays >= 1 && responseArrays < 10, "responses read into pooled arrays: " +
            responseArrays + " made for " + requests);
    }

    @Test
    void shouldCarryResponderIdentityInResponses()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(b, a, b.incarnation, true);
        b.answerProbes();

        sendProbe(a, 2, 77);
        awaitUntil(() -> !a.recorder.responses.isEmpty(), () -> "no response", a, b);

        assertEquals(new Recorder.Response(2, b.incarnation, MessageType.COMMAND_RESPONSE, 77),
            a.recorder.responses.get(0));
    }

    @Test
    void shouldTimeOutRequestToDeadPeerWithoutBlockingTheSyncPath()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        final TestNode c = node(3);
        TestNode.link(b, a, b.incarnation, true);
        b.answerProbes();
        sendProbe(a, 2, 1);
        awaitUntil(() -> a.recorder.responses.size() == 1, () -> "first round trip", a, b);
        connect(c, a);
        b.close();
        nodes.remove(b);

        final PendingRequests pending = new PendingRequests(System.nanoTime());
        final List<Long> timedOut = new ArrayList<>();
        final long correlationId = pending.nextCorrelationId();
        final int length = a.encodeProbeRequest(2, correlationId);
        final long sendStart = System.nanoTime();
        a.transport.sendRequest(2, a.commandBuffer(), 0, length);
        final long sendNs = System.nanoTime() - sendStart;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        pending.register(correlationId, 2, deadline);
        assertTrue(sendNs < TimeUnit.MILLISECONDS.toNanos(250), "sendRequest took " + sendNs + " ns");

        long room = 0;
        while (timedOut.isEmpty())
        {
            assertTrue(c.broadcastRoomCount(++room, 0));
            a.poll();
            c.poll();
            c.transport.flush();
            pending.poll(System.nanoTime(), (id, peer) -> timedOut.add(id));
            TestNode.sleepQuietly(1);
            assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5), "never timed out");
        }

        assertTrue(System.nanoTime() >= deadline, "timed out no earlier than its deadline");
        assertEquals(List.of(correlationId), timedOut);
        assertEquals(1, a.recorder.responses.size(), "no response from the dead peer");
        assertTrue(a.recorder.messages.size() > 10,
            "the sync path kept delivering while the request was pending: " + a.recorder.messages.size());
        assertFalse(pending.complete(correlationId), "a late response would be refused");
    }

    @Test
    void shouldRefuseRequestToUnknownPeer()
    {
        final TestNode a = node(1);
        final int length = a.encodeProbeRequest(9, 1);

        assertFalse(a.transport.sendRequest(9, a.commandBuffer(), 0, length));
    }

    @Test
    void shouldReachSeedBeforeItsNodeIdIsKnown()
    {
        final TestNode seed = node(1);
        final TestNode joiner = node(5);
        seed.answerProbes();

        final int seedId = TestNode.connectSeed(joiner, seed);
        final int length = joiner.encodeProbeRequest(0, 42);
        awaitUntil(() -> joiner.transport.sendToSeed(seedId, joiner.commandBuffer(), 0, length),
            () -> "seed DEALER refused the request", joiner, seed);
        awaitUntil(() -> !joiner.recorder.responses.isEmpty(), () -> "no response from the seed", joiner, seed);

        assertEquals(new Recorder.Response(1, seed.incarnation, MessageType.COMMAND_RESPONSE, 42),
            joiner.recorder.responses.get(0), "the response names the seed's node id");
        assertEquals(5, seed.recorder.requests.get(0).senderNodeId());
        assertFalse(joiner.transport.sendToSeed(seedId + 1, joiner.commandBuffer(), 0, length));
        assertFalse(joiner.transport.sendToSeed(-1, joiner.commandBuffer(), 0, length));

        joiner.transport.disconnectSeeds();
        assertFalse(joiner.transport.sendToSeed(seedId, joiner.commandBuffer(), 0, length), "seeds closed");
    }

    @Test
    void shouldRefuseFramesOfAnotherClusterOnBothCommandPaths()
    {
        final TestNode seed = new TestNode(countersDir, 1, context -> context.clusterId(0xAAAAL));
        nodes.add(seed);
        final TestNode stranger = new TestNode(countersDir, 5, context -> context.clusterId(0xBBBBL));
        nodes.add(stranger);
        seed.answerProbes();

        final int seedId = TestNode.connectSeed(stranger, seed);
        final int length = stranger.encodeProbeRequest(0, 42);
        awaitUntil(() -> stranger.transport.sendToSeed(seedId, stranger.commandBuffer(), 0, length),
            () -> "seed DEALER refused the request", stranger, seed);
        awaitUntil(() -> !seed.recorder.foreignFrames.isEmpty(), () -> "the request never reached the seed", seed);

        assertEquals(new Recorder.ForeignFrame(true, 5, 0xBBBBL, MessageType.PROBE_REQUEST),
            seed.recorder.foreignFrames.get(0));
        assertTrue(seed.recorder.requests.isEmpty(), "a request of another cluster is never handled as one");
        assertEquals(seed.recorder.pingsReceived + 1, seed.counters.foreignClusterFrames().get(),
            "the pings that proved the seed channel live, and the request");
        assertEquals(0, seed.counters.strangerFrames().get(), "well formed: foreign, not a stranger's junk");

        // A response of another cluster (as a refusal would be) is handed on as foreign too, never as a response.
        final int responseLength = seed.encodeResponse(5, 7);
        final byte[] routingId = seed.recorder.foreignFramesRoutingId;
        assertTrue(seed.transport.reply(routingId, seed.commandBuffer(), 0, responseLength));
        awaitUntil(() -> !stranger.recorder.foreignFrames.isEmpty(), () -> "the response never came back", stranger);
        assertEquals(new Recorder.ForeignFrame(false, 1, 0xAAAAL, MessageType.COMMAND_RESPONSE),
            stranger.recorder.foreignFrames.get(0));
        assertTrue(stranger.recorder.responses.isEmpty());
        assertEquals(1, stranger.counters.foreignClusterFrames().get());
    }

    @Test
    void shouldKeepServingAfterARequestHandlerFails()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(b, a, b.incarnation, true);
        b.answerProbes();
        final Recorder.RequestAction answer = b.recorder.requestAction;
        b.recorder.requestAction = request ->
        {
            if (2 == request.correlationId())
            {
                throw new IllegalStateException("handler failed on request 2");
            }
            answer.onRequest(request);
        };

        sendProbe(a, 2, 1);
        sendProbe(a, 2, 2);
        sendProbe(a, 2, 3);
        awaitUntil(() -> a.recorder.responses.size() == 2, () -> "responses " + a.recorder.responses, a, b);

        assertEquals(List.of(1L, 3L), a.recorder.responses.stream().map(Recorder.Response::correlationId).toList());
        assertEquals(1, b.errors.size());
        assertInstanceOf(IllegalStateException.class, b.errors.get(0));
    }

    @Test
    void shouldCountUndecodableResponseAsBadFrameOfThatPeer()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(b, a, b.incarnation, true);
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8 });
        final Recorder.RequestAction answer = request ->
        {
            if (1 == request.correlationId())
            {
                b.transport.reply(request.routingId(), junk, 0, junk.capacity());
            }
            else
            {
                final int length = b.encodeResponse(1, request.correlationId());
                b.transport.reply(request.routingId(), b.commandBuffer(), 0, length);
            }
        };
        b.recorder.requestAction = answer;

        sendProbe(a, 2, 1);
        sendProbe(a, 2, 2);
        awaitUntil(() -> a.recorder.responses.size() == 1, () -> "responses " + a.recorder.responses, a, b);

        assertEquals(2, a.recorder.responses.get(0).correlationId());
        assertEquals(1, a.transport.peer(2).counters().badFrames());
    }

    @Test
    void shouldRefuseReplyToRequesterThatIsGone()
    {
        final TestNode server = node(1);
        final TestNode client = node(2);
        final int seedId = TestNode.connectSeed(client, server);
        final int length = client.encodeProbeRequest(0, 9);
        awaitUntil(() -> client.transport.sendToSeed(seedId, client.commandBuffer(), 0, length),
            () -> "seed DEALER refused the request", client, server);
        awaitUntil(() -> !server.recorder.requests.isEmpty(), () -> "request never arrived", client, server);
        final byte[] routingId = server.recorder.requests.get(0).routingId();

        client.transport.disconnectSeeds();

        final int responseLength = server.encodeResponse(2, 9);
        awaitUntil(() -> !server.transport.reply(routingId, server.commandBuffer(), 0, responseLength),
            () -> "reply to a gone requester still accepted", server);
        assertTrue(server.errors.isEmpty());
    }
}
