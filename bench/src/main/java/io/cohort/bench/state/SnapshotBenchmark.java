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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost per row of a snapshot, the way a joining member takes one: {@value #ROOMS} rooms with a count of each of
 * {@value #OWNERS} owners in every room ({@value #ROWS} count rows, plus one row per room). {@code encode} streams
 * them into frames (copied into one off-heap buffer standing in for the socket); {@code load} decodes those frames
 * into an emptied state and checks that the result is complete. Time is per row ({@link OperationsPerInvocation}),
 * so the figure compares with the state's other operations; run with {@code -prof gc}: both paths are meant to
 * allocate nothing per row. {@link SnapshotBenchMain} times the same at 1 M rooms, where the maps no longer fit
 * in the caches. {@code -p maxNodes=64} sizes both states for the library's default cluster size instead of exactly
 * for the owners.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SnapshotBenchmark
{
    static final int ROOMS = 10_000;
    static final int OWNERS = 5;
    static final int ROWS = ROOMS * OWNERS;
    private static final long SOURCE_NODE = 1;
    private static final long TARGET_NODE = 99;

    /** The configured cluster size ({@code cohort.state.max.nodes}); 0 for exactly the owners and the target. */
    @Param({ "0" })
    public int maxNodes;
    private SubscriptionState source;
    private SubscriptionState target;
    private SnapshotWriter writer;
    private SnapshotLoader loader;
    private UnsafeBuffer store;
    private final IntArrayList offsets = new IntArrayList(1024, -1);
    private final IntArrayList lengths = new IntArrayList(1024, -1);
    private int position;
    private long correlationId;

    /**
     * Builds the source state and one encoded snapshot of it for the load benchmark.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        source = new SubscriptionState(context(SOURCE_NODE), (roomId, previous, current) -> { });
        for (int i = 0; i < ROOMS; i++)
        {
            final long roomId = Rooms.create(source, i);
            source.subscribe(i + 1, roomId);
            for (int owner = 2; owner <= OWNERS; owner++)
            {
                source.applyRemote(owner, roomId, 1 + (i + owner) % 100);
            }
        }
        target = new SubscriptionState(context(TARGET_NODE), (roomId, previous, current) -> { });
        store = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024 * 1024, 64));
        writer = new SnapshotWriter(source, this::storeFrame);
        loader = new SnapshotLoader(target, (owner, incarnation, sequence, rows) -> { });
        encode();
    }

    /**
     * Empties the target before each load: a load is into a state that has none of those rows yet.
     */
    @Setup(Level.Invocation)
    public void emptyTarget()
    {
        target.reset(TARGET_NODE);
    }

    /**
     * Closes both states.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(source, target);
    }

    /**
     * Streams every owner's rows and every room into frames.
     *
     * @return bytes written, so that the work is not dead code.
     */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int encode()
    {
        position = 0;
        offsets.clear();
        lengths.clear();
        writer.begin(SOURCE_NODE, 1, TARGET_NODE, ++correlationId);
        for (long owner = 1; owner <= OWNERS; owner++)
        {
            writer.writeOwner(owner, 1, 1000 + owner);
        }
        writer.writeRoomsAndEnd();
        return position;
    }

    /**
     * Streams every room a segment of the rooms map at a time, as a member serving a joiner's snapshot does, one
     * segment per unit of a duty cycle's slice: the time per room times the rooms of a segment is what one unit
     * holds the node's thread.
     *
     * @return the rooms visited, so that the work is not dead code.
     */
    @Benchmark
    @OperationsPerInvocation(ROOMS)
    public long roomSegments()
    {
        position = 0;
        offsets.clear();
        lengths.clear();
        writer.begin(SOURCE_NODE, 1, TARGET_NODE, ++correlationId);
        writer.beginRooms();
        long visited = 0;
        for (int segment = 0, segments = writer.roomSegments(); segment < segments; segment++)
        {
            visited += writer.writeRoomSegment(segment);
        }
        writer.end();
        return visited;
    }

    /**
     * Loads the frames encoded at setup into the emptied target.
     *
     * @return the rows loaded.
     */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long load()
    {
        loader.begin(correlationId);
        SnapshotLoadResult result = SnapshotLoadResult.LOADING;
        for (int i = 0, size = offsets.size(); i < size && !result.isFailure(); i++)
        {
            result = loader.onFrame(store, offsets.getInt(i), lengths.getInt(i));
        }
        if (SnapshotLoadResult.COMPLETE != result)
        {
            throw new IllegalStateException("snapshot load ended " + result + ": " + loader.failureDescription());
        }
        return target.totalRows();
    }

    private void storeFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        store.putBytes(position, buffer, offset, length);
        offsets.addInt(position);
        lengths.addInt(length);
        position += length;
    }

    private StateContext context(final long nodeId)
    {
        return new StateContext()
            .localNodeId(nodeId)
            .maxRooms(ROOMS)
            .maxConnections(ROOMS)
            .maxOverflowSubscriptions(1024)
            .averageRoomBytes(Rooms.AVERAGE_ROOM_BYTES)
            .maxNodes(0 == maxNodes ? OWNERS + 1 : maxNodes);
    }
}
