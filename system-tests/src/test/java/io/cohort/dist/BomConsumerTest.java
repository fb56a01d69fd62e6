package io.cohort.dist;

import io.cohort.test.JvmOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a backend team does with Cohort: a throw-away Maven project outside the repository imports
 * {@code io.cohort:cohort-bom}, depends on {@code cohort-engine} without a version, and compiles and runs the
 * README's embedding example. Cohort's artifacts come from a Maven repository, as after
 * {@code mvn install}: this test stages the freshly built jars and POMs into a private local repository under
 * target/ (never into the shared one), and the inner {@code mvn -o} reads third-party artifacts and plugins from the
 * outer build's local repository, mirrored read-only through a {@code file://} URL, so it needs no network.
 */
@Tag("slow")
class BomConsumerTest
{
    /** The library modules the BOM lists: directory name, artifact id {@code cohort-<name>}. */
    private static final List<String> LIBRARY_MODULES =
        List.of("config", "codec", "state", "transport", "engine", "micrometer");

    @TempDir
    Path project;

    private static String property(final String name)
    {
        final String value = System.getProperty(name);
        assertTrue(null != value && !value.isBlank() && !value.contains("${"), name + " is not set by the POM: " + value);
        return value;
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        assertTrue(Files.isRegularFile(from), from + " is missing: the build packages it before the system tests");
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Stages one artifact as mvn install would lay it out: group io.cohort, the POM and optionally the jar. */
    private static void stage(final Path repository, final String artifactId, final String version, final Path pom,
        final Path jar) throws IOException
    {
        final Path dir = repository.resolve("io/cohort").resolve(artifactId).resolve(version);
        copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
        if (null != jar)
        {
            copy(jar, dir.resolve(artifactId + "-" + version + ".jar"));
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (Files.exists(root))
        {
            try (Stream<Path> paths = Files.walk(root))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** The README's embedding example: the first java block of its Embedding section. */
    private static String readmeExample(final Path root) throws IOException
    {
        final String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        final int section = readme.indexOf("\n## Embedding\n");
        assertTrue(section >= 0, "README.md has an Embedding section");
        final int start = readme.indexOf("```java\n", section) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```\n", start));
    }

    private static Process run(final List<String> command, final Path directory, final Path output)
        throws IOException
    {
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
    }

    private static void awaitSuccess(final Process process, final Path output, final String what) throws Exception
    {
        try
        {
            assertTrue(process.waitFor(240, TimeUnit.SECONDS), what + " did not finish");
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, process.exitValue(), what + " failed:\n" + Files.readString(output, StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void shouldBuildAndRunTheReadmeExampleInAProjectThatImportsTheBom() throws Exception
    {
        final Path root = JvmOptions.root();
        assertFalse(project.toAbsolutePath().startsWith(root), "the project is outside the repository: " + project);
        final String version = property("cohort.version");
        final Path outerRepository = Path.of(property("cohort.maven.repo"));
        final Path mvn = Path.of(property("cohort.maven.home"), "bin", "mvn");

        // The private repository: Cohort's artifacts as mvn install lays them out, nothing else yet.
        final Path repository = root.resolve("system-tests/target/bom-consumer-repository");
        deleteTree(repository);
        stage(repository, "cohort-parent", version, root.resolve("pom.xml"), null);
        stage(repository, "cohort-bom", version, root.resolve("bom/pom.xml"), null);
        for (final String module : LIBRARY_MODULES)
        {
            final String artifactId = "cohort-" + module;
            stage(repository, artifactId, version, root.resolve(module).resolve("pom.xml"),
                root.resolve(module).resolve("target").resolve(artifactId + "-" + version + ".jar"));
        }

        Files.writeString(project.resolve("settings.xml"), String.join("\n",
            "<settings>",
            "  <mirrors>",
            "    <mirror>",
            "      <!-- Every remote repository is the outer build's local repository, read through file://. -->",
            "      <id>outer-local-repository</id>",
            "      <mirrorOf>*</mirrorOf>",
            "      <url>" + outerRepository.toUri() + "</url>",
            "    </mirror>",
            "  </mirrors>",
            "</settings>", ""));
        Files.writeString(project.resolve("pom.xml"), String.join("\n",
            "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
            "  <modelVersion>4.0.0</modelVersion>",
            "  <groupId>com.example</groupId>",
            "  <artifactId>cohort-consumer</artifactId>",
            "  <version>1.0</version>",
            "  <properties>",
            "    <maven.compiler.release>17</maven.compiler.release>",
            "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>",
            "  </properties>",
            "  <dependencyManagement>",
            "    <dependencies>",
            "      <dependency>",
            "        <groupId>io.cohort</groupId>",
            "        <artifactId>cohort-bom</artifactId>",
            "        <version>" + version + "</version>",
            "        <type>pom</type>",
            "        <scope>import</scope>",
            "      </dependency>",
            "    </dependencies>",
            "  </dependencyManagement>",
            "  <dependencies>",
            "    <dependency>",
            "      <groupId>io.cohort</groupId>",
            "      <artifactId>cohort-engine</artifactId>",
            "    </dependency>",
            "    <dependency>",
            "      <groupId>org.slf4j</groupId>",
            "      <artifactId>slf4j-simple</artifactId>",
            "      <version>" + property("cohort.slf4j.version") + "</version>",
            "      <scope>runtime</scope>",
            "    </dependency>",
            "  </dependencies>",
            "  <build>",
            "    <plugins>",
            "      <plugin>",
            "        <groupId>org.apache.maven.plugins</groupId>",
            "        <artifactId>maven-resources-plugin</artifactId>",
            "        <version>3.3.1</version>",
            "      </plugin>",
            "      <plugin>",
            "        <groupId>org.apache.maven.plugins</groupId>",
            "        <artifactId>maven-compiler-plugin</artifactId>",
            "        <version>3.14.0</version>",
            "      </plugin>",
            "      <plugin>",
            "        <groupId>org.apache.maven.plugins</groupId>",
            "        <artifactId>maven-dependency-plugin</artifactId>",
            "        <version>3.8.1</version>",
            "      </plugin>",
            "    </plugins>",
            "  </build>",
            "</project>", ""));
        final Path source = Files.createDirectories(project.resolve("src/main/java/com/example"))
            .resolve("EmbeddingExample.java");
        Files.writeString(source, String.join("\n",
            "package com.example;",
            "",
            "import io.cohort.engine.*;",
            "import org.agrona.DirectBuffer;",
            "import org.agrona.concurrent.UnsafeBuffer;",
            "import java.nio.charset.StandardCharsets;",
            "import java.util.concurrent.BlockingQueue;",
            "import java.util.concurrent.LinkedBlockingQueue;",
            "import java.util.concurrent.TimeUnit;",
            "import java.util.concurrent.atomic.AtomicBoolean;",
            "",
            "public final class EmbeddingExample",
            "{",
            "    public static void main(String[] args) throws Exception",
            "    {",
            readmeExample(root),
            "        long expectedRoom = CohortNode.roomId(\"orders\", \"open-orders\",",
            "            \"status == 'open'\".getBytes(StandardCharsets.UTF_8));",
            "        System.out.println(\"delivered: \" + deliveries.poll(10, TimeUnit.SECONDS));",
            "        System.out.println(\"expected: \" + expectedRoom + \" order 17 shipped\");",
            "        System.out.println(\"refusals: \" + refusals);",
            "        System.out.println(\"serving after close: \" + serving.get());",
            "    }",
            "}", ""));

        final Path build = project.resolve("build.log");
        awaitSuccess(run(List.of(mvn.toString(), "-B", "-o", "-q", "-s", "settings.xml",
            "-Dmaven.repo.local=" + repository, "-Daether.offline.protocols=file",
            "compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt"), project, build),
            build, "the consumer's mvn -o compile");

        final String classPath = Files.readString(project.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
        final List<String> entries = List.of(classPath.split(":"));
        assertTrue(entries.contains(repository.resolve("io/cohort/cohort-engine/" + version + "/cohort-engine-" +
            version + ".jar").toString()), "cohort-engine, version from the BOM: " + entries);
        assertTrue(entries.stream().allMatch((entry) -> entry.startsWith(repository.toString())),
            "every library from the private repository: " + entries);
        assertTrue(entries.stream().noneMatch((entry) -> entry.contains("chronicle-analytics")),
            "Chronicle's analytics are excluded: " + entries);
        assertTrue(entries.stream().noneMatch((entry) -> entry.contains("/net/openhft/affinity/")),
            "Chronicle's thread affinity is excluded: " + entries);

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmOptions.argumentFiles());
        command.addAll(List.of("-Dcohort.bind.address=127.0.0.1", "-Dcohort.command.port=0",
            "-Dcohort.sync.port=0", "-Dcohort.jmx.enabled=false", "-Dcohort.state.max.rooms=1024",
            "-Dcohort.state.max.connections=1024", "-Dcohort.state.max.overflow.subscriptions=1024",
            "-Dcohort.state.max.nodes=4", "-Dcohort.counters.dir=" + project.resolve("counters"),
            "-cp", project.resolve("target/classes") + ":" + classPath, "com.example.EmbeddingExample"));
        final Path output = project.resolve("run.log");
        awaitSuccess(run(command, project, output), output, "the README's example");
        final List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        final String expected = lines.stream().filter((line) -> line.startsWith("expected: ")).findFirst()
            .orElseThrow(() -> new AssertionError(String.join("\n", lines))).substring("expected: ".length());
        assertTrue(lines.contains("delivered: " + expected), String.join("\n", lines));
        assertTrue(lines.contains("refusals: []"), String.join("\n", lines));
        assertTrue(lines.contains("serving after close: false"), String.join("\n", lines));

        deleteTree(repository);
    }
}
