package io.cohort.transport;

/**
 * How a received frame's sequence numbers compare with what its stream was expected to deliver next.
 * Int constants so that a check returns without allocating.
 */
public final class SequenceCheck
{
    /** The frame starts exactly at the expected sequence: apply it. */
    public static final int IN_ORDER = 0;
    /** The frame was already received (or overlaps what was): drop it. */
    public static final int DUPLICATE = 1;
    /** The frame starts past the expected sequence: messages in between were lost. */
    public static final int GAP = 2;
    /** The frame fills a gap reported earlier: it arrived out of order. */
    public static final int REORDER = 3;

    private SequenceCheck()
    {
    }

    /**
     * The name of a result, for logs.
     *
     * @param check one of the constants.
     * @return its name.
     */
    public static String name(final int check)
    {
        switch (check)
        {
            case IN_ORDER: return "IN_ORDER";
            case DUPLICATE: return "DUPLICATE";
            case GAP: return "GAP";
            case REORDER: return "REORDER";
            default: return "UNKNOWN(" + check + ")";
        }
    }
}
