package io.cohort.bench.codec;

import io.cohort.codec.DecodeResult;
import io.cohort.codec.FrameDecoder;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.HeartbeatEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationDecoder;
import io.cohort.codec.NotificationEncoder;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.codec.RoomCountEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost per message of the common messages on the wire: a room count, a heartbeat (5 members with their echoes and
 * reachability rows, 4 directed streams) and a notification with a 64-byte payload. "Single" benchmarks build or validate a whole frame
 * holding one message (header, CRC32C and all); "batch" benchmarks put {@value #BATCH} messages in one frame,
 * which is how the transport sends them, and report the cost per message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark
{
    static final int BATCH = 64;
    private static final int MEMBERS = 5;
    private static final int DIRECTED = 4;
    private static final int PAYLOAD_LENGTH = 64;
    private static final long CLUSTER_ID = 0x0C0C_0C0C_0C0C_0C0CL;
    private static final long NODE_ID = 0x1234_5678_9ABC_DEF0L;
    private static final long INCARNATION = 1_700_000_000_000L;

    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAYLOAD_LENGTH, 64));
    private final UnsafeBuffer roomCountFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024, 64));
    private final UnsafeBuffer heartbeatFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024, 64));
    private final UnsafeBuffer notificationFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024, 64));
    private final UnsafeBuffer roomCountBatch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final UnsafeBuffer heartbeatBatch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private final UnsafeBuffer notificationBatch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private int roomCountFrameLength;
    private int heartbeatFrameLength;
    private int notificationFrameLength;
    private int roomCountBatchLength;
    private int heartbeatBatchLength;
    private int notificationBatchLength;

    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final FrameDecoder frameDecoder = new FrameDecoder();
    private final RoomCountEncoder roomCountEncoder = new RoomCountEncoder();
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final NotificationEncoder notificationEncoder = new NotificationEncoder();
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();

    private long sequence;
    private long roomId = 42;

    /**
     * Pre-encodes the frames that the decode benchmarks read.
     */
    @Setup
    public void setUp()
    {
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload.putByte(i, (byte)i);
        }
        roomCountFrameLength = encodeRoomCounts(roomCountFrame, 1);
        heartbeatFrameLength = encodeHeartbeats(heartbeatFrame, 1);
        notificationFrameLength = encodeNotifications(notificationFrame, 1);
        roomCountBatchLength = encodeRoomCounts(roomCountBatch, BATCH);
        heartbeatBatchLength = encodeHeartbeats(heartbeatBatch, BATCH);
        notificationBatchLength = encodeNotifications(notificationBatch, BATCH);
        requireOk(roomCountFrame, roomCountFrameLength);
        requireOk(heartbeatFrame, heartbeatFrameLength);
        requireOk(notificationFrame, notificationFrameLength);
        requireOk(roomCountBatch, roomCountBatchLength);
        requireOk(heartbeatBatch, heartbeatBatchLength);
        requireOk(notificationBatch, notificationBatchLength);
    }

    private void requireOk(final UnsafeBuffer buffer, final int length)
    {
        final DecodeResult result = frameDecoder.wrap(buffer, 0, length);
        if (DecodeResult.OK != result)
        {
            throw new IllegalStateException("benchmark frame rejected: " + result);
        }
    }

    /**
     * A frame holding one room count.
     *
     * @return the frame length.
     */
    @Benchmark
    public int encodeRoomCount()
    {
        return encodeRoomCounts(frameBuffer, 1);
    }

    /**
     * A frame holding {@value #BATCH} room counts.
     *
     * @return the frame length.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchEncodeRoomCount()
    {
        return encodeRoomCounts(frameBuffer, BATCH);
    }

    /**
     * Validates a frame holding one room count and reads it.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    public long decodeRoomCount()
    {
        return decodeRoomCounts(roomCountFrame, roomCountFrameLength);
    }

    /**
     * Validates a frame holding {@value #BATCH} room counts and reads them.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchDecodeRoomCount()
    {
        return decodeRoomCounts(roomCountBatch, roomCountBatchLength);
    }

    /**
     * A frame holding one heartbeat.
     *
     * @return the frame length.
     */
    @Benchmark
    public int encodeHeartbeat()
    {
        return encodeHeartbeats(frameBuffer, 1);
    }

    /**
     * A frame holding {@value #BATCH} heartbeats.
     *
     * @return the frame length.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchEncodeHeartbeat()
    {
        return encodeHeartbeats(frameBuffer, BATCH);
    }

    /**
     * Validates a frame holding one heartbeat and reads it.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    public long decodeHeartbeat()
    {
        return decodeHeartbeats(heartbeatFrame, heartbeatFrameLength);
    }

    /**
     * Validates a frame holding {@value #BATCH} heartbeats and reads them.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchDecodeHeartbeat()
    {
        return decodeHeartbeats(heartbeatBatch, heartbeatBatchLength);
    }

    /**
     * A frame holding one notification with a 64-byte payload.
     *
     * @return the frame length.
     */
    @Benchmark
    public int encodeNotification()
    {
        return encodeNotifications(frameBuffer, 1);
    }

    /**
     * A frame holding {@value #BATCH} notifications with 64-byte payloads.
     *
     * @return the frame length.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchEncodeNotification()
    {
        return encodeNotifications(frameBuffer, BATCH);
    }

    /**
     * Validates a frame holding one notification and reads it in place.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    public long decodeNotification()
    {
        return decodeNotifications(notificationFrame, notificationFrameLength);
    }

    /**
     * Validates a frame holding {@value #BATCH} notifications and reads them in place.
     *
     * @return a value depending on every field.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchDecodeNotification()
    {
        return decodeNotifications(notificationBatch, notificationBatchLength);
    }

    private int encodeRoomCounts(final UnsafeBuffer buffer, final int count)
    {
        final FrameEncoder frame = frameEncoder.wrap(buffer, 0, buffer.capacity());
        frame.begin(CLUSTER_ID, NODE_ID, INCARNATION, FrameLayout.BROADCAST, sequence);
        for (int i = 0; i < count; i++)
        {
            final int at = frame.claim(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
            roomCountEncoder.wrap(buffer, at).roomId(roomId++).count(i);
        }
        sequence += count;
        return frame.finish();
    }

    private int encodeHeartbeats(final UnsafeBuffer buffer, final int count)
    {
        final FrameEncoder frame = frameEncoder.wrap(buffer, 0, buffer.capacity());
        frame.begin(CLUSTER_ID, NODE_ID, INCARNATION, FrameLayout.BROADCAST, sequence);
        final int bodyLength = HeartbeatEncoder.computeLength(MEMBERS, DIRECTED);
        for (int i = 0; i < count; i++)
        {
            final int at = frame.claim(MessageType.HEARTBEAT, bodyLength);
            final HeartbeatEncoder heartbeat = heartbeatEncoder.wrap(buffer, at)
                .sendTimeNs(sequence)
                .lastBroadcastSequence(sequence)
                .stateDigest(roomId)
                .view(CLUSTER_ID, 7L)
                .heartbeatSeq(sequence)
                .memberCount(MEMBERS);
            for (int m = 0; m < MEMBERS; m++)
            {
                heartbeat.member(m, NODE_ID + m, sequence - m, sequence - 2 * m, 1L << m);
            }
            for (int d = 0; d < DIRECTED; d++)
            {
                heartbeat.addDirected(NODE_ID + d, sequence + d);
            }
        }
        sequence += count;
        return frame.finish();
    }

    private int encodeNotifications(final UnsafeBuffer buffer, final int count)
    {
        final FrameEncoder frame = frameEncoder.wrap(buffer, 0, buffer.capacity());
        frame.begin(CLUSTER_ID, NODE_ID, INCARNATION, NODE_ID + 1, sequence);
        final int bodyLength = NotificationEncoder.computeLength(PAYLOAD_LENGTH);
        for (int i = 0; i < count; i++)
        {
            final int at = frame.claim(MessageType.NOTIFICATION, bodyLength);
            notificationEncoder.wrap(buffer, at).roomId(roomId++).payload(payload, 0, PAYLOAD_LENGTH);
        }
        sequence += count;
        return frame.finish();
    }

    private long decodeRoomCounts(final UnsafeBuffer buffer, final int length)
    {
        final FrameDecoder frame = frameDecoder;
        long sum = frame.wrap(buffer, 0, length).ordinal();
        while (frame.nextMessage())
        {
            roomCountDecoder.wrap(buffer, frame.bodyOffset(), frame.bodyLength());
            sum += frame.messageSequence() + roomCountDecoder.roomId() + roomCountDecoder.count();
        }
        return sum;
    }

    private long decodeHeartbeats(final UnsafeBuffer buffer, final int length)
    {
        final FrameDecoder frame = frameDecoder;
        long sum = frame.wrap(buffer, 0, length).ordinal();
        while (frame.nextMessage())
        {
            final HeartbeatDecoder heartbeat = heartbeatDecoder.wrap(buffer, frame.bodyOffset(), frame.bodyLength());
            sum += heartbeat.lastBroadcastSequence() + heartbeat.stateDigest() + heartbeat.sendTimeNs() +
                heartbeat.lineage() + heartbeat.epoch() + heartbeat.heartbeatSeq();
            for (int m = 0, n = heartbeat.memberCount(); m < n; m++)
            {
                sum += heartbeat.member(m) + heartbeat.memberEchoedHeartbeatSeq(m) + heartbeat.memberRowVersion(m) +
                    heartbeat.memberUnreachableBits(m);
            }
            sum += heartbeat.lastDirectedSequence(NODE_ID + 2);
        }
        return sum;
    }

    private long decodeNotifications(final UnsafeBuffer buffer, final int length)
    {
        final FrameDecoder frame = frameDecoder;
        long sum = frame.wrap(buffer, 0, length).ordinal();
        while (frame.nextMessage())
        {
            notificationDecoder.wrap(buffer, frame.bodyOffset(), frame.bodyLength());
            sum += notificationDecoder.roomId() + notificationDecoder.payloadLength() +
                buffer.getByte(notificationDecoder.payloadOffset());
        }
        return sum;
    }
}
