package io.cohort.engine;

import io.cohort.codec.ReasonCode;

/**
 * Why a member was evicted, as {@link CohortListener#onMemberEvicted} reports it. The codes are the wire's
 * {@link ReasonCode}s.
 */
public enum EvictionReason
{
    /** A reason this version does not know (sent by a newer member). */
    UNKNOWN(0),
    /** A sequence number was skipped: messages were lost. */
    GAP(1),
    /** A sequence number already applied arrived again. */
    DUPLICATE(2),
    /** Messages arrived out of order. */
    REORDER(3),
    /** A heartbeat named a last sequence that was never received: the tail of a stream was lost. */
    LOST_TAIL(4),
    /** A frame failed its checksum or could not be decoded. */
    BAD_FRAME(5),
    /** Nothing was heard from the member within the heartbeat timeout. */
    SILENCE(6),
    /** The member was on the losing side of a network partition. */
    PARTITION(7),
    /** A replica's digest of the member's rows differs from the member's own. */
    DIGEST_MISMATCH(8),
    /** An operator asked for it. */
    OPERATOR(9),
    /** It alone saw faults in others' streams (or could not hear them): its own receive path is the broken one. */
    FALSE_ACCUSATION(10),
    /** It left gracefully. */
    LEFT(11),
    /** A newer incarnation of it (a restart under the same node id) took its place. */
    RESTARTED(12),
    /**
     * It stayed behind an owner's stream past {@code cohort.flow.lagging.after}: that owner asked for its removal, or
     * (where the owner cannot tell, e.g. a cluster of two) it alone saw that stream lag and was cut as the slow side.
     */
    LAGGING(13);

    private static final EvictionReason[] BY_CODE;

    static
    {
        final EvictionReason[] values = values();
        int maxCode = 0;
        for (final EvictionReason value : values)
        {
            maxCode = Math.max(maxCode, value.code);
        }
        BY_CODE = new EvictionReason[maxCode + 1];
        for (final EvictionReason value : values)
        {
            if (null != BY_CODE[value.code])
            {
                throw new IllegalStateException(value + " and " + BY_CODE[value.code] + " share code " + value.code);
            }
            BY_CODE[value.code] = value;
        }
    }

    private final int code;

    EvictionReason(final int code)
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
    public static EvictionReason get(final long code)
    {
        if (code < 0 || code >= BY_CODE.length || null == BY_CODE[(int)code])
        {
            throw new IllegalArgumentException("unknown EvictionReason code: " + code);
        }
        return BY_CODE[(int)code];
    }

    /**
     * The reason carried on the wire ({@link ReasonCode}), whose codes are these; a code this version does not
     * know is {@link #UNKNOWN} rather than an error, as a newer member may send it.
     *
     * @param reasonCode a {@link ReasonCode} value.
     * @return its reason.
     */
    static EvictionReason ofWire(final int reasonCode)
    {
        return reasonCode > 0 && reasonCode < BY_CODE.length && null != BY_CODE[reasonCode] ?
            BY_CODE[reasonCode] : UNKNOWN;
    }
}
