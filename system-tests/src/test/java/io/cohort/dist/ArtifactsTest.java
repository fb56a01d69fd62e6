package io.cohort.dist;

import io.cohort.test.JvmOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a project that depends on Cohort gets: the BOM lists exactly the library modules at the build's version, each
 * library ships a jar with an {@code Automatic-Module-Name}, a sources jar and a Javadoc jar, and the parent POM
 * manages no benchmark, harness or example dependency. Reads what {@code mvn package} left in each module's target/.
 */
class ArtifactsTest
{
    /** The library modules: directory name; artifact {@code cohort-<name>}; module name {@code io.cohort.<name>}. */
    private static final List<String> LIBRARY_MODULES =
        List.of("config", "codec", "state", "transport", "engine", "micrometer");
    private static final Pattern MANAGED_ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    private static String pom(final String module) throws IOException
    {
        return Files.readString(JvmOptions.root().resolve(module).resolve("pom.xml"), StandardCharsets.UTF_8);
    }

    private static String dependencyManagement(final String pom)
    {
        final int start = pom.indexOf("<dependencyManagement>");
        assertTrue(start >= 0, "a dependencyManagement section");
        return pom.substring(start, pom.indexOf("</dependencyManagement>", start));
    }

    private static List<String> artifactIds(final String text)
    {
        final List<String> ids = new ArrayList<>();
        final Matcher matcher = MANAGED_ARTIFACT.matcher(text);
        while (matcher.find())
        {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    @Test
    void bomShouldListTheLibraryModulesAtTheBuildsVersion() throws IOException
    {
        final String bom = pom("bom");
        final String version = System.getProperty("cohort.version");
        assertTrue(bom.contains("<artifactId>cohort-bom</artifactId>\n    <version>" + version + "</version>"),
            "the BOM's version is the parent's, " + version);
        final List<String> expected = LIBRARY_MODULES.stream().map((module) -> "cohort-" + module).toList();
        assertEquals(expected, artifactIds(dependencyManagement(bom)));
        assertFalse(bom.contains("<parent>"), "the BOM has no parent: importing it imports no third-party version");
    }

    @Test
    void everyLibraryShouldShipAJarWithAModuleNameAndItsSourcesAndJavadoc() throws IOException
    {
        final String version = System.getProperty("cohort.version");
        for (final String module : LIBRARY_MODULES)
        {
            final Path target = JvmOptions.root().resolve(module).resolve("target");
            final String base = "cohort-" + module + "-" + version;
            assertTrue(Files.isRegularFile(target.resolve(base + "-sources.jar")), base + "-sources.jar");
            assertTrue(Files.isRegularFile(target.resolve(base + "-javadoc.jar")), base + "-javadoc.jar");
            try (JarFile jar = new JarFile(target.resolve(base + ".jar").toFile()))
            {
                assertEquals("io.cohort." + module,
                    jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"), base);
            }
        }
    }

    @Test
    void parentShouldManageOnlyWhatTheLibrariesAndTestsUse() throws IOException
    {
        final List<String> managed = artifactIds(dependencyManagement(pom(".")));
        for (final String notALibraryDependency : List.of("jmh-core", "HdrHistogram", "jedis",
            "jetty-websocket-jetty-server", "micrometer-registry-prometheus", "cohort-examples"))
        {
            assertFalse(managed.contains(notALibraryDependency), notALibraryDependency + " is managed by the parent");
        }
    }
}
