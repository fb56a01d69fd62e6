package io.cohort.harness;

import io.cohort.test.ChildJvm;
import io.cohort.test.ClassPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness and the demo with tiny parameters, as real processes (seconds, not minutes), and their handling of
 * bad parameters. Figures are not asserted: speed targets live in bench/RESULTS.md.
 */
class ClusterBenchTest
{
    @TempDir
    Path out;

    /**
     * The children run from a copy of this build's class directories, so that another build of the same tree
     * cannot pull classes from under a running node.
     */
    @BeforeAll
    static void freezeClassPath()
    {
        System.setProperty(NodeProcess.CHILD_CLASS_PATH_PROP_NAME, ClassPath.frozenCopy());
    }

    @AfterEach
    void noProcessLeft() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left;
        do
        {
            left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
            if (left.isEmpty())
            {
                return;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        left.forEach(ProcessHandle::destroyForcibly);
        throw new AssertionError("child processes left behind: " + left.stream()
            .map((p) -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("; ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nodes=1                 | nodes=1 is outside [2, 16]",
        "connections=many        | connections=many is not a whole number (e.g. 100k)",
        "colour=blue             | unknown parameter colour=blue",
        "fixedSeconds            | argument 'fixedSeconds' is not name=value",
        "curve=maybe             | curve=maybe is not true or false",
        "redis=sometimes         | redis=sometimes must be on, off or auto",
        "loadNice=20             | loadNice=20 is outside [0, 19]",
        "props=heartbeat=1s      | props=heartbeat=1s: 'heartbeat=1s' is not cohort.name=value",
    })
    void shouldRejectBadParametersWithANamedError(final String argument, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ClusterBench.run(BenchParams.parse(ClusterBench.PARAMS, new String[]{ argument, "out=" + out }),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().startsWith(message), ex.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldExitWithCodeTwoAndOneLineForBadParameters() throws Exception
    {
        for (final String main : List.of(ClusterBench.class.getName(), ClusterDemo.class.getName()))
        {
            try (ChildJvm child = ChildJvm.builder(main, main)
                .classPath(System.getProperty(NodeProcess.CHILD_CLASS_PATH_PROP_NAME))
                .args(List.of("nodes=zero"))
                .log(out.resolve(main + ".stderr").toFile())
                .readStdout()
                .start())
            {
                child.stdout().transferTo(OutputStream.nullOutputStream());
                final int exitCode = child.awaitExit(30_000);
                final String stderr = child.log();
                assertEquals(2, exitCode, main + ": " + stderr);
                assertEquals(1, stderr.strip().lines().count(), stderr);
                assertTrue(stderr.contains("nodes=zero is not a whole number"), stderr);
            }
        }
    }

    @Test
    @Tag("slow")
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldRunTheHarnessEndToEndWithTinyParameters() throws Exception
    {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final int status = ClusterBench.run(BenchParams.parse(ClusterBench.PARAMS, new String[]{
            "nodes=2", "connections=500", "rooms=50", "fixedRate=2k", "fixedSeconds=1", "saturateSeconds=1",
            "baselineSeconds=0.2", "redis=auto", "redisSeconds=0.5", "probeRate=200", "timeout=120",
            "props=cohort.heartbeat.timeout=3s", "out=" + out }), new PrintStream(printed, true, StandardCharsets.UTF_8));
        final String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("verified=true"), text);
        assertTrue(text.contains("AppCDS archive made by a training node"), "nodes ran from the archive: " + text);
        final String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("events/s absorbed across the cluster"), summary);
        // The join's member stalls, split at the joiner's JOINING (the members only, never the joiner's own).
        assertTrue(summary.matches("(?s).*members' node-thread stalls > 50 ms during the join +\\d+  \\d+ of them " +
            "before it was JOINING \\(its JVM starting\\); \\d+ working \\(a long job\\).*"), summary);
        // The wire's floor, measured beside the cluster: 2 k messages a second for 0.2 s.
        assertTrue(summary.matches("(?s).*latency raw JeroMQ one-way, 2 k msgs/s p50/p99/p99.9/max +\\S+ +XPUB -> " +
            "SUB, loopback.* n=4\\d\\d\n.*"), summary);
        assertTrue(Files.exists(out.resolve("raw-jeromq-one-way-2-k-msgs-s.hgrm")), "the raw hop's .hgrm file");
        assertTrue(Files.readString(out.resolve("latency.svg")).startsWith("<svg"));
        try (Stream<Path> files = Files.list(out))
        {
            assertTrue(files.anyMatch((path) -> path.toString().endsWith(".hgrm")), "an .hgrm file");
        }
    }

    @Test
    @Tag("slow")
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldRunTheDemoWithItsKillAndRejoinWithTinyParameters() throws Exception
    {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final int status = ClusterDemo.run(BenchParams.parse(ClusterDemo.PARAMS, new String[]{
            "connections=1500", "rooms=100", "churnRate=1k", "notifyRate=50", "seconds=2", "probeRate=100",
            "timeout=120", "out=" + out }), new PrintStream(printed, true, StandardCharsets.UTF_8));
        final String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("every survivor evicted it"), text);
        assertTrue(text.contains("it rejoined"), text);
        assertTrue(text.contains("demo: all checks passed"), text);
    }
}
