package io.cohort.dist;

import io.cohort.node.stat.CohortStat;
import io.cohort.test.FreePorts;
import io.cohort.test.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node distribution as an operator gets it: {@code cohort-node-VERSION.tar.gz} unpacked into an empty directory
 * and run from there with only a JDK (no Maven, no source tree, no inherited environment), three nodes on loopback;
 * {@code bin/cohort-stat --check} and {@code --json} see them healthy, then name the one killed with kill -9, and
 * its counters file goes when a node starts again on the same directory.
 */
@Tag("slow")
class NodeDistributionTest
{
    /** Where the build put the tarball (the system-tests POM passes it). */
    private static final String TARBALL_PROP_NAME = "cohort.node.distribution";
    private static final Pattern DATED_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}.*");

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();
    private Path home;
    private Path counters;
    private Path traps;
    private String jdk;

    @AfterEach
    void endEveryProcessByItsPid() throws InterruptedException
    {
        for (final Process process : started)
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The environment of every command: nothing inherited, the JDK's bin first, then the system's basics. */
    private ProcessBuilder command(final List<String> command)
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        final Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", jdk + "/bin:" + traps.resolve("mvn") + ":/usr/bin:/bin");
        environment.put("HOME", work.toString());
        return builder;
    }

    /** A trap directory holding a program of that name that records being called and fails. */
    private void trap(final String program) throws IOException
    {
        final Path dir = Files.createDirectories(traps.resolve(program));
        final Path script = dir.resolve(program);
        Files.writeString(script, "#!/bin/sh\necho \"$0 $*\" >> " + traps.resolve("called") + "\nexit 99\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Process startNode(final int index, final int commandPort, final int syncPort, final String seeds,
        final boolean viaJavaHome) throws IOException
    {
        final Path properties = work.resolve("node" + index + ".properties");
        Files.writeString(properties, String.join("\n",
            "cohort.bind.address=127.0.0.1",
            "cohort.command.port=" + commandPort,
            "cohort.sync.port=" + syncPort,
            "cohort.cluster.seeds=" + seeds,
            "cohort.counters.dir=" + counters,
            "cohort.heartbeat.timeout=3s",
            "cohort.suspicion.timeout=1s",
            "cohort.join.timeout=60s",
            "cohort.state.max.rooms=4096",
            "cohort.state.max.connections=4096",
            "cohort.state.max.overflow.subscriptions=4096",
            "cohort.state.max.nodes=8",
            ""));
        final ProcessBuilder builder = command(List.of(home.resolve("bin/cohort-node").toString(),
            "-Dcohort.jmx.name=dist-node-" + index, properties.getFileName().toString()));
        builder.environment().put("JAVA_OPTS", "-Xmx192m -Xss1m");
        if (viaJavaHome)
        {
            // JAVA_HOME must win: the only java on this node's PATH is a trap.
            builder.environment().put("JAVA_HOME", jdk);
            builder.environment().put("PATH", traps.resolve("java") + ":" + traps.resolve("mvn") + ":/usr/bin:/bin");
        }
        builder.redirectOutput(work.resolve("node" + index + ".out").toFile());
        builder.redirectError(work.resolve("node" + index + ".log").toFile());
        final Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Runs bin/cohort-stat on the nodes' counters directory with the arguments. */
    private Result stat(final String... args) throws Exception
    {
        final List<String> withDir = new ArrayList<>(List.of("--dir", counters.toString()));
        withDir.addAll(List.of(args));
        return statAsGiven(withDir);
    }

    /** Runs bin/cohort-stat with exactly these arguments: its exit status, stdout and stderr. */
    private Result statAsGiven(final List<String> args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(home.resolve("bin/cohort-stat").toString()));
        command.addAll(args);
        final File err = work.resolve("stat.err").toFile();
        final Process process = command(command).redirectError(err).start();
        started.add(process);
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "cohort-stat did not exit");
        return new Result(process.exitValue(), out, Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private Result awaitStat(final String what, final Predicate<Result> condition, final String... args)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Result result = stat(args);
        while (!condition.test(result))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what + "; last cohort-stat " +
                    String.join(" ", args) + " (exit " + result.status + "):\n" + result.text + result.err);
            }
            Thread.sleep(500);
            result = stat(args);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(final Result json)
    {
        return (List<Map<String, Object>>)Json.parseObject(json.text).get("nodes");
    }

    private static String nodeIdOf(final Result json, final long pid)
    {
        return nodes(json).stream().filter((node) -> Long.valueOf(pid).equals(node.get("pid")))
            .map((node) -> (String)node.get("nodeId")).findFirst()
            .orElseThrow(() -> new AssertionError("no node of pid " + pid + " in " + json.text));
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldRunAThreeNodeClusterFromTheUnpackedTarballWithOnlyAJdk() throws Exception
    {
        final Path tarball = Path.of(System.getProperty(TARBALL_PROP_NAME, "unset"));
        assertTrue(Files.isRegularFile(tarball), TARBALL_PROP_NAME + "=" + tarball + " is not a file: the node " +
            "module's mvn package builds it");
        jdk = System.getProperty("java.home");
        traps = work.resolve("traps");
        trap("mvn");
        trap("java");
        counters = work.resolve("counters");
        final Path install = Files.createDirectory(work.resolve("install"));
        final Process untar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", install.toString())
            .redirectErrorStream(true).start();
        started.add(untar);
        assertTrue(untar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, untar.exitValue(), new String(untar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (var entries = Files.list(install))
        {
            final List<Path> top = entries.toList();
            assertEquals(1, top.size(), "one top directory: " + top);
            home = top.get(0);
        }
        assertTrue(home.getFileName().toString().startsWith("cohort-node-"), home.toString());
        for (final String file : List.of("bin/cohort-node", "bin/cohort-stat", "bin/cohort-keys"))
        {
            assertTrue(Files.isExecutable(home.resolve(file)), file);
        }
        for (final String file : List.of("conf/jvm.options", "conf/jvm-jdk24.options", "conf/node.properties",
            "conf/simplelogger.properties", "LICENSE"))
        {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }

        // Without the flags of conf/jvm.options (java run by hand, not through bin/) the node fails fast, naming them.
        final Path noFlagsErr = work.resolve("no-flags.err");
        final Process noFlags = command(List.of(jdk + "/bin/java", "-Dcohort.counters.dir=" + counters,
            "-cp", home.resolve("conf") + ":" + home.resolve("lib") + "/*", "io.cohort.node.CohortMain",
            home.resolve("conf/node.properties").toString())).redirectError(noFlagsErr.toFile()).start();
        started.add(noFlags);
        assertTrue(noFlags.waitFor(60, TimeUnit.SECONDS));
        final List<String> noFlagsLines = Files.readAllLines(noFlagsErr, StandardCharsets.UTF_8);
        assertEquals(2, noFlags.exitValue(), "a launch error, not a transient failure: " + String.join("\n", noFlagsLines));
        assertEquals(1, noFlagsLines.size(), String.join("\n", noFlagsLines));
        assertTrue(noFlagsLines.get(0).startsWith("cohort: this JVM lacks flags that Cohort needs") &&
            noFlagsLines.get(0).contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), noFlagsLines.get(0));
        assertFalse(Files.exists(counters), "nothing was created before the check");

        final int[] ports = FreePorts.loopback(6);
        final String seed = "127.0.0.1:" + ports[0];
        final Process node1 = startNode(1, ports[0], ports[1], "", false);
        final Process node2 = startNode(2, ports[2], ports[3], seed, false);
        final Process node3 = startNode(3, ports[4], ports[5], seed, true);

        final Result healthy = awaitStat("three live RUNNING nodes of three members",
            (result) -> 0 == result.status && nodes(result).size() == 3 &&
                nodes(result).stream().allMatch((node) -> Long.valueOf(3).equals(node.get("members"))),
            "--json", "--check");
        // The scripts exec java: the pid each supervisor holds is the node's own, the one its counters file names.
        for (final Process node : List.of(node1, node2, node3))
        {
            nodeIdOf(healthy, node.pid());
            final List<String> arguments = List.of(node.info().arguments().orElse(new String[0]));
            assertTrue(arguments.contains("-Xmx192m"), "JAVA_OPTS reach the JVM: " + arguments);
            assertTrue(arguments.contains("@" + home.resolve("conf/jvm.options")), "conf/jvm.options: " + arguments);
            assertTrue(arguments.contains("io.cohort.node.CohortMain"), arguments.toString());
        }
        assertEquals(Boolean.TRUE, Json.parseObject(healthy.text).get("healthy"));

        final Result check = stat("--check");
        assertEquals(0, check.status, check.text);
        assertEquals(3, check.text.lines().filter((line) -> line.contains("  ok: live, RUNNING, members 3")).count(),
            check.text);
        assertTrue(check.text.contains("OK: 3 nodes live and RUNNING"), check.text);
        // Without --dir, cohort-stat looks where the install's conf/node.properties puts the counters.
        Files.writeString(home.resolve("conf/node.properties"), "cohort.counters.dir=" + counters + "\n",
            StandardOpenOption.APPEND);
        final Result checkByConf = statAsGiven(List.of("--check"));
        assertEquals(0, checkByConf.status, checkByConf.text + checkByConf.err);
        assertTrue(checkByConf.text.contains("OK: 3 nodes live and RUNNING"), checkByConf.text);

        // kill -9 of node 2, by its pid: the check fails and names it, dead.
        final String killedId = nodeIdOf(healthy, node2.pid());
        final Process kill = new ProcessBuilder("kill", "-9", Long.toString(node2.pid())).start();
        started.add(kill);
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
        assertTrue(node2.waitFor(10, TimeUnit.SECONDS));
        final String deadLine = "node " + killedId + "  pid " + node2.pid() + "  dead: process " + node2.pid() +
            " is gone";
        final Result failed = awaitStat("the killed node named dead",
            (result) -> CohortStat.EXIT_UNHEALTHY == result.status && result.text.contains(deadLine), "--check");
        assertTrue(failed.text.contains("UNHEALTHY: 1 of 3 nodes not live and RUNNING"), failed.text);
        assertEquals(2, failed.text.lines().filter((line) -> line.contains("  ok: live, RUNNING")).count(),
            failed.text);
        final Result failedJson = stat("--json", "--check");
        assertEquals(CohortStat.EXIT_UNHEALTHY, failedJson.status, failedJson.text);
        final Map<String, Object> view = Json.parseObject(failedJson.text);
        assertEquals(Boolean.FALSE, view.get("healthy"));
        assertEquals(List.of("node " + killedId + " pid " + node2.pid() + ": dead: process " + node2.pid() +
            " is gone (its counters file is left behind)"), view.get("problems"));

        // A node started again on the same directory removes the killed node's counters file: all healthy again.
        final Path killedFile = counters.resolve("node-" + killedId + ".counters");
        assertTrue(Files.exists(killedFile), killedFile.toString());
        final Process node2Again = startNode(2, ports[2], ports[3], seed, false);
        awaitStat("three live RUNNING nodes again",
            (result) -> 0 == result.status && result.text.contains("OK: 3 nodes live and RUNNING") &&
                3 == result.text.lines().filter((line) -> line.contains("ok: live, RUNNING, members 3")).count(),
            "--check");
        assertFalse(Files.exists(killedFile), "the killed node's file is removed at the next start");

        // SIGTERM, by pid: each node leaves gracefully and exits 0.
        final Map<Process, String> logs = Map.of(node2Again, "node2.log", node3, "node3.log", node1, "node1.log");
        for (final Process node : List.of(node2Again, node3, node1))
        {
            node.destroy();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not stop on SIGTERM");
            assertEquals(0, node.exitValue(), Files.readString(work.resolve(logs.get(node))));
        }

        final List<String> log = Files.readAllLines(work.resolve("node1.log"), StandardCharsets.UTF_8);
        assertTrue(log.stream().anyMatch((line) -> line.contains("launching Cohort")), String.join("\n", log));
        assertTrue(log.stream().filter((line) -> line.contains(" INFO ")).allMatch(DATED_LINE.asPredicate()),
            "every log line starts with its date: " + String.join("\n", log));
        assertFalse(Files.exists(traps.resolve("called")), "no Maven, and JAVA_HOME's java only: " +
            (Files.exists(traps.resolve("called")) ? Files.readString(traps.resolve("called")) : ""));
    }

    private static final class Result
    {
        final int status;
        final String text;
        final String err;

        Result(final int status, final String text, final String err)
        {
            this.status = status;
            this.text = text;
            this.err = err;
        }
    }
}
