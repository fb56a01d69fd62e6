package io.cohort.harness;

import io.cohort.engine.CohortListener;
import io.cohort.engine.EvictionReason;
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
 */
final class LoadNodeListener implements CohortListener, ReplicaObserver
{
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
            final long stampNs = probeFiles[(int)probeSlot].stampOf(count);
            if (stampNs > 0)
            {
                final long latencyNs = SharedClock.nowNs() - stampNs;
                if (latencyNs >= 0)
                {
                    recorder.recordValue(Math.min(latencyNs, MAX_LATENCY_NS));
                }
            }
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
