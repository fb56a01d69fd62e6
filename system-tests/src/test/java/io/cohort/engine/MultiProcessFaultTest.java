package io.cohort.engine;

import io.cohort.node.CohortMain;
import io.cohort.test.FaultInjection;
import io.cohort.test.FreePorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.cohort.engine.NodeProcesses.BOUND_MS;
import static io.cohort.engine.NodeProcesses.EMPTY_OWNER;
import static io.cohort.engine.NodeProcesses.EXIT_BOUND_MS;
import static io.cohort.engine.NodeProcesses.assertNoFault;
import static io.cohort.engine.NodeProcesses.assertNotEvicted;
import static io.cohort.engine.NodeProcesses.awaitConvergence;
import static io.cohort.engine.NodeProcesses.awaitRoomsKnown;
import static io.cohort.engine.NodeProcesses.awaitRunning;
import static io.cohort.engine.NodeProcesses.awaitTrue;
import static io.cohort.engine.NodeProcesses.countsInOrder;
import static io.cohort.engine.NodeProcesses.createRooms;
import static io.cohort.engine.NodeProcesses.stopChurn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault rules of {@link FaultDetector} with real JVMs on 127.0.0.1 and the engine's default timing
 * ({@code cohort.heartbeat.interval=100ms}, {@code cohort.heartbeat.timeout=1s},
 * {@code cohort.suspicion.timeout=300ms}): a crashed node, a lossy receive path (lone accuser), a garbling sender
 * and a partition, the last three made by the test-only {@link FaultInjection} hooks, installed in the child by
 * the transport's class-name setting and started by a trigger file. The faulty node runs the standalone launcher
 * {@link CohortMain}, so that its exit code is the launcher's own ({@link StandaloneProcess#EXIT_EVICTED}); the others
 * are {@link ScriptedNodeMain} nodes, whose events and answers the test reads. Every process is started here and
 * ended here, by its own pid, after each test.
 */
@Tag("slow")
class MultiProcessFaultTest
{
    /** Generous, for a loaded machine; the target on a quiet one is 1.5 s (1 s timeout + 300 ms window). */
    private static final long KILL_EVICTION_BOUND_MS = 5_000;
    private static final int EXIT_EVICTED = StandaloneProcess.EXIT_EVICTED;

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNodeKilledUnderChurnIsEvictedByBothSurvivorsWhoseCopiesStayEqual() throws Exception
    {
        final List<NodeProcess> nodes = startCluster(List.of(
            scripted("alpha", 0xa1), scripted("bravo", 0xb2), scripted("charlie", 0xc3)), null);
        final List<NodeProcess> survivors = nodes.subList(0, 2);
        final NodeProcess victim = nodes.get(2);

        // Rooms from the survivors only, so that every room outlives the victim.
        final List<String> roomList = createRooms(survivors, nodes, "kill-", 6);
        final String rooms = String.join(",", roomList);
        for (int i = 0; i < 3; i++)
        {
            nodes.get(i).ok("churn start " + (7 + i) + " " + (i + 1) * 1_000_000 + " 200 2 " + rooms);
        }
        Thread.sleep(1_000);
        assertNoFault(nodes);
        assertNotEquals(survivors.get(0).ok("digest " + EMPTY_OWNER), survivors.get(0).ok("digest " + victim.id),
            "the victim has rows before the kill");

        final long killNs = System.nanoTime();
        assertTrue(victim.process.toHandle().destroyForcibly(), victim + ": SIGKILL not sent");
        final long[] evictedAfterMs = {-1, -1};
        final long pollDeadline = killNs + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while ((evictedAfterMs[0] < 0 || evictedAfterMs[1] < 0) && System.nanoTime() < pollDeadline)
        {
            for (int i = 0; i < 2; i++)
            {
                if (evictedAfterMs[i] < 0 && !survivors.get(i).events("EVICTED " + victim.id).isEmpty())
                {
                    evictedAfterMs[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
                }
            }
            Thread.sleep(1);
        }
        final long lastMs = Math.max(evictedAfterMs[0], evictedAfterMs[1]);
        System.out.println("MultiProcessFaultTest: kill -9 -> evicted on " + survivors.get(0).name + " after " +
            evictedAfterMs[0] + " ms, on " + survivors.get(1).name + " after " + evictedAfterMs[1] +
            " ms; last eviction " + lastMs + " ms after the kill (target <= 1500 ms on a quiet machine)");
        assertTrue(victim.process.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS), victim + " still alive");
        for (int i = 0; i < 2; i++)
        {
            assertTrue(evictedAfterMs[i] >= 0, survivors.get(i) + " never evicted the victim: " +
                survivors.get(i).events("") + "\n" + survivors.get(i).tail());
        }
        assertTrue(lastMs <= KILL_EVICTION_BOUND_MS, "evicted everywhere only " + lastMs + " ms after the kill");

        // Churn went on through the eviction; stop it and check both survivors hold the same, exact rows.
        final Map<String, String> expectedOwnerCounts = new LinkedHashMap<>();
        for (final NodeProcess survivor : survivors)
        {
            expectedOwnerCounts.put(survivor.id, countsInOrder(roomList, stopChurn(survivor)));
        }
        expectedOwnerCounts.put(victim.id, roomList.stream().map((room) -> "0").collect(Collectors.joining(" ")));
        awaitConvergence(survivors, rooms, expectedOwnerCounts);

        for (final NodeProcess survivor : survivors)
        {
            final NodeProcess other = survivors.get(0) == survivor ? survivors.get(1) : survivors.get(0);
            assertEquals("RUNNING", survivor.ok("state"), survivor.toString());
            assertEquals(other.id, survivor.ok("members"), survivor + " members");
            assertEquals(survivor.ok("digest " + EMPTY_OWNER), survivor.ok("digest " + victim.id),
                survivor + ": the victim's digest is that of an owner without rows");
            assertEquals(List.of("EVICTED " + victim.id + " SILENCE"), survivor.events("EVICTED"),
                survivor + " evicted the victim, for silence, once");
            assertFalse(survivor.events("LEFT").stream().anyMatch((e) -> e.contains(victim.id)), survivor.toString());
            assertNotEvicted(survivor);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLoneAccuserWithALossyReceivePathEvictsItselfAndTheAccusedStays() throws Exception
    {
        final File trigger = new File(processes.directory(), "trigger");
        final NodeSpec accuser = launcher("bravo", 0xb2, trigger, "-Dcohort.fault.drop.one.from=0xa1");
        final List<NodeProcess> nodes = startCluster(List.of(scripted("alpha", 0xa1), accuser,
            scripted("charlie", 0xc3)), trigger);
        final NodeProcess accused = nodes.get(0);
        final NodeProcess lossy = nodes.get(1);
        final NodeProcess bystander = nodes.get(2);
        final List<NodeProcess> healthy = List.of(accused, bystander);
        final String room = rowsOnHealthyNodes(nodes, healthy);
        // A fault counts against an owner only once every member had a heartbeat timeout (1 s by default) to sync
        // it: before, the lone replica that saw it may be the only one able to (a member let in a moment ago), and
        // the one dropped frame would be forgiven once retaken. The frame is dropped after that.
        Thread.sleep(1_200);

        Files.createFile(trigger.toPath());
        final long triggeredNs = System.nanoTime();
        assertExitEvicted(lossy);
        final String log = lossy.log();
        assertTrue(log.contains("TEST FAULT: dropped one frame from " + accused.id), lossy + " dropped nothing\n" +
            lossy.tail());
        assertTrue(log.contains("distrusts its copy of " + accused.id), lossy + " reported no one\n" + lossy.tail());
        assertTrue(log.contains("(FALSE_ACCUSATION)"), lossy + " was not removed as a lone accuser\n" +
            lossy.tail());

        awaitDropped(healthy, lossy);
        System.out.println("MultiProcessFaultTest: lone accuser " + lossy.name + " exited " +
            EXIT_EVICTED + " and was dropped everywhere " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggeredNs) + " ms after the trigger; " +
            accused.name + ": " + accused.events("EVICTED") + ", " + bystander.name + ": " +
            bystander.events("EVICTED"));
        assertHealthyPair(healthy, lossy, room);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aGarblingSenderIsEvictedByTheOthersAndExitsWithTheEvictionCode() throws Exception
    {
        final File trigger = new File(processes.directory(), "trigger");
        final NodeSpec garbler = launcher("alpha", 0xa1, trigger, "-Dcohort.fault.corrupt.outgoing=true");
        final List<NodeProcess> nodes = startCluster(List.of(garbler, scripted("bravo", 0xb2),
            scripted("charlie", 0xc3)), trigger);
        final NodeProcess sender = nodes.get(0);
        final List<NodeProcess> healthy = nodes.subList(1, 3);
        final String room = rowsOnHealthyNodes(nodes, healthy);

        Files.createFile(trigger.toPath());
        final long triggeredNs = System.nanoTime();
        assertExitEvicted(sender);
        awaitDropped(healthy, sender);
        System.out.println("MultiProcessFaultTest: garbling sender " + sender.name + " exited " + EXIT_EVICTED +
            " and was evicted everywhere " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggeredNs) +
            " ms after the trigger; " + healthy.get(0).name + ": " + healthy.get(0).events("EVICTED") + ", " +
            healthy.get(1).name + ": " + healthy.get(1).events("EVICTED"));
        final String log = sender.log();
        assertFalse(log.contains("evicts itself"), sender + " was to be evicted by the others, not by itself\n" +
            sender.tail());
        assertTrue(log.contains("evicted by view "), sender + " never heard of its eviction\n" + sender.tail());
        for (final NodeProcess node : healthy)
        {
            final List<String> evictions = node.events("EVICTED");
            assertEquals(1, evictions.size(), node + ": " + evictions);
            assertFalse(evictions.get(0).endsWith(" SILENCE"), node + " saw silence, not a garbled stream: " +
                evictions);
        }
        assertHealthyPair(healthy, sender, room);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aPartitionTwoAgainstThreeStopsTheMinorityAndTheMajorityKeepsRunning() throws Exception
    {
        final File trigger = new File(processes.directory(), "trigger");
        final String majorityIds = "0xa1,0xb2,0xc3";
        final String minorityIds = "0xd4,0xe5";
        final List<NodeSpec> specs = new ArrayList<>();
        for (final NodeSpec spec : List.of(scripted("alpha", 0xa1), scripted("bravo", 0xb2),
            scripted("charlie", 0xc3)))
        {
            specs.add(spec.with(trigger, "-Dcohort.fault.drop.from=" + minorityIds));
        }
        specs.add(launcher("delta", 0xd4, trigger, "-Dcohort.fault.drop.from=" + majorityIds));
        specs.add(launcher("echo", 0xe5, trigger, "-Dcohort.fault.drop.from=" + majorityIds));
        final List<NodeProcess> nodes = startCluster(specs, trigger);
        final List<NodeProcess> majority = nodes.subList(0, 3);
        final List<NodeProcess> minority = nodes.subList(3, 5);

        Files.createFile(trigger.toPath());
        final long triggeredNs = System.nanoTime();
        for (final NodeProcess node : minority)
        {
            assertExitEvicted(node);
            // Its lease runs out first (it stops serving), then the majority's view removes it, or it leaves after a
            // heartbeat timeout and a suspicion window without quorum, whichever reaches it first.
            assertTrue(node.log().contains("-> NO_QUORUM"), node + " never lost its quorum\n" + node.tail());
            assertTrue(node.log().contains("evicted by view ") || node.log().contains("evicts itself (PARTITION)"),
                node + " did not leave as the losing side of a partition\n" + node.tail());
        }
        final long minorityExitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggeredNs);
        for (final NodeProcess node : minority)
        {
            awaitDropped(majority, node);
        }
        System.out.println("MultiProcessFaultTest: partition 2|3: the minority exited " + EXIT_EVICTED +
            " within " + minorityExitMs + " ms of the trigger and was dropped by the majority within " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - triggeredNs) + " ms");
        for (final NodeProcess node : majority)
        {
            final Set<String> expected = majority.stream().filter((other) -> other != node).map((other) -> other.id)
                .collect(Collectors.toSet());
            assertEquals(expected, Set.of(node.ok("members").split(" ")), node + " members");
            assertEquals("RUNNING", node.ok("state"), node.toString());
            assertEquals(Set.of("EVICTED " + minority.get(0).id + " SILENCE", "EVICTED " + minority.get(1).id +
                " SILENCE"), Set.copyOf(node.events("EVICTED")), node + " evicted the minority, for silence");
            assertNotEvicted(node);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * A node to start: a {@link ScriptedNodeMain} or a {@link CohortMain}, with an explicit node id and any extra
     * system properties (the fault hook's).
     */
    private static final class NodeSpec
    {
        final String name;
        final long nodeId;
        final Class<?> mainClass;
        final List<String> extraProperties;

        NodeSpec(final String name, final long nodeId, final Class<?> mainClass, final List<String> extraProperties)
        {
            this.name = name;
            this.nodeId = nodeId;
            this.mainClass = mainClass;
            this.extraProperties = extraProperties;
        }

        NodeSpec with(final File trigger, final String... faults)
        {
            final List<String> properties = new ArrayList<>(extraProperties);
            properties.addAll(FaultInjection.childProperties(trigger, List.of(faults)));
            return new NodeSpec(name, nodeId, mainClass, properties);
        }
    }

    private static NodeSpec scripted(final String name, final long nodeId)
    {
        return new NodeSpec(name, nodeId, ScriptedNodeMain.class, List.of());
    }

    private static NodeSpec launcher(final String name, final long nodeId, final File trigger, final String... faults)
    {
        return new NodeSpec(name, nodeId, CohortMain.class, List.of()).with(trigger, faults);
    }

    /**
     * Starts the nodes, all seeded with every node's command port, and waits until every node has synced every
     * other (a fault before that would only restart a sync).
     */
    private List<NodeProcess> startCluster(final List<NodeSpec> specs, final File trigger) throws Exception
    {
        assertTrue(null == trigger || !trigger.exists(), "trigger must not exist before the cluster runs");
        final int[] ports = FreePorts.loopback(2 * specs.size());
        final List<String> seedList = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++)
        {
            seedList.add("127.0.0.1:" + ports[2 * i]);
        }
        final String seeds = String.join(",", seedList);
        final List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++)
        {
            nodes.add(startNode(specs.get(i), ports[2 * i], ports[2 * i + 1], seeds));
        }
        for (final NodeProcess node : nodes)
        {
            if (node.isScripted())
            {
                final String expectedId = node.id;
                node.awaitLaunched();
                assertEquals(expectedId, node.id, node.toString());
            }
        }
        awaitRunning(nodes);
        for (final NodeProcess node : nodes)
        {
            if (!node.isScripted())
            {
                awaitTrue(node + " RUNNING", () -> node.log().contains("-> RUNNING"), nodes);
            }
        }
        for (final NodeProcess node : nodes)
        {
            for (final NodeProcess other : nodes)
            {
                if (other == node)
                {
                    continue;
                }
                if (node.isScripted())
                {
                    awaitTrue(node + " synced " + other, () -> node.events("JOINED " + other.id).size() > 0, nodes);
                }
                else
                {
                    awaitTrue(node + " synced " + other, () -> node.log().contains("synced member " + other.id + "/"),
                        nodes);
                }
            }
        }
        return nodes;
    }

    private NodeProcess startNode(final NodeSpec spec, final int commandPort, final int syncPort, final String seeds)
    {
        // The fault timing is the engine's default; only joining gets room for a loaded machine.
        final List<String> properties = processes.nodeProperties(seeds, commandPort, syncPort);
        properties.add("-Dcohort.node.id=0x" + Long.toHexString(spec.nodeId));
        properties.addAll(spec.extraProperties);
        final NodeProcess node = processes.start(spec.name, spec.mainClass, properties, List.of());
        node.commandPort = commandPort;
        node.id = ScriptedNodeMain.hex(spec.nodeId);
        return node;
    }

    /**
     * A room with rows of both healthy nodes, visible everywhere before the fault: what must survive it.
     */
    private static String rowsOnHealthyNodes(final List<NodeProcess> nodes, final List<NodeProcess> healthy)
        throws InterruptedException
    {
        final String room = healthy.get(0).ok("create index coll fault");
        awaitRoomsKnown(healthy, List.of(room));
        healthy.get(0).ok("sub 1 " + room);
        healthy.get(0).ok("sub 2 " + room);
        healthy.get(1).ok("sub 3 " + room);
        for (final NodeProcess node : healthy)
        {
            awaitTrue(node + " counts every row", () -> "3".equals(node.ok("count " + room)), nodes);
        }
        return room;
    }

    /**
     * The faulty node's process ends by itself, with the launcher's eviction code.
     */
    private static void assertExitEvicted(final NodeProcess node) throws InterruptedException
    {
        assertTrue(node.process.waitFor(BOUND_MS, TimeUnit.MILLISECONDS), node + " did not exit\n" + node.tail());
        assertEquals(EXIT_EVICTED, node.process.exitValue(), node + " exit code\n" + node.tail());
        assertTrue(node.log().contains("evicted: halting"), node + " halted for another reason\n" + node.tail());
    }

    /**
     * Every node of {@code nodes} evicted {@code gone}.
     */
    private static void awaitDropped(final List<NodeProcess> nodes, final NodeProcess gone) throws InterruptedException
    {
        for (final NodeProcess node : nodes)
        {
            awaitTrue(node + " evicted " + gone, () -> !node.events("EVICTED " + gone.id).isEmpty() &&
                !node.ok("members").contains(gone.id), nodes);
        }
    }

    /**
     * The two healthy nodes run on, with each other as members, no eviction but that of the faulty node, the
     * same rows of each other and none of the faulty node.
     */
    private static void assertHealthyPair(final List<NodeProcess> healthy, final NodeProcess faulty, final String room)
        throws InterruptedException
    {
        final Map<String, String> expectedOwnerCounts = new LinkedHashMap<>();
        expectedOwnerCounts.put(healthy.get(0).id, "2");
        expectedOwnerCounts.put(healthy.get(1).id, "1");
        expectedOwnerCounts.put(faulty.id, "0");
        awaitConvergence(healthy, room, expectedOwnerCounts);
        for (final NodeProcess node : healthy)
        {
            final NodeProcess other = healthy.get(0) == node ? healthy.get(1) : healthy.get(0);
            assertEquals("RUNNING", node.ok("state"), node.toString());
            assertEquals(other.id, node.ok("members"), node + " members");
            assertEquals("3", node.ok("count " + room), node.toString());
            assertEquals(1, node.events("EVICTED").size(), node + " evicted only the faulty node: " +
                node.events("EVICTED"));
            assertNotEvicted(node);
        }
    }
}
