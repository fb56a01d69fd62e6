package io.cohort.state;

/**
 * Decides, once a room's count entry is found, whether the local count goes up by one: lets a caller check and
 * change other tables in the same step, so a subscribe finds the room's entry once. It must not change the
 * counts.
 */
@FunctionalInterface
interface CountAdmission
{
    /**
     * @return {@link StateResult#SUBSCRIBED} to add one to the count; anything else leaves it unchanged.
     */
    StateResult admit(long roomId, long previousCount);
}
