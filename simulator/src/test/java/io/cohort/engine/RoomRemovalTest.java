package io.cohort.engine;

import io.cohort.state.StateResult;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room with subscribers exists on every node, on the real core over the simulated network: a removal is refused
 * while any node's count in the room is above 0 as far as the remover knows, and a node that has subscribers in a
 * room a member removed anyway (the member had not seen them yet) announces the room again, so every node that
 * removed it holds it again; a node that learns of subscribers in a room it never knew asks for the room
 * ({@code ROOM_WANTED}). A room nobody subscribes to is removed everywhere, also at a node its removal reaches
 * before its creation ({@link CoveredCreations}).
 */
class RoomRemovalTest
{
    private static final long CONNECTION = 42;

    private final SimNetwork network = new SimNetwork(11, ms(1), 0, ms(5));
    private final List<SimNode> nodes = new ArrayList<>();
    private SimNode first;
    private SimNode second;
    private SimNode third;
    private long room;
    private boolean cutOff;

    @BeforeEach
    void formClusterOfThreeWithOneRoom()
    {
        first = node(1);
        first.start(List.of());
        network.runFor(ms(50));
        second = join(2);
        third = join(3);
        room = first.createRoom("orders");
        network.runFor(ms(50));
        assertHeldEverywhere("created");
    }

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    @Test
    void shouldRemoveARoomNobodySubscribesToEverywhere()
    {
        assertEquals(StateResult.ROOM_REMOVED, first.core().removeRoom(room));
        network.runFor(ms(50));

        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(room), node + " still holds the room");
        }
    }

    @Test
    void shouldRefuseToRemoveARoomAnotherNodeHasSubscribersIn()
    {
        assertEquals(StateResult.SUBSCRIBED, second.core().subscribe(CONNECTION, room));
        network.runFor(ms(50));
        assertEquals(1, first.state().roomCount(room), "the second node's count reached the first");

        assertEquals(StateResult.ROOM_IN_USE, first.core().removeRoom(room));
        network.runFor(ms(50));

        assertHeldEverywhere("refused");
    }

    @Test
    void shouldBringBackARoomRemovedWhileAnotherNodeSubscribedToIt()
    {
        // At the same instant: the first node cannot have seen the second node's count yet, so it removes the room.
        assertEquals(StateResult.SUBSCRIBED, second.core().subscribe(CONNECTION, room));
        assertEquals(StateResult.ROOM_REMOVED, first.core().removeRoom(room));
        assertEquals(0, first.state().roomCount(room));
        network.runFor(ms(100));

        assertHeldEverywhere("removed by a node that had not seen its subscriber");
        // The second node's count reached the first before its announcement (which follows the count on purpose):
        // the first asked for the room too, and was answered once more. A repair costs two small messages.
        assertEquals(1, first.core().publisher().roomsWanted());
        assertEquals(2, second.core().publisher().roomsAnnouncedAgain());
        for (final SimNode node : nodes)
        {
            assertEquals(1, node.state().ownerCount(second.nodeId(), room), node + "'s copy of the count");
        }

        // Once its last subscriber leaves, the room can go everywhere.
        assertEquals(StateResult.UNSUBSCRIBED, second.core().unsubscribe(CONNECTION, room));
        network.runFor(ms(50));
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(room));
        network.runFor(ms(50));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(room), node + " still holds the room");
        }
    }

    @Test
    void shouldAskForARoomItMissedOnceAMemberHasSubscribersInIt()
    {
        // As if the room's creation had never reached the third node: its sender gone before the third applied it.
        assertEquals(StateResult.ROOM_REMOVED, third.state().removeRoom(room));
        assertEquals(StateResult.SUBSCRIBED, second.core().subscribe(CONNECTION, room));
        network.runFor(ms(100));

        assertHeldEverywhere("asked for by the node that missed it");
        assertEquals(1, third.state().ownerCount(second.nodeId(), room));
        assertEquals(1, third.core().publisher().roomsWanted(), "each repair is counted");
        assertEquals(1, second.core().publisher().roomsAnnouncedAgain());
        assertEquals(0, first.core().publisher().roomsAnnouncedAgain(), "only a node with subscribers in it answers");
    }

    @Test
    void shouldNotMakeARoomWhoseRemovalOvertookItsCreation()
    {
        slowLink(first, third);
        final long late = first.createRoom("late");
        network.runFor(ms(5));
        assertTrue(second.state().roomExists(late), "the second node applied the creation");
        assertFalse(third.state().roomExists(late), "the creation is still on its way to the third node");

        // The second node removes it having applied the creation; its removal reaches the third node first.
        assertEquals(StateResult.ROOM_REMOVED, second.core().removeRoom(late));
        network.runFor(ms(10));
        assertFalse(third.state().roomExists(late));
        assertEquals(1, third.core().coveredCreations().size(), "the third node is behind the first's stream");

        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertEquals(1, third.core().coveredCreations().creationsUndone(), "the late creation was skipped");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldKeepARoomMadeAgainAfterItsRemovalWhereTheCreationArrivesFirst()
    {
        // The second node's frames reach the third 30 ms late: the first node applies the second's removal and makes
        // the room again before the removal reaches the third, which applies the creation first (the room is still
        // there) and the removal after it.
        final long late = first.createRoom("late");
        network.runFor(ms(50));
        slowLink(second, third);
        assertEquals(StateResult.ROOM_REMOVED, second.core().removeRoom(late));
        assertTrue(network.runUntil(() -> !first.state().roomExists(late), ms(10)), "the first applied it");
        assertEquals(late, first.createRoom("late"));
        assertTrue(network.runUntil(() -> second.state().roomExists(late), ms(10)), "the creation is on its way");

        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertTrue(node.state().roomExists(late), node + " lacks a room made again after its removal");
        }
        assertEquals(1, third.core().roomHistory().removalsOutrun(), "the removal had not seen the creation");
        assertEquals(0, first.core().roomHistory().removalsOutrun());
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldKeepARoomTwoNodesCreatedAtOnceWhereARemovalSawOnlyOneCreation()
    {
        // The first and second nodes create the same room at once (each lacked it); the second's frames reach the
        // third 30 ms late, so the third removes the room having applied the first's creation only. Its removal
        // reaches the first and second after both creations (they keep the room: it had not seen the second's),
        // and the third applies the second's creation after it (the room comes back there).
        slowLink(second, third);
        final long twice = first.createRoom("twice");
        assertEquals(twice, second.createRoom("twice"), "both made it: neither had the other's yet");
        assertTrue(network.runUntil(() -> third.state().roomExists(twice), ms(10)), "the first's creation arrived");
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(twice));

        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertTrue(node.state().roomExists(twice), node + " lacks a room the removal had not seen made by all");
        }
        assertEquals(1, first.core().roomHistory().removalsOutrun(), "the second's creation outran the removal");
        assertEquals(1, second.core().roomHistory().removalsOutrun(), "its own creation outran it");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldNotMakeAtAJoinerARoomItsTableHoldsRemovedWhenItReplaysTheCreation()
    {
        // The joiner's commands to the third node are lost until the room is gone, so the third node's snapshot
        // starts after its removal (the joiner replays none of it) and the second's before the creation (replayed).
        final SimNode joiner = startJoinerCutOffFromTheThird();
        final long late = second.createRoom("late");
        assertTrue(network.runUntil(() -> third.state().roomExists(late), ms(100)));
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(late));

        finishJoin(joiner);
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertTrue(joiner.core().applier().roomChangesInTable() > 0, "the creation replayed was in the table");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldSendAJoinerTheRoomsOnlyOnceTheSourceAppliedTheCreationsItsRemovalsUndid()
    {
        // As above, and the second node's frames reach the first 30 ms late: the first applies the third's removal
        // before the second's creation, and its table lacks the room before it has applied the creation too.
        slowLink(second, first);
        final SimNode joiner = startJoinerCutOffFromTheThird();
        final long late = second.createRoom("late");
        assertTrue(network.runUntil(() -> third.state().roomExists(late), ms(100)));
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(late));
        assertTrue(network.runUntil(() -> first.core().coveredCreations().size() > 0, ms(10)),
            "the removal reached the first node before the creation");
        assertEquals(0, first.core().coveredCreations().creationsUndone(), "which is still on its way");

        finishJoin(joiner);
        assertEquals(first.nodeId(), joiner.core().memberSync().roomSource().source().nodeId,
            "the first node sent the joiner its rooms");
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertEquals(1, first.core().coveredCreations().creationsUndone());
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldNotMakeARoomAgainFromAMembersTableOlderThanItsRemoval()
    {
        // The first node created the room, so its snapshot carries its whole room table; the third node's frames
        // reach it 30 ms late, so that table still holds the room the third removed when the second node, which
        // applied the removal, loads it (its sync of the first starts over: a desync).
        final long late = first.createRoom("late");
        network.runFor(ms(50));
        slowLink(third, first);
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(late));
        assertTrue(network.runUntil(() -> !second.state().roomExists(late), ms(10)), "the second applied it");
        assertTrue(first.state().roomExists(late), "the removal is still on its way to the first node");

        second.core().memberSync().restart(second.core().member(first.nodeId()), second.core().nowNs());
        assertTrue(network.runUntil(this::allRunningAndSynced, ms(1000)), () -> second + " " + second.core().state());
        assertTrue(first.state().roomExists(late), "the second loaded the first's table before the removal arrived");

        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertEquals(1, second.core().roomHistory().tableRoomsSkipped(), "the table's room was skipped");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldNotMakeARoomAgainFromAnOlderTableAtAJoinerThatTookTheRemovalWithItsTable()
    {
        // The second node created the room, so its snapshot carries its whole room table; the third node's frames
        // reach it 400 ms late. The first applied the third's removal, and a joiner takes its table from the first:
        // it never applies the removal itself (it is in the table), so only the first's record of it, sent with the
        // table, keeps the second's older table from making the room again at the joiner when it loads it.
        final long late = second.createRoom("late");
        network.runFor(ms(50));
        slowLink(third, second, ms(400));
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(late));
        assertTrue(network.runUntil(() -> !first.state().roomExists(late), ms(10)), "the first applied it");

        final SimNode joiner = join(4);
        assertEquals(first.nodeId(), joiner.core().memberSync().roomSource().source().nodeId,
            "the joiner took its table from the first node");
        assertTrue(joiner.core().roomHistory().removalsImported() > 0, "with the first's record of the removal");
        assertTrue(second.state().roomExists(late), "the removal is still on its way to the second node");

        joiner.core().memberSync().restart(joiner.core().member(second.nodeId()), joiner.core().nowNs());
        assertTrue(network.runUntil(this::allRunningAndSynced, ms(1000)), () -> joiner + " " + joiner.core().state());
        assertTrue(second.state().roomExists(late), "the joiner loaded the second's table before the removal arrived");

        network.runFor(ms(500));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertEquals(1, joiner.core().roomHistory().tableRoomsSkipped(), "the table's room was skipped");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldApplyAMembersRemovalLostWithItsFrameOnceItsCopyIsTakenAgain()
    {
        // The third node removes a room the second made; the frame carrying the removal never reaches the first,
        // whose copy of the third is then taken again (a desync). The third's table only adds rooms, and the removal
        // is before its snapshot's start (no replay brings it): only its record, sent with the table, removes it.
        final long late = second.createRoom("late");
        network.runFor(ms(50));
        network.syncFault(new SimNetwork.SyncFault()
        {
            public int copies(final long from, final long to, final byte[] message)
            {
                if (cutOff && from == third.nodeId() && to == first.nodeId())
                {
                    cutOff = false;
                    return 0;
                }
                return 1;
            }
        });
        cutOff = true;
        assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(late));
        assertTrue(network.runUntil(() -> !cutOff, ms(10)), "the frame with the removal was dropped");
        first.core().memberSync().restart(first.core().member(third.nodeId()), first.core().nowNs());

        assertTrue(network.runUntil(this::allRunningAndSynced, ms(1000)), () -> first + " " + first.core().state());
        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(late), node + " holds a room removed everywhere else");
        }
        assertEquals(1, first.core().applier().lostRemovalsRecovered(), "from the third's record of it");
        assertHeldEverywhere("the other room is untouched");
    }

    @Test
    void shouldNotLetAJoinerServeBeforeEveryMemberOpenedASnapshotOfIt()
    {
        // The second node's commands to the joiner are lost from the moment the joiner has synced it: its request
        // for the joiner's snapshot, sent once the view lets the joiner in, is asked again only after the command
        // timeout (1 s). A room the joiner removed meanwhile would be at or before that snapshot's start, and a
        // member's room table only adds rooms: the second node would keep it. The joiner waits for it up to a
        // heartbeat timeout (500 ms).
        final SimNode joiner = node(4);
        network.commandFault((from, to) -> cutOff && from == second.nodeId() && to == joiner.nodeId());
        joiner.start(List.of(first));
        assertTrue(network.runUntil(() -> synced(joiner, second), ms(3000)), "the joiner synced the second node");
        cutOff = true;
        assertFalse(network.runUntil(() -> NodeState.RUNNING == joiner.core().state(), ms(300)),
            "the joiner serves only once the second node has opened a snapshot of it");

        cutOff = false;
        assertTrue(network.runUntil(this::allRunningAndSynced, ms(3000)), () -> joiner + " " + joiner.core().state());
        assertEquals(StateResult.ROOM_REMOVED, joiner.core().removeRoom(room));
        network.runFor(ms(100));
        for (final SimNode node : nodes)
        {
            assertFalse(node.state().roomExists(room), node + " holds a room removed everywhere else");
        }
    }

    @Test
    void shouldAnnounceAgainARoomMadeByARemovedMemberWhoseCreationReachedOnlySomeMembers()
    {
        final long brief = lastWordsOfTheThirdReachOnlyTheFirst(
            () -> third.createRoom("brief"), (changed) -> first.state().roomExists(changed));

        assertTrue(first.state().roomExists(brief), "the creation reached the first");
        assertTrue(second.state().roomExists(brief), "the first announced it again once the third was removed");
        assertEquals(1, first.core().removedMemberRooms().announced());
        assertEquals(0, second.core().removedMemberRooms().announced(), "the second had nothing of it to announce");
    }

    @Test
    void shouldPublishAgainARoomRemovalByARemovedMemberThatReachedOnlySomeMembers()
    {
        lastWordsOfTheThirdReachOnlyTheFirst(() ->
        {
            assertEquals(StateResult.ROOM_REMOVED, third.core().removeRoom(room));
            return room;
        }, (changed) -> !first.state().roomExists(changed));

        assertFalse(first.state().roomExists(room), "the removal reached the first");
        assertFalse(second.state().roomExists(room), "the first published it again once the third was removed");
        assertEquals(1, first.core().removedMemberRooms().announced());
    }

    @Test
    void shouldAnnounceAgainTheRoomsARemovedMembersTableMadeAtANodeThatJoinedFromIt()
    {
        tableOfTheThirdIsTheJoinersAlone(false);
    }

    @Test
    void shouldAnnounceAgainTheRoomsARemovedMembersTableMadeAtAMemberThatJustJoinedFromIt()
    {
        tableOfTheThirdIsTheJoinersAlone(true);
    }

    private void tableOfTheThirdIsTheJoinersAlone(final boolean killedOnceTheJoinerServes)
    {
        // The third node's stream no longer reaches the other two (its commands do: it keeps its lease); a room it
        // makes reaches neither. A fourth node joins through it and takes its room table from it (the others' frames
        // reach the joiner 30 ms late, so the third is the first member asked for a snapshot: the room source). The
        // third is killed once the joiner has synced it: the joiner is then the only node holding the room, and must
        // announce it once the third is removed, whether it is still joining then or already serves.
        final long joinerId = 4;
        network.syncFault(new SimNetwork.SyncFault()
        {
            public int copies(final long from, final long to, final byte[] message)
            {
                return from == third.nodeId() && to != joinerId ? 0 : 1;
            }

            public long reorderDelayNs(final long from, final long to)
            {
                return to == joinerId && from != third.nodeId() ? ms(30) : 0;
            }
        });
        final long lone = third.createRoom("lone");
        final SimNode joiner = node(joinerId);
        joiner.start(List.of(third));
        assertTrue(network.runUntil(() -> synced(joiner, third) && joiner.state().roomExists(lone), ms(3000)),
            "the joiner took the room with the third's table");
        assertEquals(third.nodeId(), joiner.core().memberSync().tableThatMade(lone), "the third's table made it");
        if (killedOnceTheJoinerServes)
        {
            // Then the joiner is a member when the third is removed: the table it took is recent.
            assertTrue(network.runUntil(() -> NodeState.RUNNING == joiner.core().state(), ms(3000)), "it serves");
        }
        third.crash();

        assertTrue(network.runUntil(() -> NodeState.RUNNING == joiner.core().state() &&
            null == first.core().member(third.nodeId()) && null == joiner.core().member(third.nodeId()) &&
            first.state().roomExists(lone) && second.state().roomExists(lone), ms(5000)),
            () -> "the room reaches the others once the third is removed: " + joiner.core().state() + " " +
            first.state().roomExists(lone) + " " + second.state().roomExists(lone));
        assertTrue(joiner.core().removedMemberRooms().announced() >= 1, "the joiner announced it again");
    }

    /**
     * The third node's link with the second is cut, both ways; the third changes a room, and is killed once the
     * change reached the first (never the second). Returns the room once the view without the third is installed on
     * both survivors and what follows has settled.
     */
    private long lastWordsOfTheThirdReachOnlyTheFirst(
        final java.util.function.LongSupplier change, final java.util.function.LongPredicate reachedTheFirst)
    {
        network.addCut(new SimNetwork.Cut(id -> id == third.nodeId(), id -> id == second.nodeId(), true));
        final long changed = change.getAsLong();
        assertTrue(network.runUntil(() -> reachedTheFirst.test(changed), ms(100)), "the change reached the first");
        third.crash();
        assertTrue(network.runUntil(() -> null == first.core().member(third.nodeId()) &&
            null == second.core().member(third.nodeId()), ms(3000)), "both survivors removed the third");
        network.runFor(ms(100));
        return changed;
    }

    private static boolean synced(final SimNode joiner, final SimNode member)
    {
        final Member copy = joiner.core().member(member.nodeId());
        return null != copy && copy.isSynced();
    }

    /**
     * Every sync frame of one node reaches another 30 ms late (all of them, so they stay in order).
     */
    private void slowLink(final SimNode sender, final SimNode receiver)
    {
        slowLink(sender, receiver, ms(30));
    }

    /**
     * Every sync frame of one node reaches another late (all of them, so they stay in order).
     */
    private void slowLink(final SimNode sender, final SimNode receiver, final long delayNs)
    {
        network.syncFault(new SimNetwork.SyncFault()
        {
            public int copies(final long from, final long to, final byte[] message)
            {
                return 1;
            }

            public long reorderDelayNs(final long from, final long to)
            {
                return from == sender.nodeId() && to == receiver.nodeId() ? delayNs : 0;
            }
        });
    }

    private SimNode startJoinerCutOffFromTheThird()
    {
        final long joinerId = 4;
        network.commandFault((from, to) -> cutOff && from == joinerId && to == third.nodeId());
        cutOff = true;
        final SimNode joiner = node(joinerId);
        joiner.start(List.of(first));
        assertTrue(network.runUntil(() -> snapshotStarted(joiner, second), ms(3000)), "the second's snapshot began");
        return joiner;
    }

    private void finishJoin(final SimNode joiner)
    {
        network.runFor(ms(2));
        cutOff = false;
        // Asked again now rather than after the command timeout: the room is still on its way where links are slow.
        joiner.core().memberSync().restart(joiner.core().member(third.nodeId()), joiner.core().nowNs());
        assertTrue(network.runUntil(this::allRunningAndSynced, ms(5000)), () -> joiner + " " + joiner.core().state());
        network.runFor(ms(100));
    }

    private static boolean snapshotStarted(final SimNode joiner, final SimNode member)
    {
        final Member copy = joiner.core().member(member.nodeId());
        return null != copy && copy.snapshotStartKnown;
    }

    private void assertHeldEverywhere(final String when)
    {
        for (final SimNode node : nodes)
        {
            assertTrue(node.state().roomExists(room), node + " lacks the room: " + when);
        }
    }

    private SimNode node(final long nodeId)
    {
        final SimNode node = SmallNodes.node(network, nodeId);
        nodes.add(node);
        return node;
    }

    private SimNode join(final long nodeId)
    {
        final SimNode joiner = node(nodeId);
        joiner.start(List.of(first));
        assertTrue(network.runUntil(this::allRunningAndSynced, ms(5000)), () -> joiner + " " + joiner.core().state());
        network.runFor(ms(50));
        return joiner;
    }

    private boolean allRunningAndSynced()
    {
        return nodes.stream().allMatch(SimNode::runningAndSynced);
    }
}
