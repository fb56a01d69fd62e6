package io.cohort.engine;

import io.cohort.test.JvmOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./cohort} script's own answers to bad input, which need no build: one line on stderr and a
 * non-zero status. (Commands that run Java are tested through their main classes.)
 */
@Tag("slow")
class CohortScriptTest
{
    private static final File SCRIPT = JvmOptions.root().resolve("cohort").toFile();

    private static String[] run(final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.getPath()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "./cohort did not exit");
        return new String[]{ String.valueOf(process.exitValue()),
            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
            new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8) };
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseAnUnknownCommandWithOneLineAndStatusTwo() throws Exception
    {
        final String[] result = run("frobnicate");
        assertEquals("2", result[0], result[2]);
        assertEquals(List.of("cohort: unknown command 'frobnicate' (./cohort help lists the commands)"),
            result[2].lines().toList());
        assertEquals("", result[1]);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseRunWithoutAClass() throws Exception
    {
        final String[] result = run("run");
        assertEquals("2", result[0], result[2]);
        assertEquals(1, result[2].lines().count(), result[2]);
        assertTrue(result[2].startsWith("cohort: run needs a main class"), result[2]);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldListStatInItsHelp() throws Exception
    {
        final String[] result = run("help");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("  stat [--dir DIR] [--interval DURATION] [--once] [--clean] [--check] [--json]"), result[1]);
    }
}
