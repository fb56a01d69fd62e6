package io.cohort.state;

/**
 * Expected outcomes of the {@link SubscriptionState} operations. A refusal ({@link #isRefusal()}) leaves the
 * state exactly as it was; misuse of the API (an id of 0, a negative count) is an
 * {@link IllegalArgumentException} instead.
 */
public enum StateResult
{
    /** The connection is now subscribed to the room; the local count went up by one. */
    SUBSCRIBED(false),
    /** The connection was already subscribed to the room: nothing changed. */
    ALREADY_SUBSCRIBED(false),
    /** The room does not exist on this node: nothing changed. */
    UNKNOWN_ROOM(true),
    /** The connection holds {@code cohort.state.max.rooms.per.connection} rooms already: nothing changed. */
    CONNECTION_FULL(true),
    /** {@code cohort.state.max.connections} connections hold subscriptions already: nothing changed. */
    CONNECTIONS_FULL(true),
    /** The overflow map holds {@code cohort.state.max.overflow.subscriptions} already: nothing changed. */
    OVERFLOW_FULL(true),

    /** The connection is no longer subscribed to the room; the local count went down by one. */
    UNSUBSCRIBED(false),
    /** The connection was not subscribed to the room: nothing changed. */
    NOT_SUBSCRIBED(false),

    /** Every subscription of the connection was removed. */
    DISCONNECTED(false),
    /** The connection held no subscription: nothing changed. */
    UNKNOWN_CONNECTION(false),

    /** The owner's count was set to a new value. */
    APPLIED(false),
    /** The owner's count already had that value: nothing changed. */
    UNCHANGED(false),
    /** Every owner slot ({@code cohort.state.max.nodes}) is taken by another owner: nothing changed. */
    OWNERS_FULL(true),
    /** The owner already holds a count in {@code cohort.state.max.rooms} rooms: nothing changed. */
    ROOM_COUNTS_FULL(true),

    /** The room was created. */
    ROOM_CREATED(false),
    /** The room already existed with the same metadata: nothing changed. */
    ROOM_EXISTS(false),
    /**
     * A room with this id exists with different metadata (a 64-bit hash collision, or nodes that disagree
     * on the room id function): nothing changed.
     */
    ROOM_CONFLICT(true),
    /** The room id is not the content-derived id of its metadata ({@link RoomIds}): nothing changed. */
    ROOM_ID_MISMATCH(true),
    /** The room metadata is longer than allowed ({@code cohort.state.max.filter.bytes}): nothing changed. */
    ROOM_TOO_LARGE(true),
    /**
     * {@code cohort.state.max.rooms} rooms exist, or the rooms' metadata would pass the byte budget
     * ({@code max.rooms * average.room.bytes}): nothing changed.
     */
    ROOMS_FULL(true),
    /** The room was removed. */
    ROOM_REMOVED(false),
    /** Local connections are subscribed to the room, so it cannot be removed: nothing changed. */
    ROOM_IN_USE(true);

    private final boolean refusal;

    StateResult(final boolean refusal)
    {
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
}
