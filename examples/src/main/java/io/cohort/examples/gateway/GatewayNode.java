package io.cohort.examples.gateway;

import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortNode;
import io.cohort.engine.CohortSupervisor;
import io.cohort.engine.NodeState;
import io.cohort.micrometer.CohortMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The gateway's node across evictions. A {@link CohortSupervisor} launches it and, when it is evicted, closes it and
 * launches a new incarnation in this JVM; this then rebinds the metrics to the new node (same name and tags) and,
 * once the new node is RUNNING, has the clients' subscriptions made again on it ({@link SubscriptionRestore}). The
 * node changes under the gateway's feet: each use reads {@link #current()} once and keeps to that node.
 */
final class GatewayNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

    private final LocalRooms localRooms;
    private final long callRetryNs;
    private final MeterRegistry meterRegistry;
    private final Executor restorer;
    private final Gateway.Observer observer;
    private volatile CohortSupervisor supervisor;
    private volatile SubscriptionRestore restore;
    private volatile CohortNode node;
    /** Guarded by {@link #meterRegistry}: the current node's metrics. */
    private CohortMetrics metrics;
    private volatile boolean closed;

    /**
     * @param restorer runs a restore (it may wait on a full queue): the gateway's scheduler.
     */
    GatewayNode(final LocalRooms localRooms, final long callRetryNs, final MeterRegistry meterRegistry,
        final Executor restorer, final Gateway.Observer observer)
    {
        this.localRooms = localRooms;
        this.callRetryNs = callRetryNs;
        this.meterRegistry = meterRegistry;
        this.restorer = restorer;
        this.observer = observer;
    }

    /**
     * Launches the first incarnation.
     *
     * @param contexts a new context for every launch, with the gateway's listener.
     */
    void launch(final Supplier<CohortContext> contexts)
    {
        final CohortSupervisor launched = CohortSupervisor.launch(contexts, new Relaunches());
        supervisor = launched;
        // Before the node is published: the node's thread uses the restore once it sees the node.
        restore = new SubscriptionRestore(localRooms, callRetryNs, launched.node().incarnation());
        node = launched.node();
        bindMetrics(node);
    }

    /**
     * The node now.
     *
     * @return the current incarnation, or null before the first launch returned.
     */
    CohortNode current()
    {
        return node;
    }

    long relaunches()
    {
        return supervisor.relaunches();
    }

    /**
     * A node's state changed, on its thread: a relaunched node that is RUNNING gets its subscriptions back; a node
     * closed without a failure by someone other than the gateway (a JMX leave) left on purpose, and the supervisor
     * does not relaunch it.
     */
    void onStateChanged(final NodeState state)
    {
        final CohortNode now = node;
        if (null == now || closed)
        {
            return; // the first launch has not returned; or the gateway is closing
        }
        if (NodeState.RUNNING == state)
        {
            restoreIfRelaunched(now);
        }
        else if (NodeState.CLOSED == state && null == now.failure())
        {
            observer.onNodeStopped(null);
        }
    }

    /**
     * Stops relaunching, unbinds the metrics, and closes the node (a graceful leave). Idempotent.
     */
    public void close()
    {
        closed = true;
        synchronized (meterRegistry)
        {
            CloseHelper.quietClose(metrics);
        }
        CloseHelper.close(supervisor);
    }

    /**
     * Restores the clients' subscriptions on a relaunched node once it is RUNNING. Called when the relaunch is
     * known (the supervisor's thread) and when a node becomes RUNNING (the node's thread), since either may come
     * first: both read the other's volatile write after their own, so at least one sees both; the claim makes the
     * restore run once per incarnation.
     */
    private void restoreIfRelaunched(final CohortNode current)
    {
        if (restore.claim(current))
        {
            restorer.execute(() -> restore.restore(current, this::current));
        }
    }

    private void bindMetrics(final CohortNode current)
    {
        synchronized (meterRegistry)
        {
            if (closed)
            {
                return; // a relaunch that ended after the gateway closed
            }
            // The same node name and tags: the old incarnation's meters go, the new one's take their place.
            CloseHelper.quietClose(metrics);
            final CohortMetrics bound = new CohortMetrics(current);
            bound.bindTo(meterRegistry);
            metrics = bound;
        }
    }

    /**
     * Told by the supervisor, on its thread, of each relaunch.
     */
    private final class Relaunches implements CohortSupervisor.Listener
    {
        public void onRelaunched(final CohortNode previous, final CohortNode current)
        {
            node = current;
            LOG.warn("gateway: node {} incarnation {} was {}: relaunched as incarnation {}; the clients stay " +
                "connected and their subscriptions are made again once it is RUNNING",
                String.format("%016x", current.nodeId()), previous.incarnation(), previous.state(),
                current.incarnation());
            bindMetrics(current);
            restoreIfRelaunched(current);
        }

        public void onRelaunchFailed(final Throwable cause, final long retryInMs)
        {
            if (retryInMs < 0 && !closed)
            {
                observer.onNodeStopped("the node could not be relaunched after its eviction: " + cause.getMessage());
            }
        }
    }
}
