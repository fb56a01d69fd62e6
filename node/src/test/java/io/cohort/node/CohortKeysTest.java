package io.cohort.node;

import io.cohort.transport.CurveKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortKeysTest
{
    @TempDir
    File dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void shouldWriteANewKeyFileThatLoads()
    {
        final File file = new File(dir, "cluster.keys");
        assertEquals(0, CohortKeys.run(new String[]{ file.getPath() }, errStream), err.toString());
        assertEquals(CurveKeys.KEY_LENGTH, CurveKeys.load(file).secretKey().length);
    }

    @Test
    void shouldNeverOverwriteAKeyFile()
    {
        final File file = new File(dir, "cluster.keys");
        assertEquals(0, CohortKeys.run(new String[]{ file.getPath() }, errStream));
        final byte[] secret = CurveKeys.load(file).secretKey();

        assertEquals(1, CohortKeys.run(new String[]{ file.getPath() }, errStream));
        assertEquals("cohort: " + file + " exists: a cluster's key file is never overwritten",
            err.toString(StandardCharsets.UTF_8).trim());
        assertArrayEquals(secret, CurveKeys.load(file).secretKey());
    }

    @Test
    void shouldRefuseBadArgumentsWithOneLine()
    {
        assertEquals(2, CohortKeys.run(new String[0], errStream));
        assertEquals(2, CohortKeys.run(new String[]{ "a", "b" }, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: cohort keys FILE"));
        assertEquals(2, err.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void shouldReportAnUnwritableFileWithOneLine()
    {
        final File file = new File(new File(dir, "no-such-dir"), "cluster.keys");
        assertEquals(1, CohortKeys.run(new String[]{ file.getPath() }, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cohort: cannot write " + file));
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count());
    }
}
