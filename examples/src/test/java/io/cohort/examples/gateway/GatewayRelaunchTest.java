package io.cohort.examples.gateway;

import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.test.Await;
import io.cohort.test.FreePorts;
import io.cohort.transport.ReceiveFaultHook;
import io.cohort.transport.SendFaultHook;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportFaultHooks;
import org.agrona.concurrent.UnsafeBuffer;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway whose node is evicted keeps running: its node is relaunched in the same JVM as a new incarnation, its
 * clients stay connected, their subscriptions are made again on the new node (each told {@code RESUMED room}), a
 * client that closed meanwhile is not brought back, messages reach the clients again, and the metrics follow the new
 * node. The cluster is the gateway's node and one plain node in this JVM; the gateway's node is evicted by cutting
 * what it receives from the other (it loses the two-node split: the other is older). Slow: three launches and a
 * heartbeat timeout.
 */
@Tag("slow")
class GatewayRelaunchTest
{
    private static final long SURVIVOR_ID = 0x5a;
    private static final long GATEWAY_NODE_ID = 0x6a;
    private static final long HEARTBEAT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

    @TempDir
    File tempDir;

    /** Drops every sync frame the gateway's node receives from the survivor while armed. */
    private static final class CutLink implements TransportFaultHooks
    {
        private volatile boolean armed;

        public SendFaultHook sendFaultHook(final TransportContext context)
        {
            return null;
        }

        public ReceiveFaultHook receiveFaultHook(final TransportContext context)
        {
            return (peerNodeId, message) -> armed && SURVIVOR_ID == peerNodeId;
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRelaunchAnEvictedNodeAndRestoreItsConnectedClientsSubscriptions() throws Exception
    {
        final int[] ports = FreePorts.loopback(5);
        final CohortContext survivorContext = context(SURVIVOR_ID, "").jmxEnabled(false);
        survivorContext.transportContext().commandPort(ports[0]).syncPort(ports[1]);
        final List<ChatClient> clients = new ArrayList<>();
        try (CohortNode survivor = Cohort.launch(survivorContext))
        {
            assertTrue(survivor.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
            final CutLink cut = new CutLink();
            final Supplier<CohortContext> contexts = () ->
            {
                final CohortContext context = context(GATEWAY_NODE_ID, "127.0.0.1:" + ports[0]);
                context.transportContext().commandPort(ports[2]).syncPort(ports[3]).faultHooks(cut);
                return context;
            };
            final List<NodeState> states = new CopyOnWriteArrayList<>();
            try (Gateway gateway = Gateway.launch(contexts,
                new GatewayContext().bindAddress("127.0.0.1").port(ports[4]), states::add))
            {
                final ChatClient staying = ChatClient.connect("staying", gateway.port(), 5_000);
                clients.add(staying);
                final ChatClient leaving = ChatClient.connect("leaving", gateway.port(), 5_000);
                clients.add(leaving);
                assertEquals("OK SUB lobby", staying.call("SUB lobby"));
                assertEquals("OK SUB news", staying.call("SUB news"));
                assertEquals("OK SUB lobby", leaving.call("SUB lobby"));
                final long lobby = Gateway.roomId("lobby");
                await("the survivor counts both subscribers of lobby",
                    () -> 2 == survivor.subscriberCount(GATEWAY_NODE_ID, lobby));

                final CohortNode evicted = gateway.node();
                cut.armed = true;
                assertTrue(evicted.awaitState(NodeState.EVICTED, 30, TimeUnit.SECONDS), evicted.state().toString());
                cut.armed = false;
                // While the node is replaced (a backoff of a second at least: it had not been a member for long)
                // the client stays connected and is told the node does not serve; a client that closes meanwhile is
                // not brought back.
                assertTrue(staying.call("SUB other").startsWith("ERR NOT_SERVING SUB other: this gateway's node is "),
                    "refused while the node is replaced");
                leaving.closeNormally();

                // Each subscription still wanted comes back on the new node, and the client is told so.
                final List<String> resumed = List.of(staying.nextReply("RESUMED", 60_000),
                    staying.nextReply("RESUMED", 10_000));
                assertEquals(List.of("RESUMED lobby", "RESUMED news"), resumed.stream().sorted().toList());
                final CohortNode relaunched = gateway.node();
                assertNotSame(evicted, relaunched);
                assertEquals(1, gateway.relaunches());
                assertEquals(GATEWAY_NODE_ID, relaunched.nodeId());
                assertTrue(relaunched.incarnation() > evicted.incarnation());
                assertEquals(NodeState.RUNNING, relaunched.state());
                assertNull(staying.closedWith(), "the client stayed connected");

                // The survivor counts the relaunched node's subscribers: the one that stayed, not the one that left.
                await("the survivor counts the restored subscriber of lobby, not the one that left",
                    () -> 1 == survivor.subscriberCount(GATEWAY_NODE_ID, lobby) &&
                        1 == survivor.subscriberCount(GATEWAY_NODE_ID, Gateway.roomId("news")));
                assertEquals("ROOMS lobby news", staying.call("ROOMS"), "the new node holds its rooms");
                assertEquals("STATUS RUNNING 2", staying.call("STATUS"));

                // Messages reach it again, from the other node and from itself.
                final UnsafeBuffer text = new UnsafeBuffer("back".getBytes(StandardCharsets.UTF_8));
                await("a message from the survivor's side reaches the client", () ->
                {
                    survivor.publish(lobby, text, 0, text.capacity());
                    sleep(50);
                    return !staying.messages().isEmpty();
                });
                assertEquals("MSG lobby back", staying.messages().get(0));
                assertEquals("OK PUB news", staying.call("PUB news mine"));
                await("its own message", () -> staying.messages().contains("MSG news mine"));

                assertTrue(states.containsAll(List.of(NodeState.EVICTED, NodeState.JOINING, NodeState.RUNNING)),
                    states.toString());
                assertMetricsFollowTheNewNode(gateway);
            }
        }
        finally
        {
            clients.forEach(ChatClient::close);
        }
    }

    private static void assertMetricsFollowTheNewNode(final Gateway gateway) throws Exception
    {
        final String labels = "cluster=\"" + gateway.node().clusterName() + "\",node=\"" + gateway.node().name() + "\"";
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("cohort_node_state{" + labels + ",state=\"RUNNING\"} 1.0"),
            response.body());
        assertTrue(response.body().contains("cohort_node_state{" + labels + ",state=\"EVICTED\"} 0.0"),
            response.body());
    }

    private CohortContext context(final long nodeId, final String seeds)
    {
        final CohortContext context = new CohortContext().nodeId(nodeId).seeds(seeds)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(50)).heartbeatTimeoutNs(HEARTBEAT_TIMEOUT_NS);
        context.transportContext().bindAddress("127.0.0.1").advertisedHost("127.0.0.1")
            .countersDir(new File(tempDir, "counters").getPath());
        context.stateContext().maxRooms(1024).maxConnections(1024).maxOverflowSubscriptions(1024).maxNodes(4);
        return context;
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        Await.until(what, 30_000, condition);
    }

    private static boolean sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
