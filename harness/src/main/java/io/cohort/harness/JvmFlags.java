package io.cohort.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags every Cohort JVM needs, read from the argument files {@code jvm.options} and (on JDK 24+)
 * {@code jvm-jdk24.options} that the build copies from the repository root onto this module's class path,
 * so that JMH forks and child node processes get exactly the flags that tests and {@code ./cohort} use.
 */
public final class JvmFlags
{
    private static final int FIRST_JDK_NEEDING_EXTRA_FLAGS = 24;

    private JvmFlags()
    {
    }

    /**
     * The flags for the running JDK, in file order, comments and blank lines removed.
     *
     * @return the JVM flags to pass to a child JVM of the same JDK.
     */
    public static List<String> forCurrentJdk()
    {
        final List<String> flags = new ArrayList<>(read("jvm.options"));
        if (Runtime.version().feature() >= FIRST_JDK_NEEDING_EXTRA_FLAGS)
        {
            flags.addAll(read("jvm-jdk24.options"));
        }
        return flags;
    }

    private static List<String> read(final String resourceName)
    {
        final List<String> flags = new ArrayList<>();
        try (InputStream in = JvmFlags.class.getResourceAsStream(resourceName))
        {
            if (null == in)
            {
                throw new IllegalStateException("missing class path resource io/cohort/harness/" + resourceName +
                    ": the build copies it from the repository root");
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (null != (line = reader.readLine()))
            {
                final int hash = line.indexOf('#');
                final String flag = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!flag.isEmpty())
                {
                    flags.add(flag);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return flags;
    }
}
