package io.cohort.engine;

import java.util.List;

/**
 * How far this node's room table reflects each stream, for the copy of it that a joiner takes from this node (its
 * room source, {@link RoomSource}).
 * <p>
 * The joiner loads the table, then replays the buffered messages of every member past that member's snapshot start.
 * Replaying a room change the table already holds is harmless within one stream (changes are absolute and come in
 * order) but not across two: a room created by X, then removed by Y once Y had applied the creation, is absent from
 * the table; a joiner that replays X's creation (past X's snapshot start) but not Y's removal (before Y's) makes the
 * room again, and keeps it where every other node dropped it. So the table goes with how far this node had applied
 * each stream when it began reading it, and the joiner applies none of those changes again
 * ({@link Member#roomTableThrough}). For that to hold, the table must hold every creation its removals undid: while a
 * removal applied here covers a creation not yet applied here ({@link CoveredCreations}), the rooms wait.
 * Not thread safe: the node's thread only.
 */
final class RoomTableStreams
{
    private final long nodeId;
    private final long incarnation;
    private final MemberRoster roster;
    private final SyncPublisher publisher;
    private final CoveredCreations coveredCreations;

    /**
     * @param nodeId           this node.
     * @param incarnation      its incarnation.
     * @param roster           its members.
     * @param publisher        its own stream.
     * @param coveredCreations the creations removals applied here have undone.
     */
    RoomTableStreams(
        final long nodeId,
        final long incarnation,
        final MemberRoster roster,
        final SyncPublisher publisher,
        final CoveredCreations coveredCreations)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.roster = roster;
        this.publisher = publisher;
        this.coveredCreations = coveredCreations;
    }

    /**
     * Whether this node has applied a node's stream up to a sequence: it syncs that incarnation and its copy,
     * trusted, has reached the sequence (messages of a synced member are applied as they arrive).
     *
     * @param memberId          the node.
     * @param memberIncarnation its incarnation.
     * @param sequence          a broadcast sequence of its stream.
     * @return whether every message of that incarnation's stream up to the sequence is applied here.
     */
    boolean hasApplied(final long memberId, final long memberIncarnation, final long sequence)
    {
        if (memberId == nodeId)
        {
            return memberIncarnation == incarnation;
        }
        final Member member = roster.member(memberId);
        return null != member && member.incarnation == memberIncarnation && member.isSynced() &&
            member.appliedSequence() >= sequence;
    }

    /**
     * Whether the table lacks a room a joiner would make by replaying a creation: a removal applied here covered a
     * creation this node has not applied yet. It will soon (the remover applied it, so its sender sent it).
     *
     * @return true while the rooms must wait.
     */
    boolean awaitsCoveredCreation()
    {
        return coveredCreations.awaitsCreation();
    }

    /**
     * Writes how far this node has applied each stream now: its own (every change claimed so far, all in the table)
     * and each synced member's.
     *
     * @param nodeIds      filled with the streams' nodes, sized for every member and this node.
     * @param incarnations filled with their incarnations.
     * @param sequences    filled with the last sequence of each applied here.
     * @return the entries written.
     */
    int write(final long[] nodeIds, final long[] incarnations, final long[] sequences)
    {
        nodeIds[0] = nodeId;
        incarnations[0] = incarnation;
        sequences[0] = publisher.lastClaimedBroadcastSequence();
        int count = 1;
        final List<Member> members = roster.members();
        for (int i = 0, size = members.size(); i < size && count < nodeIds.length; i++)
        {
            final Member member = members.get(i);
            final long applied = member.appliedSequence();
            if (applied > 0)
            {
                nodeIds[count] = member.nodeId;
                incarnations[count] = member.incarnation;
                sequences[count] = applied;
                count++;
            }
        }
        return count;
    }
}
