package io.cohort.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkQueueTest
{
    private static final int CHUNK = 16 * 1024;
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[CHUNK]);
    private final ChunkQueue queue = new ChunkQueue();

    @Test
    void shouldKeepOnlyTheChunksNotYetTakenWhenTheLoaderNeverQuiteCatchesUp()
    {
        final int maxBytes = 8 * (CHUNK + Integer.BYTES);
        int next = 0;
        int taken = 0;
        // A snapshot of a thousand chunks, many times the bound, while two chunks wait at every moment.
        assertTrue(offer(next++, maxBytes));
        assertTrue(offer(next++, maxBytes));
        while (next < 1000)
        {
            assertTrue(offer(next++, maxBytes), "chunk " + next + " refused with " + queue.queuedBytes() + " queued");
            assertTrue(queue.poll());
            assertEquals(taken++, queue.buffer().getInt(queue.bodyOffset()), "taken in order");
            assertEquals(CHUNK, queue.bodyLength());
        }
        assertEquals(2 * (CHUNK + Integer.BYTES), queue.queuedBytes());
        assertTrue(queue.capacity() <= 8 * (CHUNK + Integer.BYTES),
            "no growth with the snapshot (a thousand chunks), about twice what waits: " + queue.capacity());
        while (queue.poll())
        {
            assertEquals(taken++, queue.buffer().getInt(queue.bodyOffset()));
        }
        assertEquals(1000, taken);
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldRefuseAChunkThatWouldPassTheBoundAndChangeNothing()
    {
        final int maxBytes = 2 * (CHUNK + Integer.BYTES);
        assertTrue(offer(1, maxBytes));
        assertTrue(offer(2, maxBytes));
        assertFalse(offer(3, maxBytes));
        assertEquals(maxBytes, queue.queuedBytes());
        assertTrue(queue.poll());
        assertEquals(1, queue.buffer().getInt(queue.bodyOffset()));
        assertTrue(offer(3, maxBytes), "room again once one was taken");
        assertTrue(queue.poll());
        assertEquals(2, queue.buffer().getInt(queue.bodyOffset()));
        assertTrue(queue.poll());
        assertEquals(3, queue.buffer().getInt(queue.bodyOffset()));
        assertFalse(queue.poll());
    }

    private boolean offer(final int number, final int maxBytes)
    {
        source.putInt(0, number);
        return queue.offer(source, 0, CHUNK, maxBytes);
    }
}
