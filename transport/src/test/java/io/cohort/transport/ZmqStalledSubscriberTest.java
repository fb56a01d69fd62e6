package io.cohort.transport;

import io.cohort.codec.ReasonCode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static io.cohort.transport.TestNode.awaitUntil;
import static io.cohort.transport.TestNode.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A subscriber that stops reading, beside one that keeps up. The publisher's sends go
 * on and the reading subscriber gets every message in order: a stalled (frozen, cut off) subscriber costs the others
 * nothing. The stalled one, once its pipe is full, loses frames, and when it reads again it sees the loss as a gap in
 * the numbered stream, never silently. (With XPUB no-drop the publisher refused every send to everyone, for as long
 * as the stalled connection lived.)
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ZmqStalledSubscriberTest
{
    private static final long MESSAGES = 250_000;
    private static final int MESSAGES_PER_FRAME = 10;
    private static final int FRAMES_PER_POLL = 20;

    @TempDir
    File countersDir;

    private TestNode publisher;
    private TestNode reader;
    private TestNode stalled;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(publisher, reader, stalled);
    }

    @Test
    void shouldKeepSendingToTheOthersAndLetTheStalledSubscriberSeeTheGap()
    {
        // The default high-water marks but the stalled subscriber's receive one: more frames are sent than its pipe
        // holds, never as many as the reader's (in a node, the replication window keeps a replica that keeps up
        // within a quarter of the send high-water mark).
        publisher = new TestNode(countersDir, 1);
        reader = new TestNode(countersDir, 2);
        stalled = new TestNode(countersDir, 3, context -> context.receiveHighWaterMark(4));
        connect(publisher, reader);
        connect(publisher, stalled);
        final OutboundBatcher outbound = publisher.transport.outbound();

        // The stalled subscriber is never polled from here on: only the publisher and the reader are.
        final long[] next = { 1 };
        awaitUntil(() ->
            {
                for (int frame = 0; frame < FRAMES_PER_POLL; frame++)
                {
                    for (int i = 0; i < MESSAGES_PER_FRAME && next[0] <= MESSAGES; i++)
                    {
                        if (!publisher.broadcastRoomCount(next[0], 0))
                        {
                            fail("claim " + next[0] + " refused: one stalled subscriber held the broadcast back");
                        }
                        next[0]++;
                    }
                    publisher.transport.flush();
                }
                return reader.recorder.messages.size() >= MESSAGES;
            },
            () -> "reader received " + reader.recorder.messages.size() + " of " + MESSAGES + " (sent " +
                (next[0] - 1) + ")", publisher, reader);

        long expected = 1;
        for (final Recorder.Message message : reader.recorder.messages)
        {
            if (message.sequence() != expected || message.roomId() != expected)
            {
                fail("reader: message " + expected + " missing or out of order: got sequence " + message.sequence());
            }
            expected++;
        }
        assertTrue(reader.recorder.faults.isEmpty(), reader.recorder.faults.toString());
        assertEquals(0, outbound.refusals(), "no send refused");

        // Now the stalled subscriber reads: what its pipe held, then, at the next message sent, a gap it names.
        awaitUntil(() ->
            {
                if (publisher.broadcastRoomCount(next[0], 0))
                {
                    next[0]++;
                }
                publisher.transport.flush();
                return !stalled.recorder.faults.isEmpty();
            },
            () -> "stalled subscriber saw no gap after " + stalled.recorder.messages.size() + " messages",
            publisher, stalled);
        final Recorder.Fault gap = stalled.recorder.faults.get(0);
        assertEquals(ReasonCode.GAP, gap.reason(), gap.toString());
        assertEquals(publisher.nodeId, gap.peerNodeId());
        assertTrue(gap.observed() > gap.expected(), gap.toString());
        assertTrue(stalled.recorder.messages.size() >= gap.expected() - 1, stalled.recorder.messages.size() + " read");
        for (int i = 0; i < gap.expected() - 1; i++)
        {
            assertEquals(i + 1, stalled.recorder.messages.get(i).sequence(), "in order up to the gap");
        }
    }
}
