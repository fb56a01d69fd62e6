package io.cohort.harness;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * An application class-data sharing (AppCDS) archive of a node JVM's classes, made by a training node at the start
 * of a run and given to every node of it: a node's JVM then maps the classes of Cohort, Chronicle Map, Agrona and
 * JeroMQ from the archive instead of reading, parsing and verifying them from jars. Measured on this project's
 * two-core machine (bench/RESULTS.md): a joining node's launch (off-heap state created, sockets bound) 1.0-1.1 s
 * instead of 1.4-1.5 s, and a third less CPU to RUNNING. A deployment gets the same with the JDK's own flags (README,
 * "Start a node faster").
 * <p>
 * The JDK archives only classes loaded from jars, so a class path entry that is a directory (a module's
 * {@code target/classes}) is copied into a jar first, and the nodes run from that class path: the archive is valid
 * only for the class path it was made with. The training node is a node of the run's own sizing, alone, that creates
 * the run's rooms and quits; its JVM writes the archive as it exits ({@code -XX:ArchiveClassesAtExit}). If anything
 * fails, the run goes on without an archive and says so.
 */
final class CdsArchive
{
    /** The flag that gives a JVM an archive to map. */
    static final String USE_FLAG = "-XX:SharedArchiveFile=";
    /** The flag that makes a JVM write the archive of the classes it loaded as it exits. */
    static final String DUMP_FLAG = "-XX:ArchiveClassesAtExit=";

    private final String classPath;
    private final File file;

    private CdsArchive(final String classPath, final File file)
    {
        this.classPath = classPath;
        this.file = file;
    }

    /**
     * @return the class path the archive was made with, which the nodes must run from.
     */
    String classPath()
    {
        return classPath;
    }

    /**
     * @return the flag that gives a node JVM this archive.
     */
    String useFlag()
    {
        return USE_FLAG + file.getAbsolutePath();
    }

    /**
     * Whether the node JVMs' flags already say what to do with class data sharing (then no archive is made).
     *
     * @param jvmFlags the node JVMs' flags.
     * @return true if one of them is a CDS flag.
     */
    static boolean chosenByFlags(final List<String> jvmFlags)
    {
        for (final String flag : jvmFlags)
        {
            // -Xshare:..., -XX:SharedArchiveFile=..., -XX:ArchiveClassesAtExit=... (JDK 19+: AutoCreateSharedArchive).
            if (flag.startsWith("-Xshare") || flag.contains("SharedArchive") || flag.contains("ArchiveClassesAtExit"))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The class path with each directory entry replaced by a jar of its contents, written into {@code jarDir}; jars
     * are kept as they are, in order.
     *
     * @param classPath a class path.
     * @param jarDir    where the jars of directories go.
     * @return the class path of jars only.
     * @throws IOException if a jar cannot be written.
     */
    static String jarClassPath(final String classPath, final File jarDir) throws IOException
    {
        final List<String> entries = new ArrayList<>();
        int directories = 0;
        for (final String entry : classPath.split(File.pathSeparator))
        {
            if (entry.isEmpty())
            {
                continue;
            }
            final File file = new File(entry);
            if (file.isDirectory())
            {
                Files.createDirectories(jarDir.toPath());
                final File jar = new File(jarDir, "classes-" + directories++ + ".jar");
                writeJar(file.toPath(), jar);
                entries.add(jar.getAbsolutePath());
            }
            else
            {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void writeJar(final Path root, final File jar) throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream file = Files.newOutputStream(jar.toPath());
            JarOutputStream out = new JarOutputStream(file, manifest);
            Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted()::iterator)
            {
                if (path.equals(root))
                {
                    continue;
                }
                final String name = root.relativize(path).toString().replace(File.separatorChar, '/');
                if (Files.isDirectory(path))
                {
                    out.putNextEntry(new JarEntry(name + "/"));
                    out.closeEntry();
                }
                else if (!"META-INF/MANIFEST.MF".equals(name))
                {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
        }
    }

    /**
     * Makes the archive with a training node: the run's node arguments and flags, alone (no seeds), its files in
     * {@code dir/cds}; it creates the rooms (the {@code setup} command) and quits, and its JVM writes the archive.
     *
     * @param dir       the run's directory.
     * @param classPath the nodes' class path.
     * @param heap      the nodes' -Xmx, or empty.
     * @param jvmFlags  the nodes' flags.
     * @param nodeArgs  the nodes' arguments, without slot and seeds.
     * @param timeoutMs bound of each step.
     * @param out       where a failure is reported.
     * @return the archive, or null if it could not be made (the run goes on without).
     * @throws InterruptedException if interrupted.
     */
    static CdsArchive train(final File dir, final String classPath, final String heap, final List<String> jvmFlags,
        final List<String> nodeArgs, final long timeoutMs, final PrintStream out) throws InterruptedException
    {
        final File cdsDir = new File(dir, "cds");
        final File archive = new File(cdsDir, "node.jsa");
        NodeProcess trainer = null;
        try
        {
            final String jars = jarClassPath(classPath, cdsDir);
            final List<String> flags = new ArrayList<>(jvmFlags);
            flags.add(DUMP_FLAG + archive.getAbsolutePath());
            final List<String> args = new ArrayList<>();
            for (final String arg : nodeArgs)
            {
                args.add(arg.startsWith("dir=") ? "dir=" + cdsDir.getAbsolutePath() : arg);
            }
            args.add("slot=0");
            args.add("seeds=");
            trainer = NodeProcess.start(dir, "cds-training", 0, 0, heap, flags, jars, args);
            trainer.await("READY", timeoutMs);
            trainer.send("setup");
            trainer.await("SETUP", timeoutMs);
            trainer.send("quit");
            if (!trainer.awaitExit(timeoutMs) || !archive.isFile())
            {
                out.println("CDS archive: not made (the training node did not write " + archive + "): nodes start " +
                    "without one");
                return null;
            }
            return new CdsArchive(jars, archive);
        }
        catch (final IOException | RuntimeException ex)
        {
            out.println("CDS archive: not made (" + ex + "): nodes start without one");
            return null;
        }
        finally
        {
            if (null != trainer)
            {
                trainer.end();
            }
        }
    }
}
