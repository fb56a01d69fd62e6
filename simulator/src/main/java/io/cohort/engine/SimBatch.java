package io.cohort.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A batch of seeded {@link SimulationRun}s on a few worker threads (each run is single-threaded, so results do not
 * depend on how many), summed: failures, {@link SimStats}, and how many times each checker checked something. The
 * batch passes only if no seed failed and no checker was vacuous (checked nothing across the whole batch).
 */
final class SimBatch
{
    /** Trace lines kept for a replayed seed unless {@code cohort.sim.trace} says otherwise. */
    static final int DEFAULT_TRACE_LINES = 400;

    final long first;
    final long count;
    final int threads;
    final List<SimulationRun.Result> failures = new ArrayList<>();
    final SimStats stats = new SimStats();
    private String[] checkerNames = new String[0];
    private long[] checkerCounts = new long[0];
    long events;
    long frames;
    long simulatedNs;
    long wallNs;

    SimBatch(final long first, final long count, final int threads)
    {
        this.first = first;
        this.count = count;
        this.threads = threads;
    }

    /**
     * Runs seeds {@code first} to {@code first + count - 1} with the nodes' logs silenced and no trace.
     *
     * @throws ExecutionException if the simulator itself broke outside a run (a run's own failures are results).
     */
    static SimBatch run(final long first, final long count, final int threads)
        throws InterruptedException, ExecutionException
    {
        final SimBatch batch = new SimBatch(first, count, threads);
        final AtomicLong next = new AtomicLong(first);
        final long end = first + count;
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        final long start = System.nanoTime();
        try (SimLogging ignore = SimLogging.quiet())
        {
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                futures.add(executor.submit(() ->
                {
                    try (SimStatePool pool = new SimStatePool(SimulationRun::stateContext))
                    {
                        long seed;
                        while ((seed = next.getAndIncrement()) < end)
                        {
                            batch.add(new SimulationRun(seed, SimFaultMix.forSeed(seed), pool, SimTrace.OFF).run());
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> future : futures)
            {
                future.get();
            }
        }
        finally
        {
            executor.shutdownNow();
        }
        batch.wallNs = System.nanoTime() - start;
        return batch;
    }

    /**
     * Runs one seed with its trace on.
     *
     * @param traceLines how many of the last trace lines to keep.
     * @param logs       whether the nodes' own logs stay on.
     */
    static SimulationRun.Result runSeed(final long seed, final int traceLines, final boolean logs)
    {
        return runSeed(seed, SimFaultMix.forSeed(seed), traceLines, logs);
    }

    /**
     * Runs one seed with a given mix (a regression seed's mix from before the draw widened), its trace kept.
     */
    static SimulationRun.Result runSeed(final long seed, final SimFaultMix mix, final int traceLines,
        final boolean logs)
    {
        try (SimLogging ignore = logs ? null : SimLogging.quiet();
            SimStatePool pool = new SimStatePool(SimulationRun::stateContext))
        {
            final SimTrace trace = new SimTrace(traceLines);
            final SimulationRun.Result result = new SimulationRun(seed, mix, pool, trace).run();
            result.trace = trace.dump();
            return result;
        }
    }

    synchronized void add(final SimulationRun.Result result)
    {
        events += result.events;
        frames += result.frames;
        simulatedNs += result.simulatedNs;
        stats.add(result.stats);
        if (0 == checkerNames.length)
        {
            checkerNames = result.checkerNames.clone();
            checkerCounts = new long[checkerNames.length];
        }
        for (int i = 0; i < checkerCounts.length; i++)
        {
            checkerCounts[i] += result.checkerCounts[i];
        }
        if (result.failed())
        {
            failures.add(result);
        }
    }

    /**
     * @return the checkers that checked nothing across the batch (each one fails it).
     */
    synchronized List<String> vacuousCheckers()
    {
        final List<String> vacuous = new ArrayList<>();
        for (int i = 0; i < checkerNames.length; i++)
        {
            if (0 == checkerCounts[i])
            {
                vacuous.add(checkerNames[i]);
            }
        }
        return vacuous;
    }

    /**
     * @return true if some seed ran, none failed, and every checker checked something.
     */
    synchronized boolean passed()
    {
        return checkerNames.length > 0 && failures.isEmpty() && vacuousCheckers().isEmpty();
    }

    /**
     * @return the throughput line and the summed statistics.
     */
    synchronized String describe()
    {
        final double seconds = wallNs / 1e9;
        return String.format("simulation: %d seeds (%d..%d) on %d threads in %.1f s: %.1f seeds/s, " +
            "%.0f simulated events/s, %.0f frames/s, %.1f simulated s per wall s; %d failed%n%s",
            count, first, first + count - 1, threads, seconds, count / seconds, events / seconds, frames / seconds,
            simulatedNs / 1e9 / seconds, failures.size(), stats.describe());
    }

    /**
     * @return one line per checker with its count over the batch, "VACUOUS" after one that checked nothing.
     */
    synchronized String describeChecks()
    {
        final StringBuilder out = new StringBuilder("checks:\n");
        for (int i = 0; i < checkerNames.length; i++)
        {
            out.append(String.format("  %-27s %,15d%s%n", checkerNames[i], checkerCounts[i],
                0 == checkerCounts[i] ? "  VACUOUS: checked nothing" : ""));
        }
        return out.toString();
    }

    /**
     * @return the failing seeds in order, one line each: seed, scenario, the failure's first line.
     */
    synchronized String describeFailures()
    {
        failures.sort((a, b) -> Long.compare(a.seed, b.seed));
        final StringBuilder out = new StringBuilder("failing seeds (replay one with ./cohort sim SEED):\n");
        for (final SimulationRun.Result failure : failures)
        {
            out.append("  ").append(failure.seed).append(" [").append(failure.mix.scenario).append("] ")
                .append(failure.failure.split("\n")[0]).append('\n');
        }
        return out.toString();
    }

    /**
     * Replays the first failing seeds with their trace: the failure must repeat word for word, since a run is
     * deterministic; then lists every failing seed.
     *
     * @param replayed   how many failing seeds to replay.
     * @param traceLines trace lines kept for each.
     */
    String report(final int replayed, final int traceLines)
    {
        final List<SimulationRun.Result> sorted;
        synchronized (this)
        {
            failures.sort((a, b) -> Long.compare(a.seed, b.seed));
            sorted = new ArrayList<>(failures);
        }
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(replayed, sorted.size()); i++)
        {
            final SimulationRun.Result failure = sorted.get(i);
            final SimulationRun.Result replay = runSeed(failure.seed, traceLines, false);
            out.append(replay.describe()).append('\n');
            if (!String.valueOf(failure.failure).equals(replay.failure))
            {
                out.append("NOT DETERMINISTIC: the batch run failed with: ").append(failure.failure).append('\n');
            }
            out.append('\n');
        }
        return out.append(describeFailures()).toString();
    }
}
