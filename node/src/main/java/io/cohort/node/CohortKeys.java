package io.cohort.node;

import io.cohort.transport.CurveKeys;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;

/**
 * {@code ./cohort keys FILE}: writes a new cluster CURVE key pair ({@link CurveKeys}) to a file that must not exist
 * yet (a cluster's file is never overwritten by mistake), readable by its owner only. Exit codes: 0 written,
 * {@value #EXIT_FAILED} if the file exists or cannot be written, {@value #EXIT_USAGE} for bad arguments.
 */
public final class CohortKeys
{
    /** Exit code of a key file that exists already or cannot be written. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;

    private CohortKeys()
    {
    }

    /**
     * Writes a new key file and exits with {@link #run}'s status.
     *
     * @param args the file to write.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.err));
    }

    /**
     * What {@link #main} does, returning its exit status.
     *
     * @param args the file to write.
     * @param err  where the one-line error goes.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream err)
    {
        if (1 != args.length || args[0].startsWith("-"))
        {
            err.println("usage: cohort keys FILE   (writes a new cluster CURVE key pair to FILE)");
            return EXIT_USAGE;
        }
        final File file = new File(args[0]);
        if (file.exists())
        {
            err.println("cohort: " + file + " exists: a cluster's key file is never overwritten");
            return EXIT_FAILED;
        }
        try
        {
            CurveKeys.generate().write(file);
            return 0;
        }
        catch (final FileAlreadyExistsException ex)
        {
            // Created by someone else since the check above: still never overwritten.
            err.println("cohort: " + file + " exists: a cluster's key file is never overwritten");
            return EXIT_FAILED;
        }
        catch (final IOException ex)
        {
            err.println("cohort: cannot write " + file + ": " + ex.getMessage());
            return EXIT_FAILED;
        }
    }
}
