package io.cohort.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SettledCutTest
{
    private static final long ALL = 0b1111;
    private static final long WITHOUT_RANK_2 = 0b1011;
    private static final long WITHOUT_RANK_3 = 0b0111;
    private static final long T0 = 1_000_000_000L;

    private final SettledCut cut = new SettledCut();

    @Test
    void shouldCountFromTheInstallWhileNoCutIsFound()
    {
        cut.reset(ALL, T0);
        assertEquals(T0, cut.observe(ALL, T0 + 50));
        assertEquals(T0, cut.observe(ALL, T0 + 90));
    }

    @Test
    void shouldCountFromWhenTheOutcomeFirstAppearedHoweverTheEdgesBehindItChange()
    {
        // The rows behind the same outcome change every cycle (a lossy member's row stale, then fresh): the outcome,
        // removing rank 2, stands still, and so does its time.
        cut.reset(ALL, T0);
        assertEquals(T0 + 10, cut.observe(WITHOUT_RANK_2, T0 + 10));
        for (long t = T0 + 20; t < T0 + 200; t += 10)
        {
            assertEquals(T0 + 10, cut.observe(WITHOUT_RANK_2, t));
        }
    }

    @Test
    void shouldStartOverWhenTheOutcomeChangesEvenForOneCycle()
    {
        cut.reset(ALL, T0);
        cut.observe(WITHOUT_RANK_2, T0 + 10);
        assertEquals(T0 + 50, cut.observe(WITHOUT_RANK_3, T0 + 50));
        assertEquals(T0 + 60, cut.observe(WITHOUT_RANK_2, T0 + 60),
            "the earlier run of the same outcome is not resumed");
        assertEquals(T0 + 70, cut.observe(ALL, T0 + 70), "the edges healed");
        assertEquals(T0 + 80, cut.observe(WITHOUT_RANK_2, T0 + 80));
    }

    @Test
    void shouldForgetTheOutcomeOfThePreviousView()
    {
        cut.reset(ALL, T0);
        cut.observe(WITHOUT_RANK_2, T0 + 10);
        cut.reset(0b111, T0 + 100);
        assertEquals(T0 + 100, cut.observe(0b111, T0 + 120));
        assertEquals(T0 + 130, cut.observe(0b011, T0 + 130));
    }
}
