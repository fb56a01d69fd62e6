package io.cohort.netns;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one node process said about its membership, read from its log as it grows: each state change
 * ({@code node <id> state X -> Y}) and each installed view ({@code node <id> installed view <lineage>/<epoch>
 * [members]}), stamped with the log line's wall-clock time. Every node of a run shares the machine's clock, so the
 * events of all nodes line up to the millisecond (the child logs with
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}, see {@link #LOG_PROPERTIES}).
 */
final class NodeLog
{
    /** Child JVM settings that make the simple logger stamp each line with the date, the time in ms and the offset. */
    static final List<String> LOG_PROPERTIES = List.of(
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.log.net.openhft=warn");

    private static final Pattern STATE = Pattern.compile(" node ([0-9a-f]{16}) state ([A-Z_]+) -> ([A-Z_]+)$");
    private static final Pattern VIEW = Pattern.compile(
        " node ([0-9a-f]{16}) installed view ([0-9a-f]{16})/(\\d+)(?: flags=\\d+)? \\[([^\\]]*)\\]$");
    /** Membership lines worth showing in a failure message or a report, besides state changes and installs. */
    private static final Pattern NOTABLE = Pattern.compile(
        "proposes view|chosen; commit|evicted|evicts itself|halting|failed|observes view|removed member|stall|" +
        "never installed|left:");

    /**
     * A view as the node installed it.
     *
     * @param lineage the cluster lineage, 16 hex digits.
     * @param epoch   the epoch.
     * @param members each member as {@code <node id hex>/<incarnation>}, in rank order (rank 0 is the oldest).
     */
    record View(String lineage, long epoch, List<String> members)
    {
        /**
         * The incarnation this view lists for a node.
         *
         * @param nodeId the node id, 16 hex digits.
         * @return its {@code id/incarnation} entry, or null if the view does not list it.
         */
        String entryOf(final String nodeId)
        {
            for (final String member : members)
            {
                if (member.startsWith(nodeId + "/"))
                {
                    return member;
                }
            }
            return null;
        }

        /**
         * A node's rank.
         *
         * @param nodeId the node id, 16 hex digits.
         * @return its rank, -1 if not listed.
         */
        int rankOf(final String nodeId)
        {
            for (int rank = 0; rank < members.size(); rank++)
            {
                if (members.get(rank).startsWith(nodeId + "/"))
                {
                    return rank;
                }
            }
            return -1;
        }

        public String toString()
        {
            return lineage + "/" + epoch + " " + members;
        }
    }

    /**
     * One state change or one install.
     *
     * @param atMs  the line's wall-clock time, epoch ms.
     * @param state the new state, or null for an install.
     * @param view  the installed view, or null for a state change.
     */
    record Event(long atMs, String state, View view)
    {
    }

    private final File file;
    private final List<Event> events = new ArrayList<>();
    private final List<String> notable = new ArrayList<>();
    private long offset;
    private byte[] partial = new byte[0];

    NodeLog(final File file)
    {
        this.file = file;
    }

    /**
     * Reads what the log gained since the last call; only whole lines, so a line being written is read next time.
     */
    synchronized void poll()
    {
        final byte[] fresh;
        try (RandomAccessFile in = new RandomAccessFile(file, "r"))
        {
            final long length = in.length();
            if (length <= offset)
            {
                return;
            }
            fresh = new byte[(int)(length - offset)];
            in.seek(offset);
            in.readFully(fresh);
            offset = length;
        }
        catch (final IOException ex)
        {
            return; // not created yet: the process is starting
        }
        final byte[] bytes = Arrays.copyOf(partial, partial.length + fresh.length);
        System.arraycopy(fresh, 0, bytes, partial.length, fresh.length);
        int start = 0;
        for (int i = 0; i < bytes.length; i++)
        {
            if ('\n' == bytes[i])
            {
                parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        partial = Arrays.copyOfRange(bytes, start, bytes.length);
    }

    /**
     * The events read so far, oldest first.
     *
     * @return a copy.
     */
    synchronized List<Event> events()
    {
        return List.copyOf(events);
    }

    /**
     * The membership lines read so far (state changes, installs, proposals, evictions) and why the node exited,
     * for reports.
     *
     * @return a copy.
     */
    synchronized List<String> notable()
    {
        return List.copyOf(notable);
    }

    private void parse(final String line)
    {
        if (line.startsWith("cohort: "))
        {
            notable.add(line); // why the standalone node exited (CohortMain's last words)
            return;
        }
        final int space = line.indexOf(' ');
        if (space < 0)
        {
            return;
        }
        final long atMs;
        try
        {
            atMs = OffsetDateTime.parse(line.substring(0, space)).toInstant().toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            return; // a JVM warning or a stack trace line: no event
        }
        final Matcher state = STATE.matcher(line);
        final Matcher view = VIEW.matcher(line);
        if (state.find())
        {
            events.add(new Event(atMs, state.group(3), null));
            notable.add(line);
        }
        else if (view.find())
        {
            final List<String> members = view.group(4).isBlank() ? List.of() : List.of(view.group(4).split(", "));
            events.add(new Event(atMs, null, new View(view.group(2), Long.parseLong(view.group(3)), members)));
            notable.add(line);
        }
        else if (NOTABLE.matcher(line).find())
        {
            notable.add(line);
        }
    }
}
