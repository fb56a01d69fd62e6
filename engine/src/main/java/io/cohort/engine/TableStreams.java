package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;

/**
 * How far a room table sent in a snapshot reflects each stream: for each node incarnation, the last sequence of its
 * stream its sender had applied when it began reading the table ({@link RoomTableStreams}, {@code SNAPSHOT_CHUNK}
 * flag {@code FLAG_TABLE_STREAMS}). Holds a fixed number of entries; entries past it (a sender beyond the member limit)
 * are not kept, and a stream not kept reads as unknown. Allocation-free after construction. Not thread safe: the
 * node's thread only.
 */
final class TableStreams
{
    /** {@link #sequenceOf} of a stream the table says nothing of. */
    static final long UNKNOWN = -1;

    private final long[] nodeIds;
    private final long[] incarnations;
    private final long[] sequences;
    private int count;

    /**
     * @param capacity the most streams kept: every member and the sender.
     */
    TableStreams(final int capacity)
    {
        nodeIds = new long[capacity];
        incarnations = new long[capacity];
        sequences = new long[capacity];
    }

    /**
     * Forgets every stream: the snapshot that carried them starts over, or its table was used.
     */
    void clear()
    {
        count = 0;
    }

    /**
     * Keeps the streams a chunk names, after those of earlier chunks of the same snapshot.
     *
     * @param chunk a loaded chunk with {@link SnapshotChunkDecoder#hasTableStreams()}.
     */
    void add(final SnapshotChunkDecoder chunk)
    {
        for (int i = 0, entries = chunk.tableStreamCount(); i < entries && count < nodeIds.length; i++)
        {
            nodeIds[count] = chunk.tableStreamNodeId(i);
            incarnations[count] = chunk.tableStreamIncarnation(i);
            sequences[count] = chunk.tableStreamSequence(i);
            count++;
        }
    }

    /**
     * @param nodeId      a node.
     * @param incarnation its incarnation.
     * @return how far the table reflects that incarnation's stream, or {@link #UNKNOWN}.
     */
    long sequenceOf(final long nodeId, final long incarnation)
    {
        long sequence = UNKNOWN;
        for (int i = 0; i < count; i++)
        {
            if (nodeIds[i] == nodeId && incarnations[i] == incarnation)
            {
                sequence = sequences[i];
            }
        }
        return sequence;
    }

    /**
     * Whether this table reflects every stream at least as far as another: its sender had applied everything the
     * other's had when each began reading its table. A stream the other names and this one does not fails it.
     *
     * @param other another table's streams, with at least one stream.
     * @return true if this one reaches as far on every stream the other names.
     */
    boolean reflectsAllOf(final TableStreams other)
    {
        if (0 == other.count)
        {
            return false;
        }
        for (int i = 0; i < other.count; i++)
        {
            if (sequenceOf(other.nodeIds[i], other.incarnations[i]) < other.sequences[i])
            {
                return false;
            }
        }
        return true;
    }
}
