package io.cohort.harness;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one harness run and the one-screen summary that prints them, each baseline as a ratio to
 * Cohort's figure measured in the same run.
 */
final class Figures
{
    /**
     * Messages a second of the raw JeroMQ latency baseline: the low-load point (two nodes at 2 k events/s),
     * where a hop is latency, not throughput.
     */
    static final int RAW_HOP_RATE = 2_000;
    /** The raw JeroMQ latency baseline's name in the summary, its .hgrm file and the plot. */
    static final String RAW_HOP_NAME = "raw JeroMQ one-way, " + RAW_HOP_RATE / 1000 + " k msgs/s";

    int nodes;
    double formationMs;
    double fillEventsPerSecond;
    double fillDrainMs;
    long fixedOffered;
    double fixedEventsPerSecond;
    double fixedAppliedPerReplica;
    double saturateEventsPerSecond;
    double saturateAppliedPerReplica;
    double backPressured;
    double convergenceMs = Double.NaN;
    boolean verified;
    double heapAfterGcMb;
    double rssMb;
    double offHeapPerSubscription;
    long localSubscriptions;
    double joinMs = Double.NaN;
    /** Of {@link #joinMs}, the time in Cohort.launch (state and sockets created) before the node began to join. */
    double joinLaunchMs = Double.NaN;
    /** How long the joiner's JVM ran before Cohort.launch was called. */
    double joinJvmMs = Double.NaN;
    /** Stalls over 50 ms of the members' node threads while the new node joined; -1 if not measured. */
    long joinMemberStalls = -1;
    /** Of {@link #joinMemberStalls}, those before the joiner was JOINING (its JVM starting beside the members). */
    long joinStartMemberStalls = -1;
    /**
     * Of {@link #joinMemberStalls}, those in which the member's thread itself ran more than 50 ms of CPU (a long
     * job); the others it spent off the CPU (two cores shared by every node, a GC pause).
     */
    long joinMemberWorkingStalls = -1;
    /** The longest gap between two duty cycles of any node since its launch, in milliseconds. */
    long longestStallMs;
    double crashMs = Double.NaN;
    int messageLength;
    double jeromqMessagesPerSecond;
    /** One-way latency of a raw JeroMQ message at {@link #RAW_HOP_RATE}, or null if not measured. */
    Histogram rawHopLatency;
    double chronicleUpdatesPerSecond;
    RedisLegacy.Result redis;
    final Map<String, Histogram> latency = new LinkedHashMap<>();
    /** The probes' latency by stage, by {@code phase/stage} (e.g. {@code fixed/wire}), merged over the nodes. */
    final Map<String, Histogram> stages = new LinkedHashMap<>();

    /**
     * Takes the worst node's memory figures from the MEM lines.
     *
     * @param memory MEM lines by slot.
     */
    void memory(final Map<Integer, Map<String, String>> memory)
    {
        for (final Map<String, String> line : memory.values())
        {
            heapAfterGcMb = Math.max(heapAfterGcMb, Long.parseLong(line.get("heapAfterGc")) / 1048576.0);
            rssMb = Math.max(rssMb, Long.parseLong(line.get("rss")) / 1048576.0);
            final long local = Long.parseLong(line.get("localSubscriptions"));
            localSubscriptions = Math.max(localSubscriptions, local);
            offHeapPerSubscription = Math.max(offHeapPerSubscription,
                Long.parseLong(line.get("offHeap")) / (double)Math.max(1, local));
        }
    }

    /**
     * The one-screen summary.
     *
     * @param params the run's parameters, printed on top.
     * @return the text.
     */
    String summary(final String params)
    {
        final StringBuilder out = new StringBuilder();
        out.append("Cohort cluster benchmark: ").append(params).append('\n');
        out.append(String.format(Locale.ROOT, "%-58s %18s  %s%n", "figure", "Cohort", "side by side (ratio to Cohort)"));
        out.append("-".repeat(118)).append('\n');
        final String redisRate = null == redis ? "Redis: not run" : String.format(Locale.ROOT,
            "Redis legacy %,.0f (%.3fx)%s", redis.eventsPerSecond, redis.eventsPerSecond / saturateEventsPerSecond,
            redis.verified ? "" : " NOT VERIFIED");
        row(out, "events/s absorbed across the cluster, saturated", number(saturateEventsPerSecond), redisRate);
        row(out, "  same, as a share of raw Chronicle Map updates/s", "", chronicleUpdatesPerSecond > 0 ?
            String.format(Locale.ROOT, "raw Chronicle %,.0f/s: Cohort = %.0f%% of it", chronicleUpdatesPerSecond,
                100 * saturateEventsPerSecond / chronicleUpdatesPerSecond) : "not run");
        row(out, "counts/s applied on each replica, saturated", number(saturateAppliedPerReplica),
            jeromqMessagesPerSecond > 0 ? String.format(Locale.ROOT, "raw JeroMQ %d B msgs %,.0f/s (%.2fx)",
                messageLength, jeromqMessagesPerSecond, jeromqMessagesPerSecond / saturateAppliedPerReplica) :
                "raw JeroMQ: not run");
        row(out, "  changes/s received per node, saturated", "", null == redis ? "" : String.format(Locale.ROOT,
            "Redis legacy %,.0f (%.3fx)", redis.receivedPerSecondPerNode,
            redis.receivedPerSecondPerNode / saturateAppliedPerReplica));
        row(out, "API calls back-pressured/s, saturated", number(backPressured), "retried, never lost");
        row(out, "fill (2 subscriptions per connection) events/s", number(fillEventsPerSecond),
            String.format(Locale.ROOT, "accepted by owners; on every replica %.0f ms later", fillDrainMs));
        row(out, String.format(Locale.ROOT, "fixed rate: offered %,d/s, absorbed", fixedOffered),
            number(fixedEventsPerSecond), String.format(Locale.ROOT, "applied %,.0f/s per replica",
                fixedAppliedPerReplica));
        for (final Map.Entry<String, Histogram> entry : latency.entrySet())
        {
            final Histogram h = entry.getValue();
            final Histogram cohortSaturated = latency.get("Cohort saturate");
            String side = "";
            if (RAW_HOP_NAME.equals(entry.getKey()))
            {
                side = "XPUB -> SUB, loopback, one message a frame, alone on the machine: the wire stage's floor";
            }
            else if (entry.getKey().startsWith("Redis") && null != cohortSaturated &&
                cohortSaturated.getTotalCount() > 0)
            {
                side = String.format(Locale.ROOT, "p50 %.3gx, p99 %.3gx Cohort saturated",
                    h.getValueAtPercentile(50) / (double)Math.max(1, cohortSaturated.getValueAtPercentile(50)),
                    h.getValueAtPercentile(99) / (double)Math.max(1, cohortSaturated.getValueAtPercentile(99)));
            }
            row(out, "latency " + entry.getKey() + " p50/p99/p99.9/max",
                String.format(Locale.ROOT, "%s/%s/%s/%s", us(h, 50), us(h, 99), us(h, 99.9), us(h, 100)),
                side + String.format(Locale.ROOT, " n=%,d", h.getTotalCount()));
        }
        row(out, "convergence after the load stopped", ms(convergenceMs), "digests equal everywhere");
        row(out, "every replica verified against a replay", "verified=" + verified,
            null == redis ? "" : "Redis verified=" + redis.verified);
        row(out, "heap after GC, worst node", String.format(Locale.ROOT, "%.1f MB", heapAfterGcMb), "");
        row(out, "RSS, worst node", String.format(Locale.ROOT, "%.0f MB", rssMb), "");
        row(out, String.format(Locale.ROOT, "off-heap reserved per local subscription (%,d)", localSubscriptions),
            String.format(Locale.ROOT, "%.1f B", offHeapPerSubscription), "Chronicle capacity sized to the run");
        row(out, "cluster formed (processes started to all RUNNING)", ms(formationMs), "");
        row(out, "join of a new node into the loaded cluster", ms(joinMs), Double.isNaN(joinMs) ? "" :
            String.format(Locale.ROOT, "launch to RUNNING: %.0f ms creating the node, %.0f ms joining; " +
            "its JVM ran %.0f ms before", joinLaunchMs, joinMs - joinLaunchMs, joinJvmMs));
        if (joinMemberStalls >= 0)
        {
            row(out, "members' node-thread stalls > 50 ms during the join", String.valueOf(joinMemberStalls),
                joinStartMemberStalls + " of them before it was JOINING (its JVM starting); " + joinMemberWorkingStalls +
                " working (a long job), the rest off the CPU; longest gap between two cycles of any node since " +
                "launch: " + longestStallMs + " ms");
        }
        row(out, "kill -9 to evicted by every survivor", ms(crashMs), "");
        out.append(stageBreakdown());
        return out.toString();
    }

    /**
     * Where a probe's latency goes, per phase: one row per stage (they add up, probe by probe, to the latency
     * above; percentiles of the parts do not add up to the percentiles of the whole).
     *
     * @return the section, or nothing if no phase has a breakdown.
     */
    String stageBreakdown()
    {
        final StringBuilder out = new StringBuilder();
        for (final String phase : LoadGenerator.PHASE_NAMES)
        {
            boolean header = false;
            for (int s = 0; s < LoadNodeListener.STAGE_NAMES.length; s++)
            {
                final Histogram h = stages.get(phase + LoadNodeReport.STAGE_SEPARATOR + LoadNodeListener.STAGE_NAMES[s]);
                if (null == h || 0 == h.getTotalCount() || "idle".equals(phase) || "stop".equals(phase))
                {
                    continue;
                }
                if (!header)
                {
                    out.append('\n').append(String.format(Locale.ROOT,
                        "where a probe's latency goes, phase %s (per stage, HdrHistogram; mean, p50/p99/p99.9/max):%n",
                        phase));
                    header = true;
                }
                out.append(String.format(Locale.ROOT, "  %-13s %8s  %-30s n=%,d  %s%n", LoadNodeListener.STAGE_NAMES[s],
                    us(h.getMean()), String.format(Locale.ROOT, "%s/%s/%s/%s", us(h, 50), us(h, 99), us(h, 99.9),
                        us(h, 100)), h.getTotalCount(), LoadNodeListener.STAGE_MEANINGS[s]));
            }
        }
        return out.toString();
    }

    private static String us(final double nanos)
    {
        final double us = nanos / 1e3;
        return us >= 10_000 ? String.format(Locale.ROOT, "%.0fms", us / 1e3) :
            us >= 10 ? String.format(Locale.ROOT, "%.0fus", us) : String.format(Locale.ROOT, "%.1fus", us);
    }

    private static void row(final StringBuilder out, final String name, final String cohort, final String side)
    {
        out.append(String.format(Locale.ROOT, "%-58s %18s  %s%n", name, cohort, side));
    }

    private static String number(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ms(final double value)
    {
        return Double.isNaN(value) ? "not run" : String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static String us(final Histogram histogram, final double percentile)
    {
        final double us = (percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile)) / 1e3;
        return us >= 10_000 ? String.format(Locale.ROOT, "%.0fms", us / 1e3) : String.format(Locale.ROOT, "%.0fus", us);
    }
}
