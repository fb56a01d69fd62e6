package io.cohort.test;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits with a bound for what happens on other threads or in other processes.
 */
public final class Await
{
    /** How long a wait sleeps between two checks. */
    public static final long POLL_MS = 10;

    private Await()
    {
    }

    /**
     * Waits until a condition holds.
     *
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs the bound.
     * @param condition the condition.
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       if the bound passes first.
     */
    public static void until(final String what, final long timeoutMs, final BooleanSupplier condition)
        throws InterruptedException
    {
        until(what, timeoutMs, condition, () -> "");
    }

    /**
     * Waits until a condition holds.
     *
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs the bound.
     * @param condition the condition.
     * @param details   what to add to the failure message (state of the processes), asked only on failure.
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       if the bound passes first.
     */
    public static void until(
        final String what, final long timeoutMs, final BooleanSupplier condition, final Supplier<String> details)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                final String more = details.get();
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what +
                    (more.isEmpty() ? "" : "\n" + more));
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * Waits until a sample satisfies a condition, and returns it.
     *
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs the bound.
     * @param sample    takes a sample.
     * @param condition what the sample must satisfy.
     * @param <T>       the sample's type.
     * @return the first sample that satisfied the condition.
     * @throws InterruptedException if interrupted.
     * @throws AssertionError       naming the last sample if the bound passes first.
     */
    public static <T> T sample(
        final String what, final long timeoutMs, final Supplier<T> sample, final java.util.function.Predicate<T> condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        T value = sample.get();
        while (!condition.test(value))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + " in:\n" +
                    value);
            }
            Thread.sleep(POLL_MS);
            value = sample.get();
        }
        return value;
    }
}
