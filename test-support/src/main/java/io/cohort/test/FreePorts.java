package io.cohort.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for processes that must be told their port before they start (a child JVM, a seed list).
 */
public final class FreePorts
{
    /** Lowest port picked. */
    public static final int LOWEST = 20_000;
    /**
     * One past the highest port picked: below Linux's ephemeral range (32768 on), so that no outgoing connection
     * takes a picked port between the check and the bind.
     */
    public static final int END = 32_000;

    private FreePorts()
    {
    }

    /**
     * Distinct ports free on the loopback address now.
     *
     * @param count how many.
     * @return the ports.
     */
    public static int[] loopback(final int count)
    {
        final int[] ports = new int[count];
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            while (true)
            {
                final int port = ThreadLocalRandom.current().nextInt(LOWEST, END);
                if (!picked.add(port))
                {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket())
                {
                    socket.setReuseAddress(false);
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException ex)
                {
                    continue;
                }
                ports[i] = port;
                break;
            }
        }
        return ports;
    }
}
