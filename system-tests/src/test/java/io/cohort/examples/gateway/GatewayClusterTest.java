package io.cohort.examples.gateway;

import io.cohort.test.Await;
import io.cohort.test.ChildJvm;
import io.cohort.test.ClassPath;
import io.cohort.test.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gateway JVMs on 127.0.0.1 and real WebSocket clients on each: routing, exactly-once delivery, cluster-wide
 * counts, bad input, a client's close, and a gateway killed with kill -9. Every process is started here and ended
 * here, by its own pid.
 */
@Tag("slow")
class GatewayClusterTest
{
    // Generous: the machine that runs this may be shared, and three JVMs start Chronicle Map at once.
    private static final long BOUND_MS = 30_000;
    private static final long START_BOUND_MS = 90_000;
    /** How long a client must stay without a second copy (or any copy, for a non-subscriber) of a message. */
    private static final long QUIET_MS = 750;

    @TempDir
    File tempDir;

    private final List<GatewayProcess> gateways = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        clients.forEach(ChatClient::close);
        assertEquals(List.of(), ChildJvm.endAll(gateways.stream().map((gateway) -> gateway.jvm)
            .collect(Collectors.toList())), "gateway processes that did not die");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void messagesReachExactlyTheSubscribedClientsOnEveryGatewayAndSurviveAKilledGateway() throws Exception
    {
        final List<GatewayProcess> trio = startTrio();
        final List<ChatClient> control = new ArrayList<>();
        for (final GatewayProcess gateway : trio)
        {
            control.add(connect("control-" + gateway.name, gateway));
        }

        // gateway 0: alice in the lobby, bob only in another room; gateway 1: carol and dave in the lobby, erin
        // subscribes and leaves again; gateway 2: frank in the lobby, grace in no room.
        final ChatClient alice = connect("alice", trio.get(0));
        final ChatClient bob = connect("bob", trio.get(0));
        final ChatClient carol = connect("carol", trio.get(1));
        final ChatClient dave = connect("dave", trio.get(1));
        final ChatClient erin = connect("erin", trio.get(1));
        final ChatClient frank = connect("frank", trio.get(2));
        final ChatClient grace = connect("grace", trio.get(2));
        for (final ChatClient client : List.of(alice, carol, dave, erin, frank))
        {
            assertEquals("OK SUB lobby", client.call("SUB lobby"), client.name);
        }
        assertEquals("OK SUB news", bob.call("SUB news"));
        assertEquals("OK UNSUB lobby", erin.call("UNSUB lobby"));
        awaitCount(control, "lobby", 4);
        awaitCount(control, "news", 1);
        // Each gateway answers from its node's state: a room created through gateway 0 only is known on the others
        // (replicated), with its subscribers there and here; a client's rooms are the ones its node counts.
        awaitReply(control.get(0), "ROOM news", "ROOM news 1 1", trio);
        awaitReply(control.get(1), "ROOM news", "ROOM news 1 0", trio);
        awaitReply(control.get(2), "ROOM news", "ROOM news 1 0", trio);
        awaitReply(control.get(2), "ROOM lobby", "ROOM lobby 4 1", trio);
        awaitReply(bob, "ROOMS", "ROOMS news", trio);
        awaitReply(erin, "ROOMS", "ROOMS", trio);
        assertTrue(grace.call("ROOM nowhere").startsWith("ERR NO_ROOM "));

        // Bad input: an error frame each, nothing changes, the gateway keeps serving.
        assertTrue(erin.call("FOO lobby").startsWith("ERR BAD_COMMAND unknown command 'FOO'"));
        assertTrue(erin.call("SUB").startsWith("ERR BAD_COMMAND usage: SUB room"));
        assertTrue(erin.call("SUB bad/room").startsWith("ERR BAD_ROOM "));
        assertTrue(erin.call("PUB lobby").startsWith("ERR BAD_COMMAND usage: PUB room text"));
        assertTrue(erin.call("UNSUB " + "x".repeat(65)).startsWith("ERR BAD_ROOM "));
        assertTrue(erin.callBinary("SUB lobby".getBytes(StandardCharsets.UTF_8)).startsWith("ERR BAD_COMMAND "));
        assertEquals("STATUS RUNNING 3", erin.call("STATUS"));
        awaitCount(control, "lobby", 4);

        // Published through a client that is not in the room, on gateway 0.
        assertEquals("OK PUB lobby", bob.call("PUB lobby hello, every gateway"));
        final String first = "MSG lobby hello, every gateway";
        assertDeliveredExactlyOnce(first, List.of(alice, carol, dave, frank), List.of(bob, erin, grace));

        // A client's close is a disconnect: its subscription leaves the counts everywhere.
        dave.closeNormally();
        awaitCount(control, "lobby", 3);

        // kill -9 gateway 2: the others evict its node, and its subscriber (frank) leaves the counts.
        final GatewayProcess victim = trio.get(2);
        final long killNs = System.nanoTime();
        victim.kill();
        final List<ChatClient> survivingControl = control.subList(0, 2);
        awaitTrue("survivors see a cluster of 2", () -> survivingControl.stream().allMatch(
            (client) -> "STATUS RUNNING 2".equals(quietCall(client, "STATUS"))), trio);
        awaitCount(survivingControl, "lobby", 2);
        System.out.println("GatewayClusterTest: kill -9 -> lobby count 2 on both survivors after " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs) + " ms");

        // The remaining clients keep working: publish again, from gateway 1 this time.
        assertEquals("OK PUB lobby", carol.call("PUB lobby still here"));
        assertDeliveredExactlyOnce("MSG lobby still here", List.of(alice, carol), List.of(bob, erin));
        assertEquals(List.of(first, "MSG lobby still here"), alice.messages(), "alice: nothing else, in order");
        assertEquals("OK SUB lobby", bob.call("SUB lobby"));
        awaitCount(survivingControl, "lobby", 3);

        for (final GatewayProcess gateway : trio.subList(0, 2))
        {
            assertTrue(gateway.process.isAlive(), gateway + " is alive\n" + gateway.tail());
            final String log = gateway.log();
            assertFalse(log.contains("Exception in thread"), gateway + "\n" + log);
            // An evicted gateway node is relaunched in its process: alive is not enough, it must not have happened.
            assertFalse(log.contains("-> EVICTED") || log.contains("relaunching it as a new incarnation"),
                gateway + " was evicted\n" + log);
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void aMessageTypedInTheChatPageOfOneGatewayAppearsInThePagesOfTheOthersAndTheCountsAgree() throws Exception
    {
        final String chromium = HeadlessChromium.executable(new File(System.getProperty("cohort.root", ".")));
        final List<GatewayProcess> trio = startTrio();
        try (HeadlessChromium browser = HeadlessChromium.launch(chromium, tempDir))
        {
            // One page per gateway, each served by its gateway and talking to it.
            final List<HeadlessChromium.Tab> pages = new ArrayList<>();
            final List<String> nodes = new ArrayList<>();
            for (final GatewayProcess gateway : trio)
            {
                final HeadlessChromium.Tab page = browser.open("http://127.0.0.1:" + gateway.webSocketPort + "/");
                awaitPage(page, "document.getElementById('where').dataset.state", "RUNNING", trio);
                nodes.add(page.eval("document.getElementById('where').dataset.node"));
                pages.add(page);
            }
            assertEquals(3, nodes.stream().distinct().count(), "each page is on its own gateway's node: " + nodes);

            for (final HeadlessChromium.Tab page : pages)
            {
                page.eval("(document.getElementById('room').value = 'lobby', document.getElementById('join').click())");
            }
            for (final HeadlessChromium.Tab page : pages)
            {
                awaitPage(page, "document.querySelector('#rooms li[data-room=lobby]')?.dataset.count", "3", trio);
            }

            pages.get(0).eval("(document.getElementById('pub-text').value = 'hello from the first gateway', " +
                "document.getElementById('send').click())");
            for (final HeadlessChromium.Tab page : pages)
            {
                awaitPage(page, "document.getElementById('log').textContent" +
                    ".includes('[lobby] hello from the first gateway')", "true", trio);
            }

            // Leaving in one page shows in the others' counts.
            pages.get(2).eval("document.querySelector('#rooms li[data-room=lobby] button').click()");
            for (final HeadlessChromium.Tab page : pages.subList(0, 2))
            {
                awaitPage(page, "document.querySelector('#rooms li[data-room=lobby]')?.dataset.count", "2", trio);
            }
        }
    }

    private static void awaitPage(final HeadlessChromium.Tab page, final String expression, final String expected,
        final List<GatewayProcess> processes) throws Exception
    {
        final String[] last = new String[1];
        try
        {
            awaitTrue(expression + " == " + expected, () ->
            {
                try
                {
                    last[0] = page.eval(expression);
                }
                catch (final Exception ex)
                {
                    throw new AssertionError("the page did not answer " + expression, ex);
                }
                return expected.equals(last[0]);
            }, processes);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(expression + ": the page last showed " + last[0], ex);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void badSettingsAndABusyPortStopTheGatewayWithOneLineAndANonZeroExit() throws Exception
    {
        final int[] ports = FreePorts.loopback(3);
        final List<String> common = List.of(
            "-Dcohort.bind.address=127.0.0.1",
            "-Dcohort.command.port=" + ports[0],
            "-Dcohort.sync.port=" + ports[1],
            "-Dcohort.counters.dir=" + new File(tempDir, "counters").getPath());

        final List<String> badPort = new ArrayList<>(common);
        badPort.add("-Dgateway.port=80000");
        assertExit(GatewayMain.EXIT_USAGE, "gateway.port=80000", start("bad-port", ports, badPort, List.of()));

        final List<String> badDuration = new ArrayList<>(common);
        badDuration.add("-Dgateway.call.retry=soon");
        assertExit(GatewayMain.EXIT_USAGE, "gateway.call.retry=soon", start("bad-retry", ports, badDuration,
            List.of()));

        final List<String> badNodeSetting = new ArrayList<>(common);
        badNodeSetting.add("-Dcohort.heartbeat.interval=abc");
        assertExit(GatewayMain.EXIT_USAGE, "cohort.heartbeat.interval=abc", start("bad-node-setting", ports,
            badNodeSetting, List.of()));

        final String missing = new File(tempDir, "missing.properties").getPath();
        assertExit(GatewayMain.EXIT_USAGE, "missing.properties", start("missing-file", ports, common,
            List.of(missing)));

        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[2]));
            final List<String> busy = new ArrayList<>(common);
            busy.add("-Dgateway.port=" + ports[2]);
            assertExit(GatewayMain.EXIT_FAILED, "gateway.port=" + ports[2], start("port-in-use", ports, busy,
                List.of()));
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private List<GatewayProcess> startTrio() throws Exception
    {
        final int[] ports = FreePorts.loopback(9);
        final String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[3] + ",127.0.0.1:" + ports[6];
        final List<GatewayProcess> trio = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final int[] own = {ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]};
            trio.add(start("gateway" + i, own, List.of(
                "-Dcohort.cluster.seeds=" + seeds,
                "-Dcohort.bind.address=127.0.0.1",
                "-Dcohort.advertised.host=127.0.0.1",
                "-Dcohort.command.port=" + own[0],
                "-Dcohort.sync.port=" + own[1],
                "-Dcohort.counters.dir=" + new File(tempDir, "counters").getPath(),
                "-Dcohort.heartbeat.interval=100ms",
                // Three JVMs share two cores with the test: a stall of seconds must not look like a dead node.
                "-Dcohort.heartbeat.timeout=5s",
                "-Dcohort.join.timeout=30s",
                "-Dcohort.state.max.rooms=1024",
                "-Dcohort.state.max.connections=4096",
                "-Dcohort.state.max.overflow.subscriptions=4096",
                "-Dcohort.state.max.nodes=8",
                "-Dgateway.bind.address=127.0.0.1",
                "-Dgateway.port=" + own[2]), List.of()));
        }
        for (final GatewayProcess gateway : trio)
        {
            final ChatClient probe = awaitConnectable(gateway);
            awaitTrue(gateway + " sees a cluster of 3", () -> "STATUS RUNNING 3".equals(quietCall(probe, "STATUS")),
                trio);
        }
        return trio;
    }

    /**
     * Starts a gateway JVM ({@link GatewayMain}), small and quick to start: three share a 2-core machine with the
     * test.
     */
    private GatewayProcess start(final String name, final int[] ports, final List<String> properties,
        final List<String> args)
    {
        final ChildJvm jvm = ChildJvm.builder(name, GatewayMain.class).small("256m").classPath(ClassPath.frozenCopy())
            .properties(properties).args(args).log(new File(tempDir, name + ".log")).start();
        final GatewayProcess gateway = new GatewayProcess(jvm, ports[ports.length - 1]);
        gateways.add(gateway);
        return gateway;
    }

    /**
     * A gateway JVM and the port its WebSocket clients connect to.
     */
    private static final class GatewayProcess
    {
        final ChildJvm jvm;
        final Process process;
        final String name;
        final int webSocketPort;

        GatewayProcess(final ChildJvm jvm, final int webSocketPort)
        {
            this.jvm = jvm;
            this.process = jvm.process();
            this.name = jvm.name();
            this.webSocketPort = webSocketPort;
        }

        void kill() throws InterruptedException
        {
            jvm.kill();
        }

        String log()
        {
            return jvm.log();
        }

        String tail()
        {
            return jvm.tail();
        }

        public String toString()
        {
            return name + "(pid " + process.pid() + ", ws port " + webSocketPort + ")";
        }
    }

    private ChatClient awaitConnectable(final GatewayProcess gateway) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MS);
        while (true)
        {
            if (!gateway.process.isAlive())
            {
                throw new AssertionError(gateway + " exited " + gateway.process.exitValue() + "\n" + gateway.tail());
            }
            try
            {
                return connect("probe-" + gateway.name, gateway);
            }
            catch (final RuntimeException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError(gateway + " accepts no client: " + ex + "\n" + gateway.tail(), ex);
                }
                Thread.sleep(100);
            }
        }
    }

    private ChatClient connect(final String name, final GatewayProcess gateway)
    {
        final ChatClient client = ChatClient.connect(name, gateway.webSocketPort, 5_000);
        clients.add(client);
        return client;
    }

    private void assertDeliveredExactlyOnce(
        final String message, final List<ChatClient> subscribers, final List<ChatClient> others)
        throws InterruptedException
    {
        awaitTrue("'" + message + "' delivered to " + subscribers, () -> subscribers.stream().allMatch(
            (client) -> client.messages().contains(message)), gateways);
        // Long enough for a duplicate, or a copy to a client outside the room, to show up.
        Thread.sleep(QUIET_MS);
        for (final ChatClient client : subscribers)
        {
            assertEquals(1, client.messages().stream().filter(message::equals).count(),
                client + " got it exactly once: " + client.messages());
        }
        for (final ChatClient client : others)
        {
            assertFalse(client.messages().contains(message), client + " is not subscribed: " + client.messages());
        }
    }

    private void awaitCount(final List<ChatClient> control, final String room, final long expected)
        throws InterruptedException
    {
        final String answer = "COUNT " + room + " " + expected;
        awaitTrue(answer + " on " + control, () -> control.stream().allMatch(
            (client) -> answer.equals(quietCall(client, "COUNT " + room))), gateways);
    }

    private static void awaitReply(final ChatClient client, final String command, final String expected,
        final List<GatewayProcess> processes) throws InterruptedException
    {
        awaitTrue(client + ": " + command + " -> " + expected, () -> expected.equals(quietCall(client, command)),
            processes);
    }

    private static String quietCall(final ChatClient client, final String command)
    {
        try
        {
            return client.call(command);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static void awaitTrue(
        final String what, final BooleanSupplier condition, final List<GatewayProcess> processes)
        throws InterruptedException
    {
        Await.until(what, BOUND_MS, condition,
            () -> processes.stream().map(GatewayProcess::tail).collect(Collectors.joining("\n")));
    }

    private static void assertExit(final int expectedCode, final String mentioned, final GatewayProcess process)
        throws InterruptedException
    {
        assertTrue(process.process.waitFor(30, TimeUnit.SECONDS), process + " did not exit\n" + process.tail());
        final String log = process.log();
        assertEquals(expectedCode, process.process.exitValue(), process + "\n" + log);
        final List<String> errors = log.lines().filter((line) -> line.startsWith("gateway:"))
            .collect(Collectors.toList());
        assertEquals(1, errors.size(), process + ": one error line\n" + log);
        assertTrue(errors.get(0).contains(mentioned), process + ": the error names " + mentioned + "\n" + log);
        assertFalse(log.contains("\tat "), process + ": no stack trace\n" + log);
    }
}
