package io.cohort.engine;

import io.cohort.transport.CounterType;
import io.cohort.transport.CountersFile;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads another process's counters file, as an outside tool would: the header, then Agrona's counters layout.
 */
final class CountersSnapshot
{
    private static final int METADATA_LENGTH_OFFSET = 8;
    private static final int VALUES_LENGTH_OFFSET = 12;

    private CountersSnapshot()
    {
    }

    /**
     * The next directed sequence this node expects from each peer, keyed by the peer's node id. Only
     * notifications travel on directed streams, so it moves exactly when a peer routed a notification here.
     *
     * @param directory the counters directory.
     * @param nodeId    the node whose file to read.
     * @return peer id to its "next directed seq" counter.
     */
    static Map<Long, Long> nextDirectedSequences(final File directory, final long nodeId)
    {
        final Map<Long, Long> sequences = new HashMap<>();
        final File file = new File(directory, CountersFile.fileName(nodeId));
        try (RandomAccessFile raf = new RandomAccessFile(file, "r"); FileChannel channel = raf.getChannel())
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            try
            {
                final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
                if (CountersFile.MAGIC != header.getIntVolatile(0))
                {
                    throw new IllegalStateException(file + " is not a counters file (yet)");
                }
                final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
                final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
                final CountersReader reader = new CountersReader(
                    new UnsafeBuffer(mapped, CountersFile.HEADER_LENGTH, metadataLength),
                    new UnsafeBuffer(mapped, CountersFile.HEADER_LENGTH + metadataLength, valuesLength),
                    StandardCharsets.US_ASCII);
                reader.forEach((counterId, typeId, keyBuffer, label) ->
                {
                    if (CounterType.PEER_EXPECTED_DIRECTED == typeId)
                    {
                        sequences.put(keyBuffer.getLong(0), reader.getCounterValue(counterId));
                    }
                });
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + file + ": " + ex, ex);
        }
        return sequences;
    }
}
