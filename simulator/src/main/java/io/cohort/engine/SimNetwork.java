package io.cohort.engine;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic, single-threaded network and clock for {@link ClusterCore}s: sync frames and commands are
 * events delivered after a latency, in (time, order of sending) order, and every random choice comes from one
 * seeded {@link Random}. Subscriptions become live only after a delay, as with ZeroMQ's slow joiner: frames
 * published before then do not reach the subscriber. Faults can be injected on the sync path, at the sender
 * (one fate for every subscriber, as a broken sender would) or per subscriber; partitions cut links in both
 * directions or in one.
 * <p>
 * Nothing here iterates a hash map to decide anything: nodes are kept in the order they registered, so that
 * a seed replays identically.
 */
final class SimNetwork
{
    /**
     * Decides the fate of one sync frame on its way to one subscriber.
     */
    interface SyncFault
    {
        /**
         * @param from    the publisher.
         * @param to      the subscriber.
         * @param message the frame's bytes (may be modified to corrupt it).
         * @return how many copies to deliver: 0 drops it, 2 duplicates it.
         */
        int copies(long from, long to, byte[] message);

        /**
         * @return extra delay for this frame that does not hold back the frames after it (they may overtake
         * it: a reorder), 0 for none. Asked after {@link #copies} for the same frame.
         */
        default long reorderDelayNs(final long from, final long to)
        {
            return 0;
        }

        /**
         * @return whether {@link #copies} changed the bytes of the frame it was last asked about.
         */
        default boolean corrupted()
        {
            return false;
        }
    }

    /**
     * Decides the fate of one sync frame as its publisher sends it: one fate for every subscriber.
     */
    interface SenderFault
    {
        /**
         * @param from    the publisher.
         * @param message the frame's bytes (may be modified to corrupt it for every subscriber).
         * @return how many copies every subscriber gets: 0 drops it, 2 duplicates it.
         */
        int copies(long from, byte[] message);

        /**
         * @return whether {@link #copies} changed the bytes of the frame it was last asked about.
         */
        default boolean corrupted()
        {
            return false;
        }
    }

    /**
     * Decides whether a command from one node to another is lost on its way (a link that drops most packets, on
     * which TCP gives up and the request times out).
     */
    interface CommandFault
    {
        boolean lost(long from, long to);
    }

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final long order;
        final Runnable action;

        Event(final long timeNs, final long order, final Runnable action)
        {
            this.timeNs = timeNs;
            this.order = order;
            this.action = action;
        }

        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return 0 != byTime ? byTime : Long.compare(order, other.order);
        }
    }

    final Random random;
    /** Delays of flow status reports: their own stream, so that a periodic report does not shift every later draw
     * of {@link #random} (each seed's faults and delays stay the scenario they were before reports existed). */
    private final Random statusRandom;
    private final Random livenessRandom;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<String, SimNode> nodesByEndpoint = new HashMap<>();
    private final Long2ObjectHashMap<SimNode> nodesByInstance = new Long2ObjectHashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final long latencyNs;
    private final long jitterNs;
    private final long subscribeDelayNs;
    private long tickNs = TimeUnit.MILLISECONDS.toNanos(1);
    private boolean idleUntilDeadline;
    private long nowNs = TimeUnit.SECONDS.toNanos(1);
    private long nextTickNs = nowNs;
    private long order;
    private long nextInstance = 1;
    private long eventsRun;
    private long framesSent;
    private SyncFault syncFault;
    private SenderFault senderFault;
    private CommandFault commandFault;
    private final List<Cut> cuts = new ArrayList<>();
    private SimTrace trace = SimTrace.OFF;

    SimNetwork(final long seed, final long latencyNs, final long jitterNs, final long subscribeDelayNs)
    {
        this.random = new Random(seed);
        this.statusRandom = new Random(~seed);
        this.livenessRandom = new Random(seed * 0x9E3779B97F4A7C15L + 1);
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        this.subscribeDelayNs = subscribeDelayNs;
    }

    long nowNs()
    {
        return nowNs;
    }

    /**
     * Every node's duty cycle runs once per tick (1 ms unless changed).
     */
    SimNetwork tickNs(final long tickNs)
    {
        this.tickNs = tickNs;
        return this;
    }

    /**
     * Lets an idle node sleep through ticks as production's idle strategy does ({@link PollingIdleStrategy}): a
     * node runs its duty cycle at a tick only if input reached it since its last cycle, its socket holds a backlog,
     * a frame of its was refused, or its next deadline ({@link ClusterCore#nextDeadlineNs}, within the strategy's
     * bound) has come; an API call runs a cycle at once, as the doorbell wakes the node. Off (the default, which
     * every regression seed was found with), every node cycles every tick.
     *
     * @param on whether idle nodes sleep until their deadline.
     * @return this network.
     */
    SimNetwork idleUntilDeadline(final boolean on)
    {
        this.idleUntilDeadline = on;
        return this;
    }

    /**
     * @return whether idle nodes sleep until their deadline ({@link #idleUntilDeadline(boolean)}).
     */
    boolean idlesUntilDeadline()
    {
        return idleUntilDeadline;
    }

    SimNetwork trace(final SimTrace trace)
    {
        this.trace = trace;
        return this;
    }

    SimTrace trace()
    {
        return trace;
    }

    /**
     * @return events run so far: deliveries, scheduled actions and duty-cycle ticks of each node.
     */
    long eventsRun()
    {
        return eventsRun;
    }

    long framesSent()
    {
        return framesSent;
    }

    void syncFault(final SyncFault fault)
    {
        this.syncFault = fault;
    }

    void senderFault(final SenderFault fault)
    {
        this.senderFault = fault;
    }

    void commandFault(final CommandFault fault)
    {
        this.commandFault = fault;
    }

    /**
     * One cut of the network: nothing from side A reaches side B and, both ways, nothing from B reaches A. Side B
     * null is everything outside A (a partition of the whole network in two). Sides are tests of node ids, so that
     * a node restarted with a new id can stay on its side. Several cuts may hold at once: a link is up only if no
     * cut blocks it, which expresses non-transitive cuts ({1,2} x {4,5} with a bridge that hears all), two
     * partitions at once, and a node that drops all incoming traffic (every other node x that node, one way).
     */
    static final class Cut
    {
        final java.util.function.LongPredicate sideA;
        final java.util.function.LongPredicate sideB;
        final boolean bothWays;

        Cut(final java.util.function.LongPredicate sideA, final java.util.function.LongPredicate sideB,
            final boolean bothWays)
        {
            this.sideA = sideA;
            this.sideB = sideB;
            this.bothWays = bothWays;
        }

        boolean blocks(final long from, final long to)
        {
            final boolean fromA = sideA.test(from);
            final boolean toA = sideA.test(to);
            final boolean fromB = null == sideB ? !fromA : sideB.test(from);
            final boolean toB = null == sideB ? !toA : sideB.test(to);
            return fromA && toB || bothWays && fromB && toA;
        }
    }

    /**
     * Cuts the network in two: nodes in the side and nodes outside it can no longer reach each other, in either
     * direction, on either channel. Null heals it.
     */
    void partition(final Set<Long> side)
    {
        partition(side, true);
    }

    /**
     * Cuts the network in two, both ways, or one way only: nothing from the side reaches the others, while the
     * others still reach the side. Null heals it.
     */
    void partition(final Set<Long> side, final boolean bothWays)
    {
        partition(null == side ? null : side::contains, bothWays);
    }

    /**
     * Cuts the network in two, the side given as a test of node ids (so that a node restarted with a new id can
     * stay on its side), replacing every other cut. Null heals every cut.
     */
    void partition(final java.util.function.LongPredicate side, final boolean bothWays)
    {
        cuts.clear();
        if (null != side)
        {
            cuts.add(new Cut(side, null, bothWays));
        }
    }

    /**
     * Adds a cut to those holding: a link stays up only if no cut blocks it.
     */
    void addCut(final Cut cut)
    {
        cuts.add(cut);
    }

    /**
     * Removes a cut (no effect if it no longer holds).
     */
    void removeCut(final Cut cut)
    {
        cuts.remove(cut);
    }

    boolean isPartitioned()
    {
        return !cuts.isEmpty();
    }

    int cutCount()
    {
        return cuts.size();
    }

    boolean connected(final long from, final long to)
    {
        for (int i = 0, size = cuts.size(); i < size; i++)
        {
            if (cuts.get(i).blocks(from, to))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return a number naming one node object (one incarnation), never reused.
     */
    long register(final SimNode node)
    {
        final long instance = nextInstance++;
        nodes.add(node);
        nodesByInstance.put(instance, node);
        nodesByEndpoint.put(node.syncEndpoint(), node);
        nodesByEndpoint.put(node.commandEndpoint(), node);
        return instance;
    }

    void unregister(final SimNode node)
    {
        nodes.remove(node);
        nodesByInstance.remove(node.instance());
        if (nodesByEndpoint.get(node.syncEndpoint()) == node)
        {
            nodesByEndpoint.remove(node.syncEndpoint());
            nodesByEndpoint.remove(node.commandEndpoint());
        }
    }

    SimNode nodeAt(final String endpoint)
    {
        return nodesByEndpoint.get(endpoint);
    }

    SimNode nodeByInstance(final long instance)
    {
        return nodesByInstance.get(instance);
    }

    /**
     * @return the registered node with this id, or null.
     */
    SimNode node(final long nodeId)
    {
        for (int i = 0, size = nodes.size(); i < size; i++)
        {
            if (nodes.get(i).nodeId() == nodeId)
            {
                return nodes.get(i);
            }
        }
        return null;
    }

    List<SimNode> nodes()
    {
        return nodes;
    }

    private long delay()
    {
        return latencyNs + (jitterNs > 0 ? (long)(random.nextDouble() * jitterNs) : 0);
    }

    void schedule(final long delayNs, final Runnable action)
    {
        events.add(new Event(nowNs + delayNs, order++, action));
    }

    /**
     * A subscriber connects to a publisher: the subscription is live after the slow-joiner delay.
     */
    void subscribe(final SimNode subscriber, final SimNode publisher)
    {
        schedule(subscribeDelayNs + delay(), () ->
        {
            if (subscriber.isRunningOnNetwork() && publisher.isRunningOnNetwork() &&
                subscriber.wantsSubscriptionTo(publisher.nodeId()) &&
                connected(subscriber.nodeId(), publisher.nodeId()) && connected(publisher.nodeId(), subscriber.nodeId()))
            {
                publisher.addSubscriber(subscriber);
            }
            else if (subscriber.isRunningOnNetwork() && publisher.isRunningOnNetwork() &&
                subscriber.wantsSubscriptionTo(publisher.nodeId()))
            {
                // A cut link: the SUB socket keeps reconnecting until it gets through.
                subscribe(subscriber, publisher);
            }
        });
    }

    void publish(final SimNode from, final long destination, final long destinationIncarnation,
        final UnsafeBuffer buffer, final int offset, final int length)
    {
        framesSent++;
        byte[] sent = null;
        int senderCopies = 1;
        boolean senderCorrupted = false;
        if (null != senderFault)
        {
            sent = new byte[length];
            buffer.getBytes(offset, sent);
            senderCopies = senderFault.copies(from.nodeId(), sent);
            senderCorrupted = senderFault.corrupted();
            if (0 == senderCopies)
            {
                return;
            }
        }
        final List<SimNode> subscribers = from.liveSubscribers();
        for (int s = 0; s < subscribers.size(); s++)
        {
            final SimNode to = subscribers.get(s);
            if (0 != destination && (to.nodeId() != destination || to.incarnation() != destinationIncarnation) ||
                !connected(from.nodeId(), to.nodeId()))
            {
                continue;
            }
            final byte[] message = new byte[length];
            if (null != sent)
            {
                System.arraycopy(sent, 0, message, 0, length);
            }
            else
            {
                buffer.getBytes(offset, message);
            }
            int copies = senderCopies;
            boolean corrupted = senderCorrupted;
            long reorderNs = 0;
            if (null != syncFault)
            {
                copies *= syncFault.copies(from.nodeId(), to.nodeId(), message);
                corrupted |= syncFault.corrupted();
                reorderNs = 0 == copies ? 0 : syncFault.reorderDelayNs(from.nodeId(), to.nodeId());
            }
            for (int i = 0; i < copies; i++)
            {
                final boolean wasCorrupted = corrupted;
                final long at;
                if (reorderNs > 0 && 0 == i)
                {
                    at = nowNs + delay() + reorderNs;
                }
                else
                {
                    // One TCP connection per publisher and subscriber: frames keep their order on it.
                    at = to.nextArrival(from.nodeId(), nowNs + delay());
                }
                events.add(new Event(at, order++, () -> to.arriveSync(from.nodeId(), message, wasCorrupted)));
            }
        }
    }

    /**
     * A command from one node to another: like ZeroMQ over TCP, commands between the same two nodes arrive in
     * the order they were sent.
     */
    void sendCommand(final SimNode from, final SimNode to, final Runnable delivery)
    {
        sendCommand(from, to, delivery, random);
    }

    /**
     * A flow status report: a command like any other (ordered behind the sender's earlier commands), with its delay
     * drawn from its own random stream.
     */
    void sendStatus(final SimNode from, final SimNode to, final Runnable delivery)
    {
        sendCommand(from, to, delivery, statusRandom);
    }

    /**
     * A heartbeat's liveness copy: a command like any other, with its delay drawn from its own random stream (so
     * that adding it left the other draws of a seed as they were).
     */
    void sendLiveness(final SimNode from, final SimNode to, final Runnable delivery)
    {
        sendCommand(from, to, delivery, livenessRandom);
    }

    private void sendCommand(final SimNode from, final SimNode to, final Runnable delivery, final Random draws)
    {
        if (!connected(from.nodeId(), to.nodeId()) ||
            null != commandFault && commandFault.lost(from.nodeId(), to.nodeId()))
        {
            return;
        }
        final long delayNs = latencyNs + (jitterNs > 0 ? (long)(draws.nextDouble() * jitterNs) : 0);
        final long at = to.nextCommandArrival(from.nodeId(), nowNs + delayNs);
        events.add(new Event(at, order++, delivery));
    }

    /**
     * Runs every node's duty cycle every tick and delivers events, until the given time. Events due at a tick
     * run before it.
     */
    void runFor(final long durationNs)
    {
        final long end = nowNs + durationNs;
        while (true)
        {
            final Event next = events.peek();
            if (null != next && next.timeNs <= nextTickNs && next.timeNs <= end)
            {
                events.poll();
                nowNs = Math.max(nowNs, next.timeNs);
                eventsRun++;
                next.action.run();
            }
            else if (nextTickNs <= end)
            {
                nowNs = Math.max(nowNs, nextTickNs);
                for (int i = 0; i < nodes.size(); i++)
                {
                    final SimNode node = nodes.get(i);
                    if (!idleUntilDeadline || node.dueAt(nowNs))
                    {
                        node.dutyCycle(nowNs);
                        eventsRun++;
                    }
                }
                nextTickNs = nowNs + tickNs;
            }
            else
            {
                nowNs = Math.max(nowNs, end);
                return;
            }
        }
    }

    /**
     * Runs until the condition holds or the time is up.
     *
     * @return true if the condition held.
     */
    boolean runUntil(final java.util.function.BooleanSupplier condition, final long timeoutNs)
    {
        final long end = nowNs + timeoutNs;
        while (nowNs < end)
        {
            runFor(Math.min(TimeUnit.MILLISECONDS.toNanos(5), end - nowNs));
            if (condition.getAsBoolean())
            {
                return true;
            }
        }
        return condition.getAsBoolean();
    }
}
