package io.cohort.engine;

import org.agrona.DirectBuffer;

import java.util.function.Consumer;

/**
 * Puts itself between the node and the backend's {@link CohortListener} to keep the node counters that only
 * events tell (the state at once on a change, evictions seen), then passes every call on unchanged. Runs on the
 * node's thread, as the listener does; it counts before delegating, so a throwing backend listener cannot make a
 * counter miss an event.
 */
final class NodeStatusListener implements CohortListener
{
    private final CohortListener delegate;
    private final NodeCounters counters;
    private final Consumer<NodeState> stateHook;

    /**
     * @param stateHook told of each state change after the backend's listener (e.g. a {@link CohortSupervisor}'s
     *                  watch), or null.
     */
    NodeStatusListener(final CohortListener delegate, final NodeCounters counters, final Consumer<NodeState> stateHook)
    {
        this.delegate = delegate;
        this.counters = counters;
        this.stateHook = stateHook;
    }

    /**
     * The backend's listener as a {@link LatencyStageObserver}, if it opted in: looks through this wrapper, which
     * the node's components get in place of the backend's listener.
     *
     * @param listener the listener a component was given (this wrapper or the backend's own).
     * @return the stage observer, or null.
     */
    static LatencyStageObserver stageObserverOf(final CohortListener listener)
    {
        final CohortListener backend = listener instanceof NodeStatusListener ?
            ((NodeStatusListener)listener).delegate : listener;
        return backend instanceof LatencyStageObserver ? (LatencyStageObserver)backend : null;
    }

    /**
     * {@inheritDoc}
     */
    public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
        delegate.onNotification(roomId, buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public void onRoomCreated(
        final long roomId, final String indexName, final String collectionName, final byte[] filter)
    {
        delegate.onRoomCreated(roomId, indexName, collectionName, filter);
    }

    /**
     * {@inheritDoc}
     */
    public void onRoomRemoved(final long roomId)
    {
        delegate.onRoomRemoved(roomId);
    }

    /**
     * {@inheritDoc}
     */
    public void onClusterEvent(
        final String name, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        delegate.onClusterEvent(name, buffer, payloadOffset, payloadLength);
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberJoined(final long nodeId)
    {
        delegate.onMemberJoined(nodeId);
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberLeft(final long nodeId)
    {
        delegate.onMemberLeft(nodeId);
    }

    /**
     * {@inheritDoc}
     */
    public void onMemberEvicted(final long nodeId, final EvictionReason reason)
    {
        counters.onMemberEvicted();
        delegate.onMemberEvicted(nodeId, reason);
    }

    /**
     * {@inheritDoc}
     */
    public void onRefused(
        final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
    {
        delegate.onRefused(operation, connectionId, roomId, reason);
    }

    /**
     * {@inheritDoc}
     */
    public void onStateChanged(final NodeState previous, final NodeState current)
    {
        counters.onStateChanged(current);
        try
        {
            delegate.onStateChanged(previous, current);
        }
        finally
        {
            // Even if the backend's listener throws: a supervisor must not miss an eviction.
            if (null != stateHook)
            {
                stateHook.accept(current);
            }
        }
    }
}
