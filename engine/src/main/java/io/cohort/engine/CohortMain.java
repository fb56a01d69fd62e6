package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The standalone node ({@code ./cohort node [properties-file]}): reads {@code cohort.*} settings from system
 * properties and, optionally, a properties file (system properties win), runs one node, logs its state changes,
 * and leaves gracefully on SIGTERM. Exit codes: 0 after a graceful stop, {@value #EXIT_EVICTED} when the node
 * was evicted (a supervisor should start a new incarnation), {@value #EXIT_FAILED} when it could not start or
 * join, {@value #EXIT_USAGE} for bad arguments or configuration.
 */
public final class CohortMain
{
    /** Exit code of a node that was evicted from its cluster. */
    public static final int EXIT_EVICTED = 3;
    /** Exit code of a node that failed to start or to join. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad arguments or configuration. */
    public static final int EXIT_USAGE = 2;

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

        final CohortNode node;
        final CountDownLatch stopped = new CountDownLatch(1);
        final int[] exitCode = { 0 };
        try
        {
            if (args.length == 1)
            {
                loadProperties(new File(args[0]));
            }
            final CohortContext context = new CohortContext().listener(new CohortListener()
            {
                public void onStateChanged(final NodeState previous, final NodeState current)
                {
                    if (NodeState.EVICTED == current)
                    {
                        LOG.error("evicted: halting so that a supervisor starts a new incarnation");
                        // The node must stop serving at once: no shutdown hooks, no graceful leave.
                        Runtime.getRuntime().halt(EXIT_EVICTED);
                    }
                    if (NodeState.CLOSED == current)
                    {
                        stopped.countDown();
                    }
                }

                public void onMemberEvicted(final long nodeId, final int reason)
                {
                    LOG.warn("member {} evicted: {}", ClusterCore.id(nodeId), ReasonCode.name(reason));
                }
            });
            context.conclude();
            node = Cohort.launch(context);
            LOG.info("node {} incarnation {} sync={} command={}", ClusterCore.id(node.nodeId()), node.incarnation(),
                node.syncEndpoint(), node.commandEndpoint());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("cohort: " + ex.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        catch (final RuntimeException ex)
        {
            System.err.println("cohort: cannot start: " + ex.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            LOG.info("stopping: leaving the cluster");
            node.close();
            LOG.info("stopped");
            // A graceful stop on SIGTERM exits 0, not the signal's 143, so supervisors tell it from a crash.
            Runtime.getRuntime().halt(null == node.failure() ? 0 : EXIT_FAILED);
        }, "cohort-shutdown"));

        try
        {
            stopped.await();
            if (null != node.failure())
            {
                System.err.println("cohort: " + node.failure());
                exitCode[0] = EXIT_FAILED;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
        System.exit(exitCode[0]);
    }

    private static void loadProperties(final File file)
    {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file.toPath()))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("properties file " + file + " cannot be read: " + ex.getMessage(), ex);
        }
        for (final String name : properties.stringPropertyNames())
        {
            if (null == System.getProperty(name))
            {
                System.setProperty(name, properties.getProperty(name).trim());
            }
        }
    }
}
