package io.cohort.examples.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client of a gateway, the JDK's own ({@code java.net.http}): another implementation than the
 * server's, as a user's browser or app would be. Published messages ({@code MSG ...}) are kept apart from the
 * answers to its commands, since they may arrive at any time.
 */
final class ChatClient implements AutoCloseable
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String name;
    private final WebSocket webSocket;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private volatile String closedWith;

    private ChatClient(final String name, final URI uri, final long timeoutMs, final boolean reading)
    {
        this.name = name;
        this.webSocket = HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofMillis(timeoutMs))
            .buildAsync(uri, new Listener(reading))
            .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .join();
    }

    /**
     * Connects to a gateway.
     *
     * @throws java.util.concurrent.CompletionException if it cannot.
     */
    static ChatClient connect(final String name, final int port, final long timeoutMs)
    {
        return new ChatClient(name, URI.create("ws://127.0.0.1:" + port + GatewayContext.PATH), timeoutMs, true);
    }

    /**
     * Connects a client that never asks for a frame, so that the JDK client stops reading its socket: a client
     * that does not keep up.
     */
    static ChatClient connectNotReading(final String name, final int port, final long timeoutMs)
    {
        return new ChatClient(name, URI.create("ws://127.0.0.1:" + port + GatewayContext.PATH), timeoutMs, false);
    }

    /**
     * Sends a command and returns the next frame that is not a published message.
     */
    String call(final String command) throws InterruptedException
    {
        send(command);
        return nextReply("an answer to '" + command + "'");
    }

    /**
     * The next frame that is not a published message, e.g. an error that comes by itself.
     */
    String nextReply(final String what) throws InterruptedException
    {
        return nextReply(what, TimeUnit.SECONDS.toMillis(10));
    }

    /**
     * The next frame that is not a published message, waiting up to a timeout.
     */
    String nextReply(final String what, final long timeoutMs) throws InterruptedException
    {
        final String reply = replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (null == reply)
        {
            throw new AssertionError(
                name + ": no " + what + (null == closedWith ? "" : " (closed: " + closedWith + ")"));
        }
        return reply;
    }

    void send(final String text)
    {
        // The JDK client refuses a send while another is under way: one at a time.
        synchronized (this)
        {
            webSocket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /**
     * Sends a binary frame, which the protocol does not allow, and returns the answer.
     */
    String callBinary(final byte[] payload) throws InterruptedException
    {
        synchronized (this)
        {
            webSocket.sendBinary(ByteBuffer.wrap(payload), true).orTimeout(10, TimeUnit.SECONDS).join();
        }
        final String reply = replies.poll(10, TimeUnit.SECONDS);
        if (null == reply)
        {
            throw new AssertionError(name + ": no answer to a binary frame");
        }
        return reply;
    }

    /**
     * How the server closed the connection, if it did.
     *
     * @return e.g. {@code 1001 going away}, or null while open.
     */
    String closedWith()
    {
        return closedWith;
    }

    /**
     * Every {@code MSG} frame received so far, in order.
     */
    List<String> messages()
    {
        return new ArrayList<>(messages);
    }

    /**
     * Closes the connection as a client does (close frame 1000), which the gateway turns into a disconnect.
     */
    void closeNormally()
    {
        synchronized (this)
        {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    public void close()
    {
        webSocket.abort();
    }

    public String toString()
    {
        return name;
    }

    private final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();
        private final boolean reading;

        Listener(final boolean reading)
        {
            this.reading = reading;
        }

        public void onOpen(final WebSocket socket)
        {
            if (reading)
            {
                socket.request(1);
            }
        }

        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("MSG "))
                {
                    messages.add(frame);
                }
                else
                {
                    replies.add(frame);
                }
            }
            socket.request(1);
            return null;
        }

        public CompletionStage<?> onClose(final WebSocket socket, final int statusCode, final String reason)
        {
            closedWith = statusCode + " " + reason;
            return null;
        }

        public void onError(final WebSocket socket, final Throwable error)
        {
            closedWith = error.toString();
        }
    }
}
