package io.cohort.node.stat;

import io.cohort.transport.CountersFileReader;
import io.cohort.transport.TransportConfiguration;
import org.agrona.SystemUtil;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./cohort stat}, like Aeron's AeronStat: finds the nodes running on this machine by their counters files
 * in the counters directory ({@code cohort.counters.dir}; one file per node, named by node id), maps each file
 * read-only and prints what the node publishes there, refreshing, without any connection to the nodes: state,
 * members, rooms, connections, subscriptions, evictions seen, errors, bytes and messages in and out, and per peer the
 * next expected broadcast and directed sequences, gaps, duplicates, reorders, bad frames and lost tails. A node
 * whose process is gone (killed, or halted after its eviction) leaves its file behind and is shown as DEAD;
 * {@code --clean} removes such files (a node also removes them when it starts on the same directory).
 * <p>
 * For probes and scripts: {@code --check} prints one line per node, {@code ok} or why not (dead, stale, not
 * RUNNING), and exits {@value #EXIT_UNHEALTHY} unless the directory holds at least one node and every node is live
 * and RUNNING; {@code --json} prints the same sample once as one JSON object (see {@link StatJson}), and with
 * {@code --check} exits as {@code --check} does.
 * <pre>
 * usage: cohort stat [--dir DIR] [--interval DURATION] [--once] [--clean] [--check] [--json]
 * </pre>
 * Exit codes: 0, {@value #EXIT_NO_DIRECTORY} when the counters directory does not exist,
 * {@value #EXIT_USAGE} for bad arguments, {@value #EXIT_UNHEALTHY} when {@code --check} finds a node that is not
 * live and RUNNING, or no node.
 */
public final class CohortStat
{
    /** Exit code when the counters directory does not exist. */
    public static final int EXIT_NO_DIRECTORY = 1;
    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of {@code --check} when a node is not live and RUNNING, or there is no node. */
    public static final int EXIT_UNHEALTHY = 3;

    private static final String USAGE =
        "usage: cohort stat [--dir DIR] [--interval DURATION] [--once] [--clean] [--check] [--json]\n" +
        "  --dir DIR            counters directory (default: cohort.counters.dir, else " +
        TransportConfiguration.COUNTERS_DIR_DEFAULT + ")\n" +
        "  --interval DURATION  refresh interval, e.g. 500ms, 2s (default 1s)\n" +
        "  --once               print one sample and exit (for scripts)\n" +
        "  --clean              delete the files of nodes whose process is gone, then go on\n" +
        "  --check              one sample: a line per node (ok, or dead/stale/not RUNNING) and exit " + EXIT_UNHEALTHY +
        "\n                       unless every node is live and RUNNING (a probe)\n" +
        "  --json               one sample as a JSON object (with --check: exit as --check does)";

    private final File directory;
    private final boolean clean;
    private final Map<String, NodeView> previous = new HashMap<>();

    CohortStat(final File directory, final boolean clean)
    {
        this.directory = directory;
        this.clean = clean;
    }

    /**
     * Runs {@code cohort stat} and exits with its status.
     *
     * @param args see the class documentation.
     */
    public static void main(final String[] args)
    {
        final int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs {@code cohort stat} until interrupted, or once with {@code --once}.
     *
     * @param args see the class documentation.
     * @param out  where samples go.
     * @param err  where errors go, one line each.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        String dir = TransportConfiguration.PROPERTIES.string(TransportConfiguration.COUNTERS_DIR_PROP_NAME,
            TransportConfiguration.COUNTERS_DIR_DEFAULT);
        long intervalNs = TimeUnit.SECONDS.toNanos(1);
        boolean once = false;
        boolean clean = false;
        boolean check = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--once":
                    once = true;
                    break;
                case "--clean":
                    clean = true;
                    break;
                case "--check":
                    check = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--dir":
                case "--interval":
                    if (i + 1 == args.length)
                    {
                        err.println("cohort stat: " + arg + " needs a value");
                        return EXIT_USAGE;
                    }
                    final String value = args[++i];
                    if ("--dir".equals(arg))
                    {
                        dir = value;
                        break;
                    }
                    try
                    {
                        intervalNs = SystemUtil.parseDuration("interval", value);
                    }
                    catch (final RuntimeException ex)
                    {
                        err.println("cohort stat: --interval " + value + " is not a duration (e.g. 500ms, 2s)");
                        return EXIT_USAGE;
                    }
                    if (intervalNs <= 0)
                    {
                        err.println("cohort stat: --interval " + value + " must be positive");
                        return EXIT_USAGE;
                    }
                    break;
                case "-h":
                case "--help":
                    out.println(USAGE);
                    return 0;
                default:
                    err.println("cohort stat: unknown argument '" + arg + "'");
                    err.println(USAGE);
                    return EXIT_USAGE;
            }
        }

        final File directory = new File(dir);
        if (!directory.isDirectory())
        {
            err.println("cohort stat: counters directory " + directory + " does not exist: no node has run on this " +
                "machine with it (give the nodes' cohort.counters.dir with --dir)");
            return EXIT_NO_DIRECTORY;
        }
        final CohortStat stat = new CohortStat(directory, clean);
        if (check || json)
        {
            final long nowMs = System.currentTimeMillis();
            final StringBuilder text = new StringBuilder();
            final List<NodeView> views = stat.read(nowMs, json ? err : null, text);
            if (json)
            {
                StatJson.append(text, directory.getPath(), nowMs, views);
            }
            else
            {
                NodeHealth.appendCheck(text, directory.getPath(), views);
            }
            out.print(text);
            return !check || NodeHealth.healthy(views) ? 0 : EXIT_UNHEALTHY;
        }
        if (once)
        {
            out.print(stat.sample(System.currentTimeMillis()));
            return 0;
        }
        // On a terminal, redraw in place (home and clear, as top does); otherwise print samples one after another.
        final boolean redraw = null != System.console();
        while (!Thread.currentThread().isInterrupted())
        {
            final String sample = stat.sample(System.currentTimeMillis());
            out.print(redraw ? "\u001b[H\u001b[2J" + sample : sample + "\n");
            out.flush();
            try
            {
                TimeUnit.NANOSECONDS.sleep(intervalNs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    /**
     * Reads every counters file in the directory once.
     *
     * @param nowMs the time of the sample, epoch milliseconds.
     * @return the text of the sample.
     */
    String sample(final long nowMs)
    {
        final StringBuilder out = new StringBuilder();
        out.append("cohort stat  ").append(Instant.ofEpochMilli(nowMs)).append("  ").append(directory).append('\n');
        final List<NodeView> views = read(nowMs, null, out);
        final Map<String, NodeView> current = new HashMap<>();
        for (final NodeView view : views)
        {
            out.append('\n');
            final String key = Long.toHexString(view.nodeId);
            StatFormat.appendNode(out, view, previous.get(key));
            current.put(key, view);
        }
        previous.clear();
        previous.putAll(current);
        if (views.isEmpty())
        {
            out.append("  no node: no counters file in this directory\n");
        }
        return out.toString();
    }

    /**
     * Reads every counters file in the directory once, removing those of dead nodes first with {@code --clean}.
     *
     * @param nowMs the time of the sample, epoch milliseconds.
     * @param notes where the lines about removed files and an unreadable directory go: a stream (e.g. stderr, so
     *              that JSON on stdout stays one object), or the text when the stream is null.
     * @param text  the text of the sample, used when {@code notes} is null.
     * @return the nodes, in file name order.
     */
    List<NodeView> read(final long nowMs, final PrintStream notes, final StringBuilder text)
    {
        final List<NodeView> views = new ArrayList<>();
        final List<File> files;
        try
        {
            files = CountersFileReader.list(directory);
        }
        catch (final IllegalArgumentException ex)
        {
            note(notes, text, "  " + ex.getMessage());
            return views;
        }
        for (final File file : files)
        {
            final CountersFileReader reader = CountersFileReader.open(file);
            if (null == reader)
            {
                continue;
            }
            final NodeView view;
            try
            {
                view = new NodeView(reader, nowMs);
            }
            finally
            {
                reader.close();
            }
            if (clean && NodeView.Liveness.DEAD == view.liveness)
            {
                note(notes, text, (file.delete() ? "  removed " : "  could not remove ") + file +
                    " (pid " + view.pid + " is gone)");
                continue;
            }
            views.add(view);
        }
        return views;
    }

    private static void note(final PrintStream notes, final StringBuilder text, final String line)
    {
        if (null == notes)
        {
            text.append(line).append('\n');
        }
        else
        {
            notes.println(line.trim());
        }
    }
}
