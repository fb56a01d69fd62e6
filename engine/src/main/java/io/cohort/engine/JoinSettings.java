package io.cohort.engine;

import io.cohort.codec.FrameLayout;

import static io.cohort.config.PropertySet.formatDuration;

/**
 * The settings every member of a cluster must share, checked at each join on both sides: the protocol version, and
 * the heartbeat interval and timeout within a {@value #FACTOR}x factor of each other (a member whose timeout is
 * much shorter than another's interval would take it for dead between two of its heartbeats). The cluster name is
 * checked apart, since another name is another cluster, not a misconfigured member.
 */
final class JoinSettings
{
    /** How far apart two members' heartbeat interval or timeout may be. */
    static final long FACTOR = 2;

    private JoinSettings()
    {
    }

    /**
     * What differs between this node's settings and another node's, named as the operator writes it.
     *
     * @return null if they agree, else e.g. {@code cohort.heartbeat.interval=1s there, 100ms here}.
     */
    static String mismatch(
        final CohortContext context, final int versionMajor, final int versionMinor, final long intervalNs,
        final long timeoutNs)
    {
        if (versionMajor != FrameLayout.VERSION_MAJOR)
        {
            return "protocol version " + versionMajor + "." + versionMinor + " there, " + FrameLayout.VERSION_MAJOR +
                "." + FrameLayout.VERSION_MINOR + " here";
        }
        if (apart(intervalNs, context.heartbeatIntervalNs()))
        {
            return CohortConfiguration.HEARTBEAT_INTERVAL_PROP_NAME + "=" + formatDuration(intervalNs) + " there, " +
                formatDuration(context.heartbeatIntervalNs()) + " here (more than " + FACTOR + "x apart)";
        }
        if (apart(timeoutNs, context.heartbeatTimeoutNs()))
        {
            return CohortConfiguration.HEARTBEAT_TIMEOUT_PROP_NAME + "=" + formatDuration(timeoutNs) + " there, " +
                formatDuration(context.heartbeatTimeoutNs()) + " here (more than " + FACTOR + "x apart)";
        }
        return null;
    }

    private static boolean apart(final long theirs, final long ours)
    {
        return theirs <= 0 || theirs > FACTOR * ours || ours > FACTOR * theirs;
    }
}
