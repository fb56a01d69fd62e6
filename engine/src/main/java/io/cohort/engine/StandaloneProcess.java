package io.cohort.engine;

import io.cohort.state.StateConfiguration;
import org.agrona.PropertyAction;
import org.agrona.SystemUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Properties;

/**
 * What a process that runs one node under a process supervisor (systemd, Kubernetes) needs, as the standalone node
 * ({@code io.cohort.node.CohortMain}) does: the exit codes a supervisor tells apart, a properties file of settings,
 * and the halt after an eviction so that the supervisor starts a new incarnation. An application that embeds a node
 * among other work (the examples' gateway) relaunches it in its JVM instead, with {@link CohortSupervisor}.
 */
public final class StandaloneProcess
{
    /** Exit code of a node that failed to start or to join. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad arguments or configuration. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a node that was evicted from its cluster: start a new incarnation. */
    public static final int EXIT_EVICTED = 3;

    private static final long EVICTION_FLUSH_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneProcess.class);

    private StandaloneProcess()
    {
    }

    /**
     * Checks, before anything starts, that this JVM was launched with the flags a node needs (the lines of
     * {@code jvm.options}). A launcher maps the exception to {@link #EXIT_USAGE}: a JVM started without them fails
     * the same way on every restart, so a supervisor must not loop on it as on a transient failure.
     *
     * @throws IllegalArgumentException naming every missing flag.
     */
    public static void requireJvmFlags()
    {
        try
        {
            JvmRequirements.verify();
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    /**
     * Gives a node's context the defaults of a process that hosts that one node and nothing else, where the
     * library's defaults are chosen for a node embedded among other code: Chronicle's native POSIX binding is not
     * loaded ({@link StateConfiguration#CHRONICLE_POSIX_PROP_NAME} {@code false}: no other code here maps Chronicle
     * files; about 150 ms less start-up), unless that property is given.
     *
     * @param context the node's context, before it is launched.
     * @return the context.
     */
    public static CohortContext standaloneDefaults(final CohortContext context)
    {
        if (null == System.getProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME))
        {
            context.stateContext().chroniclePosix(false);
        }
        return context;
    }

    /**
     * For a process that is one node under a process supervisor (as the standalone node is): halts the JVM with
     * {@link #EXIT_EVICTED} shortly after the node became EVICTED. The node stopped serving already (EVICTED refuses
     * every call); the JVM halts without shutdown hooks or a graceful leave, but only after the node's thread has
     * had 100 ms to flush its eviction announcement. Returns at once. An application that should outlive its
     * node's eviction uses {@link CohortSupervisor}, which relaunches the node in this JVM.
     */
    public static void haltAfterEviction()
    {
        LOG.error("evicted: halting so that a supervisor starts a new incarnation");
        final Thread halter = new Thread(() ->
        {
            try
            {
                Thread.sleep(EVICTION_FLUSH_MS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT_EVICTED);
        }, "cohort-evicted");
        halter.setDaemon(true);
        halter.start();
    }

    /**
     * Loads a properties file of {@code cohort.*} (or other) settings into the system properties, leaving those
     * already set: a {@code -D} on the command line wins over the file.
     *
     * @param file the properties file.
     * @throws IllegalArgumentException naming the file if it cannot be read, or a {@code cohort.*} key no
     *                                  Configuration declares with the closest declared name.
     */
    public static void loadProperties(final File file)
    {
        // SystemUtil skips a file it cannot open without a word: a missing or unreadable file is refused here.
        if (!Files.isRegularFile(file.toPath()) || !Files.isReadable(file.toPath()))
        {
            throw new IllegalArgumentException("properties file " + file + " cannot be read");
        }
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file.toPath()))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("properties file " + file + " cannot be read: " + ex.getMessage(), ex);
        }
        // Every key is checked before any is applied: a file with one misspelt key sets nothing.
        ToolProperties.KNOWN.rejectUnknown(properties, "properties file " + file);
        SystemUtil.loadPropertiesFile(PropertyAction.PRESERVE, file.getAbsolutePath());
    }
}
