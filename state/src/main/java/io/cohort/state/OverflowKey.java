package io.cohort.state;

/**
 * Off-heap key of the overflow map (a Chronicle Values interface): a connection's room at an index past
 * {@link ConnectionTable#INLINE_ROOMS}.
 */
interface OverflowKey
{
    /**
     * The connection.
     *
     * @return the connection id.
     */
    long getConnectionId();

    /**
     * Sets the connection.
     *
     * @param connectionId the connection id.
     */
    void setConnectionId(long connectionId);

    /**
     * Index of the room in the connection's dense list of rooms.
     *
     * @return an index at least {@link ConnectionTable#INLINE_ROOMS}.
     */
    int getIndex();

    /**
     * Sets the index.
     *
     * @param index an index at least {@link ConnectionTable#INLINE_ROOMS}.
     */
    void setIndex(int index);
}
