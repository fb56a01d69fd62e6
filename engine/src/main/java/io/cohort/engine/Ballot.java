package io.cohort.engine;

/**
 * Ballots of the view agreement ({@link ViewAcceptor}, {@link ViewProposer}): a pair {@code (round, nodeId)} kept
 * as two primitives, ordered by round, then by node id compared unsigned. A ballot belongs to the node whose id it
 * carries, and that node proposes at most one value under it, so two proposers never share a ballot. Round 0 of
 * an epoch belongs to the oldest member of the installed view: every acceptor starts promised to
 * {@code (0, oldest)}, which is why the oldest may skip phase 1 in its first round. Rounds start at 0; a round of
 * {@link #NO_ROUND} stands for "no ballot" (nothing accepted) and is lower than every real ballot.
 * Static helpers only: nothing here allocates.
 */
final class Ballot
{
    /** The round of "no ballot": lower than every real ballot. */
    static final long NO_ROUND = -1;

    private Ballot()
    {
    }

    /**
     * Compares two ballots.
     *
     * @param round1  round of the first ballot.
     * @param nodeId1 node id of the first ballot (compared unsigned).
     * @param round2  round of the second ballot.
     * @param nodeId2 node id of the second ballot (compared unsigned).
     * @return negative, zero or positive as the first ballot is lower than, equal to or higher than the second.
     */
    static int compare(final long round1, final long nodeId1, final long round2, final long nodeId2)
    {
        final int byRound = Long.compare(round1, round2);
        return 0 != byRound ? byRound : Long.compareUnsigned(nodeId1, nodeId2);
    }

    /**
     * Whether the first ballot is strictly higher than the second.
     *
     * @param round1  round of the first ballot.
     * @param nodeId1 node id of the first ballot.
     * @param round2  round of the second ballot.
     * @param nodeId2 node id of the second ballot.
     * @return true if {@code (round1, nodeId1) > (round2, nodeId2)}.
     */
    static boolean isHigher(final long round1, final long nodeId1, final long round2, final long nodeId2)
    {
        return compare(round1, nodeId1, round2, nodeId2) > 0;
    }

    /**
     * Whether the first ballot is higher than or equal to the second.
     *
     * @param round1  round of the first ballot.
     * @param nodeId1 node id of the first ballot.
     * @param round2  round of the second ballot.
     * @param nodeId2 node id of the second ballot.
     * @return true if {@code (round1, nodeId1) >= (round2, nodeId2)}.
     */
    static boolean isHigherOrEqual(final long round1, final long nodeId1, final long round2, final long nodeId2)
    {
        return compare(round1, nodeId1, round2, nodeId2) >= 0;
    }

    /**
     * A short text for logs: {@code round/nodeIdHex}, or {@code none}.
     *
     * @param round  round of the ballot.
     * @param nodeId node id of the ballot.
     * @return the text (allocates: not for hot paths).
     */
    static String toString(final long round, final long nodeId)
    {
        return NO_ROUND == round ? "none" : round + "/" + Long.toHexString(nodeId);
    }
}
