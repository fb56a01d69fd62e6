package io.cohort.engine;

/**
 * Which sets of a view's members may decide for it: agree on its successor, or keep a node's lease alive.
 * <p>
 * The one property everything rests on: <b>any two quorums of one view intersect</b>, so two disjoint groups can
 * never both decide, and a view has at most one successor.
 * <ul>
 *     <li>keep-majority and keep-oldest: {@code 2|Q| > |V|}, or {@code 2|Q| == |V|} and {@code Q} holds rank 0.
 *     Two sets of more than half share a member (their sizes sum past {@code |V|}); a set of more than half and a
 *     half sum to more than {@code |V|}; two halves both hold rank 0. The strategies differ only in
 *     {@link CutDetector}'s preference.</li>
 *     <li>static-quorum with {@code q = minimumNodes}: {@code |Q| >= q}, which intersects only while
 *     {@code 2q > |V|}; the configuration refuses a {@code q} that could break it
 *     ({@code 2q > cohort.cluster.expected.size}, and no joiner past that size). In a view smaller than {@code q}
 *     (while a cluster grows from its founder, or after leaves) no set reaches {@code q}, which would freeze the
 *     view for ever: there the majority rule above decides, and such a view does not serve anyway
 *     ({@code |V| >= minimum.nodes} is a condition of serving).</li>
 * </ul>
 * Every quorum rule here is monotone (a superset of a quorum is a quorum), which {@link Lease} relies on.
 * The checks are pure arithmetic on a rank bitmap (bit i = the member of rank i): no allocation.
 */
final class Quorum
{
    private final SplitStrategy strategy;
    private final int minimumNodes;

    /**
     * A quorum rule.
     *
     * @param strategy     {@code cohort.cluster.split.strategy}.
     * @param minimumNodes {@code cohort.cluster.minimum.nodes}, used by static-quorum.
     * @throws IllegalArgumentException if {@code minimumNodes < 1}.
     */
    Quorum(final SplitStrategy strategy, final int minimumNodes)
    {
        if (minimumNodes < 1)
        {
            throw new IllegalArgumentException("minimumNodes must be at least 1: minimumNodes=" + minimumNodes);
        }
        this.strategy = strategy;
        this.minimumNodes = minimumNodes;
    }

    SplitStrategy strategy()
    {
        return strategy;
    }

    int minimumNodes()
    {
        return minimumNodes;
    }

    /**
     * Whether a set of a view's members is a quorum of it.
     *
     * @param view     the view.
     * @param rankBits bit i = the member of rank i; bits at or past the view's size are ignored.
     * @return true if the set may decide for the view.
     */
    boolean isQuorum(final View view, final long rankBits)
    {
        return isQuorum(view.size(), rankBits);
    }

    /**
     * Whether a set of ranks is a quorum of a view of a size.
     *
     * @param viewSize the view's size, 1 to {@link View#MAX_MEMBERS}.
     * @param rankBits bit i = the member of rank i; bits at or past {@code viewSize} are ignored.
     * @return true if the set may decide for the view.
     */
    boolean isQuorum(final int viewSize, final long rankBits)
    {
        final long bits = rankBits & View.allRanks(viewSize);
        final int count = Long.bitCount(bits);
        if (SplitStrategy.STATIC_QUORUM == strategy && viewSize >= minimumNodes)
        {
            return count >= minimumNodes;
        }
        return 2 * count > viewSize || (2 * count == viewSize && 0 != (bits & 1L));
    }

    /**
     * The fewest members a view must hold to serve, given how many seed hosts a node knows: the bound that makes
     * founding safe. A group of joining nodes founds a new instance of the cluster only when so many seed hosts
     * answered that those left silent are fewer than this ({@link JoinDriver}); a view serves (RUNNING) only while it
     * holds at least this many members. A serving view and a founding group each hold more seed hosts than the other
     * could leave out, so they share one: a host that answers as a joining node is in no serving view, and a new
     * instance is never founded beside one that serves. (A view's members are counted as seed hosts: the rule assumes
     * every node lists the same seeds, every one of them a node of the cluster.)
     * <p>
     * Without this bound a view shrunk below a majority of the seed hosts (one removal at a time, each agreed) went on
     * serving, while the nodes removed, started again on the far side of a cut, were a majority of the seed hosts and
     * founded a second instance that served beside it.
     *
     * @param strategy     {@code cohort.cluster.split.strategy}.
     * @param minimumNodes {@code cohort.cluster.minimum.nodes}.
     * @param seedHosts    this node and the seed endpoints it resolved (itself left out of them), at least 1.
     * @return under keep-majority a majority of the seed hosts (half, rounded up); under keep-oldest 1 (founding needs
     * every seed host); under static-quorum {@code minimumNodes}.
     */
    static int smallestServingView(final SplitStrategy strategy, final int minimumNodes, final int seedHosts)
    {
        switch (strategy)
        {
            case KEEP_OLDEST:
                return 1;
            case STATIC_QUORUM:
                return Math.max(1, minimumNodes);
            default:
                return (seedHosts + 1) / 2;
        }
    }

    /**
     * The number of members in a set.
     *
     * @param rankBits bit i = the member of rank i.
     * @return how many bits are set.
     */
    static int size(final long rankBits)
    {
        return Long.bitCount(rankBits);
    }

    public String toString()
    {
        return "Quorum{" + strategy.propertyValue() +
            (SplitStrategy.STATIC_QUORUM == strategy ? ", minimumNodes=" + minimumNodes : "") + '}';
    }
}
