package io.cohort.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One child JVM started by a test or a harness: the running JVM's own {@code java}, the flags of
 * {@link JvmOptions}, a class path, {@code -D} properties, a main class and its arguments; stderr (and stdout,
 * unless the parent reads it) in a log file; ended by its own pid, never by name.
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder("node0", NodeMain.class).property("cohort.node.id", "0xa1")
 *     .log(new File(dir, "node0.log")).start())
 * {
 *     ...
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable
{
    /** How long {@link #close()} waits after SIGTERM before SIGKILL, and after SIGKILL before it gives up. */
    public static final long END_BOUND_MS = 10_000;

    private final String name;
    private final Process process;
    private final File log;

    private ChildJvm(final String name, final Process process, final File log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts describing a child.
     *
     * @param name      the child's name, for messages.
     * @param mainClass its main class.
     * @return the builder.
     */
    public static Builder builder(final String name, final Class<?> mainClass)
    {
        return new Builder(name, mainClass.getName());
    }

    /**
     * Starts describing a child by its main class's name (a class the parent does not link against).
     *
     * @param name          the child's name, for messages.
     * @param mainClassName its main class.
     * @return the builder.
     */
    public static Builder builder(final String name, final String mainClassName)
    {
        return new Builder(name, mainClassName);
    }

    /**
     * The child's name.
     *
     * @return the name given to the builder.
     */
    public String name()
    {
        return name;
    }

    /**
     * The child's process.
     *
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * The child's process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Whether the child still runs.
     *
     * @return true while it runs.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * The child's stdin.
     *
     * @return the stream.
     */
    public OutputStream stdin()
    {
        return process.getOutputStream();
    }

    /**
     * The child's stdout, when the parent reads it ({@link Builder#readStdout()}).
     *
     * @return the stream.
     */
    public InputStream stdout()
    {
        return process.getInputStream();
    }

    /**
     * Sends SIGTERM through the process handle: {@link Process#destroy()} would also close the parent's end of the
     * pipes, and what the child writes while it stops would be lost.
     *
     * @throws AssertionError if the signal is not sent.
     */
    public void sigterm()
    {
        if (!process.toHandle().destroy())
        {
            throw new AssertionError(this + ": SIGTERM not sent");
        }
    }

    /**
     * Sends SIGKILL (kill -9) by pid and waits for the child to die.
     *
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       if it does not die within {@link #END_BOUND_MS}.
     */
    public void kill() throws InterruptedException
    {
        if (!process.toHandle().destroyForcibly())
        {
            throw new AssertionError(this + ": SIGKILL not sent");
        }
        if (!process.waitFor(END_BOUND_MS, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError(this + ": still alive " + END_BOUND_MS + " ms after SIGKILL");
        }
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeoutMs the bound.
     * @return its exit code.
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       with the log's tail if it still runs after the bound.
     */
    public int awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError(this + " did not exit within " + timeoutMs + " ms\n" + tail());
        }
        return process.exitValue();
    }

    /**
     * The log file.
     *
     * @return the file stderr (and stdout unless read) goes to.
     */
    public File logFile()
    {
        return log;
    }

    /**
     * The log so far.
     *
     * @return its text, or a note saying why there is none.
     */
    public String log()
    {
        try
        {
            return Files.readString(log.toPath());
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    /**
     * The last 40 lines of the log, headed by the child's name, for failure messages.
     *
     * @return the tail.
     */
    public String tail()
    {
        final List<String> lines = log().lines().collect(Collectors.toList());
        return "--- " + this + " log (last 40 lines) ---\n" +
            String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Ends the child if it still runs: SIGTERM by pid, then SIGKILL by pid after {@link #END_BOUND_MS}.
     *
     * @throws IllegalStateException if it is still alive {@link #END_BOUND_MS} after SIGKILL.
     */
    public void close()
    {
        if (!endAll(List.of(this)).isEmpty())
        {
            throw new IllegalStateException(this + " still alive after SIGKILL");
        }
    }

    /**
     * Ends children together: SIGTERM to each by pid, then SIGKILL by pid to those still alive after
     * {@link #END_BOUND_MS}.
     *
     * @param children the children.
     * @return the children that did not die, for a test to fail on.
     */
    public static List<String> endAll(final List<ChildJvm> children)
    {
        for (final ChildJvm child : children)
        {
            child.process.toHandle().destroy();
        }
        final List<String> undead = new ArrayList<>();
        boolean interrupted = false;
        for (final ChildJvm child : children)
        {
            try
            {
                if (!child.process.waitFor(END_BOUND_MS, TimeUnit.MILLISECONDS))
                {
                    child.process.toHandle().destroyForcibly();
                    if (!child.process.waitFor(END_BOUND_MS, TimeUnit.MILLISECONDS))
                    {
                        undead.add(child.toString());
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
                child.process.toHandle().destroyForcibly();
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return undead;
    }

    public String toString()
    {
        return name + "(pid " + process.pid() + ")";
    }

    /**
     * What to start: every setting but the name and main class is optional.
     */
    public static final class Builder
    {
        private final String name;
        private final String mainClassName;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> properties = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final List<String> prefix = new ArrayList<>();
        private String classPath;
        private File log;
        private boolean readStdout;

        private Builder(final String name, final String mainClassName)
        {
            this.name = name;
            this.mainClassName = mainClassName;
        }

        /**
         * A small, quick-starting JVM (serial GC, C1 only), for several children sharing a small machine.
         *
         * @param maxHeap the {@code -Xmx} value, e.g. {@code 192m}.
         * @return this.
         */
        public Builder small(final String maxHeap)
        {
            jvmArgs.addAll(List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            return this;
        }

        /**
         * Adds JVM arguments, after the flags of {@link JvmOptions}.
         *
         * @param arguments e.g. {@code -Xmx1g}.
         * @return this.
         */
        public Builder jvmArgs(final List<String> arguments)
        {
            jvmArgs.addAll(arguments);
            return this;
        }

        /**
         * Adds a system property.
         *
         * @param key   its name.
         * @param value its value.
         * @return this.
         */
        public Builder property(final String key, final Object value)
        {
            properties.add("-D" + key + "=" + value);
            return this;
        }

        /**
         * Adds system properties written as {@code -Dname=value}.
         *
         * @param definitions the definitions.
         * @return this.
         */
        public Builder properties(final List<String> definitions)
        {
            for (final String definition : definitions)
            {
                if (!definition.startsWith("-D"))
                {
                    throw new IllegalArgumentException(definition + " is not -Dname=value");
                }
                properties.add(definition);
            }
            return this;
        }

        /**
         * Adds arguments of the main class.
         *
         * @param arguments the arguments.
         * @return this.
         */
        public Builder args(final List<String> arguments)
        {
            args.addAll(arguments);
            return this;
        }

        /**
         * The class path; the running JVM's by default. Prefer {@link ClassPath#frozenCopy()} for children that
         * outlive a rebuild.
         *
         * @param classPath the class path.
         * @return this.
         */
        public Builder classPath(final String classPath)
        {
            this.classPath = classPath;
            return this;
        }

        /**
         * Where stderr, and stdout unless {@link #readStdout()}, go; {@code NAME.log} in the temporary directory
         * by default.
         *
         * @param log the file.
         * @return this.
         */
        public Builder log(final File log)
        {
            this.log = log;
            return this;
        }

        /**
         * Leaves stdout to the parent ({@link ChildJvm#stdout()}), e.g. for {@link LineClient}.
         *
         * @return this.
         */
        public Builder readStdout()
        {
            this.readStdout = true;
            return this;
        }

        /**
         * Words run before {@code java}, e.g. {@code ip netns exec NAME} to start the child in a network namespace.
         * The prefix must exec {@code java} in its own process (as {@code ip netns exec} and {@code nsenter} do), so
         * that {@link ChildJvm#pid()} stays the JVM's pid and the child is still ended by its own pid.
         *
         * @param words the prefix's words.
         * @return this.
         */
        public Builder prefix(final List<String> words)
        {
            prefix.addAll(words);
            return this;
        }

        /**
         * The command line {@link #start()} runs.
         *
         * @return the command.
         */
        public List<String> command()
        {
            final List<String> command = new ArrayList<>(prefix);
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(JvmOptions.argumentFiles());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(null != classPath ? classPath : ClassPath.current());
            command.addAll(properties);
            command.add(mainClassName);
            command.addAll(args);
            return command;
        }

        /**
         * Starts the child.
         *
         * @return the running child.
         * @throws UncheckedIOException if it cannot start.
         */
        public ChildJvm start()
        {
            try
            {
                final File logFile = null != log ? log :
                    new File(System.getProperty("java.io.tmpdir"), name + "-" + System.nanoTime() + ".log");
                final ProcessBuilder builder = new ProcessBuilder(command()).redirectError(logFile);
                if (!readStdout)
                {
                    builder.redirectErrorStream(true).redirectOutput(logFile);
                }
                return new ChildJvm(name, builder.start(), logFile);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start " + name, ex);
            }
        }
    }
}
