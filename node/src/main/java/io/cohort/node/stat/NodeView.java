package io.cohort.node.stat;

import io.cohort.engine.NodeState;
import io.cohort.transport.CounterType;
import io.cohort.transport.CountersFileReader;
import org.agrona.concurrent.status.CountersReader;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One sample of one node's counters file: the node's status, its traffic totals and each peer's expected
 * sequences and faults, taken in one pass over the counters, plus whether the node is alive.
 */
final class NodeView
{
    /** A node whose status timestamp is older than this is shown as stalled (or dead if its process is gone). */
    static final long STALE_MS = 5_000;

    /** Per-peer values, indexed by {@code type - PEER_FIRST_TYPE}. */
    static final int PEER_FIRST_TYPE = CounterType.PEER_EXPECTED_BROADCAST;
    static final int PEER_LAST_TYPE = CounterType.PEER_LOST_TAILS;

    /** Whether the writer of a counters file still runs. */
    enum Liveness
    {
        /** Its status timestamp is recent. */
        LIVE,
        /** Its process runs but its status timestamp is old: a stalled duty cycle (GC pause, stopped process). */
        STALLED,
        /** Its process is gone (e.g. killed, or halted after an eviction) and left its file behind. */
        DEAD
    }

    final long nodeId;
    final long pid;
    final long startTimeMs;
    final long sampledAtMs;
    final Liveness liveness;
    final long statusAgeMs;
    /** Node-wide counters by type id. */
    final Map<Integer, Long> values = new TreeMap<>();
    /** Per peer node id: its incarnation and its values by type. */
    final Map<Long, Peer> peers = new TreeMap<>(Long::compareUnsigned);

    /** One peer's counters in the node's file. */
    static final class Peer
    {
        long incarnation;
        final long[] values = new long[PEER_LAST_TYPE - PEER_FIRST_TYPE + 1];

        long value(final int typeId)
        {
            return values[typeId - PEER_FIRST_TYPE];
        }
    }

    NodeView(final CountersFileReader file, final long nowMs)
    {
        nodeId = file.nodeId();
        pid = file.pid();
        startTimeMs = file.startTimeMs();
        sampledAtMs = nowMs;
        final CountersReader reader = file.countersReader();
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = reader.getCounterValue(counterId);
            if (typeId >= PEER_FIRST_TYPE && typeId <= PEER_LAST_TYPE)
            {
                final Peer peer = peers.computeIfAbsent(keyBuffer.getLong(0), (id) -> new Peer());
                peer.values[typeId - PEER_FIRST_TYPE] = value;
                peer.incarnation = incarnationFromLabel(label);
            }
            else
            {
                values.put(typeId, value);
            }
        });
        final long heartbeatMs = value(CounterType.NODE_HEARTBEAT, startTimeMs);
        statusAgeMs = Math.max(0, nowMs - heartbeatMs);
        // A node still in its launch (creating its off-heap state can take seconds) has no agent updating its
        // status yet: only its process tells whether it is alive.
        final boolean launching = NodeState.STARTING.code() == value(CounterType.NODE_STATE, -1);
        liveness = liveness(pid, startTimeMs, launching ? 0 : statusAgeMs, launching);
    }

    /**
     * Decides liveness from the status timestamp first (it also works for a writer in another pid namespace),
     * then from the process: a pid that is gone, or that now belongs to a process started after the file was
     * created, is a dead writer. A launching node is judged by its process only.
     */
    static Liveness liveness(final long pid, final long startTimeMs, final long statusAgeMs, final boolean launching)
    {
        if (statusAgeMs <= STALE_MS && !launching)
        {
            return Liveness.LIVE;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return Liveness.DEAD;
        }
        final boolean reused = process.get().info().startInstant()
            .map((start) -> start.toEpochMilli() > startTimeMs + 1_000)
            .orElse(false);
        return reused ? Liveness.DEAD : launching || statusAgeMs <= STALE_MS ? Liveness.LIVE : Liveness.STALLED;
    }

    long value(final int typeId, final long defaultValue)
    {
        final Long value = values.get(typeId);
        return null == value ? defaultValue : value;
    }

    /**
     * The node's state name, or {@code ?} when the file holds no (known) state.
     */
    String stateName()
    {
        try
        {
            return NodeState.get(value(CounterType.NODE_STATE, -1)).name();
        }
        catch (final IllegalArgumentException ex)
        {
            return "?";
        }
    }

    private static long incarnationFromLabel(final String label)
    {
        // "peer %016x/%d <what>", written by TransportCounters.
        final int slash = label.indexOf('/');
        final int space = label.indexOf(' ', slash + 1);
        if (slash < 0 || space < 0)
        {
            return 0;
        }
        try
        {
            return Long.parseLong(label.substring(slash + 1, space));
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
