package io.cohort.engine;

import io.cohort.state.LocalCountListener;
import io.cohort.state.StateContext;
import io.cohort.state.SubscriptionState;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Subscription states kept for reuse by simulated nodes: creating one costs 0.1 to 0.3 s of Chronicle Map set-up,
 * a {@link SubscriptionState#reset(long)} a few microseconds. One pool per thread; states go back to it when their
 * node crashes or the run ends.
 */
final class SimStatePool implements AutoCloseable
{
    /**
     * A state on loan, with the listener that forwards its local count changes to the node that holds it.
     */
    static final class Lease implements LocalCountListener
    {
        final SubscriptionState state;
        /** Aligned buffers for a node's counters, zeroed at each loan. */
        final UnsafeBuffer countersMetadata = newCountersMetadata();
        final UnsafeBuffer countersValues = newCountersValues();
        private LocalCountListener target;

        Lease(final StateContext context)
        {
            this.state = new SubscriptionState(context, this);
        }

        public void onLocalCountChanged(final long roomId, final long previousCount, final long newCount)
        {
            if (null != target)
            {
                target.onLocalCountChanged(roomId, previousCount, newCount);
            }
        }
    }

    static UnsafeBuffer newCountersMetadata()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(128 * 1024 * 4, 64));
    }

    static UnsafeBuffer newCountersValues()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(128 * 1024, 64));
    }

    private final Supplier<StateContext> contexts;
    private final ArrayDeque<Lease> free = new ArrayDeque<>();
    private final List<Lease> all = new ArrayList<>();

    /**
     * @param contexts makes the configuration of each new state (its local node id is set at each loan).
     */
    SimStatePool(final Supplier<StateContext> contexts)
    {
        this.contexts = contexts;
    }

    Lease acquire(final long localNodeId, final LocalCountListener target)
    {
        Lease lease = free.pollFirst();
        if (null == lease)
        {
            lease = new Lease(contexts.get().localNodeId(localNodeId));
            all.add(lease);
        }
        else
        {
            lease.state.reset(localNodeId);
            lease.countersMetadata.setMemory(0, lease.countersMetadata.capacity(), (byte)0);
            lease.countersValues.setMemory(0, lease.countersValues.capacity(), (byte)0);
        }
        lease.target = target;
        return lease;
    }

    void release(final Lease lease)
    {
        lease.target = null;
        free.addFirst(lease);
    }

    int created()
    {
        return all.size();
    }

    public void close()
    {
        for (final Lease lease : all)
        {
            CloseHelper.quietClose(lease.state);
        }
        all.clear();
        free.clear();
    }
}
