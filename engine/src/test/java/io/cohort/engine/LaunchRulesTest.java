package io.cohort.engine;

import io.cohort.test.FreePorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What makes a relaunch in one JVM safe: a new context is a new, larger incarnation; a context launches one node;
 * one open node per id; no close from the node's own thread; and what {@link CohortSupervisor} relaunches and what it
 * leaves alone. Slow: several launches (Chronicle Map start-up) and a join that must time out.
 */
@Tag("slow")
class LaunchRulesTest
{
    @TempDir
    File directory;

    @Test
    void shouldGiveEveryNewContextALargerIncarnationThanTheLast()
    {
        long previous = new CohortContext().incarnation();
        for (int i = 0; i < 1_000; i++)
        {
            final long next = new CohortContext().incarnation();
            assertTrue(next > previous, next + " after " + previous + ": even within one millisecond");
            previous = next;
        }
        assertTrue(Math.abs(previous - System.currentTimeMillis()) < TimeUnit.MINUTES.toMillis(1),
            "still the time of day in milliseconds, give or take the bumps: " + previous);
    }

    @Test
    void shouldBackOffFromOneToThirtySeconds()
    {
        assertEquals(0, CohortSupervisor.backoffMs(0));
        assertEquals(1_000, CohortSupervisor.backoffMs(1));
        assertEquals(2_000, CohortSupervisor.backoffMs(2));
        assertEquals(16_000, CohortSupervisor.backoffMs(5));
        assertEquals(30_000, CohortSupervisor.backoffMs(6));
        assertEquals(30_000, CohortSupervisor.backoffMs(1_000));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseAContextLaunchedTwiceAndASecondOpenNodeOfOneId() throws InterruptedException
    {
        final CohortContext context = context(0x51);
        final CohortNode node = Cohort.launch(context);
        try
        {
            final IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Cohort.launch(context));
            assertTrue(twice.getMessage().startsWith("this CohortContext launched node 0000000000000051 incarnation " +
                context.incarnation() + " already"), twice.getMessage());

            final IllegalStateException sameId =
                assertThrows(IllegalStateException.class, () -> Cohort.launch(context(0x51)));
            assertEquals("cohort.node.id=0000000000000051: a node of this id is open in this JVM: close it before " +
                "launching its new incarnation (they would share a counters file), or give each node its own id",
                sameId.getMessage());
            assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "the open node is untouched");
        }
        finally
        {
            node.close();
        }
        // Once closed, its id may be launched again: a new incarnation, with a new context.
        final CohortContext again = context(0x51);
        try (CohortNode relaunched = Cohort.launch(again))
        {
            assertTrue(relaunched.incarnation() > node.incarnation());
            assertTrue(relaunched.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLetOtherThreadsReadThroughAndAfterACloseWithoutTouchingTheFreedState() throws Exception
    {
        final CohortNode node = Cohort.launch(context(0x55));
        assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
        final byte[] filter = { 5 };
        final long room = CohortNode.roomId("index", "collection", filter);
        assertEquals(CallResult.ACCEPTED, node.createRoom("index", "collection", filter));
        assertEquals(CallResult.ACCEPTED, node.subscribe(9, room));
        LocalNodes.await("subscribed", () -> node.isSubscribed(9, room));

        // Readers race the close: each read either completes on the live state or answers as an empty node, never
        // reads freed memory (which would crash the JVM or return garbage).
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong garbage = new AtomicLong();
        final Thread[] readers = new Thread[2];
        final AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < readers.length; i++)
        {
            readers[i] = new Thread(() ->
            {
                final long[] rooms = new long[4];
                try
                {
                    while (!stop.get())
                    {
                        final long count = node.subscriberCount(room);
                        final int held = node.connectionRooms(9, rooms);
                        if (count > 1 || held > 1 || 1 == held && rooms[0] != room ||
                            node.isSubscribed(9, room + 1))
                        {
                            garbage.incrementAndGet();
                        }
                        node.roomExists(room);
                        node.digest(0x55);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "reader-" + i);
            readers[i].start();
        }
        Thread.sleep(100);
        node.close();
        Thread.sleep(100);
        stop.set(true);
        for (final Thread reader : readers)
        {
            reader.join();
        }
        assertEquals(null, failure.get());
        assertEquals(0, garbage.get(), "a read saw a value no state ever held");
        assertEquals(0, node.subscriberCount(room));
        assertFalse(node.isSubscribed(9, room));
        assertEquals(0, node.connectionRooms(9, new long[4]));
        assertFalse(node.roomExists(room));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseACloseFromTheNodesOwnThread() throws InterruptedException
    {
        final AtomicReference<CohortNode> launched = new AtomicReference<>();
        final AtomicReference<Throwable> refused = new AtomicReference<>();
        final CohortContext context = context(0x52).listener(new CohortListener()
        {
            public void onRoomCreated(
                final long roomId, final String indexName, final String collectionName, final byte[] filter)
            {
                try
                {
                    launched.get().close();
                    refused.set(new AssertionError("close() returned on the node's thread"));
                }
                catch (final IllegalStateException ex)
                {
                    refused.set(ex);
                }
            }
        });
        try (CohortNode node = Cohort.launch(context))
        {
            launched.set(node);
            assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
            assertEquals(CallResult.ACCEPTED, node.createRoom("index", "collection", new byte[]{ 1 }));
            LocalNodes.await("the listener tried to close", () -> null != refused.get());
            assertTrue(refused.get() instanceof IllegalStateException, refused.get().toString());
            assertTrue(refused.get().getMessage().contains("close() was called on the node's own thread"));
            assertEquals(NodeState.RUNNING, node.state(), "still running");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldRelaunchAJoinThatFailedAfterABackoffAndStopWhenTheNodeIsClosedWithoutAFailure() throws Exception
    {
        // A seed where nothing listens: every join times out, and each failure is relaunched after a backoff.
        final int[] nobody = FreePorts.loopback(1);
        final List<String> failures = new CopyOnWriteArrayList<>();
        final CohortSupervisor supervisor = CohortSupervisor.launch(() ->
        {
            final CohortContext context = context(0x53).seeds("127.0.0.1:" + nobody[0])
                .commandTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)).joinTimeoutNs(TimeUnit.SECONDS.toNanos(1));
            context.listener(new CohortListener()
            {
                public void onStateChanged(final NodeState previous, final NodeState current)
                {
                    if (NodeState.CLOSED == current)
                    {
                        failures.add(String.valueOf(context.incarnation()));
                    }
                }
            });
            return context;
        }, new CohortSupervisor.Listener()
        {
        });
        try
        {
            final CohortNode first = supervisor.node();
            LocalNodes.await("the failed join relaunched", () -> supervisor.relaunches() >= 1);
            assertEquals(NodeState.CLOSED, first.state());
            assertTrue(first.failure().startsWith("join did not complete"), first.failure());
            assertTrue(supervisor.node().incarnation() > first.incarnation());
            assertFalse(supervisor.isStopped());
        }
        finally
        {
            supervisor.close();
        }
        assertTrue(supervisor.isStopped());
        assertFalse(failures.isEmpty());

        // A node closed by someone else without a failure (e.g. a JMX leave) left on purpose: not relaunched.
        final CohortSupervisor alone = CohortSupervisor.launch(() -> context(0x54), new CohortSupervisor.Listener()
        {
        });
        try
        {
            assertTrue(alone.node().awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
            alone.node().close();
            LocalNodes.await("the supervisor stops", alone::isStopped);
            Thread.sleep(CohortSupervisor.EVICTION_FLUSH_MS * 3);
            assertEquals(0, alone.relaunches());
            assertEquals(NodeState.CLOSED, alone.node().state());
        }
        finally
        {
            alone.close();
        }
    }

    private CohortContext context(final long nodeId)
    {
        return LocalNodes.context(directory, nodeId, "").jmxEnabled(false);
    }
}
