package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.RoomRemovedEncoder;
import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two rules of a room's history: a removal undoes only the creations its sender had seen (a creation applied
 * here past what the removal says its sender had applied of the creator's stream keeps the room), and a room of a
 * member's table is skipped while the table's sender had applied less of the remover's stream than the room's last
 * removal here.
 */
class RoomHistoryTest
{
    private static final long SELF = 1;
    private static final long SELF_INCARNATION = 100;
    private static final long REMOVER = 2;
    private static final long REMOVER_INCARNATION = 200;
    private static final long CREATOR = 3;
    private static final long CREATOR_INCARNATION = 300;
    private static final long ROOM = 77;

    private final LongHashSet roomsHere = new LongHashSet();
    private long nowNs;
    private final RoomHistory history = new RoomHistory(SELF, SELF_INCARNATION, roomsHere::contains, () -> nowNs);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();
    private final RoomRemovedDecoder removalDecoder = new RoomRemovedDecoder();

    @Test
    void shouldKeepARoomWhoseCreationTheRemoverHadNotSeen()
    {
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);

        assertTrue(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION));
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40), REMOVER, REMOVER_INCARNATION),
            "the remover had applied the creation");
        assertFalse(history.outrun(removal(ROOM + 1, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "another room");
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION + 1, 1), REMOVER,
            REMOVER_INCARNATION), "a removal that says nothing of the creator's incarnation undoes it as before");
        assertEquals(1, history.removalsOutrun());
    }

    @Test
    void shouldLetARemovalUndoItsSendersOwnCreation()
    {
        history.onCreation(ROOM, REMOVER, REMOVER_INCARNATION, 40);
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "the remover's creation is before its removal on its own stream");
    }

    @Test
    void shouldKeepTheRoomWhileAnyOfItsCreationsIsUnseenWhateverOrderTheyCameIn()
    {
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        history.onCreation(ROOM, 4, 400, 9);

        assertTrue(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "the first creation, not the latest, is the unseen one");
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION));
        assertEquals(1, history.rooms());
    }

    @Test
    void shouldForgetARoomsCreationsOnceItIsRemovedHere()
    {
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        history.onRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 41);
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION));

        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 50);
        history.clear();
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 1), REMOVER, REMOVER_INCARNATION),
            "a forgotten table's creations are forgotten with it");
    }

    @Test
    void shouldHoldThisNodesOwnCreationPastEverySequenceUntilItIsPublished()
    {
        history.onOwnCreation(ROOM);
        assertTrue(history.outrun(removal(ROOM, SELF, SELF_INCARNATION, 1_000_000), REMOVER, REMOVER_INCARNATION),
            "no other node has seen a creation not yet published");

        history.onOwnChangePublished(ROOM, false, 60);
        assertTrue(history.outrun(removal(ROOM, SELF, SELF_INCARNATION, 59), REMOVER, REMOVER_INCARNATION));
        assertFalse(history.outrun(removal(ROOM, SELF, SELF_INCARNATION, 60), REMOVER, REMOVER_INCARNATION));

        history.onOwnChangePublished(ROOM, false, 90);
        assertFalse(history.outrun(removal(ROOM, SELF, SELF_INCARNATION, 60), REMOVER, REMOVER_INCARNATION),
            "an announcement again does not move a published creation");
    }

    @Test
    void shouldDropTheOldestBeyondItsBoundAndKeepTheRestOfARoomsCreations()
    {
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40);
        history.onCreation(ROOM, 4, 400, 9);
        for (long room = 1000; room < 1000 + RoomHistory.MAX_ENTRIES - 2; room++)
        {
            history.onCreation(room, CREATOR, CREATOR_INCARNATION, 40);
        }
        assertTrue(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "both of the room's creations are kept");

        history.onCreation(5, CREATOR, CREATOR_INCARNATION, 40);
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 9), REMOVER,
            REMOVER_INCARNATION), "the room's oldest creation was written over: the removal undoes it as before");
        assertTrue(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 39, 4, 400, 8), REMOVER,
            REMOVER_INCARNATION), "its latest is still kept");

        history.onCreation(6, CREATOR, CREATOR_INCARNATION, 40);
        history.onCreation(ROOM, 4, 400, 20);
        assertTrue(history.outrun(removal(ROOM, 4, 400, 19), REMOVER, REMOVER_INCARNATION),
            "a room whose latest creation was written over keeps the ones made since");
        assertFalse(history.outrun(removal(ROOM, 4, 400, 20), REMOVER, REMOVER_INCARNATION));
        assertFalse(history.outrun(removal(1000, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION),
            "the oldest room's slot went to the room's new creation");
        assertTrue(history.outrun(removal(1001, CREATOR, CREATOR_INCARNATION, 39), REMOVER, REMOVER_INCARNATION));
        assertEquals(RoomHistory.MAX_ENTRIES, history.rooms(), "every slot holds some room's latest creation");
    }

    @Test
    void shouldSkipARoomOnlyWhileTheTablesSenderHadNotAppliedTheRemoval()
    {
        history.onRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 50);

        assertTrue(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 })));
        assertFalse(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 50 })),
            "a sender that applied the removal and holds the room made it again");
        assertFalse(history.outdates(ROOM + 1, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 })),
            "another room");
        assertFalse(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION + 1, 1 })),
            "a table that says nothing of the remover's incarnation is loaded as before");
        assertFalse(history.outdates(ROOM, streams()), "nor one that says nothing at all");
        assertEquals(1, history.tableRoomsSkipped());
    }

    @Test
    void shouldCountOnlyTheLatestRemovalOfARoom()
    {
        history.onRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 50);
        history.onRemoval(ROOM, 3, 300, 7);

        assertEquals(1, history.rooms());
        assertFalse(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 },
            new long[]{ 3, 300, 7 })), "the sender had applied the latest removal");
        assertTrue(history.outdates(ROOM, streams(new long[]{ 3, 300, 6 })));
    }

    @Test
    void shouldHoldNoTombstoneOnceTheRoomExistsHereAgain()
    {
        history.onRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 50);
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 3);
        assertFalse(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 })));

        history.onRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 60);
        roomsHere.add(ROOM);
        assertFalse(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 })),
            "made again by an earlier table: this one changes nothing");
        assertEquals(0, history.tableRoomsSkipped());
    }

    @Test
    void shouldHoldThisNodesOwnRemovalPastEverySequenceUntilItIsPublished()
    {
        history.onOwnRemoval(ROOM);
        assertTrue(history.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 1_000_000 })),
            "no other node has applied a removal not yet published");

        history.onOwnChangePublished(ROOM, true, 40);
        assertTrue(history.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 39 })));
        assertFalse(history.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 40 })));

        history.onOwnChangePublished(ROOM, true, 90);
        assertFalse(history.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 40 })),
            "a published removal keeps its sequence");
    }

    @Test
    void shouldDropTheOldestBeyondItsBoundAndEverythingWhenCleared()
    {
        for (long room = 1; room <= RoomHistory.MAX_ENTRIES + 2; room++)
        {
            history.onRemoval(room, REMOVER, REMOVER_INCARNATION, 50);
        }
        assertEquals(RoomHistory.MAX_ENTRIES, history.rooms());
        final TableStreams before = streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 });
        assertFalse(history.outdates(1, before), "the oldest went first");
        assertFalse(history.outdates(2, before));
        assertTrue(history.outdates(3, before));
        assertTrue(history.outdates(RoomHistory.MAX_ENTRIES + 2, before));

        history.clear();
        assertEquals(0, history.rooms());
        assertFalse(history.outdates(3, before), "a forgotten table's removals are forgotten with it");
    }

    @Test
    void shouldKeepAMembersRecordOfARemovalOnlyForARoomWithNoHistoryHereAndAbsent()
    {
        assertTrue(history.importRemoval(ROOM, REMOVER, REMOVER_INCARNATION, 50));
        assertTrue(history.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 })),
            "kept as if applied here: an older table does not make the room again");

        history.onCreation(ROOM + 1, CREATOR, CREATOR_INCARNATION, 3);
        assertFalse(history.importRemoval(ROOM + 1, REMOVER, REMOVER_INCARNATION, 60),
            "a room with its own history here: a removal from elsewhere would end its chain of creations");
        assertTrue(history.outrun(removal(ROOM + 1, CREATOR, CREATOR_INCARNATION, 2), REMOVER, REMOVER_INCARNATION),
            "the creation applied here still outruns a removal that had not seen it");

        roomsHere.add(ROOM + 2);
        assertFalse(history.importRemoval(ROOM + 2, REMOVER, REMOVER_INCARNATION, 70), "a room present here");
        assertEquals(1, history.removalsImported());
    }

    @Test
    void shouldVisitTheLatestPublishedRemovalOfEachRoomAbsentHereInBoundedSteps()
    {
        history.onRemoval(10, REMOVER, REMOVER_INCARNATION, 50);
        history.onCreation(11, CREATOR, CREATOR_INCARNATION, 3);
        history.onRemoval(12, REMOVER, REMOVER_INCARNATION, 51);
        history.onRemoval(12, CREATOR, CREATOR_INCARNATION, 4);
        history.onOwnRemoval(13);
        history.onRemoval(14, REMOVER, REMOVER_INCARNATION, 52);
        roomsHere.add(14);
        history.onOwnRemoval(15);
        history.onOwnChangePublished(15, true, 9);
        history.onRemoval(10, REMOVER, REMOVER_INCARNATION, 53);
        history.onCreation(10, CREATOR, CREATOR_INCARNATION, 5);

        final List<String> visited = new ArrayList<>();
        final RoomHistory.RemovalVisitor visitor = (roomId, removerId, removerIncarnation, sequence) ->
            visited.add(roomId + "/" + removerId + "/" + removerIncarnation + "/" + sequence);
        int slot = 0;
        int steps = 0;
        while (slot >= 0)
        {
            slot = history.forEachRemoval(slot, 3, visitor);
            steps++;
        }

        assertEquals(9, history.changes());
        assertEquals(3, steps, "three slots per step");
        assertEquals(List.of("12/3/300/4", "15/1/100/9"), visited,
            "not a room made again (10), never removed (11), an earlier removal (12), unpublished (13), present (14)");
    }

    @Test
    void shouldLetAMembersLostRemovalUndoOnlyCreationsItHadSeenBackToTheOneThatMadeTheRoom()
    {
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 3, true);
        history.onCreation(ROOM, REMOVER, REMOVER_INCARNATION, 10, false);
        final TableStreams sawCreation = streams(new long[]{ CREATOR, CREATOR_INCARNATION, 3 });

        assertTrue(history.undoneBy(ROOM, REMOVER, REMOVER_INCARNATION, 11, sawCreation));
        assertFalse(history.undoneBy(ROOM, REMOVER, REMOVER_INCARNATION, 10, sawCreation),
            "its own creation is not before the removal on its stream");
        assertFalse(history.undoneBy(ROOM, REMOVER, REMOVER_INCARNATION, 11,
            streams(new long[]{ CREATOR, CREATOR_INCARNATION, 2 })), "the creator's creation it had not applied");
        assertFalse(history.undoneBy(ROOM, REMOVER, REMOVER_INCARNATION, 11, streams()), "nor said it had");

        history.onOwnCreation(ROOM + 1);
        assertFalse(history.undoneBy(ROOM + 1, REMOVER, REMOVER_INCARNATION, 11,
            streams(new long[]{ SELF, SELF_INCARNATION, 1_000_000 })), "this node's unpublished creation");
        history.onOwnChangePublished(ROOM + 1, false, 7);
        assertTrue(history.undoneBy(ROOM + 1, REMOVER, REMOVER_INCARNATION, 11,
            streams(new long[]{ SELF, SELF_INCARNATION, 7 })));

        history.onCreation(ROOM + 2, CREATOR, CREATOR_INCARNATION, 3, false);
        assertFalse(history.undoneBy(ROOM + 2, REMOVER, REMOVER_INCARNATION, 11, sawCreation),
            "a room that came with a table: what made it is unknown here");
        history.onRemoval(ROOM + 2, REMOVER, REMOVER_INCARNATION, 5);
        history.onCreation(ROOM + 2, CREATOR, CREATOR_INCARNATION, 3, false);
        assertTrue(history.undoneBy(ROOM + 2, REMOVER, REMOVER_INCARNATION, 11, sawCreation),
            "back to the room's last removal here");
        assertFalse(history.undoneBy(ROOM + 3, REMOVER, REMOVER_INCARNATION, 11, sawCreation), "no history");
    }

    @Test
    void shouldTellWhetherATableReflectsEveryCreationSinceTheRoomWasLastAbsent()
    {
        assertTrue(history.creationsReflectedBy(ROOM, streams()), "no change here: the room came with a table");
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 3, false);
        history.onCreation(ROOM, REMOVER, REMOVER_INCARNATION, 10, false);
        final TableStreams sawBoth =
            streams(new long[]{ CREATOR, CREATOR_INCARNATION, 3 }, new long[]{ REMOVER, REMOVER_INCARNATION, 10 });

        assertTrue(history.creationsReflectedBy(ROOM, sawBoth));
        assertFalse(history.creationsReflectedBy(ROOM,
            streams(new long[]{ CREATOR, CREATOR_INCARNATION, 3 }, new long[]{ REMOVER, REMOVER_INCARNATION, 9 })),
            "a creation past what the table reflects may be later than its removal");
        assertFalse(history.creationsReflectedBy(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 10 })),
            "nor one on a stream it says nothing of");

        history.onCreation(ROOM + 1, CREATOR, CREATOR_INCARNATION, 20, false);
        history.onRemoval(ROOM + 1, REMOVER, REMOVER_INCARNATION, 11);
        history.onCreation(ROOM + 1, CREATOR, CREATOR_INCARNATION, 3, true);
        assertTrue(history.creationsReflectedBy(ROOM + 1, sawBoth), "back to the creation that made the room");

        history.onOwnCreation(ROOM + 2);
        assertFalse(history.creationsReflectedBy(ROOM + 2, streams(new long[]{ SELF, SELF_INCARNATION, 1_000_000 })),
            "this node's unpublished creation");
    }

    @Test
    void shouldKeepATableStreamsEntriesUpToItsCapacity()
    {
        final TableStreams streams = new TableStreams(2);
        streams.add(chunk(new long[]{ 5, 50, 1 }, new long[]{ 6, 60, 2 }, new long[]{ 7, 70, 3 }));
        assertEquals(1, streams.sequenceOf(5, 50));
        assertEquals(2, streams.sequenceOf(6, 60));
        assertEquals(TableStreams.UNKNOWN, streams.sequenceOf(7, 70), "past its capacity");
        assertEquals(TableStreams.UNKNOWN, streams.sequenceOf(5, 51), "another incarnation");
        streams.clear();
        assertEquals(TableStreams.UNKNOWN, streams.sequenceOf(5, 50));
    }

    @Test
    void shouldListARemovedMembersRecentChangesThatAreStillTheirRoomsLast()
    {
        final long older = 78;
        final long madeAgain = 79;
        final long removed = 80;
        final long byOther = 81;
        nowNs = 1_000;
        roomsHere.add(older);
        history.onCreation(older, CREATOR, CREATOR_INCARNATION, 10, true);
        nowNs = 5_000;
        roomsHere.add(ROOM);
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 11, true);
        roomsHere.add(madeAgain);
        history.onCreation(madeAgain, CREATOR, CREATOR_INCARNATION, 12, true);
        history.onOwnAnnouncement(madeAgain); // its last change here is this node's, not the member's
        history.onRemoval(removed, CREATOR, CREATOR_INCARNATION, 13);
        roomsHere.add(byOther);
        history.onCreation(byOther, REMOVER, REMOVER_INCARNATION, 14, true);
        history.onCreation(byOther, CREATOR, CREATOR_INCARNATION - 1, 15); // an earlier incarnation's

        final LongArrayList creations = new LongArrayList();
        final LongArrayList removals = new LongArrayList();
        history.lastChangesBy(CREATOR, CREATOR_INCARNATION, 2_000, creations, removals);

        assertEquals(List.of(ROOM), List.copyOf(creations), "recent, still its room's last, the room present");
        assertEquals(List.of(removed), List.copyOf(removals), "recent, still its room's last, the room absent");

        creations.clear();
        removals.clear();
        roomsHere.remove(ROOM); // gone since, by a rule that kept no record: nothing to announce of it
        roomsHere.add(removed);
        history.lastChangesBy(CREATOR, CREATOR_INCARNATION, 0, creations, removals);
        assertEquals(List.of(older), List.copyOf(creations), "with no time bound, only the room still present");
        assertTrue(removals.isEmpty(), "a room present again is no removal to announce");
    }

    @Test
    void shouldTreatAnAnnouncementAsACreationThatDidNotMakeTheRoom()
    {
        roomsHere.add(ROOM);
        history.onCreation(ROOM, CREATOR, CREATOR_INCARNATION, 40, true);
        history.onOwnAnnouncement(ROOM);
        history.onOwnChangePublished(ROOM, false, 7);

        assertTrue(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40, SELF, SELF_INCARNATION, 6),
            REMOVER, REMOVER_INCARNATION), "a removal that had not seen the announcement leaves the room");
        assertFalse(history.outrun(removal(ROOM, CREATOR, CREATOR_INCARNATION, 40, SELF, SELF_INCARNATION, 7),
            REMOVER, REMOVER_INCARNATION), "one that had seen it undoes it");
    }

    private TableStreams streams(final long[]... entries)
    {
        final TableStreams streams = new TableStreams(4);
        streams.add(chunk(entries));
        return streams;
    }

    private SnapshotChunkDecoder chunk(final long[]... entries)
    {
        encoder.wrap(buffer, 0, buffer.capacity()).flags(SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        for (final long[] entry : entries)
        {
            encoder.addTableStream(entry[0], entry[1], entry[2]);
        }
        return decoder.wrap(buffer, 0, encoder.encodedLength());
    }

    private RoomRemovedDecoder removal(final long roomId, final long... covered)
    {
        final int count = covered.length / 3;
        final RoomRemovedEncoder encoder = new RoomRemovedEncoder().wrap(buffer, 0).roomId(roomId).coveredCount(count);
        for (int i = 0; i < count; i++)
        {
            encoder.covered(i, covered[3 * i], covered[3 * i + 1], covered[3 * i + 2]);
        }
        return removalDecoder.wrap(buffer, 0, RoomRemovedEncoder.bodyLength(count));
    }
}
