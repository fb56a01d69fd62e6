package io.cohort.node.stat;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.engine.RefusalReason;
import io.cohort.engine.RefusedOperation;
import io.cohort.transport.CounterType;
import io.cohort.transport.CountersFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error in a handler does not stop the node: it is passed to the configured error handler and counted in the
 * node's errors counter, which {@code cohort stat} shows.
 */
class NodeErrorsTest
{
    @TempDir
    File countersDir;

    @Test
    @Timeout(60)
    void shouldCountAnErrorInAHandlerAndShowItInStat() throws Exception
    {
        final List<Throwable> reported = new CopyOnWriteArrayList<>();
        final CohortContext context = new CohortContext().nodeId(0xe1).jmxEnabled(false)
            .errorHandler(reported::add)
            .listener(new CohortListener()
            {
                public void onRefused(final RefusedOperation operation, final long connectionId, final long roomId,
                    final RefusalReason reason)
                {
                    throw new IllegalStateException("listener failed on " + operation);
                }
            });
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(countersDir.getPath());
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(4).maxOverflowSubscriptions(1024);

        try (CohortNode node = Cohort.launch(context))
        {
            assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS));
            final File file = CountersFileReader.list(countersDir).get(0);
            try (CountersFileReader reader = CountersFileReader.open(file))
            {
                assertEquals(0, reader.valueOf(CounterType.NODE_ERRORS, -1));

                assertEquals(CallResult.ACCEPTED, node.subscribe(7, 12345));  // an unknown room: refused
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reader.valueOf(CounterType.NODE_ERRORS, -1) < 1)
                {
                    assertTrue(System.nanoTime() < deadline, "error not counted");
                    Thread.sleep(5);
                }
                assertEquals(1, reader.valueOf(CounterType.NODE_ERRORS, -1));
            }
            assertEquals(1, reported.size(), reported.toString());
            assertEquals("listener failed on SUBSCRIBE", reported.get(0).getMessage());

            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, CohortStat.run(new String[]{ "--dir", countersDir.getPath(), "--once" },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                err.toString(StandardCharsets.UTF_8));
            final String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("state RUNNING") && text.contains("  errors 1\n"), text);
        }
    }
}
