package io.cohort.harness;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./cohort demo [name=value...]}: issue 9's demo on the load harness's machinery. Three real node processes
 * on loopback hold about a million simulated connections between them, with subscribe/unsubscribe churn and
 * notifications, shown on one refreshing line (members, rooms, subscriptions, events/s, p99); midway one node is
 * killed with kill -9, its eviction and the survivors' agreeing digests are shown, it is restarted and rejoins;
 * at the end every replica is verified exactly against a replay of its owner's events, and a HdrHistogram summary
 * and a latency chart are written. Exit code 0 when every check passed, 1 when one failed, 2 for bad parameters.
 * <p>
 * The demo's nodes run with the library's defaults (1 s heartbeat timeout): snapshots are served and loaded in
 * slices, so a member serving the restarted node's snapshot keeps heartbeating; {@code props=} passes settings.
 */
public final class ClusterDemo
{
    /** Parameters, defaults and meanings. */
    static final String[][] PARAMS = {
        { "nodes", "3", "node processes" },
        { "connections", "1m", "simulated connections across the cluster (each subscribes 2 Zipf rooms)" },
        { "rooms", "10k", "rooms" },
        { "seed", "42", "seed of the workload" },
        { "churnRate", "30k", "churn events/s offered across the cluster" },
        { "notifyRate", "500", "notifications published per second per node" },
        { "notifySize", "64", "notification payload bytes" },
        { "seconds", "40", "seconds of churn (the kill happens midway)" },
        { "probeRate", "500", "latency probes per second per node" },
        { "fillRate", "150k", "subscriptions/s offered across the cluster while connections first subscribe (0: as fast as accepted)" },
        { "props", "", "cohort.* settings of the nodes, comma-separated name=value (empty: the library's defaults)" },
        { "heap", "", "-Xmx of the node processes (empty: JVM default)" },
        { "timeout", "300", "bound in seconds of each step" },
        { "out", "", "output directory (default harness/target/cluster-demo/TIMESTAMP)" },
    };

    private final PrintStream out;
    private boolean ok = true;

    private ClusterDemo(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @param args {@code name=value} parameters, or {@code help}.
     */
    public static void main(final String[] args)
    {
        if (args.length == 1 && ("help".equals(args[0]) || "-h".equals(args[0]) || "--help".equals(args[0])))
        {
            System.out.println("usage: ./cohort demo [name=value...]\n" + BenchParams.parse(PARAMS, new String[0]).usage());
            return;
        }
        int status;
        try
        {
            status = run(BenchParams.parse(PARAMS, args), System.out);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("cohort demo: " + ex.getMessage());
            status = 2;
        }
        catch (final Exception ex)
        {
            System.out.println();
            System.out.println("demo: FAILED: " + ex.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Runs the demo with parsed parameters.
     *
     * @param params the parameters.
     * @param out    where it prints.
     * @return the exit status.
     * @throws Exception if the demo cannot proceed (a failed step).
     */
    static int run(final BenchParams params, final PrintStream out) throws Exception
    {
        return new ClusterDemo(out).demo(params) ? 0 : 1;
    }

    private boolean demo(final BenchParams params) throws Exception
    {
        final int nodes = params.integer("nodes", 2, 16);
        final long totalConnections = params.number("connections", nodes, 100_000_000);
        final int rooms = params.integer("rooms", 3, 50_000_000);
        final long churnRate = params.number("churnRate", 1, 100_000_000);
        final long seconds = params.number("seconds", 2, 86_400);
        final long timeoutMs = TimeUnit.SECONDS.toMillis(params.number("timeout", 1, 86_400));
        final List<String> properties = ClusterBench.nodeProperties(params);
        final BenchParams nodeParams = BenchParams.parse(ClusterBench.PARAMS, new String[]{
            "connections=" + (totalConnections / nodes), "rooms=" + rooms, "seed=" + params.text("seed"),
            "probeRate=" + params.text("probeRate"), "notifyRate=" + params.text("notifyRate"),
            "notifySize=" + params.text("notifySize") });
        final File dir = ClusterBench.outputDir(params, "cluster-demo");
        final List<String> nodeArgs = ClusterBench.nodeArgs(nodeParams, dir, nodes, false);
        out.printf("Cohort demo: %d node processes on 127.0.0.1, %,d simulated connections, %,d rooms (%s)%n", nodes,
            totalConnections, rooms, params);
        if (!properties.isEmpty())
        {
            out.println("  node settings: " + String.join(" ", properties) + " (props= for the library defaults)");
        }

        final Map<String, Histogram> latency;
        try (Cluster cluster = new Cluster(dir, nodeArgs, params.text("heap"), properties, rooms, out))
        {
            step(cluster, "starting " + nodes + " nodes (each its own JVM: ./cohort's launcher, real sockets)");
            final long startNs = System.nanoTime();
            cluster.startAll(nodes, timeoutMs);
            cluster.startProgress();
            check(cluster, String.format("cluster formed: %d members RUNNING in %.1f s", nodes,
                (System.nanoTime() - startNs) / 1e9), true);

            cluster.progressPhase("setup");
            cluster.broadcast("setup");
            cluster.awaitAll("SETUP", timeoutMs);
            cluster.progressPhase("fill");
            step(cluster, String.format("%,d connections per node subscribe to 2 rooms each (Zipf s=1)",
                totalConnections / nodes));
            final long fillRate = params.number("fillRate", 0, 100_000_000);
            cluster.broadcast("phase fill " + (fillRate / nodes));
            cluster.awaitAll("FILLED", timeoutMs);

            final int victim = nodes - 1;
            step(cluster, String.format("churn at %,d events/s with notifications for %d s", churnRate, seconds / 2));
            cluster.progressPhase("churn");
            cluster.broadcast("phase fixed " + Math.max(1, churnRate / nodes));
            runFor(cluster, seconds / 2);

            step(cluster, "kill -9 node " + victim + " (pid " + cluster.live().get(victim).pid() + ")");
            cluster.progressPhase("crash");
            final double evictionMs = ClusterBench.killAndAwaitEviction(cluster, victim, timeoutMs);
            check(cluster, String.format("every survivor evicted it, %.0f ms after the kill", evictionMs), true);
            pauseAndCheckDigests(cluster, "survivors' digests agree after the eviction", timeoutMs);

            step(cluster, "restart node " + victim + " (a new incarnation)");
            cluster.progressPhase("rejoin");
            final Map<String, String> rejoined = cluster.start(victim, timeoutMs);
            cluster.awaitMembers(timeoutMs);
            check(cluster, String.format("it rejoined in %s ms (snapshot of %,d rooms loaded, digests verified); " +
                "every node sees %d members", rejoined.get("joinMs"), rooms, nodes), true);
            final NodeProcess restarted = cluster.live().get(victim);
            restarted.send("setup");
            restarted.await("SETUP", timeoutMs);
            restarted.send("phase fill " + (fillRate / nodes));
            restarted.await("FILLED", timeoutMs);

            step(cluster, String.format("churn again on every node for %d s", seconds - seconds / 2));
            cluster.progressPhase("churn");
            cluster.broadcast("phase fixed " + Math.max(1, churnRate / nodes));
            runFor(cluster, seconds - seconds / 2);

            cluster.progressPhase("converge");
            cluster.broadcast("phase stop");
            final Map<Integer, Map<String, String>> stopped = cluster.awaitAll("STOPPED", timeoutMs);
            final long stopNs = stopped.values().stream().mapToLong((l) -> Long.parseLong(l.get("t"))).max().orElse(0);
            final long agreedNs = cluster.awaitDigestsAgree(timeoutMs);
            check(cluster, String.format("converged %.0f ms after the load stopped: every replica's digest equals " +
                "its owner's", Math.max(0, (agreedNs - stopNs) / 1e6)), true);
            final Map<Integer, Map<String, String>> verified = cluster.verify(stopped, timeoutMs);
            long rows = 0;
            boolean exact = true;
            for (final Map<String, String> line : verified.values())
            {
                rows += Long.parseLong(line.get("checked"));
                exact &= "true".equals(line.get("ok"));
                if (!"true".equals(line.get("ok")))
                {
                    cluster.println("  node " + line.get("slot") + ": " + line.get("mismatches") + " mismatches, first " +
                        line.get("first"));
                }
            }
            check(cluster, String.format("every replica exact: %,d counts checked against a replay of each owner's " +
                "seeded events", rows), exact);
            long received = 0;
            long sent = 0;
            boolean everyNodeHeard = true;
            for (final NodeProcess node : cluster.live().values())
            {
                received += Long.parseLong(node.status().get("received"));
                sent += Long.parseLong(node.status().get("sent"));
                everyNodeHeard &= Long.parseLong(node.status().get("received")) > 0 || "0".equals(params.text("notifyRate"));
            }
            check(cluster, String.format("notifications: %,d published, %,d delivered to nodes with subscribers", sent,
                received), everyNodeHeard);

            final Map<Integer, Map<String, String>> memory = new TreeMap<>();
            latency = cluster.report(memory, timeoutMs);
            cluster.stopProgress();
            for (final Map.Entry<Integer, Map<String, String>> entry : memory.entrySet())
            {
                out.printf("  node %d: %,d local subscriptions, heap after GC %.1f MB, RSS %.0f MB%n", entry.getKey(),
                    Long.parseLong(entry.getValue().get("localSubscriptions")),
                    Long.parseLong(entry.getValue().get("heapAfterGc")) / 1048576.0,
                    Long.parseLong(entry.getValue().get("rss")) / 1048576.0);
            }
        }

        final Map<String, Histogram> chart = new LinkedHashMap<>();
        for (final Map.Entry<String, Histogram> entry : latency.entrySet())
        {
            // The node's "fixed" phase is the demo's churn; samples seen while stopped are the drain after it.
            final String phase = "fixed".equals(entry.getKey()) ? "churn" : "stop".equals(entry.getKey()) ? "drain" :
                entry.getKey();
            Reports.writeHgrm(dir, "demo-" + phase, entry.getValue());
            if (!"idle".equals(phase) && !"drain".equals(phase))
            {
                chart.put("Cohort " + phase, entry.getValue());
            }
        }
        out.println("propagation latency, owner change to visible on another node (HdrHistogram):");
        for (final Map.Entry<String, Histogram> entry : chart.entrySet())
        {
            final Histogram h = entry.getValue();
            out.printf(Locale.ROOT, "  %-16s n=%,8d  p50 %9s  p90 %9s  p99 %9s  p99.9 %9s  max %9s%n", entry.getKey(),
                h.getTotalCount(), Reports.formatUs(h.getValueAtPercentile(50) / 1e3),
                Reports.formatUs(h.getValueAtPercentile(90) / 1e3), Reports.formatUs(h.getValueAtPercentile(99) / 1e3),
                Reports.formatUs(h.getValueAtPercentile(99.9) / 1e3), Reports.formatUs(h.getMaxValue() / 1e3));
        }
        Reports.writeSvg(new File(dir, "latency.svg"), "Cohort demo: propagation latency (" + nodes + " nodes)", chart);
        out.println("chart: " + new File(dir, "latency.svg") + "  (and .hgrm files, node logs, in " + dir + ")");
        out.println(ok ? "demo: all checks passed" : "demo: FAILED");
        return ok;
    }

    private void pauseAndCheckDigests(final Cluster cluster, final String what, final long timeoutMs)
        throws InterruptedException
    {
        cluster.broadcast("phase stop");
        cluster.awaitAll("STOPPED", timeoutMs);
        cluster.awaitDigestsAgree(timeoutMs);
        check(cluster, what, true);
    }

    private static void runFor(final Cluster cluster, final long seconds) throws InterruptedException
    {
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < endNs)
        {
            cluster.checkHealthy("under churn");
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void step(final Cluster cluster, final String what)
    {
        cluster.println("- " + what);
    }

    private void check(final Cluster cluster, final String what, final boolean passed)
    {
        ok &= passed;
        cluster.println((passed ? "  ok: " : "  FAIL: ") + what);
    }
}
