package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The roster's rules, over a simulated node's transport and state (the endpoints resolve to nobody, so nothing is
 * subscribed): one member per node id and incarnation, a newer incarnation replaces an older one, an incarnation
 * removed for good never comes back while one only forgotten may, the backend hears of each removal and of each
 * member synced once, and a subscription that arrived first opens the member's directed stream.
 */
class MemberRosterTest
{
    private static final long SELF = 1;

    private final SimNetwork network = new SimNetwork(7, ms(1), 0, ms(5));
    private final SimNode node = SmallNodes.node(network, SELF);
    private final List<String> told = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private int dropped;
    private final MemberRoster roster = new MemberRoster(SELF, node.transport(), node.state(), new CohortListener()
    {
        public void onMemberJoined(final long nodeId)
        {
            told.add("joined " + nodeId);
        }

        public void onMemberLeft(final long nodeId)
        {
            told.add("left " + nodeId);
        }

        public void onMemberEvicted(final long nodeId, final EvictionReason reason)
        {
            told.add("evicted " + nodeId + " " + reason);
        }
    }, errors::add, () -> dropped++);

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(node);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldKeepOneMemberPerIncarnationAndLetANewerOneReplaceIt()
    {
        final Member first = add(2, 10);
        assertSame(first, add(2, 10), "the same incarnation again is the member known");
        assertNull(add(2, 9), "an older incarnation than the one known");
        assertEquals(0, dropped);

        final Member restarted = add(2, 11);
        assertNotSame(first, restarted);
        assertEquals(List.of(restarted), roster.members());
        assertEquals(11, node.transport().peer(2).incarnation(), "the peer channels are the new incarnation's");
        assertEquals(List.of("evicted 2 SILENCE"), told, "the replaced incarnation is reported gone");
        assertEquals(1, dropped);
        assertTrue(roster.wasRemoved(2, 10));
        assertNull(add(2, 10), "and never comes back");
    }

    @Test
    void shouldNeverLetAnIncarnationRemovedForGoodBack()
    {
        final Member member = add(3, 5);
        roster.remove(member, ReasonCode.LAGGING, false);

        assertEquals(List.of("evicted 3 LAGGING"), told);
        assertNull(roster.member(3));
        assertNull(node.transport().peer(3), "its channels are closed");
        assertArrayEquals(new long[0], roster.memberIds());
        assertNull(add(3, 5));
        assertNull(add(3, 4));
        assertNotNull(add(3, 6), "a later incarnation of the node is a new member");
    }

    @Test
    void shouldReportALeaveAsALeave()
    {
        roster.remove(add(4, 1), ReasonCode.LEFT, true);

        assertEquals(List.of("left 4"), told);
        assertNull(add(4, 1));
    }

    @Test
    void shouldLetAForgottenIncarnationBackWithoutTellingTheBackend()
    {
        roster.forget(add(5, 1));

        assertEquals(List.of(), told, "a member a joiner only observed was never the backend's business");
        assertEquals(1, dropped);
        assertFalse(roster.wasRemoved(5, 1));
        assertNotNull(add(5, 1), "the joiner may meet the same member when it looks again");
    }

    @Test
    void shouldRefuseThisNodeItself()
    {
        assertNull(add(SELF, 1));
        assertEquals(List.of(), roster.members());
    }

    @Test
    void shouldOpenTheDirectedStreamOfASubscriptionThatCameFirst()
    {
        roster.onSubscriberChange(6, 2, true);
        roster.onSubscriberChange(6, 1, false); // an older incarnation going away leaves the live one

        final Member member = add(6, 2);

        assertTrue(member.directedStreamOpen);
        assertTrue(node.hasDirectedStreamTo(6));
        assertFalse(add(7, 3).directedStreamOpen, "no subscription of it yet");
        roster.onSubscriberChange(7, 3, true);
        assertTrue(node.hasDirectedStreamTo(7), "opened as its subscription arrives");
        roster.remove(member, ReasonCode.SILENCE, false);
        assertFalse(node.hasDirectedStreamTo(6), "closed with the member");
    }

    @Test
    void shouldTellTheBackendOfAMemberSyncedOnceAndPublishItsState()
    {
        final Member member = add(8, 1);
        assertEquals(MemberState.SYNCING, roster.clusterMembers().get(0).state());

        member.phase = Member.Phase.SYNCED;
        roster.onSynced(member);
        member.phase = Member.Phase.REPLAYING;
        roster.publish();
        member.phase = Member.Phase.SYNCED;
        roster.onSynced(member);

        assertEquals(List.of("joined 8"), told, "once per incarnation, however often it syncs again");
        assertEquals(MemberState.SYNCED, roster.clusterMembers().get(0).state());
        assertArrayEquals(new long[]{ 8 }, roster.memberIds());
    }

    private Member add(final long nodeId, final long incarnation)
    {
        return roster.add(nodeId, incarnation, "sim://" + nodeId + "/sync", "sim://" + nodeId + "/command", 0);
    }
}
