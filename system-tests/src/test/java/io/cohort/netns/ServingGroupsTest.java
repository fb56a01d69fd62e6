package io.cohort.netns;

import io.cohort.netns.ServingGroups.HostState;
import io.cohort.netns.ServingGroups.Interval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis of {@link NetworkNamespacePartitionTest} on logs written by hand: it must see the two overlapping
 * clusters issue 15 measured, and a node that serves on after a view removed it, and must not take a view being
 * installed member after member, a joiner, or a process that exited for two groups.
 */
class ServingGroupsTest
{
    private static final long T0 = Instant.parse("2026-12-02T16:00:00Z").toEpochMilli();
    private static final String LINEAGE = "f72abeac2e843d80";

    @TempDir
    File directory;

    private final List<List<Incarnation>> hosts = new ArrayList<>();
    private final Incarnations run = new Incarnations()
    {
        public int hostCount()
        {
            return hosts.size();
        }

        public List<Incarnation> incarnations(final int host)
        {
            return List.copyOf(hosts.get(host - 1));
        }
    };

    @Test
    void shouldSeeTheTwoOverlappingClustersOfIssue15()
    {
        // Before views: h2 evicted itself; h1 and h3 listed {1,3}, h4 and h5 listed {3,4,5}, all RUNNING.
        for (int host = 1; host <= 5; host++)
        {
            final Incarnation node = node(host, 0);
            append(node, installed(10, 4, 1, 2, 3, 4, 5), state(11, "JOINING", "RUNNING"));
            if (2 == host)
            {
                append(node, state(1_500, "RUNNING", "EVICTED"));
                node.exited(T0 + 1_600, 3);
            }
            else
            {
                append(node, 1 == host || 3 == host ? installed(2_000, 5, 1, 3) : installed(2_010, 5, 3, 4, 5));
            }
        }
        final List<Interval> twoGroups = ServingGroups.twoGroupIntervals(run, T0, T0 + 20_000);
        assertEquals(1, twoGroups.size(), twoGroups.toString());
        // From the first install of {1,3}: h4 and h5 serve on in a view that it removed...
        assertEquals(T0 + 2_000, twoGroups.get(0).fromMs(), twoGroups.toString());
        assertEquals(18_000, twoGroups.get(0).durationMs(), twoGroups.toString());
        assertTrue(twoGroups.get(0).what().contains("h4 serves " + LINEAGE + "/4"), twoGroups.toString());
        // ... and then in a second view of epoch 5.
        final String at2010 = ServingGroups.twoGroups(ServingGroups.serving(ServingGroups.at(run, T0 + 2_010)));
        assertTrue(at2010.startsWith("two views of epoch 5"), at2010);
    }

    @Test
    void shouldSeeANodeThatServesOnAfterAViewRemovedIt()
    {
        for (int host = 1; host <= 5; host++)
        {
            final Incarnation node = node(host, 0);
            append(node, installed(10, 4, 1, 2, 3, 4, 5), state(11, "JOINING", "RUNNING"));
            append(node, host <= 2 ? state(1_300, "RUNNING", "NO_QUORUM") : installed(1_000, 5, 3, 4, 5));
        }
        final List<Interval> twoGroups = ServingGroups.twoGroupIntervals(run, T0, T0 + 5_000);
        assertEquals(1, twoGroups.size(), twoGroups.toString());
        assertEquals(T0 + 1_000, twoGroups.get(0).fromMs());
        assertEquals(300, twoGroups.get(0).durationMs());
        assertTrue(twoGroups.get(0).what().contains("h1 serves " + LINEAGE + "/4"), twoGroups.toString());
        assertEquals(T0 + 1_300, ServingGroups.holdsSince(run, T0, T0 + 5_000, (states) ->
            !states.get(0).serving() && !states.get(1).serving()));
    }

    @Test
    void shouldTakeAJoinerLetInMemberAfterMemberForOneGroupInTransition()
    {
        for (int host = 1; host <= 3; host++)
        {
            append(node(host, 0), installed(10, 4, 1, 2, 3), state(11, "JOINING", "RUNNING"),
                installed(1_000 + 4 * (host - 1), 5, 1, 2, 3, 4));
        }
        // The joiner installs and serves before h2 and h3 have installed the view that lets it in.
        append(node(4, 500), state(501, "STARTING", "JOINING"), installed(1_002, 5, 1, 2, 3, 4),
            state(1_003, "JOINING", "RUNNING"));

        assertEquals(List.of(), ServingGroups.twoGroupIntervals(run, T0, T0 + 5_000));
        final List<Interval> skews = ServingGroups.viewSkewIntervals(run, T0, T0 + 5_000);
        assertEquals(1, skews.size(), skews.toString());
        assertEquals(T0 + 1_000, skews.get(0).fromMs());
        assertEquals(8, skews.get(0).durationMs());
        final List<HostState> after = ServingGroups.at(run, T0 + 1_010);
        assertEquals(4, ServingGroups.serving(after).size(), after.toString());
        assertTrue(ServingGroups.oneView(ServingGroups.serving(after)), after.toString());
    }

    @Test
    void shouldNotCountAProcessThatExitedAsServing()
    {
        for (int host = 1; host <= 5; host++)
        {
            final Incarnation node = node(host, 0);
            append(node, installed(10, 4, 1, 2, 3, 4, 5), state(11, "JOINING", "RUNNING"));
            if (host <= 2)
            {
                node.exited(T0 + 900, 137); // killed: its last logged state is still RUNNING
            }
            else
            {
                append(node, installed(1_000, 5, 3, 4, 5));
            }
        }
        assertEquals(List.of(), ServingGroups.twoGroupIntervals(run, T0, T0 + 5_000));
        assertEquals(List.of(3, 4, 5), ServingGroups.serving(ServingGroups.at(run, T0 + 1_000)).stream()
            .map(HostState::host).collect(Collectors.toList()));
    }

    @Test
    void shouldReadOnlyWholeLinesAndSkipLinesWithoutATimestamp()
    {
        final Incarnation node = node(1, 0);
        final String line = String.format(state(5, "JOINING", "RUNNING"), NetnsCluster.nodeId(1));
        write(node, "OpenJDK 64-Bit Server VM warning: a line of the JVM's own\n" + line.substring(0, 30));
        node.log.poll();
        assertEquals(List.of(), node.log.events());
        write(node, line.substring(30));
        node.log.poll();
        assertEquals(List.of(new NodeLog.Event(T0 + 5, "RUNNING", null)), node.log.events());
    }

    // ---------------------------------------------------------------------------------------------------------

    private Incarnation node(final int host, final long startOffsetMs)
    {
        while (hosts.size() < host)
        {
            hosts.add(new ArrayList<>());
        }
        final int number = hosts.get(host - 1).size() + 1;
        final File log = new File(directory, "h" + host + "-" + number + ".log");
        final Incarnation incarnation = new Incarnation(host, number, null, new NodeLog(log), T0 + startOffsetMs);
        hosts.get(host - 1).add(incarnation);
        return incarnation;
    }

    private static String state(final long offsetMs, final String from, final String to)
    {
        return Instant.ofEpochMilli(T0 + offsetMs) + " [cohort-node] INFO io.cohort.engine.NodeLifecycle - node %s state " +
            from + " -> " + to + "\n";
    }

    private static String installed(final long offsetMs, final long epoch, final int... members)
    {
        final List<String> entries = new ArrayList<>();
        for (final int member : members)
        {
            entries.add(NetnsCluster.nodeId(member) + "/" + (1000 + member));
        }
        return Instant.ofEpochMilli(T0 + offsetMs) + " [cohort-node] INFO io.cohort.engine.Membership - node %s " +
            "installed view " + LINEAGE + "/" + epoch + " [" + String.join(", ", entries) + "]\n";
    }

    private void append(final Incarnation node, final String... lines)
    {
        for (final String line : lines)
        {
            write(node, String.format(line, NetnsCluster.nodeId(node.host)));
        }
        node.log.poll();
    }

    private void write(final Incarnation node, final String text)
    {
        try
        {
            Files.writeString(new File(directory, "h" + node.host + "-" + node.number + ".log").toPath(), text,
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
