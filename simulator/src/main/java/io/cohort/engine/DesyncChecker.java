package io.cohort.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import static io.cohort.engine.SimulationRun.HEARTBEAT_TIMEOUT_NS;
import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;
import static io.cohort.engine.SimulationRun.SUSPICION_TIMEOUT_NS;

/**
 * Desync bound: no member node keeps, for longer than {@link #desyncBoundNs()} of its own running time, a copy of
 * a member it has seen a fault in (its {@code desyncs} went up) without the member being removed, the copy taken
 * again, or itself stopping. One check is one fault seen in a stream and followed until it was resolved (or
 * found unresolved past the bound).
 */
final class DesyncChecker implements SimChecker
{
    private static final class Record
    {
        final SimNode node;
        final Member member;
        long snapshotCorrelationId;
        boolean open;
        long openSinceNs;
        long activeNs;

        Record(final SimNode node, final Member member)
        {
            this.node = node;
            this.member = member;
        }
    }

    private final SimNetwork network;
    private final SimChecks checks;
    private final IdentityHashMap<Member, Record> records = new IdentityHashMap<>();
    private final List<Record> open = new ArrayList<>();
    private long judged;

    DesyncChecker(final SimulationRun run, final SimChecks checks)
    {
        this.network = run.network;
        this.checks = checks;
    }

    /**
     * From the fault to its resolution. A copy known wrong is retaken at once; a fault that cannot be repaired (lost
     * notifications) is decided by the cut: the others' faults in the same stream are confirmed (a copy unsynced
     * for a heartbeat timeout), a lone reporter's edges settle for a heartbeat timeout and a suspicion window, and a view removing a node still heard waits out its lease ({@code L (1 + ρ) / (1 - ρ)}, which the
     * engine sizes to the heartbeat timeout less an interval), plus heartbeats for the rows to spread and the
     * agreement's round trips, plus the sampling interval.
     */
    static long desyncBoundNs()
    {
        return 3 * HEARTBEAT_TIMEOUT_NS + SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS + SimChecks.CHECK_INTERVAL_NS;
    }

    public String name()
    {
        return "desync-bound";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * The node just saw a fault in a member's stream.
     */
    void onDesync(final SimNode node, final Member member)
    {
        Record record = records.get(member);
        if (null == record)
        {
            record = new Record(node, member);
            records.put(member, record);
        }
        // Taken right after the fault was handled: a repair that starts now asks for a snapshot later.
        record.snapshotCorrelationId = member.snapshotCorrelationId;
        if (!record.open)
        {
            record.open = true;
            record.openSinceNs = network.nowNs();
            record.activeNs = 0;
            open.add(record);
        }
    }

    public void checkpoint()
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            final Record record = open.get(i);
            final SimNode node = record.node;
            final Member member = record.member;
            final ClusterCore core = node.core();
            if (!node.isRunningOnNetwork() || core.state().isTerminal() || core.member(member.nodeId) != member ||
                member.snapshotCorrelationId != record.snapshotCorrelationId ||
                !member.isSynced() && 0 == node.state().ownerRows(member.nodeId))
            {
                // Stopped, removed the member, or dropped the copy to take it again from the owner.
                record.open = false;
                open.remove(i);
                judged++;
                continue;
            }
            if (!core.state().isMember() || node.isPaused())
            {
                continue;
            }
            record.activeNs += SimChecks.CHECK_INTERVAL_NS;
            if (record.activeNs > desyncBoundNs())
            {
                judged++;
                checks.fail(node + " (" + core.state() + ") still holds its copy of " + member + " " +
                    record.activeNs / 1_000_000 + " ms (of its running time) after seeing a fault in its " +
                    "stream at " + String.format("%.3f ms", record.openSinceNs / 1e6) + ", past the bound of " +
                    desyncBoundNs() / 1_000_000 + " ms");
                record.open = false;
                open.remove(i);
            }
        }
    }
}
