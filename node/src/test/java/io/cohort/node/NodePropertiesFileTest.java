package io.cohort.node;

import io.cohort.engine.CohortConfiguration;
import io.cohort.state.StateConfiguration;
import io.cohort.transport.TransportConfiguration;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution's {@code conf/node.properties} lists every setting a node reads, commented out, with the default
 * that the configuration reference (README.md, itself checked against the Configuration classes) gives it, so the
 * file as shipped changes nothing and an operator sees every knob.
 */
class NodePropertiesFileTest
{
    private static final Pattern SETTING_LINE = Pattern.compile("^#(cohort\\.[a-z0-9.]+)=(.*)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(cohort\\.[a-z0-9.]+)` \\| (.*?) \\| .*\\|$");
    private static final Pattern CODE_DEFAULT = Pattern.compile("^`([^`]*)`.*");

    private static Path root()
    {
        return Paths.get(System.getProperty("cohort.root", "..")).toAbsolutePath().normalize();
    }

    private static String nodeProperties() throws Exception
    {
        return Files.readString(root().resolve("node/src/dist/conf/node.properties"), StandardCharsets.UTF_8);
    }

    /** The README's configuration table: each property's default as written there (empty for *empty*). */
    private static Map<String, String> readmeDefaults() throws Exception
    {
        final Map<String, String> defaults = new TreeMap<>();
        for (final String line : Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8))
        {
            final Matcher row = TABLE_ROW.matcher(line);
            if (row.matches())
            {
                final Matcher code = CODE_DEFAULT.matcher(row.group(2));
                defaults.put(row.group(1), code.matches() ? code.group(1) : "");
            }
        }
        return defaults;
    }

    @Test
    void shouldListEverySettingOnceWithItsDefault() throws Exception
    {
        final Map<String, String> listed = new TreeMap<>();
        final List<String> repeated = new ArrayList<>();
        for (final String line : nodeProperties().split("\n"))
        {
            final Matcher setting = SETTING_LINE.matcher(line);
            if (setting.matches() && null != listed.put(setting.group(1), setting.group(2)))
            {
                repeated.add(setting.group(1));
            }
        }
        assertEquals(List.of(), repeated, "listed more than once");

        final TreeSet<String> declared = new TreeSet<>(CohortConfiguration.PROPERTIES.names());
        declared.addAll(TransportConfiguration.PROPERTIES.names());
        declared.addAll(StateConfiguration.PROPERTIES.names());
        assertEquals(declared, listed.keySet(), "node.properties lists exactly the settings the node reads");

        final Map<String, String> defaults = readmeDefaults();
        assertEquals(declared, defaults.keySet(), "the README's table lists the same settings");
        assertEquals(defaults, listed, "node.properties' defaults are the configuration reference's");
    }

    @Test
    void shouldChangeNothingAsShipped() throws Exception
    {
        final Properties properties = new Properties();
        properties.load(new StringReader(nodeProperties()));
        assertTrue(properties.isEmpty(), "every setting is commented out: " + properties);
    }
}
