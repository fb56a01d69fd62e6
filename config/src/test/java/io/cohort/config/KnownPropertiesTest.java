package io.cohort.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownPropertiesTest
{
    static final class Sample
    {
        public static final String SEEDS_PROP_NAME = "x.cluster.seeds";
        public static final String PORT_PROP_NAME = "x.command.port";
        public static final String SPLIT_PROP_NAME = "x.cluster.split.strategy";
        public static final String IDLE_PROP_NAME = "x.idle.strategy";
    }

    private static final KnownProperties KNOWN = new KnownProperties(
        "x.", List.of(PropertySet.of(Sample.class)), List.of("x.root"), List.of("x.test."));

    @ParameterizedTest
    @CsvSource({ "abc, abc, 0", "abc, abd, 1", "abc, ab, 1", "ab, abc, 1", "'', abc, 3", "kitten, sitting, 3" })
    void shouldMeasureEditDistance(final String a, final String b, final int distance)
    {
        assertEquals(distance, KnownProperties.editDistance(a, b));
    }

    @ParameterizedTest
    @CsvSource({ "2000000000, 2s", "1500000000, 1500ms", "250000, 250us", "7, 7ns", "0, 0ns", "-3000000, -3ms" })
    void shouldFormatADurationAsAnOperatorWritesIt(final long durationNs, final String written)
    {
        assertEquals(written, PropertySet.formatDuration(durationNs));
    }

    @Test
    void shouldAcceptDeclaredAllowedAndForeignNames()
    {
        assertTrue(KNOWN.accepts("x.cluster.seeds"));
        assertTrue(KNOWN.accepts("x.root"));
        assertTrue(KNOWN.accepts("x.test.anything"));
        assertTrue(KNOWN.accepts("y.cluster.seed"));
        assertFalse(KNOWN.accepts("x.cluster.seed"));
        assertFalse(KNOWN.accepts("x.roots"));
    }

    @Test
    void shouldSuggestOnlyDeclaredNames()
    {
        assertEquals("x.cluster.seeds", KNOWN.closest("x.rooot.seeds"));
        assertEquals("x.command.port", KNOWN.closest("x.command.prot"));
        assertEquals("x.idle.strategy", KNOWN.closest("x.idle.strategi"));
    }

    @Test
    void shouldSuggestTheNameWithAMissingSegmentBeforeACloserSpelling()
    {
        assertTrue(KnownProperties.editDistance("x.split.strategy", "x.idle.strategy") <
            KnownProperties.editDistance("x.split.strategy", "x.cluster.split.strategy"), "edit distance alone misleads");
        assertEquals("x.cluster.split.strategy", KNOWN.closest("x.split.strategy"));
    }

    @Test
    void shouldNameTheValueAsWrittenAndTheSource()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> KNOWN.rejectUnknown(Map.of("x.cluster.seed", " a:1 ", "x.command.port", "1"), "file f"));
        assertEquals("unknown setting x.cluster.seed= a:1  (file f): did you mean x.cluster.seeds?", ex.getMessage());
        KNOWN.rejectUnknown(Map.of("x.command.port", "1", "x.test.y", "2"), "file f");
    }
}
