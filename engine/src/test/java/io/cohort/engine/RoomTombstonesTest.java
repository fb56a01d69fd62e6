package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule that a room of a member's table older than a removal applied here is not made again: skipped only while
 * the table's sender had applied less of the remover's stream than the removal, for the latest removal of a room
 * still absent here.
 */
class RoomTombstonesTest
{
    private static final long SELF = 1;
    private static final long SELF_INCARNATION = 100;
    private static final long REMOVER = 2;
    private static final long REMOVER_INCARNATION = 200;
    private static final long ROOM = 77;

    private final LongHashSet roomsHere = new LongHashSet();
    private final RoomTombstones tombstones = new RoomTombstones(SELF, SELF_INCARNATION, roomsHere::contains);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();

    @Test
    void shouldSkipARoomOnlyWhileTheTablesSenderHadNotAppliedTheRemoval()
    {
        tombstones.onRemoved(ROOM, REMOVER, REMOVER_INCARNATION, 50);

        assertTrue(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 })));
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 50 })),
            "a sender that applied the removal and holds the room made it again");
        assertFalse(tombstones.outdates(ROOM + 1, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 })),
            "another room");
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION + 1, 1 })),
            "a table that says nothing of the remover's incarnation is loaded as before");
        assertFalse(tombstones.outdates(ROOM, streams()), "nor one that says nothing at all");
        assertEquals(1, tombstones.tableRoomsSkipped());
    }

    @Test
    void shouldCountOnlyTheLatestRemovalOfARoom()
    {
        tombstones.onRemoved(ROOM, REMOVER, REMOVER_INCARNATION, 50);
        tombstones.onRemoved(ROOM, 3, 300, 7);

        assertEquals(1, tombstones.size());
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 },
            new long[]{ 3, 300, 7 })), "the sender had applied the latest removal");
        assertTrue(tombstones.outdates(ROOM, streams(new long[]{ 3, 300, 6 })));
    }

    @Test
    void shouldDropATombstoneOnceTheRoomExistsHereAgain()
    {
        tombstones.onRemoved(ROOM, REMOVER, REMOVER_INCARNATION, 50);
        tombstones.onCreated(ROOM);
        assertEquals(0, tombstones.size(), "made again by a creation applied here");
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 })));

        tombstones.onRemoved(ROOM, REMOVER, REMOVER_INCARNATION, 60);
        roomsHere.add(ROOM);
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ REMOVER, REMOVER_INCARNATION, 1 })),
            "made again by an earlier table: this one changes nothing");
        assertEquals(0, tombstones.size());
        assertEquals(0, tombstones.tableRoomsSkipped());
    }

    @Test
    void shouldHoldThisNodesOwnRemovalPastEverySequenceUntilItIsPublished()
    {
        tombstones.onOwnRemoval(ROOM);
        assertTrue(tombstones.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 1_000_000 })),
            "no other node has applied a removal not yet published");

        tombstones.onOwnRemovalPublished(ROOM, 40);
        assertTrue(tombstones.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 39 })));
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 40 })));

        tombstones.onOwnRemovalPublished(ROOM, 90);
        assertFalse(tombstones.outdates(ROOM, streams(new long[]{ SELF, SELF_INCARNATION, 40 })),
            "a published removal keeps its sequence");
    }

    @Test
    void shouldDropTheOldestBeyondItsBoundAndEverythingWhenCleared()
    {
        for (long room = 1; room <= RoomTombstones.MAX_ENTRIES + 2; room++)
        {
            tombstones.onRemoved(room, REMOVER, REMOVER_INCARNATION, 50);
        }
        assertEquals(RoomTombstones.MAX_ENTRIES, tombstones.size());
        final TableStreams before = streams(new long[]{ REMOVER, REMOVER_INCARNATION, 49 });
        assertFalse(tombstones.outdates(1, before), "the oldest went first");
        assertFalse(tombstones.outdates(2, before));
        assertTrue(tombstones.outdates(3, before));
        assertTrue(tombstones.outdates(RoomTombstones.MAX_ENTRIES + 2, before));

        tombstones.clear();
        assertEquals(0, tombstones.size());
        assertFalse(tombstones.outdates(3, before), "a forgotten table's removals are forgotten with it");
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
}
