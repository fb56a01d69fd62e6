package io.cohort.transport;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A subscriber that stops reading, behind a small high-water mark: the publisher's sends are refused (never
 * dropped silently), its batcher reports back-pressure, and once the subscriber drains every message arrives
 * with no gap.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ZmqBackPressureTest
{
    @TempDir
    File countersDir;

    private TestNode publisher;
    private TestNode subscriber;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(publisher, subscriber);
    }

    @Test
    void shouldRefuseWhileSubscriberStallsThenDeliverEverythingWithoutGap()
    {
        publisher = new TestNode(countersDir, 1, context -> context.sendHighWaterMark(4));
        subscriber = new TestNode(countersDir, 2, context -> context.receiveHighWaterMark(4));
        connect(publisher, subscriber);
        final OutboundBatcher outbound = publisher.transport.outbound();

        // Fill the publisher's queue, the kernel's socket buffers and the subscriber's queue, until every claim
        // has been refused for a while: the subscriber reads nothing, so nothing can drain any more.
        long claimed = 0;
        long refusedSinceNs = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (0 == refusedSinceNs || System.nanoTime() - refusedSinceNs < TimeUnit.MILLISECONDS.toNanos(300))
        {
            boolean refused = false;
            for (int i = 0; i < 1_000 && !refused; i++)
            {
                if (publisher.broadcastRoomCount(claimed + 1, 0))
                {
                    claimed++;
                }
                else
                {
                    refused = true;
                }
            }
            publisher.poll();
            publisher.transport.flush();
            if (!refused)
            {
                refusedSinceNs = 0;
            }
            else if (0 == refusedSinceNs)
            {
                refusedSinceNs = System.nanoTime();
            }
            else
            {
                TestNode.sleepQuietly(1);
            }
            if (System.nanoTime() > deadline)
            {
                fail("no lasting back-pressure after " + claimed + " messages to a subscriber that does not read");
            }
        }

        assertTrue(outbound.refusals() > 0);
        assertTrue(publisher.counters.sendBackPressure().get() > 0, "refusals counted");
        for (int i = 0; i < 20; i++)
        {
            assertFalse(publisher.broadcastRoomCount(claimed + 1, 0), "claims refused while the subscriber stalls");
            publisher.transport.flush();
            TestNode.sleepQuietly(1);
        }
        assertTrue(outbound.isBackPressured());
        assertEquals(claimed + 1, outbound.nextBroadcastSequence(), "no message numbered and dropped");
        final long refusedBeforeDrain = publisher.counters.sendBackPressure().get();

        final long total = claimed + 5_000;
        final long[] next = { claimed + 1 };
        awaitUntil(() ->
            {
                while (next[0] <= total && publisher.broadcastRoomCount(next[0], 0))
                {
                    next[0]++;
                }
                return subscriber.recorder.messages.size() >= total;
            },
            () -> "subscriber received " + subscriber.recorder.messages.size() + " of " + total, publisher, subscriber);

        long expected = 1;
        for (final Recorder.Message message : subscriber.recorder.messages)
        {
            if (message.sequence() != expected || message.roomId() != expected)
            {
                fail("message " + expected + " missing or out of order: got sequence " + message.sequence());
            }
            expected++;
        }
        assertEquals(total, subscriber.recorder.messages.size());
        assertTrue(subscriber.recorder.faults.isEmpty(), subscriber.recorder.faults.toString());
        assertFalse(outbound.isBackPressured());
        assertTrue(refusedBeforeDrain > 0);
        assertTrue(claimed > 0, "claimed " + claimed);
    }
}
