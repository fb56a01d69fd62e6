package io.cohort.engine;

import static io.cohort.engine.SimNode.ms;

/**
 * What simulated runs did, summed over a batch for its report: notifications, the replication window (a local
 * change to its room count applied at a peer), desyncs, evictions, restarts, partitions, and the runs whose nodes
 * ended with different room tables.
 */
final class SimStats
{
    static final long[] REPLICATION_BUCKETS_MS = { 1, 2, 3, 5, 10, 20, 50 };

    long published;
    long refused;
    long expectedDeliveries;
    long exemptDeliveries;
    /** Over the runs with promised deliveries, the least share of them verified (the rest exempt after faults). */
    double leastCheckedShare = 1.0;
    long arrivals;
    long delivered;
    long replications;
    long replicationNsTotal;
    long replicationNsMax;
    final long[] replicationBuckets = new long[REPLICATION_BUCKETS_MS.length + 1];
    long desyncsSeen;
    long evictions;
    long restarts;
    long partitions;
    long pipeOverflows;
    long roomTablesCompared;
    long roomTablesUnequal;

    void replication(final long ns)
    {
        replications++;
        replicationNsTotal += ns;
        replicationNsMax = Math.max(replicationNsMax, ns);
        int bucket = 0;
        while (bucket < REPLICATION_BUCKETS_MS.length && ns >= ms(REPLICATION_BUCKETS_MS[bucket]))
        {
            bucket++;
        }
        replicationBuckets[bucket]++;
    }

    void add(final SimStats other)
    {
        published += other.published;
        refused += other.refused;
        expectedDeliveries += other.expectedDeliveries;
        exemptDeliveries += other.exemptDeliveries;
        leastCheckedShare = Math.min(leastCheckedShare, other.leastCheckedShare);
        arrivals += other.arrivals;
        delivered += other.delivered;
        replications += other.replications;
        replicationNsTotal += other.replicationNsTotal;
        replicationNsMax = Math.max(replicationNsMax, other.replicationNsMax);
        for (int i = 0; i < replicationBuckets.length; i++)
        {
            replicationBuckets[i] += other.replicationBuckets[i];
        }
        desyncsSeen += other.desyncsSeen;
        evictions += other.evictions;
        restarts += other.restarts;
        partitions += other.partitions;
        pipeOverflows += other.pipeOverflows;
        roomTablesCompared += other.roomTablesCompared;
        roomTablesUnequal += other.roomTablesUnequal;
    }

    String describe()
    {
        final StringBuilder out = new StringBuilder(String.format(
            "notifications published=%d refused whole (a destination without credit)=%d expected deliveries=%d " +
            "(exempt after a fault: %d; least share verified in a run: %.2f) arrivals=%d " +
            "delivered to listeners=%d%nreplication window (local change to applied at a peer): n=%d " +
            "mean=%.2fms max=%.2fms, distribution:", published, refused, expectedDeliveries, exemptDeliveries, leastCheckedShare, arrivals,
            delivered, replications, replications == 0 ? 0 : replicationNsTotal / 1e6 / replications,
            replicationNsMax / 1e6));
        for (int i = 0; i < replicationBuckets.length; i++)
        {
            out.append(i < REPLICATION_BUCKETS_MS.length ? " <" + REPLICATION_BUCKETS_MS[i] + "ms:" : " more:")
                .append(replicationBuckets[i]);
        }
        return out.append(String.format("%ndesyncs seen=%d evictions=%d restarts=%d partitions=%d " +
            "frames dropped at a full subscription=%d%nroom tables compared at the end=%d, unequal=%d (unused rooms " +
            "only: a room with subscribers missing on a node fails the run)", desyncsSeen, evictions, restarts,
            partitions, pipeOverflows, roomTablesCompared, roomTablesUnequal)).toString();
    }
}
