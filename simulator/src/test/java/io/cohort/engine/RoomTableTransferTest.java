package io.cohort.engine;

import io.cohort.state.StateResult;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which snapshots carry the room table, on the real core over the simulated network: a node syncing its members for
 * the first time is sent every member's rooms (only they can tell it of rooms made by nodes gone since); a running
 * node, whose table already holds every room but those a member's own operations changed, is sent a member's rooms
 * only if that member ever changed one. A joiner therefore sends no room table to the running members, and a member
 * that changed rooms still sends its table when a replica's sync of it starts over (its changes may be the messages
 * the replica missed).
 */
class RoomTableTransferTest
{
    private static final int ROOMS = 300;

    private final SimNetwork network = new SimNetwork(7, ms(1), ms(1), ms(5));
    private final List<SimNode> nodes = new ArrayList<>();
    private final long[] rooms = new long[ROOMS];

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId)
    {
        final CohortContext context = new CohortContext()
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(1000))
            .joinTimeoutNs(ms(10_000));
        context.stateContext().maxRooms(1024).maxConnections(1024).maxNodes(6).maxOverflowSubscriptions(256)
            .maxFilterBytes(256).snapshotFrameLength(4096);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        return node;
    }

    private SimNode founderWithRooms()
    {
        final SimNode founder = node(1);
        founder.start(List.of());
        for (int i = 0; i < ROOMS; i++)
        {
            rooms[i] = founder.createRoom("room-" + i);
            founder.core().subscribe(1 + i, rooms[i]);
        }
        network.runFor(ms(50));
        return founder;
    }

    private SimNode join(final long nodeId, final SimNode seed)
    {
        final SimNode joiner = node(nodeId);
        joiner.start(List.of(seed));
        for (int step = 0; step < 5000 && !allRunningAndSynced(); step++)
        {
            network.runFor(ms(1));
        }
        assertTrue(allRunningAndSynced(), () -> "node " + nodeId + " " + joiner.core().state());
        network.runFor(ms(100));
        return joiner;
    }

    private boolean allRunningAndSynced()
    {
        for (final SimNode node : nodes)
        {
            if (node.isRunningOnNetwork() && !node.runningAndSynced())
            {
                return false;
            }
        }
        return true;
    }

    private static long sentWithoutRooms(final List<SimNode> members)
    {
        long sent = 0;
        for (final SimNode member : members)
        {
            sent += member.core().snapshotServer().servedWithoutRooms();
        }
        return sent;
    }

    private int roomsHeld(final SimNode node)
    {
        int held = 0;
        for (final long room : rooms)
        {
            held += node.state().roomExists(room) ? 1 : 0;
        }
        return held;
    }

    private static void resync(final SimNode replica, final SimNode owner)
    {
        final Member member = replica.core().member(owner.nodeId());
        replica.core().memberSync().restart(member, replica.core().nowNs());
    }

    @Test
    void shouldTakeAJoinersRoomsFromOneMemberThatFirstAppliedEveryOtherMembersChangesUpToTheirSnapshots()
    {
        final SimNode founder = founderWithRooms();
        final SimNode second = join(2, founder);
        final SimNode third = join(3, founder);
        final List<SimNode> members = List.of(founder, second, third);

        // Every member becomes a slow receiver and changes rooms of its own in a burst, one frame each: each is
        // behind the others' changes by hundreds of milliseconds when the joiner asks for their snapshots, so a room
        // table sent before the floors are reached would lack changes that the joiner never replays.
        members.forEach((member) -> member.receiveCostNs(ms(2)));
        final Set<Long> expected = new HashSet<>();
        for (final long room : rooms)
        {
            expected.add(room);
        }
        final List<Long> made = new ArrayList<>();
        for (int i = 0; i < 120; i++)
        {
            for (final SimNode member : members)
            {
                final long room = member.createRoom("burst-" + member.nodeId() + "-" + i);
                made.add(room);
                expected.add(room);
                if (i % 3 == 2)
                {
                    // Its own room of the round before (three members made one each since).
                    final long removed = made.get(made.size() - 1 - members.size());
                    assertEquals(StateResult.ROOM_REMOVED, member.core().removeRoom(removed));
                    expected.remove(removed);
                }
            }
            network.runFor(ms(1));
        }
        final long sentWithoutRoomsBefore = sentWithoutRooms(members);
        final SimNode joiner = join(4, founder);
        members.forEach((member) -> member.receiveCostNs(0));
        network.runFor(ms(500));

        for (final SimNode node : List.of(founder, second, third, joiner))
        {
            for (final long room : made)
            {
                assertEquals(expected.contains(room), node.state().roomExists(room),
                    "room " + Long.toHexString(room) + " at node " + node.nodeId());
            }
            assertEquals(ROOMS, roomsHeld(node));
        }
        assertEquals(2, sentWithoutRooms(members) - sentWithoutRoomsBefore,
            "one member sent the joiner its rooms, the two others none");
        assertEquals(3, joiner.core().snapshotServer().servedWithoutRooms(), "and it sent the members none");
        assertTrue(joiner.errors().isEmpty(), joiner.errors().toString());
    }

    @Test
    void shouldSendAJoinerEveryRoomButNotTheJoinersRoomsToTheRunningMember()
    {
        final SimNode founder = founderWithRooms();
        final SimNode joiner = join(2, founder);

        assertEquals(ROOMS, roomsHeld(joiner), "the joiner is sent the founder's rooms");
        assertEquals(0, founder.core().snapshotServer().servedWithoutRooms(), "asked by a node syncing first");
        assertEquals(1, joiner.core().snapshotServer().servedWithoutRooms(),
            "the running founder needs none of the rooms of a joiner that never changed one");
        assertTrue(founder.errors().isEmpty() && joiner.errors().isEmpty());
    }

    @Test
    void shouldSendTheRoomsOfAMemberThatChangedRoomsWhenAReplicasSyncOfItStartsOver()
    {
        final SimNode founder = founderWithRooms();
        final SimNode joiner = join(2, founder);
        final long joinersRoom = joiner.createRoom("made-by-the-joiner");
        network.runFor(ms(50));
        assertTrue(founder.state().roomExists(joinersRoom));

        // The founder misses the joiner's room (as if the message were lost) and syncs the joiner again.
        founder.state().removeRoom(joinersRoom);
        resync(founder, joiner);
        for (int step = 0; step < 3000 && !allRunningAndSynced(); step++)
        {
            network.runFor(ms(1));
        }
        assertTrue(allRunningAndSynced());
        assertTrue(founder.state().roomExists(joinersRoom), "the joiner changed a room: its table is sent");
        assertEquals(1, joiner.core().snapshotServer().servedWithoutRooms(), "only its first snapshot had none");
    }

    @Test
    void shouldSendNoRoomsOfAMemberThatNeverChangedOneWhenAReplicasSyncOfItStartsOver()
    {
        final SimNode founder = founderWithRooms();
        final SimNode joiner = join(2, founder);
        resync(founder, joiner);
        for (int step = 0; step < 3000 && !allRunningAndSynced(); step++)
        {
            network.runFor(ms(1));
        }
        assertTrue(allRunningAndSynced());
        assertEquals(2, joiner.core().snapshotServer().servedWithoutRooms());
        assertEquals(ROOMS, roomsHeld(founder));
    }

    @Test
    void shouldSendTheRoomsOfANodeThatLeftToTheNextJoinerThroughTheMembersThatStay()
    {
        // Only node 1 ever changed a room; once it is gone, node 2's table is the only source of those rooms.
        final SimNode founder = founderWithRooms();
        final SimNode second = join(2, founder);
        final SimNode third = join(3, founder);
        founder.crash();
        for (int step = 0; step < 5000 && null != second.core().member(founder.nodeId()); step++)
        {
            network.runFor(ms(1));
        }
        assertNull(second.core().member(founder.nodeId()), "the crashed founder is removed");

        final SimNode fourth = join(4, second);
        assertEquals(ROOMS, roomsHeld(fourth), "a node syncing first is sent every member's rooms");
        assertEquals(ROOMS, roomsHeld(third));
        assertTrue(fourth.errors().isEmpty(), fourth.errors().toString());
    }

    private SimNode startJoinerUntilTheSourceIsAsked(final SimNode seed)
    {
        final SimNode joiner = node(4);
        joiner.start(List.of(seed));
        final RoomSource roomSource = joiner.core().memberSync().roomSource();
        for (int step = 0; step < 3000 && !roomSource.sourceAsked(); step++)
        {
            network.runFor(ms(1));
        }
        assertTrue(roomSource.sourceAsked(), "the room source was asked");
        return joiner;
    }

    private SimNode simNodeOf(final Member member)
    {
        for (final SimNode node : nodes)
        {
            if (node.nodeId() == member.nodeId)
            {
                return node;
            }
        }
        throw new AssertionError("no node " + member);
    }

    private void awaitAllRunningAndSynced()
    {
        for (int step = 0; step < 10_000 && !allRunningAndSynced(); step++)
        {
            network.runFor(ms(1));
        }
        assertTrue(allRunningAndSynced());
        network.runFor(ms(100));
    }

    @Test
    void shouldTakeTheRoomsFromAnotherMemberWhenTheSourceIsGoneBeforeSendingThem()
    {
        final SimNode founder = founderWithRooms();
        join(2, founder);
        join(3, founder);
        final SimNode joiner = startJoinerUntilTheSourceIsAsked(founder);
        final Member source = joiner.core().memberSync().roomSource().source();
        assertFalse(joiner.core().memberSync().roomSource().roomsLoaded(), "crashed before its rooms arrived");
        simNodeOf(source).crash();

        awaitAllRunningAndSynced();
        assertNull(joiner.core().member(source.nodeId), "the crashed source is removed");
        assertTrue(joiner.core().memberSync().roomSource().roomsLoaded());
        assertEquals(ROOMS, roomsHeld(joiner), "another member sent the rooms");
        assertTrue(joiner.errors().isEmpty(), joiner.errors().toString());
    }

    @Test
    void shouldAskTheSourceAgainWhenAnotherMembersSnapshotStartsOverAfterItsFloor()
    {
        final SimNode founder = founderWithRooms();
        join(2, founder);
        join(3, founder);
        final SimNode joiner = startJoinerUntilTheSourceIsAsked(founder);
        final MemberSync sync = joiner.core().memberSync();
        final Member source = sync.roomSource().source();
        final long firstRequest = source.snapshotCorrelationId;
        Member other = null;
        for (final Member member : joiner.core().members())
        {
            other = member == source ? other : member;
        }
        // The source stalls before sending anything (a GC pause), so its rooms are still to come when the other
        // member's snapshot starts over and asks anew.
        final SimNode sourceNode = simNodeOf(source);
        sourceNode.pause();
        sync.restart(other, joiner.core().nowNs());
        for (int step = 0; step < 1000 && Member.Phase.AWAITING_SNAPSHOT != other.phase; step++)
        {
            network.runFor(ms(1));
        }
        assertEquals(Member.Phase.AWAITING_SNAPSHOT, other.phase, "asked again");
        sourceNode.resume();

        awaitAllRunningAndSynced();
        assertTrue(source.snapshotCorrelationId != firstRequest, "the source's snapshot started over");
        assertEquals(ROOMS, roomsHeld(joiner));
        assertTrue(joiner.errors().isEmpty(), joiner.errors().toString());
    }
}
