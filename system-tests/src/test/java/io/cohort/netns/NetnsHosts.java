package io.cohort.netns;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts made of Linux network namespaces on one bridge: host {@code i} (from 1) is namespace {@code ch<R>-<i>}
 * holding veth {@code cv<R><i>} with address {@code 10.a.b.<i>/24}; the veth's peer {@code cp<R><i>} is a port of
 * bridge {@code cbr<R>} in the root namespace, which has no address. {@code R} is six random hex digits drawn per
 * run and {@code a.b} come from it, so that concurrent runs on one machine never share a name or a link, and every
 * address lives only inside this run's namespaces (nothing is routed to or from the machine's own network).
 * <p>
 * Everything is removed by {@link #close()}, which a shutdown hook also runs; the bridge's alias names the pid of
 * the JVM that made it, so that a later run removes what a killed run (SIGKILL runs no hook) left behind, and only
 * that.
 */
final class NetnsHosts implements AutoCloseable
{
    /** The bridge alias that marks this test's links: {@code MARK pid=<pid> id=<R>}. */
    private static final String MARK = "cohort-netns-test";
    private static final Pattern ABANDONED = Pattern.compile("^\\d+: (cbr[0-9a-f]{6})[:@].*alias " + MARK +
        " pid=(\\d+) id=([0-9a-f]{6})\\s*$");

    private final String ip;
    private final String runId;
    private final int count;
    private final String subnet;
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsHosts(final String ip, final String runId, final int count)
    {
        this.ip = ip;
        this.runId = runId;
        this.count = count;
        final int a = Integer.parseInt(runId.substring(0, 2), 16);
        final int b = Integer.parseInt(runId.substring(2, 4), 16);
        // 10.0.0.0/8 is private; a 0 or 255 second byte is legal too, but keep it readable.
        this.subnet = "10." + Math.max(1, Math.min(254, a)) + "." + b + ".";
        this.shutdownHook = new Thread(this::close, "netns-teardown-" + runId);
    }

    /**
     * Why hosts cannot be made here, or null if they can: root and {@code ip} are needed.
     *
     * @return the reason, for a skip or failure message.
     */
    static String unavailableReason()
    {
        if (!"Linux".equals(System.getProperty("os.name")))
        {
            return "network namespaces need Linux, this is " + System.getProperty("os.name");
        }
        if (null == Shell.which("ip"))
        {
            return "the ip tool (iproute2) is missing";
        }
        if (!Shell.isRoot())
        {
            return "creating network namespaces needs root (CI runs as root)";
        }
        return null;
    }

    /**
     * Makes {@code count} hosts on a fresh bridge; on any failure removes what it made and rethrows.
     *
     * @param count how many hosts, 1 to 9.
     * @return the hosts.
     * @throws IllegalStateException naming the command that failed.
     */
    static NetnsHosts create(final int count)
    {
        if (count < 1 || count > 9)
        {
            throw new IllegalArgumentException("count must be 1 to 9: count=" + count);
        }
        final String ip = Shell.which("ip");
        removeAbandoned(ip);
        final byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        final NetnsHosts hosts = new NetnsHosts(ip, HexFormat.of().formatHex(random), count);
        Runtime.getRuntime().addShutdownHook(hosts.shutdownHook);
        try
        {
            hosts.build();
        }
        catch (final RuntimeException ex)
        {
            try
            {
                hosts.close();
            }
            catch (final RuntimeException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        return hosts;
    }

    private void build()
    {
        final String bridge = bridge();
        Shell.run(List.of(ip, "link", "add", bridge, "type", "bridge"));
        Shell.run(List.of(ip, "link", "set", "dev", bridge, "alias", MARK + " pid=" + ProcessHandle.current().pid() +
            " id=" + runId));
        Shell.run(List.of(ip, "link", "set", bridge, "up"));
        for (int host = 1; host <= count; host++)
        {
            final String namespace = namespace(host);
            final String inside = "cv" + runId + host;
            final String port = "cp" + runId + host;
            Shell.run(List.of(ip, "netns", "add", namespace));
            Shell.run(List.of(ip, "link", "add", inside, "type", "veth", "peer", "name", port));
            Shell.run(List.of(ip, "link", "set", inside, "netns", namespace));
            Shell.run(List.of(ip, "link", "set", port, "master", bridge, "up"));
            Shell.run(List.of(ip, "-n", namespace, "addr", "add", address(host) + "/24", "dev", inside));
            Shell.run(List.of(ip, "-n", namespace, "link", "set", inside, "up"));
            Shell.run(List.of(ip, "-n", namespace, "link", "set", "lo", "up"));
        }
    }

    /**
     * The run's id, in every name this run makes.
     *
     * @return six hex digits.
     */
    String runId()
    {
        return runId;
    }

    /**
     * How many hosts there are.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * A host's namespace.
     *
     * @param host from 1.
     * @return its name, at most 15 characters.
     */
    String namespace(final int host)
    {
        checkHost(host);
        return "ch" + runId + "-" + host;
    }

    /**
     * A host's address, reachable from the other hosts only.
     *
     * @param host from 1.
     * @return the dotted address.
     */
    String address(final int host)
    {
        checkHost(host);
        return subnet + host;
    }

    /**
     * The /24 every host's address is in.
     *
     * @return e.g. {@code 10.12.34.0/24}.
     */
    String subnet()
    {
        return subnet + "0/24";
    }

    /**
     * The words that run a command on a host: {@code ip netns exec} execs the command in place, so a process started
     * with them keeps its own pid.
     *
     * @param host from 1.
     * @return the prefix.
     */
    List<String> exec(final int host)
    {
        return List.of(ip, "netns", "exec", namespace(host));
    }

    /**
     * Runs a command on a host, failing unless it exits 0.
     *
     * @param host    from 1.
     * @param command the command.
     * @return its output.
     */
    String run(final int host, final List<String> command)
    {
        final List<String> full = new ArrayList<>(exec(host));
        full.addAll(command);
        return Shell.run(full);
    }

    /**
     * Runs a command on a host with input on its stdin, failing unless it exits 0.
     *
     * @param host    from 1.
     * @param command the command.
     * @param stdin   its input.
     * @return its output.
     */
    String run(final int host, final List<String> command, final String stdin)
    {
        final List<String> full = new ArrayList<>(exec(host));
        full.addAll(command);
        return Shell.run(full, stdin);
    }

    /**
     * The namespaces and links of this run that still exist, for a check after {@link #close()}.
     *
     * @return their names; empty once everything is gone.
     */
    List<String> leftovers()
    {
        final List<String> found = new ArrayList<>();
        for (final String line : Shell.run(List.of(ip, "netns", "list")).split("\n"))
        {
            if (line.contains(runId))
            {
                found.add("netns " + line.strip());
            }
        }
        for (final String line : Shell.run(List.of(ip, "-o", "link", "show")).split("\n"))
        {
            if (line.contains(runId))
            {
                found.add("link " + line.split(":")[1].strip());
            }
        }
        return found;
    }

    /**
     * Removes every namespace and link of this run (idempotent; the processes in the namespaces must be ended
     * first, or the kernel frees a namespace only once they exit).
     *
     * @throws IllegalStateException naming what could not be removed.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down: the hook runs anyway and finds the hosts closed.
            }
        }
        final List<String> failures = new ArrayList<>();
        for (int host = 1; host <= count; host++)
        {
            removeIfPresent(List.of(ip, "netns", "del", namespace(host)), failures);
            removeIfPresent(List.of(ip, "link", "del", "cp" + runId + host), failures);
        }
        removeIfPresent(List.of(ip, "link", "del", bridge()), failures);
        if (!failures.isEmpty())
        {
            throw new IllegalStateException("netns teardown of run " + runId + " failed: " + failures);
        }
    }

    public String toString()
    {
        return "hosts " + runId + " (" + count + " namespaces ch" + runId + "-*, bridge " + bridge() + ", " + subnet() +
            ")";
    }

    private String bridge()
    {
        return "cbr" + runId;
    }

    private void checkHost(final int host)
    {
        if (host < 1 || host > count)
        {
            throw new IllegalArgumentException("host must be 1 to " + count + ": host=" + host);
        }
    }

    /** Deleting a veth also deletes its peer, and a namespace its veth, so "not found" is success here. */
    private static void removeIfPresent(final List<String> command, final List<String> failures)
    {
        final Shell.Result result = Shell.runQuietly(command, null, 30_000);
        if (!result.ok() && !result.output().contains("No such file") && !result.output().contains("Cannot find") &&
            !result.output().contains("does not exist"))
        {
            failures.add(result.toString());
        }
    }

    /**
     * Removes the namespaces and bridges of earlier runs whose JVM is gone (killed before its hook ran), found by
     * the bridge alias; never touches a run whose JVM still lives.
     */
    private static void removeAbandoned(final String ip)
    {
        for (final String line : Shell.run(List.of(ip, "-o", "link", "show", "type", "bridge")).split("\n"))
        {
            final Matcher matcher = ABANDONED.matcher(line);
            if (!matcher.matches() || ProcessHandle.of(Long.parseLong(matcher.group(2))).isPresent())
            {
                continue;
            }
            final String id = matcher.group(3);
            System.out.println("NetworkNamespacePartitionTest: removing run " + id + " abandoned by pid " +
                matcher.group(2));
            final List<String> failures = new ArrayList<>();
            for (int host = 1; host <= 9; host++)
            {
                removeIfPresent(List.of(ip, "netns", "del", "ch" + id + "-" + host), failures);
                removeIfPresent(List.of(ip, "link", "del", "cp" + id + host), failures);
            }
            removeIfPresent(List.of(ip, "link", "del", matcher.group(1)), failures);
            if (!failures.isEmpty())
            {
                System.out.println("NetworkNamespacePartitionTest: could not remove all of run " + id + ": " + failures);
            }
        }
    }
}
