package io.cohort.examples.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of this gateway's clients are subscribed to which room: written by the WebSocket threads (subscribe,
 * unsubscribe, close), read by the node's thread for every notification. Cohort itself counts subscribers per
 * node; which local connection gets a message is the embedding backend's business, kept here.
 * <p>
 * The node's own reads ({@code CohortNode.isSubscribed}, {@code connectionRooms}) do not replace this index: they
 * answer once the node's thread has carried a call out, while this index must lead the node (a client is
 * registered before its subscribe is queued, so that no message routed here for it is missed), and they name
 * connection ids, not the sessions to write to.
 * <p>
 * A room's entry exists while it has at least one local subscriber; its set is concurrent so that the node's
 * thread iterates it without a lock while clients come and go.
 */
final class LocalRooms
{
    /**
     * One room's local subscribers.
     */
    static final class Room
    {
        final String name;
        final Set<ClientSession> clients = ConcurrentHashMap.newKeySet();

        Room(final String name)
        {
            this.name = name;
        }
    }

    // Boxed keys allocate a little per lookup; this example favours plain JDK maps over a concurrent primitive map,
    // and the delivery path allocates its text frames anyway (the WebSocket library sends Strings).
    private final ConcurrentHashMap<Long, Room> rooms = new ConcurrentHashMap<>();

    /**
     * Adds a client to a room.
     *
     * @return true if it was not subscribed already.
     */
    boolean add(final long roomId, final String name, final ClientSession client)
    {
        final boolean[] added = new boolean[1];
        rooms.compute(roomId, (id, room) ->
        {
            final Room target = null == room ? new Room(name) : room;
            added[0] = target.clients.add(client);
            return target;
        });
        return added[0];
    }

    /**
     * Removes a client from a room, and the room's entry with its last client.
     *
     * @return true if it was subscribed.
     */
    boolean remove(final long roomId, final ClientSession client)
    {
        final boolean[] removed = new boolean[1];
        rooms.computeIfPresent(roomId, (id, room) ->
        {
            removed[0] = room.clients.remove(client);
            return room.clients.isEmpty() ? null : room;
        });
        return removed[0];
    }

    /**
     * The local subscribers of a room.
     *
     * @return the room, or null if no local client is subscribed.
     */
    Room room(final long roomId)
    {
        return rooms.get(roomId);
    }
}
