package io.cohort.engine;

import io.cohort.codec.SeedProbeResponseDecoder;
import io.cohort.codec.SeedProbeResponseEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge rule of two instances that meet through their seeds: both sides must reach opposite answers without
 * talking, so every case is checked from both sides.
 */
class SeedProberTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SeedProbeResponseDecoder.BODY_LENGTH]);

    private static View view(final long lineage, final long firstIncarnation, final int size)
    {
        final List<ViewMember> members = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            members.add(new ViewMember(lineage * 100 + i, firstIncarnation + i, "sync" + i, "cmd" + i, null));
        }
        return View.founding(lineage, members.get(0)).successor(new long[0], new int[0],
            members.subList(1, size), 0);
    }

    private SeedProbeResponseDecoder summaryOf(final View view, final boolean running)
    {
        final ViewMember oldest = view.member(0);
        new SeedProbeResponseEncoder().wrap(buffer, 0).correlationId(1).lineage(view.lineage()).epoch(view.epoch())
            .size(view.size()).listsProber(false).oldestIncarnation(oldest.incarnation()).oldestNodeId(oldest.nodeId())
            .running(running);
        return new SeedProbeResponseDecoder().wrap(buffer, 0, SeedProbeResponseDecoder.BODY_LENGTH);
    }

    private void assertWinner(final View winner, final boolean winnerRunning, final View loser,
        final boolean loserRunning)
    {
        assertTrue(SeedProber.otherWins(loser, loserRunning, summaryOf(winner, winnerRunning)), "the loser yields");
        assertFalse(SeedProber.otherWins(winner, winnerRunning, summaryOf(loser, loserRunning)), "the winner stays");
    }

    @Test
    void shouldMakeTheLargerInstanceWinAmongRunningOnes()
    {
        assertWinner(view(1, 5_000, 3), true, view(2, 1_000, 2), true);
    }

    @Test
    void shouldMakeTheInstanceWithTheOldestMemberWinATie()
    {
        assertWinner(view(2, 1_000, 3), true, view(1, 5_000, 3), true);
    }

    @Test
    void shouldMakeARunningInstanceWinAgainstALargerOneThatIsNot()
    {
        // A view below its seed floor must not pull a serving instance apart, however many members it kept.
        assertWinner(view(1, 5_000, 2), true, view(2, 1_000, 4), false);
    }

    @Test
    void shouldMergeTwoInstancesThatBothDoNotRunBySize()
    {
        assertWinner(view(1, 5_000, 3), false, view(2, 1_000, 2), false);
    }
}
