package io.cohort.bench.state;

import io.cohort.state.SnapshotLoadResult;
import io.cohort.state.SnapshotLoader;
import io.cohort.state.SnapshotWriter;
import io.cohort.state.StateContext;
import io.cohort.state.SubscriptionState;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Times the encoding and the loading of a snapshot of {@code rooms} rooms and {@value #OWNERS} owners holding a
 * count in every room (this node's rows come from real subscriptions). Encoding writes every frame into one large
 * off-heap buffer (a memory copy, standing in for the socket); loading decodes those frames into an empty state.
 * <pre>
 *   java @jvm.options -cp benchmarks.jar io.cohort.bench.state.SnapshotBenchMain [rooms] [runs]
 * </pre>
 * Defaults: 1,000,000 rooms, 3 runs (each load into a fresh state, created before the clock starts). Besides
 * wall time, each phase prints the CPU time of the thread doing it: on a machine shared with other work the
 * wall time includes the time this thread waited for a core, the CPU time does not.
 */
public final class SnapshotBenchMain
{
    static final int OWNERS = 5;
    private static final long SOURCE_NODE = 1;
    private static final long TARGET_NODE = 99;

    private SnapshotBenchMain()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args rooms, runs.
     */
    public static void main(final String[] args)
    {
        final int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;

        final SubscriptionState source = new SubscriptionState(context(SOURCE_NODE, rooms, OWNERS), (r, p, n) -> { });
        final long buildStart = System.nanoTime();
        final long[] roomIds = new long[rooms];
        for (int i = 0; i < rooms; i++)
        {
            roomIds[i] = Rooms.create(source, i);
            source.subscribe(i + 1, roomIds[i]);
        }
        for (int owner = 2; owner <= OWNERS; owner++)
        {
            for (int i = 0; i < rooms; i++)
            {
                source.applyRemote(owner, roomIds[i], 1 + (i + owner) % 100);
            }
        }
        System.out.printf("rooms=%,d owners=%d rows=%,d built in %.2f s%n",
            rooms, OWNERS, source.totalRows(), (System.nanoTime() - buildStart) / 1e9);

        final int frameLength = source.context().snapshotFrameLength();
        final long estimate = source.totalRows() * 16 + (long)rooms * (8 + Rooms.AVERAGE_ROOM_BYTES) +
            64L * frameLength + 16 * 1024 * 1024;
        final UnsafeBuffer store = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int)estimate, 64));
        final IntArrayList offsets = new IntArrayList((int)(estimate / frameLength) * 2 + 16, -1);
        final IntArrayList lengths = new IntArrayList((int)(estimate / frameLength) * 2 + 16, -1);
        final int[] position = { 0 };
        final SnapshotWriter writer = new SnapshotWriter(source, (DirectBuffer buffer, int offset, int length) ->
        {
            store.putBytes(position[0], buffer, offset, length);
            offsets.addInt(position[0]);
            lengths.addInt(length);
            position[0] += length;
        });

        for (int run = 1; run <= runs; run++)
        {
            position[0] = 0;
            offsets.clear();
            lengths.clear();
            final long encodeCpuStart = threads.getCurrentThreadCpuTime();
            final long encodeStart = System.nanoTime();
            writer.begin(SOURCE_NODE, 1, TARGET_NODE, run);
            for (long owner = 1; owner <= OWNERS; owner++)
            {
                writer.writeOwner(owner, 1, 1000 + owner);
            }
            writer.writeRoomsAndEnd();
            final long encodeNs = System.nanoTime() - encodeStart;
            final long encodeCpuNs = threads.getCurrentThreadCpuTime() - encodeCpuStart;

            final SubscriptionState target = new SubscriptionState(
                context(TARGET_NODE, rooms, OWNERS + 1), (r, p, n) -> { });
            try
            {
                final SnapshotLoader loader = new SnapshotLoader(target, (owner, incarnation, sequence, rows) -> { });
                final long loadCpuStart = threads.getCurrentThreadCpuTime();
                final long loadStart = System.nanoTime();
                loader.begin(run);
                SnapshotLoadResult result = SnapshotLoadResult.LOADING;
                for (int i = 0; i < offsets.size() && !result.isFailure(); i++)
                {
                    result = loader.onFrame(store, offsets.getInt(i), lengths.getInt(i));
                }
                final long loadNs = System.nanoTime() - loadStart;
                final long loadCpuNs = threads.getCurrentThreadCpuTime() - loadCpuStart;
                if (SnapshotLoadResult.COMPLETE != result)
                {
                    throw new IllegalStateException("load failed: " + loader.failureDescription());
                }
                for (long owner = 1; owner <= OWNERS; owner++)
                {
                    if (source.ownerDigest(owner) != target.ownerDigest(owner))
                    {
                        throw new IllegalStateException("digest differs for owner " + owner);
                    }
                }
                System.out.printf("run %d: %,d frames, %,d bytes; encode %.3f s (cpu %.3f s, %,.0f rows/s); " +
                    "load %.3f s (cpu %.3f s, %,.0f rows/s)%n",
                    run, offsets.size(), position[0], encodeNs / 1e9, encodeCpuNs / 1e9,
                    source.totalRows() / (encodeNs / 1e9), loadNs / 1e9, loadCpuNs / 1e9,
                    source.totalRows() / (loadNs / 1e9));
            }
            finally
            {
                CloseHelper.close(target);
            }
        }
        CloseHelper.close(source);
    }

    private static StateContext context(final long nodeId, final int rooms, final int owners)
    {
        return new StateContext()
            .localNodeId(nodeId)
            .maxRooms(rooms)
            .maxConnections(rooms)
            .maxOverflowSubscriptions(1024)
            .averageRoomBytes(Rooms.AVERAGE_ROOM_BYTES)
            .maxNodes(owners);
    }
}
