package io.cohort.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a node process reads about itself from {@code /proc} (Linux): its resident set size.
 */
final class ProcStatus
{
    private ProcStatus()
    {
    }

    /**
     * The resident set size of this process, from {@code /proc/self/status}.
     *
     * @return bytes, or -1 where {@code /proc} is missing.
     */
    static long rssBytes()
    {
        return rssBytes(Path.of("/proc/self/status"));
    }

    /**
     * The resident set size in a {@code /proc/PID/status} file.
     *
     * @param status the file.
     * @return bytes, or -1 if the file is missing or has no {@code VmRSS} line.
     */
    static long rssBytes(final Path status)
    {
        try
        {
            for (final String line : Files.readAllLines(status))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        }
        catch (final Exception ex)
        {
            return -1;
        }
        return -1;
    }
}
