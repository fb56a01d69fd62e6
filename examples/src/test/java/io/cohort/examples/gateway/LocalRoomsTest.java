package io.cohort.examples.gateway;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalRoomsTest
{
    private final LocalRooms rooms = new LocalRooms();
    private final ClientSession alice = new ClientSession(null, 1);
    private final ClientSession bob = new ClientSession(null, 2);

    @Test
    void shouldCountTheRoomsThatRouteToAClient()
    {
        assertTrue(rooms.add(10, "a", alice));
        assertFalse(rooms.add(10, "a", alice), "already routed");
        assertTrue(rooms.add(11, "b", alice));
        assertTrue(rooms.add(10, "a", bob));
        assertEquals(2, alice.routes().get());
        assertEquals(Set.of(alice, bob), rooms.room(10).clients);
        assertEquals("a", rooms.room(10).name);

        assertTrue(rooms.remove(11, alice));
        assertFalse(rooms.remove(11, alice), "no longer routed");
        assertNull(rooms.room(11), "a room leaves the index with its last local client");
        assertEquals(1, alice.routes().get());
    }

    @Test
    void shouldRemoveAClosingClientFromTheRoomsTheNodeCountsWithoutAScan()
    {
        rooms.add(10, "a", alice);
        rooms.add(11, "b", alice);
        rooms.add(11, "b", bob);

        assertEquals(0, rooms.removeClient(alice, new long[]{ 11, 10, 99 }, 2));
        assertNull(rooms.room(10));
        assertEquals(Set.of(bob), rooms.room(11).clients);
        assertEquals(0, alice.routes().get());
        assertEquals(1, bob.routes().get());
    }

    @Test
    void shouldFindTheRoomsWhoseSubscribeTheNodeHasNotCarriedOutYet()
    {
        rooms.add(10, "a", alice);
        rooms.add(11, "b", alice); // queued, not yet counted by the node
        rooms.add(12, "c", bob);

        assertEquals(1, rooms.removeClient(alice, new long[]{ 10 }, 1));
        assertNull(rooms.room(10));
        assertNull(rooms.room(11));
        assertEquals(Set.of(bob), rooms.room(12).clients);
        assertEquals(0, alice.routes().get());
    }
}
