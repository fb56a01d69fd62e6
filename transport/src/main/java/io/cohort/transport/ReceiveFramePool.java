package io.cohort.transport;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import zmq.Msg;
import zmq.msg.MsgAllocator;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recycles the arrays that received frames are read into. JeroMQ's I/O thread asks its socket's
 * {@link MsgAllocator} for a message of each incoming frame's size and fills it; by default that is a new
 * {@code byte[]} per frame. Given this pool (on the SUB sockets, the DEALERs and the ROUTER: sync frames, responses
 * such as a joiner's 16 KiB snapshot chunks, and request bodies), it takes an array of the smallest size class that
 * holds the frame from the class's free list, and the node thread gives the array back with {@link #release} once
 * the frame is dispatched. A ROUTER's routing id frame is read as an array of its own: handlers keep it to answer
 * later.
 * <p>
 * Why this is safe: JeroMQ hands a received message to exactly one reader and never touches it after that reader
 * has it (the decoder writes a message only while it is in progress, before it is queued to the socket's pipe), and
 * nothing the frame's handlers do keeps the array (they decode what they need before returning; the buffer they were
 * given is re-wrapped for the next frame). An array that is never given back (a frame consumed inside JeroMQ, such as
 * a ZMTP command, or a ciphertext that CURVE decrypts into a message of its own) is simply collected. A free list that
 * is empty makes a new array; one that is full drops the array it is given. Only the message object and its buffer
 * views are still allocated per frame: JeroMQ 0.6's {@link Msg} has a final size and buffer.
 * <p>
 * Thread safety: {@link #allocate} runs on the I/O thread, {@link #release} on the node thread.
 */
final class ReceiveFramePool implements MsgAllocator
{
    /** The smallest size class: frames shorter than this share its arrays. */
    static final int SMALLEST_CLASS_LENGTH = 256;
    /** Free arrays kept per size class. */
    static final int FREE_ARRAYS_PER_CLASS = 32;

    private final int largestLength;
    private final int[] classLengths;
    private final ManyToManyConcurrentArrayQueue<byte[]>[] freeArrays;
    /** Arrays made because a free list was empty: few once the pool is warm. */
    private final AtomicLong arraysMade = new AtomicLong();

    /**
     * A message whose array comes from this pool: the array is larger than the message whenever the frame is
     * shorter than its size class, so the array is carried here rather than asked of {@link Msg#data()} (which
     * would copy it).
     */
    static final class PooledMsg extends Msg
    {
        final byte[] array;
        final int sizeClass;

        PooledMsg(final byte[] array, final int size, final int sizeClass)
        {
            super(ByteBuffer.wrap(array, 0, size));
            this.array = array;
            this.sizeClass = sizeClass;
        }
    }

    /**
     * @param largestLength the longest message the pool serves (the longest sync frame with its topic); longer
     *                      ones (malformed or foreign) get an array of their own, as without the pool.
     */
    @SuppressWarnings("unchecked")
    ReceiveFramePool(final int largestLength)
    {
        if (largestLength < SMALLEST_CLASS_LENGTH)
        {
            throw new IllegalArgumentException(
                "largestLength=" + largestLength + " must be at least " + SMALLEST_CLASS_LENGTH);
        }
        this.largestLength = largestLength;
        int classes = 1;
        for (int length = SMALLEST_CLASS_LENGTH; length < largestLength; length <<= 1)
        {
            classes++;
        }
        classLengths = new int[classes];
        freeArrays = new ManyToManyConcurrentArrayQueue[classes];
        for (int c = 0; c < classes; c++)
        {
            // Powers of two from the smallest class; the last class is exactly the largest length.
            classLengths[c] = c == classes - 1 ? largestLength : SMALLEST_CLASS_LENGTH << c;
            freeArrays[c] = new ManyToManyConcurrentArrayQueue<>(FREE_ARRAYS_PER_CLASS);
        }
    }

    /**
     * {@inheritDoc}
     */
    public Msg allocate(final int size)
    {
        if (size > largestLength)
        {
            return new Msg(size);
        }
        final int sizeClass = sizeClass(size);
        byte[] array = freeArrays[sizeClass].poll();
        if (null == array)
        {
            array = new byte[classLengths[sizeClass]];
            arraysMade.incrementAndGet();
        }
        return new PooledMsg(array, size, sizeClass);
    }

    /**
     * Gives a received message's array back once nothing reads it any more; a message that did not come from
     * this pool is left to the collector.
     *
     * @param msg a message received from a socket that uses this pool.
     */
    void release(final Msg msg)
    {
        if (msg instanceof PooledMsg)
        {
            final PooledMsg pooled = (PooledMsg)msg;
            freeArrays[pooled.sizeClass].offer(pooled.array);
        }
    }

    /**
     * The arrays free in a size class (tests).
     *
     * @param sizeClass the class index.
     * @return how many arrays wait for reuse.
     */
    int freeCount(final int sizeClass)
    {
        return freeArrays[sizeClass].size();
    }

    /**
     * Arrays the pool made because the free list of their class was empty (tests: a pool that is given its arrays
     * back makes few however many frames it serves).
     *
     * @return the count since construction.
     */
    long arraysMade()
    {
        return arraysMade.get();
    }

    /**
     * The class that serves a size.
     *
     * @param size a message size, at most the largest length.
     * @return the index of the smallest class whose arrays hold it.
     */
    int sizeClass(final int size)
    {
        if (size <= SMALLEST_CLASS_LENGTH)
        {
            return 0;
        }
        // Index of the smallest power of two >= size, counted from the smallest class; capped at the last class.
        final int sizeClass = 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(SMALLEST_CLASS_LENGTH);
        return Math.min(sizeClass, classLengths.length - 1);
    }

    /**
     * The length of a class's arrays.
     *
     * @param sizeClass the class index.
     * @return its array length.
     */
    int classLength(final int sizeClass)
    {
        return classLengths[sizeClass];
    }

    /**
     * The array holding a received message's bytes, from offset 0: a pooled array is as long as its size class,
     * usually longer than the message; any other (a message JeroMQ made itself, e.g. CURVE's plaintext) is exactly as
     * long, and {@code data()} returns it without copying.
     */
    static byte[] arrayOf(final Msg message)
    {
        return message instanceof PooledMsg ? ((PooledMsg)message).array : message.data();
    }
}
