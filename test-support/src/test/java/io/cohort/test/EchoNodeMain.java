package io.cohort.test;

import java.io.IOException;

/**
 * A child for {@link ChildJvmTest}: answers {@code prop NAME} with a system property, {@code echo ...} with its
 * words, {@code fail} with an exception, and emits {@code STARTED pid} first.
 */
public final class EchoNodeMain
{
    private EchoNodeMain()
    {
    }

    /**
     * Serves commands until quit or the end of stdin.
     *
     * @param args none.
     * @throws IOException if stdin fails.
     */
    public static void main(final String[] args) throws IOException
    {
        final CommandLoop loop = new CommandLoop()
            .on("prop", (words) -> LineProtocol.ok(System.getProperty(words[1], "unset")))
            .on("echo", (words) -> LineProtocol.ok(String.join(" ", words).substring("echo ".length())))
            .on("fail", (words) ->
            {
                throw new IllegalStateException("asked to\nfail");
            });
        loop.emit("STARTED " + ProcessHandle.current().pid());
        loop.run();
    }
}
