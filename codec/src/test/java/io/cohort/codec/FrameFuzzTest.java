package io.cohort.codec;

import io.cohort.codec.Messages.Message;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.cohort.codec.FrameLayout.BROADCAST;
import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static io.cohort.codec.FrameLayout.FRAME_LENGTH_OFFSET;
import static io.cohort.codec.FrameLayout.HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MAGIC;
import static io.cohort.codec.FrameLayout.MAGIC_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_COUNT_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MESSAGE_LENGTH_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_RESERVED_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_TYPE_OFFSET;
import static io.cohort.codec.FrameLayout.MIN_FRAME_LENGTH;
import static io.cohort.codec.FrameLayout.TRAILER_LENGTH;
import static io.cohort.codec.FrameLayout.VERSION_MAJOR;
import static io.cohort.codec.FrameLayout.VERSION_MAJOR_OFFSET;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded, reproducible fuzzing of {@link FrameDecoder} with frames the real encoders wrote from random
 * messages ({@link RandomMessages}), each then mutated one way (or not at all). Properties:
 * <ul>
 *     <li>{@link FrameDecoder#wrap} never throws, whatever the bytes;</li>
 *     <li>an unmutated frame decodes to exactly the header and messages encoded;</li>
 *     <li>a truncated frame, or one with 1 to 8 bits flipped and its CRC left alone, is always rejected;</li>
 *     <li>when a mutated frame whose CRC was rewritten is accepted anyway, walking every message and calling
 *     every getter of its decoder ({@link MessageCodec#read}) never throws and never reads a byte outside
 *     the frame. The frame sits either in the middle of a larger canary-filled {@link WindowedBuffer}
 *     that fails any read outside the frame, or at the very end (or very start) of a view of exactly the
 *     frame's size, whose Agrona bounds checks fail an overrun.</li>
 * </ul>
 * Each frame's {@link Random} is derived from the seed and the frame's index, so that a failure, reported
 * with both, replays alone:
 * {@code mvn -o -q -pl codec test -Dtest=FrameFuzzTest -Dcohort.fuzz.seed=S -Dcohort.fuzz.from=I -Dcohort.fuzz.frames=1}.
 * Longer runs: {@code -Dcohort.fuzz.frames=100000000 -Djunit.jupiter.execution.timeout.mode=disabled}.
 * Encoders, decoders and buffers are reused across frames.
 */
class FrameFuzzTest
{
    static final String FRAMES_PROP_NAME = "cohort.fuzz.frames";
    static final String SEED_PROP_NAME = "cohort.fuzz.seed";
    static final String FROM_PROP_NAME = "cohort.fuzz.from";
    static final long FRAMES_DEFAULT = 2_000_000L;
    static final long SEED_DEFAULT = 0x436F_686F_7274_465AL;

    private static final int BACKING_LENGTH = 64 * 1024;
    private static final int MIN_FRAME_OFFSET = 64;
    private static final int FRAME_OFFSET_RANGE = 16 * 1024;
    private static final int MAX_FRAME_CAPACITY = 8 * 1024;
    private static final int MAX_MESSAGES = 8;
    private static final int MAX_RANDOM_LENGTH = 1024;
    private static final int MAX_FLIPPED_BITS = 8;
    private static final byte CANARY = (byte)0xC5;
    private static final int[] TYPES = MessageType.all();

    enum Mutation
    {
        NONE, TRUNCATE, FLIP_BITS, FLIP_BITS_REWRITE_CRC, OVERWRITE_REWRITE_CRC, RANDOM_BYTES, RANDOM_STRUCTURE
    }

    enum Placement
    {
        /** In the middle of a canary-filled heap buffer that fails any read outside the frame. */
        WINDOWED_HEAP,
        /** The same over direct memory (the other CRC path). */
        WINDOWED_DIRECT,
        /** At the very end of a heap view of exactly offset + length bytes. */
        END_OF_EXACT_HEAP,
        /** At the very end of a direct view of exactly offset + length bytes. */
        END_OF_EXACT_DIRECT,
        /** At offset 0 of a view of exactly the frame. */
        WHOLE_EXACT_VIEW
    }

    private static final Mutation[] MUTATIONS = Mutation.values();
    private static final Placement[] PLACEMENTS = Placement.values();
    private static final DecodeResult[] RESULTS = DecodeResult.values();

    private final WindowedBuffer heap = new WindowedBuffer(new byte[BACKING_LENGTH]);
    private final WindowedBuffer direct = new WindowedBuffer(ByteBuffer.allocateDirect(BACKING_LENGTH));
    private final UnsafeBuffer exact = new UnsafeBuffer(new byte[0]);
    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final FrameDecoder frameDecoder = new FrameDecoder();
    private final MessageCodec codec = new MessageCodec();
    private final Frames frames = new Frames();
    private final Random random = new Random();
    private final byte[] randomBytes = new byte[MAX_RANDOM_LENGTH];
    private final int[] flippedBits = new int[MAX_FLIPPED_BITS];
    private final List<Message> expected = new ArrayList<>();
    private final List<Message> actual = new ArrayList<>();
    private final long[][] outcomes = new long[MUTATIONS.length][RESULTS.length];

    private long clusterId;
    private long senderNodeId;
    private long senderIncarnation;
    private long destinationNodeId;
    private long firstSequence;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldNeverThrowNorReadOutsideTheFrameNorAcceptCorruption()
    {
        assertTrue(UnsafeBuffer.SHOULD_BOUNDS_CHECK, "Agrona bounds checks must be on to catch overruns at the end");
        final long seed = Long.getLong(SEED_PROP_NAME, SEED_DEFAULT);
        final long count = Long.getLong(FRAMES_PROP_NAME, FRAMES_DEFAULT);
        final long from = Long.getLong(FROM_PROP_NAME, 0L);
        heap.setMemory(0, BACKING_LENGTH, CANARY);
        direct.setMemory(0, BACKING_LENGTH, CANARY);

        final long startNs = System.nanoTime();
        for (long index = from; index < from + count; index++)
        {
            fuzz(seed, index);
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        System.out.println(report(seed, from, count, elapsedMs));
        if (count >= 100_000)
        {
            for (final Mutation mutation : new Mutation[]{
                Mutation.FLIP_BITS_REWRITE_CRC, Mutation.OVERWRITE_REWRITE_CRC, Mutation.RANDOM_STRUCTURE })
            {
                assertTrue(outcomes[mutation.ordinal()][DecodeResult.OK.ordinal()] > 0,
                    () -> "no " + mutation + " frame was ever accepted: the fuzzer no longer reaches the walk\n" +
                    report(seed, from, count, elapsedMs));
            }
        }
    }

    private void fuzz(final long seed, final long index)
    {
        final Random random = this.random;
        random.setSeed(mix(seed + index));
        final Placement placement = PLACEMENTS[random.nextInt(PLACEMENTS.length)];
        final WindowedBuffer backing =
            placement == Placement.WINDOWED_DIRECT || placement == Placement.END_OF_EXACT_DIRECT ? direct : heap;
        final int frameOffset = MIN_FRAME_OFFSET + random.nextInt(FRAME_OFFSET_RANGE);
        final int capacity = random.nextInt(8) == 0 ?
            MIN_FRAME_LENGTH + random.nextInt(512) : MAX_FRAME_CAPACITY;
        Mutation mutation = null;
        int received = 0;
        try
        {
            final int length = encode(random, backing, frameOffset, capacity);
            mutation = MUTATIONS[random.nextInt(MUTATIONS.length)];
            received = mutate(random, mutation, backing, frameOffset, length);
            final DecodeResult result = decodeAndWalk(placement, backing, frameOffset, received);
            outcomes[mutation.ordinal()][result.ordinal()]++;

            switch (mutation)
            {
                case NONE:
                    check(result == DecodeResult.OK, "an unmutated frame was rejected: " + result);
                    check(expected.equals(actual), "decoded messages differ:\n  encoded " + expected + "\n  decoded " + actual);
                    check(frameDecoder.clusterId() == clusterId && frameDecoder.senderNodeId() == senderNodeId &&
                        frameDecoder.senderIncarnation() == senderIncarnation &&
                        frameDecoder.destinationNodeId() == destinationNodeId &&
                        frameDecoder.firstSequence() == firstSequence &&
                        frameDecoder.versionMinor() == FrameLayout.VERSION_MINOR &&
                        frameDecoder.flags() == 0 &&
                        frameDecoder.messageCount() == expected.size(),
                        "decoded frame header differs");
                    break;
                case TRUNCATE:
                case FLIP_BITS:
                    check(result != DecodeResult.OK, "a corrupted frame with its original CRC was accepted");
                    break;
                default:
                    break;
            }
        }
        catch (final Throwable t)
        {
            backing.open();
            throw new AssertionError(String.format(
                "fuzz frame %d failed (seed %d, mutation %s, placement %s, offset %d, %d bytes received)%n" +
                "replay: mvn -o -q -pl codec test -Dtest=FrameFuzzTest -D%s=%d -D%s=%d -D%s=1%n" +
                "encoded: %s%nbytes: %s",
                index, seed, mutation, placement, frameOffset, received,
                SEED_PROP_NAME, seed, FROM_PROP_NAME, index, FRAMES_PROP_NAME,
                expected, Frames.hex(backing, frameOffset, Math.max(0, Math.min(received, 2048)))), t);
        }
        finally
        {
            backing.open();
            backing.setMemory(frameOffset, Math.max(capacity, Math.max(received, MAX_RANDOM_LENGTH)), CANARY);
        }
    }

    /**
     * Encodes a frame of 1 to {@link #MAX_MESSAGES} random messages (fewer if the capacity runs out).
     */
    private int encode(final Random random, final WindowedBuffer backing, final int frameOffset, final int capacity)
    {
        senderNodeId = RandomMessages.anyLong(random);
        senderIncarnation = RandomMessages.anyLong(random);
        destinationNodeId = random.nextBoolean() ? BROADCAST : RandomMessages.anyLong(random);
        firstSequence = RandomMessages.anyLong(random);
        clusterId = RandomMessages.anyLong(random);
        frameEncoder.wrap(backing, frameOffset, capacity).begin(
            clusterId, senderNodeId, senderIncarnation, destinationNodeId, firstSequence);

        expected.clear();
        final int messageCount = 1 + random.nextInt(MAX_MESSAGES);
        for (int i = 0; i < messageCount; i++)
        {
            final Message message = RandomMessages.next(random, TYPES[random.nextInt(TYPES.length)]);
            if (!codec.encode(frameEncoder, backing, message, 0))
            {
                break;
            }
            expected.add(message);
        }
        final int length = frameEncoder.finish();

        check(length == frameEncoder.frameLength() && length <= capacity, "frame length " + length);
        check(backing.getByte(frameOffset - 1) == CANARY && backing.getByte(frameOffset + length) == CANARY,
            "the encoder wrote outside its frame");
        return length;
    }

    /**
     * Applies one mutation to the frame in place.
     *
     * @return the number of bytes received.
     */
    private int mutate(
        final Random random, final Mutation mutation, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        switch (mutation)
        {
            case NONE:
                return length;

            case TRUNCATE:
                return random.nextInt(length);

            case FLIP_BITS:
                flipBits(random, buffer, offset, length);
                return length;

            case FLIP_BITS_REWRITE_CRC:
                flipBits(random, buffer, offset, length);
                frames.rewriteCrc(buffer, offset, length);
                return length;

            case OVERWRITE_REWRITE_CRC:
            {
                final int start = position(random, length);
                final int n = Math.min(1 + random.nextInt(12), length - start);
                overwrite(random, buffer, offset + start, n);
                frames.rewriteCrc(buffer, offset, length);
                return length;
            }

            case RANDOM_BYTES:
            {
                final int n = random.nextInt(MAX_RANDOM_LENGTH);
                random.nextBytes(randomBytes);
                buffer.putBytes(offset, randomBytes, 0, n);
                if (n >= MIN_FRAME_LENGTH && random.nextBoolean())
                {
                    // A valid magic and version, so that the length and checksum checks see random input too.
                    buffer.putInt(offset + MAGIC_OFFSET, MAGIC, BYTE_ORDER);
                    buffer.putByte(offset + VERSION_MAJOR_OFFSET, (byte)VERSION_MAJOR);
                    if (random.nextBoolean())
                    {
                        buffer.putInt(offset + FRAME_LENGTH_OFFSET, n, BYTE_ORDER);
                        frames.rewriteCrc(buffer, offset, n);
                    }
                }
                return n;
            }

            case RANDOM_STRUCTURE:
                return randomStructure(random, buffer, offset);

            default:
                throw new IllegalStateException("mutation=" + mutation);
        }
    }

    /** A position in the frame, half the time among its messages rather than its header. */
    private static int position(final Random random, final int length)
    {
        final int bodyBytes = length - MIN_FRAME_LENGTH;
        return bodyBytes > 0 && random.nextBoolean() ? HEADER_LENGTH + random.nextInt(bodyBytes) : random.nextInt(length);
    }

    private void flipBits(final Random random, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int n = 1 + random.nextInt(MAX_FLIPPED_BITS);
        for (int i = 0; i < n; i++)
        {
            int bit;
            boolean repeated;
            do
            {
                bit = position(random, length) * 8 + random.nextInt(8);
                repeated = false;
                for (int j = 0; j < i; j++)
                {
                    repeated |= flippedBits[j] == bit;
                }
            }
            while (repeated);
            flippedBits[i] = bit;
            final int at = offset + (bit >>> 3);
            buffer.putByte(at, (byte)(buffer.getByte(at) ^ (1 << (bit & 7))));
        }
    }

    /** Overwrites with random bytes, or an edge value (0, -1, extremes, small counts) in the first bytes. */
    private void overwrite(final Random random, final MutableDirectBuffer buffer, final int at, final int n)
    {
        random.nextBytes(randomBytes);
        buffer.putBytes(at, randomBytes, 0, n);
        if (n >= 4 && random.nextBoolean())
        {
            final int value;
            switch (random.nextInt(6))
            {
                case 0: value = 0; break;
                case 1: value = -1; break;
                case 2: value = Integer.MAX_VALUE; break;
                case 3: value = Integer.MIN_VALUE; break;
                default: value = random.nextInt(64); break;
            }
            buffer.putInt(at, value, BYTE_ORDER);
        }
    }

    /**
     * A frame with a valid header, length and CRC whose messages have valid headers (lengths that tile the
     * frame, known types) but bodies of mostly small random words, so that the body validators and, when
     * they accept, the decoders see arbitrary but plausible bodies.
     */
    private int randomStructure(final Random random, final MutableDirectBuffer buffer, final int offset)
    {
        final int messageCount = random.nextInt(MAX_MESSAGES);
        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < messageCount; i++)
        {
            final int bodyLength = random.nextInt(4) == 0 ? random.nextInt(16) : random.nextInt(160);
            buffer.putInt(position + MESSAGE_LENGTH_OFFSET, MESSAGE_HEADER_LENGTH + bodyLength, BYTE_ORDER);
            buffer.putShort(position + MESSAGE_TYPE_OFFSET, (short)TYPES[random.nextInt(TYPES.length)], BYTE_ORDER);
            buffer.putShort(position + MESSAGE_RESERVED_OFFSET, (short)0, BYTE_ORDER);
            position += MESSAGE_HEADER_LENGTH;
            for (int j = 0; j < bodyLength; j += 4)
            {
                final int word = random.nextBoolean() ? random.nextInt(8) : random.nextInt();
                for (int k = 0; k < 4 && j + k < bodyLength; k++)
                {
                    buffer.putByte(position + j + k, (byte)(word >>> (8 * k)));
                }
            }
            position += bodyLength;
        }
        final int length = position + TRAILER_LENGTH - offset;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        buffer.putInt(offset + VERSION_MAJOR_OFFSET, VERSION_MAJOR, BYTE_ORDER);
        buffer.putInt(offset + FRAME_LENGTH_OFFSET, length, BYTE_ORDER);
        buffer.putInt(offset + MESSAGE_COUNT_OFFSET, messageCount, BYTE_ORDER);
        frames.rewriteCrc(buffer, offset, length);
        return length;
    }

    /**
     * Decodes the received bytes from the placement's buffer and, if accepted, walks every message calling
     * every getter.
     */
    private DecodeResult decodeAndWalk(
        final Placement placement, final WindowedBuffer backing, final int frameOffset, final int received)
    {
        final DirectBuffer buffer;
        final int offset;
        switch (placement)
        {
            case WINDOWED_HEAP:
            case WINDOWED_DIRECT:
                backing.window(frameOffset, Math.max(received, 0));
                buffer = backing;
                offset = frameOffset;
                break;
            case END_OF_EXACT_HEAP:
            case END_OF_EXACT_DIRECT:
                exact.wrap(backing, 0, frameOffset + received);
                buffer = exact;
                offset = frameOffset;
                break;
            default:
                exact.wrap(backing, frameOffset, received);
                buffer = exact;
                offset = 0;
                break;
        }

        actual.clear();
        final DecodeResult result = frameDecoder.wrap(buffer, offset, received);
        if (DecodeResult.OK == result)
        {
            codec.readAll(frameDecoder, offset, actual);
            check(frameDecoder.frameLength() == received, "accepted frame length " + frameDecoder.frameLength());
        }
        else
        {
            check(!frameDecoder.nextMessage() && frameDecoder.messageCount() == 0,
                "a rejected frame still offers messages");
        }
        backing.open();
        return result;
    }

    private String report(final long seed, final long from, final long count, final long elapsedMs)
    {
        final StringBuilder builder = new StringBuilder(String.format(
            "FrameFuzzTest: %,d frames from index %d with seed %d in %,d ms (%,.0f frames/s)%n",
            count, from, seed, elapsedMs, count * 1000.0 / Math.max(1, elapsedMs)));
        for (final Mutation mutation : MUTATIONS)
        {
            builder.append(String.format("  %-22s", mutation));
            for (final DecodeResult result : RESULTS)
            {
                final long n = outcomes[mutation.ordinal()][result.ordinal()];
                if (n > 0)
                {
                    builder.append(' ').append(result).append('=').append(n);
                }
            }
            builder.append(System.lineSeparator());
        }
        return builder.toString();
    }

    private static void check(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new AssertionError(message);
        }
    }

    /** SplitMix64's finalizer: turns consecutive seed + index values into unrelated Random seeds. */
    static long mix(final long value)
    {
        long z = value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
