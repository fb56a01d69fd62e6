package io.cohort.bench.state;

import io.cohort.state.StateContext;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.values.Values;
import org.agrona.CloseHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Cost of the state's hot operations on a prepared state of {@value #ROOMS} rooms, {@value #CONNECTIONS}
 * connections with two rooms each (and 65,536 with one), and {@value #REMOTE_OWNERS} remote owners holding a count in every room:
 * <ul>
 * <li>a subscribe + unsubscribe pair of the first local subscriber of a room that remote owners' subscribers
 * hold (this node's count goes from 0 to 1 and back);</li>
 * <li>a subscribe + unsubscribe pair, for a connection with no room yet (insert and remove of its entry) and
 * for one that holds a room already (an in-place edit of its entry);</li>
 * <li>applying a remote owner's absolute count (an in-place update);</li>
 * <li>the cluster-wide count of a room, the routing check of one owner, and the routing decision of one
 * notification (every owner with subscribers in the room, {@value #REMOTE_OWNERS} remote ones and this node).</li>
 * </ul>
 * Two baselines show what Chronicle Map alone costs on this machine for a map of the same size: a plain
 * {@code getUsing}, and a read-modify-write through a query context (what every state update does once).
 * Run with {@code -prof gc} to see the allocation per operation (0 B/op expected). {@code -p maxNodes=64} sizes the
 * state for the library's default cluster size instead of exactly for its owners (a room's counts may then lay out
 * differently: fewer fit in the room's own slot of the count table).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StateBenchmark
{
    static final int ROOMS = 100_000;
    static final int CONNECTIONS = 200_000;
    static final int REMOTE_OWNERS = 4;
    private static final long LOCAL_NODE = 1;
    private static final int MASK = 64 * 1024 - 1;
    private static final long FRESH_CONNECTION = 10_000_000;
    private static final int REMOTE_ONLY_ROOMS = 1024;
    private static final long FIRST_ANCHORED_CONNECTION = 20_000_000;

    private final long[] rooms = new long[ROOMS];
    private final long[] cycleRooms = new long[MASK + 1];
    private final long[] remoteOnlyRooms = new long[REMOTE_ONLY_ROOMS];
    /** The configured cluster size ({@code cohort.state.max.nodes}); 0 for exactly this node and the remote owners. */
    @Param({ "0" })
    public int maxNodes;
    private SubscriptionState state;
    private ChronicleMap<LongValue, LongValue> baseline;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final LongValue value = Values.newHeapInstance(LongValue.class);
    private final LongValue nativeValue = Values.newNativeReference(LongValue.class);
    private long sink;
    private final LongConsumer router = (owner) -> sink += owner;
    private int index;

    /**
     * Builds the prepared state; takes a few seconds (map creation, rooms and subscriptions).
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        state = new SubscriptionState(new StateContext()
            .localNodeId(LOCAL_NODE)
            .maxRooms(ROOMS + 1 + REMOTE_ONLY_ROOMS)
            .maxConnections(CONNECTIONS + MASK + 2)
            .maxOverflowSubscriptions(1024)
            .averageRoomBytes(Rooms.AVERAGE_ROOM_BYTES)
            .maxNodes(0 == maxNodes ? 1 + REMOTE_OWNERS : maxNodes),
            (roomId, previousCount, newCount) -> sink += newCount);
        for (int i = 0; i < ROOMS; i++)
        {
            rooms[i] = Rooms.create(state, i);
        }
        for (int c = 1; c <= CONNECTIONS; c++)
        {
            state.subscribe(c, rooms[(c * 2) % ROOMS]);
            state.subscribe(c, rooms[(c * 2 + 1) % ROOMS]);
        }
        for (int owner = 2; owner < 2 + REMOTE_OWNERS; owner++)
        {
            for (int i = 0; i < ROOMS; i++)
            {
                state.applyRemote(owner, rooms[i], 1 + (i % 7));
            }
        }
        // Connections holding one room that no benchmark cycles through, so a pair never touches it.
        final long anchorRoom = Rooms.create(state, ROOMS);
        for (int i = 0; i <= MASK; i++)
        {
            state.subscribe(FIRST_ANCHORED_CONNECTION + i, anchorRoom);
        }
        // Rooms where only remote owners have subscribers: a local subscribe adds this node's pair to the entry.
        for (int i = 0; i < REMOTE_ONLY_ROOMS; i++)
        {
            remoteOnlyRooms[i] = Rooms.create(state, ROOMS + 1 + i);
            for (int owner = 2; owner < 2 + REMOTE_OWNERS; owner++)
            {
                state.applyRemote(owner, remoteOnlyRooms[i], 3);
            }
        }
        baseline = ChronicleMap.of(LongValue.class, LongValue.class).entries(ROOMS).create();
        for (int i = 0; i < ROOMS; i++)
        {
            key.setValue(rooms[i]);
            value.setValue(i);
            baseline.put(key, value);
        }
        for (int i = 0; i <= MASK; i++)
        {
            cycleRooms[i] = rooms[(int)((i * 2_654_435_761L) % ROOMS)];
        }
    }

    /**
     * Closes the maps.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(state, baseline);
    }

    /**
     * Subscribe then unsubscribe a connection that held no room: its entry is inserted then removed.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public StateResult subscribeUnsubscribeNewConnection()
    {
        final long room = cycleRooms[index++ & MASK];
        final long connection = FRESH_CONNECTION;
        state.subscribe(connection, room);
        return state.unsubscribe(connection, room);
    }

    /**
     * Subscribe then unsubscribe a second room of a connection that holds one: its entry is edited in place.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public StateResult subscribeUnsubscribeExistingConnection()
    {
        final int i = index++ & MASK;
        final long connection = FIRST_ANCHORED_CONNECTION + i;
        final long room = cycleRooms[i];
        state.subscribe(connection, room);
        return state.unsubscribe(connection, room);
    }

    /**
     * Subscribe then unsubscribe the first local subscriber of a room where remote owners have subscribers: the
     * local count goes from 0 to 1 and back, so this node's pair is added to the room's entry and taken out.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public StateResult subscribeUnsubscribeFirstLocalSubscriber()
    {
        final long room = remoteOnlyRooms[index++ & (REMOTE_ONLY_ROOMS - 1)];
        final long connection = FRESH_CONNECTION;
        state.subscribe(connection, room);
        return state.unsubscribe(connection, room);
    }

    /**
     * Apply a remote owner's new absolute count in a room where it has a row.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public StateResult applyRemote()
    {
        final int i = index++;
        return state.applyRemote(2 + (i & 3), cycleRooms[i & MASK], 1 + ((i >>> 2) & 7));
    }

    /**
     * Cluster-wide count of a room.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public long roomCount()
    {
        return state.roomCount(cycleRooms[index++ & MASK]);
    }

    /**
     * Whether one owner has subscribers in a room: the routing check of a notification.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public boolean hasSubscribers()
    {
        final int i = index++;
        return state.hasSubscribers(2 + (i & 3), cycleRooms[i & MASK]);
    }

    /**
     * The routing decision of one notification: every owner with subscribers in a room.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public int routeNotification()
    {
        return state.forEachOwnerWithSubscribers(cycleRooms[index++ & MASK], router);
    }

    /**
     * Baseline: Chronicle Map's own {@code getUsing} on a map of {@value #ROOMS} long keys and values.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public long baselineChronicleGetUsing()
    {
        key.setValue(cycleRooms[index++ & MASK]);
        return baseline.getUsing(key, value).getValue();
    }

    /**
     * Baseline: one read-modify-write through a query context with the update lock, as the state does.
     *
     * @return a value for the blackhole.
     */
    @Benchmark
    public long baselineChronicleContextUpdate()
    {
        key.setValue(cycleRooms[index++ & MASK]);
        try (ExternalMapQueryContext<LongValue, LongValue, ?> context = baseline.queryContext(key))
        {
            context.updateLock().lock();
            final LongValue found = context.entry().value().getUsing(nativeValue);
            final long next = found.getValue() + 1;
            found.setValue(next);
            return next;
        }
    }
}
