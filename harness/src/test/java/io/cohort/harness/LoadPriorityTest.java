package io.cohort.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bench's {@code loadNice}: one thread's nice value changes, and no other thread's.
 */
class LoadPriorityTest
{
    @Test
    @Timeout(30)
    void shouldLowerTheCallingThreadAloneAndLeaveTheOthers() throws Exception
    {
        assumeTrue(Files.isSymbolicLink(Paths.get("/proc/thread-self")), "Linux only");
        final int before = LoadPriority.niceOfCallingThread();
        final int wanted = Math.min(LoadPriority.MAX_NICE, before + 7);
        final AtomicInteger seen = new AtomicInteger(Integer.MIN_VALUE);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread lowered = new Thread(() ->
        {
            try
            {
                LoadPriority.lowerCallingThread(wanted);
                seen.set(LoadPriority.niceOfCallingThread());
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "load-priority-test");
        lowered.start();
        lowered.join();
        if (null != failure.get())
        {
            throw new AssertionError(failure.get());
        }
        assertEquals(wanted, seen.get());
        assertEquals(before, LoadPriority.niceOfCallingThread(), "the test's own thread was left as it was");
    }

    @Test
    void shouldLeaveTheThreadAsItIsForZero()
    {
        assumeTrue(Files.isSymbolicLink(Paths.get("/proc/thread-self")), "Linux only");
        final int before = LoadPriority.niceOfCallingThread();
        LoadPriority.lowerCallingThread(0);
        assertEquals(before, LoadPriority.niceOfCallingThread());
    }

    @Test
    void shouldRejectANiceValueOutOfRangeWithANamedError()
    {
        assertEquals("loadNice must be 0 to 19, was 20",
            assertThrows(IllegalArgumentException.class, () -> LoadPriority.lowerCallingThread(20)).getMessage());
        assertEquals("loadNice must be 0 to 19, was -1",
            assertThrows(IllegalArgumentException.class, () -> LoadPriority.lowerCallingThread(-1)).getMessage());
    }
}
