package io.cohort.harness;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.values.Values;
import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The physical limits of this machine's parts, measured in the same run as the cluster: raw JeroMQ PUB/SUB over
 * loopback TCP with one message of a given size per ZeroMQ frame (how many a second, and how long one takes at a
 * paced rate), and raw Chronicle Map read-modify-write updates of long counts (what one replicated count costs the
 * state at the least).
 */
final class Baselines
{
    private Baselines()
    {
    }

    /**
     * Messages per second from an XPUB (no-drop: it waits at the high-water mark) to a SUB over loopback TCP, one
     * message per frame, received and counted.
     *
     * @param messageLength bytes per message.
     * @param seconds       measurement time.
     * @return messages received per second.
     * @throws InterruptedException if interrupted.
     */
    static double jeromqMessagesPerSecond(final int messageLength, final double seconds) throws InterruptedException
    {
        try (ZContext context = new ZContext(1))
        {
            // XPUB with no-drop and a blocking send (Cohort's sync socket drops for a full pipe instead, which one
            // healthy subscriber never fills): at the high-water mark the publisher waits instead of dropping, so
            // every message sent arrives, and no thread spins against ZeroMQ's own I/O thread (on a small busy
            // machine a spinning PUB took the CPU the I/O thread needed and measured its own starvation).
            final ZMQ.Socket pub = context.createSocket(SocketType.XPUB);
            pub.setXpubNoDrop(true);
            pub.setSendTimeOut(100);
            final ZMQ.Socket sub = context.createSocket(SocketType.SUB);
            final int port = pub.bindToRandomPort("tcp://127.0.0.1");
            sub.subscribe(new byte[0]);
            sub.setReceiveTimeOut(100);
            sub.connect("tcp://127.0.0.1:" + port);
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread publisher = new Thread(() ->
            {
                while (running.get())
                {
                    // A fresh array each time: JeroMQ wraps it without copying (FACTS.md).
                    pub.send(new byte[messageLength], 0);
                }
            }, "baseline-jeromq-pub");
            publisher.start();
            // Wait out the slow joiner, then count what arrives.
            while (null == sub.recv(0))
            {
                Thread.onSpinWait();
            }
            long received = 0;
            final long start = System.nanoTime();
            final long end = start + (long)(seconds * 1e9);
            while (System.nanoTime() < end)
            {
                if (null != sub.recv(0))
                {
                    received++;
                }
            }
            final double rate = received / ((System.nanoTime() - start) / 1e9);
            running.set(false);
            publisher.join();
            return rate;
        }
    }

    /**
     * One-way latency of single messages from an XPUB to a SUB over loopback TCP at a paced rate, each side with a
     * ZeroMQ context of its own (one I/O thread each, as two nodes have) and the receiver blocked in its receive (as
     * a node thread waits for input): the path of every replicated count, a sending thread, the two I/O threads and
     * a receiving thread, with nothing of Cohort on it. What Cohort's wire stage cannot go below on this machine.
     *
     * @param messageLength bytes per message (at least 8: the send time travels in it).
     * @param ratePerSecond messages sent per second.
     * @param seconds       measurement time.
     * @return the latencies, in nanoseconds.
     * @throws InterruptedException if interrupted.
     * @throws IllegalStateException if the subscription or the last message does not arrive within 10 s.
     */
    static Histogram jeromqOneWayLatency(final int messageLength, final int ratePerSecond, final double seconds)
        throws InterruptedException
    {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        try (ZContext publisherContext = new ZContext(1); ZContext subscriberContext = new ZContext(1))
        {
            final ZMQ.Socket pub = publisherContext.createSocket(SocketType.XPUB);
            final int port = pub.bindToRandomPort("tcp://127.0.0.1");
            final ZMQ.Socket sub = subscriberContext.createSocket(SocketType.SUB);
            sub.subscribe(new byte[0]);
            sub.setReceiveTimeOut(100);
            sub.connect("tcp://127.0.0.1:" + port);
            // The XPUB hands up the subscription once it is in place: no message is sent into the slow joiner's gap.
            pub.setReceiveTimeOut((int)TimeUnit.SECONDS.toMillis(10));
            if (null == pub.recv(0))
            {
                throw new IllegalStateException("raw JeroMQ latency: no subscription within 10 s");
            }
            final long sentinel = -1;
            final Thread receiver = new Thread(() ->
            {
                final long deadlineNs = System.nanoTime() + (long)(seconds * 1e9) + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadlineNs)
                {
                    final byte[] message = sub.recv(0);
                    if (null != message)
                    {
                        final long sentNs = ByteBuffer.wrap(message).getLong();
                        if (sentinel == sentNs)
                        {
                            return;
                        }
                        latency.recordValue(Math.max(0, Math.min(System.nanoTime() - sentNs,
                            latency.getHighestTrackableValue())));
                    }
                }
            }, "baseline-jeromq-latency");
            receiver.start();
            final long intervalNs = 1_000_000_000L / ratePerSecond;
            long dueNs = System.nanoTime();
            final long endNs = dueNs + (long)(seconds * 1e9);
            while (dueNs < endNs)
            {
                final long nowNs = System.nanoTime();
                if (nowNs < dueNs)
                {
                    LockSupport.parkNanos(dueNs - nowNs);
                    continue;
                }
                // A fresh array each time: JeroMQ wraps it without copying and keeps it until its I/O thread wrote it.
                final byte[] message = new byte[messageLength];
                ByteBuffer.wrap(message).putLong(System.nanoTime());
                pub.send(message, 0);
                dueNs += intervalNs;
            }
            final byte[] last = new byte[messageLength];
            ByteBuffer.wrap(last).putLong(sentinel);
            pub.send(last, 0);
            receiver.join(TimeUnit.SECONDS.toMillis(10));
            if (receiver.isAlive())
            {
                receiver.interrupt();
                throw new IllegalStateException("raw JeroMQ latency: the last message did not arrive within 10 s");
            }
        }
        return latency;
    }

    /**
     * Read-modify-write updates per second of Chronicle Map, one thread, through a query context under the
     * update lock (as the state applies a count), on a map of {@code entries} long keys drawn uniformly.
     *
     * @param entries keys in the map.
     * @param seconds measurement time.
     * @return updates per second.
     */
    static double chronicleUpdatesPerSecond(final int entries, final double seconds)
    {
        try (ChronicleMap<LongValue, LongValue> map = ChronicleMap.of(LongValue.class, LongValue.class)
            .entries(entries).create())
        {
            final LongValue key = Values.newHeapInstance(LongValue.class);
            final LongValue value = Values.newHeapInstance(LongValue.class);
            final LongValue nativeValue = Values.newNativeReference(LongValue.class);
            for (int i = 0; i < entries; i++)
            {
                key.setValue(i * 0x9E3779B97F4A7C15L);
                value.setValue(0);
                map.put(key, value);
            }
            final SplittableRandom random = new SplittableRandom(7);
            long updates = 0;
            final long start = System.nanoTime();
            final long end = start + (long)(seconds * 1e9);
            while (true)
            {
                for (int i = 0; i < 1024; i++)
                {
                    key.setValue(random.nextInt(entries) * 0x9E3779B97F4A7C15L);
                    try (ExternalMapQueryContext<LongValue, LongValue, ?> context = map.queryContext(key))
                    {
                        context.updateLock().lock();
                        final LongValue found = context.entry().value().getUsing(nativeValue);
                        found.setValue(found.getValue() + 1);
                    }
                }
                updates += 1024;
                if (System.nanoTime() >= end)
                {
                    break;
                }
            }
            return updates / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Sleeps a little so that one measurement's threads are gone before the next starts.
     *
     * @throws InterruptedException if interrupted.
     */
    static void settle() throws InterruptedException
    {
        TimeUnit.MILLISECONDS.sleep(500);
    }
}
