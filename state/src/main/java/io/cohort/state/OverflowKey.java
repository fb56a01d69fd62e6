package io.cohort.state;

/**
 * Key of the overflow map: a connection's room at an index past {@link ConnectionTable#INLINE_ROOMS}. Mutable, so
 * that a lookup allocates nothing; written and read by {@link OverflowKeyMarshaller}. Not thread safe: each user
 * keeps its own instance.
 */
final class OverflowKey
{
    private long connectionId;
    private int index;

    /**
     * The connection.
     *
     * @return the connection id.
     */
    long getConnectionId()
    {
        return connectionId;
    }

    /**
     * Sets the connection.
     *
     * @param connectionId the connection id.
     */
    void setConnectionId(final long connectionId)
    {
        this.connectionId = connectionId;
    }

    /**
     * Index of the room in the connection's dense list of rooms.
     *
     * @return an index at least {@link ConnectionTable#INLINE_ROOMS}.
     */
    int getIndex()
    {
        return index;
    }

    /**
     * Sets the index.
     *
     * @param index an index at least {@link ConnectionTable#INLINE_ROOMS}.
     */
    void setIndex(final int index)
    {
        this.index = index;
    }
}
