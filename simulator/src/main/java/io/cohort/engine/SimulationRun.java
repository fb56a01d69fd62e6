package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.codec.ReasonCode;
import io.cohort.state.StateContext;
import io.cohort.state.StateResult;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cohort.engine.SimNode.ms;

/**
 * One seeded run of a whole simulated cluster under faults: 3 to 9 real {@link ClusterCore}s on a
 * {@link SimNetwork}, a seeded workload through the core's API, seeded faults from a {@link SimFaultMix}, and the
 * invariants of {@link SimChecks}' checkers checked during and after the run. Single-threaded and deterministic:
 * the same seed replays the same run, event for event.
 * <p>
 * A run: the cluster forms without faults; then, for the mix's fault phase, the workload runs and faults strike;
 * then every fault heals and the workload goes on for {@link #CALM_NS}; then the workload stops and the cluster
 * must converge within {@link #CONVERGENCE_BOUND_NS}. A supervisor restarts every evicted, failed or crashed node
 * as a new incarnation, as the standalone launcher's supervisor would.
 */
final class SimulationRun
{
    /** How idle nodes cycle: {@code tick} or {@code deadline} ({@link #idleUntilDeadline()}). */
    static final String IDLE_PROPERTY = "cohort.sim.idle";

    static final long HEARTBEAT_INTERVAL_NS = ms(20);
    static final long HEARTBEAT_TIMEOUT_NS = ms(100);
    static final long SUSPICION_TIMEOUT_NS = ms(60);
    static final long COMMAND_TIMEOUT_NS = ms(400);
    static final long JOIN_TIMEOUT_NS = ms(2000);
    static final long FORMATION_BOUND_NS = ms(3000);
    static final long CALM_NS = ms(300);
    static final long CONVERGENCE_BOUND_NS = ms(3000);
    static final int MAX_SLOTS = 9;
    static final int CONNECTIONS_PER_NODE = 12;

    /**
     * What a run found.
     */
    static final class Result
    {
        final long seed;
        final SimFaultMix mix;
        final String failure;
        final long simulatedNs;
        final long events;
        final long frames;
        final int nodesStarted;
        final SimStats stats;
        /** The checkers' names, and how many times each checked something, in the same order. */
        final String[] checkerNames;
        final long[] checkerCounts;
        String trace;

        Result(final long seed, final SimFaultMix mix, final String failure, final long simulatedNs, final long events,
            final long frames, final int nodesStarted, final SimStats stats, final String[] checkerNames,
            final long[] checkerCounts)
        {
            this.seed = seed;
            this.mix = mix;
            this.failure = failure;
            this.simulatedNs = simulatedNs;
            this.events = events;
            this.frames = frames;
            this.nodesStarted = nodesStarted;
            this.stats = stats;
            this.checkerNames = checkerNames;
            this.checkerCounts = checkerCounts;
        }

        boolean failed()
        {
            return null != failure;
        }

        /**
         * @return the checkers' counts, "name=count" separated by spaces.
         */
        String describeChecks()
        {
            final StringBuilder out = new StringBuilder();
            for (int i = 0; i < checkerNames.length; i++)
            {
                out.append(0 == i ? "" : " ").append(checkerNames[i]).append('=').append(checkerCounts[i]);
            }
            return out.toString();
        }

        String describe()
        {
            return "seed=" + seed + " mix=[" + mix + "]\n" + (null == failure ? "passed" : "FAILED: " + failure) +
                (null == trace ? "" : "\nlast events:\n" + trace) +
                "\nchecks: " + describeChecks() +
                "\nreplay: ./cohort sim " + seed;
        }
    }

    /**
     * A place in the cluster that a node, then its restarts, occupy: the supervisor's unit.
     */
    static final class Slot
    {
        final int index;
        int generation;
        SimNode node;
        long lastNodeId;
        boolean restartPending;

        Slot(final int index)
        {
            this.index = index;
        }
    }

    /**
     * Thrown to end a run at its first violation.
     */
    static final class Violation extends RuntimeException
    {
        Violation(final String message)
        {
            super(message, null, false, false);
        }
    }

    final long seed;
    final SimFaultMix mix;
    final SimTrace trace;
    final SimNetwork network;
    final Random random;
    /** The nodes' clock rates and origins: their own stream, so that drawing them shifts no other choice. */
    private final Random clockRandom;
    final Slot[] slots = new Slot[MAX_SLOTS];
    final List<SimNode> everyNode = new ArrayList<>();
    final long[] roomIds;
    final UnsafeBuffer[] roomMetadata;
    final SimChecks checks;
    private final SimStatePool pool;
    private final SimFaults faults;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
    private final UnsafeBuffer eventName = new UnsafeBuffer("tick".getBytes());
    int slotCount;
    int restartsPending;
    boolean workloadOn;
    /** A test of the propagation-lag checker: from the calm on, the first live node takes this long per sync frame
     * (more than the workload's rate allows); 0 for none. */
    long calmReceiveCostNsForTest;
    boolean supervisorOn = true;
    private long nextNotificationId = 1;

    SimulationRun(final long seed, final SimFaultMix mix, final SimStatePool pool, final SimTrace trace)
    {
        this.seed = seed;
        this.mix = mix;
        this.pool = pool;
        this.trace = trace;
        this.network = new SimNetwork(seed, mix.latencyNs, mix.jitterNs, mix.subscribeDelayNs).trace(trace)
            .idleUntilDeadline(idleUntilDeadline());
        this.random = network.random;
        this.clockRandom = new Random(seed ^ 0x5DEECE66DL);
        final int rooms = 3 + random.nextInt(8);
        roomIds = new long[rooms];
        roomMetadata = new UnsafeBuffer[rooms];
        for (int i = 0; i < rooms; i++)
        {
            final byte[][] fields = { "idx".getBytes(), ("c" + i).getBytes(), ("f" + i).getBytes() };
            roomMetadata[i] = new UnsafeBuffer(new byte[3 * Integer.BYTES + 3 + ("c" + i).length() + ("f" + i).length()]);
            int length = 0;
            for (final byte[] field : fields)
            {
                roomMetadata[i].putInt(length, field.length, FrameLayout.BYTE_ORDER);
                roomMetadata[i].putBytes(length + Integer.BYTES, field);
                length += Integer.BYTES + field.length;
            }
            roomIds[i] = CohortNode.roomId("idx", "c" + i, ("f" + i).getBytes());
        }
        this.checks = new SimChecks(this);
        this.faults = new SimFaults(this);
    }

    /**
     * The configuration every simulated state is created with.
     */
    static StateContext stateContext()
    {
        return new StateContext()
            .maxRooms(64)
            .maxConnections(256)
            .maxRoomsPerConnection(16)
            .maxOverflowSubscriptions(256)
            .maxNodes(10)
            .averageRoomBytes(64);
    }

    Result run()
    {
        String failure = null;
        try
        {
            form();
            final long faultPhaseEnd = network.nowNs() + mix.faultPhaseNs;
            workloadOn = true;
            scheduleWorkload();
            checks.scheduleCheckpoints();
            faults.schedule(mix.faultPhaseNs);
            runTo(faultPhaseEnd);
            faults.healAll();
            checks.onFaultsHealed();
            if (calmReceiveCostNsForTest > 0)
            {
                network.nodes().get(0).receiveCostNs(calmReceiveCostNsForTest);
            }
            trace("--- faults stop: calm with workload for " + CALM_NS / 1_000_000 + " ms");
            runTo(network.nowNs() + CALM_NS);
            workloadOn = false;
            trace("--- workload stops: the cluster must converge within " + CONVERGENCE_BOUND_NS / 1_000_000 + " ms");
            final long deadline = network.nowNs() + CONVERGENCE_BOUND_NS;
            String notConverged = checks.convergenceProblem();
            while (true)
            {
                while (null != notConverged && network.nowNs() < deadline)
                {
                    runTo(network.nowNs() + ms(20));
                    notConverged = checks.convergenceProblem();
                }
                if (null != notConverged)
                {
                    throw new Violation("no convergence within " + CONVERGENCE_BOUND_NS / 1_000_000 +
                        " ms after the faults stopped: " + notConverged);
                }
                // Let the last heartbeats pass so that every copy is proven, then compare everything. A removal that
                // was settling when the digests first agreed (a faulty node the cut removes a moment later, seed
                // 532328) means the cluster had not converged: wait on, within the same bound.
                runTo(network.nowNs() + 2 * HEARTBEAT_INTERVAL_NS);
                notConverged = checks.convergenceProblem();
                if (null == notConverged)
                {
                    break;
                }
            }
            checks.finalCheck();
        }
        catch (final Violation violation)
        {
            failure = violation.getMessage();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            failure = "the simulation itself failed: " + ex + stackTop(ex);
        }
        trace("--- end: " + (null == failure ? "passed" : failure));
        for (final SimNode node : everyNode)
        {
            node.close();
        }
        return new Result(seed, mix, failure, network.nowNs() - startNs, network.eventsRun(), network.framesSent(),
            everyNode.size(), checks.stats, checks.names(), checks.counts());
    }

    private final long startNs = ms(1000);

    static String stackTop(final Throwable ex)
    {
        final StringBuilder out = new StringBuilder();
        final StackTraceElement[] stack = ex.getStackTrace();
        for (int i = 0; i < Math.min(8, stack.length); i++)
        {
            out.append("\n    at ").append(stack[i]);
        }
        return out.toString();
    }

    void runTo(final long timeNs)
    {
        while (network.nowNs() < timeNs)
        {
            network.runFor(Math.min(ms(5), timeNs - network.nowNs()));
            checks.throwIfFailed();
        }
    }

    void trace(final String text)
    {
        if (trace.on)
        {
            trace.line(network.nowNs(), text);
        }
    }

    // -------------------------------------------------------------------------------------------- nodes

    private void form()
    {
        for (int i = 0; i < mix.nodes; i++)
        {
            slots[i] = new Slot(i);
        }
        slotCount = mix.nodes;
        trace("--- seed " + seed + ": " + mix);
        if (mix.bootstrap)
        {
            for (int i = mix.nodes - 1; i >= 0; i--)
            {
                startNode(slots[i], true);
            }
        }
        else
        {
            startNode(slots[0], false);
            for (int i = 1; i < mix.nodes; i++)
            {
                runTo(network.nowNs() + ms(random.nextInt(15)));
                startNode(slots[i], false);
            }
        }
        final long deadline = network.nowNs() + FORMATION_BOUND_NS;
        while (!checks.fullyFormed() && network.nowNs() < deadline)
        {
            runTo(network.nowNs() + ms(5));
        }
        if (!checks.fullyFormed())
        {
            throw new Violation("the cluster did not form without faults within " + FORMATION_BOUND_NS / 1_000_000 +
                " ms: " + checks.convergenceProblem());
        }
        trace("--- formed: " + network.nodes());
    }

    int hostCount()
    {
        return Math.min(MAX_SLOTS, mix.nodes + mix.joins);
    }

    long nodeIdFor(final Slot slot)
    {
        return mix.newIdOnRestart ? ((long)slot.generation << 8) | (slot.index + 1) : slot.index + 1;
    }

    static int slotIndexOf(final long nodeId)
    {
        return (int)(nodeId & 0xFF) - 1;
    }

    Slot slotOf(final SimNode node)
    {
        final int index = slotIndexOf(node.nodeId());
        return index >= 0 && index < slotCount ? slots[index] : null;
    }

    /**
     * Starts a new incarnation in a slot. Its seeds are every other slot's address (a host, which a restart keeps
     * whatever its node id), reachable or not, as a static seed list or a DNS name would give them.
     *
     * @param everyone true to list every slot (a bootstrap, before any node is up).
     */
    void startNode(final Slot slot, final boolean everyone)
    {
        final long nodeId = nodeIdFor(slot);
        final String label = "n" + (slot.index + 1) + (slot.generation > 0 ? "." + slot.generation : "");
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(HEARTBEAT_INTERVAL_NS)
            .heartbeatTimeoutNs(HEARTBEAT_TIMEOUT_NS)
            .suspicionTimeoutNs(SUSPICION_TIMEOUT_NS)
            .commandTimeoutNs(COMMAND_TIMEOUT_NS)
            .joinTimeoutNs(JOIN_TIMEOUT_NS)
            .splitStrategy(mix.splitStrategy)
            .minimumNodes(mix.minimumNodes)
            .syncRepair(mix.syncRepair);
        final SimNode[] holder = new SimNode[1];
        // A host's oscillator: a rate within the drift the lease allows for (half of the nodes at an extreme of it),
        // and an origin of its own.
        final double unit = clockRandom.nextBoolean() ? (clockRandom.nextBoolean() ? 0 : 1) : clockRandom.nextDouble();
        final double clockRate = 1.0 + mix.clockDrift * (2 * unit - 1);
        final long clockOffsetNs = clockRandom.nextInt(1_000_000_000);
        final SimNode node = new SimNode(network, nodeId, context, checks.listener(holder), pool, checks, label,
            "host" + (slot.index + 1), clockRate, clockOffsetNs);
        holder[0] = node;
        slot.node = node;
        slot.lastNodeId = nodeId;
        everyNode.add(node);
        final List<String> seeds = new ArrayList<>();
        if (everyone || slot.index > 0 || slot.generation > 0)
        {
            // One seed list for every node: the hosts the run may ever use, as a deployment's static list or DNS
            // name would give them (some down, some not started yet).
            for (int i = 0; i < hostCount(); i++)
            {
                if (i != slot.index)
                {
                    seeds.add("sim://host" + (i + 1) + "/command");
                }
            }
        }
        trace(label + " (" + Long.toHexString(nodeId) + "/" + node.incarnation() + ") starts, seeds " + seeds.size() +
            (1.0 == clockRate ? "" : String.format(", clock rate %.5f", clockRate)));
        node.startWithEndpoints(seeds);
    }

    /**
     * The supervisor: a node that stopped (evicted, failed to join, crashed) comes back as a new incarnation.
     */
    void scheduleRestart(final Slot slot, final SimNode stopped, final long delayNs)
    {
        if (slot.restartPending || !supervisorOn)
        {
            return;
        }
        slot.restartPending = true;
        restartsPending++;
        network.schedule(delayNs, () ->
        {
            slot.restartPending = false;
            restartsPending--;
            if (slot.node != stopped)
            {
                return;
            }
            stopped.crash();
            slot.generation++;
            startNode(slot, false);
        });
    }

    void crash(final Slot slot, final long restartAfterNs)
    {
        final SimNode node = slot.node;
        if (null == node || !node.isRunningOnNetwork())
        {
            return;
        }
        trace(node + " crashes; restart in " + restartAfterNs / 1_000_000 + " ms");
        node.crash();
        checks.onCrashed();
        scheduleRestart(slot, node, restartAfterNs);
    }

    void join()
    {
        if (slotCount >= hostCount())
        {
            return;
        }
        final Slot slot = new Slot(slotCount);
        slots[slotCount++] = slot;
        startNode(slot, false);
    }

    // -------------------------------------------------------------------------------------------- workload

    private void scheduleWorkload()
    {
        network.schedule(200_000L + random.nextInt(2_800_000), () ->
        {
            if (workloadOn)
            {
                operate();
                scheduleWorkload();
            }
        });
    }

    /**
     * One API call on a node that takes them (as its agent would: a call refused by state is the backend's
     * business), followed by the node's duty cycle, as the agent reads calls then works then flushes.
     */
    private void operate()
    {
        final List<SimNode> nodes = network.nodes();
        int candidates = 0;
        for (int i = 0; i < nodes.size(); i++)
        {
            if (accepts(nodes.get(i)))
            {
                candidates++;
            }
        }
        if (0 == candidates)
        {
            return;
        }
        int chosen = random.nextInt(candidates);
        SimNode node = null;
        for (int i = 0; i < nodes.size(); i++)
        {
            if (accepts(nodes.get(i)) && chosen-- == 0)
            {
                node = nodes.get(i);
                break;
            }
        }
        if (network.idlesUntilDeadline())
        {
            // It may have slept past its lease's end: the fence runs first, as in the agent's cycle. (Every tick
            // runs it otherwise; the regression seeds were found so.)
            node.wakeForCall();
            if (!accepts(node))
            {
                return;
            }
        }
        final ClusterCore core = node.core();
        final int room = random.nextInt(roomIds.length);
        final long roomId = roomIds[room];
        final long connectionId = (node.instance() << 16) | (1 + random.nextInt(CONNECTIONS_PER_NODE));
        final int op = random.nextInt(100);
        final Object result;
        final String what;
        if (op < 12)
        {
            what = "createRoom r" + room;
            result = core.createRoom(roomId, roomMetadata[room], 0, roomMetadata[room].capacity());
        }
        else if (op < 50)
        {
            what = "subscribe c" + (connectionId & 0xFFFF) + " r" + room;
            result = core.subscribe(connectionId, roomId);
        }
        else if (op < 65)
        {
            what = "unsubscribe c" + (connectionId & 0xFFFF) + " r" + room;
            result = core.unsubscribe(connectionId, roomId);
        }
        else if (op < 72)
        {
            what = "disconnect c" + (connectionId & 0xFFFF);
            result = core.disconnect(connectionId);
        }
        else if (op < 94)
        {
            final long id = nextNotificationId++;
            payload.putLong(0, id);
            payload.putLong(8, seed);
            checks.onPublish(node, id, room, roomId);
            what = "publish #" + id + " r" + room;
            final int routed = core.publish(roomId, payload, 0, 16);
            if (SyncPublisher.REFUSED == routed)
            {
                checks.onPublishRefused(id);
            }
            result = SyncPublisher.REFUSED == routed ? "REFUSED (a destination without credit)" : routed + " nodes";
        }
        else if (op < 98)
        {
            payload.putLong(0, nextNotificationId++);
            what = "broadcastEvent";
            result = core.broadcastEvent(eventName, 0, eventName.capacity(), payload, 0, 8);
        }
        else
        {
            what = "removeRoom r" + room;
            result = core.removeRoom(roomId);
        }
        if (trace.on)
        {
            trace(node + " " + what + " -> " + (result instanceof StateResult ? ((StateResult)result).name() : result));
        }
        node.dutyCycle(network.nowNs());
    }

    private static boolean accepts(final SimNode node)
    {
        return !node.isPaused() && node.core().acceptsApiCalls();
    }

    /**
     * {@value #IDLE_PROPERTY}: {@code tick} (the default) cycles every node every tick; {@code deadline} lets an idle
     * node sleep until its next deadline as production's idle strategy does ({@link SimNetwork#idleUntilDeadline}).
     *
     * @return whether idle nodes sleep until their deadline.
     * @throws IllegalArgumentException naming the property, for any other value.
     */
    static boolean idleUntilDeadline()
    {
        final String value = System.getProperty(IDLE_PROPERTY, "tick");
        switch (value)
        {
            case "tick":
                return false;
            case "deadline":
                return true;
            default:
                throw new IllegalArgumentException(IDLE_PROPERTY + "=" + value + ": expected tick or deadline");
        }
    }

    static String reason(final int reason)
    {
        return ReasonCode.name(reason);
    }
}
