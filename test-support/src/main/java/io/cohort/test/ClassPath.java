package io.cohort.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path child JVMs run from.
 */
public final class ClassPath
{
    private static String frozen;

    private ClassPath()
    {
    }

    /**
     * The running JVM's class path.
     *
     * @return {@code java.class.path}.
     */
    public static String current()
    {
        return System.getProperty("java.class.path");
    }

    /**
     * A copy of the running JVM's class directories and Cohort jars, made once per JVM and deleted when it exits,
     * with the other entries (third-party jars in the local repository) as they are: another build of the same
     * tree (recompiling {@code target/classes}, packaging a module) cannot pull classes from under a running
     * child.
     *
     * @return the class path of the copy.
     */
    public static synchronized String frozenCopy()
    {
        if (null == frozen)
        {
            try
            {
                final Path directory = Files.createTempDirectory("cohort-classpath-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory), "classpath-cleanup"));
                frozen = copyOf(directory);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot copy the class path", ex);
            }
        }
        return frozen;
    }

    /**
     * Copies the running JVM's class directories and Cohort jars into a directory.
     *
     * @param directory where to copy them.
     * @return the class path of the copy, third-party jars left where they are.
     * @throws IOException if a copy fails.
     */
    public static String copyOf(final Path directory) throws IOException
    {
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : current().split(File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (Files.isDirectory(source) || entry.contains("cohort"))
            {
                final Path target = directory.resolve(index++ + "-" + source.getFileName());
                try (Stream<Path> paths = Files.walk(source))
                {
                    for (final Path path : (Iterable<Path>)paths::iterator)
                    {
                        Files.copy(path, target.resolve(source.relativize(path).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                entries.add(target.toString());
            }
            else
            {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Deletes a directory tree, ignoring what cannot be deleted.
     *
     * @param directory the tree's root.
     */
    public static void deleteQuietly(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try
        {
            Files.walkFileTree(directory, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path dir, final IOException ex)
                {
                    dir.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ignore)
        {
            // best effort: a temporary directory
        }
    }
}
