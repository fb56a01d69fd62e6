package io.cohort.harness;

import java.util.SplittableRandom;

/**
 * The workload of issue 8, one node's share, as a deterministic sequence of events: first every connection
 * subscribes to {@code roomsPerConnection} distinct rooms drawn with Zipf skew {@code s} over room rank (the
 * default workload: 2 rooms, s = 1), then churn: a random connection unsubscribes from one of its rooms, and
 * subscribes to a freshly drawn room it is not in. The sequence depends only on (seed, slot, connections, rooms,
 * rooms per connection, skew), so anyone can replay the first N events of any node and know its exact counts
 * ({@link #replay}). {@link #next()} allocates nothing.
 */
final class Workload
{
    /** The event is a subscription. */
    static final int SUBSCRIBE = 1;
    /** The event is an unsubscription. */
    static final int UNSUBSCRIBE = 2;

    private final SplittableRandom random;
    private final int connections;
    private final int rooms;
    private final int roomsPerConnection;
    private final double skew;
    private final double logRoomsPlusOne;
    private final double roomsPlusOnePowOneMinusSkew;
    private final int[] connectionRooms;
    private long fillCursor;
    private int pendingConnection = -1;
    private int pendingSide;
    private long events;

    /** The kind of the last event: {@link #SUBSCRIBE} or {@link #UNSUBSCRIBE}. */
    int op;
    /** The connection of the last event, an index in [0, connections). */
    int connection;
    /** The room of the last event, an index (rank) in [0, rooms). */
    int room;

    /** Most rooms one connection holds in a workload. */
    static final int MAX_ROOMS_PER_CONNECTION = 64;
    /** Largest Zipf exponent accepted: beyond it nearly every draw is the first room. */
    static final double MAX_SKEW = 4.0;

    /**
     * A node's workload with the default shape: 2 rooms per connection, Zipf s = 1.
     *
     * @param seed        the run's seed.
     * @param slot        the node's slot in the run.
     * @param connections connections of this node.
     * @param rooms       rooms of the run (at least 3, so that two distinct rooms and a fresh one exist).
     */
    Workload(final long seed, final int slot, final int connections, final int rooms)
    {
        this(seed, slot, connections, rooms, 2, 1.0);
    }

    /**
     * A node's workload.
     *
     * @param seed               the run's seed.
     * @param slot               the node's slot in the run.
     * @param connections        connections of this node.
     * @param rooms              rooms of the run: more than {@code roomsPerConnection}, so that a fresh one exists.
     * @param roomsPerConnection distinct rooms each connection holds, 1 to {@value #MAX_ROOMS_PER_CONNECTION}.
     * @param skew               Zipf exponent over room rank, 0 (uniform) to {@value #MAX_SKEW}.
     * @throws IllegalArgumentException naming the parameter that is out of range.
     */
    Workload(
        final long seed,
        final int slot,
        final int connections,
        final int rooms,
        final int roomsPerConnection,
        final double skew)
    {
        if (roomsPerConnection < 1 || roomsPerConnection > MAX_ROOMS_PER_CONNECTION)
        {
            throw new IllegalArgumentException("roomsPerConnection=" + roomsPerConnection + " must be 1 to " +
                MAX_ROOMS_PER_CONNECTION);
        }
        if (rooms < Math.max(3, roomsPerConnection + 1))
        {
            throw new IllegalArgumentException("rooms=" + rooms + " must be at least " +
                Math.max(3, roomsPerConnection + 1) + " (more than roomsPerConnection=" + roomsPerConnection + ")");
        }
        if (!(skew >= 0 && skew <= MAX_SKEW))
        {
            throw new IllegalArgumentException("skew=" + skew + " must be 0 to " + MAX_SKEW);
        }
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + slot);
        this.connections = connections;
        this.rooms = rooms;
        this.roomsPerConnection = roomsPerConnection;
        this.skew = skew;
        this.logRoomsPlusOne = Math.log(rooms + 1.0);
        this.roomsPlusOnePowOneMinusSkew = Math.pow(rooms + 1.0, 1.0 - skew);
        this.connectionRooms = new int[roomsPerConnection * connections];
    }

    /**
     * Moves to the next event (read {@link #op}, {@link #connection}, {@link #room}).
     */
    void next()
    {
        events++;
        final int k = roomsPerConnection;
        if (fillCursor < (long)k * connections)
        {
            final int c = (int)(fillCursor / k);
            final int side = (int)(fillCursor % k);
            // Distinct from the rooms the connection already took.
            final int drawn = zipfExcept(c * k, side);
            connectionRooms[c * k + side] = drawn;
            fillCursor++;
            set(SUBSCRIBE, c, drawn);
            return;
        }
        if (pendingConnection >= 0)
        {
            final int c = pendingConnection;
            // Fresh: none of its rooms, the one it just left included.
            final int drawn = zipfExcept(c * k, k);
            connectionRooms[c * k + pendingSide] = drawn;
            pendingConnection = -1;
            set(SUBSCRIBE, c, drawn);
            return;
        }
        final int c = random.nextInt(connections);
        final int side = random.nextInt(k);
        pendingConnection = c;
        pendingSide = side;
        set(UNSUBSCRIBE, c, connectionRooms[c * k + side]);
    }

    /**
     * Whether the next event is still part of the initial fill ({@code roomsPerConnection} subscriptions per
     * connection).
     *
     * @return true while filling.
     */
    boolean filling()
    {
        return fillCursor < (long)roomsPerConnection * connections;
    }

    /**
     * Events produced so far.
     *
     * @return the count.
     */
    long events()
    {
        return events;
    }

    /**
     * Subscriptions held after the events produced so far.
     *
     * @return live subscriptions.
     */
    long liveSubscriptions()
    {
        return fillCursor - (pendingConnection >= 0 ? 1 : 0);
    }

    /**
     * The exact per-room counts of a node after its first {@code events} events.
     *
     * @param seed        the run's seed.
     * @param slot        the node's slot.
     * @param connections its connections.
     * @param rooms       the run's rooms.
     * @param events      how many events it made.
     * @return count per room rank.
     */
    static long[] replay(final long seed, final int slot, final int connections, final int rooms, final long events)
    {
        return replay(seed, slot, connections, rooms, 2, 1.0, events);
    }

    /**
     * The exact per-room counts of a node after its first {@code events} events, for any workload shape.
     *
     * @param seed               the run's seed.
     * @param slot               the node's slot.
     * @param connections        its connections.
     * @param rooms              the run's rooms.
     * @param roomsPerConnection rooms each connection holds.
     * @param skew               Zipf exponent.
     * @param events             how many events it made.
     * @return count per room rank.
     */
    static long[] replay(
        final long seed,
        final int slot,
        final int connections,
        final int rooms,
        final int roomsPerConnection,
        final double skew,
        final long events)
    {
        final Workload workload = new Workload(seed, slot, connections, rooms, roomsPerConnection, skew);
        final long[] counts = new long[rooms];
        for (long e = 0; e < events; e++)
        {
            workload.next();
            counts[workload.room] += SUBSCRIBE == workload.op ? 1 : -1;
        }
        return counts;
    }

    private void set(final int op, final int connection, final int room)
    {
        this.op = op;
        this.connection = connection;
        this.room = room;
    }

    /**
     * Zipf over ranks by inverse CDF of its continuous approximation, density proportional to (x + 1)^-s on
     * [0, n]: for s = 1, P(rank < k) = log(k + 1) / log(n + 1); otherwise
     * P(rank < k) = ((k + 1)^(1-s) - 1) / ((n + 1)^(1-s) - 1), which is uniform for s = 0.
     */
    private int zipf()
    {
        final double u = random.nextDouble();
        final double x = 1.0 == skew ?
            Math.exp(u * logRoomsPlusOne) :
            Math.pow(1.0 + u * (roomsPlusOnePowOneMinusSkew - 1.0), 1.0 / (1.0 - skew));
        final int rank = (int)Math.floor(x) - 1;
        return Math.min(rooms - 1, Math.max(0, rank));
    }

    /**
     * A Zipf draw that is none of {@code connectionRooms[from, from + count)}.
     */
    private int zipfExcept(final int from, final int count)
    {
        while (true)
        {
            final int drawn = zipf();
            boolean taken = false;
            for (int i = from, end = from + count; i < end; i++)
            {
                if (connectionRooms[i] == drawn)
                {
                    taken = true;
                    break;
                }
            }
            if (!taken)
            {
                return drawn;
            }
        }
    }
}
