package io.cohort.engine;

import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real nodes launched in the test's JVM on loopback with free ports, small state capacities and a 3 s heartbeat
 * timeout (a shared 2-core machine stalls threads for longer than the 1 s default); closing it closes them all.
 */
public final class LocalNodes implements AutoCloseable
{
    private final File countersDir;
    private final List<CohortNode> nodes = new ArrayList<>();

    /**
     * @param countersDir where the nodes write their counters files (a test's temporary directory).
     */
    public LocalNodes(final File countersDir)
    {
        this.countersDir = countersDir;
    }

    /**
     * A context for one node of these, to adjust before {@link #launch(CohortContext)}.
     *
     * @param nodeId the node's id.
     * @param seeds  {@code host:port} of a member to join through, empty for the first node.
     * @return the context.
     */
    public CohortContext context(final long nodeId, final String seeds)
    {
        final CohortContext context = new CohortContext().nodeId(nodeId).seeds(seeds)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(3));
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(countersDir.getPath());
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(4).maxOverflowSubscriptions(1024);
        return context;
    }

    /**
     * Launches a node, closed with the others.
     *
     * @param context its context, typically from {@link #context(long, String)}.
     * @return the node.
     */
    public CohortNode launch(final CohortContext context)
    {
        final CohortNode node = Cohort.launch(context);
        nodes.add(node);
        return node;
    }

    /**
     * The seed address of a node, for the next one to join through.
     *
     * @param node a launched node.
     * @return its command endpoint as {@code host:port}.
     */
    public static String seedOf(final CohortNode node)
    {
        return node.commandEndpoint().substring("tcp://".length());
    }

    /**
     * Waits up to 20 s for a condition.
     *
     * @param what      what is awaited, for the failure message.
     * @param condition the condition.
     * @throws InterruptedException if interrupted.
     */
    public static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Closes every node launched (each leaves gracefully).
     */
    public void close()
    {
        nodes.forEach(CloseHelper::quietClose);
        nodes.clear();
    }
}
