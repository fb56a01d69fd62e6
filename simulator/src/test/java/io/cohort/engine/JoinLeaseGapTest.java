package io.cohort.engine;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A founder alone (its lease needs nobody's echo) lets in two joiners at once: in the views of two and three its lease
 * needs a newcomer's echo, which only the newcomer's heartbeat in that view can bring. Every member heartbeats at
 * once when it installs a view, so the founder serves nobody (NO_QUORUM) for about a round trip, not up to a
 * heartbeat interval (CI once caught {@code InProcessClusterTest} in that gap).
 */
class JoinLeaseGapTest
{
    private static final long INTERVAL_NS = ms(50);

    private final SimNetwork network = new SimNetwork(7, ms(1), 0, ms(20));
    private final List<SimNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(INTERVAL_NS)
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(400))
            .joinTimeoutNs(ms(5000));
        context.stateContext().maxRooms(64).maxConnections(64).maxNodes(4).maxOverflowSubscriptions(64);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        return node;
    }

    @Test
    void shouldLeaveTheFounderWithoutQuorumForAboutARoundTripWhenTwoJoinAtOnce()
    {
        final SimNode founder = node(1);
        founder.start(List.of());
        assertTrue(network.runUntil(() -> NodeState.RUNNING == founder.core().state(), ms(1000)));
        network.runFor(ms(37)); // the joins begin at some phase of the founder's heartbeat interval
        final SimNode second = node(2);
        final SimNode third = node(3);
        second.start(List.of(founder));
        third.start(List.of(founder));

        long longestNs = 0;
        long sinceNs = -1;
        final long deadlineNs = network.nowNs() + ms(10_000);
        while (!(allRunningInAViewOfThree(founder, second, third) && sinceNs < 0))
        {
            assertTrue(network.nowNs() < deadlineNs, "three RUNNING members: " + founder.core().state() + " " +
                second.core().state() + " " + third.core().state());
            network.runFor(ms(1));
            if (NodeState.NO_QUORUM == founder.core().state())
            {
                sinceNs = sinceNs < 0 ? network.nowNs() : sinceNs;
                longestNs = Math.max(longestNs, network.nowNs() - sinceNs + ms(1));
            }
            else
            {
                sinceNs = -1;
            }
        }
        assertTrue(longestNs <= ms(5), "the founder served nobody for " + longestNs / 1_000_000 + " ms in a row " +
            "(the heartbeat interval is " + INTERVAL_NS / 1_000_000 + " ms)");
        assertEquals(3, founder.core().membership().view().size());
    }

    private static boolean allRunningInAViewOfThree(final SimNode... all)
    {
        for (final SimNode node : all)
        {
            if (NodeState.RUNNING != node.core().state() || 3 != node.core().membership().view().size())
            {
                return false;
            }
        }
        return true;
    }
}
