package io.cohort.examples.gateway;

import io.cohort.engine.CallResult;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.engine.RefusalReason;
import io.cohort.engine.RefusedOperation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A realtime chat/pub-sub gateway: one Cohort node plus a WebSocket server (Jetty) for clients speaking
 * {@link ChatProtocol}. Subscriptions and publications go through the node, so that the cluster knows every
 * room's subscribers and routes each message only to the gateways that have some; each gateway delivers it to its
 * own subscribed clients.
 * <pre>{@code
 * try (Gateway gateway = Gateway.launch(CohortContext::new, new GatewayContext().port(8080), (state) -> { }))
 * {
 *     // clients connect to ws://127.0.0.1:8080/chat; a browser opens http://127.0.0.1:8080/ for the chat page
 * }
 * }</pre>
 * Threads: client commands run on Jetty's threads; notifications and refusals arrive on the node's thread, which
 * only looks up local subscribers and queues frames with Jetty's asynchronous send, never blocking. The node's
 * metrics ({@link CohortMetrics}) are served to Prometheus on the same port, at {@code /metrics}.
 * <p>
 * State: what the node knows the gateway asks it ({@code CohortNode}'s reads): a client's rooms and their names,
 * whether a room exists, the counts, the members. It keeps of its own only what the node cannot know: the
 * WebSocket sessions, and which of them to write a room's messages to ({@link LocalRooms}).
 * <p>
 * Eviction: the node is kept by a {@link CohortSupervisor}, which relaunches it in this JVM as a new incarnation when
 * it is evicted (the JVM, the WebSocket port and the metrics endpoint stay up). The clients stay connected: while
 * the node is replaced their commands are answered {@code ERR NOT_SERVING}, and once the new node is RUNNING their
 * subscriptions are made again on it from the routing index and each is told {@code RESUMED room}, since what was
 * published meanwhile did not reach them ({@link SubscriptionRestore}).
 */
public final class Gateway implements AutoCloseable
{
    /** The index every chat room is created in: a room's id is derived from (index, collection, name). */
    public static final String ROOM_INDEX = "chat";
    /** The collection every chat room is created in. */
    public static final String ROOM_COLLECTION = "rooms";

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final long DISCONNECT_RETRY_MS = 10;
    /** How long a client that does not read has to take its close frame before its connection is dropped. */
    private static final long KICK_GRACE_MS = 1_000;
    private static final long JOIN_MARGIN_NS = TimeUnit.SECONDS.toNanos(5);

    private final GatewayContext context;
    private final ChatProtocol protocol;
    private final LocalRooms localRooms = new LocalRooms();
    private final Map<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextConnectionId = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final Server server;
    private final ServerConnector connector;
    private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Observer observer;
    /** The node across relaunches: every use reads the current one once and keeps to that node. */
    private final GatewayNode gatewayNode;
    private volatile boolean closed;

    /**
     * What the gateway tells its launcher. Calls come on the node's thread or the supervisor's and must not block.
     */
    @FunctionalInterface
    public interface Observer
    {
        /**
         * The node's state changed (the current incarnation's, or the evicted one's {@code EVICTED}).
         *
         * @param state the new state.
         */
        void onStateChanged(NodeState state);

        /**
         * The gateway has no node for good: it left on purpose (a JMX {@code leave}) or could not be relaunched. Not
         * called when the gateway itself is closed.
         *
         * @param failure why, or null for a graceful leave.
         */
        default void onNodeStopped(final String failure)
        {
        }
    }

    private Gateway(
        final Supplier<CohortContext> cohortContexts, final GatewayContext context, final Observer observer)
    {
        this.context = context;
        this.observer = observer;
        final CohortContext firstContext = cohortContexts.get();
        this.protocol = new ChatProtocol(firstContext.codecLimits().maxPayloadLength());
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) ->
        {
            final Thread thread = new Thread(task, "gateway-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost(context.bindAddress());
        connector.setPort(context.port());
        server.addConnector(connector);
        final WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(server, (container) ->
        {
            container.setIdleTimeout(Duration.ofNanos(context.idleTimeoutNs()));
            container.setMaxOutgoingFrames(context.maxPendingFrames());
            // Room and verb on top of the longest text, four bytes per character at most: a longer message is
            // closed by Jetty (1009) before it is parsed; a shorter one that is still too long gets ERR TOO_LONG.
            container.setMaxTextMessageSize(4L * (protocol.maxTextBytes() + ChatProtocol.MAX_ROOM_LENGTH + 16));
            container.addMapping(GatewayContext.PATH,
                (request, response, callback) -> new ClientSession(this, nextConnectionId.incrementAndGet()));
        });
        // What is not a WebSocket upgrade goes to the metrics (GET /metrics), then to the chat page (GET /);
        // anything else is a 404.
        webSockets.setHandler(new Handler.Sequence(new MetricsHandler(meterRegistry), new ChatPage()));
        server.setHandler(webSockets);

        // Bind the clients' port before joining the cluster: a port in use fails here, without a join and a leave.
        try
        {
            connector.open();
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(scheduler::shutdownNow);
            throw new IllegalStateException(GatewayContext.PORT_PROP_NAME + "=" + context.port() +
                ": cannot listen on " + context.bindAddress() + ":" + context.port() + ": " + ex.getMessage(), ex);
        }

        // The supervisor asks for a new context at every relaunch; the first one is the one read above.
        final NodeListener nodeListener = new NodeListener();
        final AtomicReference<CohortContext> unused = new AtomicReference<>(firstContext);
        final Supplier<CohortContext> contexts = () ->
        {
            final CohortContext first = unused.getAndSet(null);
            return (null != first ? first : cohortContexts.get()).listener(nodeListener);
        };
        this.gatewayNode = new GatewayNode(localRooms, context.callRetryNs(), meterRegistry, (task) -> schedule(task, 0),
            observer);
        try
        {
            gatewayNode.launch(contexts);
            awaitMember(gatewayNode.current(), firstContext.joinTimeoutNs() + JOIN_MARGIN_NS);
            server.start();
        }
        catch (final Exception ex)
        {
            closed = true;
            CloseHelper.quietCloseAll(this::stopServer, gatewayNode, scheduler::shutdownNow, meterRegistry::close);
            if (ex instanceof RuntimeException)
            {
                throw (RuntimeException)ex;
            }
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the node joined the cluster", ex);
            }
            throw new IllegalStateException("the WebSocket server did not start: " + ex, ex);
        }
        final CohortNode launched = gatewayNode.current();
        LOG.info("gateway ws://{}:{}{} serving node {} (sync {}, command {}), metrics at http://{}:{}{}",
            context.bindAddress(), connector.getLocalPort(), GatewayContext.PATH, hex(launched.nodeId()),
            launched.syncEndpoint(), launched.commandEndpoint(), context.bindAddress(), connector.getLocalPort(),
            MetricsHandler.PATH);
    }

    /**
     * Starts a gateway: binds the clients' port, launches the node, waits until it is a member of the cluster,
     * then accepts WebSocket clients.
     *
     * @param cohortContexts the node's configuration: a new context, with the same settings, each time it is asked
     *                       (once at launch, once per relaunch after an eviction, e.g. {@code CohortContext::new});
     *                       their listener is replaced by the gateway's.
     * @param context        the gateway's configuration; concluded here.
     * @param observer       told of every state change of the node and of its end for good.
     * @return the running gateway.
     * @throws IllegalArgumentException for bad configuration, naming {@code name=value}.
     * @throws IllegalStateException if a port cannot be bound or the node does not join.
     */
    public static Gateway launch(
        final Supplier<CohortContext> cohortContexts, final GatewayContext context, final Observer observer)
    {
        context.conclude();
        return new Gateway(cohortContexts, context, observer);
    }

    /**
     * The embedded node now: after an eviction, the incarnation that replaced it.
     *
     * @return the node.
     */
    public CohortNode node()
    {
        return gatewayNode.current();
    }

    /**
     * How many times the node was relaunched after an eviction (or a failed join of a relaunched node).
     *
     * @return the count.
     */
    public long relaunches()
    {
        return gatewayNode.relaunches();
    }

    /**
     * The routing index, for tests in this package.
     */
    LocalRooms localRooms()
    {
        return localRooms;
    }

    /**
     * The port clients connect to (the bound one when configured as 0).
     *
     * @return the port.
     */
    public int port()
    {
        return connector.getLocalPort();
    }

    /**
     * Stops accepting clients and closes the connected ones, then leaves the cluster gracefully. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.closeAll(this::stopServer, gatewayNode, scheduler::shutdownNow, meterRegistry::close);
        LOG.info("gateway stopped");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Client side: Jetty's threads.

    void onOpen(final ClientSession client)
    {
        clients.put(client.connectionId(), client);
    }

    void onCommand(final ClientSession client, final String frame)
    {
        final ChatCommand command;
        try
        {
            command = protocol.parse(frame);
        }
        catch (final ChatProtocolException ex)
        {
            client.send(ChatProtocol.error(ex.code(), ex.getMessage()));
            return;
        }

        final CohortNode node = gatewayNode.current();
        switch (command.verb())
        {
            case STATUS:
                client.send("STATUS " + node.state() + " " + (node.clusterMembers().size() + 1));
                return;
            case NODE:
                client.send("NODE " + hex(node.nodeId()));
                return;
            case COUNT:
                client.send("COUNT " + command.room() + " " + node.subscriberCount(roomId(command.room())));
                return;
            case ROOMS:
                client.send(rooms(node, client));
                return;
            case ROOM:
                client.send(room(node, command.room()));
                return;
            default:
                break;
        }

        // Only a RUNNING node serves: with too few nodes (or while joining, leaving, evicted) a change is refused.
        final NodeState state = node.state();
        if (NodeState.RUNNING != state)
        {
            client.send(ChatProtocol.error(ChatProtocol.NOT_SERVING, command.verb() + " " + command.room() +
                ": this gateway's node is " + state + "; nothing was done"));
            return;
        }
        switch (command.verb())
        {
            case SUB:
                subscribe(node, client, command.room());
                break;
            case UNSUB:
                unsubscribe(node, client, command.room());
                break;
            default:
                publish(node, client, command.room(), command.text());
                break;
        }
    }

    void onClose(final ClientSession client)
    {
        // Under the client's lock, so that no subscribe of this client can be queued after its disconnect.
        synchronized (client)
        {
            final CohortNode node = gatewayNode.current();
            clients.remove(client.connectionId());
            // Read before the disconnect is queued: the node forgets the connection's rooms once it carries it out.
            final long[] nodeRooms = connectionRooms(node, client.connectionId());
            localRooms.removeClient(client, nodeRooms, nodeRooms.length);
            final CallResult result = call(() -> node.disconnect(client.connectionId()));
            if (CallResult.BACK_PRESSURED == result)
            {
                // The connection is gone, but its subscriptions must not outlive it: keep trying in the background.
                LOG.warn("{} closed while the node's queue is full: its disconnect is retried in the background",
                    client);
                retryDisconnect(node, client.connectionId());
            }
            // Any other refusal means the node is no longer a member: its rows leave the cluster with it.
        }
    }

    void onSendFailed(final ClientSession client, final Throwable failure)
    {
        LOG.warn("{} disconnected: it does not read its frames fast enough ({})", client, failure.toString());
        client.closeTooSlow();
        schedule(client::dropIfOpen, KICK_GRACE_MS);
    }

    private void subscribe(final CohortNode node, final ClientSession client, final String room)
    {
        final long roomId = roomId(room);
        synchronized (client)
        {
            if (client.isClosed())
            {
                return;
            }
            // Creating a room is idempotent and queued before the subscribe, so the node knows the room by then.
            CallResult result = call(() -> node.createRoom(ROOM_INDEX, ROOM_COLLECTION, RoomNames.filter(room)));
            if (CallResult.ACCEPTED != result)
            {
                client.send(NodeCalls.error("SUB", room, result));
                return;
            }
            // Routed here before the node counts it, so that no message routed here for it is missed. If the client
            // was routed already, an earlier subscribe was queued: a failure now must not undo that one.
            final boolean added = localRooms.add(roomId, room, client);
            result = call(() -> node.subscribe(client.connectionId(), roomId));
            if (CallResult.ACCEPTED != result)
            {
                if (added)
                {
                    localRooms.remove(roomId, client);
                }
                client.send(NodeCalls.error("SUB", room, result));
                return;
            }
        }
        client.send("OK SUB " + room);
    }

    private void unsubscribe(final CohortNode node, final ClientSession client, final String room)
    {
        final long roomId = roomId(room);
        synchronized (client)
        {
            if (client.isClosed())
            {
                return;
            }
            // Removed locally first, so that no message reaches the client after its OK.
            final boolean removed = localRooms.remove(roomId, client);
            final CallResult result = call(() -> node.unsubscribe(client.connectionId(), roomId));
            if (CallResult.ACCEPTED != result)
            {
                if (removed)
                {
                    localRooms.add(roomId, room, client);
                }
                client.send(NodeCalls.error("UNSUB", room, result));
                return;
            }
        }
        client.send("OK UNSUB " + room);
    }

    private void publish(final CohortNode node, final ClientSession client, final String room, final String text)
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);
        final CallResult result = call(() -> node.publish(roomId(room), buffer, 0, payload.length));
        client.send(CallResult.ACCEPTED == result ? "OK PUB " + room : NodeCalls.error("PUB", room, result));
    }

    /**
     * {@code ROOMS a b ...}: the client's rooms as the node's state holds them, named from each room's metadata. A
     * subscribe answered {@code OK} shows once the node's thread has carried it out (within milliseconds).
     */
    private String rooms(final CohortNode node, final ClientSession client)
    {
        final long[] roomIds = connectionRooms(node, client.connectionId());
        final String[] names = new String[roomIds.length];
        for (int i = 0; i < roomIds.length; i++)
        {
            final String name = roomName(node, roomIds[i]);
            names[i] = null == name ? hex(roomIds[i]) : name;
        }
        Arrays.sort(names);
        final StringBuilder answer = new StringBuilder("ROOMS");
        for (final String name : names)
        {
            answer.append(' ').append(name);
        }
        return answer.toString();
    }

    /**
     * {@code ROOM room n local}: a room the node knows (created through any gateway, replicated here), with its
     * subscribers in the cluster and on this gateway's node.
     */
    private String room(final CohortNode node, final String room)
    {
        final long roomId = roomId(room);
        if (!node.roomExists(roomId))
        {
            return ChatProtocol.error(ChatProtocol.NO_ROOM,
                "ROOM " + room + ": this gateway's node knows no such room (no one subscribed to it yet)");
        }
        return "ROOM " + room + " " + node.subscriberCount(roomId) + " " + node.localSubscriberCount(roomId);
    }

    /**
     * The rooms the node counts for a connection (once its thread has carried out the calls queued so far).
     */
    private static long[] connectionRooms(final CohortNode node, final long connectionId)
    {
        long[] roomIds = new long[16];
        int count;
        while ((count = node.connectionRooms(connectionId, roomIds)) > roomIds.length)
        {
            roomIds = new long[count];
        }
        return count == roomIds.length ? roomIds : Arrays.copyOf(roomIds, count);
    }

    /**
     * A room's chat name, read from its metadata in the node's state.
     *
     * @return the name, or null if the node does not know the room or it is not a chat room.
     */
    private static String roomName(final CohortNode node, final long roomId)
    {
        final UnsafeBuffer metadata = new UnsafeBuffer(new byte[node.maxRoomMetadataLength()]);
        return node.roomMetadata(roomId, metadata, 0) < 0 ? null : RoomNames.name(metadata, 0);
    }

    private static String hex(final long id)
    {
        return String.format("%016x", id);
    }

    private CallResult call(final Supplier<CallResult> call)
    {
        return NodeCalls.retry(call, context.callRetryNs());
    }

    private void retryDisconnect(final CohortNode node, final long connectionId)
    {
        // Only on the node that counted the connection: a relaunched node never had it.
        schedule(() ->
        {
            if (CallResult.BACK_PRESSURED == node.disconnect(connectionId))
            {
                retryDisconnect(node, connectionId);
            }
        }, DISCONNECT_RETRY_MS);
    }

    private void schedule(final Runnable task, final long delayMs)
    {
        try
        {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            // The gateway is closing: stopping the server ends every connection, and the node leaves with its rows.
        }
    }

    /**
     * The content-derived id of a chat room: the same on every gateway, without talking.
     *
     * @param room a valid room name.
     * @return the room id.
     */
    public static long roomId(final String room)
    {
        return CohortNode.roomId(ROOM_INDEX, ROOM_COLLECTION, RoomNames.filter(room));
    }

    private void awaitMember(final CohortNode launched, final long timeoutNs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!launched.state().servesCalls())
        {
            if (launched.state().isTerminal() || System.nanoTime() - deadlineNs >= 0)
            {
                throw new IllegalStateException("node did not join the cluster: it is " + launched.state() +
                    (null == launched.failure() ? "" : " (" + launched.failure() + ")"));
            }
            Thread.sleep(10);
        }
    }

    private void stopServer() throws Exception
    {
        // Closes every client connection (1001 going away): each one's disconnect is queued before the node leaves.
        server.stop();
        connector.close(); // bound before the server started: a failed start must release the port too
    }

    // ------------------------------------------------------------------------------------------------------------
    // Node side: the node's thread. Nothing here blocks.

    private final class NodeListener implements CohortListener
    {
        public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
        {
            final LocalRooms.Room room = localRooms.room(roomId);
            if (null == room)
            {
                return; // its last local subscriber left while the message travelled
            }
            final String frame = ChatProtocol.message(room.name, buffer.getStringWithoutLengthUtf8(offset, length));
            for (final ClientSession client : room.clients)
            {
                client.send(frame);
            }
        }

        public void onRefused(
            final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
        {
            if (RefusedOperation.SUBSCRIBE == operation)
            {
                // The node did not count the subscription (e.g. a capacity limit): undo it locally and say so.
                final ClientSession client = clients.get(connectionId);
                if (null != client)
                {
                    // Named as the node's state knows the room; a room the node did not create is named as routed.
                    final LocalRooms.Room routed = localRooms.room(roomId);
                    final String known = roomName(gatewayNode.current(), roomId);
                    final String name = null != known ? known : null != routed ? routed.name : hex(roomId);
                    localRooms.remove(roomId, client);
                    client.send(ChatProtocol.error(ChatProtocol.REFUSED, "SUB " + name + ": " + reason +
                        "; not subscribed"));
                }
            }
            else
            {
                LOG.warn("node refused {} (connection {}, room {}): {}", operation, connectionId,
                    hex(roomId), reason);
            }
        }

        public void onStateChanged(final NodeState previous, final NodeState current)
        {
            observer.onStateChanged(current);
            gatewayNode.onStateChanged(current);
        }
    }
}
