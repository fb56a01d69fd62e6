package io.cohort.transport;

import io.cohort.codec.MessageType;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cohort.transport.TestNode.awaitUntil;
import static io.cohort.transport.TestNode.connect;
import static io.cohort.transport.TestNode.pollFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CURVE over real sockets on 127.0.0.1: members sharing the cluster's keys exchange data; a node with other
 * keys, or a client that presents another public key to the ZAP handler, is refused, counted, and receives
 * and applies nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZmqCurveTest
{
    @TempDir
    File countersDir;

    private final CurveKeys clusterKeys = CurveKeys.generate();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestNode node(final long nodeId, final CurveKeys keys)
    {
        final TestNode node = new TestNode(countersDir, nodeId, context -> context.curveKeys(keys));
        closeables.add(node);
        return node;
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
    }

    private static long refusals(final TestNode node)
    {
        return node.counters.authRefused().get() + node.counters.strangerFrames().get();
    }

    @Test
    void shouldExchangeSyncAndCommandsBetweenMembersSharingTheKeys()
    {
        final TestNode a = node(1, clusterKeys);
        final TestNode b = node(2, clusterKeys);
        TestNode.link(a, b, a.incarnation, true);
        a.answerProbes();

        for (int i = 1; i <= 100; i++)
        {
            assertTrue(a.broadcastRoomCount(i, i));
            assertTrue(a.directRoomCount(2, 1000 + i, i));
        }
        a.transport.flush();
        final int length = b.encodeProbeRequest(1, 5);
        assertTrue(b.transport.sendRequest(1, b.commandBuffer(), 0, length), "DEALER connected");
        awaitUntil(() -> b.recorder.messages.size() == 200 && b.recorder.responses.size() == 1,
            () -> "b received " + b.recorder.messages.size() + " messages, " + b.recorder.responses, a, b);

        assertEquals(100, b.recorder.count(m -> !m.directed()));
        assertEquals(100, b.recorder.count(Recorder.Message::directed));
        assertTrue(b.recorder.faults.isEmpty() && b.recorder.badFrames.isEmpty());
        assertEquals(new Recorder.Response(1, a.incarnation, MessageType.COMMAND_RESPONSE, 5), b.recorder.responses.get(0));
        assertEquals(0, refusals(a), "members are never refused");
        assertEquals(0, refusals(b));
    }

    @Test
    void shouldRefuseAndCountNodeWithOtherKeys()
    {
        final TestNode a = node(1, clusterKeys);
        final TestNode member = node(2, clusterKeys);
        final TestNode stranger = node(3, CurveKeys.generate());
        connect(a, member);

        TestNode.retrying("the stranger's handshake counted", () -> stranger.subscribeTo(a), () -> refusals(a) > 0,
            () -> stranger.transport.removePeer(1), a, member, stranger);
        final int length = stranger.encodeProbeRequest(1, 1);
        for (int i = 1; i <= 50; i++)
        {
            assertTrue(a.broadcastRoomCount(i, 0));
            stranger.transport.sendRequest(1, stranger.commandBuffer(), 0, length);
        }
        a.transport.flush();
        awaitUntil(() -> member.recorder.messages.size() == 50, () -> "member received " +
            member.recorder.messages.size(), a, member, stranger);
        pollFor(300, a, member, stranger);

        assertTrue(stranger.recorder.messages.isEmpty(), "the stranger received nothing");
        assertFalse(a.recorder.isSubscribed(3), "the stranger's subscription never reached the publisher");
        assertTrue(a.recorder.requests.isEmpty(), "no request of the stranger reached the command server");
        assertTrue(a.errors.isEmpty(), a.errors.toString());
    }

    @Test
    void shouldRefuseClientPresentingAnotherPublicKeyThroughZap()
    {
        final TestNode a = node(1, clusterKeys);
        final CurveKeys otherKeys = CurveKeys.generate();
        final ZContext zContext = new ZContext(1);
        closeables.add(0, zContext);
        final ZMQ.Socket[] sub = new ZMQ.Socket[1];

        TestNode.retrying("ZAP refusal of a client with another public key",
            () ->
            {
                sub[0] = zContext.createSocket(SocketType.SUB);
                sub[0].setLinger(0);
                sub[0].setCurveServerKey(clusterKeys.publicKey());
                sub[0].setCurvePublicKey(otherKeys.publicKey());
                sub[0].setCurveSecretKey(otherKeys.secretKey());
                sub[0].subscribe(new byte[0]);
                sub[0].connect(a.transport.syncEndpoint());
            },
            () -> a.counters.authRefused().get() > 0,
            () -> zContext.destroySocket(sub[0]),
            a);
        for (int i = 1; i <= 10; i++)
        {
            assertTrue(a.broadcastRoomCount(i, 0));
        }
        a.transport.flush();
        pollFor(200, a);

        assertNull(sub[0].recv(ZMQ.DONTWAIT), "nothing published reaches a refused client");
        assertTrue(a.recorder.subscriberChanges.isEmpty());
    }
}
