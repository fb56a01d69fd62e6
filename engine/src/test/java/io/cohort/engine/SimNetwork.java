package io.cohort.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic, single-threaded network and clock for {@link ClusterCore}s: sync frames and commands are
 * events delivered after a latency, in (time, order of sending) order, and every random choice comes from one
 * seeded {@link Random}. Subscriptions become live only after a delay, as with ZeroMQ's slow joiner: frames
 * published before then do not reach the subscriber. Faults can be injected on the sync path.
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
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<String, SimNode> nodesByEndpoint = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final long latencyNs;
    private final long jitterNs;
    private final long subscribeDelayNs;
    private long nowNs = TimeUnit.SECONDS.toNanos(1);
    private long order;
    private SyncFault syncFault;
    private java.util.Set<Long> partitionSide;

    SimNetwork(final long seed, final long latencyNs, final long jitterNs, final long subscribeDelayNs)
    {
        this.random = new Random(seed);
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        this.subscribeDelayNs = subscribeDelayNs;
    }

    long nowNs()
    {
        return nowNs;
    }

    void syncFault(final SyncFault fault)
    {
        this.syncFault = fault;
    }

    /**
     * Cuts the network in two: nodes in the side and nodes outside it can no longer reach each other, in either
     * direction, on either channel. Null heals it.
     */
    void partition(final java.util.Set<Long> side)
    {
        this.partitionSide = side;
    }

    boolean connected(final long from, final long to)
    {
        return null == partitionSide || partitionSide.contains(from) == partitionSide.contains(to);
    }

    void register(final SimNode node)
    {
        nodes.add(node);
        nodesByEndpoint.put(node.syncEndpoint(), node);
        nodesByEndpoint.put(node.commandEndpoint(), node);
    }

    void unregister(final SimNode node)
    {
        nodes.remove(node);
        nodesByEndpoint.remove(node.syncEndpoint());
        nodesByEndpoint.remove(node.commandEndpoint());
    }

    SimNode nodeAt(final String endpoint)
    {
        return nodesByEndpoint.get(endpoint);
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
                subscriber.wantsSubscriptionTo(publisher.nodeId()))
            {
                publisher.addSubscriber(subscriber);
            }
        });
    }

    void publish(final SimNode from, final long destination, final UnsafeBuffer buffer, final int offset,
        final int length)
    {
        for (final SimNode to : from.liveSubscribers())
        {
            if (0 != destination && to.nodeId() != destination || !connected(from.nodeId(), to.nodeId()))
            {
                continue;
            }
            final byte[] message = new byte[length];
            buffer.getBytes(offset, message);
            final int copies = null == syncFault ? 1 : syncFault.copies(from.nodeId(), to.nodeId(), message);
            for (int i = 0; i < copies; i++)
            {
                // One TCP connection per publisher and subscriber: frames keep their order on it.
                final long at = to.nextArrival(from.nodeId(), nowNs + delay());
                events.add(new Event(at, order++, () -> to.receiveSync(from.nodeId(), message)));
            }
        }
    }

    /**
     * A command from one node to another: like ZeroMQ over TCP, commands between the same two nodes arrive in
     * the order they were sent.
     */
    void sendCommand(final SimNode from, final SimNode to, final Runnable delivery)
    {
        if (!connected(from.nodeId(), to.nodeId()))
        {
            return;
        }
        final long at = to.nextCommandArrival(from.nodeId(), nowNs + delay());
        events.add(new Event(at, order++, delivery));
    }

    /**
     * Runs every node's duty cycle every millisecond and delivers events, until the given time.
     */
    void runFor(final long durationNs)
    {
        final long end = nowNs + durationNs;
        final long tickNs = TimeUnit.MILLISECONDS.toNanos(1);
        long nextTick = nowNs;
        while (nowNs < end)
        {
            final Event next = events.peek();
            if (null != next && next.timeNs <= nextTick && next.timeNs <= end)
            {
                events.poll();
                nowNs = Math.max(nowNs, next.timeNs);
                next.action.run();
                continue;
            }
            nowNs = Math.min(nextTick, end);
            for (int i = 0; i < nodes.size(); i++)
            {
                nodes.get(i).dutyCycle(nowNs);
            }
            nextTick = nowNs + tickNs;
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
            runFor(TimeUnit.MILLISECONDS.toNanos(5));
            if (condition.getAsBoolean())
            {
                return true;
            }
        }
        return condition.getAsBoolean();
    }
}
