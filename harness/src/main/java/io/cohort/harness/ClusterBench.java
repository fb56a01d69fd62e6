package io.cohort.harness;

import io.cohort.codec.FrameLayout;
import io.cohort.codec.RoomCountEncoder;
import io.cohort.engine.CohortNode;
import io.cohort.transport.CurveKeys;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./cohort bench [name=value...]}: the cluster load harness of issue 8. Starts real node processes on
 * loopback, each with the seeded default workload inside, and measures fill and churn rates, replicated counts
 * applied per replica, propagation latency (owner change to visible on another node) at a fixed offered rate and
 * at saturation, convergence after the load stops, exact verification of every replica, memory, join time and
 * kill -9 detection; then, in the same run, raw JeroMQ, raw Chronicle Map and the legacy Redis design. Writes
 * {@code .hgrm} files, {@code summary.txt} and {@code latency.svg} to the output directory. Exit code 0 when every
 * replica verified and converged, 1 when a check failed, 2 for bad parameters.
 */
public final class ClusterBench
{
    /** Parameters, defaults and meanings. */
    static final String[][] PARAMS = {
        { "nodes", "3", "node processes" },
        { "connections", "1m", "connections per node (each subscribes roomsPerConnection distinct Zipf rooms)" },
        { "rooms", "100k", "rooms (64-bit content-derived ids)" },
        { "roomsPerConnection", "2", "distinct rooms each connection subscribes to" },
        { "skew", "1", "Zipf exponent s of the room draws over room rank (0: uniform)" },
        { "seed", "42", "seed of the workload (each node's generator is seeded by seed and slot)" },
        { "fillRate", "0", "offered subscribe events/s across the cluster while filling (0: as fast as the owners accept)" },
        { "fixedRate", "100k", "offered churn events/s across the cluster in the fixed-rate phase" },
        { "fixedSeconds", "20", "length of the fixed-rate phase" },
        { "saturateSeconds", "20", "length of the saturation phase" },
        { "probeRate", "1000", "latency probes per second per node" },
        { "notifyRate", "0", "notifications published per second per node" },
        { "notifySize", "64", "notification payload bytes" },
        { "curve", "off", "CURVE encryption between nodes" },
        { "join", "on", "measure a new node joining the loaded cluster" },
        { "crash", "on", "measure kill -9 detection" },
        { "baselineSeconds", "5", "length of each raw JeroMQ / Chronicle measurement (0: skip)" },
        { "redis", "auto", "Redis legacy design: on, off, auto (on if redis-server is installed)" },
        { "redisSeconds", "10", "length of the Redis run" },
        { "heap", "", "-Xmx of the node processes (empty: JVM default)" },
        { "jvmArgs", "", "extra JVM flags of the node processes, space-separated (e.g. -Xlog:gc)" },
        { "loadNice", "0", "nice value (0-19) of the load threads, Cohort's and the Redis writers' alike: above 0 " +
            "they yield the cores to the nodes and the server they measure" },
        { "cds", "on", "an AppCDS archive of the node JVMs' classes, made by a training node first (off: none)" },
        { "props", "", "cohort.* settings of the nodes, comma-separated name=value (e.g. cohort.heartbeat.timeout=2s)" },
        { "timeout", "600", "bound in seconds of each step" },
        { "out", "", "output directory (default harness/target/cluster-bench/TIMESTAMP)" },
    };

    private ClusterBench()
    {
    }

    /**
     * Runs the harness.
     *
     * @param args {@code name=value} parameters, or {@code help}.
     */
    public static void main(final String[] args)
    {
        if (args.length == 1 && ("help".equals(args[0]) || "-h".equals(args[0]) || "--help".equals(args[0])))
        {
            System.out.println("usage: ./cohort bench [name=value...]\n" + BenchParams.parse(PARAMS, new String[0]).usage());
            return;
        }
        final int status;
        try
        {
            status = run(BenchParams.parse(PARAMS, args), System.out);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("cohort bench: " + ex.getMessage());
            System.exit(2);
            return;
        }
        catch (final Exception ex)
        {
            System.err.println("cohort bench: FAILED: " + ex.getMessage());
            System.exit(1);
            return;
        }
        System.exit(status);
    }

    /**
     * Validates parameters and creates the output directory.
     *
     * @param params the parameters.
     * @param prefix the default directory's parent name (e.g. {@code cluster-bench}).
     * @return the output directory.
     * @throws IOException if it cannot be created.
     */
    static File outputDir(final BenchParams params, final String prefix) throws IOException
    {
        final String out = params.text("out");
        final File dir = out.isEmpty() ? new File(System.getProperty("cohort.root", "."), "harness/target/" + prefix + "/" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))) : new File(out);
        if (!dir.isDirectory() && !dir.mkdirs())
        {
            throw new IOException("cannot create output directory " + dir);
        }
        return dir;
    }

    /**
     * The {@code name=value} arguments every node process of a run gets.
     *
     * @param params the run's parameters.
     * @param dir    the run's directory.
     * @param slots  how many slots the run may use.
     * @param curve  whether CURVE is on.
     * @return the arguments.
     * @throws IOException if the CURVE key file cannot be written.
     */
    static List<String> nodeArgs(final BenchParams params, final File dir, final int slots, final boolean curve)
        throws IOException
    {
        final List<String> args = new ArrayList<>();
        args.add("seed=" + params.number("seed", Long.MIN_VALUE, Long.MAX_VALUE));
        args.add("connections=" + params.integer("connections", 1, 50_000_000));
        args.add("rooms=" + params.integer("rooms", 3, 50_000_000));
        args.add("roomsPerConnection=" + params.integer("roomsPerConnection", 1, Workload.MAX_ROOMS_PER_CONNECTION));
        args.add("skew=" + params.decimal("skew", 0, Workload.MAX_SKEW));
        args.add("slots=" + slots);
        args.add("dir=" + dir.getAbsolutePath());
        args.add("probeRate=" + params.number("probeRate", 0, 100_000));
        args.add("notifyRate=" + params.number("notifyRate", 0, 1_000_000));
        args.add("notifySize=" + params.integer("notifySize", 0, 4096));
        args.add("loadNice=" + params.integer("loadNice", 0, LoadPriority.MAX_NICE));
        if (curve)
        {
            final File keyFile = new File(dir, "curve.key");
            CurveKeys.generate().write(keyFile);
            args.add("curveKeyFile=" + keyFile.getAbsolutePath());
        }
        return args;
    }

    /**
     * The {@code props} parameter as {@code -Dname=value} flags; only {@code cohort.*} names are accepted.
     *
     * @param params the parameters.
     * @return the flags.
     */
    static List<String> nodeProperties(final BenchParams params)
    {
        final List<String> flags = new ArrayList<>();
        if (params.has("jvmArgs"))
        {
            for (final String flag : params.text("jvmArgs").trim().split("\\s+"))
            {
                if (!flag.isEmpty())
                {
                    flags.add(flag);
                }
            }
        }
        for (final String part : params.text("props").split(","))
        {
            final String property = part.trim();
            if (property.isEmpty())
            {
                continue;
            }
            final int equals = property.indexOf('=');
            if (!property.startsWith("cohort.") || equals <= 0)
            {
                throw new IllegalArgumentException("props=" + params.text("props") + ": '" + property +
                    "' is not cohort.name=value");
            }
            flags.add("-D" + property);
        }
        return flags;
    }

    /** Node JVMs per core above which the harness starts them with the C1 JIT only. */
    static final int C1_ONLY_ABOVE_NODES_PER_CORE = 4;
    /** The flag that keeps a JVM's JIT at C1 (tier 1). */
    static final String C1_ONLY_FLAG = "-XX:TieredStopAtLevel=1";

    /**
     * Many node JVMs on few cores start with the C1 JIT only, unless {@code jvmArgs} already chose the JIT. Measured
     * on two cores: a node's start costs 6.3 s of CPU with C2 (the C2 compiler thread 2.4 s of it) and 4.1 s with C1
     * only; with sixteen nodes started one after another the C2 threads took 20-40 % of the machine for the whole
     * four minutes of formation, and every phase change set all sixteen recompiling at once while their node threads
     * waited for a core. C2's faster code matters to a node with a core of its own, not to one of eight per core.
     *
     * @param nodes      node processes of the run.
     * @param cores      cores of this machine.
     * @param properties the node JVMs' flags; the C1 flag is added to them when chosen.
     * @return a line saying what was chosen and why, or null if the JIT is left as it is.
     */
    static String chooseJit(final int nodes, final int cores, final List<String> properties)
    {
        for (final String flag : properties)
        {
            if (flag.startsWith("-XX:TieredStopAtLevel") || flag.contains("TieredCompilation"))
            {
                return null;
            }
        }
        if (nodes <= C1_ONLY_ABOVE_NODES_PER_CORE * cores)
        {
            return null;
        }
        properties.add(C1_ONLY_FLAG);
        return "node JVMs: C1 JIT only (" + C1_ONLY_FLAG + "): " + nodes + " nodes on " + cores + " cores " +
            "(more than " + C1_ONLY_ABOVE_NODES_PER_CORE + " per core; jvmArgs=-XX:TieredStopAtLevel=4 keeps C2)";
    }

    /**
     * Runs the whole benchmark.
     *
     * @param params the parameters.
     * @param out    where progress and the summary go.
     * @return the exit status: 0 if every check passed.
     * @throws Exception if the run cannot proceed.
     */
    static int run(final BenchParams params, final PrintStream out) throws Exception
    {
        final int nodes = params.integer("nodes", 2, 16);
        final int connections = params.integer("connections", 1, 50_000_000);
        final int rooms = params.integer("rooms", 3, 50_000_000);
        final int roomsPerConnection = params.integer("roomsPerConnection", 1, Workload.MAX_ROOMS_PER_CONNECTION);
        final double skew = params.decimal("skew", 0, Workload.MAX_SKEW);
        // The shape is checked here, before any process starts: rooms must leave a fresh room to churn to.
        new Workload(0, 0, 1, rooms, roomsPerConnection, skew);
        final long seed = params.number("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        final long fillRate = params.number("fillRate", 0, 100_000_000);
        final long fixedRate = params.number("fixedRate", 1, 100_000_000);
        final long fixedSeconds = params.number("fixedSeconds", 0, 86_400);
        final long saturateSeconds = params.number("saturateSeconds", 0, 86_400);
        final boolean curve = params.bool("curve");
        final boolean join = params.bool("join");
        final boolean crash = params.bool("crash");
        final boolean cds = params.bool("cds");
        final double baselineSeconds = params.decimal("baselineSeconds", 0, 3_600);
        final String redisMode = params.text("redis");
        if (!List.of("on", "off", "auto").contains(redisMode))
        {
            throw new IllegalArgumentException("redis=" + redisMode + " must be on, off or auto");
        }
        final double redisSeconds = params.decimal("redisSeconds", 0.1, 3_600);
        final int loadNice = params.integer("loadNice", 0, LoadPriority.MAX_NICE);
        final long timeoutMs = TimeUnit.SECONDS.toMillis(params.number("timeout", 1, 86_400));
        final String redisServer = RedisLegacy.findServer();
        if ("on".equals(redisMode) && null == redisServer)
        {
            throw new IllegalArgumentException("redis=on but redis-server is not installed: run scripts/install-redis.sh");
        }
        final List<String> properties = nodeProperties(params);
        final String jitChoice = chooseJit(nodes, Runtime.getRuntime().availableProcessors(), properties);
        final File dir = outputDir(params, "cluster-bench");
        final List<String> nodeArgs = nodeArgs(params, dir, nodes + 1, curve);
        out.println("cohort bench: " + params);
        out.println("output: " + dir);
        if (null != jitChoice)
        {
            out.println(jitChoice);
        }
        String classPath = NodeProcess.defaultClassPath();
        if (cds && !CdsArchive.chosenByFlags(properties))
        {
            final long trainingStartNs = System.nanoTime();
            final CdsArchive archive = CdsArchive.train(dir, classPath, params.text("heap"), properties, nodeArgs,
                timeoutMs, out);
            if (null != archive)
            {
                classPath = archive.classPath();
                properties.add(archive.useFlag());
                out.println(String.format("node JVMs: AppCDS archive made by a training node in %.1f s (%s; cds=off " +
                    "for none)", (System.nanoTime() - trainingStartNs) / 1e9, archive.useFlag()));
            }
        }

        final Figures figures = new Figures();
        figures.nodes = nodes;
        final Map<String, Histogram> latency = new LinkedHashMap<>();
        boolean ok = true;
        try (Cluster cluster = new Cluster(dir, nodeArgs, params.text("heap"), properties, classPath, rooms, out))
        {
            final long startNs = System.nanoTime();
            cluster.startAll(nodes, timeoutMs);
            figures.formationMs = (System.nanoTime() - startNs) / 1e6;
            cluster.startProgress();
            cluster.println(String.format("- %d nodes RUNNING, each with %d members, in %.0f ms", nodes, nodes - 1,
                figures.formationMs));

            cluster.progressPhase("setup");
            cluster.broadcast("setup");
            cluster.awaitAll("SETUP", timeoutMs);
            cluster.println("- " + rooms + " rooms created on every node");

            cluster.progressPhase("fill");
            // Paced, each node offers its share; unpaced, each fills as fast as its own node accepts.
            cluster.broadcast(0 == fillRate ? "phase fill" : "phase fill " + Math.max(1, fillRate / nodes));
            final Map<Integer, Map<String, String>> filled = cluster.awaitAll("FILLED", timeoutMs);
            double fillMs = 0;
            for (final Map<String, String> line : filled.values())
            {
                fillMs = Math.max(fillMs, Double.parseDouble(line.get("ms")));
            }
            figures.fillEventsPerSecond = nodes * (double)roomsPerConnection * connections / (fillMs / 1e3);
            cluster.println(String.format("- fill: %,d subscriptions per node in %.1f s: %,.0f events/s across the " +
                "cluster (accepted by the owners)", (long)roomsPerConnection * connections, fillMs / 1e3,
                figures.fillEventsPerSecond));
            // The owners have accepted the fill, the replicas may still be applying it: measure the fixed rate
            // from a converged cluster, not on top of the fill's backlog.
            final long filledNs = SharedClock.nowNs();
            cluster.awaitDigestsAgree(timeoutMs);
            figures.fillDrainMs = (SharedClock.nowNs() - filledNs) / 1e6;
            cluster.println(String.format("- fill replicated everywhere (digests equal) %.0f ms later", figures.fillDrainMs));

            if (fixedSeconds > 0)
            {
                cluster.progressPhase("fixed");
                cluster.broadcast("phase fixed " + Math.max(1, fixedRate / nodes));
                final double[] rates = measure(cluster, fixedSeconds);
                figures.fixedOffered = fixedRate;
                figures.fixedEventsPerSecond = rates[0];
                figures.fixedAppliedPerReplica = rates[1];
                cluster.println(String.format("- fixed rate: offered %,d events/s, absorbed %,.0f events/s, " +
                    "applied %,.0f counts/s per replica", fixedRate, rates[0], rates[1]));
            }
            if (saturateSeconds > 0)
            {
                cluster.progressPhase("saturate");
                cluster.broadcast("phase saturate");
                final double[] rates = measure(cluster, saturateSeconds);
                figures.saturateEventsPerSecond = rates[0];
                figures.saturateAppliedPerReplica = rates[1];
                figures.backPressured = rates[2];
                cluster.println(String.format("- saturation: %,.0f events/s absorbed across the cluster, %,.0f " +
                    "counts/s applied per replica", rates[0], rates[1]));
            }

            cluster.progressPhase("converge");
            cluster.broadcast("phase stop");
            final Map<Integer, Map<String, String>> stopped = cluster.awaitAll("STOPPED", timeoutMs);
            long lastStopNs = 0;
            for (final Map<String, String> line : stopped.values())
            {
                lastStopNs = Math.max(lastStopNs, Long.parseLong(line.get("t")));
            }
            final long convergedNs = cluster.awaitDigestsAgree(timeoutMs);
            figures.convergenceMs = Math.max(0, (convergedNs - lastStopNs) / 1e6);
            cluster.println(String.format("- converged (every replica's digest equal to its owner's) %.0f ms after " +
                "the load stopped", figures.convergenceMs));

            cluster.progressPhase("verify");
            final Map<Integer, Map<String, String>> verified = cluster.verify(stopped, timeoutMs);
            figures.verified = verified.values().stream().allMatch((line) -> "true".equals(line.get("ok")));
            for (final Map.Entry<Integer, Map<String, String>> entry : verified.entrySet())
            {
                cluster.println(String.format("- node %d verified every owner's counts against a replay: ok=%s " +
                    "(%s rows checked, %s mismatches, first %s)", entry.getKey(), entry.getValue().get("ok"),
                    entry.getValue().get("checked"), entry.getValue().get("mismatches"), entry.getValue().get("first")));
            }
            ok &= figures.verified;
            cluster.println("verified=" + figures.verified);

            final Map<Integer, Map<String, String>> memory = new TreeMap<>();
            latency.putAll(cluster.report(memory, figures.stages, timeoutMs));
            figures.memory(memory);

            if (join)
            {
                cluster.progressPhase("join");
                final Map<Integer, Long> stallsBefore = cluster.stallsBySlot();
                final Map<Integer, Long> workingStallsBefore = cluster.workingStallsBySlot();
                final Map<String, String> joined = cluster.start(nodes, timeoutMs);
                figures.joinMs = Double.parseDouble(joined.get("joinMs"));
                figures.joinLaunchMs = Double.parseDouble(joined.get("launchMs"));
                figures.joinJvmMs = Double.parseDouble(joined.get("jvmMs"));
                cluster.awaitMembers(timeoutMs);
                cluster.println(String.format("- a new node joined the loaded cluster (%,d rooms, %,d subscriptions) " +
                    "in %.0f ms (launch to RUNNING, its state loaded and verified)", rooms, (long)roomsPerConnection * connections * nodes,
                    figures.joinMs));
                // The members' status lines come every 200 ms: wait for ones written after the join.
                Thread.sleep(500);
                // Split at the joiner's JOINING: before it, its JVM started and its node was created on the same
                // cores as the members (a co-located start, not the protocol's doing); after it, the join itself.
                final long joiningNs = cluster.stateChangedAtNs(nodes, "JOINING", timeoutMs);
                final Map<Integer, Long> stallsAtJoining = cluster.stallsBySlotAt(joiningNs);
                figures.joinMemberStalls = 0;
                figures.joinStartMemberStalls = 0;
                figures.joinMemberWorkingStalls = 0;
                final Map<Integer, Long> workingStalls = cluster.workingStallsBySlot();
                for (final Map.Entry<Integer, Long> entry : cluster.stallsBySlot().entrySet())
                {
                    if (entry.getKey() == nodes)
                    {
                        continue;
                    }
                    final long before = stallsBefore.getOrDefault(entry.getKey(), 0L);
                    figures.joinMemberStalls += entry.getValue() - before;
                    figures.joinStartMemberStalls += stallsAtJoining.getOrDefault(entry.getKey(), before) - before;
                    figures.joinMemberWorkingStalls += workingStalls.getOrDefault(entry.getKey(), 0L) -
                        workingStallsBefore.getOrDefault(entry.getKey(), 0L);
                }
                figures.longestStallMs = cluster.longestStallMs();
                cluster.println(String.format("- node-thread stalls over 50 ms on the members while it joined: %d, " +
                    "%d of them before it was JOINING (its JVM starting, its node created), %d working (the thread " +
                    "itself ran over 50 ms: a long job; the others off the CPU) " +
                    "(longest gap between two cycles of any node since its launch: %d ms)", figures.joinMemberStalls,
                    figures.joinStartMemberStalls, figures.joinMemberWorkingStalls, figures.longestStallMs));
            }
            if (crash)
            {
                cluster.progressPhase("crash");
                final int victim = join ? nodes : nodes - 1;
                figures.crashMs = killAndAwaitEviction(cluster, victim, timeoutMs);
                cluster.println(String.format("- kill -9 of node %d: evicted by every survivor %.0f ms later", victim,
                    figures.crashMs));
                cluster.awaitDigestsAgree(timeoutMs);
            }
            cluster.stopProgress();
        }

        final long[] roomIds = new long[rooms];
        for (int r = 0; r < rooms; r++)
        {
            roomIds[r] = CohortNode.roomId("bench", "rooms", LoadNodeConfig.roomFilter(r));
        }
        if (baselineSeconds > 0)
        {
            figures.messageLength = FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH +
                RoomCountEncoder.BODY_LENGTH + FrameLayout.TRAILER_LENGTH;
            out.println("- raw JeroMQ XPUB(no-drop)/SUB, " + figures.messageLength + " B per frame...");
            figures.jeromqMessagesPerSecond = Baselines.jeromqMessagesPerSecond(figures.messageLength, baselineSeconds);
            Baselines.settle();
            out.println("- raw JeroMQ one-way latency, " + Figures.RAW_HOP_RATE + " messages/s...");
            figures.rawHopLatency = Baselines.jeromqOneWayLatency(figures.messageLength, Figures.RAW_HOP_RATE,
                baselineSeconds);
            Baselines.settle();
            out.println("- raw Chronicle Map updates...");
            figures.chronicleUpdatesPerSecond = Baselines.chronicleUpdatesPerSecond(
                (int)Math.min(Integer.MAX_VALUE, (long)rooms * nodes), baselineSeconds);
        }
        if (!"off".equals(redisMode))
        {
            if (null == redisServer)
            {
                out.println("- Redis legacy design: SKIPPED, redis-server is not installed (run scripts/install-redis.sh)");
            }
            else
            {
                out.println("- Redis legacy design (HINCRBY + PUBLISH per change, pipelined), " + nodes +
                    " writers for " + redisSeconds + " s...");
                try (RedisLegacy redis = RedisLegacy.start(redisServer, dir))
                {
                    figures.redis = redis.run(nodes, seed, connections, rooms, roomsPerConnection, skew, roomIds,
                        redisSeconds, loadNice);
                }
                ok &= figures.redis.verified;
            }
        }

        for (final Map.Entry<String, Histogram> entry : latency.entrySet())
        {
            // Samples seen while stopped are the drain of the saturated phase: kept in their .hgrm file only.
            if ("stop".equals(entry.getKey()) || "idle".equals(entry.getKey()))
            {
                Reports.writeHgrm(dir, "cohort-" + entry.getKey(), entry.getValue());
            }
            else
            {
                figures.latency.put("Cohort " + entry.getKey(), entry.getValue());
            }
        }
        if (null != figures.redis)
        {
            figures.latency.put("Redis legacy (saturated)", figures.redis.latency);
        }
        if (null != figures.rawHopLatency)
        {
            figures.latency.put(Figures.RAW_HOP_NAME, figures.rawHopLatency);
        }
        for (final Map.Entry<String, Histogram> entry : figures.latency.entrySet())
        {
            Reports.writeHgrm(dir, entry.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("-$", ""), entry.getValue());
        }
        for (final Map.Entry<String, Histogram> entry : figures.stages.entrySet())
        {
            Reports.writeHgrm(dir, "cohort-stage-" + entry.getKey().replace(LoadNodeReport.STAGE_SEPARATOR, "-"),
                entry.getValue());
        }
        Reports.writeSvg(new File(dir, "latency.svg"), "Propagation latency, owner change to visible on another node (" +
            nodes + " nodes, " + rooms + " rooms, " + connections + " connections/node)", figures.latency);
        final String summary = figures.summary(params.toString());
        Reports.writeText(new File(dir, "summary.txt"), summary);
        out.println();
        out.print(summary);
        out.println("files: " + dir + " (summary.txt, latency.svg, *.hgrm, node-*.out/.log)");
        return ok ? 0 : 1;
    }

    /**
     * Kills a node with SIGKILL and waits until every survivor has evicted it.
     *
     * @return milliseconds from the kill to the last survivor's eviction.
     */
    static double killAndAwaitEviction(final Cluster cluster, final int victim, final long timeoutMs)
        throws InterruptedException
    {
        final long killNs = SharedClock.nowNs();
        final String victimId = cluster.kill(victim).get("node");
        long lastEvictionNs = killNs;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final NodeProcess survivor : cluster.live().values())
        {
            Map<String, String> line = null;
            while (null == line)
            {
                try
                {
                    line = survivor.await("EVICTED", (l) -> victimId.equals(l.get("node")), 50);
                }
                catch (final IllegalStateException ex)
                {
                    // Not yet: fail at once if a survivor died or left, else keep waiting up to the bound.
                    cluster.checkHealthy("waiting for the eviction of the killed node");
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException(survivor + " did not evict the killed node within " +
                            timeoutMs + " ms");
                    }
                }
            }
            lastEvictionNs = Math.max(lastEvictionNs, Long.parseLong(line.get("t")));
        }
        return (lastEvictionNs - killNs) / 1e6;
    }

    /**
     * Measures a phase: cluster-wide events absorbed per second, counts applied per second on each replica
     * (mean over nodes), and back-pressured calls per second, from the nodes' own STATUS lines and clocks.
     */
    private static double[] measure(final Cluster cluster, final long seconds) throws InterruptedException
    {
        TimeUnit.MILLISECONDS.sleep(500); // let every node switch phase and settle
        final Map<Integer, Map<String, String>> before = statuses(cluster);
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < endNs)
        {
            cluster.checkHealthy("under load");
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(100, (endNs - System.nanoTime()) / 1_000_000)));
        }
        final Map<Integer, Map<String, String>> after = statuses(cluster);
        double events = 0;
        double applied = 0;
        double backPressured = 0;
        for (final Integer slot : before.keySet())
        {
            final double dt = (Long.parseLong(after.get(slot).get("t")) - Long.parseLong(before.get(slot).get("t"))) / 1e9;
            events += delta(before, after, slot, "events") / dt;
            applied += delta(before, after, slot, "applied") / dt;
            backPressured += delta(before, after, slot, "bp") / dt;
        }
        return new double[]{ events, applied / before.size(), backPressured };
    }

    private static long delta(final Map<Integer, Map<String, String>> before, final Map<Integer, Map<String, String>> after,
        final int slot, final String field)
    {
        return Long.parseLong(after.get(slot).get(field)) - Long.parseLong(before.get(slot).get(field));
    }

    private static Map<Integer, Map<String, String>> statuses(final Cluster cluster)
    {
        final Map<Integer, Map<String, String>> statuses = new TreeMap<>();
        cluster.live().forEach((slot, node) -> statuses.put(slot, node.status()));
        return statuses;
    }
}
