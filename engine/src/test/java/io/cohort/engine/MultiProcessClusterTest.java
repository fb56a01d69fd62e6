package io.cohort.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real JVMs on 127.0.0.1: nodes driven by {@link ScriptedNodeMain} over stdin/stdout, and the launcher
 * {@link CohortMain} itself. Every process is started here and ended here, by its own pid, after each test.
 */
@Tag("slow")
class MultiProcessClusterTest
{
    private static final long BOUND_MS = 15_000;
    private static final long JOIN_BOUND_MS = 40_000;
    private static final long EXIT_BOUND_MS = 10_000;

    @TempDir
    static File classPathCopy;
    private static String childClassPath;

    @TempDir
    File tempDir;

    private final List<NodeProcess> processes = new ArrayList<>();

    /**
     * The children run from a copy of this build's class directories and Cohort jars: another build of the same
     * tree (recompiling target/classes, installing a module) must not pull classes from under a running node.
     */
    @BeforeAll
    static void copyClassPath() throws IOException
    {
        childClassPath = ChildJvms.copyClassPath(classPathCopy.toPath());
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        assertEquals(List.of(), ChildJvms.endAll(processes), "processes that did not die");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeNodesStartedFromIdenticalPropertiesFormOneCluster() throws Exception
    {
        final List<NodeProcess> nodes = startTrio();
        final Set<String> ids = nodes.stream().map((node) -> node.id).collect(Collectors.toSet());
        assertEquals(3, ids.size(), "distinct random node ids " + ids);
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " sees the two others", () -> node.ok("members").split(" ").length == 2, nodes);
            final Set<String> expected = new HashSet<>(ids);
            expected.remove(node.id);
            assertEquals(expected, Set.of(node.ok("members").split(" ")), node.toString());
            assertEquals("RUNNING", node.ok("state"), node.toString());
        }
        assertNoFault(nodes);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void subscriptionsOnEveryNodeAreVisibleInEveryNodesCounts() throws Exception
    {
        final List<NodeProcess> nodes = startTrio();
        final String roomA = nodes.get(0).ok("create index coll a==1");
        final String roomB = nodes.get(1).ok("create index coll b==2");
        final String rooms = roomA + "," + roomB;
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " knows both rooms", () -> "true".equals(node.ok("hasroom " + roomA)) &&
                "true".equals(node.ok("hasroom " + roomB)), nodes);
        }

        // node 0: 3 in A; node 1: 2 in A and 1 in B; node 2: 1 in B (and one that comes and goes).
        for (int connection = 1; connection <= 3; connection++)
        {
            nodes.get(0).ok("sub " + connection + " " + roomA);
        }
        nodes.get(1).ok("sub 11 " + roomA);
        nodes.get(1).ok("sub 12 " + roomA);
        nodes.get(1).ok("sub 12 " + roomB);
        nodes.get(2).ok("sub 21 " + roomB);
        nodes.get(2).ok("sub 22 " + roomB);
        nodes.get(2).ok("unsub 22 " + roomB);
        final long subscribedNs = System.nanoTime();

        awaitTrue("counts visible on every node", () -> nodes.stream().allMatch(
            (node) -> "5 2".equals(node.ok("counts " + rooms))), nodes);
        final long visibleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - subscribedNs);
        assertTrue(visibleMs < 5_000, "counts took " + visibleMs + " ms to be visible everywhere");

        final Map<String, String> expectedOwnerCounts = Map.of(
            nodes.get(0).id, "3 0", nodes.get(1).id, "2 1", nodes.get(2).id, "0 1");
        awaitConvergence(nodes, rooms, expectedOwnerCounts);

        // A disconnect removes every subscription of the connection, everywhere.
        nodes.get(1).ok("disconnect 12");
        awaitTrue("disconnect visible on every node", () -> nodes.stream().allMatch(
            (node) -> "4 1".equals(node.ok("counts " + rooms))), nodes);
        awaitConvergence(nodes, rooms, Map.of(
            nodes.get(0).id, "3 0", nodes.get(1).id, "1 0", nodes.get(2).id, "0 1"));
        assertNoFault(nodes);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNotificationReachesExactlyTheNodesWithSubscribers() throws Exception
    {
        final List<NodeProcess> nodes = startTrio();
        final NodeProcess publisher = nodes.get(0);
        final NodeProcess subscriber = nodes.get(1);
        final NodeProcess bystander = nodes.get(2);
        final String room = publisher.ok("create index coll routed");
        final String otherRoom = publisher.ok("create index coll elsewhere");
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " knows the rooms", () -> "true".equals(node.ok("hasroom " + room)) &&
                "true".equals(node.ok("hasroom " + otherRoom)), nodes);
        }
        publisher.ok("sub 1 " + room);
        subscriber.ok("sub 2 " + room);
        subscriber.ok("sub 3 " + room);
        bystander.ok("sub 4 " + otherRoom); // a subscriber, but of another room
        awaitTrue("counts visible on every node", () -> nodes.stream().allMatch(
            (node) -> "3 1".equals(node.ok("counts " + room + "," + otherRoom))), nodes);

        final long publisherId = ScriptedNodeMain.parseId(publisher.id);
        final Map<Long, Long> subscriberBefore = directedSequences(subscriber);
        final Map<Long, Long> bystanderBefore = directedSequences(bystander);

        final int count = 5;
        for (int i = 0; i < count; i++)
        {
            publisher.ok("publish " + room + " hello-" + i);
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            expected.add("NOTIFY " + room + " hello-" + i);
        }
        awaitTrue("every notification delivered to the subscriber node",
            () -> subscriber.events("NOTIFY").size() >= count, nodes);
        awaitTrue("every notification delivered locally on the publisher",
            () -> publisher.events("NOTIFY").size() >= count, nodes);
        Thread.sleep(500); // let anything misrouted or duplicated arrive
        assertEquals(expected, subscriber.events("NOTIFY"), "subscriber node: each once, in order");
        assertEquals(expected, publisher.events("NOTIFY"), "publisher node's local subscriber: each once, in order");
        assertEquals(List.of(), bystander.events("NOTIFY"), "a node without subscribers hears nothing");

        // On the wire: the publisher's directed stream to the subscriber moved by exactly the count, and no
        // notification was sent to the bystander at all (not merely filtered on arrival).
        final Map<Long, Long> subscriberAfter = directedSequences(subscriber);
        final Map<Long, Long> bystanderAfter = directedSequences(bystander);
        assertEquals(count, subscriberAfter.get(publisherId) - directedBase(subscriberBefore.get(publisherId)),
            "directed sequence from the publisher on the subscriber: " + subscriberBefore + " -> " + subscriberAfter);
        assertEquals(bystanderBefore.get(publisherId), bystanderAfter.get(publisherId),
            "directed sequence from the publisher on the bystander: " + bystanderBefore + " -> " + bystanderAfter);

        // Published by a node without subscribers of its own: routed to the two nodes that have them.
        bystander.ok("publish " + room + " from-bystander");
        awaitTrue("bystander's notification reaches both subscriber nodes", () ->
            subscriber.events("NOTIFY").contains("NOTIFY " + room + " from-bystander") &&
            publisher.events("NOTIFY").contains("NOTIFY " + room + " from-bystander"), nodes);
        assertEquals(List.of(), bystander.events("NOTIFY"), "no local subscriber on the bystander: not delivered");

        // Every node routes to every other: a directed stream must open whichever came first at the publisher,
        // the subscriber's subscription or its membership (a joiner hears the accepting member's subscription
        // before the join response at times).
        final String everyone = publisher.ok("create index coll everyone");
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " knows the room", () -> "true".equals(node.ok("hasroom " + everyone)), nodes);
        }
        for (int i = 0; i < nodes.size(); i++)
        {
            nodes.get(i).ok("sub " + (100 + i) + " " + everyone);
        }
        awaitTrue("counts visible on every node", () -> nodes.stream().allMatch(
            (node) -> "3".equals(node.ok("count " + everyone))), nodes);
        for (final NodeProcess node : nodes)
        {
            node.ok("publish " + everyone + " all-from-" + node.id);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> missing;
        do
        {
            Thread.sleep(50);
            missing = new ArrayList<>();
            for (final NodeProcess receiver : nodes)
            {
                for (final NodeProcess sender : nodes)
                {
                    if (!receiver.events("NOTIFY").contains("NOTIFY " + everyone + " all-from-" + sender.id))
                    {
                        missing.add(sender.name + " -> " + receiver.name);
                    }
                }
            }
        }
        while (!missing.isEmpty() && System.nanoTime() < deadline);
        if (!missing.isEmpty())
        {
            final StringBuilder message = new StringBuilder("notifications never delivered: " + missing);
            nodes.forEach((node) -> message.append('\n').append(node.tail()));
            throw new AssertionError(message.toString());
        }
        for (final NodeProcess node : nodes)
        {
            assertEquals(3, node.events("NOTIFY " + everyone).size(), node + " heard each once: " +
                node.events("NOTIFY " + everyone));
        }
        assertNoFault(nodes);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aFourthNodeJoiningUnderChurnEndsWithExactlyTheSameReplicatedState() throws Exception
    {
        final List<NodeProcess> trio = startTrio();
        final List<String> roomList = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            roomList.add(trio.get(i % 3).ok("create churn coll room-" + i));
        }
        final String rooms = String.join(",", roomList);
        for (final NodeProcess node : trio)
        {
            awaitTrue(node + " knows every room", () -> roomList.stream().allMatch(
                (room) -> "true".equals(node.ok("hasroom " + room))), trio);
        }
        for (int i = 0; i < 3; i++)
        {
            trio.get(i).ok("churn start " + (42 + i) + " " + (i + 1) * 1_000_000 + " 300 4 " + rooms);
        }
        Thread.sleep(1_000);

        final int[] ports = freePorts(2);
        final NodeProcess fourth = startScripted("node3", ports[0], ports[1], seedsOf(trio));
        final List<NodeProcess> nodes = new ArrayList<>(trio);
        nodes.add(fourth);
        fourth.awaitLaunched();
        fourth.ok("await RUNNING " + JOIN_BOUND_MS);
        Thread.sleep(1_000); // more churn, now replicated to the fourth node as it happens

        final Map<String, Map<String, Long>> expectedByOwner = new LinkedHashMap<>();
        for (final NodeProcess node : trio)
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
                modelCounts.put(pair.substring(0, pair.indexOf(':')),
                    Long.parseLong(pair.substring(pair.indexOf(':') + 1)));
            }
            final Map<String, Long> expected = new LinkedHashMap<>();
            roomList.forEach((room) -> expected.put(room, modelCounts.get(room)));
            expectedByOwner.put(node.id, expected);
        }
        // The joiner's own rows replicate to the others too.
        fourth.ok("sub 77 " + roomList.get(0));
        fourth.ok("sub 78 " + roomList.get(0));
        fourth.ok("sub 78 " + roomList.get(5));
        final Map<String, Long> fourthExpected = new LinkedHashMap<>();
        roomList.forEach((room) -> fourthExpected.put(room, 0L));
        fourthExpected.put(roomList.get(0), 2L);
        fourthExpected.put(roomList.get(5), 1L);
        expectedByOwner.put(fourth.id, fourthExpected);

        final Map<String, String> expectedOwnerCounts = new HashMap<>();
        expectedByOwner.forEach((owner, counts) -> expectedOwnerCounts.put(owner,
            counts.values().stream().map(String::valueOf).collect(Collectors.joining(" "))));
        awaitConvergence(nodes, rooms, expectedOwnerCounts);

        final long[] totals = new long[roomList.size()];
        expectedByOwner.values().forEach((counts) ->
        {
            int i = 0;
            for (final long count : counts.values())
            {
                totals[i++] += count;
            }
        });
        final String expectedTotals = Arrays.stream(totals).mapToObj(String::valueOf).collect(Collectors.joining(" "));
        for (final NodeProcess node : nodes)
        {
            assertEquals(expectedTotals, node.ok("counts " + rooms), node + " cluster-wide counts");
            assertEquals(3, node.ok("members").split(" ").length, node + " members");
            assertEquals("0", node.ok("refused"), node + " refused calls");
        }
        assertNoFault(nodes);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sigtermLeavesGracefullyAndTheLeaversRowsDisappearEverywhere() throws Exception
    {
        final List<NodeProcess> nodes = startTrio();
        final String room = nodes.get(0).ok("create index coll leave");
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " knows the room", () -> "true".equals(node.ok("hasroom " + room)), nodes);
        }
        for (int i = 0; i < 3; i++)
        {
            nodes.get(i).ok("sub " + (i + 1) + " " + room);
            nodes.get(i).ok("sub " + (i + 10) + " " + room);
        }
        awaitTrue("counts visible on every node", () -> nodes.stream().allMatch(
            (node) -> "6".equals(node.ok("count " + room))), nodes);

        final NodeProcess leaver = nodes.get(2);
        final List<NodeProcess> survivors = nodes.subList(0, 2);
        assertNotEquals(survivors.get(0).ok("digest " + leaver.id), survivors.get(0).ok("digest 0000000000000001"),
            "the leaver has rows before it leaves");
        final File leaverCounters = new File(countersDir(), "node-" + leaver.id + ".counters");
        assertTrue(leaverCounters.exists(), leaverCounters + " exists while the node runs");

        final long stopNs = System.nanoTime();
        leaver.sigterm();
        assertTrue(leaver.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), "leaver did not exit");
        assertEquals(0, leaver.process.exitValue(), "exit code after SIGTERM\n" + leaver.tail());
        leaver.awaitOutputEnd();
        assertTrue(leaver.events("STATE").contains("STATE RUNNING LEAVING"), "leaver announced: " + leaver.events(""));

        for (final NodeProcess survivor : survivors)
        {
            awaitTrue(survivor + " dropped the leaver", () ->
                survivor.ok("members").split(" ").length == 1 && "4".equals(survivor.ok("count " + room)), survivors);
            assertEquals("0", survivor.ok("ocount " + leaver.id + " " + room), survivor.toString());
            assertEquals(survivor.ok("digest 0000000000000001"), survivor.ok("digest " + leaver.id),
                survivor + ": the leaver's digest is that of an owner without rows");
            assertTrue(survivor.events("LEFT").contains("LEFT " + leaver.id), survivor + " heard the leave: " +
                survivor.events(""));
            assertFalse(survivor.events("EVICTED").stream().anyMatch((e) -> e.contains(leaver.id)),
                survivor + " evicted the leaver instead: " + survivor.events("EVICTED"));
        }
        final long removedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNs);
        assertTrue(removedMs < 5_000, "removal took " + removedMs + " ms: as slow as a timeout, not a leave");
        assertFalse(leaverCounters.exists(), leaverCounters + " deleted when the node closed");
        assertEquals(survivors.get(0).ok("digest " + survivors.get(1).id),
            survivors.get(1).ok("digest " + survivors.get(1).id), "survivors agree");
        assertEquals(survivors.get(1).ok("digest " + survivors.get(0).id),
            survivors.get(0).ok("digest " + survivors.get(0).id), "survivors agree");
        assertNoFault(survivors);
    }

    @Test
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void cohortMainAloneReachesRunningAndExitsZeroOnSigterm() throws Exception
    {
        final int[] ports = freePorts(2);
        final File properties = new File(tempDir, "node.properties");
        Files.writeString(properties.toPath(), String.join("\n",
            "# a node on its own",
            "cohort.node.id=0x9999",
            "cohort.cluster.seeds=",
            "cohort.bind.address=127.0.0.1",
            "cohort.advertised.host=127.0.0.1",
            "cohort.command.port=" + ports[0],
            "cohort.sync.port=" + ports[1],
            "cohort.counters.dir=" + countersDir().getPath(),
            "cohort.state.max.rooms=1024",
            "cohort.state.max.connections=1024",
            "cohort.state.max.overflow.subscriptions=1024",
            ""));
        // A system property wins over the file.
        final NodeProcess main = startProcess("main", CohortMain.class, List.of("-Dcohort.node.id=0x1234"),
            List.of(properties.getPath()));
        awaitTrue("log shows RUNNING", () -> main.log().contains("-> RUNNING"), List.of(main));
        assertTrue(main.log().contains("0000000000001234"), "node id from -D, not the file\n" + main.tail());
        assertTrue(new File(countersDir(), "node-0000000000001234.counters").exists(), "counters file");

        main.sigterm();
        assertTrue(main.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), "did not exit\n" + main.tail());
        assertEquals(0, main.process.exitValue(), "exit code after SIGTERM\n" + main.tail());
        assertTrue(main.log().contains("stopped"), main.tail());
        assertFalse(new File(countersDir(), "node-0000000000001234.counters").exists(), "counters file deleted");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cohortMainRegistersItsJmxViewAndExitsZeroOnAJmxLeave() throws Exception
    {
        final int[] ports = freePorts(3);
        final NodeProcess main = startProcess("main-jmx", CohortMain.class, List.of(
            "-Dcohort.node.id=0x5151", "-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.command.port=" + ports[0], "-Dcohort.sync.port=" + ports[1],
            "-Dcohort.counters.dir=" + countersDir().getPath(),
            "-Dcohort.state.max.rooms=1024", "-Dcohort.state.max.connections=1024",
            "-Dcohort.state.max.overflow.subscriptions=1024",
            "-Dcom.sun.management.jmxremote.port=" + ports[2], "-Dcom.sun.management.jmxremote.rmi.port=" + ports[2],
            "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
            "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"),
            List.of());
        awaitTrue("log shows RUNNING", () -> main.log().contains("-> RUNNING"), List.of(main));
        final File counters = new File(countersDir(), "node-0000000000005151.counters");
        assertTrue(counters.exists(), main.tail());

        final ObjectName name = new ObjectName("io.cohort:type=Node,id=0000000000005151");
        try (JMXConnector connector = JMXConnectorFactory.connect(
            new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + ports[2] + "/jmxrmi")))
        {
            final MBeanServerConnection server = connector.getMBeanServerConnection();
            assertEquals("RUNNING", server.getAttribute(name, "State"), main.tail());
            assertEquals(1, server.getAttribute(name, "MemberCount"));
            assertEquals(counters.getPath(), server.getAttribute(name, "CountersFile"));
            server.invoke(name, "leave", new Object[0], new String[0]);
        }
        catch (final RemoteException | UndeclaredThrowableException ex)
        {
            // The process may exit while answering the leave: its connection closes under the call.
        }
        assertTrue(main.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), "did not exit\n" + main.tail());
        assertEquals(0, main.process.exitValue(), "exit code after a JMX leave\n" + main.tail());
        assertTrue(main.log().contains("leave requested through JMX"), main.tail());
        assertTrue(main.log().contains("LEAVING -> CLOSED"), main.tail());
        assertFalse(counters.exists(), "counters file deleted: the node closed fully before the process exited");
    }

    @Test
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void cohortMainExitsZeroOnSigtermWhileStarting() throws Exception
    {
        final int[] ports = freePorts(2);
        // Default state capacities: creating the off-heap maps takes a while, and the SIGTERM lands in it.
        final NodeProcess main = startProcess("main-starting", CohortMain.class, List.of(
            "-Dcohort.node.id=0x5678", "-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.command.port=" + ports[0], "-Dcohort.sync.port=" + ports[1],
            "-Dcohort.counters.dir=" + countersDir().getPath()), List.of());
        final File counters = new File(countersDir(), "node-0000000000005678.counters");
        awaitTrue("launch begun (counters file created)", counters::exists, List.of(main));

        main.sigterm();
        assertTrue(main.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), "did not exit\n" + main.tail());
        final String log = main.log();
        assertEquals(0, main.process.exitValue(), "exit code after SIGTERM while starting\n" + log);
        assertFalse(log.lines().anyMatch((line) -> line.startsWith("cohort:")), "a stop is not an error\n" + log);
        assertFalse(log.contains("Exception in thread \"main\""), log);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cohortMainExitCodes() throws Exception
    {
        final int[] ports = freePorts(2);
        final List<String> common = List.of("-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.command.port=" + ports[0], "-Dcohort.sync.port=" + ports[1],
            "-Dcohort.counters.dir=" + countersDir().getPath());

        final List<String> badValue = new ArrayList<>(common);
        badValue.add("-Dcohort.heartbeat.interval=abc");
        assertExit(2, "cohort.heartbeat.interval=abc", startProcess("bad-value", CohortMain.class, badValue, List.of()));

        final List<String> badCombination = new ArrayList<>(common);
        badCombination.add("-Dcohort.heartbeat.interval=1s");
        badCombination.add("-Dcohort.heartbeat.timeout=1s");
        assertExit(2, "cohort.heartbeat.timeout=", startProcess("bad-combination", CohortMain.class, badCombination,
            List.of()));

        final List<String> misspelt = new ArrayList<>(common);
        misspelt.add("-Dcohort.cluster.seed=127.0.0.1:" + ports[0]);
        assertExit(2, "did you mean cohort.cluster.seeds?", startProcess("misspelt", CohortMain.class, misspelt,
            List.of()));

        final String missing = new File(tempDir, "missing.properties").getPath();
        assertExit(2, "missing.properties", startProcess("missing-file", CohortMain.class, common, List.of(missing)));

        assertExit(2, "usage", startProcess("two-args", CohortMain.class, common, List.of("a", "b")));

        final List<String> missingKeyFile = new ArrayList<>(common);
        missingKeyFile.add("-Dcohort.curve.key.file=" + new File(tempDir, "missing.keys").getPath());
        assertExit(2, "cohort.curve.key.file=", startProcess("missing-key-file", CohortMain.class, missingKeyFile,
            List.of()));

        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[0]));
            assertExit(1, String.valueOf(ports[0]), startProcess("port-in-use", CohortMain.class, common, List.of()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private void assertExit(final int expectedCode, final String mentioned, final NodeProcess process)
        throws InterruptedException
    {
        assertTrue(process.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), process + " did not exit");
        final String log = process.log();
        assertEquals(expectedCode, process.process.exitValue(), process + "\n" + log);
        final List<String> errors = log.lines().filter((line) -> line.startsWith("cohort:") || line.startsWith("usage:"))
            .collect(Collectors.toList());
        assertEquals(1, errors.size(), process + ": one error line\n" + log);
        assertTrue(errors.get(0).contains(mentioned), process + ": error names " + mentioned + "\n" + log);
        assertFalse(log.contains("\tat "), process + ": no stack trace\n" + log);
        assertFalse(log.contains("Exception in thread"), process + "\n" + log);
    }

    private List<NodeProcess> startTrio() throws Exception
    {
        final int[] ports = freePorts(6);
        final String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[2] + ",127.0.0.1:" + ports[4];
        final List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            nodes.add(startScripted("node" + i, ports[2 * i], ports[2 * i + 1], seeds));
        }
        for (final NodeProcess node : nodes)
        {
            node.awaitLaunched();
        }
        for (final NodeProcess node : nodes)
        {
            final String reply = node.call("await RUNNING " + JOIN_BOUND_MS);
            if (!reply.startsWith("OK"))
            {
                final StringBuilder message = new StringBuilder(node + " not RUNNING: " + reply);
                nodes.forEach((each) -> message.append('\n').append(each.tail()));
                throw new AssertionError(message.toString());
            }
        }
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " sees the two others", () -> node.ok("members").split(" ").length == 2, nodes);
        }
        return nodes;
    }

    private static String seedsOf(final List<NodeProcess> nodes)
    {
        return nodes.stream().map((node) -> "127.0.0.1:" + node.commandPort).collect(Collectors.joining(","));
    }

    private File countersDir()
    {
        return new File(tempDir, "counters");
    }

    private NodeProcess startScripted(final String name, final int commandPort, final int syncPort, final String seeds)
        throws IOException
    {
        final List<String> properties = List.of(
            "-Dcohort.cluster.seeds=" + seeds,
            "-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.advertised.host=127.0.0.1",
            "-Dcohort.command.port=" + commandPort,
            "-Dcohort.sync.port=" + syncPort,
            "-Dcohort.counters.dir=" + countersDir().getPath(),
            "-Dcohort.heartbeat.interval=100ms",
            "-Dcohort.heartbeat.timeout=5s",
            "-Dcohort.join.timeout=30s",
            "-Dcohort.state.max.rooms=1024",
            "-Dcohort.state.max.connections=4096",
            "-Dcohort.state.max.overflow.subscriptions=4096",
            "-Dcohort.state.max.nodes=8");
        final NodeProcess node = startProcess(name, ScriptedNodeMain.class, properties, List.of());
        node.commandPort = commandPort;
        return node;
    }

    private NodeProcess startProcess(
        final String name, final Class<?> mainClass, final List<String> properties, final List<String> args)
        throws IOException
    {
        final String root = System.getProperty("cohort.root");
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        if (null != root)
        {
            command.add("@" + root + File.separator + "jvm.options");
            if (Runtime.version().feature() >= 24)
            {
                command.add("@" + root + File.separator + "jvm-jdk24.options");
            }
        }
        // Small, quick-starting JVMs: up to five share this machine.
        command.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(childClassPath);
        command.addAll(properties);
        command.add(mainClass.getName());
        command.addAll(args);

        final File log = new File(tempDir, name + ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(log);
        if (ScriptedNodeMain.class != mainClass)
        {
            builder.redirectErrorStream(true).redirectOutput(log);
        }
        final NodeProcess process = new NodeProcess(name, builder.start(), log, ScriptedNodeMain.class == mainClass);
        processes.add(process);
        return process;
    }

    private static int[] freePorts(final int count) throws IOException
    {
        // Below the ephemeral range, so that no outgoing connection takes one between the check and the bind.
        final int[] ports = new int[count];
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            while (true)
            {
                final int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
                if (picked.contains(port))
                {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket())
                {
                    socket.setReuseAddress(false);
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException ex)
                {
                    continue;
                }
                picked.add(port);
                ports[i] = port;
                break;
            }
        }
        return ports;
    }

    private Map<Long, Long> directedSequences(final NodeProcess node)
    {
        return CountersSnapshot.nextDirectedSequences(countersDir(), ScriptedNodeMain.parseId(node.id));
    }

    /** Before the first notification the expected sequence is unknown (-1) or the first one. */
    private static long directedBase(final Long before)
    {
        return null == before || before < 0 ? io.cohort.transport.OutboundBatcher.FIRST_SEQUENCE : before;
    }

    /**
     * Waits until every node holds the expected rows of every owner (counts per room in {@code rooms} order) and
     * every owner's digest is the same on every node.
     */
    private static void awaitConvergence(
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

    private static void assertNoFault(final List<NodeProcess> nodes)
    {
        for (final NodeProcess node : nodes)
        {
            assertEquals(List.of(), node.events("EVICTED"), node + " evicted someone");
            assertEquals(List.of(), node.events("FAILED"), node.toString());
            assertEquals(List.of(), node.events("REFUSED"), node + " refused calls");
            assertFalse(node.events("STATE").stream().anyMatch((e) -> e.endsWith("EVICTED")), node + " was evicted");
            assertTrue(node.process.isAlive(), node + " is alive");
        }
    }

    private static void awaitTrue(final String what, final BooleanSupplier condition, final List<NodeProcess> nodes)
        throws InterruptedException
    {
        awaitTrue(what, condition, nodes, () -> "");
    }

    private static void awaitTrue(
        final String what,
        final BooleanSupplier condition,
        final List<NodeProcess> nodes,
        final java.util.function.Supplier<String> details)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                final StringBuilder message = new StringBuilder("timed out after " + BOUND_MS + " ms waiting for " +
                    what + "\n" + details.get());
                nodes.forEach((node) -> message.append("\n").append(node.tail()));
                throw new AssertionError(message.toString());
            }
            Thread.sleep(20);
        }
    }

    /**
     * One JVM: its stdin, its replies and events (scripted nodes), its log.
     */
    static final class NodeProcess implements AutoCloseable
    {
        final String name;
        final Process process;
        final File log;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final Writer stdin;
        final Thread reader;
        String id = "?";
        int commandPort;

        NodeProcess(final String name, final Process process, final File log, final boolean scripted)
        {
            this.name = name;
            this.process = process;
            this.log = log;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            reader = new Thread(() ->
            {
                if (!scripted)
                {
                    return;
                }
                try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while (null != (line = out.readLine()))
                    {
                        if (line.startsWith("R "))
                        {
                            replies.add(line.substring(2));
                        }
                        else if (line.startsWith("E "))
                        {
                            events.add(line.substring(2));
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // the process ended
                }
            }, name + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * SIGTERM, as {@link Process#destroy()} sends, but through the process handle: Process.destroy() also
         * closes our end of the pipes, and what the process writes while it stops would be lost.
         */
        void sigterm()
        {
            assertTrue(process.toHandle().destroy(), this + ": SIGTERM not sent");
        }

        void awaitOutputEnd() throws InterruptedException
        {
            reader.join(EXIT_BOUND_MS);
        }

        void awaitLaunched() throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_BOUND_MS);
            while (System.nanoTime() < deadline)
            {
                for (final String event : events)
                {
                    if (event.startsWith("LAUNCHED "))
                    {
                        id = event.split(" ")[1];
                        return;
                    }
                    if (event.startsWith("FAILED "))
                    {
                        throw new AssertionError(this + " failed to launch: " + event + "\n" + tail());
                    }
                }
                if (!process.isAlive())
                {
                    throw new AssertionError(this + " exited " + process.exitValue() + "\n" + tail());
                }
                Thread.sleep(10);
            }
            throw new AssertionError(this + " did not launch\n" + tail());
        }

        /**
         * Sends a command and returns its answer.
         *
         * @return the text after {@code OK}; fails on {@code ERR} or silence.
         */
        String ok(final String command)
        {
            final String reply = call(command);
            if (!reply.startsWith("OK"))
            {
                throw new AssertionError(this + ": '" + command + "' answered " + reply + "\n" + tail());
            }
            return reply.length() > 3 ? reply.substring(3) : "";
        }

        String call(final String command)
        {
            // An await answers by itself within its own bound; give it more than that.
            final long boundMs = command.startsWith("await ") ?
                Long.parseLong(command.substring(command.lastIndexOf(' ') + 1)) + BOUND_MS : BOUND_MS;
            try
            {
                stdin.write(command + "\n");
                stdin.flush();
                final String reply = replies.poll(boundMs, TimeUnit.MILLISECONDS);
                if (null == reply)
                {
                    throw new AssertionError(this + ": no answer to '" + command + "'\n" + tail());
                }
                return reply;
            }
            catch (final IOException ex)
            {
                throw new AssertionError(this + ": cannot send '" + command + "': " + ex + "\n" + tail(), ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(this + ": interrupted waiting for an answer to '" + command + "'\n" + tail(),
                    ex);
            }
        }

        List<String> events(final String prefix)
        {
            return events.stream().filter((event) -> event.startsWith(prefix)).collect(Collectors.toList());
        }

        String log()
        {
            try
            {
                return Files.readString(log.toPath());
            }
            catch (final IOException ex)
            {
                return "(no log: " + ex + ")";
            }
        }

        String tail()
        {
            final List<String> lines = log().lines().collect(Collectors.toList());
            return "--- " + this + " log (last 40 lines) ---\n" +
                String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        public void close()
        {
            try
            {
                stdin.close();
            }
            catch (final IOException ignore)
            {
                // already gone
            }
        }

        public String toString()
        {
            return name + "(pid " + process.pid() + ", id " + id + ")";
        }
    }
}
