package io.cohort.transport;

import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A node's counters in a memory-mapped file, in Agrona's {@link CountersManager} layout behind a small
 * header, so that another process can read them live without talking to the node (as AeronStat does).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Magic "CCNT"                            |  0
 *  +---------------------------------------------------------------+
 *  |                          Version                              |  4
 *  +---------------------------------------------------------------+
 *  |                      Metadata Length                          |  8
 *  +---------------------------------------------------------------+
 *  |                       Values Length                           | 12
 *  +---------------------------------------------------------------+
 *  |                         PID (64)                              | 16
 *  +---------------------------------------------------------------+
 *  |                       Node Id (64)                            | 24
 *  +---------------------------------------------------------------+
 *  |                   Start Time, epoch ms (64)                   | 32
 *  +---------------------------------------------------------------+
 *  |                  Reserved up to HEADER_LENGTH                ... 40
 *  +---------------------------------------------------------------+
 *  |                   Counters metadata                          ... HEADER_LENGTH
 *  +---------------------------------------------------------------+
 *  |                    Counters values                           ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The file is deleted when the node closes it.
 */
public final class CountersFile implements AutoCloseable
{
    /** "CCNT" as a little-endian int. */
    public static final int MAGIC = 0x544E4343;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Length of the header before the metadata. */
    public static final int HEADER_LENGTH = 128;
    /** Suffix of counters file names. */
    public static final String FILE_SUFFIX = ".counters";

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int METADATA_LENGTH_OFFSET = 8;
    static final int VALUES_LENGTH_OFFSET = 12;
    static final int PID_OFFSET = 16;
    static final int NODE_ID_OFFSET = 24;
    static final int START_TIME_OFFSET = 32;

    private final File file;
    private final MappedByteBuffer mapped;
    private final CountersManager countersManager;

    /**
     * Creates (replacing any stale one) and maps the counters file of a node, first deleting the files in the
     * directory whose writers are gone ({@link CountersFileReader#deleteAbandoned}).
     *
     * @param directory   where counters files live; created if missing.
     * @param nodeId      the node's id, part of the file name.
     * @param maxCounters how many counters the file can hold.
     */
    public CountersFile(final File directory, final long nodeId, final int maxCounters)
    {
        if (maxCounters <= 0)
        {
            throw new IllegalArgumentException("maxCounters=" + maxCounters + " must be positive");
        }
        createDirectory(directory);
        CountersFileReader.deleteAbandoned(directory, System.currentTimeMillis());
        file = new File(directory, fileName(nodeId));
        IoUtil.deleteIfExists(file);

        final int valuesLength = BitUtil.align(maxCounters * CountersReader.COUNTER_LENGTH, 4096);
        final int metadataLength = valuesLength / CountersReader.COUNTER_LENGTH * CountersReader.METADATA_LENGTH;
        mapped = IoUtil.mapNewFile(file, HEADER_LENGTH + (long)metadataLength + valuesLength);

        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(NODE_ID_OFFSET, nodeId);
        header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
        countersManager = new CountersManager(
            new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength),
            StandardCharsets.US_ASCII);
        header.putIntRelease(MAGIC_OFFSET, MAGIC);
    }

    /**
     * Creates the directory, and its parents, unless it exists. Nodes started at once in one directory race to
     * create it: {@code File.mkdirs} fails for every process but the first (two of five nodes of a test once exited
     * as misconfigured), where {@link Files#createDirectories} accepts a directory that another process made.
     */
    private static void createDirectory(final File directory)
    {
        try
        {
            Files.createDirectories(directory.toPath());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot create the cohort counters directory " + directory + ": " + ex,
                ex);
        }
    }

    /**
     * The file name of a node's counters.
     *
     * @param nodeId the node's id.
     * @return e.g. {@code node-00000000075bcd15.counters}.
     */
    public static String fileName(final long nodeId)
    {
        return String.format("node-%016x%s", nodeId, FILE_SUFFIX);
    }

    /**
     * The counters, for allocating and updating.
     *
     * @return the manager over the mapped file.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * The mapped file.
     *
     * @return its path.
     */
    public File file()
    {
        return file;
    }

    /**
     * Unmaps and deletes the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
        CloseHelper.quietClose(() -> IoUtil.deleteIfExists(file));
    }
}
