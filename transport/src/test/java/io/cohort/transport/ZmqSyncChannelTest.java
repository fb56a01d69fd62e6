package io.cohort.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.MessageType;
import io.cohort.codec.ReasonCode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync channel over real sockets on 127.0.0.1: ordered delivery of batched messages, topic routing, and
 * detection of the losses, repeats and corruption injected with the send fault hook.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZmqSyncChannelTest
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
        for (final TestNode node : nodes)
        {
            assertTrue(node.errors.isEmpty(), "errors reported by node " + node.nodeId + ": " + node.errors);
        }
    }

    private static long firstSequence(final byte[] wireMessage)
    {
        return new UnsafeBuffer(wireMessage)
            .getLong(ZmqTransport.TOPIC_LENGTH + FrameLayout.FIRST_SEQUENCE_OFFSET, FrameLayout.BYTE_ORDER);
    }

    private static List<Long> sequences(final List<Recorder.Message> messages)
    {
        return messages.stream().map(Recorder.Message::sequence).toList();
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++)
        {
            values.add(v);
        }
        return values;
    }

    /** Sends {@code frames} broadcast frames of {@code perFrame} ROOM_COUNTs, one frame per flush. */
    private static void broadcastFrames(final TestNode publisher, final int frames, final int perFrame)
    {
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < perFrame; i++)
            {
                assertTrue(publisher.broadcastRoomCount(publisher.transport.outbound().nextBroadcastSequence(), 1));
            }
            assertEquals(1, publisher.transport.flush());
        }
    }

    @Test
    void shouldDeliverManyBatchedMessagesInOrderOnceSubscriptionIsLive()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);

        final int total = 20_000;
        long room = 1;
        while (room <= total)
        {
            for (int i = 0; i < 250 && room <= total; i++, room++)
            {
                assertTrue(a.broadcastRoomCount(room, room * 3));
            }
            a.transport.flush();
            b.poll();
        }
        awaitUntil(() -> b.recorder.messages.size() >= total,
            () -> "received " + b.recorder.messages.size() + " of " + total, a, b);

        assertEquals(range(1, total), sequences(b.recorder.messages), "every message, in order, from the first");
        for (final Recorder.Message message : b.recorder.messages)
        {
            assertEquals(message.sequence(), message.roomId());
            assertEquals(message.roomId() * 3, message.count());
            assertEquals(1, message.peerNodeId());
        }
        assertTrue(b.recorder.faults.isEmpty(), b.recorder.faults.toString());
        assertTrue(b.recorder.badFrames.isEmpty());
        final long framesSent = a.counters.framesSent().get();
        assertTrue(framesSent > 0 && framesSent <= total / 100, "batched: " + framesSent + " frames");
        assertEquals(total, b.counters.totalMessages().get());
    }

    @Test
    void shouldGiveEachStreamOneFramePerPollOnceItsSliceHasPassed()
    {
        final TestNode a = node(1);
        final TestNode c = node(3);
        final TestNode b = node(2);
        connect(a, b);
        connect(c, b);
        final int frames = 12;
        final int perFrame = 50;
        broadcastFrames(a, frames, perFrame);
        broadcastFrames(c, frames, perFrame);

        // A slice too short for any frame: each stream gives one frame a call, and neither is starved.
        int polls = 0;
        while (b.recorder.messages.size() < 2 * frames * perFrame && polls < 10_000)
        {
            final long fromA = countFrom(b, 1);
            final long fromC = countFrom(b, 3);
            b.transport.poll(b.recorder, b.recorder, 1);
            polls++;
            assertTrue(countFrom(b, 1) - fromA <= perFrame, "more than one frame of a in one poll");
            assertTrue(countFrom(b, 3) - fromC <= perFrame, "more than one frame of c in one poll");
            if (b.recorder.messages.size() < 2 * frames * perFrame)
            {
                Thread.onSpinWait();
            }
        }

        assertEquals(frames * perFrame, countFrom(b, 1), "every frame of a, " + polls + " polls");
        assertEquals(frames * perFrame, countFrom(b, 3), "every frame of c, " + polls + " polls");
        assertTrue(polls >= frames, "at least a poll per frame of a stream: " + polls);
    }

    private static long countFrom(final TestNode node, final long peerNodeId)
    {
        return node.recorder.messages.stream().filter((message) -> message.peerNodeId() == peerNodeId).count();
    }

    @Test
    void shouldRouteDirectedMessagesOnlyToTheirDestination()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        final TestNode c = node(3);
        connect(a, b);
        connect(a, c);

        for (int i = 1; i <= 100; i++)
        {
            assertTrue(a.directRoomCount(2, 200 + i, 0));
            assertTrue(a.broadcastRoomCount(i, 0));
            if (i % 3 == 0)
            {
                assertTrue(a.directRoomCount(3, 300 + i, 0));
            }
            if (i % 10 == 0)
            {
                a.transport.flush();
            }
        }
        a.transport.flush();
        awaitUntil(() -> b.recorder.messages.size() >= 200 && c.recorder.messages.size() >= 133,
            () -> "b received " + b.recorder.messages.size() + ", c received " + c.recorder.messages.size(), a, b, c);
        pollFor(200, a, b, c);

        assertEquals(range(1, 100), sequences(b.recorder.messages(m -> !m.directed())), "b: every broadcast");
        assertEquals(range(1, 100), sequences(b.recorder.messages(Recorder.Message::directed)), "b: its directed");
        assertTrue(b.recorder.messages(Recorder.Message::directed).stream().allMatch(m -> m.roomId() > 200 &&
            m.roomId() <= 300), "b never sees c's directed messages");
        assertEquals(range(1, 100), sequences(c.recorder.messages(m -> !m.directed())), "c: every broadcast");
        assertEquals(range(1, 33), sequences(c.recorder.messages(Recorder.Message::directed)), "c: its directed");
        assertTrue(c.recorder.messages(Recorder.Message::directed).stream().allMatch(m -> m.roomId() > 300),
            "c never sees b's directed messages");
        assertEquals(0, b.counters.misroutedFrames().get(), "filtered at the publisher, not at the receiver");
        assertEquals(0, c.counters.misroutedFrames().get(), "filtered at the publisher, not at the receiver");
        assertTrue(b.recorder.faults.isEmpty() && c.recorder.faults.isEmpty());
    }

    @Test
    void shouldReportSubscriberGoneWhenPeerIsRemoved()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);

        b.transport.removePeer(1);

        awaitUntil(() -> !a.recorder.isSubscribed(2), () -> "unsubscription never seen", a, b);
        assertEquals(new Recorder.SubscriberChange(2, false),
            a.recorder.subscriberChanges.get(a.recorder.subscriberChanges.size() - 1));
    }

    @Test
    void shouldReportGapWithTheMissingRangeWhenAFrameIsDropped()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        a.transport.sendFaultHook((destination, message) -> 5 == firstSequence(message) ? 0 : 1);

        broadcastFrames(a, 5, 2);
        awaitUntil(() -> b.recorder.messages.size() >= 8, () -> "received " + b.recorder.messages, a, b);

        assertEquals(List.of(new Recorder.Fault(1, false, ReasonCode.GAP, 5, 7)), b.recorder.faults,
            "missing range 5..6");
        assertEquals(List.of(1L, 2L, 3L, 4L, 7L, 8L, 9L, 10L), sequences(b.recorder.messages));
        assertEquals(1, b.transport.peer(1).counters().gaps());
    }

    @Test
    void shouldReportDuplicateWhenAFrameIsRepeated()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        a.transport.sendFaultHook((destination, message) -> 3 == firstSequence(message) ? 2 : 1);

        broadcastFrames(a, 4, 2);
        awaitUntil(() -> b.recorder.messages.size() >= 8 && !b.recorder.faults.isEmpty(),
            () -> "received " + b.recorder.messages + " faults " + b.recorder.faults, a, b);

        assertEquals(List.of(new Recorder.Fault(1, false, ReasonCode.DUPLICATE, 5, 3)), b.recorder.faults);
        assertEquals(range(1, 8), sequences(b.recorder.messages), "each message applied once");
        assertEquals(1, b.transport.peer(1).counters().duplicates());
    }

    @Test
    void shouldRejectCorruptedFrameAndKeepDeliveringLaterFrames()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        final int bodyByte = ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH;
        a.transport.sendFaultHook((destination, message) ->
        {
            if (3 == firstSequence(message))
            {
                message[bodyByte] ^= 0x01;
            }
            return 1;
        });

        broadcastFrames(a, 5, 2);
        awaitUntil(() -> b.recorder.messages.size() >= 8, () -> "received " + b.recorder.messages, a, b);

        assertEquals(List.of(new Recorder.BadFrame(1, DecodeResult.CHECKSUM_MISMATCH)), b.recorder.badFrames);
        assertEquals(List.of(1L, 2L, 5L, 6L, 7L, 8L, 9L, 10L), sequences(b.recorder.messages),
            "nothing of the corrupted frame applied; later frames delivered");
        assertEquals(List.of(new Recorder.Fault(1, false, ReasonCode.GAP, 3, 5)), b.recorder.faults);
        assertEquals(1, b.transport.peer(1).counters().badFrames());
        assertEquals(1, b.counters.totalBadFrames().get());
    }

    @Test
    void shouldReportReorderWhenADroppedFrameArrivesLate()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        final byte[][] held = new byte[1][];
        a.transport.sendFaultHook((destination, message) ->
        {
            final long first = firstSequence(message);
            if (3 == first)
            {
                held[0] = message.clone();
                return 0;
            }
            if (7 == first)
            {
                System.arraycopy(held[0], 0, message, 0, message.length);
            }
            return 1;
        });

        broadcastFrames(a, 5, 2);
        awaitUntil(() -> b.recorder.faults.size() >= 3 && b.recorder.messages.size() >= 6,
            () -> "faults " + b.recorder.faults + " messages " + sequences(b.recorder.messages), a, b);

        assertEquals(List.of(
            new Recorder.Fault(1, false, ReasonCode.GAP, 3, 5),
            new Recorder.Fault(1, false, ReasonCode.REORDER, 7, 3),
            new Recorder.Fault(1, false, ReasonCode.GAP, 7, 9)), b.recorder.faults);
        assertEquals(List.of(1L, 2L, 5L, 6L, 9L, 10L), sequences(b.recorder.messages),
            "the late frame is not applied over the newer state");
        assertEquals(1, b.transport.peer(1).counters().reorders());
        assertEquals(2, b.transport.peer(1).counters().gaps());
    }

    @Test
    void shouldReportGapWhenTheReceiveHookLosesAFrame()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        b.transport.receiveFaultHook((peerNodeId, message) -> 1 == peerNodeId && 3 == firstSequence(message));

        broadcastFrames(a, 3, 2);
        awaitUntil(() -> b.recorder.messages.size() >= 4, () -> "received " + b.recorder.messages, a, b);

        assertEquals(List.of(new Recorder.Fault(1, false, ReasonCode.GAP, 3, 5)), b.recorder.faults);
        assertEquals(List.of(1L, 2L, 5L, 6L), sequences(b.recorder.messages));
    }

    @Test
    void shouldInstallTheFaultHooksItsContextNames()
    {
        final TestNode a = node(1);
        final TestNode b = new TestNode(countersDir, 2, (context) -> context.faultHooks(new TransportFaultHooks()
        {
            public SendFaultHook sendFaultHook(final TransportContext context)
            {
                return null;
            }

            public ReceiveFaultHook receiveFaultHook(final TransportContext context)
            {
                return (peerNodeId, message) -> 1 == peerNodeId && 3 == firstSequence(message);
            }
        }));
        nodes.add(b);
        connect(a, b);

        broadcastFrames(a, 3, 2);
        awaitUntil(() -> b.recorder.messages.size() >= 4, () -> "received " + b.recorder.messages, a, b);

        assertEquals(List.of(new Recorder.Fault(1, false, ReasonCode.GAP, 3, 5)), b.recorder.faults);
        assertEquals(List.of(1L, 2L, 5L, 6L), sequences(b.recorder.messages));
    }

    @Test
    void shouldLetAHandlerRemoveThePeerWhileItsSocketIsRead()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        final SyncHandler removing = new SyncHandler()
        {
            public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
                final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
            {
                b.recorder.onMessage(peer, directed, sequence, type, buffer, bodyOffset, bodyLength);
                if (2 == sequence)
                {
                    assertTrue(b.transport.removePeer(peer.nodeId()));
                    assertNull(b.transport.peer(peer.nodeId()));
                }
            }

            public void onStreamFault(final Peer peer, final boolean directed, final int reason, final long expected,
                final long observed)
            {
                b.recorder.onStreamFault(peer, directed, reason, expected, observed);
            }

            public void onBadFrame(final Peer peer, final DecodeResult result)
            {
                b.recorder.onBadFrame(peer, result);
            }
        };

        broadcastFrames(a, 3, 2);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (null != b.transport.peer(1) && System.nanoTime() < deadline)
        {
            b.transport.poll(removing, b.recorder);
            TestNode.sleepQuietly(1);
        }
        assertNull(b.transport.peer(1), "removed by its handler");
        broadcastFrames(a, 2, 1);
        pollFor(200, a, b);

        assertEquals(List.of(1L, 2L), sequences(b.recorder.messages),
            "nothing is read from the peer once its handler removed it");
        assertTrue(b.errors.isEmpty(), b.errors.toString());
        connect(a, b);
        assertEquals(StreamSequence.UNKNOWN, b.transport.peer(1).counters().broadcastSequence().expected());
    }

    @Test
    void shouldRejectSelfAndDuplicatePeers()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        b.subscribeTo(a);

        final IllegalArgumentException self = assertThrows(IllegalArgumentException.class, () -> a.subscribeTo(a));
        assertTrue(self.getMessage().contains("nodeId=1"), self.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.subscribeTo(a));
        assertThrows(IllegalArgumentException.class,
            () -> b.transport.addPeer(0, 1, a.transport.syncEndpoint(), a.transport.commandEndpoint()));
        assertNull(b.transport.peer(3));
        assertFalse(b.transport.removePeer(3));
        assertTrue(b.transport.removePeer(1));
        assertNull(b.transport.peer(1));
        b.subscribeTo(a);
        assertEquals(StreamSequence.UNKNOWN, b.transport.peer(1).counters().broadcastSequence().expected(),
            "a peer added again starts with fresh streams");
    }

    @Test
    void shouldDetectLostTailOfDirectedStreamWithinOneHeartbeat()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        a.transport.sendFaultHook((destination, message) -> 2 == destination && 4 == firstSequence(message) ? 0 : 1);

        for (int i = 1; i <= 3; i++)
        {
            assertTrue(a.directRoomCount(2, i, 0));
        }
        a.transport.flush();
        assertTrue(a.directRoomCount(2, 4, 0));
        assertTrue(a.directRoomCount(2, 5, 0));
        a.transport.flush();
        assertEquals(5, a.transport.outbound().lastSentDirectedSequence(2));
        awaitUntil(() -> b.recorder.messages.size() >= 3, () -> "received " + b.recorder.messages, a, b);
        pollFor(100, a, b);
        assertTrue(b.recorder.faults.isEmpty(), "silence alone reveals nothing: " + b.recorder.faults);

        a.broadcastHeartbeat();
        a.transport.flush();
        awaitUntil(() -> !b.recorder.faults.isEmpty(), () -> "no fault after the heartbeat", a, b);

        assertEquals(List.of(new Recorder.Fault(1, true, ReasonCode.LOST_TAIL, 4, 5)), b.recorder.faults);
        assertEquals(List.of(1L, 2L, 3L), sequences(b.recorder.messages(Recorder.Message::directed)));
        assertEquals(1, b.transport.peer(1).counters().lostTails());
        awaitUntil(() -> b.recorder.count(m -> MessageType.HEARTBEAT == m.type()) == 1,
            () -> "heartbeat delivered", a, b);

        a.transport.sendFaultHook(null);
        assertTrue(a.directRoomCount(2, 6, 0));
        a.transport.flush();
        a.broadcastHeartbeat();
        a.transport.flush();
        awaitUntil(() -> b.recorder.count(m -> MessageType.HEARTBEAT == m.type()) == 2,
            () -> "second heartbeat", a, b);
        assertEquals(List.of(1L, 2L, 3L, 6L), sequences(b.recorder.messages(Recorder.Message::directed)));
        assertEquals(1, b.recorder.faults.size(), "the stream resumed in order after the lost tail");
    }

    @Test
    void shouldCountAndDropFramesOfAStaleIncarnation()
    {
        final TestNode a = node(1);
        final TestNode b = node(2);
        TestNode.link(a, b, a.incarnation - 1, false);

        broadcastFrames(a, 3, 1);
        awaitUntil(() -> b.counters.staleFrames().get() >= 3, () -> "stale " + b.counters.staleFrames().get(), a, b);

        assertTrue(b.recorder.messages.isEmpty(), b.recorder.messages.toString());
        assertTrue(b.recorder.faults.isEmpty());
    }
}
