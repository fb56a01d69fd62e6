package io.cohort.engine;

import io.cohort.test.CommandLoop;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.cohort.test.LineProtocol.err;
import static io.cohort.test.LineProtocol.ok;

/**
 * A node driven by line commands, for multi-process tests ({@link MultiProcessClusterTest}). Launches a
 * {@link CohortNode} from the {@code cohort.*} system properties and serves the commands below over the
 * {@link io.cohort.test.LineProtocol} ({@link CommandLoop}): one {@code R OK ...} or {@code R ERR ...} line per
 * command; what the node's listener hears as {@code E ...} lines in between. Logs go to stderr.
 * <pre>
 * id | state | await STATE ms | members | refused
 * create index collection filter          -> R OK roomId
 * hasroom room
 * sub conn room | unsub conn room | disconnect conn | publish room payload
 * count room | ocount owner room | local room | digest owner
 * counts room,room,... | ocounts owner room,room,... | digests owner,owner,...   -> R OK v v ...
 * churn start seed connBase connCount opsPerMs room,room,... | churn stop
 * quit
 * </pre>
 * Ids are 16 hex digits. Events: {@code E LAUNCHED id commandEndpoint}, {@code E STATE prev cur},
 * {@code E NOTIFY room payload}, {@code E ROOM room}, {@code E ROOM_REMOVED room}, {@code E JOINED id},
 * {@code E LEFT id}, {@code E EVICTED id reason}, {@code E REFUSED op conn room reason}, {@code E FAILED msg}.
 * <p>
 * Like {@code CohortMain}: SIGTERM leaves the cluster gracefully and exits 0. End of stdin (the test process
 * went away) does the same, so that no node outlives its test.
 */
public final class ScriptedNodeMain
{
    private static final CommandLoop LOOP = new CommandLoop();
    private static final Set<Long> ROOMS = ConcurrentHashMap.newKeySet();
    private static final AtomicLong REFUSALS = new AtomicLong();

    private static volatile CohortNode node;
    private static volatile Churn churn;

    private ScriptedNodeMain()
    {
    }

    static String hex(final long id)
    {
        return String.format("%016x", id);
    }

    static long parseId(final String hex)
    {
        return Long.parseUnsignedLong(hex, 16);
    }

    /**
     * Launches the node and serves commands until quit, end of input or SIGTERM.
     *
     * @param args none.
     * @throws IOException if stdin fails.
     */
    public static void main(final String[] args) throws IOException
    {
        try
        {
            node = Cohort.launch(new CohortContext().listener(new Listener()));
        }
        catch (final RuntimeException ex)
        {
            LOOP.emit("FAILED " + ex);
            System.exit(StandaloneProcess.EXIT_FAILED);
            return;
        }
        LOOP.emit("LAUNCHED " + hex(node.nodeId()) + " " + node.commandEndpoint());

        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            final Churn running = churn;
            if (null != running)
            {
                running.finish();
            }
            node.close();
            LOOP.emit("CLOSED");
            Runtime.getRuntime().halt(null == node.failure() ? 0 : StandaloneProcess.EXIT_FAILED);
        }, "scripted-shutdown"));

        registerCommands(node);
        LOOP.run();
        System.exit(0); // the shutdown hook leaves gracefully
    }

    private static void registerCommands(final CohortNode node)
    {
        LOOP.on("id", (words) -> ok(hex(node.nodeId())))
            .on("state", (words) -> ok(node.state()))
            .on("await", (words) ->
            {
                final NodeState expected = NodeState.valueOf(words[1]);
                return node.awaitState(expected, Long.parseLong(words[2]), TimeUnit.MILLISECONDS) ?
                    ok(expected) : err(node.state() + " " + node.failure());
            })
            .on("members", (words) -> ok(Arrays.stream(node.members()).mapToObj(ScriptedNodeMain::hex).sorted()
                .collect(Collectors.joining(" "))))
            .on("refused", (words) -> ok(REFUSALS.get()))
            .on("create", (words) ->
            {
                final byte[] filter = words[3].getBytes(StandardCharsets.UTF_8);
                final CallResult result = retry(() -> node.createRoom(words[1], words[2], filter));
                return CallResult.ACCEPTED == result ?
                    ok(hex(CohortNode.roomId(words[1], words[2], filter))) : err(result);
            })
            .on("hasroom", (words) -> ok(ROOMS.contains(parseId(words[1]))))
            .on("sub", (words) -> result(retry(() -> node.subscribe(Long.parseLong(words[1]), parseId(words[2])))))
            .on("unsub", (words) ->
                result(retry(() -> node.unsubscribe(Long.parseLong(words[1]), parseId(words[2])))))
            .on("disconnect", (words) -> result(retry(() -> node.disconnect(Long.parseLong(words[1])))))
            .on("publish", (words) ->
            {
                final UnsafeBuffer payload = new UnsafeBuffer(words[2].getBytes(StandardCharsets.UTF_8));
                return result(retry(() -> node.publish(parseId(words[1]), payload, 0, payload.capacity())));
            })
            .on("count", (words) -> ok(node.subscriberCount(parseId(words[1]))))
            .on("ocount", (words) -> ok(node.subscriberCount(parseId(words[1]), parseId(words[2]))))
            .on("ocounts", (words) ->
            {
                final long owner = parseId(words[1]);
                return ok(Arrays.stream(words[2].split(","))
                    .map((room) -> String.valueOf(node.subscriberCount(owner, parseId(room))))
                    .collect(Collectors.joining(" ")));
            })
            .on("counts", (words) -> ok(Arrays.stream(words[1].split(","))
                .map((room) -> String.valueOf(node.subscriberCount(parseId(room)))).collect(Collectors.joining(" "))))
            .on("digests", (words) -> ok(Arrays.stream(words[1].split(","))
                .map((owner) -> hex(node.digest(parseId(owner)))).collect(Collectors.joining(" "))))
            .on("local", (words) -> ok(node.localSubscriberCount(parseId(words[1]))))
            .on("digest", (words) -> ok(hex(node.digest(parseId(words[1])))))
            .on("churn", (words) -> churn(words));
    }

    private static String churn(final String[] words)
    {
        if ("start".equals(words[1]))
        {
            if (null != churn)
            {
                return err("churn already running");
            }
            final long[] rooms = Arrays.stream(words[6].split(",")).mapToLong(ScriptedNodeMain::parseId).toArray();
            churn = new Churn(Long.parseLong(words[2]), Long.parseLong(words[3]), Integer.parseInt(words[4]),
                Integer.parseInt(words[5]), rooms);
            churn.start();
            return ok("churning");
        }
        final Churn running = churn;
        if (null == running)
        {
            return err("no churn");
        }
        churn = null;
        return ok(running.finish());
    }

    private static String result(final CallResult result)
    {
        return CallResult.ACCEPTED == result ? ok(result) : err(result);
    }

    private interface Call
    {
        CallResult call();
    }

    private static CallResult retry(final Call call)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        CallResult result;
        while (CallResult.BACK_PRESSURED == (result = call.call()) && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        return result;
    }

    /**
     * Subscribes and unsubscribes connections in a loop on its own thread, keeping a model of what this node's
     * local rows must end up as.
     */
    static final class Churn extends Thread
    {
        private final SplittableRandom random;
        private final long connectionBase;
        private final int connectionCount;
        private final int opsPerMs;
        private final long[] rooms;
        private final Map<Long, Set<Long>> model = new HashMap<>();
        private volatile boolean running = true;
        private long operations;
        private long backPressured;
        private long notAccepted;

        Churn(final long seed, final long connectionBase, final int connectionCount, final int opsPerMs,
            final long[] rooms)
        {
            super("churn");
            setDaemon(true);
            this.random = new SplittableRandom(seed);
            this.connectionBase = connectionBase;
            this.connectionCount = connectionCount;
            this.opsPerMs = opsPerMs;
            this.rooms = rooms;
        }

        public void run()
        {
            final CohortNode node = ScriptedNodeMain.node;
            while (running)
            {
                for (int i = 0; i < opsPerMs; i++)
                {
                    final long connection = connectionBase + random.nextInt(connectionCount);
                    final long room = rooms[random.nextInt(rooms.length)];
                    final int dice = random.nextInt(100);
                    final CallResult result;
                    if (dice < 55)
                    {
                        result = node.subscribe(connection, room);
                        if (CallResult.ACCEPTED == result)
                        {
                            model.computeIfAbsent(connection, (c) -> new HashSet<>()).add(room);
                        }
                    }
                    else if (dice < 97)
                    {
                        result = node.unsubscribe(connection, room);
                        if (CallResult.ACCEPTED == result)
                        {
                            final Set<Long> subscribed = model.get(connection);
                            if (null != subscribed)
                            {
                                subscribed.remove(room);
                            }
                        }
                    }
                    else
                    {
                        result = node.disconnect(connection);
                        if (CallResult.ACCEPTED == result)
                        {
                            model.remove(connection);
                        }
                    }
                    operations++;
                    if (CallResult.BACK_PRESSURED == result)
                    {
                        backPressured++;
                    }
                    else if (CallResult.ACCEPTED != result)
                    {
                        notAccepted++;
                    }
                }
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }

        /**
         * Stops churning.
         *
         * @return {@code ops=N backpressured=N notaccepted=N expected=room:count,...} where expected is this
         * node's local count per room according to the model.
         */
        String finish()
        {
            running = false;
            try
            {
                join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            final Map<Long, Integer> expected = new TreeMap<>();
            for (final long room : rooms)
            {
                expected.put(room, 0);
            }
            model.values().forEach((subscribed) -> subscribed.forEach((room) -> expected.merge(room, 1, Integer::sum)));
            final StringBuilder builder = new StringBuilder()
                .append("ops=").append(operations)
                .append(" backpressured=").append(backPressured)
                .append(" notaccepted=").append(notAccepted)
                .append(" expected=");
            expected.forEach((room, count) -> builder.append(hex(room)).append(':').append(count).append(','));
            builder.setLength(builder.length() - 1);
            return builder.toString();
        }
    }

    static final class Listener implements CohortListener
    {
        public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
        {
            LOOP.emit("NOTIFY " + hex(roomId) + " " + buffer.getStringWithoutLengthUtf8(offset, length));
        }

        public void onRoomCreated(
            final long roomId, final String indexName, final String collectionName, final byte[] filter)
        {
            ROOMS.add(roomId);
            LOOP.emit("ROOM " + hex(roomId));
        }

        public void onRoomRemoved(final long roomId)
        {
            ROOMS.remove(roomId);
            LOOP.emit("ROOM_REMOVED " + hex(roomId));
        }

        public void onMemberJoined(final long nodeId)
        {
            LOOP.emit("JOINED " + hex(nodeId));
        }

        public void onMemberLeft(final long nodeId)
        {
            LOOP.emit("LEFT " + hex(nodeId));
        }

        public void onMemberEvicted(final long nodeId, final EvictionReason reason)
        {
            LOOP.emit("EVICTED " + hex(nodeId) + " " + reason);
        }

        public void onRefused(
            final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
        {
            REFUSALS.incrementAndGet();
            LOOP.emit("REFUSED " + operation + " " + connectionId + " " + hex(roomId) + " " + reason);
        }

        public void onStateChanged(final NodeState previous, final NodeState current)
        {
            LOOP.emit("STATE " + previous + " " + current);
        }
    }
}
