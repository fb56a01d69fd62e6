package io.cohort.examples.gateway;

import io.cohort.engine.CallResult;
import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Brings this gateway's subscriptions back on its new node after the one they were made on was evicted and
 * relaunched in this JVM ({@code CohortSupervisor}). A node's subscriptions are rows of that incarnation and leave
 * the cluster with it; the gateway's routing index ({@link LocalRooms}) still says which client wants which room,
 * so it is the record to restore from, and the clients stay connected: no reconnect storm, no lost room list.
 * <p>
 * Once the new node is RUNNING, each (room, client) pair still in the index is created and subscribed again, under
 * the client's lock as every subscribe and unsubscribe is, so that a client that left a room or closed meanwhile is
 * not brought back. The client is told {@code RESUMED room}: messages published to the room between the eviction
 * and now did not reach it (its node was not a member), which a chat client must know rather than guess. A pair
 * the new node keeps refusing as BACK_PRESSURED is dropped and the client told {@code ERR BUSY SUB room ...}; a
 * node refusal found later ({@code onRefused}) is undone as for any subscribe. If the new node stops serving in the
 * middle (evicted in turn), the restore stops: the next incarnation restores what is still in the index.
 */
final class SubscriptionRestore
{
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRestore.class);

    private final LocalRooms localRooms;
    private final long callRetryNs;
    /** The incarnation whose subscriptions are (being) restored: each new incarnation is restored once. */
    private final AtomicLong restoredIncarnation;

    SubscriptionRestore(final LocalRooms localRooms, final long callRetryNs, final long firstIncarnation)
    {
        this.localRooms = localRooms;
        this.callRetryNs = callRetryNs;
        this.restoredIncarnation = new AtomicLong(firstIncarnation);
    }

    /**
     * Claims the restore of a node that is RUNNING and not restored yet. Called both when the node is relaunched and
     * when a node becomes RUNNING, since either may come first; the claim makes it happen once.
     *
     * @return true if the caller must now {@link #restore} it.
     */
    boolean claim(final CohortNode node)
    {
        final long incarnation = node.incarnation();
        final long restored = restoredIncarnation.get();
        return NodeState.RUNNING == node.state() && restored != incarnation &&
            restoredIncarnation.compareAndSet(restored, incarnation);
    }

    /**
     * Subscribes every client of the routing index again on a node, and tells each {@code RESUMED room}.
     *
     * @param node    the new node, claimed.
     * @param current the gateway's node now: a restore stops if the node was replaced again.
     * @return the subscriptions restored.
     */
    int restore(final CohortNode node, final Supplier<CohortNode> current)
    {
        int restored = 0;
        int dropped = 0;
        for (final Map.Entry<Long, LocalRooms.Room> entry : localRooms.rooms())
        {
            final long roomId = entry.getKey();
            final LocalRooms.Room room = entry.getValue();
            boolean created = false;
            for (final ClientSession client : room.clients)
            {
                if (current.get() != node)
                {
                    return stopped(node, restored);
                }
                synchronized (client)
                {
                    if (client.isClosed() || !localRooms.holds(roomId, client))
                    {
                        continue; // left the room or closed since the eviction: nothing to bring back
                    }
                    // Creating is idempotent and queued before the subscribe, as for a client's own SUB.
                    CallResult result = created ? CallResult.ACCEPTED : NodeCalls.retry(() -> node.createRoom(
                        Gateway.ROOM_INDEX, Gateway.ROOM_COLLECTION, RoomNames.filter(room.name)), callRetryNs);
                    if (CallResult.ACCEPTED == result)
                    {
                        created = true;
                        result = NodeCalls.retry(() -> node.subscribe(client.connectionId(), roomId), callRetryNs);
                    }
                    if (CallResult.ACCEPTED == result)
                    {
                        client.send(ChatProtocol.resumed(room.name));
                        restored++;
                    }
                    else if (CallResult.BACK_PRESSURED == result)
                    {
                        localRooms.remove(roomId, client);
                        client.send(NodeCalls.error("SUB", room.name, result));
                        dropped++;
                    }
                    else
                    {
                        return stopped(node, restored); // NOT_MEMBER, EVICTED, CLOSED: it no longer serves
                    }
                }
            }
        }
        LOG.info("gateway: {} subscriptions restored on node incarnation {}, {} dropped (its queue stayed full)",
            restored, node.incarnation(), dropped);
        return restored;
    }

    private static int stopped(final CohortNode node, final int restored)
    {
        LOG.warn("gateway: node incarnation {} stopped serving during the restore ({}), after {} subscriptions: the " +
            "next incarnation restores the rest", node.incarnation(), node.state(), restored);
        return restored;
    }
}
