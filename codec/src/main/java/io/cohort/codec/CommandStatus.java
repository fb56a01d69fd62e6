package io.cohort.codec;

/**
 * Status of a command-channel response ({@link MessageType#JOIN_RESPONSE}, {@link MessageType#COMMAND_RESPONSE}).
 * The codes travel on the wire and never change: a new status gets a new code.
 */
public final class CommandStatus
{
    /** The request was carried out. */
    public static final int OK = 0;
    /** The request was understood but refused (e.g. a join from an unknown protocol version). */
    public static final int REJECTED = 1;
    /** The responder cannot serve it yet (e.g. it is still joining). */
    public static final int NOT_READY = 2;
    /** The request was malformed or named something that does not exist. */
    public static final int BAD_REQUEST = 3;
    /** The responder failed while serving it. */
    public static final int INTERNAL_ERROR = 4;
    /** A join refused because the joiner belongs to another cluster (its cluster name differs). */
    public static final int CLUSTER_MISMATCH = 5;
    /**
     * A join refused because a setting every member must share differs too much (protocol version, heartbeat
     * interval or timeout): the response carries the responder's settings, so the joiner can name the mismatch.
     */
    public static final int SETTINGS_MISMATCH = 6;
    /**
     * The requester's incarnation is not in the responder's view (a later view removed it): the requester must evict
     * itself, and may rejoin as a new incarnation.
     */
    public static final int REMOVED = 7;

    private CommandStatus()
    {
    }

    /**
     * The name of a status, for logs.
     *
     * @param status a status code.
     * @return its name, or {@code "UNKNOWN(n)"}.
     */
    public static String name(final int status)
    {
        switch (status)
        {
            case OK: return "OK";
            case REJECTED: return "REJECTED";
            case NOT_READY: return "NOT_READY";
            case BAD_REQUEST: return "BAD_REQUEST";
            case INTERNAL_ERROR: return "INTERNAL_ERROR";
            case CLUSTER_MISMATCH: return "CLUSTER_MISMATCH";
            case SETTINGS_MISMATCH: return "SETTINGS_MISMATCH";
            case REMOVED: return "REMOVED";
            default: return "UNKNOWN(" + status + ")";
        }
    }
}
