package io.cohort.engine;

import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.RoomRemovedEncoder;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule that a removal undoes the creations its sender had applied, also at a node the removal reaches first.
 */
class CoveredCreationsTest
{
    private static final long SELF = 1;
    private static final long CREATOR = 2;
    private static final long OTHER = 3;
    private static final long ROOM = 77;

    private final Long2ObjectHashMap<Member> members = new Long2ObjectHashMap<>();
    private final CoveredCreations covered = new CoveredCreations(SELF, members::get);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final RoomRemovedDecoder removal = new RoomRemovedDecoder();
    private Member creator;
    private Member other;

    @BeforeEach
    void twoSyncedMembers()
    {
        creator = synced(CREATOR, 10, 5);
        other = synced(OTHER, 30, 9);
    }

    @Test
    void shouldSkipACreationTheRemoverHadAppliedBeforeThisNode()
    {
        covered.onRemoval(removal(ROOM, CREATOR, 10, 8));

        assertEquals(1, covered.size(), "this node applied the creator's stream to 5 only");
        assertTrue(covered.covers(ROOM, creator, 8));
        assertTrue(covered.covers(ROOM, creator, 6));
        assertFalse(covered.covers(ROOM, creator, 9), "a creation the remover had not seen stands");
        assertFalse(covered.covers(ROOM + 1, creator, 6), "another room");
        assertFalse(covered.covers(ROOM, other, 6), "another member's stream");
        assertEquals(2, covered.creationsUndone());
    }

    @Test
    void shouldKeepNothingForStreamsThisNodeIsNotBehindOn()
    {
        covered.onRemoval(removal(ROOM, CREATOR, 10, 5));
        covered.onRemoval(removal(ROOM, OTHER, 30, 4));
        covered.onRemoval(removal(ROOM, SELF, 1, 1_000));
        covered.onRemoval(removal(ROOM, CREATOR, 11, 99));
        covered.onRemoval(removal(ROOM, 404, 1, 99));

        assertEquals(0, covered.size(), "caught up, this node itself, another incarnation, no member");
    }

    @Test
    void shouldTreatACopyNotSyncedAsAppliedNothing()
    {
        creator.phase = Member.Phase.REPLAYING;

        covered.onRemoval(removal(ROOM, CREATOR, 10, 2));

        assertEquals(1, covered.size(), "its buffered messages are applied later");
        assertTrue(covered.covers(ROOM, creator, 2));
    }

    @Test
    void shouldForgetAnEntryOnceTheStreamIsAppliedPastItOrItsMemberIsGone()
    {
        covered.onRemoval(removal(ROOM, CREATOR, 10, 8));
        covered.onRemoval(removal(ROOM + 1, OTHER, 30, 12));
        assertEquals(2, covered.size());

        creator.lastBroadcastSequence = 8;
        members.remove(OTHER);
        covered.onRemoval(removal(ROOM + 2, CREATOR, 10, 3));

        assertEquals(0, covered.size());
        assertFalse(covered.covers(ROOM, creator, 8));
    }

    @Test
    void shouldDropTheOldestEntryWhenFull()
    {
        for (int i = 0; i <= CoveredCreations.MAX_ENTRIES; i++)
        {
            covered.onRemoval(removal(1_000 + i, CREATOR, 10, 8));
        }

        assertEquals(CoveredCreations.MAX_ENTRIES, covered.size());
        assertFalse(covered.covers(1_000, creator, 8), "the oldest went");
        assertTrue(covered.covers(1_001, creator, 8));
        assertTrue(covered.covers(1_000 + CoveredCreations.MAX_ENTRIES, creator, 8));
    }

    @Test
    void shouldCoverTheStreamsOfSyncedMembersOnly()
    {
        final Member joining = new Member(4, 40, "tcp://127.0.0.1:7", "tcp://127.0.0.1:8", null, 0);
        joining.lastBroadcastSequence = 3;
        final Member silent = synced(5, 50, 0);

        final List<Member> all = List.of(creator, other, joining, silent);
        assertEquals(2, CoveredCreations.coveredCount(all));
        assertEquals(-1, joining.appliedSequence());

        CoveredCreations.writeCovered(all, new RoomRemovedEncoder().wrap(buffer, 0).roomId(ROOM), 2);
        removal.wrap(buffer, 0, RoomRemovedEncoder.bodyLength(2));
        assertEquals(2, removal.coveredCount());
        assertEquals(CREATOR, removal.coveredNodeId(0));
        assertEquals(10, removal.coveredIncarnation(0));
        assertEquals(5, removal.coveredSequence(0));
        assertEquals(OTHER, removal.coveredNodeId(1));
        assertEquals(9, removal.coveredSequence(1));
    }

    @Test
    void shouldCountWhatAResyncReplayedAsApplied()
    {
        // Just synced again: the flow report's figure, moved by live messages only, still says where the copy was
        // before the resync; the replay applied every message received since.
        final Member resynced = synced(6, 60, 170);
        resynced.flow.appliedSequence = 100;

        assertEquals(170, resynced.appliedSequence());
    }

    private Member synced(final long nodeId, final long incarnation, final long applied)
    {
        final Member member = new Member(nodeId, incarnation, "tcp://127.0.0.1:5", "tcp://127.0.0.1:6", null, 0);
        member.phase = Member.Phase.SYNCED;
        member.lastBroadcastSequence = applied;
        members.put(nodeId, member);
        return member;
    }

    private RoomRemovedDecoder removal(
        final long roomId, final long nodeId, final long incarnation, final long sequence)
    {
        new RoomRemovedEncoder().wrap(buffer, 0).roomId(roomId).coveredCount(1)
            .covered(0, nodeId, incarnation, sequence);
        return removal.wrap(buffer, 0, RoomRemovedEncoder.bodyLength(1));
    }
}
