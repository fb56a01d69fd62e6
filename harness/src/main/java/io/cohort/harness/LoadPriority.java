package io.cohort.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority (raises the nice value) of the calling thread alone, for the bench's
 * {@code loadNice}: on a machine with fewer cores than runnable threads, a load generator at the same priority as
 * the nodes it measures takes the cores from them (at a fixed rate it yields between calls tens of microseconds
 * apart, so it is always runnable), and the latency measured is partly the generator's own. Linux only: a thread's
 * id comes from {@code /proc/thread-self}, and {@code renice} sets one thread's nice value there (raising it needs
 * no privilege).
 */
final class LoadPriority
{
    /** Highest nice value Linux accepts. */
    static final int MAX_NICE = 19;
    private static final Path THREAD_SELF = Paths.get("/proc/thread-self");

    private LoadPriority()
    {
    }

    /**
     * Gives the calling thread a nice value; 0 leaves it as it is.
     *
     * @param nice 0 to {@link #MAX_NICE}.
     * @throws IllegalArgumentException if {@code nice} is out of range.
     * @throws IllegalStateException naming why the thread's priority could not be lowered (not Linux, no
     *                               {@code renice}, or it failed): a run asked for it must not measure without it.
     */
    static void lowerCallingThread(final int nice)
    {
        if (nice < 0 || nice > MAX_NICE)
        {
            throw new IllegalArgumentException("loadNice must be 0 to " + MAX_NICE + ", was " + nice);
        }
        if (0 == nice)
        {
            return;
        }
        final long tid = callingThreadId();
        // --priority is the absolute value in every util-linux (its -n became relative in later versions).
        final String command = "renice --priority " + nice + " -p " + tid;
        try
        {
            final Process renice = new ProcessBuilder(
                "renice", "--priority", String.valueOf(nice), "-p", String.valueOf(tid))
                .redirectErrorStream(true).start();
            final String output;
            try
            {
                // Its one line of output fits the pipe, so waiting before reading cannot block it.
                if (!renice.waitFor(5, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException(command + " did not end within 5 s");
                }
                output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            finally
            {
                renice.destroyForcibly();
            }
            if (0 != renice.exitValue())
            {
                throw new IllegalStateException(command + " failed (exit " + renice.exitValue() + "): " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(command + " could not run: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " interrupted", ex);
        }
        final int actual = niceOfCallingThread();
        if (actual != nice)
        {
            throw new IllegalStateException(command + " left the thread at nice " + actual);
        }
    }

    /**
     * @return the calling thread's nice value, as the kernel reports it.
     * @throws IllegalStateException if {@code /proc/thread-self/stat} cannot be read.
     */
    static int niceOfCallingThread()
    {
        try
        {
            final String stat = new String(Files.readAllBytes(THREAD_SELF.resolve("stat")), StandardCharsets.UTF_8);
            // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, nice 19.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(fields[19 - 3]);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot read this thread's nice value from " + THREAD_SELF + ": " + ex, ex);
        }
    }

    private static long callingThreadId()
    {
        try
        {
            // "/proc/thread-self" links to "PID/task/TID".
            return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("loadNice needs Linux's " + THREAD_SELF + ": " + ex, ex);
        }
    }
}
