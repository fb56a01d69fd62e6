package io.cohort.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags every Cohort JVM needs, chosen in this one place for Java code: the java launcher argument file
 * {@value #ALL_JDKS_FILE} for every JDK, plus {@value #JDK24_FILE} from JDK {@value #FIRST_JDK_NEEDING_EXTRA_FLAGS}
 * on (JDK 17 refuses to start with one of its flags). Both files sit at the repository root; the build passes that
 * root to tests as the system property {@value #ROOT_PROP_NAME}.
 */
public final class JvmOptions
{
    /** System property: the repository root, where the argument files are. */
    public static final String ROOT_PROP_NAME = "cohort.root";
    /** The argument file for every JDK. */
    public static final String ALL_JDKS_FILE = "jvm.options";
    /** The argument file added on newer JDKs. */
    public static final String JDK24_FILE = "jvm-jdk24.options";
    /** The first JDK feature release that needs {@value #JDK24_FILE}. */
    public static final int FIRST_JDK_NEEDING_EXTRA_FLAGS = 24;

    private JvmOptions()
    {
    }

    /**
     * The argument files a JVM of a JDK release needs, in order.
     *
     * @param jdkFeature the JDK's feature release, e.g. {@code Runtime.version().feature()}.
     * @return the file names, relative to the repository root (or to a class path directory holding copies).
     */
    public static List<String> fileNames(final int jdkFeature)
    {
        return jdkFeature >= FIRST_JDK_NEEDING_EXTRA_FLAGS ? List.of(ALL_JDKS_FILE, JDK24_FILE) : List.of(ALL_JDKS_FILE);
    }

    /**
     * The argument files a child of the running JVM needs: same JDK, same files.
     *
     * @return the file names.
     */
    public static List<String> fileNames()
    {
        return fileNames(Runtime.version().feature());
    }

    /**
     * The repository root: {@value #ROOT_PROP_NAME} when set, else the nearest directory at or above the working
     * directory that holds {@value #ALL_JDKS_FILE}.
     *
     * @return the root.
     * @throws IllegalStateException if neither finds the argument files.
     */
    public static Path root()
    {
        final String property = System.getProperty(ROOT_PROP_NAME);
        if (null != property && !property.isBlank())
        {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); null != dir; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(ALL_JDKS_FILE)))
            {
                return dir;
            }
        }
        throw new IllegalStateException(ROOT_PROP_NAME + " is not set and no " + ALL_JDKS_FILE +
            " is found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The flags for a child of the running JVM as java launcher arguments ({@code @/root/jvm.options}): the
     * launcher expands the files itself, so the child gets exactly what the build and the scripts pass.
     *
     * @return the {@code @file} arguments.
     */
    public static List<String> argumentFiles()
    {
        final Path root = root();
        final List<String> arguments = new ArrayList<>();
        for (final String name : fileNames())
        {
            arguments.add("@" + root.resolve(name));
        }
        return arguments;
    }

    /**
     * The flags for a child of the running JVM, one per element (for a tool that cannot take {@code @file}).
     *
     * @return the flags, in file order.
     */
    public static List<String> flags()
    {
        final Path root = root();
        final List<String> flags = new ArrayList<>();
        for (final String name : fileNames())
        {
            try (BufferedReader reader = Files.newBufferedReader(root.resolve(name), StandardCharsets.UTF_8))
            {
                flags.addAll(parse(reader));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read " + root.resolve(name), ex);
            }
        }
        return flags;
    }

    /**
     * Parses one argument file: a flag per line, {@code #} comments and blank lines left out.
     *
     * @param reader the file's text (the caller closes it).
     * @return its flags, in order.
     * @throws IOException if reading fails.
     */
    public static List<String> parse(final Reader reader) throws IOException
    {
        final List<String> flags = new ArrayList<>();
        final BufferedReader lines = reader instanceof BufferedReader ? (BufferedReader)reader : new BufferedReader(reader);
        String line;
        while (null != (line = lines.readLine()))
        {
            final int hash = line.indexOf('#');
            final String flag = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!flag.isEmpty())
            {
                flags.add(flag);
            }
        }
        return flags;
    }
}
