package io.cohort.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

class ChronicleExclusionsTest
{
    @Test
    void shouldKeepChronicleAnalyticsOffTheClassPath()
    {
        // The build excludes chronicle-analytics from chronicle-map's dependencies: no class of it may be
        // loadable, whatever -D flags the JVM was given.
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("net.openhft.chronicle.analytics.Analytics", false, getClass().getClassLoader()));
    }

    @Test
    void shouldKeepThreadAffinityOffTheClassPath()
    {
        // Excluded too: chronicle-core would load it (and JNA) with the first map, for threads Cohort never runs.
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("net.openhft.affinity.Affinity", false, getClass().getClassLoader()));
    }
}
