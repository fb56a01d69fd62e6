package io.cohort.engine;

import io.cohort.test.Await;
import io.cohort.test.LoopbackCluster;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real Cohort nodes for a {@link LoopbackCluster}: launched in the test's JVM on loopback with ports of their own
 * choosing, small state capacities and a 3 s heartbeat timeout (a shared 2-core machine stalls threads for longer
 * than the 1 s default).
 * <pre>{@code
 * @RegisterExtension
 * final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();
 * }</pre>
 */
public final class LocalNodes
{
    /** How long {@link #await(String, BooleanSupplier)} waits. */
    public static final long AWAIT_MS = 20_000;

    private LocalNodes()
    {
    }

    /**
     * An extension that launches nodes with {@link #context(File, long, String)}.
     *
     * @return the extension, to register in a test class.
     */
    public static LoopbackCluster<CohortNode> cluster()
    {
        return new LoopbackCluster<>((directory, nodeId, seeds) -> Cohort.launch(context(directory, nodeId, seeds)),
            LocalNodes::seedOf);
    }

    /**
     * A context for one node, to adjust before launching it and handing it to {@link LoopbackCluster#add}.
     *
     * @param countersDir where the node writes its counters file (the cluster's directory).
     * @param nodeId      the node's id.
     * @param seeds       {@code host:port} of a member to join through, empty for the first node.
     * @return the context.
     */
    public static CohortContext context(final File countersDir, final long nodeId, final String seeds)
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
     * Waits up to {@link #AWAIT_MS} for a condition.
     *
     * @param what      what is awaited, for the failure message.
     * @param condition the condition.
     * @throws InterruptedException if interrupted.
     */
    public static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        Await.until(what, AWAIT_MS, condition);
    }
}
