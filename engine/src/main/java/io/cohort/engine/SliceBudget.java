package io.cohort.engine;

import org.agrona.concurrent.NanoClock;

/**
 * The work one duty cycle may give to long jobs (serving and loading snapshots, replaying a join buffer), so that
 * none of them holds the node's thread past about {@code cohort.slice.budget}: heartbeats, data and API calls are
 * handled between slices. Jobs work in units (a map segment, a chunk, a run of replayed messages) and
 * {@link #charge} each unit's rows; the budget is spent when the rows charged this cycle reach
 * {@code budget / ROW_COST_NS}, or, when a clock is installed, when the clock (read once per unit, never per row)
 * says the budget has passed. The row bound alone keeps a simulated node deterministic; the clock bounds a slow
 * machine. A unit is never split: a cycle does at most the budget plus one unit.
 * Not thread safe: the node's thread only.
 */
final class SliceBudget
{
    /** Assumed cost of one row of work (encoding, loading or replaying it), giving the row bound of a cycle. */
    static final long ROW_COST_NS = 250;

    private final long budgetNs;
    private final long maxRows;
    private NanoClock clock;
    private long startNs;
    private long rows;
    private boolean exhausted;
    private long peakRows;
    private long largestUnit;

    /**
     * A budget of {@code budgetNs} a cycle, bounded by rows only until {@link #clock(NanoClock)} installs a clock.
     *
     * @param budgetNs the work a cycle may give to long jobs.
     */
    SliceBudget(final long budgetNs)
    {
        this.budgetNs = budgetNs;
        this.maxRows = Math.max(1, budgetNs / ROW_COST_NS);
    }

    /**
     * Also bounds each cycle by time read from this clock (production: the node agent's clock).
     *
     * @param clock read once per charged unit, or null for the row bound only.
     */
    void clock(final NanoClock clock)
    {
        this.clock = clock;
    }

    /**
     * Starts a duty cycle's budget.
     */
    void begin()
    {
        rows = 0;
        exhausted = false;
        startNs = null == clock ? 0 : clock.nanoTime();
    }

    /**
     * Counts a unit of work done.
     *
     * @param unitRows the rows the unit handled (at least the work of one row is counted).
     */
    void charge(final long unitRows)
    {
        final long unit = Math.max(1, unitRows);
        rows += unit;
        largestUnit = Math.max(largestUnit, unit);
        peakRows = Math.max(peakRows, rows);
        if (rows >= maxRows || (null != clock && clock.nanoTime() - startNs >= budgetNs))
        {
            exhausted = true;
        }
    }

    /**
     * Whether this cycle's budget is spent: a job stops before its next unit.
     *
     * @return true once spent.
     */
    boolean exhausted()
    {
        return exhausted;
    }

    /**
     * Rows this cycle may still charge.
     *
     * @return 0 once spent.
     */
    long remainingRows()
    {
        return exhausted ? 0 : maxRows - rows;
    }

    /**
     * Rows charged in this cycle.
     *
     * @return the rows.
     */
    long rows()
    {
        return rows;
    }

    /**
     * The most rows charged in one cycle so far: at most {@link #maxRows()} plus one unit.
     *
     * @return the rows.
     */
    long peakRows()
    {
        return peakRows;
    }

    /**
     * The largest unit charged so far.
     *
     * @return the rows of that unit.
     */
    long largestUnit()
    {
        return largestUnit;
    }

    /**
     * The most rows a cycle charges before the budget is spent.
     *
     * @return the row bound.
     */
    long maxRows()
    {
        return maxRows;
    }
}
