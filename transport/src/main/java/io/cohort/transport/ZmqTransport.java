package io.cohort.transport;

import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameLayout;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves frames between nodes over ZeroMQ (JeroMQ). Each node binds:
 * <ul>
 * <li>a sync socket, XPUB: broadcast frames go to every subscriber, directed frames only to the destination (topic
 * prefix filtering at the publisher). A subscriber whose pipe is full (its send and receive high-water marks of
 * frames behind: frozen, cut off, or far past its replication window) loses frames, which it sees as a gap in a
 * numbered stream and repairs or leaves for; the others go on. With no-drop, one such pipe refused every send to
 * every subscriber for as long as the connection lived, and a frozen process's connection lives as long as its
 * kernel answers: one hung node stopped the whole cluster replicating. A refused send (the socket's own limits)
 * still leaves the frame with the {@link OutboundBatcher}, which retries it;</li>
 * <li>a command socket, ROUTER: requests from any node, answered with {@link #reply}.</li>
 * </ul>
 * For every peer it opens one SUB (so a bad frame is attributed to the socket, hence the peer, it came from)
 * and one DEALER for requests. Optional CURVE encryption with the cluster's key pair and a ZAP handler that
 * refuses strangers. Every frame is stamped with this node's cluster id ({@link TransportContext#clusterId()}), and
 * a well-formed frame of another cluster is refused before anything of it is delivered, counted as a foreign
 * cluster frame, and handed only to {@link SyncHandler#onForeignCluster} or {@link CommandHandler#onForeignFrame}.
 * Not thread safe: one agent thread polls, flushes and sends.
 * <p>
 * Every sync message on the wire is {@code [topic][frame]}: a 17-byte topic ({@code 'B'} + 16 zero bytes for a
 * broadcast, {@code 'D'} + the destination's node id and incarnation for a directed frame) followed by a codec
 * frame. The incarnation in the directed topic matters: a node restarted under the same node id subscribes to its
 * own incarnation's topic, so frames still addressed to its predecessor (a member that has not yet installed the
 * view replacing it) never reach it and never disturb the sequence of the stream meant for it.
 */
public final class ZmqTransport implements Transport
{
    /** For {@link #poll(SyncHandler, CommandHandler, long)}: the sync streams are read up to the frame budget only. */
    public static final long NO_RECEIVE_SLICE = Long.MAX_VALUE;

    /** Length of the topic before each sync frame. */
    public static final int TOPIC_LENGTH = 1 + 2 * Long.BYTES;
    static final byte BROADCAST_TOPIC = 'B';
    static final byte DIRECTED_TOPIC = 'D';

    private final TransportContext context;
    private final TransportCounters counters;
    private final ErrorHandler errorHandler;
    private final ZContext zContext;
    /** Set before the context is closed: errors of JeroMQ's I/O thread from then on are its teardown. */
    private volatile boolean closing;
    private final ZMQ.Socket publisher;
    private final ZMQ.Socket router;
    private final ZapHandler zapHandler;
    private final SocketMonitor publisherMonitor;
    private final SocketMonitor routerMonitor;
    private final OutboundBatcher batcher;
    private final InboundFrameProcessor inbound;
    private final CommandFrameReader commandReader;
    private final SyncFrameReader syncReader;
    private final ReceiveFramePool receivePool;
    private final SyncFrameSender syncSender;
    private final Long2ObjectHashMap<Connection> connectionsByNodeId = new Long2ObjectHashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<ZMQ.Socket> seeds = new ArrayList<>();
    private final List<Connection> removedWhilePolling = new ArrayList<>();
    private boolean polling;
    private final InputPoller inputPoller = new InputPoller();
    private int socketsVersion;
    private int pollerVersion = -1;
    private SelectableChannel pollerWakeChannel;
    private final String syncEndpoint;
    private final String commandEndpoint;
    private final byte[] directedTopic;

    /** One peer's sockets: its stream (SUB) and its command socket (DEALER). */
    static final class Connection
    {
        final Peer peer;
        final ZMQ.Socket subscriber;
        final ZMQ.Socket dealer;
        final String syncEndpoint;
        final String commandEndpoint;
        boolean removed;

        Connection(
            final Peer peer,
            final ZMQ.Socket subscriber,
            final ZMQ.Socket dealer,
            final String syncEndpoint,
            final String commandEndpoint)
        {
            this.peer = peer;
            this.subscriber = subscriber;
            this.dealer = dealer;
            this.syncEndpoint = syncEndpoint;
            this.commandEndpoint = commandEndpoint;
        }
    }

    /**
     * Binds the sync and command sockets.
     *
     * @param context      a concluded configuration.
     * @param counters     where to count.
     * @param errorHandler told of failures that do not stop the transport.
     * @throws IllegalStateException naming the endpoint if a socket cannot bind (e.g. port in use).
     */
    public ZmqTransport(final TransportContext context, final TransportCounters counters, final ErrorHandler errorHandler)
    {
        this.context = context;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.inbound = new InboundFrameProcessor(
            context.nodeId(), context.clusterId(), context.codecLimits(), counters, errorHandler);
        this.directedTopic = topic(DIRECTED_TOPIC, context.nodeId(), context.incarnation());
        this.receivePool = new ReceiveFramePool(TOPIC_LENGTH + context.maxFrameLength());
        this.commandReader = new CommandFrameReader(
            new FrameDecoder(context.codecLimits(), context.clusterId()), context.receiveBudget(), receivePool,
            counters, errorHandler);
        this.syncReader = new SyncFrameReader(context.receiveBudget(), receivePool, inbound, counters, errorHandler);
        final TransportFaultHooks faultHooks = context.faultHooks();
        SendFaultHook sendFaultHook = null;
        if (null != faultHooks)
        {
            sendFaultHook = faultHooks.sendFaultHook(context);
            receiveFaultHook(faultHooks.receiveFaultHook(context));
        }

        zContext = new ZContext(1);
        zContext.setLinger(0);
        // Before any socket: JeroMQ's I/O thread takes its handlers when it starts. Left to JeroMQ, an error on
        // that thread is printed with its stack trace on stderr and counted nowhere.
        zContext.setUncaughtExceptionHandler((thread, ex) -> onIoThreadError(ex));
        zContext.setNotificationExceptionHandler((thread, ex) -> onIoThreadError(ex));
        try
        {
            final CurveKeys keys = context.curveKeys();
            zapHandler = null != keys ? new ZapHandler(zContext, keys.publicKey(), counters.authRefused()) : null;

            publisher = zContext.createSocket(SocketType.XPUB);
            // Drops for one full pipe instead of refusing everyone: see the class comment.
            publisher.setXpubNoDrop(false);
            publisher.setSndHWM(context.sendHighWaterMark());
            publisher.setLinger(0);
            makeServer(publisher);
            final int syncPort = bind(publisher, context.syncPort(), TransportConfiguration.SYNC_PORT_PROP_NAME);
            publisherMonitor = new SocketMonitor(zContext, publisher, "sync", counters);

            router = zContext.createSocket(SocketType.ROUTER);
            // Request bodies are read into the pool's arrays (pollRouter gives them back), as sync frames are.
            router.setMsgAllocator(receivePool);
            router.setRouterMandatory(true);
            router.setSndHWM(context.sendHighWaterMark());
            router.setRcvHWM(context.receiveHighWaterMark());
            router.setLinger(0);
            makeServer(router);
            final int commandPort = bind(router, context.commandPort(), TransportConfiguration.COMMAND_PORT_PROP_NAME);
            routerMonitor = new SocketMonitor(zContext, router, "command", counters);

            syncEndpoint = "tcp://" + context.advertisedHost() + ":" + syncPort;
            commandEndpoint = "tcp://" + context.advertisedHost() + ":" + commandPort;
        }
        catch (final RuntimeException ex)
        {
            closing = true;
            zContext.close();
            throw ex;
        }

        syncSender = new SyncFrameSender(publisher, counters, this::directedIncarnation, sendFaultHook);
        batcher = new OutboundBatcher(
            context.clusterId(), context.nodeId(), context.incarnation(), context.maxFrameLength(), syncSender);
    }

    /**
     * @return the pool received frames are read into (tests).
     */
    ReceiveFramePool receivePool()
    {
        return receivePool;
    }

    private void makeServer(final ZMQ.Socket socket)
    {
        final CurveKeys keys = context.curveKeys();
        if (null != keys)
        {
            socket.setZAPDomain("cohort");
            socket.setCurveServer(true);
            socket.setCurveSecretKey(keys.secretKey());
        }
    }

    private void makeClient(final ZMQ.Socket socket)
    {
        final CurveKeys keys = context.curveKeys();
        if (null != keys)
        {
            socket.setCurvePublicKey(keys.publicKey());
            socket.setCurveSecretKey(keys.secretKey());
            socket.setCurveServerKey(keys.publicKey());
        }
    }

    private int bind(final ZMQ.Socket socket, final int port, final String propertyName)
    {
        final String address = "tcp://" + context.bindAddress();
        try
        {
            if (0 == port)
            {
                return socket.bindToRandomPort(address);
            }
            if (!socket.bind(address + ":" + port))
            {
                throw new IllegalStateException("cannot bind " + address + ":" + port);
            }
            return port;
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(
                "cannot bind " + address + ":" + port + " (" + propertyName + "=" + port + "): " + ex.getMessage(), ex);
        }
    }

    static byte[] topic(final byte kind, final long nodeId, final long incarnation)
    {
        final byte[] topic = new byte[TOPIC_LENGTH];
        topic[0] = kind;
        new UnsafeBuffer(topic).putLong(1, nodeId, FrameLayout.BYTE_ORDER);
        new UnsafeBuffer(topic).putLong(1 + Long.BYTES, incarnation, FrameLayout.BYTE_ORDER);
        return topic;
    }

    /**
     * The endpoint peers subscribe to.
     *
     * @return e.g. {@code tcp://127.0.0.1:7511}.
     */
    public String syncEndpoint()
    {
        return syncEndpoint;
    }

    /**
     * The endpoint peers send requests to.
     *
     * @return e.g. {@code tcp://127.0.0.1:7510}.
     */
    public String commandEndpoint()
    {
        return commandEndpoint;
    }

    /**
     * The batcher that numbers, frames and sends this node's sync messages.
     *
     * @return the outbound batcher.
     */
    public OutboundBatcher outbound()
    {
        return batcher;
    }

    /**
     * The transport's counters.
     *
     * @return the counters.
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * Installs a hook that may drop, repeat or corrupt outgoing sync frames (tests, fault injection).
     *
     * @param hook the hook, or null to send frames as they are.
     */
    public void sendFaultHook(final SendFaultHook hook)
    {
        syncSender.faultHook(hook);
    }

    /**
     * Installs a hook that may drop or corrupt received sync frames (tests, fault injection).
     *
     * @param hook the hook, or null to receive frames as they are.
     */
    public void receiveFaultHook(final ReceiveFaultHook hook)
    {
        syncReader.receiveFaultHook(hook);
        commandReader.receiveFaultHook(hook);
    }

    /**
     * Starts receiving a peer's sync streams and opens a request channel to it. The directed stream to the peer
     * is opened by the caller ({@link OutboundBatcher#addDestination(long)}) only once
     * {@link SyncHandler#onSubscriberChange} shows that the peer's subscription is live.
     *
     * @param nodeId          the peer's node id.
     * @param incarnation     the peer's incarnation.
     * @param syncEndpoint    its sync endpoint.
     * @param commandEndpoint its command endpoint.
     * @return the peer, with its counters and stream sequences.
     * @throws IllegalArgumentException if the peer is this node or already added.
     */
    public Peer addPeer(
        final long nodeId, final long incarnation, final String syncEndpoint, final String commandEndpoint)
    {
        if (nodeId == context.nodeId() || 0 == nodeId)
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " cannot be a peer of node " + context.nodeId());
        }
        if (connectionsByNodeId.containsKey(nodeId))
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " is already a peer");
        }

        final Peer peer = new Peer(nodeId, incarnation, counters.newPeer(nodeId, incarnation));
        final Connection connection;
        try
        {
            connection = connect(peer, syncEndpoint, commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            peer.counters().close();
            throw ex;
        }
        connectionsByNodeId.put(nodeId, connection);
        connections.add(connection);
        socketsVersion++;
        return peer;
    }

    private Connection connect(final Peer peer, final String syncEndpoint, final String commandEndpoint)
    {
        ZMQ.Socket subscriber = null;
        ZMQ.Socket dealer = null;
        try
        {
            subscriber = zContext.createSocket(SocketType.SUB);
            subscriber.setRcvHWM(context.receiveHighWaterMark());
            if (0 != context.receiveBuffer())
            {
                subscriber.setReceiveBufferSize(context.receiveBuffer());
            }
            subscriber.setLinger(0);
            // Before connect: the session reads it when the connection's decoder is made.
            subscriber.setMsgAllocator(receivePool);
            makeClient(subscriber);
            subscriber.subscribe(new byte[]{ BROADCAST_TOPIC });
            subscriber.subscribe(directedTopic);
            subscriber.connect(syncEndpoint);

            dealer = zContext.createSocket(SocketType.DEALER);
            dealer.setMsgAllocator(receivePool);
            dealer.setSndHWM(context.sendHighWaterMark());
            dealer.setRcvHWM(context.receiveHighWaterMark());
            dealer.setImmediate(true);
            dealer.setLinger(0);
            makeClient(dealer);
            dealer.connect(commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(subscriber, dealer);
            throw new IllegalArgumentException("cannot connect to peer " + peer.nodeId() + " at sync=" + syncEndpoint +
                " command=" + commandEndpoint + ": " + ex.getMessage(), ex);
        }
        return new Connection(peer, subscriber, dealer, syncEndpoint, commandEndpoint);
    }

    /**
     * {@inheritDoc}
     * <p>
     * JeroMQ 0.6.0 now and then leaves a fresh connection without completing its handshake, for good
     * (zeromq/jeromq#1022): fresh sockets are the cure. The peer, its counters and expected sequences are kept.
     */
    public boolean reconnectPeer(final long nodeId)
    {
        final Connection old = connectionsByNodeId.get(nodeId);
        if (null == old)
        {
            return false;
        }
        final Connection fresh = connect(old.peer, old.syncEndpoint, old.commandEndpoint);
        old.removed = true;
        connectionsByNodeId.put(nodeId, fresh);
        connections.add(fresh);
        socketsVersion++;
        if (polling)
        {
            removedWhilePolling.add(old);
        }
        else
        {
            destroySockets(old);
        }
        return true;
    }

    /**
     * Stops receiving from a peer and closes its channels (e.g. it left or was evicted).
     *
     * @param nodeId the peer's node id.
     * @return false if it was not a peer.
     */
    public boolean removePeer(final long nodeId)
    {
        final Connection connection = connectionsByNodeId.remove(nodeId);
        if (null == connection)
        {
            return false;
        }
        batcher.removeDestination(nodeId);
        syncSender.removeDestination(nodeId);
        connection.removed = true;
        if (polling)
        {
            // A handler removed the peer while its socket is being read: close it once the poll is over.
            removedWhilePolling.add(connection);
        }
        else
        {
            destroy(connection);
        }
        return true;
    }

    private void destroy(final Connection connection)
    {
        destroySockets(connection);
        if (connectionsByNodeId.get(connection.peer.nodeId()) == null ||
            connectionsByNodeId.get(connection.peer.nodeId()).peer != connection.peer)
        {
            connection.peer.counters().close();
        }
    }

    private void destroySockets(final Connection connection)
    {
        connections.remove(connection);
        socketsVersion++;
        zContext.destroySocket(connection.subscriber);
        zContext.destroySocket(connection.dealer);
    }

    /**
     * A peer by node id.
     *
     * @param nodeId the peer's node id.
     * @return the peer, or null if unknown.
     */
    public Peer peer(final long nodeId)
    {
        final Connection connection = connectionsByNodeId.get(nodeId);
        return null == connection ? null : connection.peer;
    }

    /**
     * Reads what arrived on every socket, up to the receive budget per socket, and dispatches it.
     *
     * @param syncHandler    receives sync messages and stream faults.
     * @param commandHandler receives command requests and responses.
     * @return the amount of work done (frames read and events handled).
     */
    public int poll(final SyncHandler syncHandler, final CommandHandler commandHandler)
    {
        return poll(syncHandler, commandHandler, NO_RECEIVE_SLICE);
    }

    /**
     * Reads what arrived on every socket, up to the receive budget per socket, and dispatches it; each member's
     * sync stream for one slice of time at most. A sync frame can carry a thousand messages, each applied to the
     * state as it is dispatched, so a budget in frames alone let one call apply a whole burst (a peer's room
     * creations: 41-49 ms of a node's thread in one cycle, measured). Each stream gets its own slice, as the node's
     * own API calls get one: a node applies every other member's changes besides making its own, so its time is
     * shared among the streams, not taken from them together. Past its slice a stream gives no further frame this
     * call (its first frame is always read). Commands (liveness, view changes) are read first and in full.
     *
     * @param syncHandler    receives sync messages and stream faults.
     * @param commandHandler receives command requests and responses.
     * @param receiveSliceNs how long each stream may be read in this call, or {@link #NO_RECEIVE_SLICE}.
     * @return the amount of work done (frames read and events handled).
     */
    public int poll(final SyncHandler syncHandler, final CommandHandler commandHandler, final long receiveSliceNs)
    {
        polling = true;
        try
        {
            return pollSockets(syncHandler, commandHandler, receiveSliceNs);
        }
        finally
        {
            polling = false;
            for (int i = 0, size = removedWhilePolling.size(); i < size; i++)
            {
                destroy(removedWhilePolling.get(i));
            }
            removedWhilePolling.clear();
        }
    }

    private int pollSockets(
        final SyncHandler syncHandler, final CommandHandler commandHandler, final long receiveSliceNs)
    {
        // Requests first: members' liveness heartbeats (and view messages) are handled before a backlog of rows.
        int workCount = commandReader.pollRouter(router, commandHandler);
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            final Connection connection = connections.get(i);
            if (!connection.removed)
            {
                workCount += syncReader.pollSubscriber(connection, syncHandler, receiveSliceNs);
            }
            if (!connection.removed)
            {
                workCount += commandReader.pollDealer(connection.dealer, connection.peer.counters(), commandHandler);
            }
        }
        for (int i = 0, size = seeds.size(); i < size; i++)
        {
            workCount += commandReader.pollDealer(seeds.get(i), null, commandHandler);
        }
        workCount += syncReader.drainSubscriptions(publisher, syncHandler);
        if (null != zapHandler)
        {
            workCount += zapHandler.poll();
        }
        workCount += publisherMonitor.poll() + routerMonitor.poll();
        return workCount;
    }

    static void discardMoreParts(final ZMQ.Socket socket)
    {
        while (socket.hasReceiveMore())
        {
            socket.recv(0);
        }
    }

    /**
     * {@inheritDoc}
     */
    public int connectSeed(final String commandEndpoint)
    {
        final ZMQ.Socket dealer = zContext.createSocket(SocketType.DEALER);
        try
        {
            dealer.setMsgAllocator(receivePool);
            dealer.setSndHWM(context.sendHighWaterMark());
            dealer.setImmediate(true);
            dealer.setLinger(0);
            makeClient(dealer);
            dealer.connect(commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            zContext.destroySocket(dealer);
            throw new IllegalArgumentException("cannot connect to seed " + commandEndpoint + ": " + ex.getMessage(), ex);
        }
        seeds.add(dealer);
        socketsVersion++;
        return seeds.size() - 1;
    }

    /**
     * {@inheritDoc}
     */
    public boolean sendToSeed(final int seedId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (seedId < 0 || seedId >= seeds.size())
        {
            return false;
        }
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        return seeds.get(seedId).send(message, ZMQ.DONTWAIT);
    }

    /**
     * {@inheritDoc}
     */
    public void disconnectSeeds()
    {
        for (int i = 0, size = seeds.size(); i < size; i++)
        {
            zContext.destroySocket(seeds.get(i));
        }
        seeds.clear();
        socketsVersion++;
    }

    /**
     * Blocks until a message is waiting on one of this node's sockets (every peer's SUB and DEALER, the seeds'
     * DEALERs, the ROUTER, the XPUB's subscriptions) or a byte on {@code wakeChannel}, or the timeout passes. For
     * an idle node's thread only: it allocates (JeroMQ's poll does), and reads nothing itself.
     *
     * @param wakeChannel a non-blocking channel other threads write to to wake this one (e.g. a pipe's source).
     * @param timeoutMs   most milliseconds to wait; 0 checks without waiting.
     * @return the number of sockets and channels with input.
     */
    public int awaitInput(final SelectableChannel wakeChannel, final long timeoutMs)
    {
        if (pollerVersion != socketsVersion || pollerWakeChannel != wakeChannel)
        {
            inputPoller.begin();
            inputPoller.add(wakeChannel);
            inputPoller.add(publisher);
            inputPoller.add(router);
            for (int i = 0, size = connections.size(); i < size; i++)
            {
                inputPoller.add(connections.get(i).subscriber);
                inputPoller.add(connections.get(i).dealer);
            }
            for (int i = 0, size = seeds.size(); i < size; i++)
            {
                inputPoller.add(seeds.get(i));
            }
            inputPoller.build();
            pollerVersion = socketsVersion;
            pollerWakeChannel = wakeChannel;
        }
        return inputPoller.poll(timeoutMs);
    }

    /**
     * Sends every batched frame and retries refused ones; call at the end of each duty cycle.
     *
     * @return number of frames sent.
     */
    public int flush()
    {
        return batcher.flush();
    }

    /**
     * The incarnation a directed frame to a node id is addressed to: the one this node knows under that id (its peer:
     * see the class comment); to a node that is no peer of this one, the incarnation that subscribed.
     */
    private long directedIncarnation(final long destinationNodeId)
    {
        final Connection destination = connectionsByNodeId.get(destinationNodeId);
        return null != destination ? destination.peer.incarnation() : syncReader.subscribedIncarnation(destinationNodeId);
    }

    /**
     * Sends a request frame to a peer's command socket, without waiting.
     *
     * @param peerNodeId a peer added with {@link #addPeer}.
     * @param buffer     holding the frame.
     * @param offset     where it starts.
     * @param length     its length.
     * @return false if the peer is unknown, not connected, or at its high-water mark.
     */
    public boolean sendRequest(final long peerNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final Connection connection = connectionsByNodeId.get(peerNodeId);
        if (null == connection)
        {
            return false;
        }
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        return connection.dealer.send(message, ZMQ.DONTWAIT);
    }

    /**
     * Answers a request received by {@link CommandHandler#onRequest}, without waiting.
     *
     * @param routingId the request's routing id.
     * @param buffer    holding the response frame.
     * @param offset    where it starts.
     * @param length    its length.
     * @return false if the requester is gone or at its high-water mark.
     */
    public boolean reply(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] message = new byte[length];
        buffer.getBytes(offset, message);
        try
        {
            return router.send(routingId, ZMQ.SNDMORE | ZMQ.DONTWAIT) && router.send(message, ZMQ.DONTWAIT);
        }
        catch (final org.zeromq.ZMQException ex)
        {
            return false;
        }
    }

    /**
     * Closes every socket.
     */
    public void close()
    {
        disconnectSeeds();
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            removePeer(connections.get(i).peer.nodeId());
        }
        CloseHelper.closeAll(inputPoller, publisherMonitor, routerMonitor, zapHandler);
        closing = true;
        zContext.close();
    }

    /**
     * An error on JeroMQ's I/O thread: reported to the error handler (counted), unless the context is being
     * closed. Then it is JeroMQ's I/O thread racing the context's termination (seen: a term acknowledgement written
     * to a mailbox already closed, when a launch fails on a port in use), and nothing of this node is lost with it.
     */
    private void onIoThreadError(final Throwable ex)
    {
        if (!closing)
        {
            errorHandler.onError(ex);
        }
    }
}
