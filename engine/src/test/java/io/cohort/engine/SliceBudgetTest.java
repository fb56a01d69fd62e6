package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceBudgetTest
{
    private static final long BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private long nowNs = 1_000_000;

    @Test
    void shouldBeSpentByRowsWithoutAClock()
    {
        final SliceBudget budget = new SliceBudget(BUDGET_NS);
        assertEquals(BUDGET_NS / SliceBudget.ROW_COST_NS, budget.maxRows());
        budget.begin();
        budget.charge(budget.maxRows() - 1);
        assertFalse(budget.exhausted());
        assertEquals(1, budget.remainingRows());
        budget.charge(1);
        assertTrue(budget.exhausted());
        assertEquals(0, budget.remainingRows());

        budget.begin();
        assertFalse(budget.exhausted(), "each cycle has its own budget");
        assertEquals(budget.maxRows(), budget.remainingRows());
    }

    @Test
    void shouldBeSpentByTimeReadOncePerUnitWithAClock()
    {
        final SliceBudget budget = new SliceBudget(BUDGET_NS);
        budget.clock(() -> nowNs);
        budget.begin();
        nowNs += BUDGET_NS - 1;
        budget.charge(10);
        assertFalse(budget.exhausted());
        nowNs += 1;
        // The clock is read when a unit is charged, not in between: the budget is spent at the next charge.
        assertFalse(budget.exhausted());
        budget.charge(10);
        assertTrue(budget.exhausted());
        assertEquals(20, budget.rows());
    }

    @Test
    void shouldCountAnEmptyUnitAsWorkSoAJobOfEmptyUnitsEnds()
    {
        final SliceBudget budget = new SliceBudget(TimeUnit.MICROSECONDS.toNanos(100));
        budget.begin();
        long units = 0;
        while (!budget.exhausted())
        {
            budget.charge(0);
            units++;
        }
        assertEquals(budget.maxRows(), units);
    }

    @Test
    void shouldRecordThePeakOfACycleAndTheLargestUnit()
    {
        final SliceBudget budget = new SliceBudget(BUDGET_NS);
        budget.begin();
        budget.charge(3000);
        budget.charge(1500);
        assertTrue(budget.exhausted());
        budget.begin();
        budget.charge(100);
        assertEquals(4500, budget.peakRows());
        assertEquals(3000, budget.largestUnit());
        assertTrue(budget.peakRows() < budget.maxRows() + budget.largestUnit());
    }
}
