package io.cohort.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a seed's host name into addresses. The node asks again on each join round while it is joining or alone
 * (at most every {@code cohort.cluster.seeds.resolve.interval}), on its own thread, so a name that does not resolve
 * yet (a pod started before its headless service lists it) is joined once it does.
 */
@FunctionalInterface
public interface SeedResolver
{
    /** The JVM's resolver ({@link InetAddress#getAllByName}), with its DNS cache. */
    SeedResolver DNS = InetAddress::getAllByName;

    /**
     * Every address of a host.
     *
     * @param host a host name or literal address, as written in {@code cohort.cluster.seeds}.
     * @return its addresses, at least one.
     * @throws UnknownHostException if it does not resolve (now).
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
