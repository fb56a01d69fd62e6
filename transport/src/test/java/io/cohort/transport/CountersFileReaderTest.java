package io.cohort.transport;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
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
    void shouldRefuseToListAMissingDirectory()
    {
        final File missing = new File(dir, "missing");
        assertEquals("counters directory " + missing + " does not exist",
            assertThrows(IllegalArgumentException.class, () -> CountersFileReader.list(missing)).getMessage());
    }
}
