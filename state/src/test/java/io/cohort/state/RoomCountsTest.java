package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomCountsTest
{
    private static final int NODES = 64;
    private static final int ROOMS = 2_000;

    private SubscriptionState state;

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @Test
    void shouldHoldEveryOwnerOfAClusterAtTheDefaultSizeInOneRoom()
    {
        state = new SubscriptionState(TestStates.smallContext().maxNodes(NODES), (roomId, previous, count) -> { });
        final long room = TestStates.createRoom(state, 1);
        assertEquals(StateResult.SUBSCRIBED, state.subscribe(1, room));
        long expected = 1;
        for (long owner = 2; owner <= NODES; owner++)
        {
            assertEquals(StateResult.APPLIED, state.applyRemote(owner, room, owner));
            expected += owner;
            assertEquals(expected, state.roomCount(room));
            assertEquals(1, state.localCount(room));
        }
        assertEquals(StateResult.OWNERS_FULL, state.applyRemote(NODES + 1, room, 1));

        final List<Long> routed = new ArrayList<>();
        assertEquals(NODES, state.forEachOwnerWithSubscribers(room, routed::add));
        assertEquals(NODES, routed.size());
        assertTrue(routed.contains(LOCAL_NODE));
        assertEquals(expected, state.newReader().roomCount(room));
        for (long owner = 2; owner <= NODES; owner++)
        {
            assertEquals(owner, state.ownerCount(owner, room));
            assertEquals(RowDigest.mix(room, owner), state.ownerDigest(owner));
        }

        assertEquals(StateResult.APPLIED, state.applyRemote(33, room, 0));
        assertEquals(expected - 33, state.roomCount(room));
        assertFalse(state.hasSubscribers(33, room));
        assertEquals(StateResult.UNSUBSCRIBED, state.unsubscribe(1, room));
        assertEquals(expected - 34, state.roomCount(room));
    }

    @Test
    void shouldForgetARemovedOwnerAtOnceAndSweepItsCountsInBoundedSteps()
    {
        state = new SubscriptionState(TestStates.smallContext().maxRooms(ROOMS).maxNodes(3),
            (roomId, previous, count) -> { });
        final StateReader reader = state.newReader();
        for (long room = 1; room <= ROOMS; room++)
        {
            state.applyRemote(100, room, room);
            state.applyRemote(200, room, 1);
        }
        final long digestOf200 = state.ownerDigest(200);

        assertEquals(ROOMS, state.removeOwner(100));
        assertEquals(RowDigest.EMPTY, state.ownerDigest(100));
        assertEquals(0, state.ownerRows(100));
        assertEquals(1, state.roomCount(7));
        assertEquals(1, reader.roomCount(7));
        assertTrue(state.isSweepingRemovedOwners());

        // The owner comes straight back (a re-sync) while its old counts are swept: it gets a fresh slot.
        assertEquals(StateResult.APPLIED, state.applyRemote(100, 7, 70));
        assertEquals(70, state.ownerCount(100, 7));
        assertEquals(71, state.roomCount(7));
        assertEquals(RowDigest.mix(7, 70), state.ownerDigest(100));
        assertEquals(1, state.ownerRows(100));

        int steps = 0;
        int visited = 0;
        int step;
        while ((step = state.sweepRemovedOwners(32)) > 0)
        {
            steps++;
            visited += step;
            assertTrue(step < ROOMS, "one step visited " + step + " entries");
            assertEquals(71, state.roomCount(7));
            assertEquals(1, state.roomCount(8));
        }
        assertTrue(steps > 1, "swept in " + steps + " steps");
        assertTrue(visited >= ROOMS, "visited " + visited);
        assertFalse(state.isSweepingRemovedOwners());
        assertEquals(70, state.ownerCount(100, 7));
        assertEquals(digestOf200, state.ownerDigest(200));
        assertEquals(RowDigest.mix(7, 70), state.ownerDigest(100));
        assertEquals(ROOMS + 1, state.totalRows());

        // Once swept, removing the other owner leaves only owner 100's row: the map can fill up again.
        assertEquals(ROOMS, state.removeOwner(200));
        while (state.sweepRemovedOwners(ROOMS) > 0)
        {
            assertEquals(70, state.roomCount(7));
        }
        for (long room = ROOMS + 1; room < 2 * ROOMS; room++)
        {
            assertEquals(StateResult.APPLIED, state.applyRemote(300, room, 1), "room " + room);
        }
        assertEquals(StateResult.ROOM_COUNTS_FULL, state.applyRemote(300, 2 * ROOMS, 1));
    }

    @Test
    void shouldFinishASweepWhenEverySpareSlotAwaitsOne()
    {
        state = new SubscriptionState(TestStates.smallContext().maxNodes(2), (roomId, previous, count) -> { });
        for (long owner = 100; owner < 110; owner++)
        {
            assertEquals(StateResult.APPLIED, state.applyRemote(owner, 5, owner));
            assertEquals(owner, state.roomCount(5));
            assertEquals(1, state.removeOwner(owner));
            assertEquals(0, state.roomCount(5));
        }
        while (state.sweepRemovedOwners(1) > 0)
        {
            assertEquals(0, state.roomCount(5));
        }
        assertEquals(0, state.totalRows());
        assertEquals(1, state.owners());
    }
}
