package io.cohort.node.stat;

import io.cohort.engine.Cohort;
import io.cohort.engine.CohortNode;
import io.cohort.engine.LocalNodes;
import io.cohort.engine.NodeState;
import io.cohort.test.Json;
import io.cohort.test.LoopbackCluster;
import io.cohort.transport.CounterType;
import io.cohort.transport.CountersFile;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cohort stat --check} and {@code --json}: the probe's verdict and the machine-readable view, for live
 * nodes and for counters files that say dead, stale and not RUNNING.
 */
class CohortStatCheckTest
{
    /** Header offsets of {@link CountersFile}'s layout (its class Javadoc): the pid and the start time. */
    private static final int PID_OFFSET = 16;
    private static final int START_TIME_OFFSET = 32;

    @RegisterExtension
    final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<CountersFile> fakes = new ArrayList<>();

    @AfterEach
    void closeFakes()
    {
        fakes.forEach(CloseHelper::quietClose);
    }

    private int stat(final String... args)
    {
        out.reset();
        err.reset();
        return CohortStat.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A counters file of this process whose status says {@code state}, updated {@code statusAgeMs} ago. */
    private void fakeNode(final long nodeId, final NodeState state, final long statusAgeMs)
    {
        final CountersFile file = new CountersFile(nodes.directory(), nodeId, 64);
        fakes.add(file);
        final CountersManager counters = file.countersManager();
        counters.setCounterValue(counters.allocate("state", CounterType.NODE_STATE), state.code());
        counters.setCounterValue(counters.allocate("status", CounterType.NODE_HEARTBEAT),
            System.currentTimeMillis() - statusAgeMs);
    }

    /** A counters file of a process that cannot exist, created a minute ago and never updated since. */
    private void deadNode(final long nodeId)
    {
        final CountersFile file = new CountersFile(nodes.directory(), nodeId, 64);
        fakes.add(file);
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.file(), "test");
        try
        {
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
            header.putLong(PID_OFFSET, Long.MAX_VALUE);
            header.putLong(START_TIME_OFFSET, System.currentTimeMillis() - 60_000);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodesOf(final Map<String, Object> json)
    {
        return (List<Map<String, Object>>)json.get("nodes");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldPassTheCheckAndShowJsonForALiveRunningNode() throws InterruptedException
    {
        final CohortNode node = nodes.add(Cohort.launch(
            LocalNodes.context(nodes.directory(), 0xA1, "").jmxEnabled(false)));
        assertTrue(node.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));

        assertEquals(0, stat("--dir", nodes.directory().getPath(), "--check"), out() + err);
        final long pid = ProcessHandle.current().pid();
        assertEquals(List.of("node 00000000000000a1  pid " + pid + "  ok: live, RUNNING, members 1",
            "OK: 1 node live and RUNNING"), out().lines().toList());

        assertEquals(0, stat("--dir", nodes.directory().getPath(), "--json", "--check"), out() + err);
        final Map<String, Object> json = Json.parseObject(out());
        assertEquals(nodes.directory().getPath(), json.get("directory"));
        assertEquals(Boolean.TRUE, json.get("healthy"));
        assertEquals(List.of(), json.get("problems"));
        final Map<String, Object> view = nodesOf(json).get(0);
        assertEquals(1, nodesOf(json).size());
        assertEquals("00000000000000a1", view.get("nodeId"));
        assertEquals(pid, view.get("pid"));
        assertEquals("LIVE", view.get("liveness"));
        assertEquals("RUNNING", view.get("state"));
        assertEquals(Boolean.TRUE, view.get("healthy"));
        assertTrue(view.containsKey("problem"));
        assertNull(view.get("problem"));
        assertEquals(1L, view.get("members"));
        assertEquals(List.of(), view.get("peers"));
        assertEquals(0L, view.get("workingStalls"), "a node idling on its own never works 50 ms in one cycle");
        assertEquals(0L, view.get("roomsWanted"), "alone, a node has no member to miss a room of");
        assertEquals(0L, view.get("roomsAnnouncedAgain"));
        assertEquals(0L, view.get("roomCreationsUndone"));
        assertEquals(0L, view.get("roomRemovalsOutrun"));
        assertTrue((Long)view.get("statusAgeMs") <= NodeView.STALE_MS, view.toString());
        assertTrue(out().endsWith("}\n"), "one object, one line: " + out());
        assertEquals(1, out().lines().count(), out());
    }

    @Test
    void shouldFailTheCheckNamingEachNodeThatIsDeadStaleOrNotRunning()
    {
        fakeNode(0xB1, NodeState.RUNNING, 0);
        fakeNode(0xB2, NodeState.JOINING, 0);
        fakeNode(0xB3, NodeState.RUNNING, NodeView.STALE_MS + 5_000);
        deadNode(0xB4);
        final long pid = ProcessHandle.current().pid();

        assertEquals(CohortStat.EXIT_UNHEALTHY, stat("--dir", nodes.directory().getPath(), "--check"));
        final String text = out();
        assertTrue(text.contains("node 00000000000000b1  pid " + pid + "  ok: live, RUNNING"), text);
        assertTrue(text.contains("node 00000000000000b2  pid " + pid + "  not RUNNING: JOINING"), text);
        assertTrue(text.contains("node 00000000000000b3  pid " + pid + "  stale: no status update for 10."), text);
        assertTrue(text.contains("node 00000000000000b4  pid " + Long.MAX_VALUE + "  dead: process " +
            Long.MAX_VALUE + " is gone"), text);
        assertTrue(text.endsWith("UNHEALTHY: 3 of 4 nodes not live and RUNNING\n"), text);

        // --json alone reports without judging the exit status; with --check it exits as --check does.
        assertEquals(0, stat("--dir", nodes.directory().getPath(), "--json"));
        final Map<String, Object> json = Json.parseObject(out());
        assertEquals(Boolean.FALSE, json.get("healthy"));
        assertEquals(3, ((List<?>)json.get("problems")).size(), json.toString());
        final Map<String, Map<String, Object>> byId = new java.util.HashMap<>();
        nodesOf(json).forEach((view) -> byId.put((String)view.get("nodeId"), view));
        assertEquals(Boolean.TRUE, byId.get("00000000000000b1").get("healthy"));
        assertEquals("JOINING", byId.get("00000000000000b2").get("state"));
        assertEquals("STALLED", byId.get("00000000000000b3").get("liveness"));
        assertEquals("DEAD", byId.get("00000000000000b4").get("liveness"));
        assertTrue(((String)byId.get("00000000000000b4").get("problem")).startsWith("dead: "));
        assertEquals(CohortStat.EXIT_UNHEALTHY, stat("--dir", nodes.directory().getPath(), "--json", "--check"));

        // --clean removes the dead node's file first: the others still fail the check, the removal goes to stderr.
        assertEquals(CohortStat.EXIT_UNHEALTHY, stat("--dir", nodes.directory().getPath(), "--json", "--clean",
            "--check"));
        assertEquals(3, nodesOf(Json.parseObject(out())).size(), out());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("removed "), err.toString());
    }

    @Test
    void shouldFailTheCheckOfAnEmptyDirectory()
    {
        assertEquals(CohortStat.EXIT_UNHEALTHY, stat("--dir", nodes.directory().getPath(), "--check"));
        assertEquals(List.of("UNHEALTHY: no node in " + nodes.directory().getPath()), out().lines().toList());
    }

    @Test
    void shouldEscapeEveryStringOfTheJson()
    {
        final File odd = new File(nodes.directory(), "a \"quoted\" back\\slash\ttab\nnew line \u0001 \u00e9");
        assertTrue(odd.mkdir());
        assertEquals(CohortStat.EXIT_UNHEALTHY, stat("--dir", odd.getPath(), "--json", "--check"));
        assertEquals(1, out().lines().count(), "control characters are escaped: " + out());
        final Map<String, Object> json = Json.parseObject(out());
        assertEquals(odd.getPath(), json.get("directory"));
        assertEquals(List.of("no node in " + odd.getPath()), json.get("problems"));
        assertEquals(List.of(), json.get("nodes"));
        assertFalse((Boolean)json.get("healthy"));

        final StringBuilder literal = new StringBuilder();
        final String every = "\u0000\u001f\u007f\u2028\"\\/\b\f x";
        StatJson.string(literal, every);
        assertEquals(every, Json.parse(literal.toString()));
    }
}
