package io.cohort.node;

import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.engine.StandaloneProcess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The standalone node ({@code ./cohort node [properties-file]}): reads {@code cohort.*} settings from system
 * properties and, optionally, a properties file (system properties win), runs one node, logs its state changes,
 * and leaves gracefully on SIGTERM. Exit codes: 0 after a graceful stop, {@value StandaloneProcess#EXIT_EVICTED} when the node
 * was evicted (a supervisor should start a new incarnation), {@value StandaloneProcess#EXIT_FAILED} when it could not start or
 * join, {@value StandaloneProcess#EXIT_USAGE} for bad arguments or configuration.
 */
public final class CohortMain
{
    private static final int EXIT_FAILED = StandaloneProcess.EXIT_FAILED;
    private static final int EXIT_USAGE = StandaloneProcess.EXIT_USAGE;

    private static final Logger LOG = LoggerFactory.getLogger(CohortMain.class);

    private CohortMain()
    {
    }

    /**
     * Runs a node until SIGTERM, eviction or failure.
     *
     * @param args an optional properties file.
     */
    public static void main(final String[] args)
    {
        if (args.length > 1 || args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))
        {
            System.err.println("usage: cohort node [properties-file]   (settings: cohort.* system properties)");
            System.exit(EXIT_USAGE);
        }

        // Installed before the node starts, so that a SIGTERM at any time (a slow start included) stops the node
        // gracefully and exits 0, not the signal's 143, so that supervisors tell it from a crash. The hook always
        // halts: with the status main chose if main is exiting, else after a graceful stop.
        final CountDownLatch launchDone = new CountDownLatch(1);
        final AtomicReference<CohortNode> launched = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            awaitQuietly(launchDone);
            final CohortNode running = launched.get();
            if (null != running)
            {
                LOG.info("stopping: leaving the cluster");
                running.close();
                LOG.info("stopped");
            }
            final int status = exitStatus;
            Runtime.getRuntime().halt(status >= 0 ? status : null == running || null == running.failure() ?
                0 : EXIT_FAILED);
        }, "cohort-shutdown"));

        final CohortNode node;
        final CountDownLatch stopped = new CountDownLatch(1);
        try
        {
            StandaloneProcess.requireJvmFlags();
            if (args.length == 1)
            {
                StandaloneProcess.loadProperties(new File(args[0]));
            }
            final CohortContext context = new CohortContext().listener(new CohortListener()
            {
                public void onStateChanged(final NodeState previous, final NodeState current)
                {
                    if (NodeState.EVICTED == current)
                    {
                        StandaloneProcess.haltAfterEviction();
                    }
                    if (NodeState.CLOSED == current)
                    {
                        stopped.countDown();
                    }
                }
            });
            StandaloneProcess.standaloneDefaults(context).conclude();
            node = Cohort.launch(context);
            launched.set(node);
            launchDone.countDown();
        }
        catch (final IllegalArgumentException ex)
        {
            exit(launchDone, EXIT_USAGE, "cohort: " + ex.getMessage());
            return;
        }
        catch (final RuntimeException | Error ex)
        {
            // Errors too (e.g. a library's static initialiser cut short by a SIGTERM): one line, never a trace.
            exit(launchDone, EXIT_FAILED, "cohort: cannot start: " + (ex instanceof Error ? ex : ex.getMessage()));
            return;
        }

        try
        {
            stopped.await();
            TimeUnit.MILLISECONDS.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
        exit(launchDone, null == node.failure() ? 0 : EXIT_FAILED,
            null == node.failure() ? null : "cohort: " + node.failure());
    }

    private static volatile int exitStatus = -1;

    /**
     * Exits with a status unless a shutdown (a SIGTERM) is already under way: then the shutdown hook decides,
     * and an error caused by the shutdown itself (e.g. a start cut short) is not reported.
     */
    private static void exit(final CountDownLatch launchDone, final int status, final String error)
    {
        if (!shuttingDown())
        {
            if (null != error)
            {
                System.err.println(error.replace('\n', ' '));
            }
            exitStatus = status;
        }
        launchDone.countDown();
        System.exit(status); // blocks if the shutdown hook already runs; it halts the JVM
    }

    private static boolean shuttingDown()
    {
        final Thread probe = new Thread(() ->
        {
        });
        try
        {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (final IllegalStateException ex)
        {
            return true;
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
