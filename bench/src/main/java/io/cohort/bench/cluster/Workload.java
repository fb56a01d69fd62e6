package io.cohort.bench.cluster;

import java.util.SplittableRandom;

/**
 * The default workload of issue 8, one node's share, as a deterministic sequence of events: first every
 * connection subscribes to two distinct rooms drawn with Zipf skew (s = 1) over room rank, then churn: a random
 * connection unsubscribes from one of its rooms, and subscribes to a freshly drawn room it is not in. The
 * sequence depends only on (seed, slot, connections, rooms), so anyone can replay the first N events of any node
 * and know its exact counts ({@link #replay}). {@link #next()} allocates nothing.
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
    private final double logRoomsPlusOne;
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

    /**
     * A node's workload.
     *
     * @param seed        the run's seed.
     * @param slot        the node's slot in the run.
     * @param connections connections of this node.
     * @param rooms       rooms of the run (at least 3, so that two distinct rooms and a fresh one exist).
     */
    Workload(final long seed, final int slot, final int connections, final int rooms)
    {
        if (rooms < 3)
        {
            throw new IllegalArgumentException("rooms=" + rooms + " must be at least 3");
        }
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + slot);
        this.connections = connections;
        this.rooms = rooms;
        this.logRoomsPlusOne = Math.log(rooms + 1.0);
        this.connectionRooms = new int[2 * connections];
    }

    /**
     * Moves to the next event (read {@link #op}, {@link #connection}, {@link #room}).
     */
    void next()
    {
        events++;
        if (fillCursor < 2L * connections)
        {
            final int c = (int)(fillCursor >> 1);
            final int side = (int)(fillCursor & 1);
            final int drawn = 0 == side ? zipf() : zipfExcept(connectionRooms[2 * c], -1);
            connectionRooms[2 * c + side] = drawn;
            fillCursor++;
            set(SUBSCRIBE, c, drawn);
            return;
        }
        if (pendingConnection >= 0)
        {
            final int c = pendingConnection;
            final int drawn = zipfExcept(connectionRooms[2 * c], connectionRooms[2 * c + 1]);
            connectionRooms[2 * c + pendingSide] = drawn;
            pendingConnection = -1;
            set(SUBSCRIBE, c, drawn);
            return;
        }
        final int c = random.nextInt(connections);
        final int side = random.nextInt(2);
        pendingConnection = c;
        pendingSide = side;
        set(UNSUBSCRIBE, c, connectionRooms[2 * c + side]);
    }

    /**
     * Whether the next event is still part of the initial fill (two subscriptions per connection).
     *
     * @return true while filling.
     */
    boolean filling()
    {
        return fillCursor < 2L * connections;
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
        final Workload workload = new Workload(seed, slot, connections, rooms);
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
     * Zipf (s = 1) over ranks by inverse CDF of its continuous approximation: P(rank < k) = log(k + 1) / log(n + 1).
     */
    private int zipf()
    {
        final int rank = (int)Math.floor(Math.exp(random.nextDouble() * logRoomsPlusOne)) - 1;
        return Math.min(rooms - 1, Math.max(0, rank));
    }

    private int zipfExcept(final int a, final int b)
    {
        int drawn;
        do
        {
            drawn = zipf();
        }
        while (drawn == a || drawn == b);
        return drawn;
    }
}
