package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimBatchTest
{
    private static final String[] NAMES = { "a", "b" };

    private static SimulationRun.Result result(final long seed, final String failure, final long a, final long b)
    {
        return new SimulationRun.Result(seed, SimFaultMix.forSeed(seed), failure, 1, 1, 1, 3, new SimStats(), NAMES,
            new long[]{ a, b });
    }

    @Test
    void shouldPassOnlyWhenNoSeedFailedAndEveryCheckerCheckedSomething()
    {
        final SimBatch batch = new SimBatch(1, 2, 1);
        batch.add(result(1, null, 3, 0));
        assertEquals(List.of("b"), batch.vacuousCheckers());
        assertFalse(batch.passed());

        batch.add(result(2, null, 0, 1));
        assertTrue(batch.vacuousCheckers().isEmpty(), batch::describeChecks);
        assertTrue(batch.passed(), batch::describeChecks);
    }

    @Test
    void shouldFailAnEmptyBatch()
    {
        assertFalse(new SimBatch(1, 0, 1).passed());
    }

    @Test
    void shouldListEveryFailingSeedInOrderWithTheFirstLineOfItsFailure()
    {
        final SimBatch batch = new SimBatch(1, 3, 1);
        batch.add(result(7, "at 1.000 ms: second\nmore", 1, 1));
        batch.add(result(5, null, 1, 1));
        batch.add(result(3, "at 2.000 ms: first", 1, 1));

        assertFalse(batch.passed());
        final String[] lines = batch.describeFailures().split("\n");
        assertEquals(3, lines.length, batch.describeFailures());
        assertTrue(lines[1].startsWith("  3 [") && lines[1].endsWith("] at 2.000 ms: first"), lines[1]);
        assertTrue(lines[2].startsWith("  7 [") && lines[2].endsWith("] at 1.000 ms: second"), lines[2]);
    }
}
