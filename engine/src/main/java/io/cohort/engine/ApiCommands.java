package io.cohort.engine;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Message type ids and layouts of the API calls queued from backend threads to the node's thread in a
 * {@link org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer}.
 */
final class ApiCommands
{
    /** connection id, room id. */
    static final int SUBSCRIBE = 1;
    /** connection id, room id. */
    static final int UNSUBSCRIBE = 2;
    /** connection id. */
    static final int DISCONNECT = 3;
    /** room id, then the room's {@link io.cohort.state.RoomMetadata} encoding. */
    static final int CREATE_ROOM = 4;
    /** room id. */
    static final int REMOVE_ROOM = 5;
    /** room id, then the payload. */
    static final int PUBLISH = 6;
    /** name length, name, then the payload. */
    static final int BROADCAST_EVENT = 7;
    /** No body: leave the cluster gracefully. */
    static final int LEAVE = 8;

    static final int CONNECTION_ID_OFFSET = 0;
    static final int ROOM_ID_OFFSET = CONNECTION_ID_OFFSET + SIZE_OF_LONG;
    static final int SUBSCRIPTION_LENGTH = ROOM_ID_OFFSET + SIZE_OF_LONG;
    static final int ROOM_BODY_OFFSET = SIZE_OF_LONG;
    static final int EVENT_NAME_LENGTH_OFFSET = 0;
    static final int EVENT_NAME_OFFSET = SIZE_OF_INT;

    private ApiCommands()
    {
    }
}
