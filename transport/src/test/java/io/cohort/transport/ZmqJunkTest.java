package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.cohort.transport.TestNode.awaitUntil;
import static io.cohort.transport.TestNode.connect;
import static io.cohort.transport.TestNode.pollFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strangers without CURVE: random bytes on a raw TCP connection to either port, junk frames from plain ZeroMQ
 * sockets, and junk from a fake publisher are counted and dropped, and never stop a loop: a legitimate peer
 * is still served afterwards.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZmqJunkTest
{
    @TempDir
    File countersDir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestNode node(final long nodeId)
    {
        final TestNode node = new TestNode(countersDir, nodeId);
        closeables.add(node);
        return node;
    }

    private ZContext zContext()
    {
        final ZContext zContext = new ZContext(1);
        zContext.setLinger(0);
        closeables.add(0, zContext);
        return zContext;
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
    }

    private static int port(final String endpoint)
    {
        return URI.create(endpoint).getPort();
    }

    private static void writeJunk(final String endpoint, final long seed, final int length, final TestNode node)
        throws IOException
    {
        final byte[] junk = new byte[length];
        new Random(seed).nextBytes(junk);
        try (Socket socket = new Socket("127.0.0.1", port(endpoint)))
        {
            socket.setSoLinger(true, 0);
            final OutputStream out = socket.getOutputStream();
            out.write(junk);
            out.flush();
            pollFor(50, node);
        }
    }

    /** A legitimate peer subscribes, receives broadcasts in order and gets answers to its requests. */
    private static void assertStillServes(final TestNode server, final TestNode peer)
    {
        TestNode.link(server, peer, server.incarnation, true);
        server.answerProbes();
        for (int i = 1; i <= 20; i++)
        {
            assertTrue(server.broadcastRoomCount(i, 0));
        }
        server.transport.flush();
        final int length = peer.encodeProbeRequest(server.nodeId, 123);
        assertTrue(peer.transport.sendRequest(server.nodeId, peer.commandBuffer(), 0, length));
        awaitUntil(() -> peer.recorder.messages.size() == 20 && peer.recorder.responses.size() == 1,
            () -> "peer received " + peer.recorder.messages.size() + " messages, " + peer.recorder.responses,
            server, peer);
        assertTrue(peer.recorder.faults.isEmpty(), peer.recorder.faults.toString());
        assertEquals(123, peer.recorder.responses.get(0).correlationId());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5 })
    void shouldCountRandomBytesOnTheSyncPortAndKeepServing(final long seed) throws IOException
    {
        final TestNode a = node(1);

        writeJunk(a.transport.syncEndpoint(), seed, 4096, a);
        awaitUntil(() -> a.counters.strangerFrames().get() > 0, () -> "junk on the sync port never counted", a);

        assertTrue(a.recorder.subscriberChanges.isEmpty(), a.recorder.subscriberChanges.toString());
        assertStillServes(a, node(2));
        assertTrue(a.errors.isEmpty(), a.errors.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5 })
    void shouldCountRandomBytesOnTheCommandPortAndKeepServing(final long seed) throws IOException
    {
        final TestNode a = node(1);

        writeJunk(a.transport.commandEndpoint(), seed, 4096, a);
        awaitUntil(() -> a.counters.strangerFrames().get() > 0, () -> "junk on the command port never counted", a);

        assertTrue(a.recorder.requests.isEmpty(), "no junk taken for a request");
        assertStillServes(a, node(2));
        assertTrue(a.errors.isEmpty(), a.errors.toString());
    }

    @Test
    void shouldSurviveManyJunkConnectionsOnBothPorts() throws IOException
    {
        final TestNode a = node(1);
        final Random sizes = new Random(99);

        for (int i = 0; i < 10; i++)
        {
            writeJunk(a.transport.syncEndpoint(), 100 + i, 1 + sizes.nextInt(8192), a);
            writeJunk(a.transport.commandEndpoint(), 200 + i, 1 + sizes.nextInt(8192), a);
        }
        awaitUntil(() -> a.counters.strangerFrames().get() >= 20,
            () -> "20 junk connections, strangerFrames=" + a.counters.strangerFrames().get(), a);

        assertStillServes(a, node(2));
        assertTrue(a.errors.isEmpty(), a.errors.toString());
    }

    @Test
    void shouldCountJunkFramesFromAPlainDealerAndStillAnswerIt()
    {
        final TestNode a = node(1);
        a.answerProbes();
        final ZContext zContext = zContext();
        final byte[] almost = new byte[a.encodeProbeRequest(1, 8)];
        a.commandBuffer().getBytes(0, almost);
        almost[almost.length - 1] ^= 0x7F;
        final ZMQ.Socket[] socket = new ZMQ.Socket[1];

        TestNode.retrying("junk from a plain DEALER counted",
            () ->
            {
                final ZMQ.Socket junkDealer = zContext.createSocket(SocketType.DEALER);
                socket[0] = junkDealer;
                junkDealer.setLinger(0);
                junkDealer.connect(a.transport.commandEndpoint());
                assertTrue(junkDealer.send(new byte[]{ 1, 2, 3 }));
                assertTrue(junkDealer.send(new byte[0]));
                assertTrue(junkDealer.send(new byte[300]));
                assertTrue(junkDealer.sendMore(new byte[]{ 4 }));
                assertTrue(junkDealer.send(new byte[]{ 5 }));
                assertTrue(junkDealer.send(almost), "a frame with a bad checksum");
            },
            () -> a.counters.strangerFrames().get() >= 5,
            () -> zContext.destroySocket(socket[0]),
            a);
        pollFor(100, a);
        assertEquals(5, a.counters.strangerFrames().get(), "one count per junk message");
        assertTrue(a.recorder.requests.isEmpty());
        final ZMQ.Socket dealer = socket[0];

        final TestNode client = node(2);
        final int length = client.encodeProbeRequest(1, 31);
        final byte[] request = new byte[length];
        client.commandBuffer().getBytes(0, request);
        assertTrue(dealer.send(request));
        awaitUntil(() -> a.recorder.requests.size() == 1, () -> "valid request after junk", a);
        dealer.setReceiveTimeOut(5_000);
        final byte[] response = dealer.recv(0);
        assertTrue(null != response && response.length > 0, "the same DEALER is answered after its junk");
        assertEquals(31, a.recorder.requests.get(0).correlationId());
        assertEquals(5, a.counters.strangerFrames().get());
    }

    @Test
    void shouldNotTakeJunkFromAPlainSubscriberSocketForASubscription()
    {
        final TestNode a = node(1);
        final ZContext zContext = zContext();
        final byte[] notASubscription = ZmqTransport.topic(ZmqTransport.DIRECTED_TOPIC, 2, 1002);
        final byte[] message = new byte[1 + notASubscription.length];
        message[0] = (byte)0x80;
        System.arraycopy(notASubscription, 0, message, 1, notASubscription.length);
        final ZMQ.Socket[] socket = new ZMQ.Socket[1];

        TestNode.retrying("junk from a plain XSUB counted",
            () ->
            {
                socket[0] = zContext.createSocket(SocketType.XSUB);
                socket[0].setLinger(0);
                socket[0].connect(a.transport.syncEndpoint());
                assertTrue(socket[0].send(message));
                assertTrue(socket[0].send(new byte[]{ 7, 7, 7 }));
            },
            () -> a.counters.strangerFrames().get() >= 2,
            () -> zContext.destroySocket(socket[0]),
            a);
        final ZMQ.Socket xsub = socket[0];

        assertTrue(a.recorder.subscriberChanges.isEmpty(),
            "junk shaped like a directed topic is no subscriber change: " + a.recorder.subscriberChanges);
        final byte[] subscription = new byte[message.length];
        System.arraycopy(message, 0, subscription, 0, message.length);
        subscription[0] = 1;
        assertTrue(xsub.send(subscription));
        awaitUntil(() -> a.recorder.isSubscribed(2), () -> "a real subscription message is still understood", a);
    }

    @Test
    void shouldRejectJunkFromAFakePublisherAndReportHandlerFailures()
    {
        final TestNode b = node(2);
        final ZContext zContext = zContext();
        final ZMQ.Socket publisher = zContext.createSocket(SocketType.XPUB);
        publisher.setLinger(0);
        final int syncPort = publisher.bindToRandomPort("tcp://127.0.0.1");
        final ZMQ.Socket router = zContext.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        final int commandPort = router.bindToRandomPort("tcp://127.0.0.1");
        TestNode.retrying("b subscribed to the fake publisher",
            () -> b.transport.addPeer(9, 1, "tcp://127.0.0.1:" + syncPort, "tcp://127.0.0.1:" + commandPort),
            () -> subscriptionSeen(publisher),
            () -> b.transport.removePeer(9),
            b);

        final List<DecodeResult> rejected = new ArrayList<>();
        final SyncHandler throwing = new SyncHandler()
        {
            public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
                final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
            {
                throw new IllegalStateException("no message expected");
            }

            public void onStreamFault(final Peer peer, final boolean directed, final int reason, final long expected,
                final long observed)
            {
                throw new IllegalStateException("no fault expected");
            }

            public void onBadFrame(final Peer peer, final DecodeResult result)
            {
                rejected.add(result);
                throw new IllegalStateException("handler failed on a bad frame");
            }
        };
        assertTrue(publisher.send(new byte[]{ ZmqTransport.BROADCAST_TOPIC }), "shorter than a topic");
        final byte[] junk = new byte[ZmqTransport.TOPIC_LENGTH + 100];
        new Random(5).nextBytes(junk);
        junk[0] = ZmqTransport.BROADCAST_TOPIC;
        assertTrue(publisher.send(junk), "a topic and junk");

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rejected.size() < 2 && System.nanoTime() < deadline)
        {
            b.transport.poll(throwing, b.recorder);
            TestNode.sleepQuietly(1);
        }

        assertEquals(List.of(DecodeResult.TRUNCATED_HEADER, DecodeResult.BAD_MAGIC), rejected);
        assertEquals(2, b.errors.size(), "each handler failure reported, none thrown: " + b.errors);
        assertEquals(2, b.transport.peer(9).counters().badFrames());
        assertTrue(b.recorder.messages.isEmpty());
    }

    private static boolean subscriptionSeen(final ZMQ.Socket publisher)
    {
        final byte[] subscription = publisher.recv(ZMQ.DONTWAIT);
        if (null != subscription && subscription.length == 1 + ZmqTransport.TOPIC_LENGTH)
        {
            assertArrayEquals(ZmqTransport.topic(ZmqTransport.DIRECTED_TOPIC, 2, 1002),
                Arrays.copyOfRange(subscription, 1, subscription.length));
            return true;
        }
        return false;
    }

    @Test
    void shouldStillNotifyLegitimateSubscribersAfterJunk() throws IOException
    {
        final TestNode a = node(1);
        writeJunk(a.transport.syncEndpoint(), 7, 2048, a);
        final TestNode b = node(2);

        connect(a, b);

        assertTrue(a.recorder.isSubscribed(2));
        assertFalse(a.recorder.subscriberChanges.stream().anyMatch(c -> c.nodeId() != 2),
            a.recorder.subscriberChanges.toString());
    }
}
