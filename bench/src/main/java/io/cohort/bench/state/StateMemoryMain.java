package io.cohort.bench.state;

import io.cohort.state.StateConfiguration;
import io.cohort.state.StateContext;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds N local subscriptions and prints what they cost: Chronicle's reserved off-heap bytes per
 * subscription (its {@code offHeapMemoryUsed()}, the configured capacity sized exactly to the run), the
 * process's resident memory growth per subscription (what was actually touched), heap used after
 * {@code System.gc()}, and the time taken.
 * <pre>
 *   java @jvm.options -cp benchmarks.jar io.cohort.bench.state.StateMemoryMain [connections] [roomsPerConnection] [rooms]
 *       [remoteOwnersPerRoom]
 * </pre>
 * Defaults: 5,000,000 connections x 2 rooms over 1,000,000 rooms, with {@value #OWNERS} owner slots
 * (override with {@code -Dcohort.state.max.nodes}) and no remote counts; with remote owners per room, each room
 * also gets a count of that many remote owners, and the room counts' bytes per room are printed.
 */
public final class StateMemoryMain
{
    static final int OWNERS = 5;

    private StateMemoryMain()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args connections, rooms per connection, rooms.
     * @throws IOException if /proc/self/status cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        final int connections = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        final int roomsPerConnection = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        final int rooms = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        final int remoteOwners = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        final long subscriptions = (long)connections * roomsPerConnection;
        final int inline = StateConfiguration.INLINE_ROOMS_PER_CONNECTION;
        final long overflow = Math.max(1024, (long)connections * Math.max(0, roomsPerConnection - inline));

        final long rssBefore = residentBytes();
        final long start = System.nanoTime();
        try (SubscriptionState state = new SubscriptionState(new StateContext()
            .localNodeId(1)
            .maxRooms(rooms)
            .maxConnections(connections)
            .maxRoomsPerConnection(Math.max(roomsPerConnection, inline))
            .maxOverflowSubscriptions(overflow)
            .averageRoomBytes(Rooms.AVERAGE_ROOM_BYTES)
            .maxNodes(Integer.getInteger(StateConfiguration.MAX_NODES_PROP_NAME, OWNERS)),
            (roomId, previousCount, newCount) -> { }))
        {
            final long created = System.nanoTime();
            final long[] roomIds = new long[rooms];
            for (int i = 0; i < rooms; i++)
            {
                roomIds[i] = Rooms.create(state, i);
            }
            final long roomsDone = System.nanoTime();
            for (int c = 0; c < connections; c++)
            {
                for (int k = 0; k < roomsPerConnection; k++)
                {
                    final int room = (int)(((long)c * roomsPerConnection + k) % rooms);
                    if (StateResult.SUBSCRIBED != state.subscribe(c + 1, roomIds[room]))
                    {
                        throw new IllegalStateException("subscribe failed at connection " + c + ": " +
                            state.appendFullness(new StringBuilder()));
                    }
                }
            }
            final long subscribed = System.nanoTime();
            for (int owner = 0; owner < remoteOwners; owner++)
            {
                for (int i = 0; i < rooms; i++)
                {
                    if (StateResult.APPLIED != state.applyRemote(1000 + owner, roomIds[i], 1 + i % 5))
                    {
                        throw new IllegalStateException("remote count failed for owner " + owner + ": " +
                            state.appendFullness(new StringBuilder()));
                    }
                }
            }
            final long applied = System.nanoTime();

            System.gc();
            System.gc();
            final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            final long offHeap = state.offHeapMemoryUsed();
            final long rssGrowth = residentBytes() - rssBefore;

            System.out.printf("connections=%,d roomsPerConnection=%d rooms=%,d subscriptions=%,d owners=%d%n",
                connections, roomsPerConnection, rooms, subscriptions, state.context().maxNodes());
            System.out.printf("create maps      %8.2f s%n", (created - start) / 1e9);
            System.out.printf("create rooms     %8.2f s (%,.0f rooms/s)%n",
                (roomsDone - created) / 1e9, rooms / ((roomsDone - created) / 1e9));
            System.out.printf("subscribe        %8.2f s (%,.0f subscriptions/s)%n",
                (subscribed - roomsDone) / 1e9, subscriptions / ((subscribed - roomsDone) / 1e9));
            System.out.printf("remote counts    %8.2f s (%d owners per room)%n", (applied - subscribed) / 1e9,
                remoteOwners);
            System.out.printf("room counts off-heap %,d bytes = %.1f B/room%n",
                state.roomCountsOffHeapMemoryUsed(), (double)state.roomCountsOffHeapMemoryUsed() / rooms);
            System.out.printf("off-heap (offHeapMemoryUsed, every table) %,d bytes = %.1f B/subscription%n",
                offHeap, (double)offHeap / subscriptions);
            System.out.printf("resident growth (VmRSS, heap included)  %,d bytes = %.1f B/subscription%n",
                rssGrowth, (double)rssGrowth / subscriptions);
            System.out.printf("heap used after System.gc()            %,d bytes (%.1f MB; room id array %.1f MB)%n",
                heap.getUsed(), heap.getUsed() / 1e6, rooms * 8 / 1e6);
            System.out.println(state.appendFullness(new StringBuilder()));
            if (roomIds.length > 0 && state.localCount(roomIds[0]) < 0)
            {
                throw new IllegalStateException("unreachable: keeps roomIds reachable until the heap is measured");
            }
        }
    }

    static long residentBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
