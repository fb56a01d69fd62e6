package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.RoomRemovedEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule that a removal undoes only the creations its sender had seen: a creation applied here past what the
 * removal says its sender had applied of the creator's stream keeps the room.
 */
class RoomCreationsTest
{
    private static final long SELF = 1;
    private static final long SELF_INCARNATION = 100;
    private static final long REMOVER = 2;
    private static final long REMOVER_INCARNATION = 200;
    private static final long CREATOR = 3;
    private static final long CREATOR_INCARNATION = 300;
    private static final long ROOM = 77;

    private final RoomCreations creations = new RoomCreations(SELF, SELF_INCARNATION);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final RoomRemovedDecoder decoder = new RoomRemovedDecoder();

    @Test
    void shouldKeepARoomWhoseCreationTheRemoverHadNotSeen()
    {
        creations.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);

        assertTrue(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION));
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40), REMOVER, REMOVER_INCARNATION),
            "the remover had applied the creation");
        assertFalse(creations.outrun(removal(ROOM + 1, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "another room");
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION + 1, 1), REMOVER,
            REMOVER_INCARNATION), "a removal that says nothing of the creator's incarnation undoes it as before");
        assertEquals(1, creations.removalsOutrun());
    }

    @Test
    void shouldLetARemovalUndoItsSendersOwnCreation()
    {
        creations.onCreation(ROOM, REMOVER, REMOVER_INCARNATION, 40);
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "the remover's creation is before its removal on its own stream");
    }

    @Test
    void shouldKeepTheRoomWhileAnyOfItsCreationsIsUnseenWhateverOrderTheyCameIn()
    {
        creations.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        creations.onCreation(ROOM, 4, 400, 9);

        assertTrue(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "the first creation, not the latest, is the unseen one");
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION));
        assertEquals(1, creations.rooms());
    }

    @Test
    void shouldForgetARoomsCreationsOnceItIsRemovedHere()
    {
        creations.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        creations.onRemoved(ROOM);
        assertEquals(0, creations.rooms());
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION));

        creations.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 50);
        creations.clear();
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "a forgotten table's creations are forgotten with it");
    }

    @Test
    void shouldHoldThisNodesOwnCreationPastEverySequenceUntilItIsPublished()
    {
        creations.onOwnCreation(ROOM);
        assertTrue(creations.outrun(removal(ROOM, SELF, SELF_INCARNATION, 1_000_000), REMOVER, REMOVER_INCARNATION),
            "no other node has seen a creation not yet published");

        creations.onOwnCreationPublished(ROOM, 60);
        assertTrue(creations.outrun(removal(ROOM, SELF, SELF_INCARNATION, 59), REMOVER, REMOVER_INCARNATION));
        assertFalse(creations.outrun(removal(ROOM, SELF, SELF_INCARNATION, 60), REMOVER, REMOVER_INCARNATION));

        creations.onOwnCreationPublished(ROOM, 90);
        assertFalse(creations.outrun(removal(ROOM, SELF, SELF_INCARNATION, 60), REMOVER, REMOVER_INCARNATION),
            "an announcement again does not move a published creation");
    }

    @Test
    void shouldDropTheOldestBeyondItsBoundAndKeepTheRestOfARoomsCreations()
    {
        creations.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        creations.onCreation(ROOM, 4, 400, 9);
        for (long room = 1000; room < 1000 + RoomCreations.MAX_ENTRIES - 2; room++)
        {
            creations.onCreation(room, CREATOR, CREATOR_INCARNATION, 40);
        }
        assertTrue(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "both of the room's creations are kept");

        creations.onCreation(5, CREATOR, CREATOR_INCARNATION, 40);
        assertFalse(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "the room's oldest creation was written over: the removal undoes it as before");
        assertTrue(creations.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 8), REMOVER,
            REMOVER_INCARNATION), "its latest is still kept");

        creations.onCreation(6, CREATOR, CREATOR_INCARNATION, 40);
        creations.onCreation(ROOM, 4, 400, 20);
        assertTrue(creations.outrun(removal(ROOM, 4, 400, 19), REMOVER, REMOVER_INCARNATION),
            "a room whose latest creation was written over keeps the ones made since");
        assertFalse(creations.outrun(removal(ROOM, 4, 400, 20), REMOVER, REMOVER_INCARNATION));
        assertFalse(creations.outrun(removal(1000, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION),
            "the oldest room's slot went to the room's new creation");
        assertTrue(creations.outrun(removal(1001, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION));
        assertEquals(RoomCreations.MAX_ENTRIES, creations.rooms(), "every slot holds some room's latest creation");
    }

    private RoomRemovedDecoder removal(final long roomId, final long... covered)
    {
        final int count = covered.length / 3;
        final RoomRemovedEncoder encoder = new RoomRemovedEncoder().wrap(buffer, 0).roomId(roomId).coveredCount(count);
        for (int i = 0; i < count; i++)
        {
            encoder.covered(i, covered[3 * i], covered[3 * i + 1], covered[3 * i + 2]);
        }
        return decoder.wrap(buffer, 0, RoomRemovedEncoder.bodyLength(count));
    }
}
