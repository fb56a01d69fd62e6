package io.cohort.engine;

/**
 * Checksums: no message of a frame whose bytes the network changed on the way ever reaches a node's core. One
 * check is one corrupted frame that reached a running node's frame decoder.
 */
final class ChecksumChecker implements SimChecker
{
    private final SimChecks checks;
    private long corruptedArrivals;

    ChecksumChecker(final SimChecks checks)
    {
        this.checks = checks;
    }

    public String name()
    {
        return "checksum";
    }

    public long checks()
    {
        return corruptedArrivals;
    }

    /**
     * A frame the network corrupted is about to be decoded by a running node.
     */
    void onCorruptedFrame()
    {
        corruptedArrivals++;
    }

    /**
     * A message passed the frame and sequence checks and is about to reach the core.
     */
    void onMessage(final SimNode receiver, final long publisherNodeId, final int type, final boolean corruptedFrame)
    {
        if (corruptedFrame)
        {
            checks.fail(receiver + " was given message type " + type + " from " + checks.name(publisherNodeId) +
                " out of a frame the network corrupted: the checksum let it through");
        }
    }
}
