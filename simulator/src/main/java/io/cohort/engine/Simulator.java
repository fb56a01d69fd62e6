package io.cohort.engine;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The deterministic simulator's entry point ({@code ./cohort sim}), as tigerbeetle's {@code simulator.zig}: whole
 * clusters of real protocol cores on a simulated network under seeded faults, every invariant checked by its own
 * checker.
 * <ul>
 * <li>{@code Simulator SEED}: replays one seed and prints its fault mix, its verdict, the last lines of its trace
 * and each checker's count; exit code 0 if it passed, 1 if not;</li>
 * <li>{@code Simulator soak COUNT [FIRST]}: runs seeds FIRST (default 1) to FIRST + COUNT - 1 and prints seeds/s,
 * each checker's count and every failing seed with its one-line failure; exit code 0 only if every seed passed
 * and no checker was vacuous (checked nothing in the whole batch).</li>
 * </ul>
 * Bad arguments: one line on stderr and exit code 2. System properties: {@code cohort.sim.trace} (trace lines of a
 * replay, default {@value SimBatch#DEFAULT_TRACE_LINES}), {@code cohort.sim.log=true} (keep the nodes' own logs
 * in a replay), {@code cohort.sim.threads} (worker threads of a soak, default 2), {@code cohort.sim.rooms.strict=true}
 * (a run whose nodes end with different room tables fails; by default it is counted, {@link ConvergenceChecker}),
 * {@code cohort.sim.idle=deadline} (an idle node sleeps until its next deadline as production's does, instead of
 * cycling every tick: {@link SimNetwork#idleUntilDeadline}).
 */
public final class Simulator
{
    /** Exit code of a run that passed. */
    public static final int PASSED = 0;
    /** Exit code of a run with a failing seed or a vacuous checker. */
    public static final int FAILED = 1;
    /** Exit code of bad arguments. */
    public static final int BAD_ARGUMENTS = 2;

    private static final String USAGE = "usage: Simulator SEED | Simulator soak COUNT [FIRST]";

    private Simulator()
    {
    }

    /**
     * Runs the simulator and exits with its exit code.
     *
     * @param args {@code SEED} or {@code soak COUNT [FIRST]}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the simulator.
     *
     * @param args {@code SEED} or {@code soak COUNT [FIRST]}.
     * @param out  where the report goes.
     * @param err  where a bad argument's one line goes.
     * @return {@link #PASSED}, {@link #FAILED} or {@link #BAD_ARGUMENTS}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final int traceLines;
        final int threads;
        try
        {
            traceLines = intProperty("cohort.sim.trace", SimBatch.DEFAULT_TRACE_LINES, 0);
            threads = intProperty("cohort.sim.threads", 2, 1);
            SimulationRun.idleUntilDeadline(); // each run reads it; a bad value is refused here, once, by name
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cohort sim: " + ex.getMessage());
            return BAD_ARGUMENTS;
        }
        try
        {
            if (1 == args.length && !"soak".equals(args[0]))
            {
                return replay(parseLong("SEED", args[0], Long.MIN_VALUE), traceLines, out);
            }
            if ((2 == args.length || 3 == args.length) && "soak".equals(args[0]))
            {
                final long count = parseLong("COUNT", args[1], 1);
                final long first = 3 == args.length ? parseLong("FIRST", args[2], Long.MIN_VALUE) : 1;
                if (first > Long.MAX_VALUE - count)
                {
                    throw new IllegalArgumentException("FIRST + COUNT past the largest seed: FIRST=" + first +
                        " COUNT=" + count);
                }
                return soak(first, count, threads, out);
            }
            throw new IllegalArgumentException(USAGE + " (got " + args.length + " arguments)");
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cohort sim: " + ex.getMessage());
            return BAD_ARGUMENTS;
        }
    }

    private static int replay(final long seed, final int traceLines, final PrintStream out)
    {
        final SimulationRun.Result result = SimBatch.runSeed(seed, traceLines, Boolean.getBoolean("cohort.sim.log"));
        out.println(result.describe());
        out.println(result.stats.describe());
        return result.failed() ? FAILED : PASSED;
    }

    private static int soak(final long first, final long count, final int threads, final PrintStream out)
    {
        final SimBatch batch;
        try
        {
            batch = SimBatch.run(first, count, threads);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            out.println("interrupted");
            return FAILED;
        }
        catch (final ExecutionException ex)
        {
            out.println("the simulator itself broke: " + ex.getCause() + SimulationRun.stackTop(ex.getCause()));
            return FAILED;
        }
        out.println(batch.describe());
        out.print(batch.describeChecks());
        if (!batch.failures.isEmpty())
        {
            out.print(batch.describeFailures());
        }
        final List<String> vacuous = batch.vacuousCheckers();
        if (!vacuous.isEmpty())
        {
            out.println("vacuous checkers (checked nothing in " + count + " seeds): " + String.join(", ", vacuous));
        }
        out.println(batch.passed() ? "PASSED" : "FAILED");
        return batch.passed() ? PASSED : FAILED;
    }

    private static long parseLong(final String name, final String value, final long min)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " is not a number: " + name + "=" + value + " (" + USAGE + ")");
        }
        if (parsed < min)
        {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + name + "=" + value);
        }
        return parsed;
    }

    private static int intProperty(final String name, final int defaultValue, final int min)
    {
        final String value = System.getProperty(name);
        if (null == value || value.isBlank())
        {
            return defaultValue;
        }
        final long parsed = parseLong(name, value, min);
        if (parsed > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(name + " is too large: " + name + "=" + value);
        }
        return (int)parsed;
    }
}
