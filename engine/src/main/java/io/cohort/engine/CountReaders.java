package io.cohort.engine;

import io.cohort.state.StateReader;
import io.cohort.state.SubscriptionState;

/**
 * Gives each backend thread its own read-only view of the counts, so that {@link CohortNode#subscriberCount}
 * is safe from any thread without a round trip to the node's thread. The views read the same off-heap maps the
 * node's thread writes.
 */
final class CountReaders
{
    private final ThreadLocal<StateReader> readers;
    private final SubscriptionState state;

    CountReaders(final SubscriptionState state)
    {
        this.state = state;
        readers = ThreadLocal.withInitial(state::newReader);
    }

    long roomCount(final long roomId)
    {
        return readers.get().roomCount(roomId);
    }

    long ownerCount(final long ownerNodeId, final long roomId)
    {
        return readers.get().ownerCount(ownerNodeId, roomId);
    }

    long digest(final long ownerNodeId)
    {
        return readers.get().ownerDigest(ownerNodeId);
    }

    long offHeapMemoryUsed()
    {
        return state.offHeapMemoryUsed();
    }
}
