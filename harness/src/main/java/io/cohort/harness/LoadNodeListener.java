package io.cohort.harness;

import io.cohort.engine.CohortListener;
import io.cohort.engine.EvictionReason;
import io.cohort.engine.LatencyStageObserver;
import io.cohort.engine.NodeState;
import io.cohort.engine.RefusalReason;
import io.cohort.engine.RefusedOperation;
import io.cohort.engine.ReplicaObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link LoadNodeMain} process hears from its node: replica counts (a probe room's count is a probe's
 * arrival, whose propagation latency is recorded against the stamp in its sender's {@link ProbeFile}),
 * notifications and late refusals (counted), and membership and state changes (printed as lines). An evicted node's
 * process exits with {@link #EXIT_EVICTED}, as the standalone launcher's does.
 * <p>
 * It also breaks each probe's latency into {@link #STAGE_NAMES stages}, as a {@link LatencyStageObserver}: as owner,
 * it stamps in its own probe file when its node thread takes a probe call from the API queue and when the broadcast
 * frame carrying the probe room's count is handed to the transport; as replica, it reads the clock when a probe room's
 * count is received and applied, and at arrival splits the latency between the five stamps. The clock is read only
 * for probe rooms; every other call or count costs a map lookup or a compare.
 */
final class LoadNodeListener implements CohortListener, ReplicaObserver, LatencyStageObserver
{
    /** The stages a probe's latency is split into, in order; they add up to the probe's latency. */
    static final String[] STAGE_NAMES = { "apiQueue", "ownerCycle", "wire", "replicaApply", "observer" };
    /** What each stage covers, for the report. */
    static final String[] STAGE_MEANINGS = {
        "call made -> owner's node thread takes it from the API queue",
        "taken -> the frame with the count handed to the transport",
        "handed -> replica's node thread reads the count (JeroMQ, TCP loopback, wake-up, earlier messages)",
        "read -> applied to the replica",
        "applied -> the replica observer sees it",
    };
    static final int API_QUEUE = 0;
    static final int OWNER_CYCLE = 1;
    static final int WIRE = 2;
    static final int REPLICA_APPLY = 3;
    static final int OBSERVER = 4;
    private static final int ENCODED_CAPACITY = 1024;

    /** Exit code of an evicted node, as {@link io.cohort.engine.StandaloneProcess#EXIT_EVICTED}. */
    static final int EXIT_EVICTED = io.cohort.engine.StandaloneProcess.EXIT_EVICTED;
    /** The longest latency recorded; longer ones are recorded as this. */
    static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);

    private final int slot;
    private final ProbeFile[] probeFiles;
    private final Long2LongHashMap probeSlotByRoom = new Long2LongHashMap(-1);
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(MAX_LATENCY_NS, 3);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong notificationsReceived = new AtomicLong();
    private final AtomicLong refusedLater = new AtomicLong();
    private long appliedLocal;
    private long receivedLocal;
    private volatile boolean live;
    private final ProbeFile ownProbeFile;
    private final long ownProbeRoomId;
    private final SingleWriterRecorder[] stageRecorders = new SingleWriterRecorder[STAGE_NAMES.length];
    /**
     * This node's probe counts put into broadcast frames and not yet handed to the transport, with the sequence of
     * the message carrying each, oldest first (node thread only). A ring: should more wait than it holds (a long
     * back-pressure spell), the oldest lose their stamp, not the node its time.
     */
    private final long[] encodedCounts = new long[ENCODED_CAPACITY];
    private final long[] encodedSequences = new long[ENCODED_CAPACITY];
    private long encodedHead;
    private long encodedTail;
    /** The probe count being received and applied now, and when (node thread only). */
    private long tracedRoomId;
    private long tracedCount;
    private long receivedNs;
    private long appliedNs;

    /**
     * @param config     the process's parameters.
     * @param probeFiles every slot's probe file, by slot.
     */
    LoadNodeListener(final LoadNodeConfig config, final ProbeFile[] probeFiles)
    {
        slot = config.slot;
        this.probeFiles = probeFiles;
        for (int s = 0; s < config.probeRoomIds.length; s++)
        {
            probeSlotByRoom.put(config.probeRoomIds[s], s);
        }
        ownProbeFile = probeFiles[slot];
        ownProbeRoomId = config.probeRoomIds[slot];
        for (int s = 0; s < stageRecorders.length; s++)
        {
            stageRecorders[s] = new SingleWriterRecorder(MAX_LATENCY_NS, 3);
        }
    }

    /**
     * A stage's latencies recorded since the last call for it (called by one thread only).
     *
     * @param stage   index into {@link #STAGE_NAMES}.
     * @param recycle the histogram the last call for this stage returned, or null.
     * @return the interval's histogram.
     */
    Histogram stageIntervalHistogram(final int stage, final Histogram recycle)
    {
        return stageRecorders[stage].getIntervalHistogram(recycle);
    }

    /** Starts recording probe latencies: the node is RUNNING and its READY line printed. */
    void goLive()
    {
        live = true;
    }

    /**
     * The latencies recorded since the last call (called by one thread only).
     *
     * @param recycle the histogram the last call returned, or null.
     * @return the interval's histogram.
     */
    Histogram intervalHistogram(final Histogram recycle)
    {
        return recorder.getIntervalHistogram(recycle);
    }

    long applied()
    {
        return applied.get();
    }

    long notificationsReceived()
    {
        return notificationsReceived.get();
    }

    long refusedLater()
    {
        return refusedLater.get();
    }

    /**
     * {@inheritDoc}
     */
    public void onReplicaCount(final long ownerNodeId, final long roomId, final long count)
    {
        applied.lazySet(++appliedLocal);
        final long probeSlot = probeSlotByRoom.get(roomId);
        if (probeSlot >= 0 && live && count > 0)
        {
            final ProbeFile probeFile = probeFiles[(int)probeSlot];
            final long stampNs = probeFile.stampOf(count);
            if (stampNs > 0)
            {
                final long seenNs = SharedClock.nowNs();
                final long latencyNs = seenNs - stampNs;
                if (latencyNs >= 0)
                {
                    recorder.recordValue(Math.min(latencyNs, MAX_LATENCY_NS));
                    recordStages(probeFile, roomId, count, stampNs, seenNs);
                }
            }
        }
        tracedRoomId = 0;
        tracedCount = 0;
    }

    private void recordStages(
        final ProbeFile probeFile, final long roomId, final long count, final long madeNs, final long seenNs)
    {
        if (roomId != tracedRoomId || count != tracedCount || 0 == appliedNs)
        {
            return;
        }
        final long takenNs = probeFile.takenOf(count);
        final long handedNs = probeFile.handedOf(count);
        if (0 == takenNs || 0 == handedNs)
        {
            // Made before the owner's stage hooks saw it (e.g. its record reused): no breakdown, the total stands.
            return;
        }
        recordStage(API_QUEUE, takenNs - madeNs);
        recordStage(OWNER_CYCLE, handedNs - takenNs);
        recordStage(WIRE, receivedNs - handedNs);
        recordStage(REPLICA_APPLY, appliedNs - receivedNs);
        recordStage(OBSERVER, seenNs - appliedNs);
    }

    private void recordStage(final int stage, final long durationNs)
    {
        // Stamps of two processes differ by the shared clock's calibration error (under a microsecond): a stage
        // shorter than that can come out slightly negative, and counts as 0.
        stageRecorders[stage].recordValue(Math.max(0, Math.min(durationNs, MAX_LATENCY_NS)));
    }

    /**
     * {@inheritDoc}
     */
    public void onSubscribeTaken(final long connectionId, final long roomId)
    {
        if (roomId == ownProbeRoomId && 0 != (connectionId & LoadGenerator.PROBE_CONNECTION_BIT))
        {
            ownProbeFile.stampTaken(connectionId & (LoadGenerator.PROBE_CONNECTION_BIT - 1), SharedClock.nowNs());
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onCountEncoded(final long roomId, final long count, final long sequence)
    {
        if (roomId == ownProbeRoomId && count > 0)
        {
            if (encodedTail - encodedHead == ENCODED_CAPACITY)
            {
                encodedHead++;
            }
            final int at = (int)(encodedTail++ % ENCODED_CAPACITY);
            encodedCounts[at] = count;
            encodedSequences[at] = sequence;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onBroadcastSent(final long lastSequence)
    {
        if (encodedHead == encodedTail)
        {
            return;
        }
        final long nowNs = SharedClock.nowNs();
        while (encodedHead < encodedTail)
        {
            final int at = (int)(encodedHead % ENCODED_CAPACITY);
            if (encodedSequences[at] > lastSequence)
            {
                break;
            }
            ownProbeFile.stampHanded(encodedCounts[at], nowNs);
            encodedHead++;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onCountReceived(final long ownerNodeId, final long roomId, final long count)
    {
        if (live && probeSlotByRoom.get(roomId) >= 0)
        {
            tracedRoomId = roomId;
            tracedCount = count;
            receivedNs = SharedClock.nowNs();
            appliedNs = 0;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onCountApplied(final long ownerNodeId, final long roomId, final long count)
    {
        if (roomId == tracedRoomId && count == tracedCount && 0 != tracedRoomId)
        {
            appliedNs = SharedClock.nowNs();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
        notificationsReceived.lazySet(++receivedLocal);
    }

    /**
     * {@inheritDoc}
     */
    public void onRefused(
        final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
    {
        refusedLater.incrementAndGet();
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberJoined(final long nodeId)
    {
        System.out.printf("JOINED slot=%d node=%s t=%d%n", slot, LoadNodeMain.hex(nodeId), SharedClock.nowNs());
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberLeft(final long nodeId)
    {
        System.out.printf("LEFT slot=%d node=%s t=%d%n", slot, LoadNodeMain.hex(nodeId), SharedClock.nowNs());
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberEvicted(final long nodeId, final EvictionReason reason)
    {
        System.out.printf("EVICTED slot=%d node=%s reason=%s t=%d%n", slot, LoadNodeMain.hex(nodeId),
            reason, SharedClock.nowNs());
    }

    /**
     * {@inheritDoc}
     */
    public void onStateChanged(final NodeState previous, final NodeState current)
    {
        System.out.printf("STATE slot=%d from=%s to=%s t=%d%n", slot, previous, current, SharedClock.nowNs());
        if (NodeState.EVICTED == current)
        {
            // As the standalone launcher does: an evicted node stops serving and its process exits with code 3
            // (after its thread has flushed the eviction announcement), so the harness sees it at once.
            final Thread halter = new Thread(() ->
            {
                LoadNodeMain.sleepMicros(100_000);
                System.out.flush();
                Runtime.getRuntime().halt(EXIT_EVICTED);
            }, "bench-evicted");
            halter.setDaemon(true);
            halter.start();
        }
    }
}
