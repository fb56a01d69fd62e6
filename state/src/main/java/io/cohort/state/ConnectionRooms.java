package io.cohort.state;

import net.openhft.chronicle.values.Array;

/**
 * Off-heap value of the connection map (a Chronicle Values interface; Chronicle generates its heap and
 * native implementations): how many rooms the connection is subscribed to and the first
 * {@link #INLINE_ROOMS} of them. Rooms past those live in the overflow map under (connection, index), so
 * that the common connection with 1 to 3 rooms costs one entry. Rooms are kept dense: indexes 0 to
 * count - 1 are used, an unsubscribe moves the last room into the hole.
 */
interface ConnectionRooms
{
    /** Rooms stored in the connection's own entry. */
    int INLINE_ROOMS = 4;

    /**
     * Number of rooms the connection is subscribed to, inline and overflow together.
     *
     * @return the room count.
     */
    int getCount();

    /**
     * Sets the number of rooms.
     *
     * @param count the room count.
     */
    void setCount(int count);

    /**
     * One of the inline rooms.
     *
     * @param index from 0 to {@link #INLINE_ROOMS} - 1.
     * @return the room id.
     */
    @Array(length = INLINE_ROOMS)
    long getRoomAt(int index);

    /**
     * Sets one of the inline rooms.
     *
     * @param index  from 0 to {@link #INLINE_ROOMS} - 1.
     * @param roomId the room id.
     */
    void setRoomAt(int index, long roomId);
}
