package io.cohort.transport;

import org.junit.jupiter.api.Test;
import zmq.Msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveFramePoolTest
{
    private static final int LARGEST = ZmqTransport.TOPIC_LENGTH + 64 * 1024;

    private final ReceiveFramePool pool = new ReceiveFramePool(LARGEST);

    @Test
    void shouldServeEachSizeFromTheSmallestClassThatHoldsIt()
    {
        assertEquals(0, pool.sizeClass(1));
        assertEquals(0, pool.sizeClass(256));
        assertEquals(1, pool.sizeClass(257));
        assertEquals(1, pool.sizeClass(512));
        assertEquals(2, pool.sizeClass(513));
        assertEquals(8, pool.sizeClass(64 * 1024));
        assertEquals(9, pool.sizeClass(64 * 1024 + 1));
        assertEquals(9, pool.sizeClass(LARGEST));
        assertEquals(LARGEST, pool.classLength(9), "the last class is exactly the longest frame, not a power of two");
        for (int size = 1; size <= LARGEST; size += 97)
        {
            final int sizeClass = pool.sizeClass(size);
            assertTrue(pool.classLength(sizeClass) >= size, "class " + sizeClass + " holds " + size);
            assertTrue(0 == sizeClass || pool.classLength(sizeClass - 1) < size, "no smaller class holds " + size);
        }
    }

    @Test
    void shouldMakeMessagesOfTheExactSizeOverALargerArray()
    {
        final Msg msg = pool.allocate(300);

        assertEquals(300, msg.size());
        final ReceiveFramePool.PooledMsg pooled = assertInstanceOf(ReceiveFramePool.PooledMsg.class, msg);
        assertEquals(512, pooled.array.length);
        assertEquals(300, msg.buf().remaining(), "JeroMQ's decoder fills exactly the message's size");
    }

    @Test
    void shouldReuseAReleasedArrayForTheNextMessageOfItsClass()
    {
        final ReceiveFramePool.PooledMsg first = (ReceiveFramePool.PooledMsg)pool.allocate(1000);
        pool.release(first);
        assertEquals(1, pool.freeCount(pool.sizeClass(1000)));

        final ReceiveFramePool.PooledMsg second = (ReceiveFramePool.PooledMsg)pool.allocate(700);

        assertSame(first.array, second.array, "same class (1024): the array comes back");
        assertEquals(700, second.size());
        assertEquals(0, pool.freeCount(pool.sizeClass(1000)));
        final ReceiveFramePool.PooledMsg other = (ReceiveFramePool.PooledMsg)pool.allocate(100);
        assertNotSame(first.array, other.array, "another class makes its own");
    }

    @Test
    void shouldLeaveMessagesItDidNotMakeToTheCollector()
    {
        pool.release(new Msg(new byte[256]));
        assertEquals(0, pool.freeCount(0));

        final Msg tooLong = pool.allocate(LARGEST + 1);
        assertFalse(tooLong instanceof ReceiveFramePool.PooledMsg, "longer than any frame: an array of its own");
        assertEquals(LARGEST + 1, tooLong.size());
    }

    @Test
    void shouldDropArraysBeyondTheFreeListBound()
    {
        final Msg[] messages = new Msg[ReceiveFramePool.FREE_ARRAYS_PER_CLASS + 5];
        for (int i = 0; i < messages.length; i++)
        {
            messages[i] = pool.allocate(64);
        }
        for (final Msg message : messages)
        {
            pool.release(message);
        }
        assertEquals(ReceiveFramePool.FREE_ARRAYS_PER_CLASS, pool.freeCount(0));
    }

    @Test
    void shouldRefuseALargestLengthBelowTheSmallestClass()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReceiveFramePool(100));
    }
}
