package io.cohort.engine;

/**
 * A bounded ring of readable trace lines of a simulation, stamped with simulated time. Off in batch runs (callers
 * test {@link #on} before building a line, so a batch builds no strings); a failing seed is run again with the
 * trace on, which the determinism of the simulation makes an exact replay.
 */
final class SimTrace
{
    static final SimTrace OFF = new SimTrace(0);

    final boolean on;
    private final String[] lines;
    private long written;

    SimTrace(final int capacity)
    {
        this.on = capacity > 0;
        this.lines = new String[Math.max(capacity, 1)];
    }

    void line(final long nowNs, final String text)
    {
        if (on)
        {
            lines[(int)(written % lines.length)] = String.format("%10.3f ms  %s", nowNs / 1e6, text);
            written++;
        }
    }

    /**
     * @return the last lines, oldest first, one per line.
     */
    String dump()
    {
        final StringBuilder out = new StringBuilder();
        final long first = Math.max(0, written - lines.length);
        if (first > 0)
        {
            out.append("  ... ").append(first).append(" earlier lines dropped\n");
        }
        for (long i = first; i < written; i++)
        {
            out.append("  ").append(lines[(int)(i % lines.length)]).append('\n');
        }
        return out.toString();
    }
}
