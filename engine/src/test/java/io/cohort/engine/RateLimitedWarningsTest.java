package io.cohort.engine;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitedWarningsTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> lines = new ArrayList<>();
    private final RateLimitedWarnings warnings = new RateLimitedWarnings(
        (format, args) -> lines.add(format.replace("{}", "%s").formatted(args)), clock, 3, 1_000);

    @Test
    void shouldLogABurstPerIntervalAndCountTheRest()
    {
        for (int i = 0; i < 10; i++)
        {
            warnings.warn("dup", "duplicate {}", i);
        }
        assertEquals(List.of("duplicate 0", "duplicate 1", "duplicate 2"), lines);

        clock.advance(1_000);
        assertTrue(warnings.warn("dup", "duplicate {}", 10));
        assertEquals("duplicate 10 (and 7 more like it suppressed since the last such line)", lines.get(3));
        assertTrue(warnings.warn("dup", "duplicate {}", 11));
        assertEquals("duplicate 11", lines.get(4), "the count is told once");
    }

    @Test
    void shouldKeepATrailingThrowableLast()
    {
        final List<Object[]> calls = new ArrayList<>();
        final RateLimitedWarnings errors = new RateLimitedWarnings((format, args) -> calls.add(args), clock, 1, 1_000);
        final IllegalStateException failure = new IllegalStateException("boom");
        errors.warn("error", "node {}: {}", "n1", "boom", failure);
        errors.warn("error", "node {}: {}", "n1", "boom", failure);
        clock.advance(1_000);
        errors.warn("error", "node {}: {}", "n1", "boom", failure);

        assertEquals(2, calls.size());
        assertEquals(List.of("n1", "boom", 1L, failure), List.of(calls.get(1)));
    }

    @Test
    void shouldGiveEachKindItsOwnBudget()
    {
        for (int i = 0; i < 5; i++)
        {
            warnings.warn("dup", "duplicate {}", i);
        }
        assertTrue(warnings.warn("error", "error {}", 0));
        assertFalse(warnings.warn("dup", "duplicate {}", 5));
        assertEquals(List.of("duplicate 0", "duplicate 1", "duplicate 2", "error 0"), lines);
    }

    @Test
    void shouldRefuseANonPositiveBudget()
    {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedWarnings((f, a) -> { }, clock, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedWarnings((f, a) -> { }, clock, 1, 0));
    }
}
