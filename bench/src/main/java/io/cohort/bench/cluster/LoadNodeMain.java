package io.cohort.bench.cluster;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.EvictionReason;
import io.cohort.engine.NodeState;
import io.cohort.engine.RefusalReason;
import io.cohort.engine.RefusedOperation;
import io.cohort.engine.ReplicaObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One node process of the load harness: launches a real node with {@link Cohort#launch}, runs the seeded
 * {@link Workload} against it from a thread of its own (API calls made locally, as a backend would), and tells the
 * harness what happens through lines on stdout; the harness drives it through lines on stdin. Ends when stdin
 * closes (the harness is gone), so no node outlives its harness.
 * <p>
 * Commands (stdin): {@code setup} (create every room), {@code phase fill [RATE]|fixed RATE|saturate|stop},
 * {@code verify OWNER:SLOT:EVENTS:PROBES,...}, {@code report}, {@code quit}.
 * Lines (stdout), each one word then {@code name=value} fields: {@code READY}, {@code STATUS}, {@code SETUP},
 * {@code FILLED}, {@code STOPPED}, {@code VERIFY}, {@code MEM}, {@code HIST}, {@code JOINED}, {@code LEFT},
 * {@code EVICTED}, {@code STATE}, {@code ERROR}.
 */
public final class LoadNodeMain implements CohortListener, ReplicaObserver
{
    /** Parameters of a node process, with defaults (the harness always passes them all). */
    static final String[][] PARAMS = {
        { "slot", "0", "this node's slot in the run" },
        { "seed", "42", "seed of the run's workload" },
        { "connections", "1000", "connections of this node" },
        { "rooms", "1000", "rooms of the run" },
        { "roomsPerConnection", "2", "distinct rooms each connection holds" },
        { "skew", "1", "Zipf exponent of the room draws (0: uniform)" },
        { "slots", "8", "how many slots the run may use (probe files to map)" },
        { "dir", "", "the run's directory (probe files, counters, logs)" },
        { "seeds", "", "host:port of a member to join through, empty for the first node" },
        { "probeRate", "1000", "latency probes per second" },
        { "notifyRate", "0", "notifications published per second" },
        { "notifySize", "64", "bytes of a notification's payload" },
        { "statusMs", "200", "interval of STATUS lines" },
        { "curveKeyFile", "", "CURVE key file, empty for plaintext" },
    };

    /** Exit code of an evicted node, as {@link io.cohort.engine.CohortMain#EXIT_EVICTED}. */
    static final int EXIT_EVICTED = io.cohort.engine.CohortMain.EXIT_EVICTED;
    private static final int IDLE = 0;
    private static final int FILL = 1;
    private static final int FIXED = 2;
    private static final int SATURATE = 3;
    private static final int STOP = 4;
    private static final String[] PHASE_NAMES = { "idle", "fill", "fixed", "saturate", "stop" };
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long PROBE_CONNECTION_BIT = 1L << 39;
    private static final long MIN_BACKOFF_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int slot;
    private final long seed;
    private final int connections;
    private final int rooms;
    private final int roomsPerConnection;
    private final double skew;
    private final long[] roomIds;
    private final long[] probeRoomIds;
    private final ProbeFile[] probeFiles;
    private final Long2LongHashMap probeSlotByRoom = new Long2LongHashMap(-1);
    private final Workload workload;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(MAX_LATENCY_NS, 3);
    private final Histogram[] phaseHistograms = new Histogram[PHASE_NAMES.length];
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong backPressured = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedLater = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong notificationsSent = new AtomicLong();
    private final AtomicLong notificationsReceived = new AtomicLong();
    private final long probeIntervalNs;
    private final long notifyIntervalNs;
    private final org.agrona.concurrent.UnsafeBuffer payload;
    private final long statusIntervalMs;
    private long appliedLocal;
    private long receivedLocal;
    private volatile boolean running = true;
    private volatile boolean live;
    private volatile int phase = IDLE;
    private volatile long fixedRatePerSecond;
    private volatile long fillRatePerSecond;
    private volatile CohortNode node;

    private LoadNodeMain(final BenchParams params)
    {
        slot = params.integer("slot", 0, 1_000);
        seed = params.number("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        connections = params.integer("connections", 1, 100_000_000);
        rooms = params.integer("rooms", 3, 100_000_000);
        roomsPerConnection = params.integer("roomsPerConnection", 1, Workload.MAX_ROOMS_PER_CONNECTION);
        skew = params.decimal("skew", 0, Workload.MAX_SKEW);
        final int slots = params.integer("slots", slot + 1, 1_000);
        final File dir = new File(params.text("dir"));
        roomIds = new long[rooms];
        for (int r = 0; r < rooms; r++)
        {
            roomIds[r] = CohortNode.roomId("bench", "rooms", roomFilter(r));
        }
        probeRoomIds = new long[slots];
        probeFiles = new ProbeFile[slots];
        for (int s = 0; s < slots; s++)
        {
            probeRoomIds[s] = CohortNode.roomId("bench", "probe", roomFilter(s));
            probeSlotByRoom.put(probeRoomIds[s], s);
            probeFiles[s] = new ProbeFile(dir, s);
        }
        workload = new Workload(seed, slot, connections, rooms, roomsPerConnection, skew);
        final long probeRate = params.number("probeRate", 0, 1_000_000);
        probeIntervalNs = 0 == probeRate ? Long.MAX_VALUE : 1_000_000_000L / probeRate;
        final long notifyRate = params.number("notifyRate", 0, 10_000_000);
        notifyIntervalNs = 0 == notifyRate ? Long.MAX_VALUE : 1_000_000_000L / notifyRate;
        payload = new org.agrona.concurrent.UnsafeBuffer(new byte[params.integer("notifySize", 0, 65_536)]);
        statusIntervalMs = params.number("statusMs", 1, 60_000);
        for (int p = 0; p < PHASE_NAMES.length; p++)
        {
            phaseHistograms[p] = new Histogram(MAX_LATENCY_NS, 3);
        }
    }

    static byte[] roomFilter(final int index)
    {
        return ("{\"n\":" + index + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs one node process until {@code quit} or the end of stdin.
     *
     * @param args {@code name=value} parameters (see {@link #PARAMS}).
     */
    public static void main(final String[] args)
    {
        final LoadNodeMain main;
        final CohortContext context;
        try
        {
            final BenchParams params = BenchParams.parse(PARAMS, args);
            main = new LoadNodeMain(params);
            context = main.context(params);
        }
        catch (final IllegalArgumentException ex)
        {
            System.out.println("ERROR what=usage message=" + oneLine(ex.getMessage()));
            System.exit(2);
            return;
        }
        main.run(context);
    }

    private CohortContext context(final BenchParams params)
    {
        final CohortContext context = new CohortContext().seeds(params.text("seeds")).listener(this);
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(new File(params.text("dir"), "counters").getPath());
        if (!params.text("curveKeyFile").isEmpty())
        {
            context.transportContext().curveKeyFile(params.text("curveKeyFile"));
        }
        // Sized to the run, so that Chronicle's reserved bytes per subscription are honest.
        final long probeCapacity = 1L << 18;
        context.stateContext().maxRooms(Math.max(1024, (rooms + probeRoomIds.length) * 5L / 4))
            .maxConnections(Math.max(1024, (connections + probeCapacity) * 5L / 4))
            .maxNodes(Math.max(4, probeRoomIds.length + 2));
        return context;
    }

    private void run(final CohortContext context)
    {
        final long launchNs = System.nanoTime();
        try
        {
            node = Cohort.launch(context);
            if (!node.awaitState(NodeState.RUNNING, 120, TimeUnit.SECONDS))
            {
                System.out.println("ERROR what=join message=" + oneLine("not RUNNING: " + node.state() + " " +
                    node.failure()));
                System.exit(1);
            }
        }
        catch (final Exception ex)
        {
            System.out.println("ERROR what=launch message=" + oneLine(String.valueOf(ex)));
            System.exit(1);
            return;
        }
        live = true;
        final String command = node.commandEndpoint().substring("tcp://".length());
        System.out.printf("READY slot=%d node=%s command=%s joinMs=%.1f pid=%d%n", slot, hex(node.nodeId()), command,
            (System.nanoTime() - launchNs) / 1e6, ProcessHandle.current().pid());

        final Thread load = new Thread(this::loadLoop, "bench-load");
        load.setDaemon(true);
        load.start();
        final Thread status = new Thread(this::statusLoop, "bench-status");
        status.setDaemon(true);
        status.start();
        commandLoop();
        running = false;
        try
        {
            load.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
        System.out.println("BYE slot=" + slot);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private void commandLoop()
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try
        {
            String line;
            while (null != (line = in.readLine()))
            {
                final String[] words = line.trim().split(" ");
                switch (words[0])
                {
                    case "setup": setup(); break;
                    case "phase": phase(words); break;
                    case "verify": verify(words[1]); break;
                    case "report": report(); break;
                    case "quit": return;
                    default: System.out.println("ERROR what=command message=unknown command " + oneLine(line));
                }
            }
        }
        catch (final Exception ex)
        {
            System.out.println("ERROR what=command message=" + oneLine(String.valueOf(ex)));
        }
        // End of stdin: the harness is gone; do not outlive it (no graceful leave needed by anyone).
        if (running)
        {
            Runtime.getRuntime().halt(4);
        }
    }

    private void phase(final String[] words)
    {
        switch (words[1])
        {
            case "fill": fillRatePerSecond = words.length > 2 ? Long.parseLong(words[2]) : 0; phase = FILL; break;
            case "fixed": fixedRatePerSecond = Long.parseLong(words[2]); phase = FIXED; break;
            case "saturate": phase = SATURATE; break;
            case "stop": phase = STOP; break;
            default: System.out.println("ERROR what=command message=unknown phase " + words[1]);
        }
    }

    private void setup() throws InterruptedException
    {
        final long start = System.nanoTime();
        for (int r = 0; r < rooms; r++)
        {
            createRoom("rooms", roomFilter(r));
        }
        for (int s = 0; s < probeRoomIds.length; s++)
        {
            createRoom("probe", roomFilter(s));
        }
        System.out.printf("SETUP slot=%d rooms=%d ms=%.1f%n", slot, rooms, (System.nanoTime() - start) / 1e6);
    }

    private void createRoom(final String collection, final byte[] filter) throws InterruptedException
    {
        CallResult result;
        while (CallResult.BACK_PRESSURED == (result = node.createRoom("bench", collection, filter)))
        {
            TimeUnit.MICROSECONDS.sleep(50);
        }
        if (CallResult.ACCEPTED != result)
        {
            throw new IllegalStateException("createRoom refused: " + result);
        }
    }

    private void loadLoop()
    {
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
                sleepMicros(200);
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
                        LockSupport.parkNanos(Math.min(1_000_000, phaseStartNs + phaseEvents * 1_000_000_000L / rate - nowNs));
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
                    sleepMicros(200);
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
                    // parkNanos, not sleep: Thread.sleep rounds a sub-millisecond wait up to a whole millisecond.
                    LockSupport.parkNanos(Math.min(1_000_000, dueNs - nowNs));
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

    private void issue()
    {
        workload.next();
        final long connectionId = connectionId(workload.connection);
        final long roomId = roomIds[workload.room];
        final boolean subscribe = Workload.SUBSCRIBE == workload.op;
        CallResult result;
        long backoffNs = MIN_BACKOFF_NS;
        while (CallResult.BACK_PRESSURED == (result = subscribe ?
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
        while (node.localSubscriberCount(probeRoomIds[slot]) < probes.get() && System.nanoTime() < deadlineNs &&
            node.state().isMember())
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
        probeFiles[slot].stamp(number, SharedClock.nowNs());
        final long connectionId = (long)(slot + 1) << 40 | PROBE_CONNECTION_BIT | number;
        CallResult result;
        long backoffNs = MIN_BACKOFF_NS;
        while (CallResult.BACK_PRESSURED == (result = node.subscribe(connectionId, probeRoomIds[slot])))
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
        System.out.printf("JOINED slot=%d node=%s t=%d%n", slot, hex(nodeId), SharedClock.nowNs());
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberLeft(final long nodeId)
    {
        System.out.printf("LEFT slot=%d node=%s t=%d%n", slot, hex(nodeId), SharedClock.nowNs());
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberEvicted(final long nodeId, final EvictionReason reason)
    {
        System.out.printf("EVICTED slot=%d node=%s reason=%s t=%d%n", slot, hex(nodeId), reason,
            SharedClock.nowNs());
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
                sleepMicros(100_000);
                System.out.flush();
                Runtime.getRuntime().halt(EXIT_EVICTED);
            }, "bench-evicted");
            halter.setDaemon(true);
            halter.start();
        }
    }

    private void statusLoop()
    {
        Histogram interval = null;
        while (running)
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(STOP == phase ? Math.min(20, statusIntervalMs) : statusIntervalMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            interval = recorder.getIntervalHistogram(interval);
            final int current = phase;
            synchronized (phaseHistograms)
            {
                phaseHistograms[current].add(interval);
            }
            final CohortNode n = node;
            final StringBuilder digests = new StringBuilder();
            digests.append(hex(n.nodeId())).append(':').append(Long.toHexString(n.digest(n.nodeId())));
            for (final long member : n.members())
            {
                digests.append(',').append(hex(member)).append(':').append(Long.toHexString(n.digest(member)));
            }
            System.out.printf("STATUS slot=%d t=%d state=%s members=%d phase=%s events=%d live=%d bp=%d " +
                "refused=%d refusedLater=%d applied=%d probes=%d sent=%d received=%d p50us=%.1f p99us=%.1f " +
                "samples=%d digests=%s%n",
                slot, SharedClock.nowNs(), n.state(), n.members().length, PHASE_NAMES[current], accepted.get(),
                workload.liveSubscriptions(), backPressured.get(), refused.get(), refusedLater.get(), applied.get(),
                probes.get(), notificationsSent.get(), notificationsReceived.get(),
                interval.getValueAtPercentile(50) / 1e3, interval.getValueAtPercentile(99) / 1e3,
                interval.getTotalCount(), digests);
        }
    }

    private void verify(final String owners)
    {
        final long start = System.nanoTime();
        long mismatches = 0;
        long checked = 0;
        final StringBuilder first = new StringBuilder();
        for (final String owner : owners.split(","))
        {
            final String[] fields = owner.split(":");
            final long ownerId = Long.parseUnsignedLong(fields[0], 16);
            final int ownerSlot = Integer.parseInt(fields[1]);
            final long events = Long.parseLong(fields[2]);
            final long ownerProbes = Long.parseLong(fields[3]);
            final long[] expected = Workload.replay(seed, ownerSlot, connections, rooms, roomsPerConnection, skew,
                events);
            for (int r = 0; r < rooms; r++)
            {
                checked++;
                final long actual = node.subscriberCount(ownerId, roomIds[r]);
                if (actual != expected[r])
                {
                    if (0 == mismatches++)
                    {
                        first.append(hex(ownerId)).append("/room").append(r).append(":expected=").append(expected[r])
                            .append(",actual=").append(actual);
                    }
                }
            }
            checked++;
            final long actualProbes = node.subscriberCount(ownerId, probeRoomIds[ownerSlot]);
            if (actualProbes != ownerProbes && 0 == mismatches++)
            {
                first.append(hex(ownerId)).append("/probes:expected=").append(ownerProbes).append(",actual=")
                    .append(actualProbes);
            }
        }
        System.out.printf("VERIFY slot=%d ok=%s checked=%d mismatches=%d ms=%.1f first=%s%n", slot, 0 == mismatches,
            checked, mismatches, (System.nanoTime() - start) / 1e6, first.length() == 0 ? "-" : first);
    }

    private void report() throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final long local = workload.liveSubscriptions() + probes.get();
        System.out.printf("MEM slot=%d heapAfterGc=%d rss=%d offHeap=%d localSubscriptions=%d%n", slot, heap, rssBytes(),
            node.offHeapMemoryUsed(), local);
        synchronized (phaseHistograms)
        {
            for (int p = 0; p < PHASE_NAMES.length; p++)
            {
                final Histogram histogram = phaseHistograms[p];
                if (histogram.getTotalCount() > 0)
                {
                    final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
                    final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
                    System.out.printf("HIST slot=%d phase=%s data=%s%n", slot, PHASE_NAMES[p],
                        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
                }
            }
        }
        System.out.printf("REPORTED slot=%d%n", slot);
    }

    /**
     * The resident set size of this process, from {@code /proc/self/status}.
     *
     * @return bytes, or -1 where {@code /proc} is missing.
     */
    static long rssBytes()
    {
        return rssBytes(Path.of("/proc/self/status"));
    }

    static long rssBytes(final Path status)
    {
        try
        {
            for (final String line : Files.readAllLines(status))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        }
        catch (final Exception ex)
        {
            return -1;
        }
        return -1;
    }

    static String hex(final long nodeId)
    {
        return Long.toHexString(nodeId);
    }

    private static String oneLine(final String text)
    {
        return String.valueOf(text).replace('\n', ' ').replace('\r', ' ');
    }

    private static void sleepMicros(final long micros)
    {
        try
        {
            TimeUnit.MICROSECONDS.sleep(micros);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
