package io.cohort.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertySetTest
{
    static final class SampleConfiguration
    {
        public static final String TIMEOUT_PROP_NAME = "cohort.test.timeout";
        public static final String TIMEOUT_DEFAULT = "2s";
        public static final String LENGTH_PROP_NAME = "cohort.test.length";
        public static final String COUNT_PROP_NAME = "cohort.test.count";
        public static final String ENABLED_PROP_NAME = "cohort.test.enabled";
        public static final String MODE_PROP_NAME = "cohort.test.mode";
        public static final String HOST_PROP_NAME = "cohort.test.host";
        static final String HIDDEN_PROP_NAME = "cohort.test.hidden";
        public static final String NOT_A_NAME = "cohort.test.other";
    }

    static final class Duplicates
    {
        public static final String A_PROP_NAME = "cohort.test.same";
        public static final String B_PROP_NAME = "cohort.test.same";
    }

    enum Mode
    {
        KEEP_MAJORITY, STATIC_QUORUM
    }

    private static final PropertySet PROPERTIES = PropertySet.of(SampleConfiguration.class);

    @AfterEach
    void clearProperties()
    {
        for (final String name : PROPERTIES.names())
        {
            System.clearProperty(name);
        }
    }

    @Test
    void shouldDeclareEveryPublicPropNameConstantInOrder()
    {
        assertEquals(List.of("cohort.test.timeout", "cohort.test.length", "cohort.test.count", "cohort.test.enabled",
            "cohort.test.mode", "cohort.test.host"), List.copyOf(PROPERTIES.names()));
        assertTrue(PROPERTIES.contains(SampleConfiguration.COUNT_PROP_NAME));
        assertFalse(PROPERTIES.contains(SampleConfiguration.HIDDEN_PROP_NAME));
        assertSame(SampleConfiguration.class, PROPERTIES.declaringClass());
    }

    @Test
    void shouldRefuseToReadAnUndeclaredName()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> PROPERTIES.intValue(SampleConfiguration.NOT_A_NAME, 1));
        assertTrue(ex.getMessage().contains("cohort.test.other is not declared"), ex.getMessage());
    }

    @Test
    void shouldRefuseADuplicateOrAnEmptyDeclaration()
    {
        assertThrows(IllegalStateException.class, () -> PropertySet.of(Duplicates.class));
        assertThrows(IllegalStateException.class, () -> PropertySet.of(Mode.class));
    }

    @Test
    void shouldReturnDefaultsWhenUnset()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(2), PROPERTIES.durationNs(SampleConfiguration.TIMEOUT_PROP_NAME, "2s"));
        assertEquals(4096, PROPERTIES.intSize(SampleConfiguration.LENGTH_PROP_NAME, "4k", 1 << 30));
        assertEquals(4096, PROPERTIES.intSize(SampleConfiguration.LENGTH_PROP_NAME, 4096, 1 << 30));
        assertEquals(7, PROPERTIES.size(SampleConfiguration.LENGTH_PROP_NAME, 7L));
        assertEquals(3, PROPERTIES.intValue(SampleConfiguration.COUNT_PROP_NAME, 3));
        assertTrue(PROPERTIES.booleanValue(SampleConfiguration.ENABLED_PROP_NAME, "true"));
        assertEquals(Mode.STATIC_QUORUM,
            PROPERTIES.enumValue(SampleConfiguration.MODE_PROP_NAME, "static-quorum", Mode.class));
        assertEquals("", PROPERTIES.string(SampleConfiguration.HOST_PROP_NAME, ""));
    }

    @Test
    void shouldReadSetProperties()
    {
        System.setProperty(SampleConfiguration.TIMEOUT_PROP_NAME, " 250ms ");
        System.setProperty(SampleConfiguration.LENGTH_PROP_NAME, "1m");
        System.setProperty(SampleConfiguration.COUNT_PROP_NAME, "-4");
        System.setProperty(SampleConfiguration.ENABLED_PROP_NAME, "FALSE");
        System.setProperty(SampleConfiguration.MODE_PROP_NAME, "Keep-Majority");
        System.setProperty(SampleConfiguration.HOST_PROP_NAME, "10.0.0.1");

        assertEquals(TimeUnit.MILLISECONDS.toNanos(250),
            PROPERTIES.durationNs(SampleConfiguration.TIMEOUT_PROP_NAME, "2s"));
        assertEquals(1 << 20, PROPERTIES.intSize(SampleConfiguration.LENGTH_PROP_NAME, 4096, 1 << 30));
        assertEquals(1 << 20, PROPERTIES.size(SampleConfiguration.LENGTH_PROP_NAME, 7L));
        assertEquals(-4, PROPERTIES.intValue(SampleConfiguration.COUNT_PROP_NAME, 3));
        assertFalse(PROPERTIES.booleanValue(SampleConfiguration.ENABLED_PROP_NAME, "true"));
        assertEquals(Mode.KEEP_MAJORITY,
            PROPERTIES.enumValue(SampleConfiguration.MODE_PROP_NAME, "static-quorum", Mode.class));
        assertEquals("10.0.0.1", PROPERTIES.string(SampleConfiguration.HOST_PROP_NAME, ""));
    }

    @Test
    void shouldEchoTheValueAsWrittenWhenASetPropertyIsBad()
    {
        System.setProperty(SampleConfiguration.TIMEOUT_PROP_NAME, "2x");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PROPERTIES.durationNs(SampleConfiguration.TIMEOUT_PROP_NAME, "2s"));
        assertTrue(ex.getMessage().startsWith("cohort.test.timeout=2x is not a duration"), ex.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "duration | 0ns    | 0",
        "duration | 15     | 15",
        "duration | 100ms  | 100000000",
        "duration | 2s     | 2000000000",
        "duration | 7us    | 7000",
        "duration | ' 1S ' | 1000000000",
        "size     | 65536  | 65536",
        "size     | 64k    | 65536",
        "size     | 1m     | 1048576",
        "size     | 2G     | 2147483648",
        "intSize  | 1g     | 1073741824",
        "int      | 7510   | 7510",
        "int      | ' 42 ' | 42",
        "int      | -1     | -1",
        "boolean  | true   | true",
        "boolean  | False  | false",
        "enum     | keep-majority | KEEP_MAJORITY",
        "enum     | STATIC_QUORUM | STATIC_QUORUM",
    })
    void shouldParseGoodValues(final String kind, final String value, final String expected)
    {
        assertEquals(expected, parse(kind, value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "duration | 2x      | ' is not a duration (e.g. 100ms, 2s)'",
        "duration | ''      | ' is not a duration (e.g. 100ms, 2s)'",
        "duration | ten     | ' is not a duration (e.g. 100ms, 2s)'",
        "size     | lots    | ' is not a size (e.g. 65536, 64k, 1m)'",
        "size     | 4t      | ' is not a size (e.g. 65536, 64k, 1m)'",
        "size     | ''      | ' is not a size (e.g. 65536, 64k, 1m)'",
        "intSize  | 2g      | ' is too large (at most 1073741824)'",
        "int      | seven   | ' is not an integer'",
        "int      | 1.5     | ' is not an integer'",
        "int      | 3000000000 | ' is not an integer'",
        "boolean  | yes     | ' is not true or false'",
        "boolean  | ''      | ' is not true or false'",
        "enum     | keep-all | ' is not one of keep-majority, static-quorum'",
    })
    void shouldNameTheValueAsWrittenWhenBad(final String kind, final String value, final String reason)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(kind, value));
        assertEquals("cohort.test." + kind + "=" + value + reason, ex.getMessage());
    }

    private static String parse(final String kind, final String value)
    {
        final String name = "cohort.test." + kind;
        switch (kind)
        {
            case "duration":
                return Long.toString(PropertySet.parseDurationNs(name, value));
            case "size":
                return Long.toString(PropertySet.parseSize(name, value));
            case "intSize":
                return Integer.toString(PropertySet.parseIntSize(name, value, 1 << 30));
            case "int":
                return Integer.toString(PropertySet.parseInt(name, value));
            case "boolean":
                return Boolean.toString(PropertySet.parseBoolean(name, value));
            case "enum":
                return PropertySet.parseEnum(name, value, Mode.class).name();
            default:
                throw new IllegalArgumentException(kind);
        }
    }
}
