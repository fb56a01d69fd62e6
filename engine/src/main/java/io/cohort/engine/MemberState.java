package io.cohort.engine;

/**
 * How far this node's copy of another member's rows has got, as {@link ClusterMember#state()} reports it.
 */
public enum MemberState
{
    /** Known and subscribed to; its rows are being loaded (first join, or a repair): not counted yet. */
    SYNCING(1),
    /** Its rows are loaded and kept up to date: counted in every cluster-wide count. */
    SYNCED(2);

    private final int code;

    MemberState(final int code)
    {
        this.code = code;
    }

    /**
     * The stable code of this state: never changes, whatever the order of the constants.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The value of a code written by {@link #code()}.
     *
     * @param code a code.
     * @return its value.
     * @throws IllegalArgumentException if no value has this code.
     */
    public static MemberState get(final long code)
    {
        for (final MemberState state : values())
        {
            if (state.code == code)
            {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown MemberState code: " + code);
    }
}
