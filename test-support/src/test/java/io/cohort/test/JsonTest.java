package io.cohort.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest
{
    @Test
    void shouldParseEveryKindOfValue()
    {
        final Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c\n\u00e9/");
        expected.put("n", -12L);
        expected.put("d", 1.5e3);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("z", null);
        expected.put("a", Arrays.asList(1L, List.of(), Map.of()));
        assertEquals(expected, Json.parseObject(
            " {\"s\": \"a\\\"b\\\\c\\n\\u00e9\\/\", \"n\": -12, \"d\": 1.5e3, \"t\": true, \"f\": false, " +
            "\"z\": null, \"a\": [1, [], {}]}\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{", "{\"a\": 1,}", "[1,]", "{\"a\" 1}", "\"raw\ttab\"", "\"bad \\x\"", "01", "1.",
        "tru", "{} {}", "{\"a\": 1, \"a\": 2}", "'single'" })
    void shouldRefuseWhatIsNotExactlyOneJsonValue(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
    }
}
