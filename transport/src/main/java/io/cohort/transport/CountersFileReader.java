package io.cohort.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads another process's {@link CountersFile} while that process runs, without talking to it (as AeronStat
 * reads Aeron's CnC file): the file is mapped read-only and read through Agrona's {@link CountersReader}, whose
 * records are published with release semantics, so values are current and allocation of new counters by the
 * writer is safe to race with.
 */
public final class CountersFileReader implements AutoCloseable
{
    /** How long a writer's status must have stood still before its file may be taken for abandoned. */
    public static final long ABANDONED_AFTER_MS = 5_000;

    private final File file;
    private final MappedByteBuffer mapped;
    private final long pid;
    private final long nodeId;
    private final long startTimeMs;
    private final CountersReader countersReader;

    private CountersFileReader(final File file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
        final int metadataLength = header.getInt(CountersFile.METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(CountersFile.VALUES_LENGTH_OFFSET);
        pid = header.getLong(CountersFile.PID_OFFSET);
        nodeId = header.getLong(CountersFile.NODE_ID_OFFSET);
        startTimeMs = header.getLong(CountersFile.START_TIME_OFFSET);
        countersReader = new CountersReader(
            new UnsafeBuffer(mapped, CountersFile.HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, CountersFile.HEADER_LENGTH + metadataLength, valuesLength),
            StandardCharsets.US_ASCII);
    }

    /**
     * Maps a counters file for reading.
     *
     * @param file the file, e.g. one of {@link #list(File)}.
     * @return the reader, or null if the file is gone, not yet initialised by its writer (no magic yet), or not
     * a counters file of this version: a reader skips such files rather than fail.
     */
    public static CountersFileReader open(final File file)
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "r"); FileChannel channel = raf.getChannel())
        {
            final long size = channel.size();
            if (size < CountersFile.HEADER_LENGTH)
            {
                return null;
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFile.HEADER_LENGTH);
            // The writer stores the magic last, with release semantics: once seen, the lengths are valid.
            if (CountersFile.MAGIC != header.getIntVolatile(CountersFile.MAGIC_OFFSET) ||
                CountersFile.VERSION != header.getInt(CountersFile.VERSION_OFFSET) ||
                CountersFile.HEADER_LENGTH + (long)header.getInt(CountersFile.METADATA_LENGTH_OFFSET) +
                header.getInt(CountersFile.VALUES_LENGTH_OFFSET) > size)
            {
                IoUtil.unmap(mapped);
                return null;
            }
            return new CountersFileReader(file, mapped);
        }
        catch (final IOException ex)
        {
            // Deleted between listing and opening (the node closed): nothing to read.
            return null;
        }
    }

    /**
     * The counters files in a directory, sorted by name.
     *
     * @param directory the counters directory.
     * @return the files, empty if there is none.
     * @throws IllegalArgumentException if the directory does not exist or is not a directory.
     */
    public static List<File> list(final File directory)
    {
        if (!directory.isDirectory())
        {
            throw new IllegalArgumentException("counters directory " + directory + " does not exist");
        }
        final File[] files = directory.listFiles((dir, name) -> name.endsWith(CountersFile.FILE_SUFFIX));
        final List<File> result = new ArrayList<>();
        if (null != files)
        {
            Arrays.sort(files);
            result.addAll(Arrays.asList(files));
        }
        return result;
    }

    /**
     * The file read.
     *
     * @return its path.
     */
    public File file()
    {
        return file;
    }

    /**
     * The process id of the writer, as it wrote it at creation.
     *
     * @return the pid.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * The node id of the writer.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * When the writer created the file.
     *
     * @return epoch milliseconds.
     */
    public long startTimeMs()
    {
        return startTimeMs;
    }

    /**
     * The counters, live.
     *
     * @return the reader over the mapped file.
     */
    public CountersReader countersReader()
    {
        return countersReader;
    }

    /**
     * The value of the first allocated counter of a type, for node-wide counters that exist once per file.
     *
     * @param typeId       one of {@link CounterType}.
     * @param defaultValue returned when no such counter is allocated.
     * @return the value.
     */
    public long valueOf(final int typeId, final long defaultValue)
    {
        final CountersReader reader = countersReader;
        for (int id = 0, max = reader.maxCounterId(); id <= max; id++)
        {
            final int state = reader.getCounterState(id);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            if (CountersReader.RECORD_ALLOCATED == state && reader.getCounterTypeId(id) == typeId)
            {
                return reader.getCounterValue(id);
            }
        }
        return defaultValue;
    }

    /**
     * Whether the file's writer is certainly gone, so that the file may be deleted: its status counter
     * ({@link CounterType#NODE_HEARTBEAT}, updated every 100 ms by a running node) has not moved for
     * {@link #ABANDONED_AFTER_MS}, and its process is gone or the pid now belongs to a process started after the
     * file was created. The status age is asked first so that a live writer in another pid namespace, whose pid
     * means nothing here, is never taken for gone; a writer that has not written its status yet is judged by its
     * process alone.
     *
     * @param nowMs the current epoch time in milliseconds.
     * @return true if nothing writes this file any more.
     */
    public boolean writerGone(final long nowMs)
    {
        final long statusMs = valueOf(CounterType.NODE_HEARTBEAT, Long.MIN_VALUE);
        if (Long.MIN_VALUE != statusMs && nowMs - statusMs <= ABANDONED_AFTER_MS)
        {
            return false;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return true;
        }
        // A reused pid: the process that holds it now started after the file was created (1 s of clock slack).
        return process.get().info().startInstant().map((start) -> start.toEpochMilli() > startTimeMs + 1_000)
            .orElse(false);
    }

    /**
     * Deletes the counters files in a directory whose writers are gone ({@link #writerGone(long)}), as a node does
     * when it creates its own file, so that killed nodes' files do not pile up. Files that are not (yet) readable
     * counters files are left alone: a writer may be creating one.
     *
     * @param directory the counters directory; nothing happens if it does not exist.
     * @param nowMs     the current epoch time in milliseconds.
     * @return the files deleted.
     */
    public static List<File> deleteAbandoned(final File directory, final long nowMs)
    {
        final List<File> deleted = new ArrayList<>();
        if (!directory.isDirectory())
        {
            return deleted;
        }
        for (final File file : list(directory))
        {
            final CountersFileReader reader = open(file);
            if (null == reader)
            {
                continue;
            }
            final boolean gone;
            try
            {
                gone = reader.writerGone(nowMs);
            }
            finally
            {
                reader.close();
            }
            if (gone && file.delete())
            {
                deleted.add(file);
            }
        }
        return deleted;
    }

    /**
     * Unmaps the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
