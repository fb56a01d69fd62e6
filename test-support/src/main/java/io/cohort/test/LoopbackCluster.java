package io.cohort.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A JUnit 5 extension for nodes launched in the test's JVM on loopback: before each test a fresh directory for
 * their files; after it, every node closed, the newest first, and the directory deleted.
 * <pre>{@code
 * @RegisterExtension
 * final LoopbackCluster<CohortNode> cluster = new LoopbackCluster<>(
 *     (directory, nodeId, seeds) -> Cohort.launch(contextFor(directory, nodeId, seeds)), LocalNodes::seedOf);
 *
 * @Test
 * void shouldReplicate()
 * {
 *     final List<CohortNode> nodes = cluster.start(0xa1, 0xa2, 0xa3);
 *     ...
 * }
 * }</pre>
 * It knows nodes only as {@link AutoCloseable}s made by a {@link Launcher}, so that this module stays below the
 * engine and every module's tests can use it.
 *
 * @param <N> the node type.
 */
public final class LoopbackCluster<N extends AutoCloseable> implements BeforeEachCallback, AfterEachCallback
{
    /**
     * Launches one node.
     *
     * @param <N> the node type.
     */
    @FunctionalInterface
    public interface Launcher<N>
    {
        /**
         * Launches a node on loopback, with ports of its own choosing.
         *
         * @param directory the test's directory, for the node's files.
         * @param nodeId    the node's id.
         * @param seeds     {@code host:port} to join through, empty for the first node.
         * @return the node, launched.
         */
        N launch(File directory, long nodeId, String seeds);
    }

    /**
     * The seed address of a launched node.
     *
     * @param <N> the node type.
     */
    @FunctionalInterface
    public interface SeedOf<N>
    {
        /**
         * The address other nodes join through.
         *
         * @param node a launched node.
         * @return {@code host:port}.
         */
        String seedOf(N node);
    }

    private final Launcher<N> launcher;
    private final SeedOf<N> seedOf;
    private final List<N> nodes = new ArrayList<>();
    private File directory;

    /**
     * An extension that launches nodes with a launcher.
     *
     * @param launcher launches a node.
     * @param seedOf   a node's seed address.
     */
    public LoopbackCluster(final Launcher<N> launcher, final SeedOf<N> seedOf)
    {
        this.launcher = launcher;
        this.seedOf = seedOf;
    }

    /**
     * {@inheritDoc}
     */
    public void beforeEach(final ExtensionContext context)
    {
        try
        {
            directory = Files.createTempDirectory("cohort-loopback-").toFile();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void afterEach(final ExtensionContext context) throws Exception
    {
        try
        {
            closeAll();
        }
        finally
        {
            ClassPath.deleteQuietly(directory.toPath());
        }
    }

    /**
     * The test's directory.
     *
     * @return a directory that exists for the test's duration.
     */
    public File directory()
    {
        return directory;
    }

    /**
     * Launches a node with the launcher; closed after the test.
     *
     * @param nodeId the node's id.
     * @param seeds  {@code host:port} to join through, empty for none.
     * @return the node.
     */
    public N launch(final long nodeId, final String seeds)
    {
        return add(launcher.launch(directory, nodeId, seeds));
    }

    /**
     * Launches nodes: the first alone, the others joining through it.
     *
     * @param nodeIds their ids.
     * @return the nodes, in order.
     */
    public List<N> start(final long... nodeIds)
    {
        final List<N> started = new ArrayList<>();
        for (final long nodeId : nodeIds)
        {
            started.add(launch(nodeId, started.isEmpty() ? "" : seedOf.seedOf(started.get(0))));
        }
        return started;
    }

    /**
     * Takes a node launched by the test itself (e.g. with settings of its own) into the cluster: closed after
     * the test.
     *
     * @param node the node.
     * @param <T>  its type.
     * @return the node.
     */
    public <T extends N> T add(final T node)
    {
        nodes.add(node);
        return node;
    }

    /**
     * The seed address of a node.
     *
     * @param node a launched node.
     * @return {@code host:port}.
     */
    public String seedOf(final N node)
    {
        return seedOf.seedOf(node);
    }

    /**
     * The nodes launched so far.
     *
     * @return them, in launch order.
     */
    public List<N> nodes()
    {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * Closes every node, the newest first; the first failure is thrown after all are closed.
     *
     * @throws Exception the first failure.
     */
    public void closeAll() throws Exception
    {
        Exception failure = null;
        for (int i = nodes.size() - 1; i >= 0; i--)
        {
            try
            {
                nodes.get(i).close();
            }
            catch (final Exception ex)
            {
                if (null == failure)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        nodes.clear();
        if (null != failure)
        {
            throw failure;
        }
    }
}
