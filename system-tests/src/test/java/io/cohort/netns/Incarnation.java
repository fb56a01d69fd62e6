package io.cohort.netns;

import io.cohort.test.ChildJvm;

/**
 * One process of a host: started once, ended once; what it said is in its {@link NodeLog}.
 */
final class Incarnation
{
    final int host;
    final int number;
    final ChildJvm jvm;
    final NodeLog log;
    final long startMs;
    volatile long exitMs = -1;
    volatile int exitCode = -1;

    /**
     * @param host    from 1.
     * @param number  from 1: the host's first process, second, ...
     * @param jvm     the process, or null for a process known only by its log (a test of the analysis).
     * @param log     its log.
     * @param startMs when it was started, epoch ms.
     */
    Incarnation(final int host, final int number, final ChildJvm jvm, final NodeLog log, final long startMs)
    {
        this.host = host;
        this.number = number;
        this.jvm = jvm;
        this.log = log;
        this.startMs = startMs;
    }

    /**
     * Records the process's end.
     *
     * @param atMs     when it exited, epoch ms.
     * @param code     its exit code.
     */
    void exited(final long atMs, final int code)
    {
        exitCode = code;
        exitMs = atMs;
    }

    boolean aliveAt(final long atMs)
    {
        final long exit = exitMs;
        return startMs <= atMs && (exit < 0 || atMs < exit);
    }

    public String toString()
    {
        return "h" + host + "#" + number + "(" + (null == jvm ? "" : "pid " + jvm.pid()) +
            (exitMs >= 0 ? ", exit " + exitCode : "") + ")";
    }
}
