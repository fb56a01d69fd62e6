package io.cohort.examples.gateway;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket client of the gateway: Jetty calls it with each text message (one at a time for a session), and
 * anyone may send it frames, which Jetty queues and writes asynchronously. Public only because Jetty calls its
 * listener methods through method handles; the gateway alone creates it.
 */
public final class ClientSession implements Session.Listener.AutoDemanding
{
    private final Gateway gateway;
    private final long connectionId;
    /**
     * How many rooms of the gateway's routing index ({@link LocalRooms}) hold this client: not which ones (the
     * node knows a connection's rooms), only whether a close must still look for some the node has not counted yet.
     */
    private final AtomicInteger routes = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean kicked = new AtomicBoolean();
    private volatile Session session;

    ClientSession(final Gateway gateway, final long connectionId)
    {
        this.gateway = gateway;
        this.connectionId = connectionId;
    }

    long connectionId()
    {
        return connectionId;
    }

    /**
     * The routing count: changed only by {@link LocalRooms}, as it adds this client to a room or removes it.
     */
    AtomicInteger routes()
    {
        return routes;
    }

    /**
     * Whether the connection has ended (set before the gateway cleans it up, so a command racing the close sees it).
     */
    boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Queues a text frame to this client without blocking (safe from the node's thread). A client so slow that
     * Jetty's queue for it is full is disconnected ({@link Gateway}) rather than skipped, so that it never misses a
     * message silently.
     */
    void send(final String frame)
    {
        final Session current = session;
        if (null == current || !current.isOpen())
        {
            return;
        }
        current.sendText(frame, Callback.from(() ->
        {
        }, (failure) ->
        {
            if (!closed.get() && kicked.compareAndSet(false, true))
            {
                gateway.onSendFailed(this, failure);
            }
        }));
    }

    /**
     * Starts closing a client that does not read (1008); {@link #dropIfOpen()} ends it if it cannot even take
     * the close frame.
     */
    void closeTooSlow()
    {
        session.close(StatusCode.POLICY_VIOLATION, "too slow: the gateway's queue for you is full", Callback.NOOP);
    }

    /**
     * Drops the connection without a close handshake, unless it has closed already. Its end reaches the gateway,
     * which disconnects it from its rooms.
     */
    void dropIfOpen()
    {
        if (!closed.get())
        {
            session.disconnect();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onWebSocketOpen(final Session session)
    {
        this.session = session;
        gateway.onOpen(this);
    }

    /**
     * {@inheritDoc}
     */
    public void onWebSocketText(final String message)
    {
        gateway.onCommand(this, message);
    }

    /**
     * {@inheritDoc}
     */
    public void onWebSocketBinary(final ByteBuffer payload, final Callback callback)
    {
        callback.succeed();
        send(ChatProtocol.error(ChatProtocol.BAD_COMMAND, "binary messages are not part of the protocol: send text"));
    }

    /**
     * {@inheritDoc}
     */
    public void onWebSocketClose(final int statusCode, final String reason, final Callback callback)
    {
        closed();
        callback.succeed();
    }

    /**
     * {@inheritDoc}
     */
    public void onWebSocketError(final Throwable cause)
    {
        // An error ends the connection; a close may or may not follow it, so both lead here once.
        closed();
    }

    private void closed()
    {
        if (closed.compareAndSet(false, true))
        {
            gateway.onClose(this);
        }
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final Session current = session;
        return "client " + connectionId + (null == current ? "" : " at " + current.getRemoteSocketAddress());
    }
}
