package io.cohort.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The parent side of the {@link LineProtocol}: sends a command and awaits its reply with a bound, and collects
 * the child's events, read by a daemon thread as they come.
 */
public final class LineClient implements AutoCloseable
{
    private final String name;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Supplier<String> context;

    /**
     * Talks to a child JVM started with {@link ChildJvm.Builder#readStdout()}.
     *
     * @param child the child.
     * @return the client.
     */
    public static LineClient of(final ChildJvm child)
    {
        return new LineClient(child.toString(), child.stdin(), child.stdout(), child::tail);
    }

    /**
     * Talks over a pair of streams.
     *
     * @param name    whom it talks to, for messages.
     * @param toChild the child's input.
     * @param fromChild the child's output.
     * @param context what to add to a failure message (e.g. the child's log tail), asked only on failure.
     */
    public LineClient(
        final String name, final OutputStream toChild, final InputStream fromChild, final Supplier<String> context)
    {
        this.name = name;
        this.context = context;
        this.stdin = new OutputStreamWriter(toChild, StandardCharsets.UTF_8);
        reader = new Thread(() -> read(fromChild), name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(final InputStream fromChild)
    {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(fromChild, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = out.readLine()))
            {
                if (line.startsWith(LineProtocol.REPLY_PREFIX))
                {
                    replies.add(line.substring(LineProtocol.REPLY_PREFIX.length()));
                }
                else if (line.startsWith(LineProtocol.EVENT_PREFIX))
                {
                    events.add(line.substring(LineProtocol.EVENT_PREFIX.length()));
                }
            }
        }
        catch (final IOException ignore)
        {
            // the child ended
        }
    }

    /**
     * Sends a command and returns its reply.
     *
     * @param command   the command line.
     * @param timeoutMs how long to wait for the reply.
     * @return the reply ({@code OK ...} or {@code ERR ...}).
     * @throws AssertionError if it cannot be sent or no reply comes in time.
     */
    public String call(final String command, final long timeoutMs)
    {
        try
        {
            stdin.write(command + "\n");
            stdin.flush();
            final String reply = replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (null == reply)
            {
                throw new AssertionError(name + ": no answer to '" + command + "' within " + timeoutMs + " ms\n" +
                    context.get());
            }
            return reply;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(name + ": cannot send '" + command + "': " + ex + "\n" + context.get(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted waiting for an answer to '" + command + "'", ex);
        }
    }

    /**
     * Sends a command that must succeed.
     *
     * @param command   the command line.
     * @param timeoutMs how long to wait for the reply.
     * @return the text after {@code OK}, empty if none.
     * @throws AssertionError on {@code ERR} or silence.
     */
    public String ok(final String command, final long timeoutMs)
    {
        final String reply = call(command, timeoutMs);
        if (!LineProtocol.isOk(reply))
        {
            throw new AssertionError(name + ": '" + command + "' answered " + reply + "\n" + context.get());
        }
        return LineProtocol.okText(reply);
    }

    /**
     * The events so far that start with a prefix, in order.
     *
     * @param prefix e.g. {@code NOTIFY}; empty for all.
     * @return the events, their {@code E } prefix removed.
     */
    public List<String> events(final String prefix)
    {
        return events.stream().filter((event) -> event.startsWith(prefix)).collect(Collectors.toList());
    }

    /**
     * Waits for the first event that starts with a prefix.
     *
     * @param prefix    e.g. {@code LAUNCHED }.
     * @param timeoutMs the bound.
     * @return the event.
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       if none comes in time.
     */
    public String awaitEvent(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final String[] found = new String[1];
        Await.until(name + " event " + prefix, timeoutMs, () ->
        {
            final List<String> matching = events(prefix);
            found[0] = matching.isEmpty() ? null : matching.get(0);
            return null != found[0];
        }, context);
        return found[0];
    }

    /**
     * Waits until the child's output ends (it exited and everything it wrote is read).
     *
     * @param timeoutMs the bound.
     * @throws InterruptedException if interrupted.
     */
    public void awaitOutputEnd(final long timeoutMs) throws InterruptedException
    {
        reader.join(timeoutMs);
    }

    /**
     * Closes the child's stdin: a {@link CommandLoop} ends its loop.
     */
    public void close()
    {
        try
        {
            stdin.close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
    }

    public String toString()
    {
        return name;
    }
}
