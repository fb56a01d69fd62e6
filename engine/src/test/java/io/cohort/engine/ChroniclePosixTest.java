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
    /** The reason Chronicle's no-op binding gives when it was installed on purpose. */
    private static final String DISABLED = "Explicitly disabled";

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
        final String standalone = probe("standalone", List.of());
        assertTrue(standalone.startsWith("binding=NoOpPosixAPI") && standalone.contains(DISABLED), standalone);
        // Chronicle's own choice: its JNR binding, or its own no-op where the platform cannot load that.
        final String embedded = probe("embedded", List.of());
        assertTrue(embedded.startsWith("binding=") && !embedded.contains(DISABLED), embedded);
        final String given = probe("standalone",
            List.of("-D" + StateConfiguration.CHRONICLE_POSIX_PROP_NAME + "=true"));
        assertTrue(given.startsWith("binding=") && !given.contains(DISABLED), given);
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
