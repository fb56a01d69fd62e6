package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.codec.MessageType;
import io.cohort.codec.RoomCountDecoder;
import org.agrona.DirectBuffer;

import java.util.List;

import static io.cohort.engine.SimNode.ms;

/**
 * The checkers of one simulated run and what feeds them: it watches every node ({@link SimNode.Observer} and a
 * {@link CohortListener} per node), hears of the faults from {@link SimFaults} and of the workload from
 * {@link SimulationRun}, and hands each event to the checker of the invariant it bears on. Each invariant is one
 * {@link SimChecker}; this class holds the run's first violation, the run's {@link SimStats}, and the supervisor's
 * restart of a node that stopped.
 */
final class SimChecks implements SimNode.Observer
{
    static final long CHECK_INTERVAL_NS = ms(5);

    final SimStats stats = new SimStats();
    private final SimulationRun run;
    private final SimNetwork network;
    private final ConvergenceChecker convergence;
    private final DesyncChecker desync;
    private final LoneAccuserChecker loneAccuser;
    private final PartitionChecker partition;
    private final NotificationChecker notifications;
    private final NonNegativeChecker nonNegative;
    private final ErrorChecker errors;
    private final ChecksumChecker checksum;
    private final ServingChecker serving;
    private final InstallChecker installs;
    private final PropagationLagChecker propagationLag;
    private final ControlDeliveryChecker controlDelivery;
    /** A test of the checkers: drop every n-th notification arrival where no layer of the node can notice; 0 for
     * none. */
    int dropNotificationArrivalsEvery;
    private long notificationArrivals;
    private final List<SimChecker> checkers;
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private String failure;
    private long calmSinceNs = -1;

    SimChecks(final SimulationRun run)
    {
        this.run = run;
        this.network = run.network;
        convergence = new ConvergenceChecker(run, this);
        desync = new DesyncChecker(run, this);
        loneAccuser = new LoneAccuserChecker(run, this);
        partition = new PartitionChecker(run, this);
        notifications = new NotificationChecker(run, this, stats);
        nonNegative = new NonNegativeChecker(run, this);
        errors = new ErrorChecker(run, this);
        checksum = new ChecksumChecker(this);
        serving = new ServingChecker(run, this);
        installs = new InstallChecker(run, this);
        propagationLag = new PropagationLagChecker(run, this);
        controlDelivery = new ControlDeliveryChecker(run, this);
        checkers = List.of(convergence, desync, loneAccuser, partition, notifications, nonNegative, errors, checksum,
            new ViewChecker(run, this), serving, installs, propagationLag, controlDelivery);
    }

    /**
     * @return the names of the checkers, in the order of {@link #counts()}; the same for every run.
     */
    String[] names()
    {
        final String[] names = new String[checkers.size()];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = checkers.get(i).name();
        }
        return names;
    }

    /**
     * @return how many times each checker checked something in this run, in the order of {@link #names()}.
     */
    long[] counts()
    {
        final long[] counts = new long[checkers.size()];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = checkers.get(i).checks();
        }
        return counts;
    }

    NotificationChecker notificationChecker()
    {
        return notifications;
    }

    /**
     * Records a broken invariant; the run ends at its next step with the first one.
     */
    void fail(final String message)
    {
        if (null == failure)
        {
            failure = String.format("at %.3f ms: %s", network.nowNs() / 1e6, message);
            run.trace("VIOLATION: " + message);
        }
    }

    void throwIfFailed()
    {
        if (null != failure)
        {
            throw new SimulationRun.Violation(failure);
        }
    }

    String name(final long nodeId)
    {
        final SimNode node = network.node(nodeId);
        return null == node ? Long.toHexString(nodeId) : node.label();
    }

    void singleFaulty(final int slot)
    {
        loneAccuser.singleFaulty(slot);
        run.trace("the single faulty node is slot n" + (slot + 1) + ": " + run.mix.faulty);
    }

    /**
     * Only the nodes in these slots are faulty (a minority): no other may be evicted.
     */
    void faultySlots(final boolean[] slots)
    {
        loneAccuser.faultySlots(slots);
    }

    /**
     * Every fault has healed: the calm phase begins.
     */
    void onFaultsHealed()
    {
        calmSinceNs = network.nowNs();
    }

    /**
     * @return when every fault healed (the calm phase began), -1 while they last.
     */
    long calmSinceNs()
    {
        return calmSinceNs;
    }

    /**
     * A cut of the network began ({@code started}) or one healed.
     */
    void onCutsChanged(final boolean started)
    {
        serving.onCutsChanged(started);
    }

    // -------------------------------------------------------------------------------------------- nodes

    CohortListener listener(final SimNode[] holder)
    {
        return new CohortListener()
        {
            public void onStateChanged(final NodeState previous, final NodeState current)
            {
                final SimNode node = holder[0];
                if (NodeState.RUNNING == current)
                {
                    loneAccuser.onRunning(node);
                }
                run.trace(node + " " + previous + " -> " + current +
                    (current.isTerminal() && null != node.core().failure() ? ": " + node.core().failure() : ""));
                if (current.isTerminal())
                {
                    onStopped(node, current);
                }
            }

            public void onMemberEvicted(final long nodeId, final EvictionReason reason)
            {
                final SimNode node = holder[0];
                stats.evictions++;
                run.trace(node + " drops member " + name(nodeId) + " (" + SimulationRun.reason(reason.code()) + ")");
                loneAccuser.onMemberEvicted(node, nodeId, reason.code());
            }

            public void onMemberJoined(final long nodeId)
            {
                run.trace(holder[0] + " synced member " + name(nodeId));
            }

            public void onMemberLeft(final long nodeId)
            {
                run.trace(holder[0] + " member " + name(nodeId) + " left");
            }

            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
                stats.delivered++;
            }
        };
    }

    private void onStopped(final SimNode node, final NodeState state)
    {
        loneAccuser.onStopped(node, state);
        final SimulationRun.Slot slot = run.slotOf(node);
        if (null != slot && slot.node == node)
        {
            stats.restarts++;
            final long delay = ms(10) + run.random.nextInt(150_000_000);
            run.trace("supervisor restarts " + node + " in " + delay / 1_000_000 + " ms");
            run.scheduleRestart(slot, node, delay);
        }
    }

    public void afterWork(final SimNode node)
    {
        installs.afterWork(node);
    }

    public boolean onSyncMessage(final SimNode receiver, final long publisherNodeId, final boolean directed,
        final int type, final DirectBuffer buffer, final int offset, final int length, final boolean corruptedFrame)
    {
        if (MessageType.NOTIFICATION == type && dropNotificationArrivalsEvery > 0 &&
            0 == ++notificationArrivals % dropNotificationArrivalsEvery)
        {
            run.trace("  (test) a notification arrival at " + receiver + " dropped unseen");
            return false;
        }
        checksum.onMessage(receiver, publisherNodeId, type, corruptedFrame);
        if (MessageType.NOTIFICATION == type)
        {
            notifications.onArrival(receiver, publisherNodeId, buffer, offset, length);
        }
        else if (MessageType.ROOM_COUNT == type)
        {
            final long roomId = roomCountDecoder.wrap(buffer, offset, length).roomId();
            final SimNode publisher = network.node(publisherNodeId);
            final int room = roomIndex(roomId);
            if (null != publisher && room >= 0)
            {
                final long changedAt = propagationLag.lastLocalChangeNs(publisher, room);
                if (changedAt >= 0)
                {
                    stats.replication(network.nowNs() - changedAt);
                }
            }
        }
        return true;
    }

    public void onCorruptedFrame(final SimNode receiver)
    {
        checksum.onCorruptedFrame();
    }

    public void onPipeOverflow(final SimNode receiver, final long publisherNodeId, final byte[] message)
    {
        stats.pipeOverflows++;
        run.trace("  " + receiver + "'s subscription to " + name(publisherNodeId) + " is full: a frame dropped");
        final long destination = destinationOf(message);
        if (0 != destination)
        {
            onNotificationLost(publisherNodeId, destination);
        }
        loneAccuser.onPipeOverflow(receiver);
    }

    /**
     * @param frame a sync frame as sent.
     * @return the node it is addressed to (notifications), 0 for a broadcast frame or one too short to say.
     */
    static long destinationOf(final byte[] frame)
    {
        return frame.length >= FrameLayout.FIRST_SEQUENCE_OFFSET ?
            java.nio.ByteBuffer.wrap(frame).order(FrameLayout.BYTE_ORDER)
                .getLong(FrameLayout.DESTINATION_NODE_ID_OFFSET) : 0;
    }

    public void onLocalCountChanged(final SimNode node, final long roomId, final long previous, final long current)
    {
        final int room = roomIndex(roomId);
        if (room >= 0)
        {
            propagationLag.onLocalCountChanged(node, room);
        }
        nonNegative.onLocalCountChanged(node, room, current);
    }

    public void onDesync(final SimNode node, final Member member)
    {
        stats.desyncsSeen++;
        desync.onDesync(node, member);
    }

    private int roomIndex(final long roomId)
    {
        final long[] roomIds = run.roomIds;
        for (int i = 0; i < roomIds.length; i++)
        {
            if (roomIds[i] == roomId)
            {
                return i;
            }
        }
        return -1;
    }

    // -------------------------------------------------------------------------------------------- workload, faults

    void onPublish(final SimNode publisher, final long id, final int room, final long roomId)
    {
        notifications.onPublish(publisher, id, room, roomId);
    }

    /**
     * The publisher refused the notification whole (a destination without credit): it must reach nobody.
     */
    void onPublishRefused(final long id)
    {
        notifications.onRefused(id);
    }

    /**
     * A fault took a directed frame (notifications) from a node to another.
     */
    void onNotificationLost(final long fromNodeId, final long toNodeId)
    {
        loneAccuser.onNotificationLost(fromNodeId, toNodeId);
        run.trace("  " + name(toNodeId) + " lost notifications from " + name(fromNodeId));
    }

    Object onPartition(final boolean[] inside, final boolean bothWays)
    {
        stats.partitions++;
        return partition.onPartition(inside, bothWays, convergence.fullyFormed());
    }

    boolean isCurrentPartition(final Object token)
    {
        return partition.isCurrent(token);
    }

    void onPartitionHealed()
    {
        partition.onHealed();
    }

    void onResumed(final SimNode node)
    {
        partition.onResumed(node);
    }

    void onCrashed()
    {
        partition.onCrashed();
        serving.onCrashed();
    }

    // -------------------------------------------------------------------------------------------- checkpoints

    void scheduleCheckpoints()
    {
        network.schedule(CHECK_INTERVAL_NS, () ->
        {
            for (int i = 0, size = checkers.size(); i < size; i++)
            {
                checkers.get(i).checkpoint();
            }
            scheduleCheckpoints();
        });
    }

    boolean fullyFormed()
    {
        return convergence.fullyFormed();
    }

    /**
     * @return null if the cluster converged by digest, else what is not so yet.
     */
    String convergenceProblem()
    {
        return convergence.convergenceProblem();
    }

    /**
     * After convergence: every checker's final check, then the run's verdict.
     */
    void finalCheck()
    {
        for (final SimChecker checker : checkers)
        {
            checker.finish();
        }
        throwIfFailed();
    }
}
