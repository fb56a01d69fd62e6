package io.cohort.engine;

import io.cohort.state.SubscriptionState;
import io.cohort.transport.CountersFile;
import io.cohort.transport.TransportCounters;
import io.cohort.transport.ZmqTransport;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Launches Cohort nodes.
 * <pre>{@code
 * try (CohortNode node = Cohort.launch(new CohortContext().seeds("10.0.0.1:7510,10.0.0.2:7510")))
 * {
 *     node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS);
 *     final long room = CohortNode.roomId("index", "collection", filterBytes);
 *     final CallResult created = node.createRoom("index", "collection", filterBytes);
 *     final CallResult subscribed = node.subscribe(connectionId, room); // ACCEPTED: queued after the room
 * }
 * }</pre>
 */
public final class Cohort
{
    private static final Logger LOG = LoggerFactory.getLogger(Cohort.class);
    /**
     * Ids of the nodes launched in this JVM and not yet closed. Invariant: at most one open node per id in a JVM,
     * so that a relaunch never takes the counters file (named by the id) of a node still running: the old node's
     * close would delete the new node's file.
     */
    private static final Set<Long> OPEN_NODE_IDS = ConcurrentHashMap.newKeySet();

    private Cohort()
    {
    }

    /**
     * Starts a node: binds its sockets, creates its off-heap state, and starts its thread, which joins the
     * cluster through the seeds (or starts a new one). Returns at once; use {@link CohortNode#awaitState} to wait
     * for {@link NodeState#RUNNING}.
     *
     * @param context the configuration; concluded here.
     * @return the running node.
     * @throws IllegalArgumentException for bad configuration, naming {@code name=value}.
     * @throws IllegalStateException if a socket cannot bind (e.g. a port in use), the JVM lacks a flag of
     *                               {@code jvm.options} (each missing one named), the context launched a node
     *                               already, or a node of the same id is open in this JVM.
     */
    public static CohortNode launch(final CohortContext context)
    {
        return launch(context, null);
    }

    /**
     * Starts a node, as {@link #launch(CohortContext)}, telling a hook of its state changes.
     *
     * @param stateHook told of every state change after the context's listener, on the node's thread (it must not
     *                  block), or null.
     */
    static CohortNode launch(final CohortContext context, final Consumer<NodeState> stateHook)
    {
        JvmRequirements.verify();
        if (context.launched())
        {
            throw new IllegalStateException("this CohortContext launched node " + ClusterCore.id(context.nodeId()) +
                " incarnation " + context.incarnation() + " already: a context launches one node (its id and " +
                "incarnation); launch again with a new CohortContext, or let a CohortSupervisor do it");
        }
        context.conclude();
        if (!OPEN_NODE_IDS.add(context.nodeId()))
        {
            throw new IllegalStateException(CohortConfiguration.NODE_ID_PROP_NAME + "=" +
                ClusterCore.id(context.nodeId()) + ": a node of this id is open in this JVM: close it before " +
                "launching its new incarnation (they would share a counters file), or give each node its own id");
        }
        try
        {
            final CohortNode node = start(context, stateHook);
            context.launched(true);
            return node;
        }
        catch (final RuntimeException | Error ex)
        {
            OPEN_NODE_IDS.remove(context.nodeId());
            throw ex;
        }
    }

    /**
     * A node was closed and released everything it held: its id may be launched again in this JVM.
     */
    static void released(final long nodeId)
    {
        OPEN_NODE_IDS.remove(nodeId);
    }

    private static CohortNode start(final CohortContext context, final Consumer<NodeState> stateHook)
    {
        final ErrorHandler reportingHandler = null != context.errorHandler() ? context.errorHandler() :
            defaultErrorHandler(context.nodeId());

        CountersFile countersFile = null;
        SubscriptionState state = null;
        ZmqTransport transport = null;
        try
        {
            countersFile = new CountersFile(new File(context.transportContext().countersDir()), context.nodeId(),
                context.transportContext().maxCounters());
            final TransportCounters counters = new TransportCounters(countersFile.countersManager());
            final NodeCounters nodeCounters = new NodeCounters(countersFile.countersManager(), context.incarnation());
            final ErrorHandler errorHandler = new CountingErrorHandler(reportingHandler, nodeCounters.errorCounter());
            // Sockets first: a port in use fails the launch at once, not after the off-heap state's creation
            // (seconds with large capacities). Nothing is read from them before the node's thread starts.
            transport = new ZmqTransport(context.transportContext(), counters, errorHandler);
            final ClusterCore[] coreHolder = new ClusterCore[1];
            state = new SubscriptionState(context.stateContext(),
                (roomId, previous, current) -> coreHolder[0].onLocalCountChanged(roomId, previous, current));

            final SystemNanoClock clock = SystemNanoClock.INSTANCE;
            final CohortListener listener = new NodeStatusListener(context.listener(), nodeCounters, stateHook);
            final ClusterCore core = new ClusterCore(
                context, listener, transport, state, errorHandler, clock.nanoTime());
            coreHolder[0] = core;
            core.sliceClock(clock);
            core.threadCpuClock(ThreadCpuClock.ifSupported());
            final ManyToOneRingBuffer apiQueue = new ManyToOneRingBuffer(
                new UnsafeBuffer(ByteBuffer.allocateDirect(context.apiQueueBufferLength())));
            LOG.info("node {} incarnation {} launching Cohort {}: sync={} command={} counters={} {}",
                ClusterCore.id(context.nodeId()), context.incarnation(), LaunchSummary.version(),
                transport.syncEndpoint(), transport.commandEndpoint(), countersFile.file(),
                LaunchSummary.settings(context));
            core.start(clock.nanoTime(), SeedEndpoints.of(context));

            final Doorbell doorbell = new Doorbell();
            final NodeAgent agent = new NodeAgent(core, transport, apiQueue, clock, listener, errorHandler,
                context.nodeId(), nodeCounters, state, context.sliceBudgetNs(), transport, state, counters,
                nodeCounters, countersFile, doorbell);
            final IdleStrategy idleStrategy = idleStrategy(context, transport, apiQueue, doorbell, agent);
            final AgentRunner runner =
                new AgentRunner(idleStrategy, reportingHandler, nodeCounters.errorCounter(), agent);
            final CohortNode node = new CohortNode(context, core, apiQueue, runner, new CountReaders(state),
                transport.syncEndpoint(), transport.commandEndpoint(),
                new CounterLookup(countersFile.countersManager()), doorbell);
            if (context.jmxEnabled())
            {
                final NodeJmx jmx = new NodeJmx(
                    node, nodeCounters, countersFile.countersManager(), countersFile.file().getPath());
                jmx.register();
                node.jmx(jmx);
            }
            AgentRunner.startOnThread(runner);
            return node;
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(transport, state, countersFile);
            throw ex;
        }
    }

    /**
     * Cohort's version, as built.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from classes that no build has filtered.
     */
    public static String version()
    {
        return LaunchSummary.version();
    }

    /**
     * The node thread's idle strategy: the one set in code, else the one {@code cohort.idle.strategy} names.
     */
    static IdleStrategy idleStrategy(
        final CohortContext context,
        final ZmqTransport transport,
        final RingBuffer apiQueue,
        final Doorbell doorbell,
        final IdleConditions conditions)
    {
        if (null != context.idleStrategy())
        {
            return context.idleStrategy();
        }
        return IdleMode.BUSY_SPIN == IdleMode.of(context.idleStrategyName()) ? new BusySpinIdleStrategy() :
            new PollingIdleStrategy(transport, apiQueue, doorbell, conditions, SystemNanoClock.INSTANCE,
            PollingIdleStrategy.maxPollTimeoutMs(context.heartbeatIntervalNs()));
    }

    /**
     * Logs each error with its stack trace, at most a burst per kind of error (its class) per interval: one peer
     * sending junk must not fill the disk; the errors counter still counts every one.
     */
    private static ErrorHandler defaultErrorHandler(final long nodeId)
    {
        final RateLimitedWarnings lines = new RateLimitedWarnings(LOG::warn, SystemNanoClock.INSTANCE,
            RateLimitedWarnings.DEFAULT_BURST, RateLimitedWarnings.DEFAULT_INTERVAL_NS);
        return (throwable) -> lines.warn(throwable.getClass().getName(), "node {}: {}", ClusterCore.id(nodeId),
            throwable.toString(), throwable);
    }
}
