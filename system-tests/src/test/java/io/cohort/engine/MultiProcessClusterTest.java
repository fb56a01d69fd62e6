package io.cohort.engine;

import io.cohort.node.CohortMain;
import io.cohort.test.CountersSnapshot;
import io.cohort.test.FreePorts;
import io.cohort.transport.CounterType;
import io.cohort.transport.OutboundBatcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.File;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.cohort.engine.NodeProcesses.EXIT_BOUND_MS;
import static io.cohort.engine.NodeProcesses.assertNoFault;
import static io.cohort.engine.NodeProcesses.awaitConvergence;
import static io.cohort.engine.NodeProcesses.awaitRoomsKnown;
import static io.cohort.engine.NodeProcesses.awaitRunning;
import static io.cohort.engine.NodeProcesses.awaitTrue;
import static io.cohort.engine.NodeProcesses.createRooms;
import static io.cohort.engine.NodeProcesses.stopChurn;
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
    private static final long JOIN_BOUND_MS = NodeProcesses.JOIN_BOUND_MS;

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

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
        awaitRoomsKnown(nodes, List.of(roomA, roomB));

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
        awaitRoomsKnown(nodes, List.of(room, otherRoom));
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
        awaitRoomsKnown(nodes, List.of(everyone));
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
        final List<String> roomList = createRooms(trio, trio, "room-", 8);
        final String rooms = String.join(",", roomList);
        for (int i = 0; i < 3; i++)
        {
            trio.get(i).ok("churn start " + (42 + i) + " " + (i + 1) * 1_000_000 + " 300 4 " + rooms);
        }
        Thread.sleep(1_000);

        final int[] ports = FreePorts.loopback(2);
        final NodeProcess fourth = startScripted("node3", ports[0], ports[1], seedsOf(trio));
        final List<NodeProcess> nodes = new ArrayList<>(trio);
        nodes.add(fourth);
        fourth.awaitLaunched();
        fourth.ok("await RUNNING " + JOIN_BOUND_MS);
        Thread.sleep(1_000); // more churn, now replicated to the fourth node as it happens

        final Map<String, Map<String, Long>> expectedByOwner = new LinkedHashMap<>();
        for (final NodeProcess node : trio)
        {
            final Map<String, Long> modelCounts = stopChurn(node);
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
        awaitRoomsKnown(nodes, List.of(room));
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
        final int[] ports = FreePorts.loopback(2);
        final File properties = new File(processes.directory(), "node.properties");
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
        final int[] ports = FreePorts.loopback(3);
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

        final ObjectName name = new ObjectName("io.cohort:type=Node,name=node-" + ports[0]);
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
        final int[] ports = FreePorts.loopback(2);
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
        final int[] ports = FreePorts.loopback(2);
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

        final String missing = new File(processes.directory(), "missing.properties").getPath();
        assertExit(2, "missing.properties", startProcess("missing-file", CohortMain.class, common, List.of(missing)));

        assertExit(2, "usage", startProcess("two-args", CohortMain.class, common, List.of("a", "b")));

        final List<String> missingKeyFile = new ArrayList<>(common);
        missingKeyFile.add("-Dcohort.curve.key.file=" + new File(processes.directory(), "missing.keys").getPath());
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
        final int[] ports = FreePorts.loopback(6);
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
        awaitRunning(nodes);
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
        return processes.countersDir();
    }

    private NodeProcess startScripted(final String name, final int commandPort, final int syncPort, final String seeds)
    {
        final List<String> properties = processes.nodeProperties(seeds, commandPort, syncPort);
        properties.add("-Dcohort.heartbeat.interval=100ms");
        properties.add("-Dcohort.heartbeat.timeout=5s");
        final NodeProcess node = startProcess(name, ScriptedNodeMain.class, properties, List.of());
        node.commandPort = commandPort;
        return node;
    }

    private NodeProcess startProcess(
        final String name, final Class<?> mainClass, final List<String> properties, final List<String> args)
    {
        return processes.start(name, mainClass, properties, args);
    }

    private Map<Long, Long> directedSequences(final NodeProcess node)
    {
        return CountersSnapshot.valuesByKey(countersDir(), ScriptedNodeMain.parseId(node.id),
            CounterType.PEER_EXPECTED_DIRECTED);
    }

    /** Before the first notification the expected sequence is unknown (-1) or the first one. */
    private static long directedBase(final Long before)
    {
        return null == before || before < 0 ? OutboundBatcher.FIRST_SEQUENCE : before;
    }
}
