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
 * A joiner that a view has let in counts in that view's quorums and answers other joiners that a cluster exists, yet
 * it does not serve until it has synced its members. When every other member of its view is gone, it evicts itself
 * after a heartbeat timeout and a suspicion window without quorum, as a serving member does, instead of waiting out
 * its join timeout: meanwhile the nodes that restart could not found the cluster again (seed 3,163,314 in deadline
 * mode: eight nodes collapsed after a heal, and one joiner let into the dead view held them off for 1.6 s).
 */
class JoinerOfADeadViewTest
{
    private final SimNetwork network = new SimNetwork(13, ms(1), 0, ms(5));
    private final List<SimNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    @Test
    void shouldEvictItselfOnceItsViewIsGoneRatherThanWaitOutItsJoinTimeout()
    {
        final SimNode first = node(1);
        first.start(List.of());
        network.runFor(ms(50));
        final SimNode second = join(2, first);
        final SimNode third = join(3, first);
        final SimNode joiner = node(4);
        joiner.start(List.of(first));
        final long deadlineNs = network.nowNs() + ms(3_000);
        while (!joiner.core().membership().isMember() && network.nowNs() < deadlineNs)
        {
            network.runFor(ms(1));
        }
        assertTrue(joiner.core().membership().isMember(), "a view let the joiner in");
        assertEquals(NodeState.JOINING, joiner.core().state(), "still syncing its members");

        first.crash();
        second.crash();
        third.crash();
        final long goneNs = network.nowNs();
        assertTrue(network.runUntil(() -> NodeState.EVICTED == joiner.core().state(), ms(2_000)),
            () -> joiner + " " + joiner.core().state());

        final CohortContext context = SmallNodes.context();
        final long windowNs = context.heartbeatTimeoutNs() + context.suspicionTimeoutNs();
        assertTrue(network.nowNs() - goneNs <= windowNs + ms(200),
            "evicted a heartbeat timeout and a suspicion window after its view went silent, not at its join timeout");
        assertTrue(joiner.core().failure().contains("while joining it"), joiner.core().failure());
    }

    private SimNode node(final long nodeId)
    {
        final SimNode node = SmallNodes.node(network, nodeId);
        nodes.add(node);
        return node;
    }

    private SimNode join(final long nodeId, final SimNode seed)
    {
        final SimNode joiner = node(nodeId);
        joiner.start(List.of(seed));
        assertTrue(network.runUntil(() -> nodes.stream().allMatch(SimNode::runningAndSynced), ms(5_000)),
            () -> joiner + " " + joiner.core().state());
        network.runFor(ms(50));
        return joiner;
    }
}
