package io.cohort.bench.transport;

import io.cohort.transport.StreamSequence;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of classifying a received frame's sequence numbers against the expected sequence kept in an
 * {@link org.agrona.concurrent.AtomicBuffer} (as in the counters file): the in-order case that every frame
 * pays, and the duplicate case.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SequenceCheckBenchmark
{
    private final UnsafeBuffer values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private StreamSequence sequence;
    private long next;

    /**
     * A stream expecting sequence 1.
     */
    @Setup
    public void setUp()
    {
        sequence = new StreamSequence(values, 128);
        sequence.expect(1);
        next = 1;
    }

    /**
     * A frame of one message, in order.
     *
     * @return the classification.
     */
    @Benchmark
    public int inOrder()
    {
        return sequence.check(next++, 1);
    }

    /**
     * A frame that was already received.
     *
     * @return the classification.
     */
    @Benchmark
    public int duplicate()
    {
        return sequence.check(0, 1);
    }
}
