package io.cohort.engine;

/**
 * One invariant of a simulated run, checked as the run goes ({@link #checkpoint()}) and at its end
 * ({@link #finish()}), as tigerbeetle's {@code testing/cluster/*_checker.zig}. A checker reports a broken invariant
 * through {@link SimChecks#fail(String)} and counts every time it actually checked something
 * ({@link #checks()}): a batch in which a checker counted nothing fails, since an invariant that was never put to
 * the test proves nothing.
 */
interface SimChecker
{
    /**
     * @return a short name for reports, the same in every run.
     */
    String name();

    /**
     * @return how many times this run checked the invariant on something real (a comparison, an event judged).
     */
    long checks();

    /**
     * Called every {@link SimChecks#CHECK_INTERVAL_NS} of simulated time during the fault and calm phases.
     */
    default void checkpoint()
    {
    }

    /**
     * Called once the cluster converged after the faults, before the run's verdict.
     */
    default void finish()
    {
    }
}
