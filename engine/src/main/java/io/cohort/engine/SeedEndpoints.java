package io.cohort.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command endpoints of a node's seeds, resolved again (at most once per interval) each time the node asks them
 * to let it in: a host name resolves to every address it has, and an address of this host with this node's command
 * port is this node, left out. A seed that does not resolve is remembered as unresolved (one WARN line when it stops
 * resolving, one INFO line when it resolves again) and asked for again on the next round.
 */
final class SeedEndpoints
{
    private static final Logger LOG = LoggerFactory.getLogger(SeedEndpoints.class);

    private final List<String> seeds;
    private final int ownCommandPort;
    private final SeedResolver resolver;
    private final long intervalNs;
    private final Set<String> unresolved = new HashSet<>();
    private List<String> endpoints = List.of();
    private long resolvedNs;
    private boolean resolvedOnce;

    private SeedEndpoints(
        final List<String> seeds, final int ownCommandPort, final SeedResolver resolver, final long intervalNs)
    {
        this.seeds = List.copyOf(seeds);
        this.ownCommandPort = ownCommandPort;
        this.resolver = resolver;
        this.intervalNs = intervalNs;
    }

    /**
     * Seeds of a node's configuration, resolved with its resolver.
     */
    static SeedEndpoints of(final CohortContext context)
    {
        return new SeedEndpoints(context.seeds(), context.transportContext().commandPort(), context.seedResolver(),
            context.seedsResolveIntervalNs());
    }

    /**
     * Endpoints known already (e.g. a simulated network's addresses): nothing to resolve, ever.
     */
    static SeedEndpoints fixed(final List<String> endpoints)
    {
        final SeedEndpoints fixed = new SeedEndpoints(List.of(), -1, null, Long.MAX_VALUE);
        fixed.endpoints = List.copyOf(endpoints);
        fixed.resolvedOnce = true;
        return fixed;
    }

    /**
     * @return whether any seed is configured (or given fixed).
     */
    boolean configured()
    {
        return !seeds.isEmpty() || !endpoints.isEmpty();
    }

    /**
     * @return the command endpoints of the last resolution, this node's own left out.
     */
    List<String> endpoints()
    {
        return endpoints;
    }

    /**
     * @return whether some seed did not resolve at the last resolution.
     */
    boolean anyUnresolved()
    {
        return !unresolved.isEmpty();
    }

    /**
     * @return the seeds that did not resolve at the last resolution.
     */
    Set<String> unresolved()
    {
        return unresolved;
    }

    /**
     * Resolves the seeds again if the interval has passed since the last resolution.
     *
     * @return true if the endpoints changed.
     */
    boolean refresh(final long nowNs)
    {
        if (null == resolver || (resolvedOnce && nowNs - resolvedNs < intervalNs))
        {
            return false;
        }
        resolvedOnce = true;
        resolvedNs = nowNs;
        final List<String> fresh = new ArrayList<>();
        for (final String seed : seeds)
        {
            final int colon = seed.lastIndexOf(':');
            final String host = seed.substring(0, colon);
            final int port = Integer.parseInt(seed.substring(colon + 1));
            final InetAddress[] addresses;
            try
            {
                addresses = resolver.resolve(host);
            }
            catch (final UnknownHostException | RuntimeException ex)
            {
                if (unresolved.add(seed))
                {
                    LOG.warn("seed {} does not resolve ({}): asking again every round while joining or alone", seed,
                        ex.getMessage());
                }
                continue;
            }
            if (unresolved.remove(seed))
            {
                LOG.info("seed {} resolves now", seed);
            }
            for (final InetAddress address : addresses)
            {
                if (port == ownCommandPort && isLocal(address))
                {
                    continue;
                }
                final String endpoint = "tcp://" + address.getHostAddress() + ":" + port;
                if (!fresh.contains(endpoint))
                {
                    fresh.add(endpoint);
                }
            }
        }
        if (fresh.equals(endpoints))
        {
            return false;
        }
        endpoints = List.copyOf(fresh);
        return true;
    }

    private static boolean isLocal(final InetAddress address)
    {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress())
        {
            return true;
        }
        try
        {
            return null != NetworkInterface.getByInetAddress(address);
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }

    public String toString()
    {
        return unresolved.isEmpty() ? endpoints.toString() : endpoints + " (unresolved: " + unresolved + ")";
    }
}
