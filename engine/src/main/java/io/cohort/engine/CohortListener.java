package io.cohort.engine;

import org.agrona.DirectBuffer;

/**
 * Told of what happens in the cluster, on the node's own thread: implementations must return quickly and must
 * not block (hand work to the backend's own threads). Every method has an empty default. An exception thrown
 * here is reported to the error handler and does not stop the node.
 */
public interface CohortListener
{
    /**
     * A notification for a room this node has local subscribers in.
     *
     * @param roomId the room.
     * @param buffer holding the payload (valid only during the call).
     * @param offset where the payload starts.
     * @param length its length.
     */
    default void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
    }

    /**
     * A room became known (created here or on another node), so the backend can register its filter.
     *
     * @param roomId         the content-derived room id.
     * @param indexName      the index.
     * @param collectionName the collection.
     * @param filter         the opaque filter bytes.
     */
    default void onRoomCreated(
        final long roomId, final String indexName, final String collectionName, final byte[] filter)
    {
    }

    /**
     * A room was removed.
     *
     * @param roomId the room.
     */
    default void onRoomRemoved(final long roomId)
    {
    }

    /**
     * A backend-defined cluster event.
     *
     * @param name          the event's name.
     * @param buffer        holding the payload (valid only during the call).
     * @param payloadOffset where the payload starts.
     * @param payloadLength its length.
     */
    default void onClusterEvent(
        final String name, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
    }

    /**
     * A member joined (its state is loaded: its counts are included from now on).
     *
     * @param nodeId the member.
     */
    default void onMemberJoined(final long nodeId)
    {
    }

    /**
     * A member left gracefully; its rows have been removed.
     *
     * @param nodeId the member.
     */
    default void onMemberLeft(final long nodeId)
    {
    }

    /**
     * A member was evicted; its rows have been removed.
     *
     * @param nodeId the member.
     * @param reason why.
     */
    default void onMemberEvicted(final long nodeId, final EvictionReason reason)
    {
    }

    /**
     * An accepted API call was refused when the node's thread carried it out: nothing changed (e.g. an unknown
     * room, a full capacity). A refused publish reaches {@link #onPublishRefused} first, which calls this by
     * default.
     *
     * @param operation    the call.
     * @param connectionId its connection id, or 0 if the call has none.
     * @param roomId       its room id, or 0 if the call has none.
     * @param reason       why.
     */
    default void onRefused(
        final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
    {
    }

    /**
     * An accepted {@link CohortNode#publish} was refused when the node's thread carried it out: it was delivered
     * nowhere (neither to this node's subscribers nor to any other node), e.g. with
     * {@link RefusalReason#NOTIFICATION_BACK_PRESSURED} when a node with subscribers in the room had no
     * notification credit left, or {@link RefusalReason#NOT_MEMBER}. The payload is handed back so that it can be
     * published again. By default this calls {@link #onRefused} with {@link RefusedOperation#PUBLISH}, so a
     * listener that handles every refusal there sees publishes too.
     *
     * @param roomId the room.
     * @param buffer holding the payload (valid only during the call: copy it to keep it).
     * @param offset where the payload starts.
     * @param length its length.
     * @param reason why.
     */
    default void onPublishRefused(
        final long roomId, final DirectBuffer buffer, final int offset, final int length, final RefusalReason reason)
    {
        onRefused(RefusedOperation.PUBLISH, 0, roomId, reason);
    }

    /**
     * This node's state changed.
     *
     * @param previous the state before.
     * @param current  the state now.
     */
    default void onStateChanged(final NodeState previous, final NodeState current)
    {
    }
}
