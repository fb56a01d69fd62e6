package io.cohort.engine;

import org.agrona.concurrent.status.CountersReader;

/**
 * Finds a counter of the node's counters file by type (and, for per-peer counters, by the peer's node id in its
 * key) without allocating, for readers on other threads such as a metrics scrape. The node's thread unmaps the file
 * when it stops: reads and {@link #close()} are serialised on this object, and a closed lookup reads nothing, so a
 * reader racing a close never touches unmapped memory.
 */
final class CounterLookup implements AutoCloseable
{
    private final CountersReader reader;
    private boolean closed;

    CounterLookup(final CountersReader reader)
    {
        this.reader = reader;
    }

    /**
     * The value of the first allocated counter of a type (and key).
     *
     * @param typeId one of {@link io.cohort.transport.CounterType}.
     * @param keyed  whether the counter's key must be {@code key} (per-peer counters carry the peer's node id).
     * @param key    the peer's node id when keyed.
     * @return the value, or 0 if there is no such counter (e.g. the peer was removed) or the lookup is closed.
     */
    synchronized long value(final int typeId, final boolean keyed, final long key)
    {
        if (closed)
        {
            return 0;
        }
        for (int id = 0, max = reader.maxCounterId(); id <= max; id++)
        {
            final int state = reader.getCounterState(id);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break; // counters are allocated from id 0 up: nothing past the first never-used slot
            }
            if (CountersReader.RECORD_ALLOCATED == state && reader.getCounterTypeId(id) == typeId &&
                (!keyed || key == reader.metaDataBuffer().getLong(
                    CountersReader.metaDataOffset(id) + CountersReader.KEY_OFFSET)))
            {
                return reader.getCounterValue(id);
            }
        }
        return 0;
    }

    /**
     * Stops reading: returns once any read in progress has finished; idempotent.
     */
    public synchronized void close()
    {
        closed = true;
    }
}
