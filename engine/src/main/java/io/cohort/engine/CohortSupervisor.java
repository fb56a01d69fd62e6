package io.cohort.engine;

import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps an embedded node in its cluster across evictions, in the same JVM. An evicted node never serves again; this
 * closes it (which releases its ports, off-heap state, counters file, thread and JMX name) and launches a new
 * incarnation of the same node id, with a new context from the supplier (the same settings), which joins through
 * the seeds as any new node does. The standalone node halts its JVM instead
 * ({@link StandaloneProcess#haltAfterEviction()}): there, a process supervisor starts the new incarnation.
 * <pre>{@code
 * try (CohortSupervisor supervisor = CohortSupervisor.launch(
 *     () -> new CohortContext().listener(listener),  // called again for every relaunch: a new context each time
 *     new CohortSupervisor.Listener()
 *     {
 *         public void onRelaunched(CohortNode evicted, CohortNode relaunched)
 *         {
 *             // The evicted node's connections and subscriptions are gone with it: subscribe them again on
 *             // supervisor.node() once it is RUNNING, or close them so that their clients reconnect.
 *         }
 *     }))
 * {
 *     CohortNode node = supervisor.node(); // read it for each use: a relaunch replaces it
 * }
 * }</pre>
 * <b>What is relaunched.</b> A node this supervisor launched that stops by itself: {@link NodeState#EVICTED}, or
 * {@link NodeState#CLOSED} with a {@link CohortNode#failure()} (a join that did not complete). A node closed by
 * someone else without a failure (a JMX {@code leave}, {@code node().close()}) left on purpose: the supervisor stops
 * there. The evicted node runs {@value #EVICTION_FLUSH_MS} ms more (it sends its eviction announcement), is closed,
 * and the new one is launched at once if the old one had been a member for {@value #STABLE_AFTER_MS} ms, else after
 * a backoff that doubles from {@value #MIN_BACKOFF_MS} ms to {@value #MAX_BACKOFF_MS} ms with each incarnation in a
 * row that failed or did not last (a launch that throws counts as one too), so that a node that cannot stay in its
 * cluster does not churn it.
 * <p>
 * <b>Each relaunch</b> takes a new context from the supplier, gives it the node id of the first launch and an
 * incarnation larger than the previous one, and launches it. A relaunch refused as bad configuration
 * ({@link IllegalArgumentException}, or a supplier that returns null or a context already launched) stops the
 * supervisor ({@link Listener#onRelaunchFailed} with -1); any other failure (e.g. a port still held by another
 * process) is retried after the backoff.
 * <p>
 * <b>Threads.</b> The node's state changes are watched on the node's thread, which only schedules the work; closing
 * and launching run on the supervisor's own daemon thread, as do the {@link Listener}'s callbacks. The backend's
 * {@link CohortListener} (set on each context) sees every incarnation's state changes: the evicted one's
 * {@code EVICTED}, then the new one's {@code JOINING} and {@code RUNNING}.
 */
public final class CohortSupervisor implements AutoCloseable
{
    /** How long an evicted node runs before it is closed: its thread sends its eviction announcement meanwhile. */
    public static final long EVICTION_FLUSH_MS = 100;
    /** A node that was a member at least this long ran well: its eviction is relaunched without a backoff. */
    public static final long STABLE_AFTER_MS = 10_000;
    /** The first backoff, after an incarnation that failed or did not last. */
    public static final long MIN_BACKOFF_MS = 1_000;
    /** The longest backoff. */
    public static final long MAX_BACKOFF_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(CohortSupervisor.class);
    private static final int MAX_BACKOFF_SHIFT = 16;

    /**
     * Told of relaunches, on the supervisor's thread. Callbacks may block briefly (e.g. re-subscribe through the new
     * node) but must not call {@link CohortSupervisor#close()}.
     */
    public interface Listener
    {
        /**
         * A new incarnation was launched in place of one that was evicted or failed (already closed). It is joining:
         * wait for {@link NodeState#RUNNING} (e.g. in the context's {@link CohortListener}) before serving with it.
         *
         * @param previous the closed node.
         * @param current  the new node, now {@link CohortSupervisor#node()}.
         */
        default void onRelaunched(final CohortNode previous, final CohortNode current)
        {
        }

        /**
         * A relaunch failed.
         *
         * @param cause     why.
         * @param retryInMs when it is tried again, or -1 if never (bad configuration): the supervisor stopped.
         */
        default void onRelaunchFailed(final Throwable cause, final long retryInMs)
        {
        }
    }

    /**
     * Watches one incarnation's state changes, on its node's thread.
     */
    private final class Watch implements Consumer<NodeState>
    {
        /** Set under the supervisor's lock once the launch returned; read by the supervisor's tasks under it. */
        private CohortNode node;
        private volatile long memberSinceNs;
        private boolean ended;

        public void accept(final NodeState state)
        {
            if (state.isMember())
            {
                if (0 == memberSinceNs)
                {
                    memberSinceNs = System.nanoTime() | 1; // 0 means "never a member"
                }
            }
            else if (state.isTerminal() && !ended)
            {
                ended = true;
                schedule(() -> onEnded(this), EVICTION_FLUSH_MS);
            }
        }

        private boolean ranWell(final long nowNs)
        {
            final long sinceNs = memberSinceNs;
            return 0 != sinceNs && nowNs - sinceNs >= TimeUnit.MILLISECONDS.toNanos(STABLE_AFTER_MS);
        }
    }

    private final Supplier<CohortContext> contexts;
    private final Listener listener;
    private final long nodeId;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicLong relaunches = new AtomicLong();
    private volatile CohortNode node;
    private volatile Thread thread;
    private volatile boolean stopped;
    /** Guarded by this: the current incarnation's watch, failures in a row, and whether close() was called. */
    private Watch watch;
    private int failures;
    private boolean closed;

    private CohortSupervisor(final Supplier<CohortContext> contexts, final Listener listener)
    {
        this.contexts = contexts;
        this.listener = listener;
        final CohortContext first = requireNew(contexts.get());
        this.nodeId = first.nodeId();
        executor = new ScheduledThreadPoolExecutor(1, (task) ->
        {
            final Thread created = new Thread(task, "cohort-supervisor-" + ClusterCore.id(nodeId));
            created.setDaemon(true);
            thread = created;
            return created;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        synchronized (this)
        {
            final Watch firstWatch = new Watch();
            try
            {
                firstWatch.node = Cohort.launch(first, firstWatch);
            }
            catch (final RuntimeException | Error ex)
            {
                executor.shutdownNow();
                throw ex;
            }
            watch = firstWatch;
            node = firstWatch.node;
        }
    }

    /**
     * Launches a node with the supplier's first context, as {@link Cohort#launch} does, and relaunches it in this
     * JVM whenever it is evicted.
     *
     * @param contexts gives a new context, with the same settings, for every launch: the supervisor sets the node id
     *                 (the first launch's) and the incarnation of each relaunch.
     * @param listener told of relaunches.
     * @return the supervisor, whose {@link #node()} is launched (not yet RUNNING).
     * @throws IllegalArgumentException for bad configuration, as {@link Cohort#launch}.
     * @throws IllegalStateException    as {@link Cohort#launch} (e.g. a port in use).
     */
    public static CohortSupervisor launch(final Supplier<CohortContext> contexts, final Listener listener)
    {
        return new CohortSupervisor(
            Objects.requireNonNull(contexts, "contexts"), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The current incarnation: after a relaunch, the new node. Read it for each use rather than keeping it: a
     * node kept past its relaunch is closed (its reads answer as an empty node's, its calls return
     * {@link CallResult#CLOSED}).
     *
     * @return the node last launched.
     */
    public CohortNode node()
    {
        return node;
    }

    /**
     * How many times a new incarnation was launched.
     *
     * @return the count.
     */
    public long relaunches()
    {
        return relaunches.get();
    }

    /**
     * Whether the supervisor relaunches no more: closed, its node left on purpose, or a relaunch was refused as bad
     * configuration.
     *
     * @return true once stopped.
     */
    public boolean isStopped()
    {
        return stopped;
    }

    /**
     * Stops relaunching and closes the current node (a graceful leave if it is a member). Waits for a relaunch in
     * progress to finish first, then closes what it launched. Idempotent.
     *
     * @throws IllegalStateException if called from a {@link Listener} callback (the supervisor's own thread).
     */
    public void close()
    {
        if (Thread.currentThread() == thread)
        {
            throw new IllegalStateException("CohortSupervisor.close() was called from its own thread (a Listener " +
                "callback): close it from another thread");
        }
        final CohortNode last;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            stopped = true;
            last = watch.node;
        }
        // Drops the relaunches not yet due; a task that runs from now on sees closed and does nothing, and one that
        // launched a node before this took the lock left it in watch, closed here.
        executor.shutdown();
        CloseHelper.close(last);
    }

    private void schedule(final Runnable task, final long delayMs)
    {
        try
        {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            // Closed meanwhile: close() closes the node itself.
        }
    }

    /**
     * An incarnation stopped by itself (or was closed): close it at once, so that its resources are released even
     * if the relaunch waits out a backoff, and schedule the relaunch.
     */
    private void onEnded(final Watch ended)
    {
        final CohortNode previous;
        final long delayMs;
        synchronized (this)
        {
            if (closed || ended != watch)
            {
                return;
            }
            previous = ended.node;
            if (NodeState.CLOSED == previous.state() && null == previous.failure())
            {
                stopped = true;
                LOG.info("node {} incarnation {} was closed without a failure (it left): not relaunched",
                    ClusterCore.id(nodeId), previous.incarnation());
                return;
            }
            closeQuietly(previous);
            failures = ended.ranWell(System.nanoTime()) ? 0 : failures + 1;
            delayMs = backoffMs(failures);
        }
        LOG.warn("node {} incarnation {} is {}{}: relaunching it as a new incarnation in {} ms",
            ClusterCore.id(nodeId), previous.incarnation(), previous.state(),
            null == previous.failure() ? "" : " (" + previous.failure() + ")", delayMs);
        schedule(() -> relaunch(previous), delayMs);
    }

    private void relaunch(final CohortNode previous)
    {
        final CohortNode current;
        Throwable failure = null;
        long retryInMs = -1;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            final Watch next = new Watch();
            try
            {
                final CohortContext context = requireNew(contexts.get());
                context.nodeId(nodeId).incarnation(Math.max(context.incarnation(), previous.incarnation() + 1));
                next.node = Cohort.launch(context, next);
            }
            catch (final IllegalArgumentException ex)
            {
                failure = ex;
                stopped = true;
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
                failures++;
                retryInMs = backoffMs(failures);
            }
            if (null == failure)
            {
                watch = next;
                node = next.node;
                relaunches.incrementAndGet();
            }
            current = next.node;
        }
        if (null != failure)
        {
            if (retryInMs < 0)
            {
                LOG.error("node {}: relaunch refused, the supervisor stops: {}", ClusterCore.id(nodeId),
                    failure.toString());
            }
            else
            {
                LOG.warn("node {}: relaunch failed, retrying in {} ms: {}", ClusterCore.id(nodeId), retryInMs,
                    failure.toString());
                schedule(() -> relaunch(previous), retryInMs);
            }
            notifyFailed(failure, retryInMs);
            return;
        }
        LOG.info("node {} relaunched as incarnation {} (was {})", ClusterCore.id(nodeId), current.incarnation(),
            previous.incarnation());
        try
        {
            listener.onRelaunched(previous, current);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("node {}: CohortSupervisor.Listener.onRelaunched threw", ClusterCore.id(nodeId), ex);
        }
    }

    private void notifyFailed(final Throwable failure, final long retryInMs)
    {
        try
        {
            listener.onRelaunchFailed(failure, retryInMs);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("node {}: CohortSupervisor.Listener.onRelaunchFailed threw", ClusterCore.id(nodeId), ex);
        }
    }

    private void closeQuietly(final CohortNode previous)
    {
        try
        {
            previous.close();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("node {} incarnation {}: close failed", ClusterCore.id(nodeId), previous.incarnation(), ex);
        }
    }

    private static CohortContext requireNew(final CohortContext context)
    {
        if (null == context)
        {
            throw new IllegalArgumentException("the CohortSupervisor's context supplier returned null");
        }
        if (context.launched())
        {
            throw new IllegalArgumentException("the CohortSupervisor's context supplier returned a context that " +
                "launched a node already: it must make a new CohortContext for every launch");
        }
        return context;
    }

    /**
     * @param failures incarnations in a row that failed or did not last.
     * @return 0 after none, else {@link #MIN_BACKOFF_MS} doubled per failure after the first, at most
     * {@link #MAX_BACKOFF_MS}.
     */
    static long backoffMs(final int failures)
    {
        if (failures <= 0)
        {
            return 0;
        }
        return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures - 1, MAX_BACKOFF_SHIFT));
    }
}
