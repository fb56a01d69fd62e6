package io.cohort.test;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")
class ChildJvmTest
{
    @TempDir
    File dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStartAChildWithTheFlagsAndPropertiesAndTalkToIt() throws Exception
    {
        final ChildJvm child = ChildJvm.builder("echo", EchoNodeMain.class).small("64m")
            .property("cohort.test.greeting", "hello").log(new File(dir, "echo.log")).readStdout().start();
        try (child; LineClient client = LineClient.of(child))
        {
            assertEquals("STARTED " + child.pid(), client.awaitEvent("STARTED", 30_000));
            assertEquals("hello", client.ok("prop cohort.test.greeting", 10_000));
            assertEquals("true", client.ok("prop chronicle.analytics.disable", 10_000), "the flags of jvm.options");
            assertEquals("a b c", client.ok("echo a b  c", 10_000), "words split on runs of spaces");
            final String failure = client.call("fail", 10_000);
            assertTrue(failure.startsWith("ERR java.lang.IllegalStateException: asked to fail"), failure);
            assertTrue(client.call("nope", 10_000).startsWith("ERR unknown command nope"));
            assertEquals("quit", client.ok("quit", 10_000));
            assertEquals(0, child.awaitExit(10_000), child.tail());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldEndAChildByItsPidOnClose() throws Exception
    {
        final ChildJvm child = ChildJvm.builder("stuck", EchoNodeMain.class).small("64m")
            .log(new File(dir, "stuck.log")).readStdout().start();
        final LineClient client = LineClient.of(child);
        client.awaitEvent("STARTED", 30_000);
        child.close();
        assertFalse(child.isAlive(), "ended by close()");
        assertTrue(ProcessHandle.of(child.pid()).map((handle) -> !handle.isAlive()).orElse(true));
        assertEquals(List.of(), ChildJvm.endAll(List.of(child)), "ending an ended child is a no-op");
    }

    @Test
    void shouldChooseTheArgumentFilesByJdk()
    {
        assertEquals(List.of("jvm.options"), JvmOptions.fileNames(17));
        assertEquals(List.of("jvm.options"), JvmOptions.fileNames(23));
        assertEquals(List.of("jvm.options", "jvm-jdk24.options"), JvmOptions.fileNames(24));
        assertTrue(JvmOptions.flags().contains("-Dchronicle.analytics.disable=true"), JvmOptions.flags().toString());
        assertTrue(JvmOptions.flags().stream().noneMatch((flag) -> flag.startsWith("#")));
    }

    @Test
    void shouldPickDistinctFreePortsBelowTheEphemeralRange()
    {
        final int[] ports = FreePorts.loopback(50);
        assertEquals(50, java.util.Arrays.stream(ports).distinct().count());
        assertTrue(java.util.Arrays.stream(ports).allMatch((port) -> port >= FreePorts.LOWEST && port < FreePorts.END));
    }
}
