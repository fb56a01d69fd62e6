package io.cohort.engine;

import io.cohort.state.SubscriptionState;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.cohort.transport.ZmqTransport;

/**
 * The node's duty cycle, run by an {@link org.agrona.concurrent.AgentRunner}: read the clock once, poll the
 * transport, drain the API queue through the {@link ApiDispatcher} (unless the broadcast stream is back-pressured,
 * which pushes the pressure back to callers as {@link CallResult#BACK_PRESSURED}; a closed replication window does
 * not stop the draining: changed rooms coalesce meanwhile; nor does a full directed stream: publishes to its node's
 * rooms are refused whole by its {@link NotificationCredit}), run the protocol's timers, publish the
 * {@link FlowGate}'s view of the queue, flush batched frames, and now and then refresh the node counters that
 * {@code cohort stat} and JMX read.
 */
final class NodeAgent implements Agent, IdleConditions
{
    /**
     * Calls read between two looks at the clock: at a microsecond a call, a clock read every 64 us; cold (a node's
     * first calls, 200 us each) a batch of 256 held the thread 56 ms past the budget, measured, and 64 keep it near
     * 14 ms.
     */
    private static final int API_COMMANDS_PER_BATCH = 64;
    /** Calls a cycle reads at most, whatever the clock says (a coarse clock must not let one cycle run long). */
    private static final int API_COMMANDS_PER_CYCLE = 4096;

    private final ClusterCore core;
    private final ZmqTransport transport;
    private final ManyToOneRingBuffer apiQueue;
    private final NanoClock clock;
    private final NodeCounters nodeCounters;
    private final SubscriptionState state;
    private final MessageHandler apiHandler;
    private final String roleName;
    private final long sliceBudgetNs;
    private final AutoCloseable[] resources;

    NodeAgent(
        final ClusterCore core,
        final ZmqTransport transport,
        final ManyToOneRingBuffer apiQueue,
        final NanoClock clock,
        final CohortListener listener,
        final ErrorHandler errorHandler,
        final long nodeId,
        final NodeCounters nodeCounters,
        final SubscriptionState state,
        final long sliceBudgetNs,
        final AutoCloseable... resources)
    {
        this.sliceBudgetNs = sliceBudgetNs;
        this.nodeCounters = nodeCounters;
        this.state = state;
        this.resources = resources;
        this.core = core;
        this.transport = transport;
        this.apiQueue = apiQueue;
        this.clock = clock;
        this.roleName = "cohort-node-" + ClusterCore.id(nodeId);
        this.apiHandler = new ApiDispatcher(core, listener, errorHandler);
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        core.beginCycle(nowNs);
        // Each member's stream gets a slice, as calls and long jobs do: a burst of frames is applied over cycles.
        int workCount = transport.poll(core.syncHandler(), core.commandHandler(), sliceBudgetNs);
        boolean drained = false;
        final long consumedBefore = apiQueue.consumerPosition();
        // Only the broadcast stream holds calls back: rows and events are claimed on it, while a publish meets its
        // destinations' credit itself (refused whole, and reported, if one of them is full). And a node whose lease
        // ran out serves nobody: calls already queued wait, applied if a quorum hears it again (after a stall of its
        // own, a heartbeat round trip) or refused once it is evicted, rather than refused for a gap that short.
        if (!callsHeldBack())
        {
            drained = readApiCalls(nowNs);
        }
        final long readBytes = apiQueue.consumerPosition() - consumedBefore;
        workCount += readBytes > 0 ? 1 : 0;
        workCount += core.doWork(nowNs);
        core.flowControl().gate().onApiQueue(nowNs, drained, apiQueue.size(), apiQueue.capacity(), readBytes);
        workCount += transport.flush();
        if (0 != nodeCounters.update(nowNs, core, state))
        {
            transport.counters().commandTimeouts().setRelease(core.requestTimeouts());
        }
        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public long nextDeadlineNs(final long nowNs)
    {
        return core.nextDeadlineNs(nowNs);
    }

    /**
     * {@inheritDoc}
     */
    public boolean callsHeldBack()
    {
        return transport.outbound().isBroadcastBackPressured() || NodeState.NO_QUORUM == core.state();
    }

    /**
     * Reads calls in batches until the queue is empty or the cycle's budget ({@code cohort.slice.budget}) is spent:
     * a cycle bounded in time keeps heartbeats, replication and the flush of what the calls changed on a
     * millisecond rhythm under any load, and a shorter cycle also flushes each change sooner.
     *
     * @return whether the queue was drained (the last batch came back short).
     */
    private boolean readApiCalls(final long cycleStartNs)
    {
        int total = 0;
        while (true)
        {
            final int read = apiQueue.read(apiHandler, API_COMMANDS_PER_BATCH);
            total += read;
            if (read < API_COMMANDS_PER_BATCH)
            {
                return true;
            }
            if (total >= API_COMMANDS_PER_CYCLE || clock.nanoTime() - cycleStartNs >= sliceBudgetNs)
            {
                return false;
            }
        }
    }

    /**
     * Closes what the node's thread owns, on that thread, after its last duty cycle.
     */
    public void onClose()
    {
        core.closed();
        CloseHelper.closeAll(resources);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return roleName;
    }
}
