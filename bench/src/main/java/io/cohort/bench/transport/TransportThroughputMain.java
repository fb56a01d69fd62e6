package io.cohort.bench.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationEncoder;
import io.cohort.transport.CountersFile;
import io.cohort.transport.CurveKeys;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportCounters;
import io.cohort.transport.ZmqTransport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages per second carried from one node to another over loopback TCP, side by side in one run:
 * raw JeroMQ PUB/SUB with one 64-byte message per ZeroMQ frame (the physical limit of that part), and
 * Cohort's transport batching notifications with 64-byte payloads into frames, each frame validated
 * (CRC32C, structure) and sequence-checked by the receiver; both in plaintext and with CURVE.
 * <p>
 * Usage: {@code ./cohort run io.cohort.bench.transport.TransportThroughputMain [seconds]}.
 */
public final class TransportThroughputMain
{
    private static final int PAYLOAD_LENGTH = 64;

    private TransportThroughputMain()
    {
    }

    /**
     * Runs the four measurements and prints one line each and the ratios.
     *
     * @param args optional measurement seconds per case (default 5).
     * @throws Exception if a socket cannot be set up.
     */
    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final CurveKeys keys = CurveKeys.generate();
        final double rawPlain = raw(seconds, null);
        System.out.printf("raw JeroMQ PUB/SUB, 64 B per frame, plain:  %,12.0f msg/s%n", rawPlain);
        final double cohortPlain = cohort(seconds, null);
        System.out.printf("Cohort transport, 64 B payload, plain:     %,12.0f msg/s  (%.2fx raw)%n",
            cohortPlain, cohortPlain / rawPlain);
        final double rawCurve = raw(seconds, keys);
        System.out.printf("raw JeroMQ PUB/SUB, 64 B per frame, CURVE:  %,12.0f msg/s%n", rawCurve);
        final double cohortCurve = cohort(seconds, keys);
        System.out.printf("Cohort transport, 64 B payload, CURVE:     %,12.0f msg/s  (%.2fx raw CURVE, %.0f%% of Cohort plain)%n",
            cohortCurve, cohortCurve / rawCurve, 100.0 * cohortCurve / cohortPlain);
    }

    private static double raw(final int seconds, final CurveKeys keys) throws InterruptedException
    {
        try (ZContext context = new ZContext(1))
        {
            final ZMQ.Socket pub = context.createSocket(SocketType.PUB);
            final ZMQ.Socket sub = context.createSocket(SocketType.SUB);
            if (null != keys)
            {
                pub.setCurveServer(true);
                pub.setCurveSecretKey(keys.secretKey());
                sub.setCurvePublicKey(keys.publicKey());
                sub.setCurveSecretKey(keys.secretKey());
                sub.setCurveServerKey(keys.publicKey());
            }
            final int port = pub.bindToRandomPort("tcp://127.0.0.1");
            sub.subscribe(new byte[0]);
            sub.connect("tcp://127.0.0.1:" + port);
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread publisher = new Thread(() ->
            {
                while (running.get())
                {
                    pub.send(new byte[PAYLOAD_LENGTH], 0);
                }
            }, "raw-publisher");
            publisher.start();
            final double rate = measure(seconds, () ->
            {
                long received = 0;
                while (null != sub.recv(ZMQ.DONTWAIT))
                {
                    received++;
                }
                return received;
            });
            running.set(false);
            publisher.join();
            return rate;
        }
    }

    private static double cohort(final int seconds, final CurveKeys keys) throws Exception
    {
        final File dir = Files.createTempDirectory("cohort-bench").toFile();
        final CountersFile countersA = new CountersFile(dir, 1, 256);
        final CountersFile countersB = new CountersFile(dir, 2, 256);
        final ZmqTransport sender = new ZmqTransport(
            context(1, dir, keys), new TransportCounters(countersA.countersManager()), Throwable::printStackTrace);
        final ZmqTransport receiver = new ZmqTransport(
            context(2, dir, keys), new TransportCounters(countersB.countersManager()), Throwable::printStackTrace);
        try
        {
            receiver.addPeer(1, 101, sender.syncEndpoint(), sender.commandEndpoint());
            final AtomicLong faults = new AtomicLong();
            final long[] received = new long[1];
            final SyncHandler handler = new SyncHandler()
            {
                public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
                    final DirectBuffer buffer, final int offset, final int length)
                {
                    received[0]++;
                }

                public void onStreamFault(final Peer peer, final boolean directed, final int reason,
                    final long expected, final long observed)
                {
                    faults.incrementAndGet();
                }

                public void onBadFrame(final Peer peer, final DecodeResult result)
                {
                    faults.incrementAndGet();
                }
            };

            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread publisher = new Thread(() -> publish(sender, running), "cohort-publisher");
            publisher.start();
            final double rate = measure(seconds, () ->
            {
                received[0] = 0;
                receiver.poll(handler, null);
                return received[0];
            });
            running.set(false);
            publisher.join();
            if (faults.get() > 0)
            {
                System.out.println("  faults seen by the receiver: " + faults.get());
            }
            return rate;
        }
        finally
        {
            CloseHelper.closeAll(sender, receiver, countersA, countersB);
        }
    }

    private static void publish(final ZmqTransport sender, final AtomicBoolean running)
    {
        final NotificationEncoder encoder = new NotificationEncoder();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        final OutboundBatcher outbound = sender.outbound();
        final int bodyLength = NotificationEncoder.computeLength(PAYLOAD_LENGTH);
        long room = 0;
        while (running.get())
        {
            for (int i = 0; i < 256; i++)
            {
                final int at = outbound.claimBroadcast(MessageType.NOTIFICATION, bodyLength);
                if (OutboundBatcher.NO_SPACE == at)
                {
                    break;
                }
                encoder.wrap(outbound.broadcastBuffer(), at).roomId(room++).payload(payload, 0, PAYLOAD_LENGTH);
            }
            sender.poll(null, null);
            sender.flush();
        }
    }

    private static TransportContext context(final long nodeId, final File dir, final CurveKeys keys)
    {
        return new TransportContext().nodeId(nodeId).incarnation(100 + nodeId).bindAddress("127.0.0.1")
            .syncPort(0).commandPort(0).countersDir(dir.getPath()).curveKeys(keys).conclude();
    }

    @FunctionalInterface
    private interface Receiver
    {
        long receive();
    }

    private static double measure(final int seconds, final Receiver receiver)
    {
        final long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < warmupEnd)
        {
            receiver.receive();
        }
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long total = 0;
        long now;
        while ((now = System.nanoTime()) < end)
        {
            total += receiver.receive();
        }
        return total * 1e9 / (now - start);
    }
}
