package io.cohort.netns;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the network-namespace test needs ({@code ip}, {@code iptables}, the install script) and
 * says clearly what failed: the command, its exit code and its output.
 */
final class Shell
{
    /** A tool that does not answer within this bound is stuck; the test fails rather than hangs. */
    private static final long COMMAND_BOUND_MS = 60_000;
    /** Installing a package runs apt-get: allow for a slow mirror. */
    static final long INSTALL_BOUND_MS = 600_000;

    private Shell()
    {
    }

    /**
     * The outcome of one command.
     *
     * @param command  what ran.
     * @param exitCode its exit code.
     * @param output   its stdout and stderr, interleaved.
     */
    record Result(List<String> command, int exitCode, String output)
    {
        boolean ok()
        {
            return 0 == exitCode;
        }

        public String toString()
        {
            return String.join(" ", command) + " -> exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /**
     * Runs a command, failing unless it exits 0.
     *
     * @param command the command and its arguments.
     * @return its output.
     * @throws IllegalStateException naming the command, its exit code and output if it fails.
     */
    static String run(final List<String> command)
    {
        final Result result = runQuietly(command, null, COMMAND_BOUND_MS);
        if (!result.ok())
        {
            throw new IllegalStateException("command failed: " + result);
        }
        return result.output();
    }

    /**
     * Runs a command that reads its input from stdin (e.g. {@code iptables-restore}), failing unless it exits 0.
     *
     * @param command the command and its arguments.
     * @param stdin   what to write to its stdin.
     * @return its output.
     * @throws IllegalStateException naming the command, its exit code and output if it fails.
     */
    static String run(final List<String> command, final String stdin)
    {
        final Result result = runQuietly(command, stdin, COMMAND_BOUND_MS);
        if (!result.ok())
        {
            throw new IllegalStateException("command failed: " + result + "\ninput:\n" + stdin);
        }
        return result.output();
    }

    /**
     * Runs a command and returns what happened, whatever its exit code.
     *
     * @param command the command and its arguments.
     * @param stdin   what to write to its stdin, or null for none.
     * @param boundMs how long it may run; past that it is killed (by its own pid) and reported as exit -1.
     * @return the result.
     */
    static Result runQuietly(final List<String> command, final String stdin, final long boundMs)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return new Result(command, -1, "cannot start: " + ex.getMessage());
        }
        try
        {
            try (OutputStream in = process.getOutputStream())
            {
                if (null != stdin)
                {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            final byte[][] output = new byte[1][];
            final Thread reader = new Thread(() ->
            {
                try (InputStream out = process.getInputStream())
                {
                    output[0] = out.readAllBytes();
                }
                catch (final IOException ex)
                {
                    output[0] = ("(output unreadable: " + ex + ")").getBytes(StandardCharsets.UTF_8);
                }
            }, "shell-output");
            reader.start();
            if (!process.waitFor(boundMs, TimeUnit.MILLISECONDS))
            {
                process.toHandle().destroyForcibly();
                process.waitFor(COMMAND_BOUND_MS, TimeUnit.MILLISECONDS);
                reader.join(1_000);
                return new Result(command, -1, "still running after " + boundMs + " ms: killed");
            }
            reader.join(COMMAND_BOUND_MS);
            return new Result(command, process.exitValue(),
                null == output[0] ? "" : new String(output[0], StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            process.toHandle().destroyForcibly();
            return new Result(command, -1, "cannot write its input: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted");
        }
    }

    /**
     * Finds an executable on the {@code PATH} or in the system directories a non-login root shell may lack.
     *
     * @param name the executable's name, e.g. {@code ip}.
     * @return its path, or null if there is none.
     */
    static String which(final String name)
    {
        final List<String> directories = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (null != path)
        {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (final String directory : directories)
        {
            final File candidate = new File(directory, name);
            if (candidate.isFile() && candidate.canExecute())
            {
                return candidate.getPath();
            }
        }
        return null;
    }

    /**
     * Whether this JVM runs as root: creating namespaces and links needs it.
     *
     * @return true for uid 0.
     */
    static boolean isRoot()
    {
        final Result id = runQuietly(List.of("id", "-u"), null, COMMAND_BOUND_MS);
        return id.ok() && "0".equals(id.output().strip());
    }
}
