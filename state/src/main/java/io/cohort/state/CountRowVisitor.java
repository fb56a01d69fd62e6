package io.cohort.state;

/**
 * Visits one row of an owner in {@link RoomCounts}.
 */
@FunctionalInterface
interface CountRowVisitor
{
    void onRow(long roomId, long count);
}
