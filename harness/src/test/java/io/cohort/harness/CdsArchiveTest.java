package io.cohort.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CdsArchiveTest
{
    @TempDir
    File temp;

    @Test
    void shouldReplaceEachDirectoryOfAClassPathByAJarOfItsFilesAndKeepJarsInOrder() throws IOException
    {
        final File classes = new File(temp, "classes");
        Files.createDirectories(new File(classes, "io/cohort").toPath());
        Files.write(new File(classes, "io/cohort/A.class").toPath(), new byte[]{ 1, 2, 3 });
        Files.write(new File(classes, "app.properties").toPath(), "a=1".getBytes(StandardCharsets.UTF_8));
        final File library = new File(temp, "library.jar");
        Files.write(library.toPath(), new byte[]{ 0 });
        final File jars = new File(temp, "jars");

        final String classPath = CdsArchive.jarClassPath(
            String.join(File.pathSeparator, library.getPath(), classes.getPath()), jars);

        final String[] entries = classPath.split(File.pathSeparator);
        assertEquals(2, entries.length, classPath);
        assertEquals(library.getPath(), entries[0], "a jar is kept as it is, in its place");
        assertTrue(entries[1].endsWith(".jar") && entries[1].startsWith(jars.getAbsolutePath()), entries[1]);
        try (JarFile jar = new JarFile(entries[1]))
        {
            final List<String> names = new ArrayList<>();
            jar.stream().forEach(entry -> names.add(entry.getName()));
            assertTrue(names.contains("io/cohort/A.class"), names.toString());
            assertTrue(names.contains("app.properties"), names.toString());
            assertEquals(3, jar.getInputStream(jar.getEntry("io/cohort/A.class")).readAllBytes().length);
            assertEquals("1.0", jar.getManifest().getMainAttributes().getValue("Manifest-Version"));
        }
    }

    @Test
    void shouldLeaveTheChoiceToFlagsThatAlreadyNameClassDataSharing()
    {
        assertFalse(CdsArchive.chosenByFlags(List.of("-Xlog:gc", "-Dcohort.heartbeat.timeout=2s")));
        assertTrue(CdsArchive.chosenByFlags(List.of("-Xshare:off")));
        assertTrue(CdsArchive.chosenByFlags(List.of("-XX:SharedArchiveFile=/tmp/a.jsa")));
        assertTrue(CdsArchive.chosenByFlags(List.of("-XX:ArchiveClassesAtExit=/tmp/a.jsa")));
        assertTrue(CdsArchive.chosenByFlags(List.of("-XX:+AutoCreateSharedArchive")));
    }
}
