package io.cohort.engine;

import io.cohort.test.Await;
import io.cohort.test.ChildJvm;
import io.cohort.test.ClassPath;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JUnit 5 extension for the node JVMs of one multi-process test, started from a frozen copy of the class path
 * into a directory of the test's own and ended together after it, by their own pids (the test fails if one does
 * not die); and the waits and checks the multi-process tests share.
 */
final class NodeProcesses implements BeforeEachCallback, AfterEachCallback
{
    static final long BOUND_MS = 15_000;
    static final long JOIN_BOUND_MS = 40_000;
    static final long EXIT_BOUND_MS = 10_000;
    /** An owner id that owns no rows anywhere: its digest is that of an empty owner. */
    static final String EMPTY_OWNER = "0000000000000001";

    private final List<NodeProcess> processes = new ArrayList<>();
    private File directory;

    public void beforeEach(final ExtensionContext context) throws IOException
    {
        directory = Files.createTempDirectory("cohort-nodes-").toFile();
    }

    public void afterEach(final ExtensionContext context)
    {
        final List<String> undead = endAll();
        processes.clear();
        ClassPath.deleteQuietly(directory.toPath());
        assertEquals(List.of(), undead, "processes that did not die");
    }

    /**
     * The test's directory: logs and the counters directory go there.
     */
    File directory()
    {
        return directory;
    }

    File countersDir()
    {
        return new File(directory, "counters");
    }

    /**
     * Starts a node JVM, small and quick to start (up to five share this machine).
     */
    NodeProcess start(
        final String name, final Class<?> mainClass, final List<String> properties, final List<String> args)
    {
        final boolean scripted = ScriptedNodeMain.class == mainClass;
        final ChildJvm.Builder builder = ChildJvm.builder(name, mainClass).small("192m")
            .classPath(ClassPath.frozenCopy()).properties(properties).args(args).log(new File(directory, name + ".log"));
        if (scripted)
        {
            builder.readStdout();
        }
        final NodeProcess process = new NodeProcess(name, builder.start(), scripted);
        processes.add(process);
        return process;
    }

    /**
     * The settings of a node on 127.0.0.1 with small state capacities, seeded with {@code seeds}.
     */
    List<String> nodeProperties(final String seeds, final int commandPort, final int syncPort)
    {
        return new ArrayList<>(List.of(
            "-Dcohort.cluster.seeds=" + seeds,
            "-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.advertised.host=127.0.0.1",
            "-Dcohort.command.port=" + commandPort,
            "-Dcohort.sync.port=" + syncPort,
            "-Dcohort.counters.dir=" + countersDir().getPath(),
            "-Dcohort.join.timeout=30s",
            "-Dcohort.state.max.rooms=1024",
            "-Dcohort.state.max.connections=4096",
            "-Dcohort.state.max.overflow.subscriptions=4096",
            "-Dcohort.state.max.nodes=8"));
    }

    /**
     * Ends every node: SIGTERM, then SIGKILL after a bound.
     *
     * @return the nodes that still did not die.
     */
    private List<String> endAll()
    {
        return ChildJvm.endAll(processes.stream().map((process) -> process.jvm).collect(Collectors.toList()));
    }

    /**
     * Waits until every scripted node answers {@code await RUNNING}, failing with every node's log tail.
     */
    static void awaitRunning(final List<NodeProcess> nodes)
    {
        for (final NodeProcess node : nodes)
        {
            if (node.isScripted())
            {
                final String reply = node.call("await RUNNING " + JOIN_BOUND_MS);
                if (!reply.startsWith("OK"))
                {
                    final StringBuilder message = new StringBuilder(node + " not RUNNING: " + reply);
                    nodes.forEach((each) -> message.append('\n').append(each.tail()));
                    throw new AssertionError(message.toString());
                }
            }
        }
    }

    static void awaitTrue(final String what, final BooleanSupplier condition, final List<NodeProcess> nodes)
        throws InterruptedException
    {
        awaitTrue(what, condition, nodes, () -> "");
    }

    static void awaitTrue(
        final String what, final BooleanSupplier condition, final List<NodeProcess> nodes,
        final Supplier<String> details)
        throws InterruptedException
    {
        Await.until(what, BOUND_MS, condition, () ->
        {
            final StringBuilder message = new StringBuilder(details.get());
            nodes.forEach((node) -> message.append("\n").append(node.tail()));
            return message.toString();
        });
    }

    /**
     * Creates rooms in the {@code churn} index, in turn on each creator, and waits until every node knows them.
     *
     * @return the room ids, in creation order.
     */
    static List<String> createRooms(
        final List<NodeProcess> creators, final List<NodeProcess> nodes, final String prefix, final int count)
        throws InterruptedException
    {
        final List<String> rooms = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            rooms.add(creators.get(i % creators.size()).ok("create churn coll " + prefix + i));
        }
        awaitRoomsKnown(nodes, rooms);
        return rooms;
    }

    /**
     * Waits until every node knows every room.
     */
    static void awaitRoomsKnown(final List<NodeProcess> nodes, final List<String> rooms) throws InterruptedException
    {
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " knows " + rooms, () -> rooms.stream().allMatch(
                (room) -> "true".equals(node.ok("hasroom " + room))), nodes);
        }
    }

    /**
     * Waits until every node holds the expected rows of every owner (counts per room in {@code rooms} order) and
     * every owner's digest is the same on every node.
     */
    static void awaitConvergence(
        final List<NodeProcess> nodes, final String rooms, final Map<String, String> expectedOwnerCounts)
        throws InterruptedException
    {
        final String owners = String.join(",", expectedOwnerCounts.keySet());
        awaitTrue("every owner's rows and digest equal on every node", () ->
        {
            final Set<String> digests = new HashSet<>();
            for (final NodeProcess node : nodes)
            {
                for (final Map.Entry<String, String> entry : expectedOwnerCounts.entrySet())
                {
                    if (!entry.getValue().equals(node.ok("ocounts " + entry.getKey() + " " + rooms)))
                    {
                        return false;
                    }
                }
                digests.add(node.ok("digests " + owners));
            }
            return 1 == digests.size();
        }, nodes, () ->
        {
            final StringBuilder builder = new StringBuilder("expected " + expectedOwnerCounts + "\n");
            for (final NodeProcess node : nodes)
            {
                builder.append(node).append(": digests ").append(node.ok("digests " + owners));
                expectedOwnerCounts.keySet().forEach((owner) ->
                    builder.append("\n  ").append(owner).append(": ").append(node.ok("ocounts " + owner + " " + rooms)));
                builder.append('\n');
            }
            return builder.toString();
        });
    }

    /**
     * Stops a node's churn, checks it churned enough and every call was accepted, and returns the node's own
     * rows per room according to the churn's model.
     *
     * @return room to expected local count.
     */
    static Map<String, Long> stopChurn(final NodeProcess node)
    {
        final String stats = node.ok("churn stop");
        final Map<String, String> fields = new HashMap<>();
        for (final String field : stats.split(" "))
        {
            fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
        }
        assertEquals("0", fields.get("notaccepted"), node + " churn: " + stats);
        assertTrue(Long.parseLong(fields.get("ops")) > 1_000, node + " churned too little: " + stats);
        final Map<String, Long> modelCounts = new HashMap<>();
        for (final String pair : fields.get("expected").split(","))
        {
            modelCounts.put(pair.substring(0, pair.indexOf(':')), Long.parseLong(pair.substring(pair.indexOf(':') + 1)));
        }
        return modelCounts;
    }

    /**
     * Counts per room, in the order of {@code rooms}, as {@code ocounts} answers them.
     */
    static String countsInOrder(final List<String> rooms, final Map<String, Long> counts)
    {
        return rooms.stream().map((room) -> String.valueOf(counts.get(room))).collect(Collectors.joining(" "));
    }

    /**
     * The node failed nothing, refused nothing, was not evicted and runs.
     */
    static void assertNotEvicted(final NodeProcess node)
    {
        assertEquals(List.of(), node.events("FAILED"), node.toString());
        assertEquals(List.of(), node.events("REFUSED"), node + " refused calls");
        assertFalse(node.events("STATE").stream().anyMatch((e) -> e.endsWith("EVICTED")), node + " was evicted");
        assertTrue(node.process.isAlive(), node + " is alive");
    }

    /**
     * No node evicted anyone, failed, refused or was evicted.
     */
    static void assertNoFault(final List<NodeProcess> nodes)
    {
        for (final NodeProcess node : nodes)
        {
            assertEquals(List.of(), node.events("EVICTED"), node + " evicted someone");
            assertNotEvicted(node);
        }
    }
}
