package io.cohort.state;

/**
 * Expected outcomes of the {@link SubscriptionState} operations. A refusal ({@link #isRefusal()}) leaves the
 * state exactly as it was; misuse of the API (an id of 0, a negative count) is an
 * {@link IllegalArgumentException} instead.
 */
public enum StateResult
{
    /** The connection is now subscribed to the room; the local count went up by one. */
    SUBSCRIBED(0, false),
    /** The connection was already subscribed to the room: nothing changed. */
    ALREADY_SUBSCRIBED(1, false),
    /** The room does not exist on this node: nothing changed. */
    UNKNOWN_ROOM(2, true),
    /** The connection holds {@code cohort.state.max.rooms.per.connection} rooms already: nothing changed. */
    CONNECTION_FULL(3, true),
    /** {@code cohort.state.max.connections} connections hold subscriptions already: nothing changed. */
    CONNECTIONS_FULL(4, true),
    /** The overflow map holds {@code cohort.state.max.overflow.subscriptions} already: nothing changed. */
    OVERFLOW_FULL(5, true),

    /** The connection is no longer subscribed to the room; the local count went down by one. */
    UNSUBSCRIBED(6, false),
    /** The connection was not subscribed to the room: nothing changed. */
    NOT_SUBSCRIBED(7, false),

    /** Every subscription of the connection was removed. */
    DISCONNECTED(8, false),
    /** The connection held no subscription: nothing changed. */
    UNKNOWN_CONNECTION(9, false),

    /** The owner's count was set to a new value. */
    APPLIED(10, false),
    /** The owner's count already had that value: nothing changed. */
    UNCHANGED(11, false),
    /** Every owner slot ({@code cohort.state.max.nodes}) is taken by another owner: nothing changed. */
    OWNERS_FULL(12, true),
    /** The room has no count yet and {@code cohort.state.max.rooms} rooms have counts: nothing changed. */
    ROOM_COUNTS_FULL(13, true),

    /** The room was created. */
    ROOM_CREATED(14, false),
    /** The room already existed with the same metadata: nothing changed. */
    ROOM_EXISTS(15, false),
    /**
     * A room with this id exists with different metadata (a 64-bit hash collision, or nodes that disagree
     * on the room id function): nothing changed.
     */
    ROOM_CONFLICT(16, true),
    /** The room id is not the content-derived id of its metadata ({@link RoomIds}): nothing changed. */
    ROOM_ID_MISMATCH(17, true),
    /** The room metadata is longer than allowed ({@code cohort.state.max.filter.bytes}): nothing changed. */
    ROOM_TOO_LARGE(18, true),
    /**
     * {@code cohort.state.max.rooms} rooms exist, or the rooms' metadata would pass the byte budget
     * ({@code max.rooms * average.room.bytes}): nothing changed.
     */
    ROOMS_FULL(19, true),
    /** The room was removed. */
    ROOM_REMOVED(20, false),
    /**
     * Connections are subscribed to the room (here, or on another node as far as this one knows), so it cannot be
     * removed: nothing changed.
     */
    ROOM_IN_USE(21, true);


    private static final StateResult[] BY_CODE;

    static
    {
        final StateResult[] values = values();
        int maxCode = 0;
        for (final StateResult value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new StateResult[maxCode + 1];
        for (final StateResult value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;
    private final boolean refusal;

    StateResult(final int code, final boolean refusal)
    {
        this.code = code;
        this.refusal = refusal;
    }

    /**
     * Whether the operation was refused because of a capacity or a conflict (as opposed to a success or
     * an idempotent no-op). The state is unchanged after a refusal.
     *
     * @return true for a refusal.
     */
    public boolean isRefusal()
    {
        return refusal;
    }

    /**
     * The stable code of this result, wherever a result is reported as a number: never changes, whatever the
     * order of the constants.
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
    public static StateResult get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown StateResult code: " + code);
        }
        return BY_CODE[(int)code];
    }
}
