package io.cohort.harness;

import io.cohort.engine.CallResult;
import io.cohort.engine.CohortNode;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load thread of a {@link LoadNodeMain} process: issues the seeded {@link Workload}'s subscribe and unsubscribe
 * calls to its own node in the phase the harness asked for (fill at a paced or free rate, a fixed rate, saturated,
 * stopped), with latency probes and notifications beside them, and counts what became of every call. Only this
 * thread writes the counters; other threads read them.
 */
final class LoadGenerator implements Runnable
{
    static final int IDLE = 0;
    static final int FILL = 1;
    static final int FIXED = 2;
    static final int SATURATE = 3;
    static final int STOP = 4;
    /** Names of the phases, by number, as STATUS and HIST lines print them. */
    static final String[] PHASE_NAMES = { "idle", "fill", "fixed", "saturate", "stop" };

    /** Set in a probe's connection id: the probe number is in the bits below it. */
    static final long PROBE_CONNECTION_BIT = 1L << 39;
    private static final long MIN_BACKOFF_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Longest park while there is nothing to issue (idle, stopped, filled, or before a fixed-rate call is due): a
     * phase change unparks the thread at once, so this only bounds how long a missed wake-up could last. Measured:
     * the 200 us sleep loop this replaces cost 20 ms of CPU a second per idle node, a sixth of a two-core machine
     * at 16 nodes, taken from the node threads it starved.
     */
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final CohortNode node;
    private final int slot;
    private final int rooms;
    private final long[] roomIds;
    private final long ownProbeRoomId;
    private final ProbeFile ownProbeFile;
    private final Workload workload;
    private final long probeIntervalNs;
    private final long notifyIntervalNs;
    private final UnsafeBuffer payload;
    private final int loadNice;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong backPressured = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong notificationsSent = new AtomicLong();
    private volatile boolean running = true;
    private volatile int phase = IDLE;
    private volatile long fixedRatePerSecond;
    private volatile long fillRatePerSecond;
    private volatile Thread loadThread;

    /**
     * @param node         the process's node, RUNNING.
     * @param config       the process's parameters.
     * @param workload     the slot's workload, not yet drawn from.
     * @param ownProbeFile this slot's probe file, stamped before each probe.
     */
    LoadGenerator(final CohortNode node, final LoadNodeConfig config, final Workload workload,
        final ProbeFile ownProbeFile)
    {
        this.node = node;
        slot = config.slot;
        rooms = config.rooms;
        roomIds = config.roomIds;
        ownProbeRoomId = config.probeRoomIds[config.slot];
        this.ownProbeFile = ownProbeFile;
        this.workload = workload;
        probeIntervalNs = config.probeIntervalNs;
        notifyIntervalNs = config.notifyIntervalNs;
        payload = new UnsafeBuffer(new byte[config.notifySize]);
        loadNice = config.loadNice;
    }

    /**
     * Fills: every connection takes its rooms, at a paced rate or as fast as the node accepts.
     *
     * @param ratePerSecond calls per second, 0 for unpaced.
     */
    void fill(final long ratePerSecond)
    {
        fillRatePerSecond = ratePerSecond;
        phase = FILL;
        wake();
    }

    /**
     * Churns at a fixed rate.
     *
     * @param ratePerSecond calls per second.
     */
    void fixed(final long ratePerSecond)
    {
        fixedRatePerSecond = ratePerSecond;
        phase = FIXED;
        wake();
    }

    /** Churns as fast as the node accepts. */
    void saturate()
    {
        phase = SATURATE;
        wake();
    }

    /** Stops the load (and reports STOPPED once the node's own queue drained). */
    void stop()
    {
        phase = STOP;
        wake();
    }

    /** Ends the thread's loop. */
    void finish()
    {
        running = false;
        wake();
    }

    private void wake()
    {
        final Thread thread = loadThread;
        if (null != thread)
        {
            LockSupport.unpark(thread);
        }
    }

    boolean running()
    {
        return running;
    }

    int phase()
    {
        return phase;
    }

    long accepted()
    {
        return accepted.get();
    }

    long backPressured()
    {
        return backPressured.get();
    }

    long refused()
    {
        return refused.get();
    }

    long probes()
    {
        return probes.get();
    }

    long notificationsSent()
    {
        return notificationsSent.get();
    }

    long liveSubscriptions()
    {
        return workload.liveSubscriptions();
    }

    /**
     * The load loop, until {@link #finish()}.
     */
    public void run()
    {
        loadThread = Thread.currentThread();
        try
        {
            LoadPriority.lowerCallingThread(loadNice);
        }
        catch (final IllegalStateException ex)
        {
            // The run asked for a load that yields to the node: measuring without it would report other figures.
            System.out.println("ERROR what=loadNice message=" + ex.getMessage().replace('\n', ' '));
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        long nextProbeNs = System.nanoTime();
        long nextNotifyNs = System.nanoTime();
        long phaseStartNs = 0;
        long phaseEvents = 0;
        int current = IDLE;
        boolean filledReported = false;
        boolean stopReported = false;
        while (running)
        {
            final int requested = phase;
            final long nowNs = System.nanoTime();
            if (requested != current)
            {
                current = requested;
                phaseStartNs = nowNs;
                phaseEvents = 0;
            }
            if (IDLE == current || STOP == current)
            {
                if (STOP == current && !stopReported)
                {
                    stopReported = true;
                    final long stoppedNs = SharedClock.nowNs();
                    final long drainMs = drainOwnQueue();
                    System.out.printf("STOPPED slot=%d t=%d events=%d probes=%d drainMs=%d%n", slot, stoppedNs,
                        accepted.get(), probes.get(), drainMs);
                }
                LockSupport.parkNanos(IDLE_PARK_NS);
                continue;
            }
            stopReported = false;
            // Probes and notifications flow only while load does: a filled node waits idle, so that the harness
            // can see the cluster converge before the next phase.
            final boolean loaded = FILL != current || workload.filling();
            // An interval of Long.MAX_VALUE means "off" (rate 0): never due, and never added (it would overflow).
            if (loaded && Long.MAX_VALUE != probeIntervalNs && nowNs >= nextProbeNs)
            {
                probe();
                nextProbeNs += probeIntervalNs;
                if (nextProbeNs < nowNs)
                {
                    nextProbeNs = nowNs + probeIntervalNs;
                }
            }
            if (loaded && Long.MAX_VALUE != notifyIntervalNs && nowNs >= nextNotifyNs)
            {
                notifyRandomRoom();
                nextNotifyNs += notifyIntervalNs;
                if (nextNotifyNs < nowNs)
                {
                    nextNotifyNs = nowNs + notifyIntervalNs;
                }
            }
            if (FILL == current)
            {
                if (workload.filling())
                {
                    final long rate = fillRatePerSecond;
                    if (0 == rate || nowNs >= phaseStartNs + phaseEvents * 1_000_000_000L / rate)
                    {
                        issue();
                        phaseEvents++;
                    }
                    else
                    {
                        parkUntil(phaseStartNs + phaseEvents * 1_000_000_000L / rate, nextProbeNs, nextNotifyNs, nowNs);
                    }
                }
                else
                {
                    if (!filledReported)
                    {
                        filledReported = true;
                        System.out.printf("FILLED slot=%d t=%d events=%d ms=%.1f%n", slot, SharedClock.nowNs(),
                            accepted.get(), (nowNs - phaseStartNs) / 1e6);
                    }
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
            else if (FIXED == current)
            {
                final long rate = Math.max(1, fixedRatePerSecond);
                final long dueNs = phaseStartNs + phaseEvents * 1_000_000_000L / rate;
                if (nowNs >= dueNs)
                {
                    issue();
                    phaseEvents++;
                }
                else if (dueNs - nowNs > 60_000)
                {
                    parkUntil(dueNs, nextProbeNs, nextNotifyNs, nowNs);
                }
                else
                {
                    Thread.yield();
                }
            }
            else
            {
                issue();
            }
        }
    }

    /**
     * Parks until the first of the next call, probe and notification is due (or a phase change wakes the thread).
     * parkNanos, not sleep: Thread.sleep rounds a sub-millisecond wait up to a whole millisecond.
     */
    private void parkUntil(final long callDueNs, final long probeDueNs, final long notifyDueNs, final long nowNs)
    {
        long wakeNs = callDueNs;
        if (Long.MAX_VALUE != probeIntervalNs)
        {
            wakeNs = Math.min(wakeNs, probeDueNs);
        }
        if (Long.MAX_VALUE != notifyIntervalNs)
        {
            wakeNs = Math.min(wakeNs, notifyDueNs);
        }
        if (wakeNs > nowNs)
        {
            LockSupport.parkNanos(Math.min(IDLE_PARK_NS, wakeNs - nowNs));
        }
    }

    private void issue()
    {
        workload.next();
        final long connectionId = connectionId(workload.connection);
        final long roomId = roomIds[workload.room];
        final boolean subscribe = Workload.SUBSCRIBE == workload.op;
        CallResult result;
        long backoffNs = MIN_BACKOFF_NS;
        while (isTransient(result = subscribe ?
            node.subscribe(connectionId, roomId) : node.unsubscribe(connectionId, roomId)))
        {
            backoffNs = backOff(backoffNs);
        }
        if (CallResult.ACCEPTED == result)
        {
            accepted.lazySet(accepted.get() + 1);
        }
        else
        {
            // Lost for good (the node is no member): counted, and the verification will say so.
            refused.lazySet(refused.get() + 1);
        }
    }

    /**
     * What a backend retries: the node is behind (BACK_PRESSURED), or its lease is out for a moment (NO_QUORUM: a
     * stall of its own, or a heartbeat round trip away from a quorum; it is evicted if that lasts, and the call is
     * then refused for good).
     */
    private static boolean isTransient(final CallResult result)
    {
        return CallResult.BACK_PRESSURED == result || CallResult.NO_QUORUM == result;
    }

    /**
     * Counts a back-pressured call and parks, longer each time up to a millisecond: a full queue means the node's
     * thread is behind, and on a small machine a spinning caller would take the very CPU it needs to catch up.
     */
    private long backOff(final long backoffNs)
    {
        backPressured.lazySet(backPressured.get() + 1);
        LockSupport.parkNanos(backoffNs);
        return Math.min(MAX_BACKOFF_NS, backoffNs * 2);
    }

    /**
     * Waits until this node's own thread has carried out every call accepted so far: calls queue in order, so
     * once a last probe subscription shows in the local count, everything before it has changed the owner's rows.
     * Without this, a harness could see replicas equal to their owner while the owner still has queued calls, and
     * verify too early.
     *
     * @return milliseconds waited.
     */
    private long drainOwnQueue()
    {
        final long startNs = System.nanoTime();
        probe();
        final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(120);
        while (node.localSubscriberCount(ownProbeRoomId) < probes.get() && System.nanoTime() < deadlineNs &&
            node.state().servesCalls())
        {
            LockSupport.parkNanos(100_000);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    private long connectionId(final int index)
    {
        return (long)(slot + 1) << 40 | (index + 1);
    }

    private void probe()
    {
        final long number = probes.get() + 1;
        ownProbeFile.stamp(number, SharedClock.nowNs());
        final long connectionId = (long)(slot + 1) << 40 | PROBE_CONNECTION_BIT | number;
        CallResult result;
        long backoffNs = MIN_BACKOFF_NS;
        while (isTransient(result = node.subscribe(connectionId, ownProbeRoomId)))
        {
            backoffNs = backOff(backoffNs);
        }
        if (CallResult.ACCEPTED == result)
        {
            probes.lazySet(number);
        }
        else
        {
            refused.lazySet(refused.get() + 1);
        }
    }

    private void notifyRandomRoom()
    {
        final long roomId = roomIds[(int)((notificationsSent.get() * 0x9E3779B97F4A7C15L >>> 1) % rooms)];
        if (CallResult.ACCEPTED == node.publish(roomId, payload, 0, payload.capacity()))
        {
            notificationsSent.lazySet(notificationsSent.get() + 1);
        }
        else
        {
            backPressured.lazySet(backPressured.get() + 1);
        }
    }
}
