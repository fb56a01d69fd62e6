package io.cohort.test;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The child side of the {@link LineProtocol}: reads commands from stdin, runs the handler registered under the
 * command's first word, and answers each with one reply line; events may be emitted from any thread in between.
 * <pre>{@code
 * final CommandLoop loop = new CommandLoop()
 *     .on("state", (words) -> LineProtocol.ok(node.state()))
 *     .on("sub", (words) -> subscribe(Long.parseLong(words[1]), words[2]));
 * loop.emit("LAUNCHED " + id);
 * loop.run();
 * }</pre>
 * A handler that throws is answered {@code ERR} with the exception; an unknown command is answered {@code ERR}.
 */
public final class CommandLoop
{
    /**
     * Runs one command.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * Runs the command.
         *
         * @param words the command line split on spaces; {@code words[0]} is the command.
         * @return the reply: {@link LineProtocol#ok(Object)} or {@link LineProtocol#err(Object)}.
         * @throws Exception answered as {@code ERR}.
         */
        String handle(String[] words) throws Exception;
    }

    private final PrintStream out;
    private final Map<String, Handler> handlers = new HashMap<>();

    /**
     * A loop that writes to the process's stdout (file descriptor 1, whatever {@code System.out} was set to).
     */
    public CommandLoop()
    {
        this(new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8));
    }

    /**
     * A loop that writes to a stream.
     *
     * @param out where replies and events go.
     */
    public CommandLoop(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * Registers the handler of a command.
     *
     * @param command the command's first word.
     * @param handler its handler.
     * @return this.
     * @throws IllegalArgumentException if the command has a handler already or is {@value LineProtocol#QUIT}.
     */
    public CommandLoop on(final String command, final Handler handler)
    {
        if (LineProtocol.QUIT.equals(command) || null != handlers.putIfAbsent(command, handler))
        {
            throw new IllegalArgumentException("command " + command + " is taken");
        }
        return this;
    }

    /**
     * Writes an event line, from any thread.
     *
     * @param event {@code NAME [text]}, on one line.
     */
    public void emit(final String event)
    {
        write(LineProtocol.EVENT_PREFIX + LineProtocol.oneLine(event));
    }

    /**
     * Serves commands from stdin until {@value LineProtocol#QUIT} or its end.
     *
     * @throws IOException if reading fails.
     */
    public void run() throws IOException
    {
        run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    /**
     * Serves commands until {@value LineProtocol#QUIT} or the end of input.
     *
     * @param in the commands.
     * @throws IOException if reading fails.
     */
    public void run(final BufferedReader in) throws IOException
    {
        String line;
        while (null != (line = in.readLine()))
        {
            final String trimmed = line.trim();
            if (trimmed.isEmpty())
            {
                continue;
            }
            if (LineProtocol.QUIT.equals(trimmed))
            {
                write(LineProtocol.REPLY_PREFIX + LineProtocol.ok(LineProtocol.QUIT));
                return;
            }
            write(LineProtocol.REPLY_PREFIX + execute(trimmed.split(" +")));
        }
    }

    private String execute(final String[] words)
    {
        final Handler handler = handlers.get(words[0]);
        if (null == handler)
        {
            return LineProtocol.err("unknown command " + words[0]);
        }
        try
        {
            final String reply = handler.handle(words);
            if (null == reply || !(LineProtocol.isOk(reply) || reply.startsWith(LineProtocol.ERR + " ")))
            {
                return LineProtocol.err("handler of " + words[0] + " answered neither OK nor ERR: " + reply);
            }
            return LineProtocol.oneLine(reply);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return LineProtocol.err(ex);
        }
        catch (final Exception ex)
        {
            return LineProtocol.err(ex);
        }
    }

    private void write(final String line)
    {
        synchronized (out)
        {
            out.println(line);
            out.flush();
        }
    }
}
