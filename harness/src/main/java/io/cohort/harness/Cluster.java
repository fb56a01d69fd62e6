package io.cohort.harness;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * A cluster of {@link LoadNodeMain} processes on loopback, as the harness and the demo drive it: start, wait for
 * membership, broadcast commands, watch convergence, verify every replica, collect memory figures and latency
 * histograms, kill by pid, and show progress on one refreshing line. Every process started is ended by
 * {@link #close()} (also run by a shutdown hook), by its own pid.
 */
final class Cluster implements AutoCloseable
{
    private final File dir;
    private final List<String> nodeArgs;
    private final String heap;
    private final String classPath;
    private final List<String> properties;
    private final int rooms;
    private final PrintStream out;
    private final List<NodeProcess> started = new ArrayList<>();
    private final Map<Integer, NodeProcess> live = new TreeMap<>();
    private final Map<Integer, Integer> generations = new HashMap<>();
    private final Map<Integer, Map<String, String>> ready = new HashMap<>();
    private final Thread shutdownHook = new Thread(this::endAllQuietly, "bench-shutdown");
    private volatile String progressPhase = "";
    private volatile boolean progressOn;
    private Thread progressThread;

    /**
     * A cluster whose nodes share the given parameters.
     *
     * @param dir      the run's directory.
     * @param nodeArgs the {@code name=value} parameters every node gets (slot and seeds are added per node).
     * @param heap     the children's -Xmx, or empty.
     * @param properties {@code -Dname=value} system properties of the children.
     * @param rooms    rooms of the run (for the progress line).
     * @param out      where progress goes.
     */
    Cluster(final File dir, final List<String> nodeArgs, final String heap, final List<String> properties,
        final int rooms, final PrintStream out)
    {
        this(dir, nodeArgs, heap, properties, NodeProcess.defaultClassPath(), rooms, out);
    }

    Cluster(final File dir, final List<String> nodeArgs, final String heap, final List<String> properties,
        final String classPath, final int rooms, final PrintStream out)
    {
        this.classPath = classPath;
        this.properties = properties;
        this.dir = dir;
        this.nodeArgs = nodeArgs;
        this.heap = heap;
        this.rooms = rooms;
        this.out = out;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a node in a slot and waits until it is RUNNING.
     *
     * @param slot      the slot.
     * @param timeoutMs how long to wait for RUNNING.
     * @return its READY line (node id, command endpoint, joinMs, pid).
     * @throws IOException          if the process cannot start.
     * @throws InterruptedException if interrupted.
     */
    Map<String, String> start(final int slot, final long timeoutMs) throws IOException, InterruptedException
    {
        final NodeProcess node = launch(slot);
        return awaitReady(node, timeoutMs);
    }

    private NodeProcess launch(final int slot) throws IOException
    {
        final int generation = generations.merge(slot, 1, Integer::sum) - 1;
        final List<String> args = new ArrayList<>(nodeArgs);
        args.add("slot=" + slot);
        args.add("seeds=" + seedsFor(slot));
        final NodeProcess node = NodeProcess.start(dir, slot, generation, heap, properties, classPath, args);
        synchronized (started)
        {
            started.add(node);
        }
        live.put(slot, node);
        return node;
    }

    private Map<String, String> awaitReady(final NodeProcess node, final long timeoutMs) throws InterruptedException
    {
        final Map<String, String> line = node.await("READY", timeoutMs);
        ready.put(node.slot, line);
        return line;
    }

    private String seedsFor(final int slot)
    {
        for (final Map.Entry<Integer, NodeProcess> entry : live.entrySet())
        {
            if (entry.getKey() != slot && entry.getValue().process.isAlive() && ready.containsKey(entry.getKey()))
            {
                return ready.get(entry.getKey()).get("command");
            }
        }
        return "";
    }

    /**
     * Starts {@code count} nodes one after another, as an operator would: each is launched once the one before it is
     * RUNNING, and joins through the first.
     * <p>
     * Why not all at once: a node's start costs about 6 s of CPU (measured: the launching thread with Chronicle
     * Map's run-time javac about 2.5 s, the JIT's compiler threads about 3.5 s), and the machine this runs on may have
     * two cores. Fifteen JVMs launched together asked for some 90 s of CPU in one burst; every node thread, members'
     * included, then waited up to 1.3 s for a core, past the library's 1 s heartbeat timeout, and the joins that
     * finally came together overran the join timeout. No deployment starts its nodes that way on one host, and
     * concurrent joins are the simulator's and the engine tests' job, not the load harness's.
     *
     * @param count     how many.
     * @param timeoutMs bound per node.
     * @throws IOException          if a process cannot start.
     * @throws InterruptedException if interrupted.
     */
    void startAll(final int count, final long timeoutMs) throws IOException, InterruptedException
    {
        for (int slot = 0; slot < count; slot++)
        {
            start(slot, timeoutMs);
        }
        awaitMembers(timeoutMs);
    }

    /**
     * Node-thread stalls (duty cycles that began more than 50 ms after the one before) of the live nodes, as their
     * last status lines report them, by slot.
     *
     * @return stalls by slot; a node without a status line yet counts 0.
     */
    Map<Integer, Long> stallsBySlot()
    {
        return statusCountBySlot("stalls");
    }

    /**
     * Of the stalls, those in which a node's thread itself ran more than 50 ms of CPU (a long job), as the live
     * nodes' last status lines report them, by slot.
     *
     * @return working stalls by slot; a node without a status line yet counts 0.
     */
    Map<Integer, Long> workingStallsBySlot()
    {
        return statusCountBySlot("workingStalls");
    }

    private Map<Integer, Long> statusCountBySlot(final String field)
    {
        final Map<Integer, Long> counts = new TreeMap<>();
        for (final NodeProcess node : live.values())
        {
            counts.put(node.slot, Long.parseLong(node.status().getOrDefault(field, "0")));
        }
        return counts;
    }

    /**
     * Node-thread stalls of the live nodes up to a time, as their STATUS lines up to it report them, by slot.
     *
     * @param epochNs a time of {@link SharedClock}.
     * @return stalls by slot.
     */
    Map<Integer, Long> stallsBySlotAt(final long epochNs)
    {
        final Map<Integer, Long> stalls = new TreeMap<>();
        for (final NodeProcess node : live.values())
        {
            stalls.put(node.slot, node.stallsAt(epochNs));
        }
        return stalls;
    }

    /**
     * When a node's state last became the given one, as its STATE line says.
     *
     * @param slot      the node's slot.
     * @param state     e.g. {@code JOINING}.
     * @param timeoutMs how long to wait for the line.
     * @return the time, of {@link SharedClock}.
     * @throws InterruptedException if interrupted.
     */
    long stateChangedAtNs(final int slot, final String state, final long timeoutMs) throws InterruptedException
    {
        return Long.parseLong(live.get(slot).await("STATE", (line) -> state.equals(line.get("to")), timeoutMs).get("t"));
    }

    /**
     * The longest gap between two duty cycles any live node's thread had since its launch, in milliseconds.
     *
     * @return milliseconds, 0 without status lines.
     */
    long longestStallMs()
    {
        long longest = 0;
        for (final NodeProcess node : live.values())
        {
            longest = Math.max(longest, Long.parseLong(node.status().getOrDefault("longestStallMs", "0")));
        }
        return longest;
    }

    /**
     * Waits until every live node is RUNNING with every other live node as a member.
     *
     * @param timeoutMs bound.
     * @throws InterruptedException if interrupted.
     */
    void awaitMembers(final long timeoutMs) throws InterruptedException
    {
        awaitCondition("every node RUNNING with " + (live.size() - 1) + " members", timeoutMs, () ->
        {
            for (final NodeProcess node : live.values())
            {
                final Map<String, String> status = node.status();
                if (!"RUNNING".equals(status.get("state")) ||
                    !String.valueOf(live.size() - 1).equals(status.get("members")))
                {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Sends a command to every live node.
     *
     * @param command the command line.
     */
    void broadcast(final String command)
    {
        live.values().forEach((node) -> node.send(command));
    }

    /**
     * Waits for a line of a kind from every live node.
     *
     * @param kind      the line's first word.
     * @param timeoutMs bound.
     * @return the lines, by slot.
     * @throws InterruptedException if interrupted.
     */
    Map<Integer, Map<String, String>> awaitAll(final String kind, final long timeoutMs) throws InterruptedException
    {
        final Map<Integer, Map<String, String>> lines = new TreeMap<>();
        for (final NodeProcess node : live.values())
        {
            lines.put(node.slot, node.await(kind, timeoutMs));
        }
        return lines;
    }

    /**
     * Waits until every live node holds every live owner's rows with that owner's own digest, and no other
     * owner's rows.
     *
     * @param timeoutMs bound.
     * @return the harness's {@link SharedClock} time when agreement was first seen.
     * @throws InterruptedException if interrupted.
     */
    long awaitDigestsAgree(final long timeoutMs) throws InterruptedException
    {
        awaitCondition("digests equal on every node", timeoutMs, this::digestsAgree);
        return SharedClock.nowNs();
    }

    /**
     * Whether the latest status lines show every replica equal to its owner.
     *
     * @return true if they agree.
     */
    boolean digestsAgree()
    {
        final Map<String, String> own = new HashMap<>();
        final List<Map<String, String>> views = new ArrayList<>();
        for (final NodeProcess node : live.values())
        {
            final Map<String, String> status = node.status();
            if (!status.containsKey("digests") || !ready.containsKey(node.slot))
            {
                return false;
            }
            final Map<String, String> view = new HashMap<>();
            for (final String entry : status.get("digests").split(","))
            {
                final int colon = entry.indexOf(':');
                view.put(entry.substring(0, colon), entry.substring(colon + 1));
            }
            final String id = ready.get(node.slot).get("node");
            own.put(id, view.get(id));
            views.add(view);
        }
        for (final Map<String, String> view : views)
        {
            if (!view.equals(own))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Verifies every live node's replicas of every live owner against a replay of the owner's events.
     *
     * @param stopped each live node's STOPPED line (its final event and probe counts), by slot.
     * @param timeoutMs bound.
     * @return VERIFY lines by slot.
     * @throws InterruptedException if interrupted.
     */
    Map<Integer, Map<String, String>> verify(final Map<Integer, Map<String, String>> stopped, final long timeoutMs)
        throws InterruptedException
    {
        final StringBuilder owners = new StringBuilder();
        for (final NodeProcess node : live.values())
        {
            final Map<String, String> line = stopped.get(node.slot);
            owners.append(owners.length() > 0 ? "," : "").append(ready.get(node.slot).get("node")).append(':')
                .append(node.slot).append(':').append(line.get("events")).append(':').append(line.get("probes"));
        }
        broadcast("verify " + owners);
        return awaitAll("VERIFY", timeoutMs);
    }

    /**
     * Collects MEM lines and latency histograms (per phase, merged over the live nodes), leaving out the stage
     * breakdown.
     *
     * @param memory    filled with MEM lines by slot.
     * @param timeoutMs bound.
     * @return histograms by phase name.
     * @throws InterruptedException if interrupted.
     */
    Map<String, Histogram> report(final Map<Integer, Map<String, String>> memory, final long timeoutMs)
        throws InterruptedException
    {
        return report(memory, new LinkedHashMap<>(), timeoutMs);
    }

    /**
     * Collects MEM lines and latency histograms (per phase, merged over the live nodes), and the probes' stage
     * breakdown (per phase and stage).
     *
     * @param memory    filled with MEM lines by slot.
     * @param stages    filled with the stage histograms, by {@code phase/stage} (e.g. {@code fixed/wire}).
     * @param timeoutMs bound.
     * @return histograms by phase name.
     * @throws InterruptedException if interrupted.
     */
    Map<String, Histogram> report(
        final Map<Integer, Map<String, String>> memory, final Map<String, Histogram> stages, final long timeoutMs)
        throws InterruptedException
    {
        broadcast("report");
        final Map<String, Histogram> merged = new LinkedHashMap<>();
        for (final NodeProcess node : live.values())
        {
            memory.put(node.slot, node.await("MEM", timeoutMs));
            node.await("REPORTED", timeoutMs);
            for (final Map<String, String> hist : node.seen("HIST"))
            {
                node.await("HIST", (line) -> line == hist, timeoutMs);
                final byte[] bytes = Base64.getDecoder().decode(hist.get("data"));
                try
                {
                    final Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
                    final String name = hist.get("phase");
                    (name.contains(LoadNodeReport.STAGE_SEPARATOR) ? stages : merged)
                        .computeIfAbsent(name, (key) -> new Histogram(histogram.getHighestTrackableValue(), 3))
                        .add(histogram);
                }
                catch (final DataFormatException ex)
                {
                    throw new IllegalStateException("node " + node.slot + " sent a bad histogram: " + ex.getMessage(), ex);
                }
            }
        }
        return merged;
    }

    /**
     * The live nodes, by slot.
     *
     * @return the map (live view).
     */
    Map<Integer, NodeProcess> live()
    {
        return live;
    }

    /**
     * A node's READY line.
     *
     * @param slot the slot.
     * @return its fields.
     */
    Map<String, String> ready(final int slot)
    {
        return ready.get(slot);
    }

    /**
     * Kills a node with SIGKILL (kill -9 by its pid) and forgets it.
     *
     * @param slot the slot.
     * @return the killed node's READY line.
     */
    Map<String, String> kill(final int slot)
    {
        final NodeProcess node = live.remove(slot);
        node.kill();
        return ready.remove(slot);
    }

    /**
     * Waits for a condition, polling.
     *
     * @param what      for the error message.
     * @param timeoutMs bound.
     * @param condition the condition.
     * @throws InterruptedException if interrupted.
     */
    void awaitCondition(final String what, final long timeoutMs, final java.util.function.BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            checkHealthy(what);
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("not reached within " + timeoutMs + " ms: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /**
     * Fails at once, with the reason, if a live node exited or stopped being a member (e.g. evicted), rather than
     * waiting out a timeout for something that can no longer happen.
     *
     * @param what what the harness was doing, for the message.
     */
    void checkHealthy(final String what)
    {
        for (final NodeProcess node : live.values())
        {
            if (!node.process.isAlive())
            {
                throw new IllegalStateException(node + " exited with " + node.process.exitValue() + " while: " + what +
                    " (see " + new File(dir, "node-" + node.slot + "-" + node.generation + ".log") + ")");
            }
            final String state = node.status().get("state");
            if ("EVICTED".equals(state) || "CLOSED".equals(state))
            {
                throw new IllegalStateException(node + " is " + state + " while: " + what + " (see " +
                    new File(dir, "node-" + node.slot + "-" + node.generation + ".log") + ")");
            }
        }
    }

    /**
     * Starts the refreshing progress line (members, rooms, subscriptions, events/s, applied/s, p99).
     */
    void startProgress()
    {
        progressOn = true;
        progressThread = new Thread(this::progressLoop, "bench-progress");
        progressThread.setDaemon(true);
        progressThread.start();
    }

    /**
     * Names what the run does now, shown at the start of the progress line.
     *
     * @param phase e.g. {@code fill}.
     */
    void progressPhase(final String phase)
    {
        progressPhase = phase;
    }

    /**
     * Stops the progress line and ends it with a newline.
     *
     * @throws InterruptedException if interrupted.
     */
    void stopProgress() throws InterruptedException
    {
        progressOn = false;
        if (null != progressThread)
        {
            progressThread.join();
            progressThread = null;
        }
    }

    /**
     * Prints a line without garbling the progress line.
     *
     * @param line the line.
     */
    void println(final String line)
    {
        synchronized (out)
        {
            out.print("\r\033[K");
            out.println(line);
        }
    }

    private void progressLoop()
    {
        long lastEvents = -1;
        long lastApplied = 0;
        long lastNs = System.nanoTime();
        final long startNs = lastNs;
        while (progressOn)
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(500);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            long events = 0;
            long applied = 0;
            long subscriptions = 0;
            double p99 = 0;
            int minMembers = Integer.MAX_VALUE;
            for (final NodeProcess node : new ArrayList<>(live.values()))
            {
                final Map<String, String> status = node.status();
                if (status.isEmpty())
                {
                    continue;
                }
                events += Long.parseLong(status.get("events"));
                applied += Long.parseLong(status.get("applied"));
                subscriptions += Long.parseLong(status.get("live")) + Long.parseLong(status.get("probes"));
                p99 = Math.max(p99, Double.parseDouble(status.get("p99us")));
                minMembers = Math.min(minMembers, Integer.parseInt(status.get("members")) + 1);
            }
            final long nowNs = System.nanoTime();
            final double seconds = (nowNs - lastNs) / 1e9;
            final double eventRate = lastEvents < 0 ? 0 : (events - lastEvents) / seconds;
            final double appliedRate = lastEvents < 0 ? 0 : (applied - lastApplied) / seconds;
            lastEvents = events;
            lastApplied = applied;
            lastNs = nowNs;
            synchronized (out)
            {
                out.printf("\r\033[K[%5.1fs] %-10s nodes %d  members %d  rooms %,d  subscriptions %,d  events %,.0f/s  " +
                    "applied %,.0f/s  p99 %,.0f us", (nowNs - startNs) / 1e9, progressPhase, live.size(),
                    Integer.MAX_VALUE == minMembers ? 0 : minMembers, rooms, subscriptions, eventRate, appliedRate, p99);
                out.flush();
            }
        }
        synchronized (out)
        {
            out.println();
        }
    }

    /**
     * Ends every process this cluster started, by its own pid.
     */
    public void close()
    {
        progressOn = false;
        endAllQuietly();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: the hook is running this.
        }
    }

    private void endAllQuietly()
    {
        final List<NodeProcess> all;
        synchronized (started)
        {
            all = new ArrayList<>(started);
        }
        for (final NodeProcess node : all)
        {
            try
            {
                node.end();
            }
            catch (final InterruptedException ex)
            {
                node.kill();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Every process started, for tests to check that none is left.
     *
     * @return the processes.
     */
    List<NodeProcess> started()
    {
        synchronized (started)
        {
            return new ArrayList<>(started);
        }
    }
}
