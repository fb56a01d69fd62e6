package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewTest
{
    private static final long LINEAGE = 0xC0FFEE_1234L;
    private static final long[] NONE = new long[0];
    private static final int[] NO_REASONS = new int[0];

    static ViewMember member(final long nodeId, final long incarnation)
    {
        return new ViewMember(nodeId, incarnation, "tcp://h" + nodeId + ":5000", "tcp://h" + nodeId + ":5001",
            new byte[0]);
    }

    /** A view whose rank i is node {@code i + 1}, incarnation {@code 100 + i}. */
    static View viewOf(final int size)
    {
        final List<ViewMember> members = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            members.add(member(i + 1, 100 + i));
        }
        return new View(LINEAGE, 1, 0, members, NONE, NONE, NO_REASONS);
    }

    @Test
    void shouldRankMembersByIncarnationThenUnsignedNodeId()
    {
        final ViewMember young = member(1, 300);
        final ViewMember oldest = member(9, 100);
        final ViewMember highId = member(-1L, 200);
        final ViewMember lowId = member(5, 200);
        final View view = new View(LINEAGE, 3, 0, List.of(young, highId, oldest, lowId), NONE, NONE, NO_REASONS);

        assertEquals(4, view.size());
        assertEquals(oldest, view.member(0));
        assertEquals(lowId, view.member(1), "same incarnation: node ids compare unsigned, so 5 before 0xff..ff");
        assertEquals(highId, view.member(2));
        assertEquals(young, view.member(3));
        assertEquals(0, view.rankOf(9));
        assertEquals(2, view.rankOf(-1L));
        assertEquals(-1, view.rankOf(42));
        assertEquals(List.of(oldest, lowId, highId, young), view.members());
    }

    @Test
    void shouldRankTheSameWhateverTheOrderTheMembersAreGivenIn()
    {
        final View reference = viewOf(9);
        final List<ViewMember> members = new ArrayList<>(reference.members());
        final Random random = new Random(7);
        for (int i = 0; i < 50; i++)
        {
            Collections.shuffle(members, random);
            final View shuffled = new View(LINEAGE, 1, 0, members, NONE, NONE, NO_REASONS);
            assertEquals(reference, shuffled);
            assertEquals(reference.hash(), shuffled.hash());
        }
    }

    @Test
    void shouldRefuseInvalidViewsNamingTheProblem()
    {
        final List<ViewMember> two = List.of(member(1, 1), member(2, 2));
        assertMessage("epoch=0", () -> new View(LINEAGE, 0, 0, two, NONE, NONE, NO_REASONS));
        assertMessage("members=0", () -> new View(LINEAGE, 1, 0, List.of(), NONE, NONE, NO_REASONS));
        assertMessage("nodeId=0000000000000001",
            () -> new View(LINEAGE, 1, 0, List.of(member(1, 1), member(1, 2)), NONE, NONE, NO_REASONS));
        assertMessage("removed lists differ",
            () -> new View(LINEAGE, 2, 0, two, new long[] {3}, NONE, new int[] {6}));
        assertMessage("also listed as removed",
            () -> new View(LINEAGE, 2, 0, two, new long[] {2}, new long[] {2}, new int[] {6}));

        final List<ViewMember> many = new ArrayList<>();
        for (int i = 0; i < View.MAX_MEMBERS + 1; i++)
        {
            many.add(member(i, i));
        }
        assertMessage("members=65", () -> new View(LINEAGE, 1, 0, many, NONE, NONE, NO_REASONS));
        assertEquals(View.MAX_MEMBERS, new View(LINEAGE, 1, 0, many.subList(0, 64), NONE, NONE, NO_REASONS).size());
    }

    @Test
    void shouldFoundAtEpochOneWithTheFounderAlone()
    {
        final ViewMember founder = member(7, 70);
        final View view = View.founding(LINEAGE, founder);
        assertEquals(LINEAGE, view.lineage());
        assertEquals(1, view.epoch());
        assertEquals(0, view.flags());
        assertEquals(1, view.size());
        assertEquals(founder, view.member(0));
        assertEquals(0, view.removedCount());
        assertEquals(1L, view.allRanks());
    }

    @Test
    void shouldListExactlyTheRemovedMembersWithTheirIncarnationsInTheSuccessor()
    {
        final View view = viewOf(5);
        final View next = view.successor(
            new long[] {4, 2}, new int[] {EvictionReason.PARTITION.code(), EvictionReason.SILENCE.code()},
            List.of(member(6, 50)), 0);

        assertEquals(LINEAGE, next.lineage());
        assertEquals(2, next.epoch());
        assertEquals(4, next.size());
        assertEquals(6, next.member(0).nodeId(), "the added member is the oldest by incarnation");
        assertEquals(-1, next.rankOf(4));
        assertEquals(-1, next.rankOf(2));
        assertEquals(2, next.removedCount());
        assertEquals(4, next.removedNodeId(0));
        assertEquals(103, next.removedIncarnation(0));
        assertEquals(EvictionReason.PARTITION.code(), next.removedReason(0));
        assertEquals(2, next.removedNodeId(1));
        assertEquals(101, next.removedIncarnation(1));
        assertEquals(EvictionReason.SILENCE.code(), next.removedReason(1));
        assertTrue(next.removed(4, 103));
        assertFalse(next.removed(4, 104));

        final View third = next.successor(NONE, NO_REASONS, List.of(), View.FLAG_DISSOLVE);
        assertEquals(3, third.epoch());
        assertEquals(0, third.removedCount(), "the removed list is the last transition's only");
        assertTrue(third.isDissolve());
        assertEquals(next.members(), third.members());
    }

    @Test
    void shouldReplaceAnIncarnationOfANodeInOneTransition()
    {
        final View view = viewOf(3);
        final View next = view.successor(new long[] {2}, new int[] {EvictionReason.SILENCE.code()},
            List.of(member(2, 500)), 0);
        assertTrue(next.contains(2, 500));
        assertFalse(next.contains(2, 101));
        assertTrue(next.removed(2, 101));
        assertEquals(2, next.rankOf(2), "the new incarnation is the youngest");
        assertEquals(EvictionReason.SILENCE.code(), next.reasonRemoved(2));
        assertEquals(ReasonCode.PARTITION, next.reasonRemoved(3), "a node the transition did not name");
    }

    @Test
    void shouldRefuseASuccessorThatRemovesANonMemberOrTwiceOrAddsADuplicate()
    {
        final View view = viewOf(3);
        assertMessage("not a member", () -> view.successor(new long[] {9}, new int[] {1}, List.of(), 0));
        assertMessage("listed twice", () -> view.successor(new long[] {1, 1}, new int[] {1, 1}, List.of(), 0));
        assertMessage("differ in length", () -> view.successor(new long[] {1}, NO_REASONS, List.of(), 0));
        assertMessage("listed twice in a view", () -> view.successor(NONE, NO_REASONS, List.of(member(3, 1)), 0));
    }

    @Test
    void shouldKnowAMemberByNodeIdAndIncarnation()
    {
        final View view = viewOf(3);
        assertTrue(view.contains(2, 101));
        assertFalse(view.contains(2, 102), "a restarted node with the same id is not a member");
        assertFalse(view.contains(4, 103));
    }

    @Test
    void shouldCopyThePublicKeyInAndOut()
    {
        final byte[] key = {1, 2, 3};
        final ViewMember member = new ViewMember(1, 1, "s", "c", key);
        key[0] = 9;
        final byte[] out = member.publicKey();
        assertArrayEquals(new byte[] {1, 2, 3}, out);
        out[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, member.publicKey());
        assertNotSame(member.publicKey(), member.publicKey());
        assertEquals(3, member.publicKeyLength());
        assertEquals(0, new ViewMember(1, 1, "s", "c", null).publicKey().length);
    }

    @Test
    void shouldCompareByContent()
    {
        final View a = viewOf(4);
        final View b = viewOf(4);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());

        assertNotEquals(a, new View(LINEAGE + 1, 1, 0, a.members(), NONE, NONE, NO_REASONS));
        assertNotEquals(a, new View(LINEAGE, 2, 0, a.members(), NONE, NONE, NO_REASONS));
        assertNotEquals(a, new View(LINEAGE, 1, View.FLAG_DISSOLVE, a.members(), NONE, NONE, NO_REASONS));
        assertNotEquals(a, new View(LINEAGE, 1, 0, a.members(), new long[] {9}, new long[] {9}, new int[] {6}));

        final List<ViewMember> otherEndpoint = new ArrayList<>(a.members());
        otherEndpoint.set(1, new ViewMember(2, 101, "tcp://elsewhere:1", "tcp://h2:5001", new byte[0]));
        assertNotEquals(a, new View(LINEAGE, 1, 0, otherEndpoint, NONE, NONE, NO_REASONS));

        final List<ViewMember> otherKey = new ArrayList<>(a.members());
        otherKey.set(1, new ViewMember(2, 101, "tcp://h2:5000", "tcp://h2:5001", new byte[] {1}));
        assertNotEquals(a, new View(LINEAGE, 1, 0, otherKey, NONE, NONE, NO_REASONS));
    }

    @Test
    void shouldHashTheSameInEveryJvm()
    {
        // Pinned: counters of different processes are compared, so the digest must never depend on the JVM.
        assertEquals(0xcffc8cbcced1a4a5L, viewOf(3).hash(), Long.toHexString(viewOf(3).hash()));
        assertEquals(0xbdd809eb8cf96319L, View.founding(1, member(1, 1)).hash(),
            Long.toHexString(View.founding(1, member(1, 1)).hash()));
    }

    @Test
    void shouldHashEachIdentityFieldIn()
    {
        final View view = viewOf(3);
        final long hash = view.hash();
        assertNotEquals(hash, new View(LINEAGE + 1, 1, 0, view.members(), NONE, NONE, NO_REASONS).hash());
        assertNotEquals(hash, new View(LINEAGE, 2, 0, view.members(), NONE, NONE, NO_REASONS).hash());
        assertNotEquals(hash, new View(LINEAGE, 1, View.FLAG_DISSOLVE, view.members(), NONE, NONE, NO_REASONS).hash());
        final List<ViewMember> otherIncarnation = new ArrayList<>(view.members());
        otherIncarnation.set(2, member(3, 103));
        assertNotEquals(hash, new View(LINEAGE, 1, 0, otherIncarnation, NONE, NONE, NO_REASONS).hash());
        final List<ViewMember> otherId = new ArrayList<>(view.members());
        otherId.set(2, member(4, 102));
        assertNotEquals(hash, new View(LINEAGE, 1, 0, otherId, NONE, NONE, NO_REASONS).hash());
        assertNotEquals(hash, viewOf(2).hash());
    }

    @Test
    void shouldPrintLineageEpochAndMembersInHexOldestFirst()
    {
        final View view = new View(0xab, 3, 0, List.of(member(2, 101), member(0x1f, 100)), NONE, NONE, NO_REASONS);
        assertEquals("00000000000000ab/3 [000000000000001f/100, 0000000000000002/101]", view.toString());
        assertEquals("00000000000000ab/4 flags=1 [000000000000001f/100, 0000000000000002/101]",
            view.successor(NONE, NO_REASONS, List.of(), View.FLAG_DISSOLVE).toString());
    }

    @Test
    void shouldLookUpRanksWithoutAllocating()
    {
        final View view = viewOf(64);
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += view.rankOf(i & 127) + (view.contains(i & 63, 100 + (i & 63)) ? 1 : 0);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            sum += view.rankOf(i & 127) + (view.contains(i & 63, 100 + (i & 63)) ? 1 : 0);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100000 look-ups");
        assertTrue(sum != 0);
    }

    private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
