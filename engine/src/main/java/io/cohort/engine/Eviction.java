package io.cohort.engine;

/**
 * An eviction a node decided or was told of, kept so that it can be announced again to members that missed it
 * (see {@code ClusterCore.onEvictedStillListed}).
 */
final class Eviction
{
    final long incarnation;
    final int reason;
    long announcedNs;

    Eviction(final long incarnation, final int reason, final long announcedNs)
    {
        this.incarnation = incarnation;
        this.reason = reason;
        this.announcedNs = announcedNs;
    }
}
