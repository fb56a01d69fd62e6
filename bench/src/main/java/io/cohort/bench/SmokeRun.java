package io.cohort.bench;

import io.cohort.engine.CallResult;
import io.cohort.engine.Cohort;
import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What {@code ./cohort demo} runs today: a three-node cluster on loopback (three nodes in this process, each with
 * its own sockets, off-heap state and thread), which forms through a seed, replicates rooms and subscriptions
 * with churn, checks that every node sees the same cluster-wide counts and the same digest of every owner's rows,
 * routes notifications only to nodes with subscribers, and removes a leaver's rows everywhere. Exits non-zero if
 * any check fails.
 * <p>
 * Usage: {@code ./cohort demo [connectionsPerNode] [rooms] [churnSeconds]}.
 */
public final class SmokeRun
{
    private static final int NODES = 3;

    private SmokeRun()
    {
    }

    /**
     * Runs the smoke run.
     *
     * @param args optional connections per node (default 20000), rooms (default 1000), churn seconds (default 3).
     * @throws Exception if the run cannot be set up.
     */
    public static void main(final String[] args) throws Exception
    {
        final int connections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int roomCount = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        final int churnSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final File countersDir = Files.createTempDirectory("cohort-demo").toFile();
        final List<CohortNode> nodes = new ArrayList<>();
        final AtomicLong[] delivered = new AtomicLong[NODES];
        boolean ok = true;
        try
        {
            final long start = System.nanoTime();
            step("starting " + NODES + " nodes on 127.0.0.1");
            for (int i = 0; i < NODES; i++)
            {
                delivered[i] = new AtomicLong();
                final String seeds = 0 == i ? "" : nodes.get(0).commandEndpoint().substring("tcp://".length());
                nodes.add(Cohort.launch(context(i + 1, seeds, countersDir, connections, roomCount, delivered[i])));
                if (!nodes.get(i).awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("node " + (i + 1) + " did not start: " + nodes.get(i).failure());
                }
            }
            ok &= check("every node RUNNING with " + (NODES - 1) + " members", () -> fullMembership(nodes));
            System.out.printf("  cluster formed in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

            step("creating " + roomCount + " rooms on node 1");
            final long[] rooms = new long[roomCount];
            for (int r = 0; r < roomCount; r++)
            {
                final String collection = "collection-" + r;
                final byte[] filter = { (byte)r };
                rooms[r] = CohortNode.roomId("demo", collection, filter);
                retry(() -> nodes.get(0).createRoom("demo", collection, filter));
            }
            for (int i = 1; i < NODES; i++)
            {
                final CohortNode node = nodes.get(i);
                for (int r = 0; r < roomCount; r++)
                {
                    final String collection = "collection-" + r;
                    final byte[] filter = { (byte)r };
                    retry(() -> node.createRoom("demo", collection, filter));
                }
            }

            step("subscribing " + connections + " connections x 2 rooms on each node");
            final Random random = new Random(42);
            final long subscribeStart = System.nanoTime();
            for (int i = 0; i < NODES; i++)
            {
                final CohortNode node = nodes.get(i);
                for (int c = 1; c <= connections; c++)
                {
                    final long connection = (long)(i + 1) << 32 | c;
                    retry(() -> node.subscribe(connection, rooms[zipf(random, roomCount)]));
                    retry(() -> node.subscribe(connection, rooms[zipf(random, roomCount)]));
                }
            }
            ok &= check("every replica equal to its owner (digests) and equal counts everywhere",
                () -> converged(nodes, rooms));
            final double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
            System.out.printf("  %,d subscriptions replicated and verified in %.2f s (%,.0f/s)%n",
                NODES * connections * 2L, subscribeSeconds, NODES * connections * 2L / subscribeSeconds);

            step("churn for " + churnSeconds + " s: unsubscribe one room, subscribe another, on every node");
            long churnEvents = 0;
            final long churnEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(churnSeconds);
            while (System.nanoTime() < churnEnd)
            {
                for (int i = 0; i < NODES; i++)
                {
                    final CohortNode node = nodes.get(i);
                    final long connection = (long)(i + 1) << 32 | (1 + random.nextInt(connections));
                    final long oldRoom = rooms[zipf(random, roomCount)];
                    final long newRoom = rooms[zipf(random, roomCount)];
                    retry(() -> node.unsubscribe(connection, oldRoom));
                    retry(() -> node.subscribe(connection, newRoom));
                    churnEvents += 2;
                }
            }
            ok &= check("converged after churn", () -> converged(nodes, rooms));
            System.out.printf("  %,d churn calls, %,.0f/s offered across the cluster%n",
                churnEvents, churnEvents / (double)churnSeconds);

            step("routing: a room only node 2 subscribes to");
            final long privateRoom = CohortNode.roomId("demo", "private", new byte[0]);
            for (final CohortNode node : nodes)
            {
                retry(() -> node.createRoom("demo", "private", new byte[0]));
            }
            retry(() -> nodes.get(1).subscribe(999_999, privateRoom));
            ok &= check("node 1 sees node 2's subscriber", () -> nodes.get(0).subscriberCount(2, privateRoom) == 1);
            final UnsafeBuffer payload = new UnsafeBuffer("hello".getBytes());
            for (int n = 0; n < 100; n++)
            {
                retry(() -> nodes.get(0).publish(privateRoom, payload, 0, payload.capacity()));
            }
            ok &= check("100 notifications reached node 2", () -> delivered[1].get() == 100);
            TimeUnit.MILLISECONDS.sleep(100);
            ok &= check("node 3, without subscribers, received none", () -> 0 == delivered[2].get());

            step("node 3 leaves gracefully");
            final CohortNode leaver = nodes.remove(NODES - 1);
            final long leaverId = leaver.nodeId();
            leaver.close();
            ok &= check("its rows are gone everywhere", () ->
                nodes.get(0).digest(leaverId) == 0 && nodes.get(1).digest(leaverId) == 0 &&
                nodes.get(0).members().length == 1 && nodes.get(1).members().length == 1);
            ok &= check("survivors still agree", () -> converged(nodes, rooms));
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED: " + ex.getMessage());
            ok = false;
        }
        finally
        {
            nodes.forEach(CloseHelper::quietClose);
        }
        System.out.println(ok ? "demo: all checks passed" : "demo: FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static CohortContext context(
        final long nodeId,
        final String seeds,
        final File countersDir,
        final int connections,
        final int rooms,
        final AtomicLong delivered)
    {
        final CohortContext context = new CohortContext().nodeId(nodeId).seeds(seeds)
            .listener(new CohortListener()
            {
                public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
                {
                    delivered.incrementAndGet();
                }
            });
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(countersDir.getPath());
        context.stateContext().maxNodes(4).maxRooms(Math.max(1024, rooms * 2L))
            .maxConnections(Math.max(1024, connections * 2L));
        return context;
    }

    private static int zipf(final Random random, final int n)
    {
        // Inverse-CDF approximation of Zipf(s = 1): a few rooms are hot, most are cold.
        final double u = random.nextDouble();
        return (int)Math.min(n - 1, Math.floor(Math.pow(n + 1, u)) - 1);
    }

    private static boolean fullMembership(final List<CohortNode> nodes)
    {
        for (final CohortNode node : nodes)
        {
            if (NodeState.RUNNING != node.state() || node.members().length != nodes.size() - 1)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean converged(final List<CohortNode> nodes, final long[] rooms)
    {
        for (final CohortNode owner : nodes)
        {
            final long digest = owner.digest(owner.nodeId());
            for (final CohortNode replica : nodes)
            {
                if (replica.digest(owner.nodeId()) != digest)
                {
                    return false;
                }
            }
        }
        for (final long room : rooms)
        {
            final long count = nodes.get(0).subscriberCount(room);
            for (final CohortNode node : nodes)
            {
                if (node.subscriberCount(room) != count)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static void retry(final java.util.function.Supplier<CallResult> call)
    {
        CallResult result;
        while (CallResult.BACK_PRESSURED == (result = call.get()))
        {
            Thread.onSpinWait();
        }
        if (CallResult.ACCEPTED != result)
        {
            throw new IllegalStateException("call refused: " + result);
        }
    }

    private static void step(final String what)
    {
        System.out.println("- " + what);
    }

    private static boolean check(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                System.out.println("  FAIL: " + what);
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        System.out.println("  ok: " + what);
        return true;
    }
}
