package io.cohort.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's embedding examples, compiled and run here: the code between each pair of markers below is one of the
 * README's code blocks, character for character (after removing this file's indentation), and a test checks that.
 */
class EmbeddingExampleTest
{
    /** The markers, split so that these declarations do not contain them. */
    private static final String START = "// README example " + "start";
    private static final String END = "// README example " + "end";
    private static final String RELAUNCH_START = "// README relaunch example " + "start";
    private static final String RELAUNCH_END = "// README relaunch example " + "end";

    /** What the example's cohort.* settings would come from in production (-D flags): here a private setup. */
    private static final Map<String, String> PROPERTIES = Map.of(
        "cohort.bind.address", "127.0.0.1",
        "cohort.command.port", "0",
        "cohort.sync.port", "0",
        "cohort.jmx.enabled", "false",
        "cohort.state.max.rooms", "1024",
        "cohort.state.max.connections", "1024",
        "cohort.state.max.overflow.subscriptions", "1024",
        "cohort.state.max.nodes", "4");

    @TempDir
    File countersDir;

    @BeforeEach
    void setProperties()
    {
        PROPERTIES.forEach(System::setProperty);
        System.setProperty("cohort.counters.dir", countersDir.getPath());
    }

    @AfterEach
    void clearProperties()
    {
        PROPERTIES.keySet().forEach(System::clearProperty);
        System.clearProperty("cohort.counters.dir");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunTheReadmeExample() throws InterruptedException
    {
        // README example start
        BlockingQueue<String> deliveries = new LinkedBlockingQueue<>();  // hand-off to the backend's own threads
        BlockingQueue<String> refusals = new LinkedBlockingQueue<>();
        AtomicBoolean serving = new AtomicBoolean();  // whether this instance should accept work
        // Every setting starts from its cohort.* system property, e.g. -Dcohort.cluster.seeds=10.0.0.1:7510,
        // 10.0.0.2:7510 (any members' command ports; none founds a new cluster), or from a setter: .seeds("...").
        // A cohort.* property no configuration defines (a typo) fails the launch, naming the closest setting.
        CohortContext context = new CohortContext()
            .listener(new CohortListener()  // called on the node's thread: never block in here
            {
                @Override
                public void onNotification(long roomId, DirectBuffer buffer, int offset, int length)
                {
                    // Copy out what this node's subscribers of roomId must receive; the buffer is reused.
                    deliveries.add(roomId + " " + buffer.getStringWithoutLengthUtf8(offset, length));
                }

                @Override
                public void onStateChanged(NodeState previous, NodeState current)
                {
                    // RUNNING: serve. NOT_ENOUGH_NODES: refuse work. EVICTED: stop serving, start a new process.
                    serving.set(NodeState.RUNNING == current);
                }

                @Override
                public void onRefused(RefusedOperation operation, long connectionId, long roomId, RefusalReason reason)
                {
                    // A queued call the node's thread refused (e.g. SUBSCRIBE, UNKNOWN_ROOM): nothing changed.
                    refusals.add(operation + " " + reason);
                }
            });

        try (CohortNode node = Cohort.launch(context))  // binds, then joins through the seeds on its own thread
        {
            if (!node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("not running: " + node.state() + " " + node.failure());
            }
            // Calls are queued for the node's thread and return a CallResult at once. This optional helper (one
            // per thread) retries BACK_PRESSURED, a full queue, for up to 100 ms, and returns NOT_MEMBER, EVICTED
            // or CLOSED at once: anything but ACCEPTED means nothing was queued.
            BlockingCalls calls = new BlockingCalls(node, TimeUnit.MILLISECONDS.toNanos(100));
            byte[] filter = "status == 'open'".getBytes(StandardCharsets.UTF_8);  // your normalised filter
            long room = CohortNode.roomId("orders", "open-orders", filter);  // the same id on every node
            long connectionId = 42;  // your connection's id, non-zero
            CallResult created = calls.createRoom("orders", "open-orders", filter);  // idempotent
            CallResult subscribed = calls.subscribe(connectionId, room);  // queued after the room: it exists
            UnsafeBuffer payload = new UnsafeBuffer("order 17 shipped".getBytes(StandardCharsets.UTF_8));
            CallResult published = calls.publish(room, payload, 0, payload.capacity());  // to nodes with subscribers
            if (CallResult.ACCEPTED != created || CallResult.ACCEPTED != subscribed || CallResult.ACCEPTED != published)
            {
                throw new IllegalStateException("not queued: " + created + " " + subscribed + " " + published);
            }
            long everywhere = node.subscriberCount(room);  // cluster-wide, as this node knows it; any thread
            node.disconnect(connectionId);  // drops every subscription of the connection
        }  // close(): leaves gracefully, the other members drop this node's rows at once
        // README example end

        final long room = CohortNode.roomId("orders", "open-orders",
            "status == 'open'".getBytes(StandardCharsets.UTF_8));
        assertEquals(room + " order 17 shipped", deliveries.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(), List.copyOf(refusals), "nothing the example queued was refused");
        assertFalse(serving.get(), "not serving once closed");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunTheReadmeRelaunchExample() throws InterruptedException
    {
        // README relaunch example start
        AtomicBoolean serving = new AtomicBoolean();  // whether this instance should accept work
        CohortListener listener = new CohortListener()  // one listener for every incarnation, on the node's thread
        {
            @Override
            public void onStateChanged(NodeState previous, NodeState current)
            {
                // EVICTED: stop serving at once; the supervisor closes the node and launches a new incarnation,
                // which goes JOINING, then RUNNING: serve again.
                serving.set(NodeState.RUNNING == current);
            }
        };
        // A context launches one node: the supervisor asks for a new one, with the same settings, at each relaunch.
        try (CohortSupervisor supervisor = CohortSupervisor.launch(() -> new CohortContext().listener(listener),
            new CohortSupervisor.Listener()  // called on the supervisor's own thread
            {
                @Override
                public void onRelaunched(CohortNode evicted, CohortNode relaunched)
                {
                    // The same node id, a new incarnation, joining. The evicted node's connections and rows left
                    // the cluster with it: subscribe your connections again once it is RUNNING (or close them,
                    // and their clients reconnect).
                }
            }))
        {
            CohortNode node = supervisor.node();  // read it for each use: a relaunch replaces it
            if (!node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("not running: " + node.state() + " " + node.failure());
            }
            int others = supervisor.node().clusterMembers().size();  // every call and read through node()
        }  // close(): no more relaunches, and the current node leaves gracefully
        // README relaunch example end

        assertFalse(serving.get(), "not serving once closed");
    }

    @Test
    void readmeShouldShowTheseExamples() throws Exception
    {
        assertReadmeShows(START, END);
        assertReadmeShows(RELAUNCH_START, RELAUNCH_END);
    }

    private static void assertReadmeShows(final String start, final String end) throws Exception
    {
        final Path root = Paths.get(System.getProperty("cohort.root", "..")).toAbsolutePath().normalize();
        final String source = Files.readString(
            root.resolve("engine/src/test/java/io/cohort/engine/EmbeddingExampleTest.java"), StandardCharsets.UTF_8);
        final String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);

        final String example = unindent(source.substring(
            source.indexOf('\n', source.indexOf(start)) + 1, source.lastIndexOf(end)));
        final int block = readme.indexOf("```java\n" + example.lines().findFirst().orElseThrow());
        assertTrue(block >= 0, "README.md has no ```java block starting like the example:\n" + example);
        final String shown = readme.substring(block + "```java\n".length(), readme.indexOf("```\n", block + 1));
        assertEquals(example, shown, "README.md's example (" + start + ") differs from EmbeddingExampleTest's");
    }

    private static String unindent(final String text)
    {
        final int indent = text.lines().filter((line) -> !line.isBlank())
            .mapToInt((line) -> line.length() - line.stripLeading().length()).min().orElse(0);
        final StringBuilder out = new StringBuilder();
        text.lines().forEach((line) -> out.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
        // The closing marker's own indentation is not part of the example.
        return out.toString().stripTrailing() + "\n";
    }
}
