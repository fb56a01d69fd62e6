package io.cohort.engine;

import io.cohort.state.SubscriptionState;
import io.cohort.transport.CounterType;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The node-level counters in the node's counters file, next to the transport's, so that {@code cohort stat} and
 * JMX see the node's state, members, rooms, subscriptions and errors without asking its thread. Written by the node's
 * agent only: on a state change or an eviction (rare), and once per {@link #UPDATE_INTERVAL_NS} for the sizes,
 * never per message. Each value is stored with release semantics and read with acquire semantics, so readers on
 * other threads or in other processes see a consistent, recent value.
 */
final class NodeCounters implements AutoCloseable
{
    /** How often the agent refreshes sizes and the liveness timestamp: far below any human refresh rate. */
    static final long UPDATE_INTERVAL_NS = 100_000_000L;

    private final AtomicCounter state;
    private final AtomicCounter members;
    private final AtomicCounter rooms;
    private final AtomicCounter connections;
    private final AtomicCounter subscriptions;
    private final AtomicCounter evictions;
    private final AtomicCounter heartbeat;
    private final AtomicCounter incarnation;
    private final AtomicCounter errors;
    private final AtomicCounter controlQueued;
    private final AtomicCounter controlSent;
    private final AtomicCounter controlPending;
    private final AtomicCounter controlOverflows;
    private final AtomicCounter flowLagMaxNs;
    private final AtomicCounter flowUntethered;
    private final AtomicCounter flowBackPressured;
    private final AtomicCounter notificationsRouted;
    private final AtomicCounter notificationsRefused;
    private final AtomicCounter stalls;
    private final AtomicCounter laggingAccusations;
    private final AtomicCounter longestStallMs;
    private final AtomicCounter workingStalls;
    private final AtomicCounter roomsWanted;
    private final AtomicCounter roomsAnnouncedAgain;
    private final AtomicCounter roomCreationsUndone;
    private final AtomicCounter roomRemovalsOutrun;
    private long nextUpdateNs = Long.MIN_VALUE;

    NodeCounters(final CountersManager countersManager, final long incarnation)
    {
        state = countersManager.newCounter("node state", CounterType.NODE_STATE);
        members = countersManager.newCounter("node members", CounterType.NODE_MEMBERS);
        rooms = countersManager.newCounter("node rooms", CounterType.NODE_ROOMS);
        connections = countersManager.newCounter("node connections", CounterType.NODE_CONNECTIONS);
        subscriptions = countersManager.newCounter("node subscriptions", CounterType.NODE_SUBSCRIPTIONS);
        evictions = countersManager.newCounter("node evictions seen", CounterType.NODE_EVICTIONS);
        heartbeat = countersManager.newCounter("node heartbeat epoch ms", CounterType.NODE_HEARTBEAT);
        this.incarnation = countersManager.newCounter("node incarnation", CounterType.NODE_INCARNATION);
        errors = countersManager.newCounter("node errors", CounterType.NODE_ERRORS);
        controlQueued = countersManager.newCounter("control queued", CounterType.CONTROL_QUEUED);
        controlSent = countersManager.newCounter("control sent", CounterType.CONTROL_SENT);
        controlPending = countersManager.newCounter("control pending", CounterType.CONTROL_PENDING);
        controlOverflows = countersManager.newCounter("control overflows", CounterType.CONTROL_OVERFLOWS);
        flowLagMaxNs = countersManager.newCounter("flow lag max ns", CounterType.FLOW_LAG_MAX_NS);
        flowUntethered = countersManager.newCounter("flow untethered", CounterType.FLOW_UNTETHERED);
        flowBackPressured = countersManager.newCounter("flow back-pressured", CounterType.FLOW_BACK_PRESSURED);
        notificationsRouted = countersManager.newCounter("notifications routed", CounterType.NOTIFICATIONS_ROUTED);
        notificationsRefused = countersManager.newCounter("notifications refused", CounterType.NOTIFICATIONS_REFUSED);
        stalls = countersManager.newCounter("node stalls", CounterType.NODE_STALLS);
        laggingAccusations = countersManager.newCounter("flow lagging accusations",
            CounterType.FLOW_LAGGING_ACCUSATIONS);
        longestStallMs = countersManager.newCounter("node longest stall ms", CounterType.NODE_LONGEST_STALL_MS);
        workingStalls = countersManager.newCounter("node working stalls", CounterType.NODE_WORKING_STALLS);
        roomsWanted = countersManager.newCounter("node rooms wanted", CounterType.NODE_ROOMS_WANTED);
        roomsAnnouncedAgain = countersManager.newCounter("node rooms announced again",
            CounterType.NODE_ROOMS_ANNOUNCED_AGAIN);
        roomCreationsUndone = countersManager.newCounter("node room creations undone",
            CounterType.NODE_ROOM_CREATIONS_UNDONE);
        roomRemovalsOutrun = countersManager.newCounter("node room removals outrun",
            CounterType.NODE_ROOM_REMOVALS_OUTRUN);
        this.incarnation.setRelease(incarnation);
        state.setRelease(NodeState.STARTING.code());
        members.setRelease(1);
        heartbeat.setRelease(System.currentTimeMillis());
    }

    /**
     * Refreshes the sizes and the liveness timestamp if their interval has passed; the agent calls it every
     * duty cycle, so most calls are one comparison.
     *
     * @return 1 if it refreshed, else 0.
     */
    int update(final long nowNs, final ClusterCore core, final SubscriptionState subscriptionState)
    {
        if (nowNs < nextUpdateNs)
        {
            return 0;
        }
        nextUpdateNs = nowNs + UPDATE_INTERVAL_NS;
        state.setRelease(core.state().code());
        members.setRelease(core.memberIds().length + 1L);
        rooms.setRelease(subscriptionState.rooms());
        connections.setRelease(subscriptionState.connections());
        subscriptions.setRelease(subscriptionState.localSubscriptions());
        final SyncPublisher publisher = core.publisher();
        controlQueued.setRelease(publisher.controlQueued());
        controlSent.setRelease(publisher.controlSent());
        controlPending.setRelease(publisher.controlPending());
        controlOverflows.setRelease(publisher.controlOverflows());
        final FlowControl flow = core.flowControl();
        flowLagMaxNs.setRelease(flow.window().maxLagNs(nowNs));
        flowUntethered.setRelease(flow.window().untetherings());
        flowBackPressured.setRelease(flow.gate().windowPressures());
        final NotificationCredit credit = publisher.notificationCredit();
        notificationsRouted.setRelease(credit.routed());
        notificationsRefused.setRelease(credit.refused());
        final StallDetector stallDetector = core.stallDetector();
        stalls.setRelease(stallDetector.stalls());
        laggingAccusations.setRelease(core.membership().laggingAccusations());
        longestStallMs.setRelease(stallDetector.longestStallNs() / 1_000_000);
        workingStalls.setRelease(stallDetector.workingStalls());
        roomsWanted.setRelease(publisher.roomsWanted());
        roomsAnnouncedAgain.setRelease(publisher.roomsAnnouncedAgain());
        roomCreationsUndone.setRelease(
            core.coveredCreations().creationsUndone() + core.roomHistory().tableRoomsSkipped());
        roomRemovalsOutrun.setRelease(core.roomHistory().removalsOutrun());
        heartbeat.setRelease(System.currentTimeMillis());
        return 1;
    }

    void onStateChanged(final NodeState current)
    {
        state.setRelease(current.code());
    }

    void onMemberEvicted()
    {
        evictions.incrementRelease();
    }

    long rooms()
    {
        return rooms.get();
    }

    long connections()
    {
        return connections.get();
    }

    long subscriptions()
    {
        return subscriptions.get();
    }

    long evictions()
    {
        return evictions.get();
    }

    long members()
    {
        return members.get();
    }

    /**
     * Errors reported to the node's error handler: incremented by {@link CountingErrorHandler} and by the
     * {@link org.agrona.concurrent.AgentRunner} for a duty cycle that threw.
     */
    AtomicCounter errorCounter()
    {
        return errors;
    }

    /**
     * Frees the counters.
     */
    public void close()
    {
        CloseHelper.closeAll(
            state, members, rooms, connections, subscriptions, evictions, heartbeat, incarnation, errors,
            controlQueued, controlSent, controlPending, controlOverflows, flowLagMaxNs, flowUntethered,
            flowBackPressured, notificationsRouted, notificationsRefused);
    }
}
