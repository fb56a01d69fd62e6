package io.cohort.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Simulator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "x", "soak", "soak 0", "soak -5", "soak ten", "soak 10 x", "soak 10 1 2", "1 2",
        "soak 2 9223372036854775807" })
    void shouldRejectBadArgumentsWithOneLineAndExitCode2(final String line)
    {
        final String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        assertEquals(Simulator.BAD_ARGUMENTS, run(args), err());
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("cohort sim: "), err());
        assertEquals("", out());
    }

    @Test
    void shouldReplayOneSeedWithItsTraceAndExit0()
    {
        final long seed = SimulationTest.firstSeedWithoutPartition();

        assertEquals(Simulator.PASSED, run(Long.toString(seed)), out());
        assertTrue(out().contains("seed=" + seed + " mix=["), out());
        assertTrue(out().contains("\npassed\n"), out());
        assertTrue(out().contains("last events:"), out());
        assertTrue(out().contains("checks: convergence="), out());
        assertTrue(out().contains("replay: ./cohort sim " + seed), out());
    }

    @Test
    void shouldFailASoakWithAVacuousCheckerAndExit1()
    {
        final long seed = SimulationTest.firstSeedWithoutPartition();

        assertEquals(Simulator.FAILED, run("soak", "1", Long.toString(seed)), out());
        assertTrue(out().contains("seeds/s"), out());
        assertTrue(out().contains("one-side-after-partition"), out());
        assertTrue(out().contains("VACUOUS"), out());
        assertTrue(out().contains("vacuous checkers (checked nothing in 1 seeds): "), out());
        assertTrue(out().endsWith("FAILED" + System.lineSeparator()), out());
        assertEquals("", err());
    }
}
