package io.cohort.transport;

import org.zeromq.ZMQ;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * The cluster's CURVE key pair. Every node of a cluster is given the same key file; a connection is accepted
 * only from a peer that proves it holds the cluster's secret key. The file is a properties file with two
 * Z85-encoded 32-byte keys: {@code public=...} and {@code secret=...}.
 */
public final class CurveKeys
{
    /** Length of a CURVE key in bytes. */
    public static final int KEY_LENGTH = 32;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] publicKey;
    private final byte[] secretKey;

    private CurveKeys(final byte[] publicKey, final byte[] secretKey)
    {
        this.publicKey = publicKey;
        this.secretKey = secretKey;
    }

    /**
     * A fresh random key pair.
     *
     * @return the keys.
     */
    public static CurveKeys generate()
    {
        final ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new CurveKeys(ZMQ.Curve.z85Decode(pair.publicKey), ZMQ.Curve.z85Decode(pair.secretKey));
    }

    /**
     * Reads a key file.
     *
     * @param file the key file.
     * @return the keys.
     * @throws IllegalArgumentException naming the file and what is wrong with it.
     */
    public static CurveKeys load(final File file)
    {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file.toPath()))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("CURVE key file " + file + " cannot be read: " + ex, ex);
        }
        return new CurveKeys(key(file, properties, "public"), key(file, properties, "secret"));
    }

    private static byte[] key(final File file, final Properties properties, final String name)
    {
        final String encoded = properties.getProperty(name);
        if (null == encoded)
        {
            throw new IllegalArgumentException("CURVE key file " + file + " has no '" + name + "=' entry");
        }
        final String trimmed = encoded.trim();
        if (trimmed.length() != ZMQ.Curve.KEY_SIZE_Z85)
        {
            throw new IllegalArgumentException("CURVE key file " + file + ": " + name + " key must be " +
                ZMQ.Curve.KEY_SIZE_Z85 + " Z85 characters, found " + trimmed.length());
        }
        final byte[] key;
        try
        {
            key = ZMQ.Curve.z85Decode(trimmed);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("CURVE key file " + file + ": " + name + " key is not Z85", ex);
        }
        // JeroMQ's decoder does not reject characters outside the Z85 alphabet nor groups above 2^32 - 1: it
        // silently decodes them to another key. Only a key that encodes back to the same text is Z85.
        if (null == key || key.length != KEY_LENGTH || !trimmed.equals(ZMQ.Curve.z85Encode(key)))
        {
            throw new IllegalArgumentException("CURVE key file " + file + ": " + name + " key is not Z85");
        }
        return key;
    }

    /**
     * Writes the keys to a new file, created readable and writable by its owner only. The file is created with that
     * mode in the same system call that creates it, so the secret key is never readable by others, not even for the
     * moment between a create and a chmod; an existing file is never overwritten.
     *
     * @param file where to write; must not exist.
     * @throws FileAlreadyExistsException if the file exists (it is left as it was).
     * @throws IOException                if the file cannot be written.
     */
    public void write(final File file) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("public", ZMQ.Curve.z85Encode(publicKey));
        properties.setProperty("secret", ZMQ.Curve.z85Encode(secretKey));
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        properties.store(content, "Cohort cluster CURVE keys: give the same file to every node; keep it secret");

        final Path path = file.toPath();
        final Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try (SeekableByteChannel channel = posix ?
            Files.newByteChannel(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY)) :
            Files.newByteChannel(path, options))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(content.toByteArray());
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }
    }

    /**
     * The cluster's public key.
     *
     * @return a copy of the 32 bytes.
     */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /**
     * The cluster's secret key.
     *
     * @return a copy of the 32 bytes.
     */
    public byte[] secretKey()
    {
        return secretKey.clone();
    }
}
