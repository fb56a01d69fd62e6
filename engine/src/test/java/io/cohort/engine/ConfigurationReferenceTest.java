package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's configuration table is generated from the Configuration classes: this test fails when it is
 * stale. Regenerate it with
 * {@code mvn -o -q -pl engine -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcohort.readme.update=true}.
 */
class ConfigurationReferenceTest
{
    /** Set to true to rewrite the README's table instead of checking it. */
    static final String UPDATE_PROP_NAME = "cohort.readme.update";

    private static Path root()
    {
        return Paths.get(System.getProperty("cohort.root", "..")).toAbsolutePath().normalize();
    }

    @Test
    void readmeTableShouldMatchTheConfigurationClasses() throws Exception
    {
        final Path readme = root().resolve("README.md");
        final String text = Files.readString(readme, StandardCharsets.UTF_8);
        final String table = ConfigurationReference.table(root());
        if (Boolean.getBoolean(UPDATE_PROP_NAME))
        {
            Files.writeString(readme, ConfigurationReference.replaceTable(text, table), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table, ConfigurationReference.currentTable(text),
            "README.md's configuration table is stale: regenerate it with mvn -o -q -pl engine -am test " +
            "-Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROP_NAME + "=true");
    }

    @Test
    void shouldListEveryPropertyWithItsDefaultAndMeaning()
    {
        final String table = ConfigurationReference.table(root());
        assertTrue(table.contains("| `cohort.cluster.seeds` | *empty*: no seed. | Seeds to join through: "), table);
        assertTrue(table.contains("| `cohort.heartbeat.interval` | `100ms` | Interval between heartbeats. |"), table);
        assertTrue(table.contains("| `cohort.state.max.rooms` | `1048576` | "), table);
        assertTrue(table.contains("| `cohort.counters.dir` | `/dev/shm/cohort` where `/dev/shm` exists"), table);
        // One row per property: 30 engine, 13 transport, 9 state.
        assertEquals(30 + 13 + 9, table.lines().filter((line) -> line.startsWith("| `cohort.")).count(), table);
    }

    @Test
    void shouldTurnJavadocIntoMarkdown()
    {
        assertEquals("Fewer than this and the node is `NodeState.NOT_ENOUGH_NODES`; see `cohort.cluster.seeds` \\| x.",
            ConfigurationReference.javadoc(CohortConfiguration.class,
                "\n     * Fewer than this and the node is {@link NodeState#NOT_ENOUGH_NODES};\n" +
                "     * see {@link #SEEDS_PROP_NAME} | x.\n     "));
    }
}
