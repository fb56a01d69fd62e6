package io.cohort.harness;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The legacy design the seed system replaced, run against a real {@code redis-server} that this class starts on a
 * free loopback port and stops by its pid: Redis is the single source of truth, and each subscription change of a
 * node is {@code HINCRBY room:ROOM NODE ±1} plus a {@code PUBLISH} of the change that the other nodes subscribe
 * to, pipelined. One thread per simulated node runs the same seeded {@link Workload} as a Cohort node; one
 * subscriber connection per node receives the changes and measures their latency from the shared clock stamp in
 * each message. At the end every room's hash is compared with a replay of every node's events.
 */
final class RedisLegacy implements AutoCloseable
{
    private static final int PIPELINE_EVENTS = 256;
    private static final String CHANNEL = "cohort-legacy-changes";

    private final Process server;
    private final int port;

    /** Result of a run. */
    static final class Result
    {
        double eventsPerSecond;
        double receivedPerSecondPerNode;
        long events;
        boolean verified;
        String verifyDetail;
        Histogram latency;
    }

    private RedisLegacy(final Process server, final int port)
    {
        this.server = server;
        this.port = port;
    }

    /**
     * Where {@code redis-server} is installed.
     *
     * @return its path, or null if it is not installed.
     */
    static String findServer()
    {
        final List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/bin");
        for (final String dir : dirs)
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    /**
     * Starts {@code redis-server} on a free loopback port, without persistence.
     *
     * @param executable the server's path.
     * @param dir        where its log goes.
     * @return the running server.
     * @throws IOException          if it cannot start.
     * @throws InterruptedException if interrupted.
     */
    static RedisLegacy start(final String executable, final File dir) throws IOException, InterruptedException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        final Process process = new ProcessBuilder(executable, "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.getAbsolutePath())
            .redirectErrorStream(true).redirectOutput(new File(dir, "redis-server.log")).start();
        final RedisLegacy redis = new RedisLegacy(process, port);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try (Jedis jedis = new Jedis("127.0.0.1", port))
            {
                jedis.ping();
                return redis;
            }
            catch (final RuntimeException ex)
            {
                if (!process.isAlive() || System.nanoTime() > deadline)
                {
                    redis.close();
                    throw new IOException("redis-server did not start on port " + port + " (see " +
                        new File(dir, "redis-server.log") + "): " + ex.getMessage(), ex);
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    /**
     * Runs the legacy design: {@code nodes} writer threads for {@code seconds}, then verifies.
     *
     * @param nodes       simulated nodes.
     * @param seed        the run's seed.
     * @param connections connections per node.
     * @param rooms       rooms.
     * @param roomsPerConnection rooms each connection holds.
     * @param skew        Zipf exponent of the room draws.
     * @param roomIds     the rooms' 64-bit ids.
     * @param seconds     how long the writers run.
     * @param writerNice  nice value each writer thread gives itself (0: none), as the Cohort run's load threads.
     * @return the figures.
     * @throws InterruptedException if interrupted.
     * @throws IllegalStateException if a writer could not take its nice value, or failed.
     */
    Result run(final int nodes, final long seed, final int connections, final int rooms,
        final int roomsPerConnection, final double skew, final long[] roomIds, final double seconds,
        final int writerNice)
        throws InterruptedException
    {
        try (Jedis admin = new Jedis("127.0.0.1", port))
        {
            admin.flushAll();
        }
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong received = new AtomicLong();
        final List<JedisPubSub> subscribers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch subscribed = new CountDownLatch(nodes);
        for (int n = 0; n < nodes; n++)
        {
            final String self = String.valueOf(n);
            final JedisPubSub pubSub = new JedisPubSub()
            {
                public void onSubscribe(final String channel, final int subscribedChannels)
                {
                    subscribed.countDown();
                }

                public void onMessage(final String channel, final String message)
                {
                    if (!message.startsWith(self + " "))
                    {
                        received.incrementAndGet();
                        final long stamp = Long.parseLong(message.substring(message.lastIndexOf(' ') + 1));
                        latency.recordValue(Math.max(0, Math.min(SharedClock.nowNs() - stamp,
                            TimeUnit.SECONDS.toNanos(60))));
                    }
                }
            };
            subscribers.add(pubSub);
            final Thread thread = new Thread(() ->
            {
                try (Jedis jedis = new Jedis("127.0.0.1", port))
                {
                    jedis.subscribe(pubSub, CHANNEL);
                }
            }, "redis-subscriber-" + n);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        if (!subscribed.await(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("redis subscribers did not subscribe within 10 s");
        }

        final long[] events = new long[nodes];
        final AtomicReference<RuntimeException> writerFailure = new AtomicReference<>();
        final List<Thread> writers = new ArrayList<>();
        final long start = System.nanoTime();
        final long end = start + (long)(seconds * 1e9);
        for (int n = 0; n < nodes; n++)
        {
            final int node = n;
            final Thread writer = new Thread(() ->
            {
                try
                {
                    LoadPriority.lowerCallingThread(writerNice);
                    events[node] = write(node, seed, connections, rooms, roomsPerConnection, skew, roomIds, end);
                }
                catch (final RuntimeException ex)
                {
                    writerFailure.compareAndSet(null, ex);
                }
            }, "redis-writer-" + n);
            writer.start();
            writers.add(writer);
        }
        for (final Thread writer : writers)
        {
            writer.join();
        }
        if (null != writerFailure.get())
        {
            subscribers.forEach(JedisPubSub::unsubscribe);
            throw new IllegalStateException("a Redis writer failed: " + writerFailure.get().getMessage(),
                writerFailure.get());
        }
        final double elapsed = (System.nanoTime() - start) / 1e9;
        TimeUnit.MILLISECONDS.sleep(500); // let the last published changes arrive
        subscribers.forEach(JedisPubSub::unsubscribe);
        for (final Thread thread : threads)
        {
            thread.join(5_000);
        }

        final Result result = new Result();
        long total = 0;
        for (final long e : events)
        {
            total += e;
        }
        result.events = total;
        result.eventsPerSecond = total / elapsed;
        result.receivedPerSecondPerNode = received.get() / elapsed / nodes;
        result.latency = latency.getIntervalHistogram();
        verify(result, nodes, seed, connections, rooms, roomsPerConnection, skew, roomIds, events);
        return result;
    }

    private long write(final int node, final long seed, final int connections, final int rooms,
        final int roomsPerConnection, final double skew, final long[] roomIds,
        final long endNs)
    {
        final Workload workload = new Workload(seed, node, connections, rooms, roomsPerConnection, skew);
        final String field = String.valueOf(node);
        try (Jedis jedis = new Jedis("127.0.0.1", port))
        {
            final Pipeline pipeline = jedis.pipelined();
            while (System.nanoTime() < endNs)
            {
                for (int i = 0; i < PIPELINE_EVENTS; i++)
                {
                    workload.next();
                    final long roomId = roomIds[workload.room];
                    final int delta = Workload.SUBSCRIBE == workload.op ? 1 : -1;
                    pipeline.hincrBy("room:" + roomId, field, delta);
                    pipeline.publish(CHANNEL, field + " " + roomId + " " + delta + " " + SharedClock.nowNs());
                }
                pipeline.sync();
            }
        }
        return workload.events();
    }

    private void verify(final Result result, final int nodes, final long seed, final int connections, final int rooms,
        final int roomsPerConnection, final double skew, final long[] roomIds, final long[] events)
    {
        final long[][] expected = new long[nodes][];
        for (int n = 0; n < nodes; n++)
        {
            expected[n] = Workload.replay(seed, n, connections, rooms, roomsPerConnection, skew, events[n]);
        }
        long mismatches = 0;
        String first = "-";
        try (Jedis jedis = new Jedis("127.0.0.1", port))
        {
            for (int r = 0; r < rooms; r++)
            {
                final Map<String, String> hash = jedis.hgetAll("room:" + roomIds[r]);
                for (int n = 0; n < nodes; n++)
                {
                    final long actual = Long.parseLong(hash.getOrDefault(String.valueOf(n), "0"));
                    if (actual != expected[n][r] && 0 == mismatches++)
                    {
                        first = "room" + r + "/node" + n + ":expected=" + expected[n][r] + ",actual=" + actual;
                    }
                }
            }
        }
        result.verified = 0 == mismatches;
        result.verifyDetail = mismatches + " mismatches, first " + first;
    }

    /**
     * Stops the server by its pid (SIGTERM, then SIGKILL).
     */
    public void close()
    {
        server.destroy();
        try
        {
            if (!server.waitFor(5, TimeUnit.SECONDS))
            {
                server.destroyForcibly();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
