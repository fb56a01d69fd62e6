package io.cohort.engine;

import io.cohort.transport.CountersFile;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportCounters;
import io.cohort.transport.ZmqTransport;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node thread's idle strategy over a real transport: a parked thread is woken by an API call (a ring write
 * and the doorbell) long before its poll timeout, no call is left waiting for a timeout however the call races the
 * thread's parking, and an idle thread sleeps until the node's next deadline within its bound.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PollingIdleStrategyTest
{
    private static final int MESSAGE_TYPE = 1;

    @TempDir
    File countersDir;

    private CountersFile countersFile;
    private TransportCounters counters;
    private ZmqTransport transport;
    private final ManyToOneRingBuffer apiQueue = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final Doorbell doorbell = new Doorbell();
    private final AtomicLong processed = new AtomicLong();
    private volatile boolean running = true;
    private Thread agent;

    @BeforeEach
    void setUp()
    {
        countersFile = new CountersFile(countersDir, 1, 256);
        counters = new TransportCounters(countersFile.countersManager());
        transport = new ZmqTransport(new TransportContext()
            .nodeId(1)
            .incarnation(1)
            .bindAddress("127.0.0.1")
            .advertisedHost("127.0.0.1")
            .syncPort(0)
            .commandPort(0)
            .countersDir(countersDir.getPath())
            .conclude(), counters, Throwable::printStackTrace);
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        running = false;
        if (null != agent)
        {
            doorbell.ring();
            agent.join(10_000);
        }
        CloseHelper.closeAll(doorbell, transport, counters, countersFile);
    }

    /**
     * The node's side as the strategy sees it: a deadline a fixed time ahead of each ask (far by default), calls
     * held back or not; counts the asks (one per poll).
     */
    private static final class Conditions implements IdleConditions
    {
        volatile long deadlineAfterNs = Long.MAX_VALUE / 4;
        volatile boolean callsHeldBack;
        final AtomicLong polls = new AtomicLong();

        public long nextDeadlineNs(final long nowNs)
        {
            polls.incrementAndGet();
            return nowNs + deadlineAfterNs;
        }

        public boolean callsHeldBack()
        {
            return callsHeldBack;
        }
    }

    private final Conditions conditions = new Conditions();

    private void startAgent(final long pollTimeoutMs)
    {
        final IdleStrategy idle = new PollingIdleStrategy(
            transport, apiQueue, doorbell, conditions, System::nanoTime, pollTimeoutMs);
        agent = new Thread(() ->
        {
            while (running)
            {
                // As NodeAgent: calls the duty cycle holds back stay queued.
                final int work = conditions.callsHeldBack ? 0 :
                    apiQueue.read((type, buffer, offset, length) -> processed.incrementAndGet());
                idle.idle(work);
            }
        }, "agent");
        agent.start();
    }

    private void call()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        while (!apiQueue.write(MESSAGE_TYPE, payload, 0, payload.capacity()))
        {
            Thread.onSpinWait();
        }
        doorbell.ring();
    }

    private void awaitParked()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!doorbell.isParked())
        {
            assertTrue(System.nanoTime() < deadlineNs, "the agent never parked");
            Thread.yield();
        }
    }

    @Test
    void shouldWakeAParkedAgentOnAnApiCallLongBeforeThePollTimeout()
    {
        final long pollTimeoutMs = 500;
        startAgent(pollTimeoutMs);
        long worstNs = 0;
        for (int i = 1; i <= 20; i++)
        {
            awaitParked();
            final long startNs = System.nanoTime();
            call();
            awaitProcessed(i, startNs, pollTimeoutMs);
            worstNs = Math.max(worstNs, System.nanoTime() - startNs);
        }
        assertTrue(worstNs < TimeUnit.MILLISECONDS.toNanos(100),
            "a parked agent took " + TimeUnit.NANOSECONDS.toMicros(worstNs) + " us to see a call (poll timeout " +
            pollTimeoutMs + " ms)");
    }

    @Test
    void shouldLoseNoWakeUpWhileTheAgentParksAndUnparks()
    {
        final long pollTimeoutMs = 2_000;
        startAgent(pollTimeoutMs);
        final int calls = 3_000;
        long worstNs = 0;
        for (int i = 1; i <= calls; i++)
        {
            // From no pause (the agent still spinning) to past its spin and yield phases (parking or parked).
            final long pauseNs = ThreadLocalRandom.current().nextLong(0, 60_000);
            final long pauseEndNs = System.nanoTime() + pauseNs;
            while (System.nanoTime() < pauseEndNs)
            {
                Thread.onSpinWait();
            }
            final long startNs = System.nanoTime();
            call();
            awaitProcessed(i, startNs, pollTimeoutMs);
            worstNs = Math.max(worstNs, System.nanoTime() - startNs);
        }
        assertEquals(calls, processed.get());
        assertTrue(worstNs < TimeUnit.MILLISECONDS.toNanos(pollTimeoutMs / 2),
            "a call waited " + TimeUnit.NANOSECONDS.toMillis(worstNs) + " ms: a lost wake-up waits for the " +
            pollTimeoutMs + " ms poll timeout");
    }

    @Test
    void shouldProcessEveryCallOfConcurrentProducers() throws InterruptedException
    {
        startAgent(2_000);
        final int producers = 3;
        final int callsEach = 5_000;
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            threads[p] = new Thread(() ->
            {
                for (int i = 0; i < callsEach; i++)
                {
                    if (0 == (i & 63))
                    {
                        awaitIdleLong();
                    }
                    call();
                }
            }, "producer-" + p);
            threads[p].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (processed.get() < (long)producers * callsEach && System.nanoTime() < deadlineNs)
        {
            Thread.yield();
        }
        assertEquals((long)producers * callsEach, processed.get(), "every call processed within 1 s of the last");
    }

    @Test
    void shouldSleepUntilTheNodesNextDeadlineWithinTheBound() throws InterruptedException
    {
        conditions.deadlineAfterNs = TimeUnit.MILLISECONDS.toNanos(40);
        startAgent(2_000);
        awaitParked();
        final long before = conditions.polls.get();
        Thread.sleep(800);
        final long polls = conditions.polls.get() - before;
        // About 20 polls of 40 ms; a poll timeout at the bound would give 0 or 1, one of a millisecond 800.
        assertTrue(polls >= 5 && polls <= 100, "polls in 800 ms with a deadline 40 ms ahead: " + polls);
    }

    @Test
    void shouldSleepNoLongerThanTheBoundWhenTheDeadlineIsFar() throws InterruptedException
    {
        startAgent(20);
        awaitParked();
        final long before = conditions.polls.get();
        Thread.sleep(800);
        final long polls = conditions.polls.get() - before;
        // About 40 polls of 20 ms; sleeping to the far deadline would give none, a millisecond poll 800.
        assertTrue(polls >= 10 && polls <= 200, "polls in 800 ms with a 20 ms bound: " + polls);
    }

    @Test
    void shouldSleepWhileQueuedCallsAreHeldBackAndTakeThemOnceReleased()
    {
        conditions.callsHeldBack = true;
        startAgent(2_000);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        assertTrue(apiQueue.write(MESSAGE_TYPE, payload, 0, payload.capacity()));
        // A queued call used to keep the thread from sleeping however long the hold lasted (a spin).
        awaitParked();
        assertEquals(0, processed.get());

        final long startNs = System.nanoTime();
        conditions.callsHeldBack = false;
        doorbell.ring();
        awaitProcessed(1, startNs, 2_000);
    }

    @Test
    void shouldBoundOnePollByATenthOfTheHeartbeatIntervalFromOneToTenMilliseconds()
    {
        assertEquals(10, PollingIdleStrategy.maxPollTimeoutMs(TimeUnit.MILLISECONDS.toNanos(100)));
        assertEquals(10, PollingIdleStrategy.maxPollTimeoutMs(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(5, PollingIdleStrategy.maxPollTimeoutMs(TimeUnit.MILLISECONDS.toNanos(50)));
        assertEquals(1, PollingIdleStrategy.maxPollTimeoutMs(TimeUnit.MILLISECONDS.toNanos(5)));
        assertEquals(1, PollingIdleStrategy.maxPollTimeoutMs(1));
    }

    // Fails at the first call left waiting half a poll timeout: only a lost wake-up waits that long.
    private void awaitProcessed(final long count, final long startNs, final long pollTimeoutMs)
    {
        final long limitNs = startNs + TimeUnit.MILLISECONDS.toNanos(pollTimeoutMs / 2);
        while (processed.get() < count)
        {
            assertTrue(System.nanoTime() < limitNs, "call " + count + " not seen within " + pollTimeoutMs / 2 +
                " ms: a lost wake-up waits for the " + pollTimeoutMs + " ms poll timeout");
            Thread.onSpinWait();
        }
    }

    // Long enough for the agent to run out of spins and yields and park.
    private static void awaitIdleLong()
    {
        final long endNs = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
        while (System.nanoTime() < endNs)
        {
            Thread.onSpinWait();
        }
    }
}
