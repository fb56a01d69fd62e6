package io.cohort.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binding: free ports picked on request, endpoints advertised, and a port already in use reported with the
 * property that configured it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ZmqBindTest
{
    @TempDir
    File countersDir;

    private static int port(final String endpoint)
    {
        return URI.create(endpoint).getPort();
    }

    @Test
    void shouldAdvertiseEndpointsOfTheBoundPorts()
    {
        try (TestNode node = new TestNode(countersDir, 1))
        {
            assertTrue(node.transport.syncEndpoint().startsWith("tcp://127.0.0.1:"), node.transport.syncEndpoint());
            assertTrue(node.transport.commandEndpoint().startsWith("tcp://127.0.0.1:"));
            assertTrue(port(node.transport.syncEndpoint()) > 0);
            assertTrue(port(node.transport.commandEndpoint()) > 0);
            assertFalse(node.transport.syncEndpoint().equals(node.transport.commandEndpoint()));
        }
    }

    @Test
    void shouldNameSyncPortPropertyWhenPortIsInUse()
    {
        try (TestNode first = new TestNode(countersDir, 1))
        {
            final int taken = port(first.transport.syncEndpoint());

            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> new TestNode(countersDir, 2, context -> context.syncPort(taken)));

            assertTrue(ex.getMessage().contains(TransportConfiguration.SYNC_PORT_PROP_NAME + "=" + taken),
                ex.getMessage());
            assertEquals(1, countersDir.listFiles().length, "the failed node's counters file was removed");
        }
    }

    @Test
    void shouldNameCommandPortPropertyWhenPortIsInUse()
    {
        try (TestNode first = new TestNode(countersDir, 1))
        {
            final int taken = port(first.transport.syncEndpoint());

            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> new TestNode(countersDir, 2, context -> context.commandPort(taken)));

            assertTrue(ex.getMessage().contains(TransportConfiguration.COMMAND_PORT_PROP_NAME + "=" + taken),
                ex.getMessage());
        }
    }

    @Test
    void shouldBindAgainOnceThePortIsFree()
    {
        final int port;
        try (TestNode first = new TestNode(countersDir, 1))
        {
            port = port(first.transport.commandEndpoint());
        }

        try (TestNode second = new TestNode(countersDir, 2, context -> context.commandPort(port)))
        {
            assertEquals(port, port(second.transport.commandEndpoint()));
        }
    }
}
