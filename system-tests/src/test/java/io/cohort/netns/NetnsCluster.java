package io.cohort.netns;

import io.cohort.node.CohortMain;
import io.cohort.test.ChildJvm;
import io.cohort.test.ClassPath;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * One standalone node ({@link CohortMain}) per host of {@link NetnsHosts}, each started inside its host's namespace,
 * bound to the host's address, seeded with every host's command endpoint and run with the library's default timing;
 * supervised as the systemd unit of {@code docs/operations.md} would ({@code Restart=on-failure},
 * {@code RestartPreventExitStatus=2}, {@code RestartSec=2}): a node that exits 3 (evicted) or 1 (could not join) is
 * started again as a new incarnation. Every process is ended by its own pid by {@link #close()}, which a shutdown
 * hook also runs.
 */
final class NetnsCluster implements Incarnations, AutoCloseable
{
    /** {@code RestartSec=2} of the documented systemd unit. */
    static final long RESTART_DELAY_MS = 2_000;
    static final int COMMAND_PORT = 7400;
    static final int SYNC_PORT = 7401;
    private static final int EXIT_USAGE = 2;

    private final NetnsHosts hosts;
    private final File directory;
    private final String classPath = ClassPath.frozenCopy();
    private final List<List<Incarnation>> incarnations = new ArrayList<>();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor((task) ->
    {
        final Thread thread = new Thread(task, "netns-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    /** The hosts each host's node is seeded with; null: every host. */
    private IntFunction<Set<Integer>> seedHosts;
    private final Thread shutdownHook = new Thread(this::endAll, "netns-nodes-end");
    private volatile boolean supervising = true;

    NetnsCluster(final NetnsHosts hosts, final File directory)
    {
        this.hosts = hosts;
        this.directory = directory;
        for (int host = 1; host <= hosts.count(); host++)
        {
            incarnations.add(new ArrayList<>());
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The node id of a host's node: {@code 0xa1}, {@code 0xb2}, ... (every incarnation of a host keeps it).
     *
     * @param host from 1.
     * @return the id as the node logs it, 16 hex digits.
     */
    static String nodeId(final int host)
    {
        return String.format("%016x", nodeIdValue(host));
    }

    private static long nodeIdValue(final int host)
    {
        return ((long)(9 + host) << 4) | host;
    }

    /**
     * Gives each host's node (every incarnation of it) the seed list of these hosts; by default every host.
     *
     * @param seedHosts the hosts a host's node is seeded with.
     */
    void seeds(final IntFunction<Set<Integer>> seedHosts)
    {
        this.seedHosts = seedHosts;
    }

    /**
     * Starts every host's node.
     */
    void start()
    {
        for (int host = 1; host <= hosts.count(); host++)
        {
            launch(host);
        }
    }

    public int hostCount()
    {
        return hosts.count();
    }

    public synchronized List<Incarnation> incarnations(final int host)
    {
        return List.copyOf(incarnations.get(host - 1));
    }

    public synchronized List<Incarnation> all()
    {
        return incarnations.stream().flatMap(List::stream).collect(Collectors.toList());
    }

    /**
     * A host's latest incarnation.
     *
     * @param host from 1.
     * @return the incarnation.
     */
    synchronized Incarnation latest(final int host)
    {
        final List<Incarnation> list = incarnations.get(host - 1);
        return list.get(list.size() - 1);
    }

    /**
     * Reads what every log gained.
     */
    void poll()
    {
        all().forEach((incarnation) -> incarnation.log.poll());
    }

    /**
     * Each host's latest incarnation with the tail of its log, for failure messages.
     *
     * @return the text.
     */
    String describe()
    {
        poll();
        final StringBuilder text = new StringBuilder();
        for (final Incarnation incarnation : all())
        {
            text.append("\n--- ").append(incarnation).append(" membership lines (last 25) ---\n");
            final List<String> lines = incarnation.log.notable();
            text.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
        }
        return text.toString();
    }

    /**
     * Stops relaunching, ends every process by its own pid and waits for each.
     *
     * @throws IllegalStateException naming the processes that did not die.
     */
    public void close()
    {
        final List<String> undead = endAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // shutting down: the hook runs and finds nothing alive
        }
        supervisor.shutdownNow();
        if (!undead.isEmpty())
        {
            throw new IllegalStateException("node processes that did not die: " + undead);
        }
    }

    private List<String> endAll()
    {
        supervising = false;
        final List<ChildJvm> jvms;
        synchronized (this)
        {
            jvms = all().stream().map((incarnation) -> incarnation.jvm).collect(Collectors.toList());
        }
        return ChildJvm.endAll(jvms);
    }

    private synchronized void launch(final int host)
    {
        if (!supervising)
        {
            return;
        }
        final List<Incarnation> list = incarnations.get(host - 1);
        final int number = list.size() + 1;
        final String name = "h" + host + "-" + number;
        final List<String> seeds = new ArrayList<>();
        for (int each = 1; each <= hosts.count(); each++)
        {
            if (null == seedHosts || seedHosts.apply(host).contains(each))
            {
                seeds.add(hosts.address(each) + ":" + COMMAND_PORT);
            }
        }
        final List<String> properties = new ArrayList<>(List.of(
            "-Dcohort.node.id=0x" + Long.toHexString(nodeIdValue(host)),
            "-Dcohort.cluster.seeds=" + String.join(",", seeds),
            "-Dcohort.bind.address=" + hosts.address(host),
            "-Dcohort.advertised.host=" + hosts.address(host),
            "-Dcohort.command.port=" + COMMAND_PORT,
            "-Dcohort.sync.port=" + SYNC_PORT,
            "-Dcohort.counters.dir=" + new File(directory, "counters").getPath(),
            // Capacities only (memory, start-up time), as the other multi-process tests: the timing is the default.
            "-Dcohort.state.max.rooms=1024",
            "-Dcohort.state.max.connections=4096",
            "-Dcohort.state.max.overflow.subscriptions=4096",
            "-Dcohort.state.max.nodes=8"));
        properties.addAll(NodeLog.LOG_PROPERTIES);
        final long startMs = System.currentTimeMillis();
        final ChildJvm jvm = ChildJvm.builder(name, CohortMain.class).small("192m").classPath(classPath)
            .prefix(hosts.exec(host)).properties(properties).log(new File(directory, name + ".log")).start();
        final Incarnation incarnation = new Incarnation(host, number, jvm, new NodeLog(jvm.logFile()), startMs);
        list.add(incarnation);
        jvm.process().onExit().thenAccept((process) -> onExit(incarnation, process.exitValue()));
    }

    private void onExit(final Incarnation incarnation, final int exitCode)
    {
        incarnation.exited(System.currentTimeMillis(), exitCode);
        incarnation.log.poll();
        if (supervising && 0 != exitCode && EXIT_USAGE != exitCode)
        {
            System.out.println("NetworkNamespacePartitionTest: " + incarnation + " exited " + exitCode +
                ": relaunching in " + RESTART_DELAY_MS + " ms");
            try
            {
                supervisor.schedule(() -> launch(incarnation.host), RESTART_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            catch (final RuntimeException ex)
            {
                // the supervisor is shut down: the cluster is closing
            }
        }
    }
}
