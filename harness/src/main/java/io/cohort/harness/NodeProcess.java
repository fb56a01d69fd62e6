package io.cohort.harness;

import io.cohort.test.ChildJvm;
import io.cohort.test.ClassPath;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The harness's handle on one {@link LoadNodeMain} child JVM, started as a {@link ChildJvm} (the flags of
 * {@code jvm.options}), driven through its stdin, read through its stdout (every line also kept in
 * {@code node-SLOT-GEN.out} of the run directory; stderr goes to {@code node-SLOT-GEN.log}), and ended by its own
 * pid.
 */
final class NodeProcess
{
    /** System property: the class path children run from (the harness's own by default). */
    static final String CHILD_CLASS_PATH_PROP_NAME = "cohort.bench.child.classpath";

    final int slot;
    final int generation;
    final Process process;
    private final ChildJvm child;
    private final Writer stdin;
    private final List<Map<String, String>> events = new ArrayList<>();
    private volatile Map<String, String> status = Map.of();
    /** (time, stalls) of the recent STATUS lines, oldest first, at most {@link #STALL_HISTORY} of them. */
    private final ArrayDeque<long[]> stallHistory = new ArrayDeque<>();
    /** Ten minutes of STATUS lines, one each 200 ms: longer than any phase a stall count is asked about. */
    private static final int STALL_HISTORY = 3000;
    private final Thread reader;

    private NodeProcess(final int slot, final int generation, final ChildJvm child, final File out)
        throws IOException
    {
        this.slot = slot;
        this.generation = generation;
        this.child = child;
        this.process = child.process();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final PrintWriter copy = new PrintWriter(Files.newBufferedWriter(out.toPath(), StandardCharsets.UTF_8), true);
        reader = new Thread(() -> read(copy), "bench-node-" + slot + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a node process.
     *
     * @param dir        the run's directory.
     * @param slot       the node's slot.
     * @param generation how many times this slot was started before (0 first).
     * @param heap       the child's -Xmx value, or empty for the JVM's default.
     * @param properties JVM arguments of the child: {@code -Dname=value} settings and the {@code jvmArgs} parameter.
     * @param classPath  the child's class path ({@link #defaultClassPath()}, or its copy in jars with a CDS archive).
     * @param args       the child's {@code name=value} parameters.
     * @return the started process.
     * @throws IOException if it cannot be started.
     */
    static NodeProcess start(final File dir, final int slot, final int generation, final String heap,
        final List<String> properties, final String classPath, final List<String> args) throws IOException
    {
        return start(dir, "node-" + slot + "-" + generation, slot, generation, heap, properties, classPath, args);
    }

    /**
     * Starts a node process under a name of the caller's (its {@code .log} and {@code .out} files are named so).
     */
    static NodeProcess start(final File dir, final String name, final int slot, final int generation,
        final String heap, final List<String> properties, final String classPath, final List<String> args)
        throws IOException
    {
        final ChildJvm child = ChildJvm.builder(name, LoadNodeMain.class)
            .jvmArgs(heap.isEmpty() ? List.of() : List.of("-Xmx" + heap))
            .property("org.slf4j.simpleLogger.defaultLogLevel", "warn")
            .jvmArgs(properties)
            .classPath(classPath)
            .args(args)
            .log(new File(dir, name + ".log"))
            .readStdout()
            .start();
        return new NodeProcess(slot, generation, child, new File(dir, name + ".out"));
    }

    /**
     * @return the class path node processes run from: {@value #CHILD_CLASS_PATH_PROP_NAME} if set, else the
     * harness's own.
     */
    static String defaultClassPath()
    {
        return System.getProperty(CHILD_CLASS_PATH_PROP_NAME, ClassPath.current());
    }

    private void read(final PrintWriter copy)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                final Map<String, String> fields = parse(line);
                if ("HIST".equals(fields.get("kind")))
                {
                    copy.println("HIST slot=" + fields.get("slot") + " phase=" + fields.get("phase") + " data=...");
                }
                else
                {
                    copy.println(line);
                }
                if ("STATUS".equals(fields.get("kind")))
                {
                    status = fields;
                    recordStalls(fields);
                }
                else
                {
                    synchronized (events)
                    {
                        events.add(fields);
                        events.notifyAll();
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // The process ended: nothing more to read.
        }
        finally
        {
            copy.close();
            synchronized (events)
            {
                events.notifyAll();
            }
        }
    }

    /**
     * A line's fields: {@code kind} (the first word) and each {@code name=value}.
     *
     * @param line the line.
     * @return its fields.
     */
    static Map<String, String> parse(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        final String[] words = line.split(" ");
        fields.put("kind", words[0]);
        for (int i = 1; i < words.length; i++)
        {
            final int equals = words[i].indexOf('=');
            if (equals > 0)
            {
                fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
            else if (fields.containsKey("message"))
            {
                fields.put("message", fields.get("message") + " " + words[i]);
            }
        }
        if ("ERROR".equals(words[0]))
        {
            final int at = line.indexOf("message=");
            fields.put("message", at >= 0 ? line.substring(at + "message=".length()) : line);
        }
        return fields;
    }

    /**
     * Sends a command line.
     *
     * @param command the command.
     */
    void send(final String command)
    {
        try
        {
            stdin.write(command);
            stdin.write('\n');
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("node " + slot + " is gone (" + command + "): " + ex.getMessage(), ex);
        }
    }

    private void recordStalls(final Map<String, String> fields)
    {
        final String t = fields.get("t");
        final String stalls = fields.get("stalls");
        if (null == t || null == stalls)
        {
            return;
        }
        synchronized (stallHistory)
        {
            if (stallHistory.size() == STALL_HISTORY)
            {
                stallHistory.removeFirst();
            }
            stallHistory.addLast(new long[]{ Long.parseLong(t), Long.parseLong(stalls) });
        }
    }

    /**
     * The node-thread stalls its STATUS lines counted up to a time (lines come every 200 ms, so a stall up to that
     * long before a line's time may be counted by the next one).
     *
     * @param epochNs a time of {@link SharedClock}.
     * @return the count of the last STATUS line at or before it, 0 if none is kept.
     */
    long stallsAt(final long epochNs)
    {
        long stalls = 0;
        synchronized (stallHistory)
        {
            for (final long[] line : stallHistory)
            {
                if (line[0] > epochNs)
                {
                    break;
                }
                stalls = line[1];
            }
        }
        return stalls;
    }

    /**
     * The latest STATUS line.
     *
     * @return its fields, empty before the first.
     */
    Map<String, String> status()
    {
        return status;
    }

    /**
     * Waits for a line of a kind that also matches a condition, and consumes it.
     *
     * @param kind      the line's first word.
     * @param condition on its fields.
     * @param timeoutMs how long to wait.
     * @return its fields.
     * @throws IllegalStateException on timeout, on an ERROR line, or if the process ends first.
     * @throws InterruptedException  if interrupted.
     */
    Map<String, String> await(final String kind, final Predicate<Map<String, String>> condition, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (events)
        {
            while (true)
            {
                for (int i = 0; i < events.size(); i++)
                {
                    final Map<String, String> event = events.get(i);
                    if ("ERROR".equals(event.get("kind")))
                    {
                        throw new IllegalStateException("node " + slot + ": " + event.get("what") + ": " +
                            event.get("message"));
                    }
                    if (kind.equals(event.get("kind")) && condition.test(event))
                    {
                        events.remove(i);
                        return event;
                    }
                }
                final long leftNs = deadline - System.nanoTime();
                if (leftNs <= 0)
                {
                    throw new IllegalStateException("node " + slot + ": no " + kind + " line within " + timeoutMs +
                        " ms" + (process.isAlive() ? "" : " (process exited with " + process.exitValue() + ")"));
                }
                if (!process.isAlive() && !reader.isAlive())
                {
                    throw new IllegalStateException("node " + slot + " exited with " + process.exitValue() +
                        " before a " + kind + " line");
                }
                events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(leftNs, 100_000_000L))));
            }
        }
    }

    /**
     * Waits for a line of a kind.
     *
     * @param kind      the line's first word.
     * @param timeoutMs how long to wait.
     * @return its fields.
     * @throws InterruptedException if interrupted.
     */
    Map<String, String> await(final String kind, final long timeoutMs) throws InterruptedException
    {
        return await(kind, (fields) -> true, timeoutMs);
    }

    /**
     * Every line of a kind seen so far, not consumed.
     *
     * @param kind the line's first word.
     * @return their fields.
     */
    List<Map<String, String>> seen(final String kind)
    {
        final List<Map<String, String>> found = new ArrayList<>();
        synchronized (events)
        {
            for (final Map<String, String> event : events)
            {
                if (kind.equals(event.get("kind")))
                {
                    found.add(event);
                }
            }
        }
        return found;
    }

    /**
     * The process id.
     *
     * @return the pid.
     */
    long pid()
    {
        return child.pid();
    }

    /**
     * Kills the process at once (SIGKILL, as {@code kill -9 PID}).
     */
    void kill()
    {
        process.toHandle().destroyForcibly();
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @param timeoutMs how long to wait.
     * @return true if it exited.
     * @throws InterruptedException if interrupted.
     */
    boolean awaitExit(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the process: {@code quit} (a graceful leave), then SIGTERM, then SIGKILL, each by its own pid.
     *
     * @return true if it is gone.
     * @throws InterruptedException if interrupted.
     */
    boolean end() throws InterruptedException
    {
        if (process.isAlive())
        {
            try
            {
                send("quit");
            }
            catch (final IllegalStateException ignore)
            {
                // stdin already closed: the signals below end it.
            }
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                ChildJvm.endAll(List.of(child));
            }
        }
        try
        {
            stdin.close();
        }
        catch (final IOException ignore)
        {
            // Already closed by the child's exit.
        }
        return !process.isAlive();
    }

    /**
     * The name used in messages and files.
     *
     * @return e.g. {@code node 2 (pid 1234)}.
     */
    public String toString()
    {
        return "node " + slot + " (pid " + process.pid() + ")";
    }
}
