package io.cohort.examples.gateway;

import io.cohort.engine.CallResult;
import io.cohort.engine.CohortContext;
import io.cohort.engine.NodeState;
import io.cohort.test.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One gateway in this JVM, a cluster of one: what a single gateway does with what its node refuses. Slow only by
 * its first launch (Chronicle Map compiles classes at run time: seconds on a busy machine).
 */
@Tag("slow")
class GatewayTest
{
    @TempDir
    File tempDir;

    private Gateway gateway;
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void launch()
    {
        final int[] ports = FreePorts.loopback(3);
        final Supplier<CohortContext> cohortContexts = () ->
        {
            final CohortContext cohortContext = new CohortContext().seeds("");
            cohortContext.transportContext().bindAddress("127.0.0.1").advertisedHost("127.0.0.1")
                .commandPort(ports[0]).syncPort(ports[1]).countersDir(new File(tempDir, "counters").getPath());
            // Two rooms per connection at most, so that a third subscription is refused by the node's state.
            cohortContext.stateContext().maxRooms(1024).maxConnections(1024).maxOverflowSubscriptions(1024)
                .maxNodes(4).maxRoomsPerConnection(2);
            return cohortContext;
        };
        // A short queue per client, so that a client that does not read is found out quickly.
        gateway = Gateway.launch(cohortContexts,
            new GatewayContext().bindAddress("127.0.0.1").port(ports[2]).maxPendingFrames(8),
            (state) ->
            {
            });
    }

    @AfterEach
    void close()
    {
        clients.forEach(ChatClient::close);
        gateway.close();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldUndoAndReportASubscriptionTheNodeRefuses() throws Exception
    {
        final ChatClient client = connect("client");
        final ChatClient publisher = connect("publisher");
        assertEquals("OK SUB a", client.call("SUB a"));
        assertEquals("OK SUB b", client.call("SUB b"));
        // Queued (OK), then refused by the node's state on its own thread: undone, and the client is told.
        assertEquals("OK SUB c", client.call("SUB c"));
        assertEquals("ERR REFUSED SUB c: CONNECTION_FULL; not subscribed", client.nextReply("refusal"));
        assertEquals("STATUS RUNNING 1", client.call("STATUS"));
        awaitReply(client, "COUNT a", "COUNT a 1");
        assertEquals("COUNT c 0", client.call("COUNT c"));
        assertEquals("ROOMS a b", client.call("ROOMS"), "the node holds the two rooms it counted");
        assertNull(gateway.localRooms().room(Gateway.roomId("c")), "the refused room routes nowhere");

        assertEquals("OK PUB c", publisher.call("PUB c not for you"));
        assertEquals("OK PUB a", publisher.call("PUB a for you"));
        awaitMessages(client, List.of("MSG a for you"));
        Thread.sleep(300);
        assertEquals(List.of("MSG a for you"), client.messages());

        // Leaving a room frees a place for another.
        assertEquals("OK UNSUB b", client.call("UNSUB b"));
        assertEquals("OK SUB c", client.call("SUB c"));
        awaitReply(client, "COUNT c", "COUNT c 1");
        awaitReply(client, "COUNT b", "COUNT b 0");
        awaitReply(client, "ROOMS", "ROOMS a c");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldAnswerAClientsRoomsAndARoomsExistenceFromTheNodesState() throws Exception
    {
        final ChatClient client = connect("client");
        final ChatClient other = connect("other");
        assertEquals("ROOMS", client.call("ROOMS"));
        assertTrue(client.call("ROOM lobby").startsWith("ERR NO_ROOM ROOM lobby: "), "never created");
        assertEquals("OK SUB lobby", client.call("SUB lobby"));
        assertEquals("OK SUB news", client.call("SUB news"));
        assertEquals("OK SUB lobby", other.call("SUB lobby"));
        // Named from each room's metadata in the node's state, once the node has carried the subscribes out.
        awaitReply(client, "ROOMS", "ROOMS lobby news");
        awaitReply(other, "ROOMS", "ROOMS lobby");
        awaitReply(client, "ROOM lobby", "ROOM lobby 2 2");

        // A room the gateway never saw a client ask for, created through the node: the gateway knows it from there.
        assertEquals(CallResult.ACCEPTED, gateway.node().createRoom(Gateway.ROOM_INDEX,
            Gateway.ROOM_COLLECTION, "direct".getBytes(StandardCharsets.US_ASCII)));
        awaitReply(other, "ROOM direct", "ROOM direct 0 0");
        assertNull(gateway.localRooms().room(Gateway.roomId("direct")), "no client routed there");

        assertEquals("OK UNSUB lobby", client.call("UNSUB lobby"));
        awaitReply(client, "ROOMS", "ROOMS news");
        awaitReply(client, "ROOM lobby", "ROOM lobby 1 1");
        assertEquals("OK UNSUB news", client.call("UNSUB news"));
        awaitReply(client, "ROOMS", "ROOMS");
        assertEquals("ROOM news 0 0", client.call("ROOM news"), "a room outlives its last subscriber");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDisconnectAClosedClientEverywhereItWasSubscribed() throws Exception
    {
        final ChatClient leaving = connect("leaving");
        final ChatClient staying = connect("staying");
        assertEquals("OK SUB a", leaving.call("SUB a"));
        assertEquals("OK SUB b", leaving.call("SUB b"));
        assertEquals("OK SUB a", staying.call("SUB a"));
        awaitReply(staying, "COUNT a", "COUNT a 2");
        awaitReply(staying, "COUNT b", "COUNT b 1");

        leaving.closeNormally();
        awaitReply(staying, "COUNT a", "COUNT a 1");
        awaitReply(staying, "COUNT b", "COUNT b 0");
        assertNull(gateway.localRooms().room(Gateway.roomId("b")), "its only client closed: b routes nowhere here");
        assertEquals(1, gateway.localRooms().room(Gateway.roomId("a")).clients.size());
        assertEquals("OK PUB a", staying.call("PUB a still delivered"));
        awaitMessages(staying, List.of("MSG a still delivered"));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDisconnectAClientThatDoesNotReadRatherThanSkipItsMessages() throws Exception
    {
        final ChatClient stalled = ChatClient.connectNotReading("stalled", gateway.port(), 5_000);
        clients.add(stalled);
        final ChatClient publisher = connect("publisher");
        stalled.send("SUB flood"); // its answer is never read
        awaitReply(publisher, "COUNT flood", "COUNT flood 1");

        // Enough to fill both sockets' buffers on loopback (a few MB), then the gateway's queue for the client.
        final String text = "x".repeat(60_000);
        int published = 0;
        while (!"COUNT flood 0".equals(publisher.call("COUNT flood")) && published < 2_000)
        {
            assertEquals("OK PUB flood", publisher.call("PUB flood " + text));
            published++;
        }
        awaitReply(publisher, "COUNT flood", "COUNT flood 0");
        assertTrue(published < 2_000, "the stalled client was never disconnected");
        // The gateway goes on serving the others.
        assertEquals("OK SUB flood", publisher.call("SUB flood"));
        assertEquals("OK PUB flood", publisher.call("PUB flood after"));
        awaitMessages(publisher, List.of("MSG flood after"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseAPortInUseNamingIt()
    {
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> Gateway.launch(
            CohortContext::new, new GatewayContext().bindAddress("127.0.0.1").port(gateway.port()), (state) ->
            {
            }));
        assertTrue(error.getMessage().startsWith("gateway.port=" + gateway.port() + ": cannot listen on"),
            error.getMessage());
        assertEquals(NodeState.RUNNING, gateway.node().state());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldServeItsNodesMetricsToPrometheusNextToTheWebSocket() throws Exception
    {
        final ChatClient client = connect("client");
        assertEquals("OK SUB a", client.call("SUB a"));
        assertEquals("OK SUB b", client.call("SUB b"));
        awaitReply(client, "COUNT b", "COUNT b 1");

        final HttpClient http = HttpClient.newHttpClient();
        final String labels = "cluster=\"" + gateway.node().clusterName() + "\",node=\"" + gateway.node().name() + "\"";
        assertTrue(gateway.node().name().startsWith("node-"), gateway.node().name());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> response;
        do
        {
            // The node refreshes its sizes every 100 ms: scrape until they show the two subscriptions.
            response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
        while (!response.body().contains("cohort_node_subscriptions{" + labels + "} 2.0") &&
            System.nanoTime() < deadline && sleep(50));
        final String body = response.body();
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
            response.headers().toString());
        assertTrue(body.contains("cohort_node_subscriptions{" + labels + "} 2.0"), body);
        assertTrue(body.contains("cohort_node_members{" + labels + "} 1.0"), body);
        assertTrue(body.contains("cohort_node_rooms{" + labels + "} 2.0"), body);
        assertTrue(body.contains("cohort_node_state{" + labels + ",state=\"RUNNING\"} 1.0"), body);
        assertTrue(body.contains("cohort_node_state{" + labels + ",state=\"JOINING\"} 0.0"), body);
        assertTrue(body.contains("# TYPE cohort_node_calls_back_pressured_total counter"), body);

        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() +
            "/elsewhere")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals("STATUS RUNNING 1", client.call("STATUS"), "the WebSocket is served as before");
    }

    private static boolean sleep(final long ms) throws InterruptedException
    {
        Thread.sleep(ms);
        return true;
    }

    private ChatClient connect(final String name)
    {
        final ChatClient client = ChatClient.connect(name, gateway.port(), 5_000);
        clients.add(client);
        return client;
    }

    /** Counts change on the node's thread after the OK: ask until the answer is the expected one. */
    private static void awaitReply(final ChatClient client, final String command, final String expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String reply;
        while (!expected.equals(reply = client.call(command)) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(expected, reply, client.name);
    }

    private static void awaitMessages(final ChatClient client, final List<String> expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!client.messages().equals(expected) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(expected, client.messages(), client.name);
    }
}
