package io.cohort.engine;

import java.util.IdentityHashMap;

import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;
import static io.cohort.engine.SimulationRun.SUSPICION_TIMEOUT_NS;

/**
 * No lone-accuser eviction: in a {@link SimFaultMix.Scenario#SINGLE_FAULTY} run no other healthy node is ever
 * evicted, by itself or by others. A node that a fault robbed of a notification addressed to it (a lost, garbled
 * or reordered directed frame) is not healthy, whoever broke the frame: its subscribers missed a message, and as
 * the design's fault table says, the node whose view is wrong is the one evicted. And the rule needs judges: it
 * holds when at least two other healthy nodes had been RUNNING for a suspicion window (with fewer, a cluster of
 * two, a broken copy is by rule the copy's fault). One check is one eviction judged under the rule, with judges.
 * A {@link SimFaultMix.Faulty#SLOW_RECEIVER} is no fault to be removed for: its lag stays under the bound, so in
 * those runs nobody may be evicted at all, unless its subscription filled up ({@link SimSyncSocket#PIPE_FRAMES}) and
 * dropped frames: then it, and only it, may go.
 */
final class LoneAccuserChecker implements SimChecker
{
    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    private final IdentityHashMap<SimNode, Long> runningSinceNs = new IdentityHashMap<>();
    private final boolean[] lostNotifications = new boolean[SimulationRun.MAX_SLOTS];
    private final boolean[] faulty = new boolean[SimulationRun.MAX_SLOTS];
    /** Slots whose subscription filled up (a slow receiver past its pipe): they lost frames and may have to go. */
    private final boolean[] overflowed = new boolean[SimulationRun.MAX_SLOTS];
    private boolean armed;
    private long judged;

    LoneAccuserChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
    }

    public String name()
    {
        return "no-lone-accuser";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * Arms the rule: only the node in this slot is faulty.
     */
    void singleFaulty(final int slot)
    {
        faulty[slot] = true;
        armed = true;
    }

    /**
     * Arms the rule: only the nodes in these slots are faulty (a minority).
     */
    void faultySlots(final boolean[] slots)
    {
        for (int i = 0; i < faulty.length && i < slots.length; i++)
        {
            faulty[i] |= slots[i];
        }
        armed = true;
    }

    private String describeFaulty()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < faulty.length; i++)
        {
            if (faulty[i])
            {
                out.append(0 == out.length() ? "n" : ", n").append(i + 1);
            }
        }
        return out.append(" (").append(SimFaultMix.Faulty.NONE == run.mix.faulty ? run.mix.scenario : run.mix.faulty)
            .append(')').toString();
    }

    void onRunning(final SimNode node)
    {
        runningSinceNs.put(node, network.nowNs());
    }

    /**
     * A fault took a directed frame (notifications) from a node to another: the receiver's subscribers missed
     * messages, so its deliveries are no longer whole and it may be evicted for it, whoever broke the frame.
     */
    void onNotificationLost(final long fromNodeId, final long toNodeId)
    {
        final int fromSlot = SimulationRun.slotIndexOf(fromNodeId);
        if (SimFaultMix.Faulty.HEAVY_LOSS == run.mix.faulty && fromSlot >= 0 && fromSlot < faulty.length &&
            faulty[fromSlot])
        {
            // The heavy-loss node's own link lost them: its receivers' subscribers missed messages, but every
            // receiver sees the same sender fail, so the design removes the sender and keeps them all.
            return;
        }
        final int slot = SimulationRun.slotIndexOf(toNodeId);
        if (slot >= 0 && slot < lostNotifications.length)
        {
            lostNotifications[slot] = true;
        }
    }

    /**
     * A node dropped a member (evicted by it or by others, or replaced by a newer incarnation).
     */
    void onMemberEvicted(final SimNode evictor, final long nodeId, final int reason)
    {
        if (!armed || !othersCouldJudge(nodeId))
        {
            return;
        }
        final SimNode current = network.node(nodeId);
        final boolean replaced = null != current && (NodeState.JOINING == current.core().state() ||
            NodeState.STARTING == current.core().state());
        // addMember reports the older incarnation it replaces as evicted: not an eviction of a healthy node.
        if (replaced)
        {
            return;
        }
        judged++;
        if (isHealthy(SimulationRun.slotIndexOf(nodeId)))
        {
            checks.fail("healthy node " + checks.name(nodeId) + " evicted (" + SimulationRun.reason(reason) +
                ", seen by " + evictor + ") while only " + describeFaulty() + " was faulty");
        }
    }

    /**
     * A node stopped: an eviction of itself is judged as one by others.
     */
    void onStopped(final SimNode node, final NodeState state)
    {
        final SimulationRun.Slot slot = run.slotOf(node);
        if (!armed || NodeState.EVICTED != state || null == slot || !othersCouldJudge(node.nodeId()))
        {
            return;
        }
        judged++;
        if (isHealthy(slot.index))
        {
            checks.fail("healthy node " + node + " evicted itself (" + node.core().failure() + ") while only " +
                describeFaulty() + " was faulty");
        }
    }

    /**
     * A node's subscription filled up and dropped a frame: it lost part of a stream (and maybe notifications), so it
     * may go, as a far-behind receiver should; nobody else may.
     */
    void onPipeOverflow(final SimNode receiver)
    {
        final int slot = SimulationRun.slotIndexOf(receiver.nodeId());
        if (slot >= 0 && slot < overflowed.length)
        {
            overflowed[slot] = true;
        }
    }

    private boolean isHealthy(final int slot)
    {
        if (SimFaultMix.Faulty.SLOW_RECEIVER == run.mix.faulty)
        {
            // Slow is not broken: its lag stays under cohort.flow.lagging.after for the whole fault phase, and it is
            // heard, and hears, on the liveness path; nobody may go, the slow node included, unless its subscription
            // filled up and dropped frames (a receiver that far behind is cut loose, as the real socket does).
            return !(slot >= 0 && slot < overflowed.length && overflowed[slot]);
        }
        return !(slot >= 0 && slot < faulty.length && faulty[slot]) &&
            !(slot >= 0 && slot < lostNotifications.length && lostNotifications[slot]);
    }

    /**
     * Whether at least two other healthy nodes had been RUNNING for a whole suspicion window: fewer cannot outvote
     * what one node sees of the faulty one (with one, it is a cluster of two, where a broken copy is the copy's
     * fault by rule).
     */
    private boolean othersCouldJudge(final long excludedNodeId)
    {
        int judges = 0;
        for (final SimNode node : network.nodes())
        {
            final Long since = runningSinceNs.get(node);
            if (node.nodeId() != excludedNodeId && isHealthy(SimulationRun.slotIndexOf(node.nodeId())) &&
                NodeState.RUNNING == node.core().state() && null != since &&
                network.nowNs() - since >= SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS)
            {
                judges++;
            }
        }
        return judges >= 2;
    }
}
