package io.cohort.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMQ;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CurveKeysTest
{
    private static final String VALID = ZMQ.Curve.z85Encode(new byte[CurveKeys.KEY_LENGTH]);

    @TempDir
    File dir;

    @Test
    void shouldGenerateDistinctKeyPairsOfTheRightLength()
    {
        final CurveKeys one = CurveKeys.generate();
        final CurveKeys two = CurveKeys.generate();

        assertEquals(CurveKeys.KEY_LENGTH, one.publicKey().length);
        assertEquals(CurveKeys.KEY_LENGTH, one.secretKey().length);
        assertFalse(Arrays.equals(one.publicKey(), two.publicKey()));
        assertFalse(Arrays.equals(one.publicKey(), one.secretKey()));
    }

    @Test
    void shouldHandOutCopiesOfTheKeys()
    {
        final CurveKeys keys = CurveKeys.generate();
        final byte[] secret = keys.secretKey();
        final byte[] original = secret.clone();
        Arrays.fill(secret, (byte)0);

        assertArrayEquals(original, keys.secretKey());
    }

    @Test
    void shouldRoundTripThroughKeyFileReadableByOwnerOnly() throws IOException
    {
        final CurveKeys keys = CurveKeys.generate();
        final File file = new File(dir, "cluster.keys");

        keys.write(file);
        final CurveKeys loaded = CurveKeys.load(file);

        assertArrayEquals(keys.publicKey(), loaded.publicKey());
        assertArrayEquals(keys.secretKey(), loaded.secretKey());
        if (Files.getFileAttributeView(file.toPath(), java.nio.file.attribute.PosixFileAttributeView.class) != null)
        {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file.toPath()));
        }
    }

    @Test
    void shouldNeverOverwriteAnExistingKeyFile() throws IOException
    {
        final File file = new File(dir, "cluster.keys");
        Files.writeString(file.toPath(), "the cluster's keys");

        assertThrows(FileAlreadyExistsException.class, () -> CurveKeys.generate().write(file));
        assertEquals("the cluster's keys", Files.readString(file.toPath()));
    }

    @Test
    void shouldCreateTheKeyFileOwnerOnlyWhateverTheDirectoryGrants() throws IOException
    {
        // The file's mode comes from its creation, not from what the directory lets others do.
        final File open = new File(dir, "open");
        assertTrue(open.mkdir());
        Files.setPosixFilePermissions(open.toPath(), PosixFilePermissions.fromString("rwxrwxrwx"));
        final File file = new File(open, "cluster.keys");

        CurveKeys.generate().write(file);

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file.toPath()));
    }

    @Test
    void shouldAcceptKeysSurroundedBySpaces() throws IOException
    {
        final CurveKeys keys = CurveKeys.generate();
        final File file = new File(dir, "spaced.keys");
        Files.writeString(file.toPath(), "public =   " + ZMQ.Curve.z85Encode(keys.publicKey()) + "   \n" +
            "secret=" + ZMQ.Curve.z85Encode(keys.secretKey()) + "\t\n", StandardCharsets.ISO_8859_1);

        assertArrayEquals(keys.publicKey(), CurveKeys.load(file).publicKey());
    }

    @Test
    void shouldNameMissingFile()
    {
        final File missing = new File(dir, "nowhere.keys");

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CurveKeys.load(missing));

        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("cannot be read"), ex.getMessage());
    }

    static Stream<Arguments> badFiles()
    {
        final String almost = VALID.substring(0, VALID.length() - 1);
        return Stream.of(
            arguments("no public entry", "secret=" + VALID + "\n", "no 'public=' entry"),
            arguments("no secret entry", "public=" + VALID + "\n", "no 'secret=' entry"),
            arguments("empty file", "", "no 'public=' entry"),
            arguments("public key too short", "public=" + almost + "\nsecret=" + VALID + "\n",
                "public key must be 40 Z85 characters, found 39"),
            arguments("secret key too long", "public=" + VALID + "\nsecret=" + VALID + "A\n",
                "secret key must be 40 Z85 characters, found 41"),
            arguments("character outside the Z85 alphabet", "public=" + VALID + "\nsecret=" + almost + "~\n",
                "secret key is not Z85"),
            arguments("underscore, as in base64url", "public=" + "_" + almost + "\nsecret=" + VALID + "\n",
                "public key is not Z85"),
            arguments("Z85 characters whose value overflows 32 bits", "public=" + "#".repeat(40) + "\nsecret=" +
                VALID + "\n", "public key is not Z85"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldRejectBadKeyFileNamingIt(final String name, final String content, final String expected)
        throws IOException
    {
        final File file = new File(dir, "bad.keys");
        Files.writeString(file.toPath(), content, StandardCharsets.ISO_8859_1);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CurveKeys.load(file));

        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
