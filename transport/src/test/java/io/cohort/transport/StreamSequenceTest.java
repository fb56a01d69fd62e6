package io.cohort.transport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.cohort.transport.SequenceCheck.DUPLICATE;
import static io.cohort.transport.SequenceCheck.GAP;
import static io.cohort.transport.SequenceCheck.IN_ORDER;
import static io.cohort.transport.SequenceCheck.REORDER;
import static io.cohort.transport.StreamSequence.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StreamSequenceTest
{
    private static final int SLOT_OFFSET = 64;

    private final UnsafeBuffer values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private StreamSequence sequence;

    @BeforeEach
    void setUp()
    {
        values.setMemory(0, values.capacity(), (byte)0x5A);
        sequence = new StreamSequence(values, SLOT_OFFSET);
    }

    /**
     * Each row: frames received before (pairs of first sequence, count), then the frame checked, what it is
     * classified as, the expected sequence afterwards, and the last gap afterwards.
     */
    static Stream<Arguments> classifications()
    {
        return Stream.of(
            arguments("first frame accepted at any sequence from UNKNOWN",
                new long[]{}, 57, 3, IN_ORDER, 60, UNKNOWN, UNKNOWN),
            arguments("frame starting at the expected sequence",
                new long[]{ 1, 5 }, 6, 2, IN_ORDER, 8, UNKNOWN, UNKNOWN),
            arguments("single message in order",
                new long[]{ 1, 1 }, 2, 1, IN_ORDER, 3, UNKNOWN, UNKNOWN),
            arguments("frame past the expected sequence: gap with its range",
                new long[]{ 1, 5 }, 9, 1, GAP, 10, 6, 8),
            arguments("gap of one message",
                new long[]{ 1, 5 }, 7, 4, GAP, 11, 6, 6),
            arguments("the same frame again is a duplicate",
                new long[]{ 1, 5, 6, 5 }, 6, 5, DUPLICATE, 11, UNKNOWN, UNKNOWN),
            arguments("an old single message is a duplicate",
                new long[]{ 1, 10 }, 3, 1, DUPLICATE, 11, UNKNOWN, UNKNOWN),
            arguments("overlap straddling the expected sequence is a duplicate, expected unchanged",
                new long[]{ 1, 10 }, 8, 5, DUPLICATE, 11, UNKNOWN, UNKNOWN),
            arguments("frame filling the reported gap exactly is a reorder",
                new long[]{ 1, 5, 9, 2 }, 6, 3, REORDER, 11, 6, 8),
            arguments("frame inside the reported gap is a reorder",
                new long[]{ 1, 5, 9, 2 }, 7, 1, REORDER, 11, 6, 8),
            arguments("frame running past the gap into received messages is a duplicate",
                new long[]{ 1, 5, 9, 2 }, 7, 3, DUPLICATE, 11, 6, 8),
            arguments("frame before the gap is a duplicate",
                new long[]{ 1, 5, 9, 2 }, 2, 1, DUPLICATE, 11, 6, 8),
            arguments("in order after a gap keeps the gap's range",
                new long[]{ 1, 5, 9, 2 }, 11, 1, IN_ORDER, 12, 6, 8),
            arguments("only the last gap is remembered: an older gap's frame is a duplicate",
                new long[]{ 1, 5, 9, 2, 20, 1 }, 6, 1, DUPLICATE, 21, 11, 19),
            arguments("second gap is reported with its own range",
                new long[]{ 1, 5, 9, 2 }, 20, 1, GAP, 21, 11, 19),
            arguments("a frame behind an UNKNOWN-started stream is a duplicate",
                new long[]{ 100, 1 }, 99, 1, DUPLICATE, 101, UNKNOWN, UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifications")
    void shouldClassifyFrame(
        final String name,
        final long[] before,
        final long firstSequence,
        final int count,
        final int expectedCheck,
        final long expectedNext,
        final long expectedGapFrom,
        final long expectedGapTo)
    {
        for (int i = 0; i < before.length; i += 2)
        {
            sequence.check(before[i], (int)before[i + 1]);
        }

        final int check = sequence.check(firstSequence, count);

        assertEquals(SequenceCheck.name(expectedCheck), SequenceCheck.name(check), name);
        assertEquals(expectedNext, sequence.expected(), "expected sequence after");
        assertEquals(expectedGapFrom, sequence.gapFrom(), "gapFrom");
        assertEquals(expectedGapTo, sequence.gapTo(), "gapTo");
    }

    @Test
    void shouldStartUnknownWhateverTheSlotHeld()
    {
        assertEquals(UNKNOWN, sequence.expected());
        assertEquals(UNKNOWN, values.getLongVolatile(SLOT_OFFSET));
        assertEquals(UNKNOWN, sequence.gapFrom());
        assertEquals(UNKNOWN, sequence.gapTo());
    }

    @Test
    void shouldKeepExpectedSequenceInTheBufferSlotForOutsideReaders()
    {
        sequence.check(1, 4);
        assertEquals(5, values.getLongVolatile(SLOT_OFFSET));

        sequence.check(10, 2);
        assertEquals(12, values.getLongVolatile(SLOT_OFFSET));

        assertEquals(0x5A5A5A5A5A5A5A5AL, values.getLong(SLOT_OFFSET - Long.BYTES), "slot before untouched");
        assertEquals(0x5A5A5A5A5A5A5A5AL, values.getLong(SLOT_OFFSET + Long.BYTES), "slot after untouched");
    }

    @Test
    void shouldSetBaselineWithExpectAndForgetGaps()
    {
        sequence.check(1, 5);
        sequence.check(9, 1);
        assertEquals(6, sequence.gapFrom());

        sequence.expect(101);

        assertEquals(101, sequence.expected());
        assertEquals(101, values.getLongVolatile(SLOT_OFFSET));
        assertEquals(UNKNOWN, sequence.gapFrom());
        assertEquals(UNKNOWN, sequence.gapTo());
        assertEquals("DUPLICATE", SequenceCheck.name(sequence.check(50, 1)), "before the baseline: old");
        assertEquals("GAP", SequenceCheck.name(sequence.check(103, 1)), "past the baseline: gap");
        assertEquals(101, sequence.gapFrom());
        assertEquals(102, sequence.gapTo());
    }

    @Test
    void shouldNotAcceptAnySequenceOnceBaselineIsSet()
    {
        sequence.expect(1);

        assertEquals("GAP", SequenceCheck.name(sequence.check(5, 1)));
        assertEquals(1, sequence.gapFrom());
        assertEquals(4, sequence.gapTo());
    }

    @Test
    void shouldAcceptAnyFirstFrameAgainAfterExpectUnknown()
    {
        sequence.check(1, 5);

        sequence.expect(UNKNOWN);

        assertEquals("IN_ORDER", SequenceCheck.name(sequence.check(1_000, 1)));
        assertEquals(1_001, sequence.expected());
    }

    @Test
    void shouldClassifyLongRunOfSingleMessagesInOrder()
    {
        for (long s = 1; s <= 10_000; s++)
        {
            assertEquals(IN_ORDER, sequence.check(s, 1));
        }
        assertEquals(10_001, sequence.expected());
        assertEquals(UNKNOWN, sequence.gapFrom());
    }

    @Test
    void shouldNameEveryResult()
    {
        assertEquals("IN_ORDER", SequenceCheck.name(IN_ORDER));
        assertEquals("DUPLICATE", SequenceCheck.name(DUPLICATE));
        assertEquals("GAP", SequenceCheck.name(GAP));
        assertEquals("REORDER", SequenceCheck.name(REORDER));
        assertTrue(SequenceCheck.name(42).contains("42"));
    }
}
