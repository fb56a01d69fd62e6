package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.MessageType;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.codec.RoomCountEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackPairTest
{
    @TempDir
    File countersDir;

    private CountersFile countersA;
    private CountersFile countersB;
    private ZmqTransport nodeA;
    private ZmqTransport nodeB;

    @BeforeEach
    void setUp()
    {
        countersA = new CountersFile(countersDir, 1, 256);
        countersB = new CountersFile(countersDir, 2, 256);
        nodeA = new ZmqTransport(context(1), new TransportCounters(countersA.countersManager()), Throwable::printStackTrace);
        nodeB = new ZmqTransport(context(2), new TransportCounters(countersB.countersManager()), Throwable::printStackTrace);
    }

    private TransportContext context(final long nodeId)
    {
        return new TransportContext().nodeId(nodeId).incarnation(100 + nodeId).bindAddress("127.0.0.1")
            .syncPort(0).commandPort(0).countersDir(countersDir.getPath()).conclude();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(nodeA, nodeB, countersA, countersB);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void shouldDeliverBroadcastInOrderOncePeerSubscribed()
    {
        final List<long[]> received = new ArrayList<>();
        final RoomCountDecoder decoder = new RoomCountDecoder();
        final SyncHandler handler = new SyncHandler()
        {
            public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
                final DirectBuffer buffer, final int offset, final int length)
            {
                decoder.wrap(buffer, offset, length);
                received.add(new long[]{ sequence, decoder.roomId(), decoder.count() });
            }

            public void onStreamFault(final Peer peer, final boolean directed, final int reason, final long expected,
                final long observed)
            {
                received.add(new long[]{ -reason, expected, observed });
            }

            public void onBadFrame(final Peer peer, final DecodeResult result)
            {
                received.add(new long[]{ -100 });
            }
        };

        // Slow joiner: keep publishing until the subscription is live, then check the stream is contiguous. A
        // connection that shows no sign of life is retried with fresh sockets (JeroMQ's connect race, see
        // TestNode.link).
        final RoomCountEncoder encoder = new RoomCountEncoder();
        final long[] room = { 1 };
        final Runnable publishBatch = () ->
        {
            for (int i = 0; i < 100; i++)
            {
                final int at = nodeA.outbound().claimBroadcast(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
                encoder.wrap(nodeA.outbound().broadcastBuffer(), at).roomId(room[0]++).count(7);
            }
            nodeA.poll(handler, null);
            nodeA.flush();
            TestNode.sleepQuietly(1);
            nodeB.poll(handler, null);
        };
        final long attemptNs = TimeUnit.MILLISECONDS.toNanos(TestNode.ATTEMPT_MS);
        for (int attempt = 1; received.isEmpty() && attempt <= TestNode.MAX_ATTEMPTS; attempt++)
        {
            if (attempt > 1)
            {
                nodeB.removePeer(1);
            }
            nodeB.addPeer(1, 101, nodeA.syncEndpoint(), nodeA.commandEndpoint());
            final long attemptDeadline = System.nanoTime() + attemptNs;
            while (received.isEmpty() && System.nanoTime() < attemptDeadline)
            {
                publishBatch.run();
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < 1000 && System.nanoTime() < deadline)
        {
            publishBatch.run();
        }
        assertTrue(received.size() >= 1000, "received " + received.size());
        for (int i = 1; i < received.size(); i++)
        {
            assertEquals(received.get(i - 1)[0] + 1, received.get(i)[0], "contiguous sequences");
        }
    }
}
