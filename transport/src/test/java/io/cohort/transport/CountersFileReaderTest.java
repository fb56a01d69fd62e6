package io.cohort.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CountersFileReaderTest
{
    @TempDir
    File dir;

    @Test
    void shouldReadTheHeaderAndLiveValuesOfAnotherWritersFile()
    {
        try (CountersFile file = new CountersFile(dir, 0x1234, 64);
            TransportCounters counters = new TransportCounters(file.countersManager()))
        {
            final AtomicCounter sent = counters.framesSent();
            sent.setRelease(5);
            final CountersFileReader reader = CountersFileReader.open(file.file());
            assertNotNull(reader);
            try
            {
                assertEquals(0x1234, reader.nodeId());
                assertEquals(ProcessHandle.current().pid(), reader.pid());
                assertEquals(5, reader.valueOf(CounterType.FRAMES_SENT, -1));
                sent.incrementRelease();
                assertEquals(6, reader.valueOf(CounterType.FRAMES_SENT, -1), "read live, not copied");
                assertEquals(-1, reader.valueOf(CounterType.NODE_STATE, -1), "no such counter");
            }
            finally
            {
                reader.close();
            }
            assertEquals(List.of(file.file()), CountersFileReader.list(dir));
        }
    }

    @Test
    void shouldFindACounterInTheFilesLastSlot()
    {
        try (CountersFile file = new CountersFile(dir, 0x1234, 1))
        {
            // maxCounterId() is the id of the last slot, not the slot count: a full file's last counter counts too.
            final int lastId = file.countersManager().maxCounterId();
            for (int id = 0; id < lastId; id++)
            {
                file.countersManager().newCounter("filler " + id, CounterType.PEER_FRAMES);
            }
            final AtomicCounter last = file.countersManager().newCounter("last", CounterType.FRAMES_SENT);
            assertEquals(lastId, last.id());
            last.setRelease(42);
            final CountersFileReader reader = CountersFileReader.open(file.file());
            assertNotNull(reader);
            try
            {
                assertEquals(42, reader.valueOf(CounterType.FRAMES_SENT, -1));
            }
            finally
            {
                reader.close();
            }
        }
    }

    @Test
    void shouldSkipFilesThatAreNotCountersFilesYet() throws IOException
    {
        final File empty = new File(dir, CountersFile.fileName(1));
        Files.write(empty.toPath(), new byte[CountersFile.HEADER_LENGTH * 2]);
        assertNull(CountersFileReader.open(empty), "no magic yet");
        final File small = new File(dir, CountersFile.fileName(2));
        Files.write(small.toPath(), new byte[8]);
        assertNull(CountersFileReader.open(small), "shorter than a header");
        assertNull(CountersFileReader.open(new File(dir, "gone.counters")), "deleted meanwhile");
    }

    @Test
    void shouldDeleteOnlyTheFilesWhoseWritersAreGone() throws Exception
    {
        final long deadPid = exitedProcessPid();
        final long nowMs = System.currentTimeMillis();
        final long staleMs = nowMs - CountersFileReader.ABANDONED_AFTER_MS - 1_000;
        try (CountersFile own = new CountersFile(dir, 1, 16))
        {
            own.countersManager().newCounter("status", CounterType.NODE_HEARTBEAT).set(staleMs);
            final File killed = copy(own, 2, deadPid, own.file().lastModified(), staleMs);
            final File otherNamespace = copy(own, 3, deadPid, own.file().lastModified(), nowMs);
            final File reusedPid = copy(own, 4, ProcessHandle.current().pid(), 0, staleMs);

            assertEquals(List.of(killed, reusedPid), CountersFileReader.deleteAbandoned(dir, nowMs));
            assertEquals(List.of(own.file(), otherNamespace), CountersFileReader.list(dir),
                "a live process's file and a file whose status still moves are kept");
        }
    }

    @Test
    void shouldDeleteAKilledNodesFileWhenANewNodeStartsInTheDirectory() throws Exception
    {
        final File killed;
        try (CountersFile old = new CountersFile(dir, 7, 16))
        {
            old.countersManager().newCounter("status", CounterType.NODE_HEARTBEAT)
                .set(System.currentTimeMillis() - CountersFileReader.ABANDONED_AFTER_MS - 1_000);
            killed = copy(old, 8, exitedProcessPid(), old.file().lastModified(), Long.MIN_VALUE);
        }
        assertEquals(List.of(killed), CountersFileReader.list(dir));

        try (CountersFile next = new CountersFile(dir, 9, 16))
        {
            assertEquals(List.of(next.file()), CountersFileReader.list(dir));
        }
    }

    /** A copy of a counters file under another node's name, as if written by another process. */
    private File copy(final CountersFile source, final long nodeId, final long pid, final long startTimeMs,
        final long statusMs) throws IOException
    {
        final File copy = new File(dir, CountersFile.fileName(nodeId));
        Files.copy(source.file().toPath(), copy.toPath());
        try (RandomAccessFile raf = new RandomAccessFile(copy, "rw"); FileChannel channel = raf.getChannel())
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
            header.putLong(CountersFile.PID_OFFSET, pid);
            header.putLong(CountersFile.START_TIME_OFFSET, startTimeMs);
            if (Long.MIN_VALUE != statusMs)
            {
                final CountersFileReader reader = CountersFileReader.open(copy);
                assertNotNull(reader);
                final long offset = CountersFile.HEADER_LENGTH + header.getInt(CountersFile.METADATA_LENGTH_OFFSET) +
                    CountersReader.counterOffset(0);
                reader.close();
                new UnsafeBuffer(mapped).putLong((int)offset, statusMs);
            }
            mapped.force();
            IoUtil.unmap(mapped);
        }
        return copy;
    }

    private static long exitedProcessPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        assertEquals(0, process.waitFor());
        return process.pid();
    }

    @Test
    void shouldRefuseToListAMissingDirectory()
    {
        final File missing = new File(dir, "missing");
        assertEquals("counters directory " + missing + " does not exist",
            assertThrows(IllegalArgumentException.class, () -> CountersFileReader.list(missing)).getMessage());
    }
}
