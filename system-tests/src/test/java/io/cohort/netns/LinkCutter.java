package io.cohort.netns;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts and heals links between the hosts of {@link NetnsHosts}, inside the hosts' own namespaces (each has its own
 * firewall and routing tables, so nothing outside the run is touched). Packets are dropped silently, as a
 * firewall rule or a dead link does: TCP connections stay open and retransmit, and resume on the heal.
 * <p>
 * Two ways, chosen by {@link #open}:
 * <ul>
 *     <li>{@code iptables} (what an operator's firewall does): {@code INPUT -s peer -j DROP} and
 *     {@code OUTPUT -d peer -j DROP} in a host's namespace. Installed by {@code scripts/install-iptables.sh} when
 *     missing.</li>
 *     <li>{@code route}, the fallback when iptables cannot be installed: a {@code blackhole} route to the peer in
 *     the host's namespace, so that nothing the host sends reaches the peer; a cut made on both ends drops both
 *     directions, and a one-way cut "X hears nobody" is every other host's route to X. ({@code tc} filters would be
 *     the other fallback, but kernels without the {@code act_gact} module, such as this project's build machine,
 *     refuse them.)</li>
 * </ul>
 */
abstract class LinkCutter
{
    /** System property choosing the way: {@code iptables} (default) or {@code route}. */
    static final String MODE_PROP_NAME = "cohort.netns.cutter";

    final NetnsHosts hosts;

    private LinkCutter(final NetnsHosts hosts)
    {
        this.hosts = hosts;
    }

    /**
     * The cutter the run uses: iptables, installed by the project's script if missing; blackhole routes if the
     * property asks for them or iptables cannot be installed. Says which on stdout.
     *
     * @param hosts the hosts.
     * @param root  the repository's root, where {@code scripts/} is.
     * @return the cutter.
     */
    static LinkCutter open(final NetnsHosts hosts, final File root)
    {
        final String mode = System.getProperty(MODE_PROP_NAME, "iptables");
        if ("route".equals(mode))
        {
            System.out.println("NetworkNamespacePartitionTest: links cut by blackhole routes (" + MODE_PROP_NAME +
                "=route)");
            return new Routes(hosts);
        }
        if (!"iptables".equals(mode))
        {
            throw new IllegalArgumentException(MODE_PROP_NAME + " must be iptables or route: " + MODE_PROP_NAME + "=" +
                mode);
        }
        final Shell.Result install = Shell.runQuietly(
            List.of("bash", new File(root, "scripts/install-iptables.sh").getPath()), null, Shell.INSTALL_BOUND_MS);
        final String path = install.output().strip().lines().reduce((first, second) -> second).orElse("");
        if (install.ok() && new File(path).canExecute() && null != Shell.which("iptables-restore"))
        {
            System.out.println("NetworkNamespacePartitionTest: links cut by iptables (" + path + ")");
            return new Iptables(hosts, path, Shell.which("iptables-restore"));
        }
        System.out.println("NetworkNamespacePartitionTest: iptables could not be installed (" + install +
            "): links cut by blackhole routes instead");
        return new Routes(hosts);
    }

    /**
     * Drops every packet between each host of {@code side} and each host of {@code otherSide}, both ways.
     *
     * @param side      hosts, from 1.
     * @param otherSide hosts, from 1, disjoint from {@code side}.
     */
    abstract void cutBoth(Set<Integer> side, Set<Integer> otherSide);

    /**
     * Makes {@code deaf} hear no other host, while what it sends still leaves it (TCP soon stalls both ways for
     * lack of acknowledgements).
     *
     * @param deaf the host, from 1.
     */
    abstract void cutInbound(int deaf);

    /**
     * Removes every cut.
     */
    abstract void heal();

    /**
     * What the cutter does, for messages.
     *
     * @return its name.
     */
    abstract String name();

    private static final class Iptables extends LinkCutter
    {
        private final String iptables;
        private final String restore;

        Iptables(final NetnsHosts hosts, final String iptables, final String restore)
        {
            super(hosts);
            this.iptables = iptables;
            this.restore = restore;
        }

        void cutBoth(final Set<Integer> side, final Set<Integer> otherSide)
        {
            // One iptables-restore per host: its rules appear at once, not one peer after another.
            for (final Integer host : side)
            {
                hosts.run(host, List.of(restore, "--noflush"), rules(otherSide));
            }
            for (final Integer host : otherSide)
            {
                hosts.run(host, List.of(restore, "--noflush"), rules(side));
            }
        }

        void cutInbound(final int deaf)
        {
            hosts.run(deaf, List.of(restore, "--noflush"),
                "*filter\n-A INPUT -s " + hosts.subnet() + " -j DROP\nCOMMIT\n");
        }

        void heal()
        {
            for (int host = 1; host <= hosts.count(); host++)
            {
                hosts.run(host, List.of(iptables, "-w", "-F", "INPUT"));
                hosts.run(host, List.of(iptables, "-w", "-F", "OUTPUT"));
            }
        }

        String name()
        {
            return "iptables";
        }

        private String rules(final Set<Integer> peers)
        {
            final StringBuilder rules = new StringBuilder("*filter\n");
            for (final Integer peer : peers)
            {
                rules.append("-A INPUT -s ").append(hosts.address(peer)).append(" -j DROP\n");
                rules.append("-A OUTPUT -d ").append(hosts.address(peer)).append(" -j DROP\n");
            }
            return rules.append("COMMIT\n").toString();
        }
    }

    private static final class Routes extends LinkCutter
    {
        /** (host, peer) pairs with a blackhole route on {@code host} to {@code peer}, to remove on the heal. */
        private final List<int[]> routes = new ArrayList<>();
        private final String ip = Shell.which("ip");

        Routes(final NetnsHosts hosts)
        {
            super(hosts);
        }

        void cutBoth(final Set<Integer> side, final Set<Integer> otherSide)
        {
            for (final Integer host : side)
            {
                blackhole(host, otherSide);
            }
            for (final Integer host : otherSide)
            {
                blackhole(host, side);
            }
        }

        void cutInbound(final int deaf)
        {
            for (int host = 1; host <= hosts.count(); host++)
            {
                if (host != deaf)
                {
                    blackhole(host, Set.of(deaf));
                }
            }
        }

        void heal()
        {
            for (final int[] route : routes)
            {
                hosts.run(route[0], List.of(ip, "route", "del", "blackhole", hosts.address(route[1]) + "/32"));
            }
            routes.clear();
        }

        String name()
        {
            return "blackhole routes";
        }

        private void blackhole(final int host, final Set<Integer> peers)
        {
            final StringBuilder batch = new StringBuilder();
            for (final Integer peer : peers)
            {
                batch.append("route add blackhole ").append(hosts.address(peer)).append("/32\n");
            }
            hosts.run(host, List.of(ip, "-batch", "-"), batch.toString());
            for (final Integer peer : peers)
            {
                routes.add(new int[] {host, peer});
            }
        }
    }
}
