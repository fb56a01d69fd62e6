package io.cohort.engine;

/**
 * No escaped exception: no exception escapes any node's core and no error is reported by its error handler, for
 * every node the run ever started (crashed and evicted incarnations included). One check is one node inspected.
 */
final class ErrorChecker implements SimChecker
{
    private final SimulationRun run;
    private final SimChecks checks;
    private long inspected;

    ErrorChecker(final SimulationRun run, final SimChecks checks)
    {
        this.run = run;
        this.checks = checks;
    }

    public String name()
    {
        return "no-escaped-exception";
    }

    public long checks()
    {
        return inspected;
    }

    public void checkpoint()
    {
        for (int i = 0, size = run.everyNode.size(); i < size; i++)
        {
            final SimNode node = run.everyNode.get(i);
            inspected++;
            if (!node.errors().isEmpty())
            {
                final Throwable error = node.errors().get(0);
                checks.fail((node.escapedExceptions() > 0 ? "an exception escaped " : "an error was reported by ") +
                    node + ": " + error + SimulationRun.stackTop(error));
                return;
            }
        }
    }

    public void finish()
    {
        checkpoint();
    }
}
