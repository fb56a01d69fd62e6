package io.cohort.engine;

import io.cohort.state.StateReader;
import io.cohort.state.SubscriptionState;
import org.agrona.MutableDirectBuffer;

/**
 * Gives each backend thread its own read-only view of the counts, rooms and local connections, so that
 * {@link CohortNode#subscriberCount} and the other reads are safe from any thread without a round trip to the node's thread. The views read the same off-heap maps the
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

    boolean roomExists(final long roomId)
    {
        return readers.get().roomExists(roomId);
    }

    int copyRoomMetadata(final long roomId, final MutableDirectBuffer dst, final int dstOffset)
    {
        return readers.get().copyRoomMetadata(roomId, dst, dstOffset);
    }

    int maxRoomMetadataLength()
    {
        return readers.get().maxRoomMetadataLength();
    }

    boolean isSubscribed(final long connectionId, final long roomId)
    {
        return readers.get().isSubscribed(connectionId, roomId);
    }

    int connectionRooms(final long connectionId, final long[] dst)
    {
        return readers.get().connectionRooms(connectionId, dst);
    }

    long offHeapMemoryUsed()
    {
        return state.offHeapMemoryUsed();
    }
}
