package io.cohort.transport;

import org.zeromq.ZMQ;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The cluster's CURVE key pair. Every node of a cluster is given the same key file; a connection is accepted
 * only from a peer that proves it holds the cluster's secret key. The file is a properties file with two
 * Z85-encoded 32-byte keys: {@code public=...} and {@code secret=...}.
 */
public final class CurveKeys
{
    /** Length of a CURVE key in bytes. */
    public static final int KEY_LENGTH = 32;

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
     * Writes the keys to a file readable only by its owner.
     *
     * @param file where to write.
     * @throws IOException if the file cannot be written.
     */
    public void write(final File file) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("public", ZMQ.Curve.z85Encode(publicKey));
        properties.setProperty("secret", ZMQ.Curve.z85Encode(secretKey));
        try (OutputStream out = Files.newOutputStream(file.toPath()))
        {
            properties.store(out, "Cohort cluster CURVE keys: give the same file to every node; keep it secret");
        }
        try
        {
            Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString("rw-------"));
        }
        catch (final UnsupportedOperationException ignore)
        {
            // Not a POSIX file system: the caller's umask applies.
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
