package io.cohort.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a run, per host: what {@link ServingGroups} rebuilds the run from.
 */
interface Incarnations
{
    /**
     * How many hosts there are.
     *
     * @return the count; hosts are numbered from 1.
     */
    int hostCount();

    /**
     * A host's incarnations so far, oldest first.
     *
     * @param host from 1.
     * @return a copy.
     */
    List<Incarnation> incarnations(int host);

    /**
     * Every incarnation of every host.
     *
     * @return a copy, host 1 first.
     */
    default List<Incarnation> all()
    {
        final List<Incarnation> all = new ArrayList<>();
        for (int host = 1; host <= hostCount(); host++)
        {
            all.addAll(incarnations(host));
        }
        return all;
    }
}
