package io.cohort.transport;

import java.util.Arrays;

/**
 * Bounds what this node has sent on its broadcast stream but its replicas have not yet applied, as Aeron's
 * publication bounds what its slowest subscriber has not consumed. Pure and allocation-free after construction;
 * used by the node's thread only.
 * <p>
 * The owner appends every broadcast frame handed to the wire ({@link #onBroadcastSent}, as
 * {@code (lastSequence, cumulative bytes, sent time)}) to a ring of the last {@code maxFrames} frames; replicas
 * report the last sequence they applied ({@link #onStatus}), which the ring turns into a position in bytes (the
 * end of the last frame the replica applied in full). The window is {@link #isOpen() open} iff
 * <pre>
 *   sentBytes - min(position of tethered replicas) &lt; windowBytes
 *   and frames beyond that position &lt; maxFrames
 * </pre>
 * Tethering, as Aeron's untethered subscriptions: a replica counts in the minimum only while tethered. A replica
 * is tethered when it reports a position within half a window (and half the frames) of the head; a tethered
 * replica that alone would hold the window closed for {@code untetherAfterNs} on end is untethered (counted in
 * {@link #untetherings()}), so one slow replica cannot throttle the owner for ever; it is tethered again once a
 * status puts it within half a window. With no tethered replica the window is open.
 * <p>
 * Behind: a replica is {@link #behindNs behind} from the first tick at which it holds the window closed (or, for a
 * replica whose first status was already beyond half a window, from that status) until a status puts it within
 * half a window of the head again, tethered or not. So the clock keeps running through an untethering, and also
 * for a tethered replica that keeps the window closed a frame at a time (the window reopens on each of its
 * statuses, never for long enough to untether it, and the owner goes at its pace). The owner compares it with
 * {@code cohort.flow.lagging.after}: untethering keeps a stopped replica from throttling the owner, the lag bound
 * keeps a slow one from throttling it, or being left behind, for ever.
 */
public final class ReplicationWindow implements BroadcastSentObserver
{
    /** The position of a replica whose applied sequence is older than every frame the ring remembers. */
    public static final long UNKNOWN_POSITION = -1;
    private static final long NOT_BLOCKING = Long.MIN_VALUE;
    private static final long NOT_BEHIND = Long.MIN_VALUE;

    private final long windowBytes;
    private final int maxFrames;
    private final long untetherAfterNs;
    private final long[] frameLastSequence;
    private final long[] frameEndBytes;
    private final long[] frameSentNs;
    /** Index (ever increasing) of the next frame appended; the ring holds frames [oldest, head). */
    private long head;
    private long oldest;
    /** The last sequence and end of the last frame dropped from the ring (0 before any). */
    private long baseSequence;
    private long baseBytes;
    private long baseSentNs;
    private long sentSequence;
    private long sentBytes;
    private long nowNs;

    private final long[] replicaIds;
    private final long[] appliedSequence;
    private final long[] position;
    private final boolean[] tethered;
    private final long[] blockingSinceNs;
    /** Since when the replica has been behind: it held the window closed and has not been within half a window since. */
    private final long[] behindSinceNs;
    private int replicaCount;
    private long minTetheredPosition = Long.MAX_VALUE;
    private boolean open = true;
    private long untetherings;
    private long tetherings;
    private long closings;
    private long lastUntetheredId;

    /**
     * A window for one owner stream.
     *
     * @param windowBytes     bytes sent beyond the slowest tethered replica's position that close the window.
     * @param maxFrames       frames sent beyond it that close the window (the ring's capacity).
     * @param untetherAfterNs how long a replica may hold the window closed before it is untethered.
     * @param maxReplicas     replicas tracked at most (the cluster's other members).
     */
    public ReplicationWindow(
        final long windowBytes, final int maxFrames, final long untetherAfterNs, final int maxReplicas)
    {
        if (windowBytes < 1 || maxFrames < 2 || untetherAfterNs < 0 || maxReplicas < 1)
        {
            throw new IllegalArgumentException("windowBytes=" + windowBytes + " maxFrames=" + maxFrames +
                " untetherAfterNs=" + untetherAfterNs + " maxReplicas=" + maxReplicas + ": out of range");
        }
        this.windowBytes = windowBytes;
        this.maxFrames = maxFrames;
        this.untetherAfterNs = untetherAfterNs;
        this.frameLastSequence = new long[maxFrames];
        this.frameEndBytes = new long[maxFrames];
        this.frameSentNs = new long[maxFrames];
        this.replicaIds = new long[maxReplicas];
        this.appliedSequence = new long[maxReplicas];
        this.position = new long[maxReplicas];
        this.tethered = new boolean[maxReplicas];
        this.blockingSinceNs = new long[maxReplicas];
        this.behindSinceNs = new long[maxReplicas];
        Arrays.fill(blockingSinceNs, NOT_BLOCKING);
        Arrays.fill(behindSinceNs, NOT_BEHIND);
    }

    /**
     * Advances the window's clock (the time stamped on frames sent until the next call) and untethers a replica
     * that has held the window closed for longer than the bound. Call once per duty cycle.
     *
     * @param nowNs the current time.
     * @return 1 if a replica was untethered, else 0.
     */
    public int tick(final long nowNs)
    {
        this.nowNs = nowNs;
        int untethered = 0;
        for (int i = 0; i < replicaCount; i++)
        {
            if (!open && tethered[i] && holdsClosed(position[i]))
            {
                if (NOT_BEHIND == behindSinceNs[i])
                {
                    behindSinceNs[i] = nowNs;
                }
                if (NOT_BLOCKING == blockingSinceNs[i])
                {
                    blockingSinceNs[i] = nowNs;
                }
                else if (nowNs - blockingSinceNs[i] >= untetherAfterNs)
                {
                    tethered[i] = false;
                    blockingSinceNs[i] = NOT_BLOCKING;
                    lastUntetheredId = replicaIds[i];
                    untetherings++;
                    untethered = 1;
                }
            }
            else
            {
                blockingSinceNs[i] = NOT_BLOCKING;
            }
        }
        if (0 != untethered)
        {
            update();
        }
        return untethered;
    }

    /**
     * {@inheritDoc}
     */
    public void onBroadcastSent(final long lastSequence, final int length)
    {
        onFrameSent(lastSequence, length);
    }

    /**
     * A frame of the stream this window bounds was handed to the wire: the broadcast stream, or one directed
     * stream whose only replica is its destination.
     *
     * @param lastSequence the sequence of the frame's last message.
     * @param length       the frame's length in bytes.
     */
    public void onFrameSent(final long lastSequence, final int length)
    {
        if (head - oldest == maxFrames)
        {
            final int dropped = index(oldest++);
            baseSequence = frameLastSequence[dropped];
            baseBytes = frameEndBytes[dropped];
            baseSentNs = frameSentNs[dropped];
        }
        sentSequence = lastSequence;
        sentBytes += length;
        final int at = index(head++);
        frameLastSequence[at] = lastSequence;
        frameEndBytes[at] = sentBytes;
        frameSentNs[at] = nowNs;
        updateOpen();
    }

    /**
     * A replica's status: the last sequence of this stream it applied. Tracks a replica not yet known (if there is
     * room), tethers it when it is within half a window of the head; statuses older than one already seen are
     * ignored.
     *
     * @param replicaId       the replica's node id.
     * @param appliedSequence the last sequence it applied.
     * @param nowNs           the current time.
     * @return true if the status was taken.
     */
    public boolean onStatus(final long replicaId, final long appliedSequence, final long nowNs)
    {
        this.nowNs = Math.max(this.nowNs, nowNs);
        int i = indexOf(replicaId);
        if (i < 0)
        {
            if (replicaCount == replicaIds.length)
            {
                return false;
            }
            i = replicaCount++;
            replicaIds[i] = replicaId;
            this.appliedSequence[i] = Long.MIN_VALUE;
            position[i] = UNKNOWN_POSITION;
            tethered[i] = false;
            blockingSinceNs[i] = NOT_BLOCKING;
            behindSinceNs[i] = NOT_BEHIND;
        }
        if (appliedSequence <= this.appliedSequence[i])
        {
            return false;
        }
        this.appliedSequence[i] = appliedSequence;
        position[i] = Math.max(position[i], positionOf(appliedSequence));
        final boolean withinHalf = UNKNOWN_POSITION != position[i] &&
            sentBytes - position[i] <= windowBytes / 2 && framesBeyond(position[i]) <= maxFrames / 2;
        if (withinHalf)
        {
            behindSinceNs[i] = NOT_BEHIND;
            if (!tethered[i])
            {
                tethered[i] = true;
                tetherings++;
            }
        }
        else if (!tethered[i] && NOT_BEHIND == behindSinceNs[i])
        {
            // Its first status (or its first since this window forgot it) is already beyond half a window.
            behindSinceNs[i] = this.nowNs;
        }
        update();
        return true;
    }

    /**
     * Untethers a replica now, whether it holds the window closed or not: the owner's lag bound, for a replica that
     * keeps the window closed a frame at a time and would otherwise set the owner's pace for ever. Counted in
     * {@link #untetherings()}; it stays {@link #behindNs behind}, and is tethered again by a status within half a
     * window like any untethered replica.
     *
     * @param replicaId the replica's node id.
     * @return true if it was tracked and tethered.
     */
    public boolean untether(final long replicaId)
    {
        final int i = indexOf(replicaId);
        if (i < 0 || !tethered[i])
        {
            return false;
        }
        tethered[i] = false;
        blockingSinceNs[i] = NOT_BLOCKING;
        lastUntetheredId = replicaId;
        untetherings++;
        update();
        return true;
    }

    /**
     * Stops tracking a replica (it left, or its subscription ended).
     *
     * @param replicaId the replica's node id.
     * @return true if it was tracked.
     */
    public boolean removeReplica(final long replicaId)
    {
        final int i = indexOf(replicaId);
        if (i < 0)
        {
            return false;
        }
        final int last = --replicaCount;
        replicaIds[i] = replicaIds[last];
        appliedSequence[i] = appliedSequence[last];
        position[i] = position[last];
        tethered[i] = tethered[last];
        blockingSinceNs[i] = blockingSinceNs[last];
        behindSinceNs[i] = behindSinceNs[last];
        blockingSinceNs[last] = NOT_BLOCKING;
        behindSinceNs[last] = NOT_BEHIND;
        update();
        return true;
    }

    /**
     * Whether more may be sent: fewer than {@code windowBytes} bytes and {@code maxFrames} frames beyond the
     * slowest tethered replica.
     *
     * @return true if open.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * @return bytes sent beyond the slowest tethered replica's position (0 with none tethered).
     */
    public long bytesInFlight()
    {
        return Long.MAX_VALUE == minTetheredPosition ? 0 : sentBytes - minTetheredPosition;
    }

    /**
     * @return bytes handed to the wire since start.
     */
    public long sentBytes()
    {
        return sentBytes;
    }

    /**
     * @return replicas tracked.
     */
    public int replicaCount()
    {
        return replicaCount;
    }

    /**
     * @param index from 0 to {@link #replicaCount()} - 1.
     * @return the node id of the replica tracked at that index (indexes change as replicas are removed).
     */
    public long replicaId(final int index)
    {
        return replicaIds[index];
    }

    /**
     * @return replicas tethered now.
     */
    public int tetheredCount()
    {
        int count = 0;
        for (int i = 0; i < replicaCount; i++)
        {
            count += tethered[i] ? 1 : 0;
        }
        return count;
    }

    /**
     * @param replicaId a replica's node id.
     * @return whether it is tracked and tethered.
     */
    public boolean isTethered(final long replicaId)
    {
        final int i = indexOf(replicaId);
        return i >= 0 && tethered[i];
    }

    /**
     * @param replicaId a replica's node id.
     * @return its position in bytes of the stream, or {@link #UNKNOWN_POSITION}.
     */
    public long position(final long replicaId)
    {
        final int i = indexOf(replicaId);
        return i < 0 ? UNKNOWN_POSITION : position[i];
    }

    /**
     * How long a replica has not kept up: since the first tick at which it held the window closed (or its first
     * status, if that was already beyond half a window), until a status puts it within half a window of the head.
     *
     * @param index from 0 to {@link #replicaCount()} - 1.
     * @param nowNs the current time.
     * @return nanoseconds behind, 0 if it keeps up.
     */
    public long behindNs(final int index, final long nowNs)
    {
        final long sinceNs = behindSinceNs[index];
        return NOT_BEHIND == sinceNs ? 0 : Math.max(0, nowNs - sinceNs);
    }

    /**
     * {@link #behindNs(int, long)} by node id.
     *
     * @param replicaId a replica's node id.
     * @param nowNs     the current time.
     * @return nanoseconds behind, 0 if it keeps up, -1 if it is not tracked.
     */
    public long behindNsOf(final long replicaId, final long nowNs)
    {
        final int i = indexOf(replicaId);
        return i < 0 ? -1 : behindNs(i, nowNs);
    }

    /**
     * @return times a replica was untethered for holding the window closed.
     */
    public long untetherings()
    {
        return untetherings;
    }

    /**
     * @return the node id of the replica untethered last (0 before any).
     */
    public long lastUntetheredId()
    {
        return lastUntetheredId;
    }

    /**
     * @return times a replica was tethered (on its first status near the head, or again after untethering).
     */
    public long tetherings()
    {
        return tetherings;
    }

    /**
     * @return times the window went from open to closed.
     */
    public long closings()
    {
        return closings;
    }

    /**
     * How far behind a replica is in time: since the first frame it has not applied was sent (0 if it applied
     * everything; at least the age of the oldest frame remembered if it is behind all of them).
     *
     * @param replicaId a replica's node id.
     * @param nowNs     the current time.
     * @return the lag in nanoseconds, or -1 if the replica is not tracked.
     */
    public long lagNs(final long replicaId, final long nowNs)
    {
        final int i = indexOf(replicaId);
        return i < 0 ? -1 : lagOf(position[i], nowNs);
    }

    /**
     * The largest {@link #lagNs} over every tracked replica, tethered or not.
     *
     * @param nowNs the current time.
     * @return the lag in nanoseconds, 0 with no replica.
     */
    public long maxLagNs(final long nowNs)
    {
        long max = 0;
        for (int i = 0; i < replicaCount; i++)
        {
            max = Math.max(max, lagOf(position[i], nowNs));
        }
        return max;
    }

    private long lagOf(final long position, final long nowNs)
    {
        if (position >= sentBytes)
        {
            return 0;
        }
        if (position < baseBytes || head == oldest)
        {
            return Math.max(0, nowNs - (head == oldest ? baseSentNs : frameSentNs[index(oldest)]));
        }
        return Math.max(0, nowNs - frameSentNs[index(firstFrameEndingAfter(position))]);
    }

    private boolean holdsClosed(final long position)
    {
        return sentBytes - position >= windowBytes || framesBeyond(position) >= maxFrames;
    }

    private void update()
    {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < replicaCount; i++)
        {
            if (tethered[i])
            {
                min = Math.min(min, position[i]);
            }
        }
        minTetheredPosition = min;
        updateOpen();
    }

    private void updateOpen()
    {
        final boolean wasOpen = open;
        open = Long.MAX_VALUE == minTetheredPosition || !holdsClosed(minTetheredPosition);
        if (wasOpen && !open)
        {
            closings++;
        }
    }

    /**
     * The end of the last frame whose messages a replica that applied up to {@code sequence} has all applied.
     */
    private long positionOf(final long sequence)
    {
        if (sequence >= sentSequence)
        {
            return sentBytes;
        }
        if (sequence < baseSequence)
        {
            return UNKNOWN_POSITION;
        }
        long low = oldest;
        long high = head - 1;
        long found = -1;
        while (low <= high)
        {
            final long mid = (low + high) >>> 1;
            if (frameLastSequence[index(mid)] <= sequence)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? baseBytes : frameEndBytes[index(found)];
    }

    /**
     * Frames sent beyond a position: every frame remembered if the position is older than all of them.
     */
    private long framesBeyond(final long position)
    {
        if (position >= sentBytes)
        {
            return 0;
        }
        if (position < baseBytes)
        {
            return maxFrames;
        }
        return head - firstFrameEndingAfter(position);
    }

    /**
     * The index of the oldest remembered frame ending after a position in [baseBytes, sentBytes).
     */
    private long firstFrameEndingAfter(final long position)
    {
        long low = oldest;
        long high = head - 1;
        while (low < high)
        {
            final long mid = (low + high) >>> 1;
            if (frameEndBytes[index(mid)] > position)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }

    private int index(final long frame)
    {
        return (int)(frame % maxFrames);
    }

    private int indexOf(final long replicaId)
    {
        for (int i = 0; i < replicaCount; i++)
        {
            if (replicaIds[i] == replicaId)
            {
                return i;
            }
        }
        return -1;
    }
}
