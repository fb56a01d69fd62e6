package io.cohort.engine;

import io.cohort.state.RoomMetadata;
import io.cohort.test.LoopbackCluster;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InProcessClusterTest
{
    @RegisterExtension
    final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();

    private CohortNode launch(final long nodeId, final String seeds, final CohortListener listener)
    {
        return nodes.add(Cohort.launch(LocalNodes.context(nodes.directory(), nodeId, seeds).listener(listener)));
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        LocalNodes.await(what, condition);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldFormClusterReplicateCountsAndRouteNotifications() throws InterruptedException
    {
        final ConcurrentLinkedQueue<String> received2 = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> received3 = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> refused1 = new ConcurrentLinkedQueue<>();
        final CohortNode node1 = launch(1, "", new CohortListener()
        {
            public void onRefused(final RefusedOperation operation, final long connectionId, final long roomId,
                final RefusalReason reason)
            {
                refused1.add(operation + " " + roomId + " " + reason);
            }
        });
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final String seed = node1.commandEndpoint().substring("tcp://".length());
        final CohortNode node2 = launch(2, seed, recorder(received2));
        final CohortNode node3 = launch(3, seed, recorder(received3));
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node2 " + node2.state());
        assertTrue(node3.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node3 " + node3.state());
        await("full membership", () -> node1.members().length == 2 && node2.members().length == 2 &&
            node3.members().length == 2);

        final byte[] filter = { 1, 2, 3 };
        // Two joiners let in together: node1's lease in the view of three (and in the accepted one, joint consensus)
        // needs a joiner's echo, which its first heartbeat in that view brings (sent at the install, a round trip
        // away; JoinLeaseGapTest); until then node1 answers NO_QUORUM.
        await("room created on node1", () -> CallResult.ACCEPTED == node1.createRoom("index", "collection", filter));
        final long room = CohortNode.roomId("index", "collection", filter);
        assertEquals(CohortNode.roomId("index", "collection", filter), room);
        await("room known on node2", () -> CallResult.ACCEPTED == node2.createRoom("index", "collection", filter));
        await("subscribe accepted", () -> CallResult.ACCEPTED == node2.subscribe(100, room));
        await("count visible everywhere", () -> node1.subscriberCount(room) == 1 && node2.subscriberCount(room) == 1 &&
            node3.subscriberCount(room) == 1);
        await("digests equal", () -> node1.digest(2) == node2.digest(2) && node3.digest(2) == node2.digest(2));
        assertReads(node1, node2, node3, room);

        // Node 2's subscriber keeps the room everywhere: node 1's removal is refused, and its caller told so.
        assertEquals(CallResult.ACCEPTED, node1.removeRoom(room));
        await("removal refused", () -> !refused1.isEmpty());
        assertEquals(RefusedOperation.REMOVE_ROOM + " " + room + " " + RefusalReason.ROOM_IN_USE, refused1.poll());
        assertTrue(node1.roomExists(room) && node2.roomExists(room) && node3.roomExists(room));

        final UnsafeBuffer payload = new UnsafeBuffer("hello".getBytes());
        await("notification delivered to node2", () ->
        {
            node1.publish(room, payload, 0, payload.capacity());
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return !received2.isEmpty();
        });
        assertEquals("hello", received2.peek());
        assertTrue(received3.isEmpty(), "node3 has no subscriber and must not receive: " + received3);

        node3.close();
        await("node3's leave seen", () -> node1.members().length == 1 && node2.members().length == 1);
    }

    /** What embedders read from any thread: rooms, a connection's rooms, and the members. */
    private static void assertReads(final CohortNode node1, final CohortNode node2, final CohortNode node3,
        final long room)
    {
        assertTrue(node1.roomExists(room));
        assertTrue(node3.roomExists(room), "replicated");
        assertFalse(node3.roomExists(room + 1));
        final UnsafeBuffer metadata = new UnsafeBuffer(new byte[node3.maxRoomMetadataLength()]);
        final int length = node3.roomMetadata(room, metadata, 0);
        assertEquals(RoomMetadata.encodedLength(5, 10, 3), length);
        assertEquals("collection", metadata.getStringWithoutLengthUtf8(
            RoomMetadata.collectionNameOffset(metadata, 0), RoomMetadata.collectionNameLength(metadata, 0)));
        assertEquals(-1, node3.roomMetadata(room + 1, metadata, 0));

        assertTrue(node2.isSubscribed(100, room));
        assertFalse(node1.isSubscribed(100, room), "connections are local to their node");
        final long[] rooms = new long[4];
        assertEquals(1, node2.connectionRooms(100, rooms));
        assertEquals(room, rooms[0]);
        assertEquals(0, node2.connectionRooms(101, rooms));

        final List<ClusterMember> members = node1.clusterMembers();
        assertEquals(Set.of(2L, 3L), members.stream().map(ClusterMember::nodeId).collect(Collectors.toSet()));
        for (final ClusterMember member : members)
        {
            final CohortNode other = member.nodeId() == 2 ? node2 : node3;
            assertEquals(other.incarnation(), member.incarnation());
            assertEquals(other.commandEndpoint(), member.commandEndpoint());
            assertEquals(other.syncEndpoint(), member.syncEndpoint());
            assertEquals(MemberState.SYNCED, member.state(), member.toString());
        }
        assertSame(members, node1.clusterMembers(), "read without allocating while nothing changed");
    }

    /** A listener that also observes the replica: what the load harness launches its nodes with. */
    private interface ObservingListener extends CohortListener, ReplicaObserver
    {
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldTellAnOptedInListenerOfEveryCountAppliedToTheReplica() throws InterruptedException
    {
        final ConcurrentLinkedQueue<String> observed = new ConcurrentLinkedQueue<>();
        final CohortNode node1 = launch(1, "", new CohortListener()
        {
        });
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final CohortNode node2 = launch(2, node1.commandEndpoint().substring("tcp://".length()),
            (ObservingListener)(ownerNodeId, roomId, count) -> observed.add(ownerNodeId + "/" + roomId + "=" + count));
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node2 " + node2.state());

        final byte[] filter = { 7 };
        assertEquals(CallResult.ACCEPTED, node1.createRoom("index", "collection", filter));
        final long room = CohortNode.roomId("index", "collection", filter);
        await("room known on node2", () -> CallResult.ACCEPTED == node2.createRoom("index", "collection", filter));
        await("subscribe accepted", () -> CallResult.ACCEPTED == node1.subscribe(100, room));
        await("count observed on node2", () -> observed.contains("1/" + room + "=1"));
    }

    /** A listener that records the stage hooks of one room, as the load harness's latency breakdown uses them. */
    private static final class StageRecorder implements CohortListener, LatencyStageObserver
    {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        volatile long tracedRoomId;
        private long encodedSequence;

        public void onSubscribeTaken(final long connectionId, final long roomId)
        {
            if (roomId == tracedRoomId)
            {
                events.add("taken " + connectionId);
            }
        }

        public void onCountEncoded(final long roomId, final long count, final long sequence)
        {
            if (roomId == tracedRoomId)
            {
                events.add("encoded " + count);
                encodedSequence = sequence;
            }
        }

        public void onBroadcastSent(final long lastSequence)
        {
            if (0 != encodedSequence && lastSequence >= encodedSequence)
            {
                events.add("sent");
                encodedSequence = 0;
            }
        }

        public void onCountReceived(final long ownerNodeId, final long roomId, final long count)
        {
            if (roomId == tracedRoomId)
            {
                events.add("received " + ownerNodeId + "/" + count);
            }
        }

        public void onCountApplied(final long ownerNodeId, final long roomId, final long count)
        {
            if (roomId == tracedRoomId)
            {
                events.add("applied " + ownerNodeId + "/" + count);
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldTellAStageObserverWhereACountIsOnItsWayFromCallToReplica() throws InterruptedException
    {
        final StageRecorder owner = new StageRecorder();
        final StageRecorder replica = new StageRecorder();
        final CohortNode node1 = launch(1, "", owner);
        assertTrue(node1.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS));
        final CohortNode node2 = launch(2, node1.commandEndpoint().substring("tcp://".length()), replica);
        assertTrue(node2.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), "node2 " + node2.state());

        final byte[] filter = { 9 };
        assertEquals(CallResult.ACCEPTED, node1.createRoom("index", "collection", filter));
        final long room = CohortNode.roomId("index", "collection", filter);
        await("room known on node2", () -> CallResult.ACCEPTED == node2.createRoom("index", "collection", filter));
        owner.tracedRoomId = room;
        replica.tracedRoomId = room;
        await("subscribe accepted", () -> CallResult.ACCEPTED == node1.subscribe(100, room));
        await("count applied on node2", () -> replica.events.contains("applied 1/1"));

        assertEquals(List.of("taken 100", "encoded 1", "sent"), List.copyOf(owner.events),
            "the owner: call taken from the API queue, count put in a frame, the frame handed over");
        assertEquals(List.of("received 1/1", "applied 1/1"), List.copyOf(replica.events),
            "the replica: count received, then applied");
    }

    private static CohortListener recorder(final ConcurrentLinkedQueue<String> received)
    {
        return new CohortListener()
        {
            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
                received.add(buffer.getStringWithoutLengthAscii(offset, length));
            }
        };
    }
}
