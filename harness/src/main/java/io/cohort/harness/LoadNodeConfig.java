package io.cohort.harness;

import io.cohort.engine.CohortContext;
import io.cohort.engine.CohortListener;
import io.cohort.engine.CohortNode;
import io.cohort.engine.StandaloneProcess;

import java.io.File;
import java.nio.charset.StandardCharsets;

/**
 * The parameters of one {@link LoadNodeMain} process, parsed and checked, and what follows from them alone: the
 * run's room ids (every node computes the same) and the node's context, sized to the run.
 */
final class LoadNodeConfig
{
    /** Parameters of a node process, with defaults (the harness always passes them all). */
    static final String[][] PARAMS = {
        { "slot", "0", "this node's slot in the run" },
        { "seed", "42", "seed of the run's workload" },
        { "connections", "1000", "connections of this node" },
        { "rooms", "1000", "rooms of the run" },
        { "roomsPerConnection", "2", "distinct rooms each connection holds" },
        { "skew", "1", "Zipf exponent of the room draws (0: uniform)" },
        { "slots", "8", "how many slots the run may use (probe files to map)" },
        { "dir", "", "the run's directory (probe files, counters, logs)" },
        { "seeds", "", "host:port of a member to join through, empty for the first node" },
        { "probeRate", "1000", "latency probes per second" },
        { "notifyRate", "0", "notifications published per second" },
        { "notifySize", "64", "bytes of a notification's payload" },
        { "statusMs", "200", "interval of STATUS lines" },
        { "curveKeyFile", "", "CURVE key file, empty for plaintext" },
        { "loadNice", "0", "nice value of the load thread (0: as the node's threads)" },
    };

    /** Probe subscriptions a node may hold besides its workload's connections. */
    private static final long PROBE_CAPACITY = 1L << 18;

    final int slot;
    final long seed;
    final int connections;
    final int rooms;
    final int roomsPerConnection;
    final double skew;
    final File dir;
    /** Interval between latency probes; {@link Long#MAX_VALUE} when probes are off. */
    final long probeIntervalNs;
    /** Interval between notifications; {@link Long#MAX_VALUE} when notifications are off. */
    final long notifyIntervalNs;
    final int notifySize;
    final long statusIntervalMs;
    /** Nice value the load thread gives itself ({@link LoadPriority}). */
    final int loadNice;
    /** The workload's rooms, by index. */
    final long[] roomIds;
    /** The probe room of each slot, by slot. */
    final long[] probeRoomIds;
    private final String seeds;
    private final String curveKeyFile;

    /**
     * @param params the process's {@code name=value} parameters (see {@link #PARAMS}).
     * @throws IllegalArgumentException naming the first bad parameter.
     */
    LoadNodeConfig(final BenchParams params)
    {
        slot = params.integer("slot", 0, 1_000);
        seed = params.number("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        connections = params.integer("connections", 1, 100_000_000);
        rooms = params.integer("rooms", 3, 100_000_000);
        roomsPerConnection = params.integer("roomsPerConnection", 1, Workload.MAX_ROOMS_PER_CONNECTION);
        skew = params.decimal("skew", 0, Workload.MAX_SKEW);
        final int slots = params.integer("slots", slot + 1, 1_000);
        dir = new File(params.text("dir"));
        roomIds = new long[rooms];
        for (int r = 0; r < rooms; r++)
        {
            roomIds[r] = CohortNode.roomId("bench", "rooms", roomFilter(r));
        }
        probeRoomIds = new long[slots];
        for (int s = 0; s < slots; s++)
        {
            probeRoomIds[s] = CohortNode.roomId("bench", "probe", roomFilter(s));
        }
        final long probeRate = params.number("probeRate", 0, 1_000_000);
        probeIntervalNs = 0 == probeRate ? Long.MAX_VALUE : 1_000_000_000L / probeRate;
        final long notifyRate = params.number("notifyRate", 0, 10_000_000);
        notifyIntervalNs = 0 == notifyRate ? Long.MAX_VALUE : 1_000_000_000L / notifyRate;
        notifySize = params.integer("notifySize", 0, 65_536);
        statusIntervalMs = params.number("statusMs", 1, 60_000);
        loadNice = params.integer("loadNice", 0, LoadPriority.MAX_NICE);
        seeds = params.text("seeds");
        curveKeyFile = params.text("curveKeyFile");
    }

    /**
     * The filter of the room (or probe room) with an index: with the collection, what names the room.
     *
     * @param index the room's index (a probe room's: its slot).
     * @return the filter's bytes.
     */
    static byte[] roomFilter(final int index)
    {
        return ("{\"n\":" + index + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The node's context: loopback, ephemeral ports, counters under the run's directory, state sized to the run.
     *
     * @param listener the node's listener.
     * @return the context.
     * @throws IllegalArgumentException for a bad seed address.
     */
    CohortContext context(final CohortListener listener)
    {
        // A bench node is a process that hosts one node and nothing else, as the standalone node is.
        final CohortContext context = StandaloneProcess.standaloneDefaults(new CohortContext())
            .seeds(seeds).listener(listener);
        context.transportContext().bindAddress("127.0.0.1").syncPort(0).commandPort(0)
            .countersDir(new File(dir, "counters").getPath());
        if (!curveKeyFile.isEmpty())
        {
            context.transportContext().curveKeyFile(curveKeyFile);
        }
        // Sized to the run, so that Chronicle's reserved bytes per subscription are honest.
        context.stateContext().maxRooms(Math.max(1024, (rooms + probeRoomIds.length) * 5L / 4))
            .maxConnections(Math.max(1024, (connections + PROBE_CAPACITY) * 5L / 4))
            .maxNodes(Math.max(4, probeRoomIds.length + 2));
        return context;
    }
}
