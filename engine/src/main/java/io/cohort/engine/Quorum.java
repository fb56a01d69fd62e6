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
     * The fewest members a view must hold to serve, given how many seed hosts a node knows. A view serves (RUNNING)
     * only while it holds at least this many members, and a group of joining nodes founds a new instance only when
     * at least {@link #smallestFoundingGroup} seed hosts answered as joining nodes ({@link JoinDriver}); the two
     * bounds together keep a second instance from ever serving beside one that serves. (A view's members are counted
     * as seed hosts: the rule assumes every node lists the same seeds, every one of them a node of the cluster.)
     * <ul>
     * <li>A serving view and a founding group share a seed host, and a host that answers as a joining node is in no
     * serving view: a new instance is never founded beside one that serves. Without a floor, a view shrunk to a
     * minority of the seed hosts (one agreed removal at a time) went on serving while the removed nodes, started again
     * beyond a cut, founded a second instance (seed 411531).</li>
     * <li>Under keep-majority two serving views share a seed host too, so two instances founded apart (each
     * founding group met no serving view then) cannot both grow to serve: a host is a member of one instance at a
     * time. Half the seed hosts is not enough: a view's tie-break (half with the oldest member) holds within one
     * lineage only, and two instances founded apart beyond a one-way cut each served with two of four seed hosts
     * (seed 1924854).</li>
     * </ul>
     *
     * @param strategy     {@code cohort.cluster.split.strategy}.
     * @param minimumNodes {@code cohort.cluster.minimum.nodes}.
     * @param seedHosts    this node and the seed endpoints it resolved (itself left out of them), at least 1.
     * @return under keep-majority more than half of the seed hosts; under keep-oldest 1 (founding needs every seed
     * host); under static-quorum {@code minimumNodes}.
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
                return seedHosts / 2 + 1;
        }
    }

    /**
     * The fewest seed hosts, the founder included, that must answer as joining nodes in one round before a joining
     * node founds a new instance: more than the seed hosts left silent could hold of a serving view
     * ({@link #smallestServingView}), so that the founding group shares a seed host with every serving view.
     *
     * @param strategy     {@code cohort.cluster.split.strategy}.
     * @param minimumNodes {@code cohort.cluster.minimum.nodes}.
     * @param seedHosts    this node and the seed endpoints it resolved (itself left out of them), at least 1.
     * @return under keep-majority more than half of the seed hosts; under keep-oldest every one (a view of one may
     * serve); under static-quorum all but fewer than {@code minimumNodes}.
     */
    static int smallestFoundingGroup(final SplitStrategy strategy, final int minimumNodes, final int seedHosts)
    {
        switch (strategy)
        {
            case KEEP_OLDEST:
                return seedHosts;
            case STATIC_QUORUM:
                return Math.max(1, seedHosts - Math.max(1, minimumNodes) + 1);
            default:
                return seedHosts / 2 + 1;
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
