package io.cohort.node.stat;

import io.cohort.transport.CountersFileReader;
import io.cohort.transport.TransportConfiguration;
import org.agrona.SystemUtil;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
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
 * {@code --clean} removes such files.
 * <pre>
 * usage: cohort stat [--dir DIR] [--interval DURATION] [--once] [--clean]
 * </pre>
 * Exit codes: 0, {@value #EXIT_NO_DIRECTORY} when the counters directory does not exist,
 * {@value #EXIT_USAGE} for bad arguments.
 */
public final class CohortStat
{
    /** Exit code when the counters directory does not exist. */
    public static final int EXIT_NO_DIRECTORY = 1;
    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;

    private static final String USAGE =
        "usage: cohort stat [--dir DIR] [--interval DURATION] [--once] [--clean]\n" +
        "  --dir DIR            counters directory (default: cohort.counters.dir, else " +
        TransportConfiguration.COUNTERS_DIR_DEFAULT + ")\n" +
        "  --interval DURATION  refresh interval, e.g. 500ms, 2s (default 1s)\n" +
        "  --once               print one sample and exit (for scripts)\n" +
        "  --clean              delete the files of nodes whose process is gone, then go on";

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
        final List<File> files;
        try
        {
            files = CountersFileReader.list(directory);
        }
        catch (final IllegalArgumentException ex)
        {
            return out.append("  ").append(ex.getMessage()).append('\n').toString();
        }
        int shown = 0;
        final Map<String, NodeView> current = new HashMap<>();
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
                out.append(file.delete() ? "  removed " : "  could not remove ").append(file)
                    .append(" (pid ").append(view.pid).append(" is gone)\n");
                continue;
            }
            out.append('\n');
            StatFormat.appendNode(out, view, previous.get(file.getName()));
            current.put(file.getName(), view);
            shown++;
        }
        previous.clear();
        previous.putAll(current);
        if (0 == shown)
        {
            out.append("  no node: no counters file in this directory\n");
        }
        return out.toString();
    }
}
