package io.cohort.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a node's launch line says: Cohort's version, the settings in force that decide how it behaves in a cluster,
 * and every {@code cohort.*} system property as it was written, so that a log shows which settings a node ran with
 * without asking the operator.
 */
final class LaunchSummary
{
    private static final String VERSION = readVersion();

    private LaunchSummary()
    {
    }

    /**
     * Cohort's version, from the build.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build.
     */
    static String version()
    {
        return VERSION;
    }

    /**
     * The settings of a concluded context, one line.
     *
     * @param context the node's configuration.
     * @return {@code name=value} pairs separated by spaces.
     */
    static String settings(final CohortContext context)
    {
        final StringBuilder line = new StringBuilder(256)
            .append("seeds=").append(String.join(",", context.seeds()))
            .append(" cluster.name=").append(context.clusterName())
            .append(" expected.nodes=").append(context.expectedNodes())
            .append(" minimum.nodes=").append(context.minimumNodes())
            .append(" heartbeat.interval=").append(ms(context.heartbeatIntervalNs()))
            .append(" heartbeat.timeout=").append(ms(context.heartbeatTimeoutNs()))
            .append(" suspicion.timeout=").append(ms(context.suspicionTimeoutNs()))
            .append(" join.timeout=").append(ms(context.joinTimeoutNs()))
            .append(" split.strategy=").append(context.splitStrategy())
            .append(" sync.repair=").append(context.syncRepair())
            .append(" state=[").append(context.stateContext()).append(']');
        final TreeMap<String, String> given = new TreeMap<>();
        System.getProperties().forEach((key, value) ->
        {
            if (key instanceof String && ((String)key).startsWith("cohort."))
            {
                given.put((String)key, String.valueOf(value));
            }
        });
        line.append(" given=").append(given);
        return line.toString();
    }

    private static String ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns) + "ms";
    }

    private static String readVersion()
    {
        try (InputStream in = LaunchSummary.class.getResourceAsStream("version.properties"))
        {
            if (null == in)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
