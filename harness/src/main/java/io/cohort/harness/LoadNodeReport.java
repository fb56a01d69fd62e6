package io.cohort.harness;

import io.cohort.engine.CohortNode;
import io.cohort.transport.CounterType;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link LoadNodeMain} process tells the harness about its node, as lines on stdout: a STATUS line at a
 * fixed interval (state, members, counts, the interval's probe latency, every replica's digest), the VERIFY of
 * every replica against the owners' replayed workloads, and the final report (MEM, then one HIST line per phase
 * with the phase's latency histogram, compressed and Base64-encoded).
 */
final class LoadNodeReport
{
    /** Between a phase's name and a stage's in the name of a stage's histogram, e.g. {@code fixed/wire}. */
    static final String STAGE_SEPARATOR = "/";

    private final CohortNode node;
    private final LoadNodeConfig config;
    private final LoadGenerator generator;
    private final LoadNodeListener listener;
    /** The probe latencies of each phase, by phase number; guarded by itself. */
    private final Histogram[] phaseHistograms = new Histogram[LoadGenerator.PHASE_NAMES.length];
    /** The probe latencies' stages of each phase, by phase number then stage; guarded by {@link #phaseHistograms}. */
    private final Histogram[][] phaseStageHistograms =
        new Histogram[LoadGenerator.PHASE_NAMES.length][LoadNodeListener.STAGE_NAMES.length];

    /**
     * @param node      the process's node, RUNNING.
     * @param config    the process's parameters.
     * @param generator the load thread, for its phase and counters.
     * @param listener  the node's listener, for its latencies and counters.
     */
    LoadNodeReport(final CohortNode node, final LoadNodeConfig config, final LoadGenerator generator,
        final LoadNodeListener listener)
    {
        this.node = node;
        this.config = config;
        this.generator = generator;
        this.listener = listener;
        for (int p = 0; p < phaseHistograms.length; p++)
        {
            phaseHistograms[p] = new Histogram(LoadNodeListener.MAX_LATENCY_NS, 3);
            for (int s = 0; s < LoadNodeListener.STAGE_NAMES.length; s++)
            {
                phaseStageHistograms[p][s] = new Histogram(LoadNodeListener.MAX_LATENCY_NS, 3);
            }
        }
    }

    /**
     * Prints a STATUS line every interval (more often while stopped, when the harness waits for convergence) and
     * adds the interval's latencies to the current phase's histogram, until the generator finishes.
     */
    void statusLoop()
    {
        final int slot = config.slot;
        Histogram interval = null;
        final Histogram[] stageIntervals = new Histogram[LoadNodeListener.STAGE_NAMES.length];
        while (generator.running())
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(LoadGenerator.STOP == generator.phase() ?
                    Math.min(20, config.statusIntervalMs) : config.statusIntervalMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            interval = listener.intervalHistogram(interval);
            for (int s = 0; s < stageIntervals.length; s++)
            {
                stageIntervals[s] = listener.stageIntervalHistogram(s, stageIntervals[s]);
            }
            final int current = generator.phase();
            synchronized (phaseHistograms)
            {
                phaseHistograms[current].add(interval);
                for (int s = 0; s < stageIntervals.length; s++)
                {
                    phaseStageHistograms[current][s].add(stageIntervals[s]);
                }
            }
            final StringBuilder digests = new StringBuilder();
            digests.append(LoadNodeMain.hex(node.nodeId())).append(':')
                .append(Long.toHexString(node.digest(node.nodeId())));
            for (final long member : node.members())
            {
                digests.append(',').append(LoadNodeMain.hex(member)).append(':')
                    .append(Long.toHexString(node.digest(member)));
            }
            System.out.printf("STATUS slot=%d t=%d state=%s members=%d phase=%s events=%d live=%d bp=%d " +
                "refused=%d refusedLater=%d applied=%d probes=%d sent=%d received=%d p50us=%.1f p99us=%.1f " +
                "samples=%d stalls=%d workingStalls=%d longestStallMs=%d digests=%s%n",
                slot, SharedClock.nowNs(), node.state(), node.members().length, LoadGenerator.PHASE_NAMES[current],
                generator.accepted(), generator.liveSubscriptions(), generator.backPressured(), generator.refused(),
                listener.refusedLater(), listener.applied(), generator.probes(), generator.notificationsSent(),
                listener.notificationsReceived(), interval.getValueAtPercentile(50) / 1e3,
                interval.getValueAtPercentile(99) / 1e3, interval.getTotalCount(),
                node.counter(CounterType.NODE_STALLS), node.counter(CounterType.NODE_WORKING_STALLS),
                node.counter(CounterType.NODE_LONGEST_STALL_MS), digests);
        }
    }

    /**
     * Checks every row this node holds of the given owners against the owner's workload replayed to the number
     * of events it accepted, and the owner's probe count; prints one VERIFY line.
     *
     * @param owners {@code OWNER:SLOT:EVENTS:PROBES} of each owner, comma separated (owner id in hex).
     */
    void verify(final String owners)
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
            final long[] expected = Workload.replay(config.seed, ownerSlot, config.connections, config.rooms,
                config.roomsPerConnection, config.skew, events);
            for (int r = 0; r < config.rooms; r++)
            {
                checked++;
                final long actual = node.subscriberCount(ownerId, config.roomIds[r]);
                if (actual != expected[r])
                {
                    if (0 == mismatches++)
                    {
                        first.append(LoadNodeMain.hex(ownerId)).append("/room").append(r).append(":expected=")
                            .append(expected[r]).append(",actual=").append(actual);
                    }
                }
            }
            checked++;
            final long actualProbes = node.subscriberCount(ownerId, config.probeRoomIds[ownerSlot]);
            if (actualProbes != ownerProbes && 0 == mismatches++)
            {
                first.append(LoadNodeMain.hex(ownerId)).append("/probes:expected=").append(ownerProbes)
                    .append(",actual=").append(actualProbes);
            }
        }
        System.out.printf("VERIFY slot=%d ok=%s checked=%d mismatches=%d ms=%.1f first=%s%n", config.slot,
            0 == mismatches, checked, mismatches, (System.nanoTime() - start) / 1e6,
            first.length() == 0 ? "-" : first);
    }

    /**
     * Prints the memory line (heap after GC, RSS, off-heap, local subscriptions), one HIST line per phase that
     * recorded latencies, and REPORTED.
     *
     * @throws InterruptedException if interrupted between the collections.
     */
    void report() throws InterruptedException
    {
        final int slot = config.slot;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final long local = generator.liveSubscriptions() + generator.probes();
        System.out.printf("MEM slot=%d heapAfterGc=%d rss=%d offHeap=%d localSubscriptions=%d%n", slot, heap,
            ProcStatus.rssBytes(), node.offHeapMemoryUsed(), local);
        synchronized (phaseHistograms)
        {
            for (int p = 0; p < phaseHistograms.length; p++)
            {
                printHistogram(slot, LoadGenerator.PHASE_NAMES[p], phaseHistograms[p]);
                for (int s = 0; s < LoadNodeListener.STAGE_NAMES.length; s++)
                {
                    // "phase/stage": the harness keeps these apart from the phases' end-to-end latencies.
                    printHistogram(slot, LoadGenerator.PHASE_NAMES[p] + STAGE_SEPARATOR + LoadNodeListener.STAGE_NAMES[s],
                        phaseStageHistograms[p][s]);
                }
            }
        }
        System.out.printf("REPORTED slot=%d%n", slot);
    }

    private static void printHistogram(final int slot, final String name, final Histogram histogram)
    {
        if (histogram.getTotalCount() > 0)
        {
            final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            System.out.printf("HIST slot=%d phase=%s data=%s%n", slot, name,
                Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
        }
    }
}
