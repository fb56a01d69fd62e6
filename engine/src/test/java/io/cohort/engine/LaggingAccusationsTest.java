package io.cohort.engine;

import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import static io.cohort.engine.ViewTest.viewOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaggingAccusationsTest
{
    private static final long TIMEOUT_NS = 1_000;
    /** Rank i of this view is node i + 1, incarnation 100 + i. */
    private final View view = viewOf(4);
    private final long allSurvive = view.allRanks();
    private final LongHashSet noLeavers = new LongHashSet();
    private final LaggingAccusations accusations = new LaggingAccusations();

    @Test
    void shouldRecordAnAccusationOnceAndRenewItOnTheSameIncarnation()
    {
        assertTrue(accusations.isEmpty());
        assertTrue(accusations.record(3, 102, 1, 0), "new");
        assertFalse(accusations.record(3, 102, 2, 500), "a second owner's word renews it");
        assertTrue(accusations.record(3, 999, 1, 600), "another incarnation is a new accusation");
        assertTrue(accusations.isAccused(3));
        assertFalse(accusations.isAccused(1));
    }

    @Test
    void shouldRemoveALaggardOnlyOnTheWordOfASurvivorNeitherAccusedNorLeaving()
    {
        accusations.record(3, 102, 1, 0);
        assertTrue(accusations.isRemovable(view, 2, allSurvive, noLeavers));
        assertFalse(accusations.isRemovable(view, 1, allSurvive, noLeavers), "nobody accused node 2");
        assertFalse(accusations.isRemovable(view, 2, allSurvive & ~1L, noLeavers), "its accuser is cut");

        final LongHashSet leavers = new LongHashSet();
        leavers.add(1);
        assertFalse(accusations.isRemovable(view, 2, allSurvive, leavers), "its accuser is leaving");

        accusations.record(1, 100, 3, 0);
        assertFalse(accusations.isAccused(3), "accused by an accused member");
        assertFalse(accusations.isRemovable(view, 2, allSurvive, noLeavers), "its accuser is accused itself");
    }

    @Test
    void shouldNotRemoveAnotherIncarnationThanTheOneAccused()
    {
        accusations.record(3, 777, 1, 0);
        assertFalse(accusations.isRemovable(view, 2, allSurvive, noLeavers));
    }

    @Test
    void shouldEndAnAccusationNotRenewedForAHeartbeatTimeout()
    {
        accusations.record(3, 102, 1, 0);
        accusations.record(4, 103, 1, 0);
        accusations.record(4, 103, 1, 800);
        accusations.expire(TIMEOUT_NS + 1, TIMEOUT_NS);
        assertFalse(accusations.isAccused(3), "not renewed");
        assertTrue(accusations.isAccused(4), "renewed at 800");
        accusations.expire(800 + TIMEOUT_NS + 1, TIMEOUT_NS);
        assertTrue(accusations.isEmpty());
    }

    @Test
    void shouldForgetAccusationsOfOrByNodesANewViewNoLongerLists()
    {
        accusations.record(3, 102, 1, 0);
        accusations.record(4, 103, 2, 0);
        accusations.record(2, 101, 1, 0);
        final View smaller = viewOf(3);
        accusations.retainMembersOf(smaller);
        assertTrue(accusations.isAccused(3), "subject and accuser still listed");
        assertFalse(accusations.isAccused(4), "subject gone");

        final LaggingAccusations byAStranger = new LaggingAccusations();
        byAStranger.record(3, 102, 9, 0);
        byAStranger.retainMembersOf(smaller);
        assertFalse(byAStranger.isAccused(3), "accuser not listed");
    }
}
