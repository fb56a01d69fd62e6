package io.cohort.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
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

/**
 * A node driven by line commands, for multi-process tests ({@link MultiProcessClusterTest}). Launches a
 * {@link CohortNode} from the {@code cohort.*} system properties, reads one command per line on stdin and answers
 * each with exactly one line {@code R OK ...} or {@code R ERR ...} on stdout. What the node's listener hears is
 * written as {@code E ...} lines on the same stdout, in between. Logs go to stderr.
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
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
        StandardCharsets.UTF_8);

    private static final Set<Long> ROOMS = ConcurrentHashMap.newKeySet();
    private static final AtomicLong REFUSALS = new AtomicLong();

    private static volatile CohortNode node;
    private static volatile Churn churn;

    private ScriptedNodeMain()
    {
    }

    static void emit(final String line)
    {
        synchronized (OUT)
        {
            OUT.println(line);
            OUT.flush();
        }
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
            emit("E FAILED " + ex);
            System.exit(CohortMain.EXIT_FAILED);
            return;
        }
        emit("E LAUNCHED " + hex(node.nodeId()) + " " + node.commandEndpoint());

        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            final Churn running = churn;
            if (null != running)
            {
                running.finish();
            }
            node.close();
            emit("E CLOSED");
            Runtime.getRuntime().halt(null == node.failure() ? 0 : CohortMain.EXIT_FAILED);
        }, "scripted-shutdown"));

        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while (null != (line = in.readLine()))
        {
            final String trimmed = line.trim();
            if (trimmed.isEmpty())
            {
                continue;
            }
            if ("quit".equals(trimmed))
            {
                emit("R OK quit");
                break;
            }
            String reply;
            try
            {
                reply = execute(trimmed.split(" +"));
            }
            catch (final Exception ex)
            {
                reply = "ERR " + ex.toString().replace('\n', ' ');
            }
            emit("R " + reply);
        }
        System.exit(0); // the shutdown hook leaves gracefully
    }

    private static String execute(final String[] words) throws InterruptedException
    {
        final CohortNode node = ScriptedNodeMain.node;
        switch (words[0])
        {
            case "id":
                return "OK " + hex(node.nodeId());

            case "state":
                return "OK " + node.state();

            case "await":
            {
                final NodeState expected = NodeState.valueOf(words[1]);
                return node.awaitState(expected, Long.parseLong(words[2]), TimeUnit.MILLISECONDS) ?
                    "OK " + expected : "ERR " + node.state() + " " + node.failure();
            }

            case "members":
            {
                final long[] members = node.members();
                final StringBuilder builder = new StringBuilder("OK");
                Arrays.stream(members).mapToObj(ScriptedNodeMain::hex).sorted()
                    .forEach((id) -> builder.append(' ').append(id));
                return builder.toString();
            }

            case "refused":
                return "OK " + REFUSALS.get();

            case "create":
            {
                final byte[] filter = words[3].getBytes(StandardCharsets.UTF_8);
                final CallResult result = retry(() -> node.createRoom(words[1], words[2], filter));
                return CallResult.ACCEPTED == result ?
                    "OK " + hex(CohortNode.roomId(words[1], words[2], filter)) : "ERR " + result;
            }

            case "hasroom":
                return "OK " + ROOMS.contains(parseId(words[1]));

            case "sub":
                return result(retry(() -> node.subscribe(Long.parseLong(words[1]), parseId(words[2]))));

            case "unsub":
                return result(retry(() -> node.unsubscribe(Long.parseLong(words[1]), parseId(words[2]))));

            case "disconnect":
                return result(retry(() -> node.disconnect(Long.parseLong(words[1]))));

            case "publish":
            {
                final UnsafeBuffer payload = new UnsafeBuffer(words[2].getBytes(StandardCharsets.UTF_8));
                return result(retry(() -> node.publish(parseId(words[1]), payload, 0, payload.capacity())));
            }

            case "count":
                return "OK " + node.subscriberCount(parseId(words[1]));

            case "ocount":
                return "OK " + node.subscriberCount(parseId(words[1]), parseId(words[2]));

            case "ocounts":
            {
                final long owner = parseId(words[1]);
                final StringBuilder builder = new StringBuilder("OK");
                for (final String room : words[2].split(","))
                {
                    builder.append(' ').append(node.subscriberCount(owner, parseId(room)));
                }
                return builder.toString();
            }

            case "counts":
            {
                final StringBuilder builder = new StringBuilder("OK");
                for (final String room : words[1].split(","))
                {
                    builder.append(' ').append(node.subscriberCount(parseId(room)));
                }
                return builder.toString();
            }

            case "digests":
            {
                final StringBuilder builder = new StringBuilder("OK");
                for (final String owner : words[1].split(","))
                {
                    builder.append(' ').append(hex(node.digest(parseId(owner))));
                }
                return builder.toString();
            }

            case "local":
                return "OK " + node.localSubscriberCount(parseId(words[1]));

            case "digest":
                return "OK " + hex(node.digest(parseId(words[1])));

            case "churn":
                if ("start".equals(words[1]))
                {
                    if (null != churn)
                    {
                        return "ERR churn already running";
                    }
                    final long[] rooms = Arrays.stream(words[6].split(",")).mapToLong(ScriptedNodeMain::parseId)
                        .toArray();
                    churn = new Churn(Long.parseLong(words[2]), Long.parseLong(words[3]), Integer.parseInt(words[4]),
                        Integer.parseInt(words[5]), rooms);
                    churn.start();
                    return "OK churning";
                }
                else
                {
                    final Churn running = churn;
                    if (null == running)
                    {
                        return "ERR no churn";
                    }
                    churn = null;
                    return "OK " + running.finish();
                }

            default:
                return "ERR unknown command " + words[0];
        }
    }

    private static String result(final CallResult result)
    {
        return (CallResult.ACCEPTED == result ? "OK " : "ERR ") + result;
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
            emit("E NOTIFY " + hex(roomId) + " " + buffer.getStringWithoutLengthUtf8(offset, length));
        }

        public void onRoomCreated(
            final long roomId, final String indexName, final String collectionName, final byte[] filter)
        {
            ROOMS.add(roomId);
            emit("E ROOM " + hex(roomId));
        }

        public void onRoomRemoved(final long roomId)
        {
            ROOMS.remove(roomId);
            emit("E ROOM_REMOVED " + hex(roomId));
        }

        public void onMemberJoined(final long nodeId)
        {
            emit("E JOINED " + hex(nodeId));
        }

        public void onMemberLeft(final long nodeId)
        {
            emit("E LEFT " + hex(nodeId));
        }

        public void onMemberEvicted(final long nodeId, final EvictionReason reason)
        {
            emit("E EVICTED " + hex(nodeId) + " " + reason);
        }

        public void onRefused(
            final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
        {
            REFUSALS.incrementAndGet();
            emit("E REFUSED " + operation + " " + connectionId + " " + hex(roomId) + " " + reason);
        }

        public void onStateChanged(final NodeState previous, final NodeState current)
        {
            emit("E STATE " + previous + " " + current);
        }
    }
}
