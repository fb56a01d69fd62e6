package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import io.cohort.state.StateResult;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tables of two members loaded one after the other must leave the rooms as they would in the other order: a room an
 * older table made here goes once a newer table brings the record of its removal, as the room would have been
 * skipped had the record come first. Driven on a real node's state, room history and applier, with the chunks a
 * snapshot carries (streams, removal records) written by the codec.
 */
class MemberTablesTest
{
    private static final long SELF = 1;
    private static final long OLDER = 2;
    private static final long OLDER_INCARNATION = 20;
    private static final long NEWER = 3;
    private static final long NEWER_INCARNATION = 30;
    private static final long REMOVAL_SEQUENCE = 40;

    private final SimNetwork network = new SimNetwork(7, ms(1), 0, ms(5));
    private final Member older = new Member(OLDER, OLDER_INCARNATION, "sim://2/sync", "sim://2/command", null, 0);
    private final Member newer = new Member(NEWER, NEWER_INCARNATION, "sim://3/sync", "sim://3/command", null, 0);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();
    private SimNode node;
    private MemberTables tables;
    private long room;

    @BeforeEach
    void startNode()
    {
        node = SmallNodes.node(network, SELF);
        node.start(List.of());
        network.runFor(ms(50));
        tables = new MemberTables(SELF, 8, node.state(), node.core().roomHistory(), node.core().applier(),
            (nodeId) -> OLDER == nodeId ? older : NEWER == nodeId ? newer : null);
        room = CohortNodeRooms.id("late");
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(node);
    }

    @Test
    void shouldRemoveARoomAnOlderTableMadeOnceANewerTableBringsItsRemoval()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE - 1);

        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        assertFalse(node.state().roomExists(room), "the newer table's sender removed it after applying all the older");
        assertEquals(1, node.core().roomHistory().tableRoomsSkipped(), "counted with the rooms skipped");
        assertTrue(node.core().roomHistory().hasChanges(room), "the removal is this node's record of it now");
    }

    @Test
    void shouldEndAsTheOtherOrderDoes()
    {
        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        tables.begin(older);
        tables.onChunk(older, streams(OLDER, OLDER_INCARNATION, 50, NEWER, NEWER_INCARNATION, REMOVAL_SEQUENCE - 1));
        assertFalse(tables.admits(older, room), "the record came first: the older table's room is skipped");
    }

    @Test
    void shouldKeepTheRoomWhereTheNewerTableDoesNotReflectAllTheOlderDid()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE - 1);

        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 49);

        assertTrue(node.state().roomExists(room), "its sender may not have applied what made the room in the other");
        assertEquals(0, node.core().roomHistory().tableRoomsSkipped());
    }

    @Test
    void shouldKeepTheRoomWhereTheOlderTableHadAppliedTheRemoval()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE);

        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        assertTrue(node.state().roomExists(room), "the room was made again after the removal there");
        assertEquals(0, node.core().roomHistory().tableRoomsSkipped());
    }

    @Test
    void shouldKeepARoomChangedSinceItsTableMadeIt()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE - 1);
        node.core().roomHistory().onCreation(room, 4, 40, 7);

        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        assertTrue(node.state().roomExists(room), "a creation applied since decides by the other rules");
    }

    @Test
    void shouldRemoveARoomWhoseCreationsSinceTheNewerTableReflects()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE - 1);
        // A creation the older table already held, noted as a member's buffered stream is replayed.
        node.core().roomHistory().onCreation(room, OLDER, OLDER_INCARNATION, 45);

        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        assertFalse(node.state().roomExists(room), "the newer table's sender had applied that creation too");
    }

    @Test
    void shouldRememberWhichTableMadeARoomUntilItsMakerIsAskedAgain()
    {
        loadOlderTableWithTheRoom(REMOVAL_SEQUENCE - 1);
        assertEquals(OLDER, tables.tableThatMade(room));

        tables.begin(newer);
        for (long roomId = 1; roomId <= 1_000; roomId++)
        {
            assertTrue(tables.admits(roomId % 2 == 0 ? older : newer, roomId));
        }

        tables.begin(older);
        for (long roomId = 1; roomId <= 1_000; roomId++)
        {
            assertEquals(roomId % 2 == 0 ? 0 : NEWER, tables.tableThatMade(roomId), "only the older's go: " + roomId);
        }
        loadNewerTableWithTheRemoval(OLDER_INCARNATION, 50);

        assertEquals(0, tables.tableThatMade(room), "its table's streams are gone");
        assertTrue(node.state().roomExists(room), "no table known to have made it: the room stays");
    }

    @Test
    void shouldForgetEveryRoomWhenTablesMakeMoreThanItKeeps()
    {
        tables.begin(older);
        tables.onChunk(older, streams(OLDER, OLDER_INCARNATION, 50));
        for (long roomId = 1; roomId <= MemberTables.MAX_TABLE_MADE_ROOMS; roomId++)
        {
            assertTrue(tables.admits(older, roomId));
        }
        assertEquals(OLDER, tables.tableThatMade(1));

        tables.begin(newer);
        assertTrue(tables.admits(newer, room));

        assertEquals(0, tables.tableThatMade(1), "the older ones are forgotten");
        assertEquals(NEWER, tables.tableThatMade(room));
    }

    /**
     * The older member's table: it had applied the newer member's stream up to {@code newerApplied} when it began
     * reading it, and holds the room, which this node lacked.
     */
    private void loadOlderTableWithTheRoom(final long newerApplied)
    {
        tables.begin(older);
        tables.onChunk(older, streams(OLDER, OLDER_INCARNATION, 50, NEWER, NEWER_INCARNATION, newerApplied));
        assertTrue(tables.admits(older, room));
        assertEquals(StateResult.ROOM_CREATED, CohortNodeRooms.create(node, room));
    }

    /**
     * The newer member's table, with the record of its own removal of the room (which it lacks), having applied the
     * older member's stream up to {@code olderApplied}.
     */
    private void loadNewerTableWithTheRemoval(final long olderIncarnation, final long olderApplied)
    {
        tables.begin(newer);
        tables.onChunk(newer, streams(OLDER, olderIncarnation, olderApplied, NEWER, NEWER_INCARNATION, 60));
        encoder.wrap(buffer, 0, buffer.capacity()).correlationId(1).owner(0, 0, 0).chunkIndex(1)
            .flags(SnapshotChunkDecoder.FLAG_ROOM_REMOVALS);
        assertTrue(encoder.addRoomRemoval(room, NEWER, NEWER_INCARNATION, REMOVAL_SEQUENCE));
        tables.onChunk(newer, decoder.wrap(buffer, 0, encoder.encodedLength()));
    }

    private SnapshotChunkDecoder streams(final long... entries)
    {
        encoder.wrap(buffer, 0, buffer.capacity()).correlationId(1).owner(0, 0, 0).chunkIndex(0)
            .flags(SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        for (int i = 0; i < entries.length; i += 3)
        {
            encoder.addTableStream(entries[i], entries[i + 1], entries[i + 2]);
        }
        return decoder.wrap(buffer, 0, encoder.encodedLength());
    }

    /**
     * A room as a table's load makes it: in the state only, with no change recorded in the room history.
     */
    private static final class CohortNodeRooms
    {
        static long id(final String collection)
        {
            final byte[] name = collection.getBytes(StandardCharsets.UTF_8);
            return CohortNode.roomId("index", collection, name);
        }

        static StateResult create(final SimNode node, final long roomId)
        {
            final UnsafeBuffer metadata = new UnsafeBuffer(new byte[64]);
            int length = 0;
            for (final String field : new String[]{ "index", "late", "late" })
            {
                final byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                metadata.putInt(length, bytes.length, FrameLayout.BYTE_ORDER);
                metadata.putBytes(length + Integer.BYTES, bytes);
                length += Integer.BYTES + bytes.length;
            }
            return node.state().createRoom(roomId, metadata, 0, length);
        }
    }
}
