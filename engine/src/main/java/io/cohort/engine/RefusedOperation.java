package io.cohort.engine;

/**
 * Which accepted API call {@link CohortListener#onRefused} reports: match on the constant, never on a name.
 */
public enum RefusedOperation
{
    /** {@link CohortNode#subscribe}. */
    SUBSCRIBE(1),
    /** {@link CohortNode#unsubscribe}. */
    UNSUBSCRIBE(2),
    /** {@link CohortNode#disconnect}. */
    DISCONNECT(3),
    /** {@link CohortNode#createRoom}. */
    CREATE_ROOM(4),
    /** {@link CohortNode#removeRoom}. */
    REMOVE_ROOM(5),
    /** {@link CohortNode#publish}. */
    PUBLISH(6),
    /** {@link CohortNode#broadcast}. */
    BROADCAST(7);

    private static final RefusedOperation[] BY_CODE;

    static
    {
        final RefusedOperation[] values = values();
        int maxCode = 0;
        for (final RefusedOperation value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new RefusedOperation[maxCode + 1];
        for (final RefusedOperation value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    RefusedOperation(final int code)
    {
        this.code = code;
    }

    /**
     * The stable code of this value: never changes, whatever the order of the constants.
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
    public static RefusedOperation get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown RefusedOperation code: " + code);
        }
        return BY_CODE[(int)code];
    }
}
