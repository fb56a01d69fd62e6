package io.cohort.engine;

import io.cohort.test.FreePorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cohort.engine.NodeProcesses.assertNotEvicted;
import static io.cohort.engine.NodeProcesses.awaitConvergence;
import static io.cohort.engine.NodeProcesses.awaitRunning;
import static io.cohort.engine.NodeProcesses.awaitTrue;
import static io.cohort.engine.NodeProcesses.countsInOrder;
import static io.cohort.engine.NodeProcesses.createRooms;
import static io.cohort.engine.NodeProcesses.stopChurn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One receiver starved while two owners churn, with real JVMs on 127.0.0.1 and the engine's default timing (issue
 * 14): first stopped (SIGSTOP) for less than the heartbeat timeout, then, for several seconds, running a third of
 * the time, so that it builds a real backlog. The slow node may fall behind, be untethered, even leave; the healthy
 * owners are never evicted, never lose their quorum, and end with every row of each other exactly; a starved node
 * that stays a member ends exact too. Every process is started here and ended here, by its own pid.
 */
@Tag("slow")
class StarvedReceiverTest
{
    /** Under the default heartbeat timeout of 1 s. */
    private static final long STOP_MS = 600;
    private static final long STARVE_MS = 8_000;
    private static final long STARVE_STOPPED_MS = 400;
    private static final long STARVE_RUNNING_MS = 200;
    private static final long FROZEN_UNDER_LOAD_MS = 20_000;

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReceiverStoppedShortOfTheTimeoutThenStarvedGetsNoHealthyNodeEvicted() throws Exception
    {
        final List<NodeProcess> nodes = startTrio(List.of());
        final NodeProcess alpha = nodes.get(0);
        final NodeProcess bravo = nodes.get(1);
        final NodeProcess starved = nodes.get(2);
        final List<NodeProcess> healthy = List.of(alpha, bravo);
        final List<String> roomList = churnRooms(nodes, "starve-", 8, 300, 7);
        final String rooms = String.join(",", roomList);
        // What happened while the cluster formed (a founder is NO_QUORUM until the first echo) is not the test's.
        final Map<NodeProcess, Integer> statesBefore = new LinkedHashMap<>();
        healthy.forEach((node) -> statesBefore.put(node, node.events("STATE").size()));

        signal("STOP", starved);
        Thread.sleep(STOP_MS);
        signal("CONT", starved);
        Thread.sleep(2_000);

        final long starveEndNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARVE_MS);
        int rounds = 0;
        while (System.nanoTime() < starveEndNs)
        {
            signal("STOP", starved);
            Thread.sleep(STARVE_STOPPED_MS);
            signal("CONT", starved);
            Thread.sleep(STARVE_RUNNING_MS);
            rounds++;
        }
        Thread.sleep(2_000);

        final Map<String, String> expectedOwnerCounts = new LinkedHashMap<>();
        final Map<String, String> churnStats = new LinkedHashMap<>();
        for (final NodeProcess owner : healthy)
        {
            expectedOwnerCounts.put(owner.id, countsInOrder(roomList, stopChurn(owner)));
        }
        final boolean starvedStayed = !starved.ok("state").startsWith("EVICTED") &&
            starved.events("EVICTED " + starved.id).isEmpty() && alpha.ok("members").contains(starved.id);
        awaitConvergence(starvedStayed ? nodes : healthy, rooms, expectedOwnerCounts);

        for (final NodeProcess node : healthy)
        {
            final NodeProcess other = alpha == node ? bravo : alpha;
            assertEquals("RUNNING", node.ok("state"), node.toString());
            assertTrue(node.ok("members").contains(other.id), node + " lost " + other);
            assertTrue(node.events("EVICTED " + other.id).isEmpty(), node + " evicted the healthy " + other);
            final List<String> states = node.events("STATE");
            final List<String> statesSince = states.subList(statesBefore.get(node), states.size());
            assertTrue(statesSince.isEmpty(), node + " changed state because another node was slow: " +
                statesSince + "\n" +
                around(node, "") + "\n" + around(other, "") + "\n" + around(starved, ""));
            assertNotEvicted(node);
            churnStats.put(node.id, node.ok("refused"));
        }
        System.out.println("StarvedReceiverTest: " + starved + " stopped " + STOP_MS + " ms, then starved for " +
            rounds + " rounds of " + STARVE_STOPPED_MS + " ms stopped / " + STARVE_RUNNING_MS + " ms running: " +
            (starvedStayed ? "stayed a member and converged" : "left (" + starved.ok("state") + ")") +
            "; healthy owners' refused calls " + churnStats);
    }

    /**
     * A node frozen for good under load (SIGSTOP, as a VM paused or a process hung in the kernel: its kernel keeps its
     * TCP connections open, so nothing tells the others' sockets it is gone) must not stop the others replicating to
     * each other. Its subscriber pipes in the owners' sync sockets fill up (high-water marks and kernel buffers
     * made small here so that they fill within a second or two); an XPUB with no-drop then refused every broadcast, to every
     * subscriber, for as long as the frozen process lived, so the healthy owners could no longer change their rows.
     * The frozen node is removed, and the healthy owners end with every row of each other exactly while it is still
     * frozen.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aReceiverFrozenForGoodDoesNotStopTheOthersReplicating() throws Exception
    {
        final List<NodeProcess> nodes = startTrio(List.of(
            "-Dcohort.transport.send.hwm=64",
            "-Dcohort.transport.receive.hwm=64",
            "-Dcohort.transport.receive.buffer=64k",
            "-Dcohort.flow.window.frames=16",
            // Room for every subscription the churn of 1,000 connections over 64 rooms makes.
            "-Dcohort.state.max.overflow.subscriptions=131072"));
        final NodeProcess alpha = nodes.get(0);
        final NodeProcess bravo = nodes.get(1);
        final NodeProcess frozen = nodes.get(2);
        final List<NodeProcess> healthy = List.of(alpha, bravo);
        final List<String> roomList = churnRooms(nodes, "frozen-", 64, 1_000, 17);
        final String rooms = String.join(",", roomList);

        signal("STOP", frozen);
        try
        {
            for (final NodeProcess node : healthy)
            {
                awaitTrue(node + " removes the frozen node", () -> !node.events("EVICTED " + frozen.id).isEmpty(),
                    healthy);
            }
            // Long enough, at this rate, for the frozen node's pipes in both owners' sockets to fill.
            Thread.sleep(FROZEN_UNDER_LOAD_MS);
            final Map<String, String> expectedOwnerCounts = new LinkedHashMap<>();
            for (final NodeProcess owner : healthy)
            {
                expectedOwnerCounts.put(owner.id, countsInOrder(roomList, stopChurn(owner)));
            }
            awaitConvergence(healthy, rooms, expectedOwnerCounts);
            for (final NodeProcess node : healthy)
            {
                assertEquals("RUNNING", node.ok("state"), node.toString());
                assertNotEvicted(node);
            }
            // And the owners still take changes while the frozen process lives.
            final String room = roomList.get(0);
            alpha.ok("sub 9000001 " + room);
            awaitTrue(bravo + " sees " + alpha + "'s change made after the freeze",
                () -> bravo.ok("ocounts " + alpha.id + " " + room).equals(
                    String.valueOf(Long.parseLong(expectedOwnerCounts.get(alpha.id).split(" ")[0]) + 1)), healthy);
        }
        finally
        {
            signal("CONT", frozen);
        }
    }

    /**
     * The two owners (the trio's first two nodes) create the rooms, then each churns them, 20 calls a millisecond
     * over its own connections, for a second before this returns.
     *
     * @return the rooms' ids, in order of creation.
     */
    private static List<String> churnRooms(
        final List<NodeProcess> nodes, final String prefix, final int roomCount, final int connections, final long seed)
        throws InterruptedException
    {
        final List<NodeProcess> owners = nodes.subList(0, 2);
        final List<String> roomList = createRooms(owners, nodes, prefix, roomCount);
        final String rooms = String.join(",", roomList);
        owners.get(0).ok("churn start " + seed + " 1000000 " + connections + " 20 " + rooms);
        owners.get(1).ok("churn start " + (seed + 1) + " 2000000 " + connections + " 20 " + rooms);
        Thread.sleep(1_000);
        return roomList;
    }

    /**
     * The lines of a node's log around the first that contains {@code marker} (the last lines if empty), for a
     * failure message: the logs are deleted with the test's directory.
     */
    private static String around(final NodeProcess node, final String marker)
    {
        final List<String> lines = node.log().lines().collect(java.util.stream.Collectors.toList());
        int at = lines.size() - 1;
        for (int i = 0; !marker.isEmpty() && i < lines.size(); i++)
        {
            if (lines.get(i).contains(marker))
            {
                at = i;
                break;
            }
        }
        return "--- " + node + " log around line " + at + " ---\n" +
            String.join("\n", lines.subList(Math.max(0, at - 25), Math.min(lines.size(), at + 10)));
    }

    private static void signal(final String signal, final NodeProcess node) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.process.pid()))
            .inheritIO().start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && 0 == kill.exitValue(), "kill -" + signal + " " + node);
    }

    private List<NodeProcess> startTrio(final List<String> extraProperties) throws Exception
    {
        final int[] ports = FreePorts.loopback(6);
        final String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[2] + ",127.0.0.1:" + ports[4];
        final List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            // The default timing: only the capacities of NodeProcesses.nodeProperties, and the test's own.
            final List<String> properties = processes.nodeProperties(seeds, ports[2 * i], ports[2 * i + 1]);
            properties.addAll(extraProperties);
            final NodeProcess node = processes.start(i < 2 ? "owner" + i : "starved", ScriptedNodeMain.class,
                properties, List.of());
            node.commandPort = ports[2 * i];
            nodes.add(node);
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
}
