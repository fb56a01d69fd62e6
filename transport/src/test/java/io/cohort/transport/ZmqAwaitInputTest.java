package io.cohort.transport;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cohort.transport.TestNode.awaitUntil;
import static io.cohort.transport.TestNode.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ZmqTransport#awaitInput} over real sockets on 127.0.0.1: it sleeps while nothing arrives and returns when
 * a subscriber's data or a byte on the wake channel does, well before its timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZmqAwaitInputTest
{
    private static final long LONG_TIMEOUT_MS = 5_000;

    @TempDir
    File countersDir;

    private final List<TestNode> nodes = new ArrayList<>();
    private Pipe pipe;

    private TestNode node(final long nodeId)
    {
        final TestNode node = new TestNode(countersDir, nodeId);
        nodes.add(node);
        return node;
    }

    private Pipe pipe() throws IOException
    {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(nodes);
        if (null != pipe)
        {
            CloseHelper.closeAll(pipe.sink(), pipe.source());
        }
        for (final TestNode node : nodes)
        {
            assertTrue(node.errors.isEmpty(), "errors reported by node " + node.nodeId + ": " + node.errors);
        }
    }

    @Test
    void shouldReturnWhenSubscriberDataArrives() throws Exception
    {
        final Pipe pipe = pipe();
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        drain(b, pipe);

        final long quietStartNs = System.nanoTime();
        assertEquals(0, b.transport.awaitInput(pipe.source(), 50), "nothing arrived");
        assertTrue(System.nanoTime() - quietStartNs >= TimeUnit.MILLISECONDS.toNanos(40), "slept for its timeout");

        final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
        {
            sleepMs(100);
            assertTrue(a.broadcastRoomCount(7, 3));
            a.transport.flush();
        });
        final long startNs = System.nanoTime();
        final int ready = b.transport.awaitInput(pipe.source(), LONG_TIMEOUT_MS);
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        sent.get(10, TimeUnit.SECONDS);

        assertTrue(ready > 0, "woken by a socket");
        assertTrue(waitedMs < LONG_TIMEOUT_MS / 2, "woken after " + waitedMs + " ms, not by the timeout");
        awaitUntil(() -> !b.recorder.messages.isEmpty(), () -> "the message is readable", a, b);
        assertEquals(7, b.recorder.messages.get(0).roomId());
    }

    @Test
    void shouldReturnWhenTheWakeChannelIsWritten() throws Exception
    {
        final Pipe pipe = pipe();
        final TestNode a = node(1);
        final TestNode b = node(2);
        connect(a, b);
        drain(b, pipe);

        final CompletableFuture<Void> rung = CompletableFuture.runAsync(() ->
        {
            sleepMs(100);
            try
            {
                pipe.sink().write(ByteBuffer.wrap(new byte[]{ 1 }));
            }
            catch (final IOException ex)
            {
                throw new RuntimeException(ex);
            }
        });
        final long startNs = System.nanoTime();
        final int ready = b.transport.awaitInput(pipe.source(), LONG_TIMEOUT_MS);
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        rung.get(10, TimeUnit.SECONDS);

        assertEquals(1, ready, "only the wake channel");
        assertTrue(waitedMs < LONG_TIMEOUT_MS / 2, "woken after " + waitedMs + " ms, not by the timeout");
    }

    @Test
    void shouldPollSocketsOfPeersAddedAfterTheFirstWait() throws Exception
    {
        final Pipe pipe = pipe();
        final TestNode a = node(1);
        final TestNode b = node(2);
        final TestNode c = node(3);
        connect(a, b);
        drain(b, pipe);
        connect(c, b);
        drain(b, pipe);

        final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
        {
            sleepMs(100);
            assertTrue(c.broadcastRoomCount(9, 1));
            c.transport.flush();
        });
        final long startNs = System.nanoTime();
        final int ready = b.transport.awaitInput(pipe.source(), LONG_TIMEOUT_MS);
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        sent.get(10, TimeUnit.SECONDS);

        assertTrue(ready > 0, "woken by the new peer's socket");
        assertTrue(waitedMs < LONG_TIMEOUT_MS / 2, "woken after " + waitedMs + " ms, not by the timeout");
    }

    // Reads whatever the link set-up left on the node's sockets, so that the next wait starts quiet.
    private static void drain(final TestNode node, final Pipe pipe)
    {
        while (node.transport.awaitInput(pipe.source(), 20) > 0)
        {
            node.poll();
        }
        node.recorder.messages.clear();
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
