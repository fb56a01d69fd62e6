package io.cohort.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

class ChronicleAnalyticsTest
{
    @Test
    void shouldKeepChronicleAnalyticsOffTheClassPath()
    {
        // The state module excludes chronicle-analytics from chronicle-map's dependencies: no class of it may be
        // loadable, whatever -D flags the JVM was given.
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("net.openhft.chronicle.analytics.Analytics", false, getClass().getClassLoader()));
    }
}
