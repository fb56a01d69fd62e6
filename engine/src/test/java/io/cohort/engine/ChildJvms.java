package io.cohort.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the multi-process tests share: the class path their child JVMs run from, and ending every child by its
 * own pid.
 */
final class ChildJvms
{
    private ChildJvms()
    {
    }

    /**
     * Copies this build's class directories and Cohort jars, so that another build of the same tree (recompiling
     * target/classes, installing a module) cannot pull classes from under a running child.
     *
     * @param directory where to copy them.
     * @return the class path for the children.
     * @throws IOException if a copy fails.
     */
    static String copyClassPath(final Path directory) throws IOException
    {
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
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
     * Ends every child: SIGTERM, then SIGKILL after a bound.
     *
     * @param processes the children.
     * @return the children that still did not die.
     * @throws InterruptedException if interrupted while waiting.
     */
    static List<String> endAll(final List<MultiProcessClusterTest.NodeProcess> processes) throws InterruptedException
    {
        for (final MultiProcessClusterTest.NodeProcess process : processes)
        {
            process.process.destroy();
        }
        final List<String> undead = new ArrayList<>();
        for (final MultiProcessClusterTest.NodeProcess process : processes)
        {
            if (!process.process.waitFor(5, TimeUnit.SECONDS))
            {
                process.process.destroyForcibly();
                if (!process.process.waitFor(10, TimeUnit.SECONDS))
                {
                    undead.add(process.toString());
                }
            }
            process.close();
        }
        return undead;
    }
}
