package io.cohort.examples.gateway;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's routing index: room id to the WebSocket sessions of this gateway to write its messages to. Written
 * by the WebSocket threads (subscribe, unsubscribe, close) and by the node's thread (a refused subscription), read
 * by the node's thread for every notification.
 * <p>
 * It is not a copy of the node's state, for two reasons the node's reads cannot meet:
 * <ul>
 *     <li>it maps a room to the sessions to write to, while the node's state indexes connection id to rooms only
 *     ({@code CohortNode.connectionRooms}): a room's local connections cannot be asked of the node, and a
 *     connection id is not a session;</li>
 *     <li>it must lead the node: a client is added before its subscribe is queued, so that no message routed here
 *     for it is missed, and removed before its unsubscribe is queued, so that none reaches it after its
 *     {@code OK UNSUB}; the node's reads answer only once its thread has carried a call out.</li>
 * </ul>
 * What a client holds (its rooms and their names, whether it is subscribed, the counts) the gateway asks the node.
 * The index keeps per client only how many of its rooms hold it ({@link ClientSession#routes()}), so that a close
 * finds the rooms whose subscribe the node has not carried out yet.
 * <p>
 * A room's entry exists while it has at least one local subscriber; its set is concurrent so that the node's
 * thread iterates it without a lock while clients come and go.
 */
final class LocalRooms
{
    /**
     * One room's local subscribers, and the room's name as the chat protocol writes it in {@code MSG} frames.
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
     * @return true if it was not in the room already.
     */
    boolean add(final long roomId, final String name, final ClientSession client)
    {
        final boolean[] added = new boolean[1];
        rooms.compute(roomId, (id, room) ->
        {
            final Room target = null == room ? new Room(name) : room;
            added[0] = target.clients.add(client);
            if (added[0])
            {
                client.routes().incrementAndGet(); // in the lambda: atomic with the set's change
            }
            return target;
        });
        return added[0];
    }

    /**
     * Removes a client from a room, and the room's entry with its last client.
     *
     * @return true if it was in the room.
     */
    boolean remove(final long roomId, final ClientSession client)
    {
        final boolean[] removed = new boolean[1];
        rooms.computeIfPresent(roomId, (id, room) ->
        {
            removed[0] = room.clients.remove(client);
            if (removed[0])
            {
                client.routes().decrementAndGet();
            }
            return room.clients.isEmpty() ? null : room;
        });
        return removed[0];
    }

    /**
     * Removes a closing client from every room: first from the rooms the node says it holds, then, if the client is
     * still in some (a subscribe queued but not yet carried out by the node), from whichever rooms hold it. The
     * caller makes sure no add for this client runs meanwhile.
     *
     * @param client    the closing client.
     * @param nodeRooms the rooms the node counts for the client's connection.
     * @param count     how many of {@code nodeRooms} to use.
     * @return how many rooms had to be found by a scan of the index (0 unless the node was behind).
     */
    int removeClient(final ClientSession client, final long[] nodeRooms, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            remove(nodeRooms[i], client);
        }
        int scanned = 0;
        for (final Long roomId : rooms.keySet())
        {
            if (client.routes().get() <= 0)
            {
                break;
            }
            if (remove(roomId, client))
            {
                scanned++;
            }
        }
        return scanned;
    }

    /**
     * Whether a client is in a room's set, for a restore that must not bring back a room the client left meanwhile.
     *
     * @return true if routed there.
     */
    boolean holds(final long roomId, final ClientSession client)
    {
        final Room room = rooms.get(roomId);
        return null != room && room.clients.contains(client);
    }

    /**
     * Every room with a local subscriber, weakly consistent (rooms added or removed meanwhile may or may not show),
     * for restoring the subscriptions on a new node.
     *
     * @return the rooms by id.
     */
    Iterable<Map.Entry<Long, Room>> rooms()
    {
        return rooms.entrySet();
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
