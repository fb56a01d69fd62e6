package io.cohort.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    private static final long NODE_ID = 0x75BCD15L;

    @TempDir
    File dir;

    private CountersFile countersFile;
    private MappedByteBuffer readerMapping;

    @AfterEach
    void tearDown()
    {
        if (null != readerMapping)
        {
            IoUtil.unmap(readerMapping);
        }
        if (null != countersFile)
        {
            countersFile.close();
        }
    }

    /** What an outside process (e.g. {@code cohort stat}) does: map the file on its own and read it. */
    private CountersReader outsideReader(final File file)
    {
        readerMapping = IoUtil.mapExistingFile(file, "counters");
        final UnsafeBuffer header = new UnsafeBuffer(readerMapping, 0, CountersFile.HEADER_LENGTH);
        assertEquals(CountersFile.MAGIC, header.getIntVolatile(CountersFile.MAGIC_OFFSET));
        assertEquals(CountersFile.VERSION, header.getInt(CountersFile.VERSION_OFFSET));
        final int metadataLength = header.getInt(CountersFile.METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(CountersFile.VALUES_LENGTH_OFFSET);
        assertEquals(file.length(), (long)CountersFile.HEADER_LENGTH + metadataLength + valuesLength);
        return new CountersReader(
            new UnsafeBuffer(readerMapping, CountersFile.HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(readerMapping, CountersFile.HEADER_LENGTH + metadataLength, valuesLength),
            StandardCharsets.US_ASCII);
    }

    private static Map<String, Integer> idsByLabel(final CountersReader reader)
    {
        final Map<String, Integer> ids = new HashMap<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> ids.put(label, counterId));
        return ids;
    }

    @Test
    void shouldNameFileAfterNode()
    {
        assertEquals("node-00000000075bcd15.counters", CountersFile.fileName(NODE_ID));
        countersFile = new CountersFile(new File(dir, "sub/dir"), NODE_ID, 64);
        assertTrue(countersFile.file().isFile(), "directory created, file mapped");
        assertEquals(new File(new File(dir, "sub/dir"), CountersFile.fileName(NODE_ID)), countersFile.file());
    }

    @Test
    void shouldWriteHeaderAnOutsideReaderUnderstands()
    {
        final long before = System.currentTimeMillis();
        countersFile = new CountersFile(dir, NODE_ID, 64);
        outsideReader(countersFile.file());

        final UnsafeBuffer header = new UnsafeBuffer(readerMapping, 0, CountersFile.HEADER_LENGTH);
        assertEquals(ProcessHandle.current().pid(), header.getLong(CountersFile.PID_OFFSET));
        assertEquals(NODE_ID, header.getLong(CountersFile.NODE_ID_OFFSET));
        final long startTime = header.getLong(CountersFile.START_TIME_OFFSET);
        assertTrue(startTime >= before && startTime <= System.currentTimeMillis(), "start time " + startTime);
    }

    @Test
    void shouldShowLabelsTypesKeysAndLiveValuesToAnotherReader()
    {
        countersFile = new CountersFile(dir, NODE_ID, 256);
        final TransportCounters counters = new TransportCounters(countersFile.countersManager());
        final PeerCounters peerCounters = counters.newPeer(0xABCL, 5);
        final CountersReader reader = outsideReader(countersFile.file());

        final Map<String, Integer> ids = idsByLabel(reader);
        final Integer gapsId = ids.get("peer 0000000000000abc/5 gaps");
        assertNotNull(gapsId, "per-peer label, got " + ids.keySet());
        assertEquals(CounterType.PEER_GAPS, reader.getCounterTypeId(gapsId));
        final long[] key = new long[1];
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (counterId == gapsId)
            {
                key[0] = keyBuffer.getLong(0);
            }
        });
        assertEquals(0xABCL, key[0], "per-peer counters are keyed by node id");
        final Integer totalGapsId = ids.get("total gaps");
        assertNotNull(totalGapsId);
        assertEquals(CounterType.PEER_GAPS + CounterType.TOTAL_OFFSET, reader.getCounterTypeId(totalGapsId));
        assertEquals(CounterType.STRANGER_FRAMES, reader.getCounterTypeId(ids.get("stranger frames")));
        assertEquals(CounterType.AUTH_REFUSED, reader.getCounterTypeId(ids.get("auth refused")));
        assertEquals(CounterType.PEER_EXPECTED_BROADCAST,
            reader.getCounterTypeId(ids.get("peer 0000000000000abc/5 next broadcast seq")));

        peerCounters.onGap();
        peerCounters.onGap();
        counters.strangerFrames().increment();
        peerCounters.broadcastSequence().check(1, 41);

        assertEquals(2, reader.getCounterValue(gapsId), "live value through the other mapping");
        assertEquals(2, reader.getCounterValue(totalGapsId));
        assertEquals(1, reader.getCounterValue(ids.get("stranger frames")));
        assertEquals(42, reader.getCounterValue(ids.get("peer 0000000000000abc/5 next broadcast seq")),
            "the expected sequence slot is a counter too");
        assertEquals(StreamSequence.UNKNOWN,
            reader.getCounterValue(ids.get("peer 0000000000000abc/5 next directed seq")));
    }

    @Test
    void shouldFreePeerCountersWhenPeerIsClosed()
    {
        countersFile = new CountersFile(dir, NODE_ID, 256);
        final TransportCounters counters = new TransportCounters(countersFile.countersManager());
        final PeerCounters peerCounters = counters.newPeer(0xABCL, 5);
        final CountersReader reader = outsideReader(countersFile.file());
        final int gapsId = idsByLabel(reader).get("peer 0000000000000abc/5 gaps");

        peerCounters.close();

        assertFalse(idsByLabel(reader).containsKey("peer 0000000000000abc/5 gaps"));
        assertTrue(CountersReader.RECORD_ALLOCATED != reader.getCounterState(gapsId));
        assertTrue(idsByLabel(reader).containsKey("total gaps"), "node-wide counters stay");
    }

    @Test
    void shouldRefuseMoreCountersThanCapacity()
    {
        countersFile = new CountersFile(dir, NODE_ID, 1);
        final int capacity = countersFile.countersManager().maxCounterId() + 1;
        for (int i = 0; i < capacity; i++)
        {
            countersFile.countersManager().newCounter("c" + i);
        }
        assertThrows(IllegalStateException.class, () -> countersFile.countersManager().newCounter("one too many"));
    }

    @Test
    void shouldReplaceStaleFileAndDeleteFileOnClose() throws IOException
    {
        final File stale = new File(dir, CountersFile.fileName(NODE_ID));
        java.nio.file.Files.write(stale.toPath(), new byte[]{ 1, 2, 3 });
        countersFile = new CountersFile(dir, NODE_ID, 64);
        assertTrue(countersFile.file().length() > CountersFile.HEADER_LENGTH, "stale file replaced");

        countersFile.close();
        countersFile = null;

        assertFalse(stale.exists(), "deleted on close");
    }

    @Test
    void shouldRejectNonPositiveCapacity()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CountersFile(dir, NODE_ID, 0));
        assertTrue(ex.getMessage().contains("maxCounters=0"), ex.getMessage());
    }

    @Test
    void shouldLetNodesStartedAtOnceCreateTheirDirectoryTogether() throws Exception
    {
        final int nodes = 8;
        final ExecutorService starters = Executors.newFixedThreadPool(nodes);
        try
        {
            for (int round = 0; round < 20; round++)
            {
                final File missing = new File(dir, "round-" + round + "/a/b/counters");
                final CyclicBarrier together = new CyclicBarrier(nodes);
                final List<Future<CountersFile>> started = new ArrayList<>();
                for (int node = 0; node < nodes; node++)
                {
                    final long nodeId = NODE_ID + node;
                    started.add(starters.submit(() ->
                    {
                        together.await();
                        return new CountersFile(missing, nodeId, 8);
                    }));
                }
                for (final Future<CountersFile> each : started)
                {
                    each.get(10, TimeUnit.SECONDS).close();
                }
            }
        }
        finally
        {
            starters.shutdownNow();
        }
    }

    @Test
    void shouldNameTheCountersDirectoryThatIsAFile() throws IOException
    {
        final File file = new File(dir, "not-a-directory");
        java.nio.file.Files.write(file.toPath(), new byte[]{ 1 });
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CountersFile(file, NODE_ID, 8));
        assertTrue(ex.getMessage().contains("counters directory " + file), ex.getMessage());
    }
}
