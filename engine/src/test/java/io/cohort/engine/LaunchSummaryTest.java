package io.cohort.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchSummaryTest
{
    @Test
    void shouldKnowTheVersionItWasBuiltAs()
    {
        // The build filters version.properties with the project's version; the test runs on those classes.
        assertTrue(Cohort.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Cohort.version());
    }

    @Test
    void shouldSayTheSettingsInForceAndTheOnesGiven()
    {
        // A real setting, given as an operator writes it (its default value, so nothing else changes).
        final String name = CohortConfiguration.SPLIT_STRATEGY_PROP_NAME;
        System.setProperty(name, "keep-majority");
        try
        {
            final CohortContext context = new CohortContext().seeds("10.0.0.1:7510").heartbeatTimeoutNs(2_000_000_000L);
            context.conclude();
            final String settings = LaunchSummary.settings(context);
            assertTrue(settings.startsWith("seeds=10.0.0.1:7510 "), settings);
            assertTrue(settings.contains(" heartbeat.timeout=2000ms "), settings);
            assertTrue(settings.contains(" cluster.name=cohort expected.nodes=0 "), settings);
            assertTrue(settings.contains(name + "=keep-majority"), settings);
        }
        finally
        {
            assertEquals("keep-majority", System.clearProperty(name));
        }
    }
}
