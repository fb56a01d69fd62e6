package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The settings a join compares, named as an operator writes them, the same way on both sides of the join.
 */
class JoinSettingsTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @ParameterizedTest(name = "{0}/{1} ms there -> {3}")
    @CsvSource(delimiter = '|', value = {
        "100  | 1000 | 5 | ",
        "200  | 2000 | 5 | ",
        "50   | 500  | 5 | ",
        "201  | 1000 | 5 | cohort.heartbeat.interval=201ms there, 100ms here (more than 2x apart)",
        "49   | 1000 | 5 | cohort.heartbeat.interval=49ms there, 100ms here (more than 2x apart)",
        "100  | 3000 | 5 | cohort.heartbeat.timeout=3s there, 1s here (more than 2x apart)",
        "100  | 499  | 5 | cohort.heartbeat.timeout=499ms there, 1s here (more than 2x apart)",
        "100  | 0    | 5 | cohort.heartbeat.timeout=0ns there, 1s here (more than 2x apart)",
        "100  | 1000 | 4 | protocol version 4.0 there, 5.0 here",
        "100  | 1000 | 1 | protocol version 1.0 there, 5.0 here" })
    void shouldNameTheFirstSettingThatDiffers(
        final long intervalMs, final long timeoutMs, final int versionMajor, final String expected)
    {
        final CohortContext here = new CohortContext().heartbeatIntervalNs(100 * MS).heartbeatTimeoutNs(1000 * MS);
        assertEquals(5, FrameLayout.VERSION_MAJOR, "the expected message names version 5");
        assertEquals(expected, JoinSettings.mismatch(here, versionMajor, 0, intervalMs * MS, timeoutMs * MS));
    }
}
