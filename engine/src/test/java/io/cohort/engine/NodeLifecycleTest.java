package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeLifecycleTest
{
    private final List<String> transitions = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final NodeLifecycle lifecycle = new NodeLifecycle(7, new CohortListener()
    {
        public void onStateChanged(final NodeState previous, final NodeState current)
        {
            transitions.add(previous + "->" + current);
        }
    }, errors::add);

    @Test
    void shouldTellTheListenerOfEveryTransitionOnce()
    {
        assertSame(NodeState.STARTING, lifecycle.state());
        lifecycle.changeState(NodeState.JOINING);
        lifecycle.changeState(NodeState.JOINING);
        lifecycle.changeState(NodeState.RUNNING);

        assertEquals(List.of("STARTING->JOINING", "JOINING->RUNNING"), transitions);
        assertNull(lifecycle.failure());
    }

    @Test
    void shouldKeepTheFirstReasonANodeEndedFor()
    {
        lifecycle.changeState(NodeState.RUNNING);
        lifecycle.evictSelf(ReasonCode.PARTITION, "no quorum");
        lifecycle.evictSelf(ReasonCode.PARTITION, "a later reason");
        lifecycle.onRemovedByView(ViewTest.viewOf(2), ReasonCode.SILENCE);
        lifecycle.onDissolved(ViewTest.viewOf(2));
        lifecycle.closed();

        assertSame(NodeState.EVICTED, lifecycle.state(), "closing an evicted node keeps it EVICTED");
        assertEquals("evicted: no quorum", lifecycle.failure());
        assertEquals(List.of("STARTING->RUNNING", "RUNNING->EVICTED"), transitions);
    }

    @Test
    void shouldSayWhichViewRemovedTheNode()
    {
        lifecycle.changeState(NodeState.RUNNING);
        lifecycle.onRemovedByView(ViewTest.viewOf(3), ReasonCode.SILENCE);

        assertSame(NodeState.EVICTED, lifecycle.state());
        assertTrue(lifecycle.failure().startsWith("evicted by view 1 of the cluster (SILENCE"), lifecycle.failure());
        assertFalse(lifecycle.hasLeft());
    }

    @Test
    void shouldHaveLeftOnceAViewWithoutALeavingNodeIsInstalled()
    {
        lifecycle.changeState(NodeState.RUNNING);
        lifecycle.leaving(false);
        assertSame(NodeState.LEAVING, lifecycle.state());
        assertFalse(lifecycle.hasLeft(), "others must agree first");

        lifecycle.onRemovedByView(ViewTest.viewOf(2), ReasonCode.LEFT);

        assertTrue(lifecycle.hasLeft());
        assertSame(NodeState.LEAVING, lifecycle.state(), "a leave is no eviction");
        assertNull(lifecycle.failure());
        lifecycle.closed();
        assertSame(NodeState.CLOSED, lifecycle.state());
    }

    @Test
    void shouldHaveLeftAtOnceWhenNobodyHasToAgree()
    {
        lifecycle.changeState(NodeState.RUNNING);
        lifecycle.leaving(true);

        assertTrue(lifecycle.hasLeft());
        assertSame(NodeState.LEAVING, lifecycle.state());
    }

    @Test
    void shouldHaveLeftWhenADissolvingViewComesWhileLeaving()
    {
        lifecycle.changeState(NodeState.RUNNING);
        lifecycle.leaving(false);
        lifecycle.onDissolved(ViewTest.viewOf(2));

        assertTrue(lifecycle.hasLeft());
        assertNull(lifecycle.failure());
    }

    @Test
    void shouldCloseWithTheReasonAJoinFailedFor()
    {
        lifecycle.changeState(NodeState.JOINING);
        lifecycle.fail("join did not complete");

        assertSame(NodeState.CLOSED, lifecycle.state());
        assertEquals("join did not complete", lifecycle.failure());
    }

    @Test
    void shouldPassWhatTheListenerThrowsToTheErrorHandlerAndStillChangeState()
    {
        final NodeLifecycle throwing = new NodeLifecycle(7, new CohortListener()
        {
            public void onStateChanged(final NodeState previous, final NodeState current)
            {
                throw new IllegalStateException("listener bug");
            }
        }, errors::add);

        throwing.changeState(NodeState.RUNNING);

        assertSame(NodeState.RUNNING, throwing.state());
        assertEquals(1, errors.size());
        assertEquals("listener bug", errors.get(0).getMessage());
    }
}
