package io.cohort.engine;

import static io.cohort.engine.SimNode.ms;

/**
 * The simulated node a test of a few nodes needs: 50 ms heartbeats and a 500 ms timeout (a cluster forms and
 * settles in tens of simulated milliseconds), and state sized for a handful of rooms, connections and nodes.
 */
final class SmallNodes
{
    private SmallNodes()
    {
    }

    /**
     * @return a fresh context of that timing and sizing.
     */
    static CohortContext context()
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(1000))
            .joinTimeoutNs(ms(10_000));
        context.stateContext().maxRooms(64).maxConnections(64).maxNodes(4).maxOverflowSubscriptions(64)
            .maxFilterBytes(256).snapshotFrameLength(4096);
        return context;
    }

    /**
     * @return a node of that context on the network, with a listener that ignores everything.
     */
    static SimNode node(final SimNetwork network, final long nodeId)
    {
        return new SimNode(network, nodeId, context(), new CohortListener()
        {
        });
    }
}
