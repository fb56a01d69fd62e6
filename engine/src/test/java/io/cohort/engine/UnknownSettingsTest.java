package io.cohort.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnknownSettingsTest
{
    private static final String TABLE = """
        cohort.cluster.seed,              127.0.0.1:7510, cohort.cluster.seeds
        cohort.command.prot,              1,              cohort.command.port
        cohort.hearbeat.timeout,          2s,             cohort.heartbeat.timeout
        cohort.heartbeat.intervall,       50ms,           cohort.heartbeat.interval
        cohort.cluster.minimum.node,      2,              cohort.cluster.minimum.nodes
        cohort.state.max.room,            1k,             cohort.state.max.rooms
        cohort.jmx.enable,                false,          cohort.jmx.enabled
        cohort.curve.keyfile,             /tmp/k,         cohort.curve.key.file
        cohort.nodeid,                    7,              cohort.node.id
        cohort.Cluster.Seeds,             a:1,            cohort.cluster.seeds
        cohort.split.strategy,            keep-oldest,    cohort.cluster.split.strategy
        cohort.transport.send.hw,         10,             cohort.transport.send.hwm
        """;

    private final List<String> set = new ArrayList<>();

    @TempDir
    File dir;

    @AfterEach
    void clearProperties()
    {
        set.forEach(System::clearProperty);
    }

    private void setProperty(final String name, final String value)
    {
        set.add(name);
        System.setProperty(name, value);
    }

    @ParameterizedTest
    @CsvSource(textBlock = TABLE)
    void shouldRefuseAnUnknownSystemPropertyNamingTheClosestSetting(
        final String name, final String value, final String suggestion)
    {
        setProperty(name, value);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CohortContext().conclude());
        assertEquals("unknown setting " + name + "=" + value + " (system property): did you mean " + suggestion +
            "?", ex.getMessage());
    }

    @ParameterizedTest
    @CsvSource(textBlock = TABLE)
    void shouldRefuseAnUnknownKeyOfThePropertiesFileNamingTheClosestSetting(
        final String name, final String value, final String suggestion) throws IOException
    {
        final File file = new File(dir, "node.properties");
        Files.writeString(file.toPath(), "cohort.jmx.enabled=false\n" + name + " = " + value + "\n",
            StandardCharsets.ISO_8859_1);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> StandaloneProcess.loadProperties(file));
        assertEquals("unknown setting " + name + "=" + value + " (properties file " + file + "): did you mean " +
            suggestion + "?", ex.getMessage());
        assertNull(System.getProperty("cohort.jmx.enabled"), "nothing of a refused file is applied");
    }

    @Test
    void shouldNameEveryUnknownSettingAtOnce()
    {
        setProperty("cohort.cluster.seed", "127.0.0.1:7510");
        setProperty("cohort.command.prot", "1");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new CohortContext().conclude());
        assertEquals("unknown setting cohort.cluster.seed=127.0.0.1:7510 (system property): did you mean " +
            "cohort.cluster.seeds?; unknown setting cohort.command.prot=1 (system property): did you mean " +
            "cohort.command.port?", ex.getMessage());
    }

    @Test
    void shouldAcceptToolAndTestPropertiesAndOtherPrefixes()
    {
        setProperty("cohort.sim.seed", "1");
        setProperty("cohort.test.excludedGroups", "slow");
        setProperty("cohort.fault.drop.from", "");
        setProperty("cohort.readme.update", "false");
        setProperty("cohortx.anything", "1");
        setProperty("gateway.prot", "1");
        new CohortContext().conclude();
    }

    @Test
    void shouldAcceptEveryDeclaredSetting()
    {
        assertEquals(List.of(), ToolProperties.KNOWN.names().stream()
            .filter((name) -> !ToolProperties.KNOWN.accepts(name)).toList());
        assertEquals(CohortConfiguration.PROPERTIES.names().size() +
            io.cohort.transport.TransportConfiguration.PROPERTIES.names().size() +
            io.cohort.state.StateConfiguration.PROPERTIES.names().size(), ToolProperties.KNOWN.names().size());
    }
}
