package io.cohort.codec;

/**
 * Why a node is suspected or removed, as carried in the removed entries of a view (and in the retired
 * {@link MessageType#SUSPECT} and {@link MessageType#NODE_EVICTED}). Int constants so they travel and compare without allocation.
 */
public final class ReasonCode
{
    /** A sequence number was skipped: messages were lost. */
    public static final int GAP = 1;
    /** A sequence number already applied arrived again. */
    public static final int DUPLICATE = 2;
    /** Messages arrived out of order. */
    public static final int REORDER = 3;
    /** A heartbeat named a last sequence that was never received: the tail of a stream was lost. */
    public static final int LOST_TAIL = 4;
    /** A frame failed its checksum or could not be decoded. */
    public static final int BAD_FRAME = 5;
    /** Nothing was heard from the node within the heartbeat timeout. */
    public static final int SILENCE = 6;
    /** The node was on the losing side of a network partition. */
    public static final int PARTITION = 7;
    /** A replica's digest of the node's rows differs from the node's own. */
    public static final int DIGEST_MISMATCH = 8;
    /** An operator asked for it. */
    public static final int OPERATOR = 9;
    /** A majority of members saw the node healthy: its accuser is the broken one. */
    public static final int FALSE_ACCUSATION = 10;
    /** The node left gracefully. */
    public static final int LEFT = 11;
    /** A newer incarnation of the node (a restart under the same node id) took its place. */
    public static final int RESTARTED = 12;
    /**
     * The node stayed behind an owner's stream past {@code cohort.flow.lagging.after}: the owner that measured it
     * asked for its removal ({@link ChangeRequestDecoder#KIND_LAGGING}) rather than be throttled by it for ever.
     */
    public static final int LAGGING = 13;

    private ReasonCode()
    {
    }

    /**
     * The name of a reason, for logs.
     *
     * @param reason a reason code.
     * @return its name, or {@code "UNKNOWN(n)"}.
     */
    public static String name(final int reason)
    {
        switch (reason)
        {
            case GAP: return "GAP";
            case DUPLICATE: return "DUPLICATE";
            case REORDER: return "REORDER";
            case LOST_TAIL: return "LOST_TAIL";
            case BAD_FRAME: return "BAD_FRAME";
            case SILENCE: return "SILENCE";
            case PARTITION: return "PARTITION";
            case DIGEST_MISMATCH: return "DIGEST_MISMATCH";
            case OPERATOR: return "OPERATOR";
            case FALSE_ACCUSATION: return "FALSE_ACCUSATION";
            case LEFT: return "LEFT";
            case RESTARTED: return "RESTARTED";
            case LAGGING: return "LAGGING";
            default: return "UNKNOWN(" + reason + ")";
        }
    }
}
