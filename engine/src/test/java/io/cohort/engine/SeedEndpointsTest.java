package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeds resolved again on the node's clock: a name that does not resolve is remembered until it does, a name that
 * resolves to more addresses later (pods added to a headless service) yields them all, this node is left out, and
 * the resolver is asked at most once per interval.
 */
class SeedEndpointsTest
{
    private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
    private int lookups;

    private SeedEndpoints seeds(final String list, final int ownPort)
    {
        final CohortContext context = new CohortContext().seeds(list).seedsResolveIntervalNs(1000)
            .seedResolver((host) ->
            {
                lookups++;
                final InetAddress[] addresses = dns.get(host);
                if (null == addresses)
                {
                    throw new UnknownHostException(host);
                }
                return addresses;
            });
        context.transportContext().commandPort(ownPort);
        return SeedEndpoints.of(context);
    }

    private static InetAddress[] addresses(final String... literals) throws UnknownHostException
    {
        final InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++)
        {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }

    @Test
    void shouldRememberAnUnresolvedSeedAndJoinItOnceItResolves() throws UnknownHostException
    {
        final SeedEndpoints seeds = seeds("svc.test:7510", 7600);
        assertFalse(seeds.refresh(0), "nothing resolved, nothing changed");
        assertTrue(seeds.anyUnresolved());
        assertEquals(Set.of("svc.test:7510"), seeds.unresolved());
        assertTrue(seeds.endpoints().isEmpty());
        assertTrue(seeds.configured());

        dns.put("svc.test", addresses("10.0.0.1"));
        assertFalse(seeds.refresh(999), "within the interval: not asked again");
        assertEquals(1, lookups);
        assertTrue(seeds.refresh(1000));
        assertEquals(List.of("tcp://10.0.0.1:7510"), seeds.endpoints());
        assertFalse(seeds.anyUnresolved());

        dns.put("svc.test", addresses("10.0.0.1", "10.0.0.2", "10.0.0.1"));
        assertTrue(seeds.refresh(2000), "a pod added behind the name");
        assertEquals(List.of("tcp://10.0.0.1:7510", "tcp://10.0.0.2:7510"), seeds.endpoints());
        assertFalse(seeds.refresh(3000), "the same addresses again: no change");
    }

    @Test
    void shouldLeaveThisNodeOutAndKeepOtherPortsOfThisHost() throws UnknownHostException
    {
        dns.put("localhost", addresses("127.0.0.1"));
        final SeedEndpoints seeds = seeds("localhost:7510,localhost:7520", 7510);
        assertTrue(seeds.refresh(0));
        assertEquals(List.of("tcp://127.0.0.1:7520"), seeds.endpoints());
    }

    @Test
    void shouldNeverResolveFixedEndpoints()
    {
        final SeedEndpoints fixed = SeedEndpoints.fixed(List.of("sim://1"));
        assertFalse(fixed.refresh(Long.MAX_VALUE));
        assertEquals(List.of("sim://1"), fixed.endpoints());
        assertFalse(SeedEndpoints.fixed(List.of()).configured());
    }
}
