package io.cohort.engine;

/**
 * How long the cut detector's outcome (the members it would keep) has stood still: a cut is acted on only once its
 * outcome has been the same for the settle time, so that the members propose the same view and a removal waits for
 * the reports that could change it.
 * <p>
 * It is the outcome that must settle, not the edges. A member that loses most of its packets keeps changing the rows:
 * its own row reads stale, then fresh, then stale (a stale row accuses everyone), and the others' silence edges to it
 * come and go with each heartbeat that gets through. Counted from the last change of any edge, the settle time
 * restarted at nearly every heartbeat and the lossy member stayed in the view for most of a second (seed 2128782:
 * a member that lost notifications from it left first, as the rule for lost notifications requires). Edges that
 * come and go without changing who would be removed say nothing new about the cut.
 * <p>
 * Pure: times come in as arguments.
 */
final class SettledCut
{
    private long survivors;
    private long sinceNs;

    /**
     * Starts over for a newly installed view: no cut, as of {@code nowNs}.
     *
     * @param allRanks every rank of the view.
     * @param nowNs    the time of the install.
     */
    void reset(final long allRanks, final long nowNs)
    {
        survivors = allRanks;
        sinceNs = nowNs;
    }

    /**
     * Records the detector's outcome of this cycle.
     *
     * @param survivors the ranks the detector keeps (every rank when there is no edge).
     * @param nowNs     now.
     * @return since when the detector has kept exactly these ranks.
     */
    long observe(final long survivors, final long nowNs)
    {
        if (survivors != this.survivors)
        {
            this.survivors = survivors;
            sinceNs = nowNs;
        }
        return sinceNs;
    }
}
