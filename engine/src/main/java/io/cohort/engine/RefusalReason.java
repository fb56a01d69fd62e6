package io.cohort.engine;

import io.cohort.state.StateResult;

/**
 * Why {@link CohortListener#onRefused} reports an accepted API call refused; in every case nothing changed.
 */
public enum RefusalReason
{
    /** The room does not exist (never created, or removed): nothing changed. */
    UNKNOWN_ROOM(1),
    /** The connection holds {@code cohort.state.max.rooms.per.connection} rooms already: nothing changed. */
    CONNECTION_FULL(2),
    /** {@code cohort.state.max.connections} connections hold subscriptions already: nothing changed. */
    CONNECTIONS_FULL(3),
    /** The overflow map holds {@code cohort.state.max.overflow.subscriptions} already: nothing changed. */
    OVERFLOW_FULL(4),
    /** Every owner slot ({@code cohort.state.max.nodes}) is taken: nothing changed. */
    OWNERS_FULL(5),
    /** This node holds a count in {@code cohort.state.max.rooms} rooms already: nothing changed. */
    ROOM_COUNTS_FULL(6),
    /** A room with this id exists with different metadata: nothing changed. */
    ROOM_CONFLICT(7),
    /** The room id is not the content-derived id of its metadata: nothing changed. */
    ROOM_ID_MISMATCH(8),
    /** The room's metadata is longer than {@code cohort.state.max.filter.bytes} allows: nothing changed. */
    ROOM_TOO_LARGE(9),
    /** {@code cohort.state.max.rooms} rooms exist, or their metadata would pass its byte budget: nothing changed. */
    ROOMS_FULL(10),
    /** The room still has subscribers: nothing changed. */
    ROOM_IN_USE(11),
    /** The node stopped being a running member between the call and its turn: nothing changed. */
    NOT_MEMBER(12),
    /** The replication stream to the other members is full: the event was not sent. */
    SYNC_BACK_PRESSURED(13),
    /**
     * A node with subscribers in the room had no notification credit (it had not yet taken the notifications sent
     * to it up to {@code cohort.flow.notification.window}, or its socket was full): the
     * notification was delivered nowhere, neither to this node's subscribers nor to any other node. Publish it
     * again later, or shed it.
     */
    NOTIFICATION_BACK_PRESSURED(14);

    private static final RefusalReason[] BY_CODE;

    static
    {
        final RefusalReason[] values = values();
        int maxCode = 0;
        for (final RefusalReason value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new RefusalReason[maxCode + 1];
        for (final RefusalReason value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    RefusalReason(final int code)
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
    public static RefusalReason get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown RefusalReason code: " + code);
        }
        return BY_CODE[(int)code];
    }

    /**
     * The reason for a refusal of the state.
     *
     * @param result a refusal ({@link StateResult#isRefusal()}).
     * @return its reason.
     * @throws IllegalArgumentException if the result is not a refusal.
     */
    static RefusalReason of(final StateResult result)
    {
        switch (result)
        {
            case UNKNOWN_ROOM: return UNKNOWN_ROOM;
            case CONNECTION_FULL: return CONNECTION_FULL;
            case CONNECTIONS_FULL: return CONNECTIONS_FULL;
            case OVERFLOW_FULL: return OVERFLOW_FULL;
            case OWNERS_FULL: return OWNERS_FULL;
            case ROOM_COUNTS_FULL: return ROOM_COUNTS_FULL;
            case ROOM_CONFLICT: return ROOM_CONFLICT;
            case ROOM_ID_MISMATCH: return ROOM_ID_MISMATCH;
            case ROOM_TOO_LARGE: return ROOM_TOO_LARGE;
            case ROOMS_FULL: return ROOMS_FULL;
            case ROOM_IN_USE: return ROOM_IN_USE;
            default: throw new IllegalArgumentException(result + " is not a refusal");
        }
    }
}
