package io.cohort.bench;

import io.cohort.test.JvmOptions;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with Cohort's JVM flags (the argument files of
 * {@link JvmOptions}, which the build copies into the jar so that it runs from anywhere) appended to every fork so
 * no benchmark has to repeat them.
 */
public final class BenchmarkMain
{
    private BenchmarkMain()
    {
    }

    /**
     * Runs JMH with the given command line (the same options as {@code org.openjdk.jmh.Main}).
     *
     * @param args JMH command line options, e.g. {@code CodecBenchmark -prof gc}.
     * @throws RunnerException if JMH fails to run a benchmark.
     * @throws IOException     if listing benchmarks fails.
     */
    public static void main(final String[] args) throws RunnerException, IOException
    {
        final CommandLineOptions cmdOptions;
        try
        {
            cmdOptions = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException ex)
        {
            System.err.println("Error parsing command line: " + ex.getMessage());
            System.exit(1);
            return;
        }

        if (cmdOptions.shouldHelp() || cmdOptions.shouldList() || cmdOptions.shouldListProfilers() ||
            cmdOptions.shouldListResultFormats() || cmdOptions.shouldListWithParams())
        {
            org.openjdk.jmh.Main.main(args);
            return;
        }

        final List<String> jvmArgsAppend = new ArrayList<>(jvmFlags());
        if (cmdOptions.getJvmArgsAppend().hasValue())
        {
            jvmArgsAppend.addAll(cmdOptions.getJvmArgsAppend().get());
        }
        new Runner(new OptionsBuilder()
            .parent(cmdOptions)
            .jvmArgsAppend(jvmArgsAppend.toArray(new String[0]))
            .build())
            .run();
    }

    /**
     * The flags for a fork of the running JDK, from the copies of the argument files in this jar.
     *
     * @return the flags, in file order.
     * @throws IOException if a copy cannot be read.
     */
    static List<String> jvmFlags() throws IOException
    {
        final List<String> flags = new ArrayList<>();
        for (final String name : JvmOptions.fileNames())
        {
            try (InputStream in = BenchmarkMain.class.getResourceAsStream(name))
            {
                if (null == in)
                {
                    throw new IllegalStateException("missing class path resource io/cohort/bench/" + name +
                        ": the build copies it from the repository root");
                }
                flags.addAll(JvmOptions.parse(new InputStreamReader(in, StandardCharsets.UTF_8)));
            }
        }
        return flags;
    }
}
