package io.cohort.engine;

import io.cohort.codec.SnapshotChunkDecoder;
import io.cohort.codec.SnapshotChunkEncoder;
import io.cohort.codec.SnapshotRequestDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How far the room source's table reflects each stream, as its chunks say: taken over by the joiner's members only
 * once the source's rooms are loaded, only for the incarnation it names, only from the snapshot loaded (the member's
 * figures are emptied when it is asked again, as {@link MemberSync} does at each request), and dropped when the
 * joiner forgets its table.
 */
class RoomSourceTest
{
    private final List<Member> members = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder decoder = new SnapshotChunkDecoder();
    private final RoomSource roomSource = new RoomSource(members);
    private Member source;
    private Member other;

    @BeforeEach
    void twoMembersWithStartedSnapshots()
    {
        source = member(1, 10);
        other = member(2, 20);
        other.snapshotStartKnown = true;
        assertEquals(SnapshotRequestDecoder.FLAG_ROOM_FLOORS, roomSource.flagsFor(source));
        assertEquals(SnapshotRequestDecoder.FLAG_NO_ROOMS, roomSource.flagsFor(other));
    }

    @Test
    void shouldSetEachMembersTableSequenceOnlyOnceTheSourcesRoomsAreLoaded()
    {
        streams(new long[]{ 1, 10, 55 }, new long[]{ 2, 20, 77 });
        assertEquals(-1, source.roomTableThrough);
        assertEquals(-1, other.roomTableThrough);

        assertFalse(roomSource.onLoaded(other), "the other member's copy waits for the rooms");
        assertEquals(-1, other.roomTableThrough);
        assertTrue(roomSource.onLoaded(source));
        assertEquals(55, source.roomTableThrough);
        assertEquals(77, other.roomTableThrough);
    }

    @Test
    void shouldIgnoreAStreamOfAnotherIncarnationOrOfANodeThatIsNoMember()
    {
        streams(new long[]{ 2, 21, 77 }, new long[]{ 9, 90, 99 });
        roomSource.onLoaded(source);
        assertEquals(-1, other.roomTableThrough, "an older incarnation's stream is another stream");
        assertEquals(-1, source.roomTableThrough);
    }

    @Test
    void shouldDropTheFiguresOfATableWhoseSnapshotStartsOver()
    {
        streams(new long[]{ 2, 20, 77 });
        source.tableStreams.clear();
        assertEquals(SnapshotRequestDecoder.FLAG_ROOM_FLOORS, roomSource.flagsFor(source), "asked again");
        streams(new long[]{ 2, 20, 80 });
        roomSource.onLoaded(source);
        assertEquals(80, other.roomTableThrough, "only the table loaded counts");
    }

    @Test
    void shouldKeepNoMoreStreamsThanItHoldsAndForgetThemWithTheTable()
    {
        streams(new long[]{ 1, 10, 5 }, new long[]{ 3, 30, 5 }, new long[]{ 4, 40, 5 }, new long[]{ 2, 20, 5 });
        roomSource.onLoaded(source);
        assertEquals(5, source.roomTableThrough);
        assertEquals(-1, other.roomTableThrough, "past the three it holds: replayed as before");

        roomSource.reset();
        assertEquals(-1, source.roomTableThrough, "a forgotten table holds nothing");
    }

    private Member member(final long nodeId, final long incarnation)
    {
        final Member member = new Member(nodeId, incarnation, "tcp://127.0.0.1:5", "tcp://127.0.0.1:6", null, 0);
        member.tableStreams = new TableStreams(3);
        members.add(member);
        return member;
    }

    /**
     * A chunk of the source's snapshot with these streams, loaded.
     */
    private void streams(final long[]... entries)
    {
        encoder.wrap(buffer, 0, buffer.capacity()).flags(SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        for (final long[] entry : entries)
        {
            encoder.addTableStream(entry[0], entry[1], entry[2]);
        }
        source.tableStreams.add(decoder.wrap(buffer, 0, encoder.encodedLength()));
    }
}
