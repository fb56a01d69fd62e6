package io.cohort.test;

import io.cohort.transport.CountersFile;
import io.cohort.transport.CountersFileReader;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads another process's counters file, as an outside tool would ({@link CountersFileReader}).
 */
public final class CountersSnapshot
{
    private CountersSnapshot()
    {
    }

    /**
     * The values of every counter of one type in a node's counters file, keyed by the first long of each
     * counter's key (a peer's node id for the per-peer counters).
     *
     * @param directory the counters directory.
     * @param nodeId    the node whose file to read.
     * @param typeId    the counters' type ({@code io.cohort.transport.CounterType}).
     * @return key to value.
     * @throws IllegalStateException if the file is missing or not (yet) a counters file.
     */
    public static Map<Long, Long> valuesByKey(final File directory, final long nodeId, final int typeId)
    {
        final File file = new File(directory, CountersFile.fileName(nodeId));
        final Map<Long, Long> values = new HashMap<>();
        try (CountersFileReader reader = CountersFileReader.open(file))
        {
            if (null == reader)
            {
                throw new IllegalStateException(file + " is not a counters file (yet)");
            }
            reader.countersReader().forEach((counterId, type, keyBuffer, label) ->
            {
                if (typeId == type)
                {
                    values.put(keyBuffer.getLong(0), reader.countersReader().getCounterValue(counterId));
                }
            });
        }
        return values;
    }
}
