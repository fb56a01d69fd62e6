package io.cohort.harness;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import org.agrona.CloseHelper;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Time for a node to join a cluster holding many rooms: from {@link Cohort#launch} (off-heap state creation
 * included) to RUNNING, with the member's rows and every room loaded.
 * <p>
 * Usage: {@code ./cohort run io.cohort.harness.JoinTimeMain [rooms]} (default 1,000,000).
 */
public final class JoinTimeMain
{
    private JoinTimeMain()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args optional number of rooms.
     * @throws Exception if the nodes cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final File dir = Files.createTempDirectory("cohort-join").toFile();
        CohortNode first = null;
        CohortNode joiner = null;
        try
        {
            first = Cohort.launch(context(1, "", dir, rooms));
            if (!first.awaitState(NodeState.RUNNING, 60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("first node did not start: " + first.failure());
            }
            final long createStart = System.nanoTime();
            for (int r = 0; r < rooms; r++)
            {
                final String collection = "c" + r;
                while (CallResult.BACK_PRESSURED == first.createRoom("bench", collection, new byte[0]))
                {
                    Thread.onSpinWait();
                }
                if ((r & 0xFFFF) == 0)
                {
                    System.out.printf("\rcreating rooms: %,d", r);
                }
            }
            final long lastRoom = CohortNode.roomId("bench", "c" + (rooms - 1), new byte[0]);
            final long connection = 1;
            while (CallResult.ACCEPTED != first.subscribe(connection, lastRoom))
            {
                Thread.onSpinWait();
            }
            while (first.subscriberCount(lastRoom) != 1)
            {
                Thread.sleep(1);
            }
            System.out.printf("\r%,d rooms created on the first node in %.2f s%n", rooms,
                (System.nanoTime() - createStart) / 1e9);

            final long joinStart = System.nanoTime();
            joiner = Cohort.launch(context(2, first.commandEndpoint().substring("tcp://".length()), dir, rooms));
            final long launchedNs = System.nanoTime() - joinStart;
            if (!joiner.awaitState(NodeState.RUNNING, 120, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("joiner did not join: " + joiner.failure());
            }
            final long joinNs = System.nanoTime() - joinStart;
            System.out.printf("join of a cluster holding %,d rooms: %.3f s to RUNNING " +
                "(%.3f s of it creating the off-heap state), joiner sees the subscriber: %s%n",
                rooms, joinNs / 1e9, launchedNs / 1e9, joiner.subscriberCount(lastRoom) == 1);
        }
        finally
        {
            CloseHelper.quietCloseAll(joiner, first);
        }
        System.exit(0);
    }

    private static CohortContext context(final long nodeId, final String seeds, final File dir, final int rooms)
    {
        final CohortContext context = new CohortContext().nodeId(nodeId).seeds(seeds)
            .joinTimeoutNs(TimeUnit.SECONDS.toNanos(120)).commandTimeoutNs(TimeUnit.SECONDS.toNanos(30));
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0).countersDir(dir.getPath());
        context.stateContext().maxRooms(Math.max(1024, rooms + rooms / 4)).maxConnections(1024).maxNodes(4);
        return context;
    }
}
