package io.cohort.examples.gateway;

import io.cohort.engine.CohortContext;
import io.cohort.engine.StandaloneProcess;
import io.cohort.engine.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one gateway process ({@code examples/gateway [-Dname=value...] [properties-file]}): {@code cohort.*}
 * settings for its node and {@code gateway.*} settings ({@link GatewayContext}) from system properties and,
 * optionally, a properties file (system properties win). SIGTERM closes the clients, leaves the cluster gracefully
 * and exits 0; so does a JMX {@code leave} of its node. An evicted node is relaunched in this process as a new
 * incarnation (the clients stay connected, see {@link Gateway}): the process does not exit. Exit codes:
 * {@value #EXIT_FAILED} cannot start (e.g. a port in use) or join, or its node could not be relaunched;
 * {@value #EXIT_USAGE} bad arguments or settings.
 */
public final class GatewayMain
{
    /** Exit code of a gateway that could not start or join. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad arguments or settings. */
    public static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    private static volatile int exitStatus = -1;

    private GatewayMain()
    {
    }

    /**
     * Runs a gateway until SIGTERM, eviction or failure.
     *
     * @param args an optional properties file.
     */
    public static void main(final String[] args)
    {
        if (args.length > 1 || args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))
        {
            System.err.println("usage: gateway [-Dname=value...] [properties-file]   " +
                "(settings: cohort.* for the node, gateway.port, gateway.bind.address, ...)");
            System.exit(EXIT_USAGE);
        }

        // Installed before the gateway starts, so that a SIGTERM at any time closes what was started, and the
        // process exits 0 rather than with the signal's 143: a supervisor tells a stop from a crash.
        final CountDownLatch launchDone = new CountDownLatch(1);
        final AtomicReference<Gateway> launched = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            awaitQuietly(launchDone);
            final Gateway running = launched.get();
            if (null != running)
            {
                LOG.info("stopping: closing clients, leaving the cluster");
                running.close();
            }
            final int status = exitStatus;
            Runtime.getRuntime().halt(status >= 0 ? status : 0);
        }, "gateway-shutdown"));

        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicReference<String> nodeFailure = new AtomicReference<>();
        final Gateway gateway;
        try
        {
            if (args.length == 1)
            {
                StandaloneProcess.loadProperties(new File(args[0]));
            }
            // A new context for every launch: the first one, and one per relaunch after an eviction.
            gateway = Gateway.launch(CohortContext::new, new GatewayContext(), new Gateway.Observer()
            {
                public void onStateChanged(final NodeState state)
                {
                    // The gateway logs its node's states and relaunches an evicted node itself.
                }

                public void onNodeStopped(final String failure)
                {
                    // On the node's or the supervisor's thread: the main thread closes and exits.
                    nodeFailure.set(failure);
                    stopped.countDown();
                }
            });
            launched.set(gateway);
            launchDone.countDown();
        }
        catch (final IllegalArgumentException ex)
        {
            exit(launchDone, EXIT_USAGE, "gateway: " + ex.getMessage());
            return;
        }
        catch (final RuntimeException | Error ex)
        {
            exit(launchDone, EXIT_FAILED, "gateway: cannot start: " + (ex instanceof Error ? ex : ex.getMessage()));
            return;
        }

        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final String failure = nodeFailure.get();
        gateway.close();
        exit(launchDone, null == failure ? 0 : EXIT_FAILED, null == failure ? null : "gateway: " + failure);
    }

    private static void exit(final CountDownLatch launchDone, final int status, final String error)
    {
        if (null != error)
        {
            System.err.println(error.replace('\n', ' '));
        }
        exitStatus = status;
        launchDone.countDown();
        System.exit(status); // the shutdown hook halts with this status
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
