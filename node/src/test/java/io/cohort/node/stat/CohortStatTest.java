package io.cohort.node.stat;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortNode;
import io.cohort.engine.LocalNodes;
import io.cohort.engine.NodeState;
import io.cohort.transport.CountersFile;
import io.cohort.test.LoopbackCluster;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortStatTest
{
    /** Header offsets of {@link CountersFile}'s layout (its class Javadoc): the pid and the start time. */
    private static final int PID_OFFSET = 16;
    private static final int START_TIME_OFFSET = 32;

    @RegisterExtension
    final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CohortNode launch(final long nodeId, final String seeds)
    {
        return nodes.add(Cohort.launch(LocalNodes.context(nodes.directory(), nodeId, seeds).jmxEnabled(false)));
    }

    private int stat(final String... args)
    {
        out.reset();
        err.reset();
        return CohortStat.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String statOnce()
    {
        assertEquals(0, stat("--dir", nodes.directory().getPath(), "--once"), err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String awaitOutput(final String what, final Supplier<String> sample, final String... needles)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String text = sample.get();
        while (!containsAll(text, needles))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what + " in:\n" + text);
            }
            Thread.sleep(50);
            text = sample.get();
        }
        return text;
    }

    private static boolean containsAll(final String text, final String... needles)
    {
        for (final String needle : needles)
        {
            if (!text.contains(needle))
            {
                return false;
            }
        }
        return true;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldShowLiveNodesTheirSizesAndTheirPeersFromTheirCountersFiles() throws InterruptedException
    {
        final CohortNode node1 = launch(0xA1, "");
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final CohortNode node2 = launch(0xA2, node1.commandEndpoint().substring("tcp://".length()));
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node2 " + node2.state());

        assertEquals(CallResult.ACCEPTED, node1.createRoom("index", "collection", new byte[]{ 7 }));
        final long room = CohortNode.roomId("index", "collection", new byte[]{ 7 });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (CallResult.ACCEPTED != node1.subscribe(42, room) || 1 != node2.subscriberCount(room))
        {
            assertTrue(System.nanoTime() < deadline, "subscription not replicated");
            Thread.sleep(10);
        }

        final String text = awaitOutput("both nodes, their sizes and peers", this::statOnce,
            "node 00000000000000a1", "node 00000000000000a2", "state RUNNING  members 2  rooms 1  connections 1" +
            "  subscriptions 1", "state RUNNING  members 2  rooms 1  connections 0  subscriptions 0",
            "  00000000000000a2 ", "  00000000000000a1 ");
        assertTrue(text.contains("live"), text);
        assertFalse(text.contains("out  0 B"), "bytes sent are counted: " + text);
        assertFalse(text.contains(" 0 msgs"), "messages sent and received are counted: " + text);
        assertFalse(text.contains("DEAD"), text);
        // Node 2 received node 1's room and count messages in order: its broadcast sequence for node 1 moved on.
        final String node2Block = text.substring(text.indexOf("node 00000000000000a2"));
        final String peerLine = node2Block.lines().filter((line) -> line.startsWith("  00000000000000a1 "))
            .findFirst().orElseThrow();
        final String[] columns = peerLine.trim().split("\\s+");
        assertTrue(Long.parseLong(columns[1]) > 1, "next broadcast sequence of node1 at node2: " + peerLine);
        assertEquals("0", columns[5], "gaps: " + peerLine);
        assertEquals("0", columns[6], "duplicates: " + peerLine);
        assertEquals("0", columns[8], "bad frames: " + peerLine);

        node2.close();
        awaitOutput("node2's file gone and node1 alone", this::statOnce, "members 1");
        assertFalse(statOnce().contains("node 00000000000000a2"));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldReadNodesWhileTheyAreUnderLoad() throws Exception
    {
        final CohortNode node1 = launch(0xC1, "");
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final CohortNode node2 = launch(0xC2, node1.commandEndpoint().substring("tcp://".length()));
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node2 " + node2.state());
        assertEquals(CallResult.ACCEPTED, node1.createRoom("index", "collection", new byte[]{ 9 }));
        final long room = CohortNode.roomId("index", "collection", new byte[]{ 9 });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (CallResult.ACCEPTED != node2.subscribe(1, room) || 1 != node1.subscriberCount(room))
        {
            assertTrue(System.nanoTime() < deadline, "room not replicated");
            Thread.sleep(10);
        }

        // Churn on node 2 (each call replicates a room count to node 1) while stat samples both files.
        // (Counts are absolute and coalesced per room, so the messages grow with time more than with calls.)
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong calls = new AtomicLong();
        final Thread churn = new Thread(() ->
        {
            long connection = 2;
            while (running.get())
            {
                if (CallResult.ACCEPTED == node2.subscribe(connection, room) &&
                    CallResult.ACCEPTED == node2.unsubscribe(connection, room))
                {
                    calls.addAndGet(2);
                }
                connection = connection == 1_000 ? 2 : connection + 1;
            }
        }, "churn");
        churn.start();
        long previousMessages = -1;
        try
        {
            for (int i = 0; i < 20; i++)
            {
                final String text = statOnce();
                final String node1Block = text.substring(text.indexOf("node 00000000000000c1"));
                final String[] peer = node1Block.lines().filter((line) -> line.startsWith("  00000000000000c2 "))
                    .findFirst().orElseThrow(() -> new AssertionError(text)).trim().split("\\s+");
                final long messages = Long.parseLong(peer[3]);
                assertTrue(messages >= previousMessages, "messages never go back: " + messages + " < " +
                    previousMessages);
                assertEquals("0", peer[5], "gaps under load: " + text);
                assertEquals("0", peer[8], "bad frames under load: " + text);
                previousMessages = messages;
                Thread.sleep(50);
            }
        }
        finally
        {
            running.set(false);
            churn.join();
        }
        assertTrue(calls.get() > 1_000, "churn calls accepted: " + calls.get());
        assertTrue(previousMessages > 0, "node 1 received node 2's messages: " + previousMessages);
    }

    @Test
    void shouldShowADeadNodesFileAndRemoveItWithClean() throws Exception
    {
        final CountersFile file = new CountersFile(nodes.directory(), 0xDEAD, 64);
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.file(), "test");
        try
        {
            // A process that cannot exist, that created its file a minute ago and never updated its status since.
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
            header.putLong(PID_OFFSET, Long.MAX_VALUE);
            header.putLong(START_TIME_OFFSET, System.currentTimeMillis() - 60_000);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }

        final String text = statOnce();
        assertTrue(text.contains("node 000000000000dead  pid " + Long.MAX_VALUE + "  DEAD"), text);
        assertTrue(file.file().exists());

        assertEquals(0, stat("--dir", nodes.directory().getPath(), "--once", "--clean"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("removed " + file.file()), out.toString());
        assertFalse(file.file().exists());
        CloseHelper.quietClose(file);
    }

    @Test
    void shouldTellLivenessFromTheStatusAgeThenFromTheProcess()
    {
        final long self = ProcessHandle.current().pid();
        final long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        assertEquals(NodeView.Liveness.LIVE, NodeView.liveness(Long.MAX_VALUE, 0, 100, false));
        assertEquals(NodeView.Liveness.STALLED,
            NodeView.liveness(self, started + 5_000, NodeView.STALE_MS + 1, false));
        assertEquals(NodeView.Liveness.DEAD, NodeView.liveness(Long.MAX_VALUE, 0, NodeView.STALE_MS + 1, false));
        // The pid now belongs to a process that started after the file was written: the writer is gone.
        assertEquals(NodeView.Liveness.DEAD, NodeView.liveness(self, started - 60_000, NodeView.STALE_MS + 1, false));
        // Still launching (creating its state): no status updates yet, its process alone tells.
        assertEquals(NodeView.Liveness.LIVE, NodeView.liveness(self, started + 5_000, 0, true));
        assertEquals(NodeView.Liveness.DEAD, NodeView.liveness(Long.MAX_VALUE, 0, 0, true));
    }

    @Test
    void shouldSayNoNodeForAnEmptyDirectory()
    {
        assertTrue(statOnce().contains("no node"));
    }

    @Test
    void shouldFailWithOneLineAndStatusOneOnAMissingDirectory()
    {
        final File missing = new File(nodes.directory(), "missing");
        assertEquals(CohortStat.EXIT_NO_DIRECTORY, stat("--dir", missing.getPath(), "--once"));
        final String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, error.lines().count(), error);
        assertTrue(error.startsWith("cohort stat: counters directory " + missing + " does not exist"), error);
    }

    @Test
    void shouldRefuseBadArgumentsWithStatusTwo()
    {
        assertEquals(CohortStat.EXIT_USAGE, stat("--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cohort stat: unknown argument '--bogus'"));
        assertEquals(CohortStat.EXIT_USAGE, stat("--interval", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cohort stat: --interval soon is not a duration"));
        assertEquals(CohortStat.EXIT_USAGE, stat("--dir"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cohort stat: --dir needs a value"));
    }
}
