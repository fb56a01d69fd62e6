package io.cohort.engine;

import io.cohort.transport.OutboundBatcher;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-destination credit for notifications, so that none is dropped silently and none is delivered in part.
 * <p>
 * <b>The rule.</b> A destination has credit while its directed stream can take one more notification now
 * ({@link OutboundBatcher#reserveDirected}): its window is open, that is, fewer than
 * {@code cohort.flow.notification.window} bytes were sent to it beyond what it last reported taking
 * ({@code FLOW_STATUS}, see {@link FlowReporter}), and its stream holds no frame the socket refused at the
 * high-water mark (or the socket takes that frame on the retry). The window bounds, end to end and in
 * milliseconds, what waits for a slow destination. The sync socket itself drops a frame for a destination whose
 * connection is full (frozen or cut off) rather than refusing it: that destination sees the gap in its directed
 * stream and leaves, so no node that stays misses a notification. A publish is routed to
 * every node whose count for its room is above zero, or to none: the node's thread
 * reserves room on each of their streams first, and if one of them has no credit (or no stream yet) the publish is
 * refused whole, before anything is claimed or delivered locally; the caller learns it as
 * {@link CallResult#BACK_PRESSURED} or, if it was already queued, through {@link CohortListener#onPublishRefused}
 * with {@link RefusalReason#NOTIFICATION_BACK_PRESSURED}, and every refusal is counted.
 * <p>
 * <b>Seen by callers.</b> The node's thread publishes the destinations without credit (those whose window is closed
 * or whose stream holds a refused frame, and any that refused the last route) once per duty cycle; a caller thread refuses a publish at
 * once, before queuing it, if one of them has subscribers in the room ({@link #refuses}). That view is at most a
 * cycle old, so it is a fast path, not the rule: the node's thread still decides each queued publish. Rooms
 * without subscribers on a back-pressured node are never refused for it.
 * <p>
 * Nothing here allocates after construction: the set is a fixed array of node ids (0 marks a free slot), written
 * by the node's thread only (single writer), read by any thread.
 */
final class NotificationCredit
{
    /** The count of one owner in one room, as a caller thread may read it (the node's replica of the rows). */
    @FunctionalInterface
    interface OwnerCounts
    {
        /**
         * @param ownerNodeId the owner.
         * @param roomId      the room.
         * @return the owner's count in the room.
         */
        long ownerCount(long ownerNodeId, long roomId);
    }

    private static final long FREE = 0;

    private final AtomicLongArray exhausted;
    /** Non-zero slots of {@link #exhausted}: written after the slots, so a reader that sees 0 may skip the scan. */
    private volatile int exhaustedCount;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong refusedQueued = new AtomicLong();
    private final AtomicLong refusedAtCall = new AtomicLong();
    private long exhaustions;

    /**
     * @param maxDestinations the most destinations callers are told about at once: the owners a node's state holds
     *                        ({@code cohort.state.max.nodes}), since only nodes holding counts are routed to.
     */
    NotificationCredit(final int maxDestinations)
    {
        if (maxDestinations < 1)
        {
            throw new IllegalArgumentException("maxDestinations=" + maxDestinations + " must be at least 1");
        }
        exhausted = new AtomicLongArray(maxDestinations);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Node thread
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Brings the set of destinations without credit up to date with the streams: a destination whose window is
     * closed or whose directed stream holds a refused frame is in it, one whose window reopened and whose stream
     * drained (or closed) leaves it. Node thread, once per duty cycle.
     *
     * @param outbound this node's streams.
     * @return the number of destinations that entered or left the set.
     */
    int refresh(final OutboundBatcher outbound)
    {
        int changed = 0;
        if (0 != exhaustedCount)
        {
            for (int i = 0, length = exhausted.length(); i < length; i++)
            {
                final long destination = exhausted.get(i);
                if (FREE != destination && hasCredit(outbound, destination))
                {
                    exhausted.set(i, FREE);
                    exhaustedCount = exhaustedCount - 1;
                    changed++;
                }
            }
        }
        for (int i = 0, count = outbound.destinationCount(); i < count; i++)
        {
            final long destination = outbound.destination(i);
            if (!hasCredit(outbound, destination))
            {
                changed += markExhausted(destination);
            }
        }
        return changed;
    }

    private static boolean hasCredit(final OutboundBatcher outbound, final long destination)
    {
        return outbound.isDirectedWindowOpen(destination) && !outbound.isBackPressured(destination);
    }

    /**
     * A route was refused because this destination had no credit (or no stream): counts the refusal and lets
     * callers refuse publishes to its rooms until {@link #refresh} sees its stream drained. Node thread.
     *
     * @param destination the node that could not take the notification.
     */
    void onRefused(final long destination)
    {
        refusedQueued.lazySet(refusedQueued.get() + 1);
        markExhausted(destination);
    }

    /**
     * A route was admitted and claimed on every destination's stream. Node thread.
     *
     * @param destinations the number of other nodes it went to.
     */
    void onRouted(final int destinations)
    {
        if (destinations > 0)
        {
            routed.lazySet(routed.get() + destinations);
        }
    }

    /**
     * @param destination a node id.
     * @return whether it is in the set of destinations without credit; node thread.
     */
    boolean isExhausted(final long destination)
    {
        return indexOf(destination) >= 0;
    }

    /**
     * @return times a destination entered the set of destinations without credit; node thread.
     */
    long exhaustions()
    {
        return exhaustions;
    }

    private int markExhausted(final long destination)
    {
        if (FREE == destination || indexOf(destination) >= 0)
        {
            return 0;
        }
        for (int i = 0, length = exhausted.length(); i < length; i++)
        {
            if (FREE == exhausted.get(i))
            {
                exhausted.set(i, destination);
                exhaustedCount = exhaustedCount + 1;
                exhaustions++;
                return 1;
            }
        }
        // More destinations without credit than owners can hold counts: callers then merely queue publishes that
        // the node's thread refuses and reports; nothing is lost.
        return 0;
    }

    private int indexOf(final long destination)
    {
        for (int i = 0, length = exhausted.length(); i < length; i++)
        {
            if (exhausted.get(i) == destination)
            {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Any thread
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Whether a publish to this room should be refused before it is queued: a destination without credit has
     * subscribers in it. Any thread; allocation-free; one count read per destination without credit, none while
     * every destination has credit.
     *
     * @param roomId the room.
     * @param counts the counts as the calling thread may read them.
     * @return true if the publish should be refused {@link CallResult#BACK_PRESSURED}.
     */
    boolean refuses(final long roomId, final OwnerCounts counts)
    {
        if (0 == exhaustedCount)
        {
            return false;
        }
        for (int i = 0, length = exhausted.length(); i < length; i++)
        {
            final long destination = exhausted.get(i);
            if (FREE != destination && counts.ownerCount(destination, roomId) > 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A caller was refused {@link CallResult#BACK_PRESSURED} by {@link #refuses}. Any thread.
     */
    void onRefusedAtCall()
    {
        refusedAtCall.incrementAndGet();
    }

    /**
     * @return destinations without credit now, as callers see them; any thread.
     */
    int exhaustedCount()
    {
        return exhaustedCount;
    }

    /**
     * @return notification messages claimed on other nodes' directed streams since start; any thread.
     */
    long routed()
    {
        return routed.get();
    }

    /**
     * @return publishes refused for lack of credit since start: at the call ({@link CallResult#BACK_PRESSURED}) and
     * on the node's thread (reported to the listener); any thread.
     */
    long refused()
    {
        return refusedAtCall.get() + refusedQueued.get();
    }

    /**
     * @return queued publishes the node's thread refused for lack of credit (reported to the listener); any thread.
     */
    long refusedQueued()
    {
        return refusedQueued.get();
    }

    /**
     * @return publishes refused {@link CallResult#BACK_PRESSURED} at the call for lack of credit; any thread.
     */
    long refusedAtCall()
    {
        return refusedAtCall.get();
    }
}
