package io.cohort.engine;

import io.cohort.state.RowDigest;
import io.cohort.state.StateReader;
import io.cohort.state.SubscriptionState;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each backend thread its own read-only view of the counts, rooms and local connections, so that
 * {@link CohortNode#subscriberCount} and the other reads are safe from any thread without a round trip to the node's
 * thread. The views read the same off-heap maps the node's thread writes.
 * <p>
 * <b>Closing.</b> The node's thread frees that off-heap memory when the node closes, while backend threads may
 * still hold the node (a relaunched node replaces it, and a thread that read the old reference a moment earlier is
 * mid-read). Invariant: no read touches the state after {@link #close()} has returned. Each thread's view has a
 * {@code reading} flag it raises (a volatile store) before it checks {@code closed} and lowers after its read;
 * {@link #close()} sets {@code closed} (a volatile store) and then waits for every flag to be lowered. As in
 * Dekker's algorithm, of a reader and the closer at least one sees the other's store: either the reader sees
 * {@code closed} and reads nothing, or the closer sees the flag and waits for the read to end. Reads after close
 * answer as for an empty node. The cost is one volatile store per read, no allocation.
 */
final class CountReaders implements AutoCloseable
{
    private static final VarHandle READING;

    static
    {
        try
        {
            READING = MethodHandles.lookup().findVarHandle(View.class, "reading", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * One thread's view: its reader, made on its first read inside the guarded region (making one reads the state's
     * layout), and its flag.
     */
    static final class View
    {
        @SuppressWarnings("unused") // through READING
        private int reading;
        private StateReader reader;
    }

    private final SubscriptionState state;
    private final ThreadLocal<View> views;
    private final List<View> allViews = new ArrayList<>();
    private final int maxRoomMetadataLength;
    private volatile boolean closed;

    CountReaders(final SubscriptionState state)
    {
        this.state = state;
        this.maxRoomMetadataLength = state.newReader().maxRoomMetadataLength();
        views = ThreadLocal.withInitial(() ->
        {
            final View view = new View();
            synchronized (allViews)
            {
                allViews.add(view);
            }
            return view;
        });
    }

    long roomCount(final long roomId)
    {
        final View view = enter();
        if (null == view)
        {
            return 0;
        }
        try
        {
            return view.reader.roomCount(roomId);
        }
        finally
        {
            exit(view);
        }
    }

    long ownerCount(final long ownerNodeId, final long roomId)
    {
        final View view = enter();
        if (null == view)
        {
            return 0;
        }
        try
        {
            return view.reader.ownerCount(ownerNodeId, roomId);
        }
        finally
        {
            exit(view);
        }
    }

    long digest(final long ownerNodeId)
    {
        final View view = enter();
        if (null == view)
        {
            return RowDigest.EMPTY;
        }
        try
        {
            return view.reader.ownerDigest(ownerNodeId);
        }
        finally
        {
            exit(view);
        }
    }

    boolean roomExists(final long roomId)
    {
        final View view = enter();
        if (null == view)
        {
            return false;
        }
        try
        {
            return view.reader.roomExists(roomId);
        }
        finally
        {
            exit(view);
        }
    }

    int copyRoomMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        final View view = enter();
        if (null == view)
        {
            return -1;
        }
        try
        {
            return view.reader.copyRoomMetadata(roomId, dst, dstOffset);
        }
        finally
        {
            exit(view);
        }
    }

    int maxRoomMetadataLength()
    {
        return maxRoomMetadataLength;
    }

    boolean isSubscribed(final long connectionId, final long roomId)
    {
        final View view = enter();
        if (null == view)
        {
            return false;
        }
        try
        {
            return view.reader.isSubscribed(connectionId, roomId);
        }
        finally
        {
            exit(view);
        }
    }

    int connectionRooms(final long connectionId, final long[] dst)
    {
        final View view = enter();
        if (null == view)
        {
            return 0;
        }
        try
        {
            return view.reader.connectionRooms(connectionId, dst);
        }
        finally
        {
            exit(view);
        }
    }

    long offHeapMemoryUsed()
    {
        final View view = enter();
        if (null == view)
        {
            return 0;
        }
        try
        {
            return state.offHeapMemoryUsed();
        }
        finally
        {
            exit(view);
        }
    }

    /**
     * Stops every read: returns once no read is in progress, after which none touches the state; idempotent. Call
     * it before the state is closed.
     */
    public void close()
    {
        closed = true;
        final View[] snapshot;
        synchronized (allViews)
        {
            snapshot = allViews.toArray(new View[0]);
            allViews.clear(); // a view registered from now on sees closed before it reads
        }
        for (final View view : snapshot)
        {
            while (0 != (int)READING.getVolatile(view))
            {
                Thread.onSpinWait(); // a read in progress: one lookup, microseconds
            }
        }
    }

    /**
     * Raises this thread's flag, then checks for a close: the order of the two volatile accesses is what keeps a
     * read and the close apart (see the class comment).
     *
     * @return the thread's view, or null if the node is closed (nothing may be read).
     */
    private View enter()
    {
        if (closed)
        {
            return null;
        }
        final View view = views.get();
        READING.setVolatile(view, 1);
        if (closed)
        {
            READING.setRelease(view, 0);
            return null;
        }
        if (null == view.reader)
        {
            view.reader = state.newReader();
        }
        return view;
    }

    private static void exit(final View view)
    {
        READING.setRelease(view, 0);
    }
}
