package io.cohort.examples.gateway;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One gateway JVM ({@link GatewayMain}) started by a test, with the flags of {@code jvm.options}, its output in a
 * log file, and ended by its own pid.
 */
final class GatewayProcess
{
    final String name;
    final Process process;
    final File log;
    final int commandPort;
    final int webSocketPort;

    private GatewayProcess(
        final String name, final Process process, final File log, final int commandPort, final int webSocketPort)
    {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commandPort = commandPort;
        this.webSocketPort = webSocketPort;
    }

    /**
     * Starts a gateway JVM.
     *
     * @param properties {@code -Dname=value} settings.
     * @param args       the main class's arguments.
     */
    static GatewayProcess start(
        final String name,
        final String classPath,
        final File logDir,
        final int commandPort,
        final int webSocketPort,
        final List<String> properties,
        final List<String> args) throws IOException
    {
        final String root = System.getProperty("cohort.root");
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        if (null != root)
        {
            command.add("@" + root + File.separator + "jvm.options");
            if (Runtime.version().feature() >= 24)
            {
                command.add("@" + root + File.separator + "jvm-jdk24.options");
            }
        }
        // Small, quick-starting JVMs: three share a 2-core machine with the test.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(classPath);
        command.addAll(properties);
        command.add(GatewayMain.class.getName());
        command.addAll(args);

        final File log = new File(logDir, name + ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        return new GatewayProcess(name, process, log, commandPort, webSocketPort);
    }

    /**
     * kill -9, by pid.
     */
    void kill() throws InterruptedException
    {
        if (!process.toHandle().destroyForcibly())
        {
            throw new AssertionError(this + ": SIGKILL not sent");
        }
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            throw new AssertionError(this + ": still alive 10 s after SIGKILL");
        }
    }

    String log()
    {
        try
        {
            return Files.readString(log.toPath());
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    String tail()
    {
        final List<String> lines = log().lines().collect(Collectors.toList());
        return "--- " + this + " log (last 30 lines) ---\n" +
            String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    public String toString()
    {
        return name + "(pid " + process.pid() + ", ws port " + webSocketPort + ")";
    }

    /**
     * Ends every process: SIGTERM by pid, then SIGKILL by pid after a bound.
     *
     * @return the processes that still did not die.
     */
    static List<String> endAll(final List<GatewayProcess> processes) throws InterruptedException
    {
        for (final GatewayProcess gateway : processes)
        {
            gateway.process.toHandle().destroy();
        }
        final List<String> undead = new ArrayList<>();
        for (final GatewayProcess gateway : processes)
        {
            if (!gateway.process.waitFor(10, TimeUnit.SECONDS))
            {
                gateway.process.toHandle().destroyForcibly();
                if (!gateway.process.waitFor(10, TimeUnit.SECONDS))
                {
                    undead.add(gateway.toString());
                }
            }
        }
        return undead;
    }

    /**
     * Copies this build's class directories and Cohort jars, so that another build of the same tree (recompiling
     * target/classes) cannot pull classes from under a running gateway.
     *
     * @return the class path for the children.
     */
    static String copyClassPath(final Path directory) throws IOException
    {
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (Files.isDirectory(source) || entry.contains("cohort"))
            {
                final Path target = directory.resolve(index++ + "-" + source.getFileName());
                try (Stream<Path> paths = Files.walk(source))
                {
                    for (final Path path : (Iterable<Path>)paths::iterator)
                    {
                        Files.copy(path, target.resolve(source.relativize(path).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                entries.add(target.toString());
            }
            else
            {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Ports free on 127.0.0.1 now, below the ephemeral range so that no outgoing connection takes one between the
     * check and the bind.
     */
    static int[] freePorts(final int count)
    {
        final int[] ports = new int[count];
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            while (true)
            {
                final int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
                if (!picked.add(port))
                {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket())
                {
                    socket.setReuseAddress(false);
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException ex)
                {
                    continue;
                }
                ports[i] = port;
                break;
            }
        }
        return ports;
    }
}
