package io.cohort.engine;

import io.cohort.state.StateConfiguration;
import io.cohort.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StateConfiguration#CHRONICLE_POSIX_PROP_NAME}: a standalone node's process leaves Chronicle's native POSIX
 * binding unloaded unless told otherwise; an embedding application keeps Chronicle's own behaviour.
 */
class ChroniclePosixTest
{
    @AfterEach
    void clearProperty()
    {
        System.clearProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME);
    }

    @Test
    void shouldLeaveTheBindingOutOfAStandaloneProcessUnlessTheSettingIsGiven()
    {
        assertFalse(StandaloneProcess.standaloneDefaults(new CohortContext()).stateContext().chroniclePosix());

        System.setProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME, "true");
        assertTrue(StandaloneProcess.standaloneDefaults(new CohortContext()).stateContext().chroniclePosix());
    }

    @Test
    void shouldKeepChroniclesOwnBindingByDefault()
    {
        assertTrue(new CohortContext().stateContext().chroniclePosix());
    }

    @Test
    @Timeout(60)
    void shouldInstallTheNoOpBindingBeforeChronicleLoadsItsOwnInANodeProcess() throws Exception
    {
        assertEquals("binding=NoOpPosixAPI", probe("standalone", List.of()));
        assertEquals("binding=JNRPosixAPI", probe("embedded", List.of()));
        assertEquals("binding=JNRPosixAPI",
            probe("standalone", List.of("-D" + StateConfiguration.CHRONICLE_POSIX_PROP_NAME + "=true")));
    }

    private static String probe(final String mode, final List<String> properties) throws Exception
    {
        try (ChildJvm child = ChildJvm.builder("chronicle-posix-" + mode, ChroniclePosixProbe.class)
            .small("64m").properties(properties).args(List.of(mode)).readStdout().start())
        {
            final BufferedReader stdout = new BufferedReader(
                new InputStreamReader(child.stdout(), StandardCharsets.US_ASCII));
            String line;
            while (null != (line = stdout.readLine()))
            {
                if (line.startsWith("binding="))
                {
                    assertEquals(0, child.awaitExit(30_000), child.tail());
                    return line;
                }
            }
            return "no binding line; exit " + child.awaitExit(30_000) + ": " + child.tail();
        }
    }
}
