package io.cohort.harness;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.transport.CounterType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One node process of the load harness: launches a real node with {@link Cohort#launch}, runs the seeded
 * {@link Workload} against it from a thread of its own ({@link LoadGenerator}; API calls made locally, as a backend
 * would), and tells the harness what happens through lines on stdout ({@link LoadNodeListener},
 * {@link LoadNodeReport}); the harness drives it through lines on stdin. Ends when stdin closes (the harness is
 * gone), so no node outlives its harness.
 * <p>
 * Commands (stdin): {@code setup} (create every room), {@code phase fill [RATE]|fixed RATE|saturate|stop},
 * {@code verify OWNER:SLOT:EVENTS:PROBES,...}, {@code report}, {@code quit}.
 * Lines (stdout), each one word then {@code name=value} fields: {@code READY}, {@code STATUS}, {@code SETUP},
 * {@code FILLED}, {@code STOPPED}, {@code VERIFY}, {@code MEM}, {@code HIST}, {@code JOINED}, {@code LEFT},
 * {@code EVICTED}, {@code STATE}, {@code ERROR}.
 */
public final class LoadNodeMain
{
    /** The longest the set-up waits for its rooms to be applied everywhere before it reports anyway. */
    private static final long SETUP_APPLIED_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    /** Exit status of bad parameters. */
    private static final int EXIT_USAGE = 2;
    /** Exit status of a node that could not launch or join. */
    private static final int EXIT_FAILED = 1;
    /** Exit status when stdin ended without a quit: the harness went away. */
    private static final int EXIT_ORPHANED = 4;

    private final LoadNodeConfig config;
    private final ProbeFile[] probeFiles;
    private final Workload workload;
    private final LoadNodeListener listener;
    private LoadGenerator generator;
    private LoadNodeReport report;
    private CohortNode node;

    private LoadNodeMain(final LoadNodeConfig config)
    {
        this.config = config;
        probeFiles = new ProbeFile[config.probeRoomIds.length];
        for (int s = 0; s < probeFiles.length; s++)
        {
            probeFiles[s] = new ProbeFile(config.dir, s);
        }
        workload = new Workload(config.seed, config.slot, config.connections, config.rooms,
            config.roomsPerConnection, config.skew);
        listener = new LoadNodeListener(config, probeFiles);
    }

    /**
     * Runs one node process until {@code quit} or the end of stdin.
     *
     * @param args {@code name=value} parameters (see {@link LoadNodeConfig#PARAMS}).
     */
    public static void main(final String[] args)
    {
        final LoadNodeMain main;
        final CohortContext context;
        try
        {
            final LoadNodeConfig config = new LoadNodeConfig(BenchParams.parse(LoadNodeConfig.PARAMS, args));
            main = new LoadNodeMain(config);
            context = config.context(main.listener);
        }
        catch (final IllegalArgumentException ex)
        {
            System.out.println("ERROR what=usage message=" + oneLine(ex.getMessage()));
            System.exit(EXIT_USAGE);
            return;
        }
        main.run(context);
    }

    private void run(final CohortContext context)
    {
        final long launchNs = System.nanoTime();
        // How long the JVM ran before the launch (its start, class loading, the workload's set-up): a node's
        // start as an operator sees it is this plus joinMs.
        final long jvmMs = ManagementFactory.getRuntimeMXBean().getUptime();
        long launchedNs = launchNs;
        try
        {
            node = Cohort.launch(context);
            launchedNs = System.nanoTime();
            if (!node.awaitState(NodeState.RUNNING, 120, TimeUnit.SECONDS))
            {
                System.out.println("ERROR what=join message=" + oneLine("not RUNNING: " + node.state() + " " +
                    node.failure()));
                System.exit(EXIT_FAILED);
            }
        }
        catch (final Exception ex)
        {
            System.out.println("ERROR what=launch message=" + oneLine(String.valueOf(ex)));
            System.exit(EXIT_FAILED);
            return;
        }
        generator = new LoadGenerator(node, config, workload, probeFiles[config.slot]);
        report = new LoadNodeReport(node, config, generator, listener);
        listener.goLive();
        final String command = node.commandEndpoint().substring("tcp://".length());
        // cpuMs: CPU time of the whole JVM so far (every thread, JIT and GC included): what one node's start costs
        // the machine, which decides how many nodes can start at once on few cores.
        // launchMs: the part of joinMs spent in Cohort.launch (off-heap state and sockets created), before the
        // node's thread starts to join.
        System.out.printf("READY slot=%d node=%s command=%s joinMs=%.1f launchMs=%.1f jvmMs=%d cpuMs=%d pid=%d%n",
            config.slot, hex(node.nodeId()), command, (System.nanoTime() - launchNs) / 1e6,
            (launchedNs - launchNs) / 1e6, jvmMs, processCpuMs(), ProcessHandle.current().pid());

        final Thread load = new Thread(generator, "bench-load");
        load.setDaemon(true);
        load.start();
        final Thread status = new Thread(report::statusLoop, "bench-status");
        status.setDaemon(true);
        status.start();
        commandLoop();
        generator.finish();
        try
        {
            load.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
        System.out.println("BYE slot=" + config.slot);
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
                    case "verify": report.verify(words[1]); break;
                    case "report": report.report(); break;
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
        if (generator.running())
        {
            Runtime.getRuntime().halt(EXIT_ORPHANED);
        }
    }

    private void phase(final String[] words)
    {
        switch (words[1])
        {
            case "fill": generator.fill(words.length > 2 ? Long.parseLong(words[2]) : 0); break;
            case "fixed": generator.fixed(Long.parseLong(words[2])); break;
            case "saturate": generator.saturate(); break;
            case "stop": generator.stop(); break;
            default: System.out.println("ERROR what=command message=unknown phase " + words[1]);
        }
    }

    private void setup() throws InterruptedException
    {
        final long start = System.nanoTime();
        for (int r = 0; r < config.rooms; r++)
        {
            createRoom("rooms", LoadNodeConfig.roomFilter(r));
        }
        for (int s = 0; s < config.probeRoomIds.length; s++)
        {
            createRoom("probe", LoadNodeConfig.roomFilter(s));
        }
        final long queuedNs = System.nanoTime();
        final boolean applied = awaitSetupApplied(config.rooms + config.probeRoomIds.length);
        System.out.printf("SETUP slot=%d rooms=%d ms=%.1f queuedMs=%.1f applied=%b%n", config.slot, config.rooms,
            (System.nanoTime() - start) / 1e6, (queuedNs - start) / 1e6, applied);
    }

    private void createRoom(final String collection, final byte[] filter) throws InterruptedException
    {
        CallResult result;
        // Retried while the node is behind or its lease is out for a moment (it serves again once a quorum hears it,
        // or is evicted, and then the call is refused for good).
        while (CallResult.BACK_PRESSURED == (result = node.createRoom("bench", collection, filter)) ||
            CallResult.NO_QUORUM == result)
        {
            TimeUnit.MICROSECONDS.sleep(50);
        }
        if (CallResult.ACCEPTED != result)
        {
            throw new IllegalStateException("createRoom refused: " + result);
        }
    }

    /**
     * Waits until this node holds every room and every replica applied its stream. The calls above only queue the
     * rooms: without this wait the next phase began while thousands of room creations were still queued or in flight
     * on freshly started JVMs, and its first probes waited behind them (the demo's fill p99 of 1.2-1.9 s was that
     * tail of the set-up, not the fill).
     *
     * @return false if that did not happen within {@link #SETUP_APPLIED_TIMEOUT_NS}.
     */
    private boolean awaitSetupApplied(final long rooms) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + SETUP_APPLIED_TIMEOUT_NS;
        while (node.counter(CounterType.NODE_ROOMS) < rooms || node.counter(CounterType.FLOW_LAG_MAX_NS) > 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    private static long processCpuMs()
    {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    static String hex(final long nodeId)
    {
        return Long.toHexString(nodeId);
    }

    static void sleepMicros(final long micros)
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

    private static String oneLine(final String text)
    {
        return String.valueOf(text).replace('\n', ' ').replace('\r', ' ');
    }
}
