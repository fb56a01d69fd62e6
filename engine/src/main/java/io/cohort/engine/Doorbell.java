package io.cohort.engine;

import org.agrona.CloseHelper;
import org.agrona.LangUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Wakes the node's thread when it is parked on its sockets and an API call is queued. The agent
 * {@link #park() parks} (sets {@code parked}), then re-checks its queue before it blocks; a producer commits its
 * record, then {@link #ring() rings}, which writes a byte to the pipe only if it wins the {@code parked} flag. Both
 * sides order their write before their read (volatile), so either the agent sees the record or the producer sees
 * the flag: no wake-up is lost, and at most one byte is written per park.
 * <p>
 * A producer interrupted while it writes closes the pipe (NIO channels are interruptible); the agent then opens a
 * new one before its next park, and that one wake-up falls back to the poll's timeout.
 */
final class Doorbell implements AutoCloseable
{
    private static final AtomicIntegerFieldUpdater<Doorbell> PARKED =
        AtomicIntegerFieldUpdater.newUpdater(Doorbell.class, "parked");

    private volatile int parked;
    private volatile Pipe pipe;
    private final ByteBuffer ring = ByteBuffer.allocateDirect(1);
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

    /**
     * Called by any thread after committing work for the agent: wakes it if it is parked.
     */
    void ring()
    {
        if (1 == parked && PARKED.compareAndSet(this, 1, 0))
        {
            final Pipe pipe = this.pipe;
            if (null == pipe)
            {
                return;
            }
            try
            {
                // One byte per park at most (the CAS above), so the non-blocking sink never fills.
                synchronized (ring)
                {
                    ring.clear();
                    pipe.sink().write(ring);
                }
            }
            catch (final IOException ignore)
            {
                // Closed by an interrupt of this thread: the agent reopens it before its next park.
            }
        }
    }

    /**
     * The agent's side: opens the pipe if it is not open, and marks the agent parked.
     *
     * @return the channel to poll beside the sockets.
     */
    SelectableChannel park()
    {
        Pipe pipe = this.pipe;
        if (null == pipe || !pipe.sink().isOpen() || !pipe.source().isOpen())
        {
            closePipe();
            pipe = open();
            this.pipe = pipe;
        }
        parked = 1;
        return pipe.source();
    }

    /**
     * The agent's side, after its poll: clears the flag and reads away any byte rung meanwhile.
     */
    void unpark()
    {
        parked = 0;
        final Pipe pipe = this.pipe;
        if (null == pipe)
        {
            return;
        }
        try
        {
            drain.clear();
            while (pipe.source().read(drain) > 0)
            {
                drain.clear();
            }
        }
        catch (final IOException ignore)
        {
            // A closed pipe is replaced at the next park.
        }
    }

    /**
     * Whether the agent is parked (for tests and diagnostics).
     *
     * @return true between {@link #park()} and a ring or {@link #unpark()}.
     */
    boolean isParked()
    {
        return 1 == parked;
    }

    /**
     * Closes the pipe.
     */
    public void close()
    {
        closePipe();
    }

    private void closePipe()
    {
        final Pipe pipe = this.pipe;
        if (null != pipe)
        {
            CloseHelper.quietCloseAll(pipe.sink(), pipe.source());
            this.pipe = null;
        }
    }

    private static Pipe open()
    {
        try
        {
            final Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            return pipe;
        }
        catch (final IOException ex)
        {
            LangUtil.rethrowUnchecked(ex);
            return null;
        }
    }
}
