package io.cohort.bench.transport;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationEncoder;
import io.cohort.transport.CountersFile;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportCounters;
import io.cohort.transport.ZmqTransport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * What one sync frame costs to send and to receive through {@link ZmqTransport} over loopback TCP, for the
 * allocation figures ({@code -prof gc}, B/op) more than the times:
 * <ul>
 * <li>{@link #send}: one frame (one notification of {@code payloadBytes}) claimed, flushed and handed to an XPUB
 * nobody subscribes to, so the figure is the sending node thread's own cost (JeroMQ drops a message with no
 * matching subscriber after the send call, so no I/O thread works for it);</li>
 * <li>{@link #pollIdle}: one poll of a transport with one peer and nothing arriving: what a duty cycle pays to
 * look at its sockets;</li>
 * <li>{@link #sendAndReceive}: the same frame sent to a subscribed peer, and one poll of the peer's transport, with
 * up to {@link #IN_FLIGHT} frames on the way (so that, in the steady state, one poll receives one frame, rather than
 * spinning empty polls while a frame crosses): both node threads and both JeroMQ I/O threads; minus {@link #send}
 * and {@link #pollIdle}, the receiving side's cost per frame;</li>
 * <li>{@link #retryRefused}: one retry of a frame the XPUB refuses (its only subscriber reads nothing and every
 * queue on the way is full), what a back-pressured node pays at every duty cycle until the subscriber drains.</li>
 * </ul>
 * Usage: {@code ./cohort jmh ZmqTransportBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ZmqTransportBenchmark
{
    /** Frames sent and not yet seen by the receiver that {@link #sendAndReceive} allows before it waits. */
    static final int IN_FLIGHT = 64;

    /** The notification payload: a small frame and a large one. */
    @Param({ "64", "16384" })
    public int payloadBytes;

    private File dir;
    private CountersFile countersSender;
    private CountersFile countersReceiver;
    private CountersFile countersLone;
    private CountersFile countersStalled;
    private CountersFile countersStaller;
    private ZmqTransport sender;
    private ZmqTransport receiver;
    private ZmqTransport lone;
    private ZmqTransport stalled;
    private ZmqTransport staller;
    private final NotificationEncoder encoder = new NotificationEncoder();
    private UnsafeBuffer payload;
    private final CountingHandler handler = new CountingHandler();
    /** For the senders' polls: they receive nothing but their subscribers' subscriptions. */
    private final CountingHandler ignoring = new CountingHandler();
    private long room;
    private long sent;

    private static final class CountingHandler implements SyncHandler
    {
        long received;
        long faults;

        public void onMessage(final Peer peer, final boolean directed, final long sequence, final int type,
            final DirectBuffer buffer, final int offset, final int length)
        {
            received++;
        }

        public void onStreamFault(final Peer peer, final boolean directed, final int reason,
            final long expected, final long observed)
        {
            faults++;
        }

        public void onBadFrame(final Peer peer, final DecodeResult result)
        {
            faults++;
        }
    }

    /**
     * Three transports on loopback: a sender with one subscribed peer, and a lone sender with none.
     *
     * @throws Exception if the sockets cannot be set up, or the peer's subscription does not go live.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("cohort-transport-bench").toFile();
        countersSender = new CountersFile(dir, 1, 256);
        countersReceiver = new CountersFile(dir, 2, 256);
        countersLone = new CountersFile(dir, 3, 256);
        countersStalled = new CountersFile(dir, 4, 256);
        countersStaller = new CountersFile(dir, 5, 256);
        sender = new ZmqTransport(context(1).conclude(), new TransportCounters(countersSender.countersManager()),
            Throwable::printStackTrace);
        receiver = new ZmqTransport(context(2).conclude(), new TransportCounters(countersReceiver.countersManager()),
            Throwable::printStackTrace);
        lone = new ZmqTransport(context(3).conclude(), new TransportCounters(countersLone.countersManager()),
            Throwable::printStackTrace);
        stalled = new ZmqTransport(context(4).sendHighWaterMark(1).conclude(),
            new TransportCounters(countersStalled.countersManager()), Throwable::printStackTrace);
        staller = new ZmqTransport(context(5).receiveHighWaterMark(1).conclude(),
            new TransportCounters(countersStaller.countersManager()), Throwable::printStackTrace);
        payload = new UnsafeBuffer(new byte[payloadBytes]);
        staller.addPeer(4, 104, stalled.syncEndpoint(), stalled.commandEndpoint());
        receiver.addPeer(1, 101, sender.syncEndpoint(), sender.commandEndpoint());

        // Frames sent before the subscription reaches the XPUB are dropped by it: send until one arrives.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (0 == handler.received)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the receiver's subscription never went live");
            }
            sendOne(sender);
            Thread.sleep(1);
            receiver.poll(handler, null);
        }
        stall(deadlineNs);
        // Drain what is still on the way, so each measured operation waits for its own frame only.
        Thread.sleep(100);
        while (receiver.poll(handler, null) > 0)
        {
            Thread.yield();
        }
    }

    /**
     * Closes the transports and fails the run if the receiver saw a gap or a bad frame.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(sender, receiver, lone, stalled, staller,
            countersSender, countersReceiver, countersLone, countersStalled, countersStaller);
        if (handler.faults > 0)
        {
            throw new IllegalStateException("the receiver saw " + handler.faults + " stream faults or bad frames");
        }
    }

    /**
     * One frame handed to an XPUB without subscribers: the sending node thread's cost.
     *
     * @return the frames flushed (1), so the work is not dead code.
     */
    @Benchmark
    public int send()
    {
        return sendOne(lone);
    }

    /**
     * One frame sent and seen by the subscribed peer's handler.
     *
     * @return the messages the receiver has seen.
     */
    @Benchmark
    public long sendAndReceive()
    {
        sendOne(sender);
        sent++;
        receiver.poll(handler, null);
        while (sent - handler.received > IN_FLIGHT)
        {
            receiver.poll(handler, null);
        }
        return handler.received;
    }

    /**
     * One poll of the receiving transport (one peer) with nothing arriving.
     *
     * @return the work done (0).
     */
    @Benchmark
    public int pollIdle()
    {
        // The receiver's peer sends nothing in this benchmark: the poll reads nothing, as an idle node's does.
        return receiver.poll(handler, null);
    }

    /**
     * One retry of the refused frame of a back-pressured stream.
     *
     * @return the frames flushed (0: still refused).
     */
    @Benchmark
    public int retryRefused()
    {
        return stalled.flush();
    }

    /**
     * Sends from the stalled transport to its subscriber, which never reads, until the XPUB refuses: the frame
     * then stays pending in the batcher, and every flush retries it.
     */
    private void stall(final long deadlineNs) throws InterruptedException
    {
        final OutboundBatcher outbound = stalled.outbound();
        // Until the subscription reaches the XPUB, frames are dropped there, not refused. A refusal can be brief
        // (JeroMQ's I/O thread still moving frames into the kernel's buffers): stalled means refused for 300 ms.
        Thread.sleep(200);
        long refusedSinceNs = 0;
        while (0 == refusedSinceNs || System.nanoTime() - refusedSinceNs < TimeUnit.MILLISECONDS.toNanos(300))
        {
            if (!outbound.isBroadcastBackPressured())
            {
                refusedSinceNs = 0;
            }
            else if (0 == refusedSinceNs)
            {
                refusedSinceNs = System.nanoTime();
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the stalled subscriber never refused a frame");
            }
            final int at = outbound.claimBroadcast(MessageType.NOTIFICATION, NotificationEncoder.computeLength(payloadBytes));
            if (OutboundBatcher.NO_SPACE != at)
            {
                encoder.wrap(outbound.broadcastBuffer(), at).roomId(room++).payload(payload, 0, payloadBytes);
            }
            stalled.poll(ignoring, null);
            stalled.flush();
        }
        if (0 != stalled.flush())
        {
            throw new IllegalStateException("the stalled stream is not back-pressured");
        }
    }

    private int sendOne(final ZmqTransport transport)
    {
        final OutboundBatcher outbound = transport.outbound();
        final int at = outbound.claimBroadcast(MessageType.NOTIFICATION, NotificationEncoder.computeLength(payloadBytes));
        if (OutboundBatcher.NO_SPACE == at)
        {
            throw new IllegalStateException("the broadcast stream is back-pressured");
        }
        encoder.wrap(outbound.broadcastBuffer(), at).roomId(room++).payload(payload, 0, payloadBytes);
        transport.poll(ignoring, null);
        return transport.flush();
    }

    private TransportContext context(final long nodeId)
    {
        return new TransportContext().nodeId(nodeId).incarnation(100 + nodeId).bindAddress("127.0.0.1")
            .syncPort(0).commandPort(0).countersDir(dir.getPath());
    }
}
