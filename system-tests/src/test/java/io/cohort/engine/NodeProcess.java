package io.cohort.engine;

import io.cohort.node.CohortMain;
import io.cohort.test.Await;
import io.cohort.test.ChildJvm;
import io.cohort.test.LineClient;

import java.util.List;

/**
 * One node JVM of a multi-process test: a {@link ScriptedNodeMain} driven over the line protocol, or a launcher
 * ({@link CohortMain}) read through its log only.
 */
final class NodeProcess
{
    final String name;
    final ChildJvm jvm;
    final Process process;
    private final LineClient client;
    String id = "?";
    int commandPort;

    NodeProcess(final String name, final ChildJvm jvm, final boolean scripted)
    {
        this.name = name;
        this.jvm = jvm;
        this.process = jvm.process();
        this.client = scripted ? LineClient.of(jvm) : null;
    }

    boolean isScripted()
    {
        return null != client;
    }

    /**
     * Sends a command and returns its answer.
     *
     * @return the text after {@code OK}; fails on {@code ERR} or silence.
     */
    String ok(final String command)
    {
        return scripted().ok(command, boundMs(command));
    }

    String call(final String command)
    {
        return scripted().call(command, boundMs(command));
    }

    List<String> events(final String prefix)
    {
        return scripted().events(prefix);
    }

    /**
     * Waits for {@code E LAUNCHED id endpoint} and takes the node's id from it.
     */
    void awaitLaunched() throws InterruptedException
    {
        Await.until(this + " launched", NodeProcesses.JOIN_BOUND_MS, () -> !events("LAUNCHED ").isEmpty() ||
            !events("FAILED ").isEmpty() || !process.isAlive(), this::tail);
        final List<String> launched = events("LAUNCHED ");
        if (launched.isEmpty())
        {
            throw new AssertionError(this + " failed to launch: " + events("FAILED ") + ", alive " +
                process.isAlive() + "\n" + tail());
        }
        id = launched.get(0).split(" ")[1];
    }

    void awaitOutputEnd() throws InterruptedException
    {
        scripted().awaitOutputEnd(NodeProcesses.EXIT_BOUND_MS);
    }

    void sigterm()
    {
        jvm.sigterm();
    }

    String log()
    {
        return jvm.log();
    }

    String tail()
    {
        return jvm.tail();
    }

    public String toString()
    {
        return name + "(pid " + process.pid() + ", id " + id + ")";
    }

    private LineClient scripted()
    {
        if (null == client)
        {
            throw new IllegalStateException(this + " is not a scripted node");
        }
        return client;
    }

    /** An await answers by itself within its own bound; give it more than that. */
    private static long boundMs(final String command)
    {
        return command.startsWith("await ") ?
            Long.parseLong(command.substring(command.lastIndexOf(' ') + 1)) + NodeProcesses.BOUND_MS :
            NodeProcesses.BOUND_MS;
    }
}
