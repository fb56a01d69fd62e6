package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.transport.Transport;

import java.util.List;

/**
 * The replica's side of end-to-end flow control: tells each owner whose rows this node has synced the last
 * message of its broadcast stream applied here ({@code FLOW_STATUS}, on the command channel, so never behind the
 * owner's own data), and each owner that sent it notifications the last message of its directed stream to this
 * node taken here (the owner's notification credit for this node). One report every heartbeat interval, and an
 * eager one as soon as a quarter of the owner's window (in bytes or in messages), or a quarter of its notification
 * window, was taken since the last, at most one per {@code cohort.flow.status.interval}: as Aeron's receivers send
 * status messages on a timer and when a fraction of the window is consumed. Values are absolute, so a lost or
 * refused report only delays the next.
 */
final class FlowReporter
{
    /**
     * What this node applied of one owner's broadcast stream, and what it last reported; held by the {@link Member}.
     */
    static final class Progress
    {
        long appliedSequence;
        long reportedSequence;
        long reportedNs = Long.MIN_VALUE / 2;
        long bytesSinceReport;
        int messagesSinceReport;
        long appliedDirectedSequence;
        long reportedDirectedSequence;
        long directedBytesSinceReport;
    }

    private final Transport transport;
    private final CommandMessages commands;
    private final long heartbeatIntervalNs;
    private final long statusIntervalNs;
    private final long eagerBytes;
    private final int eagerMessages;
    private final long eagerDirectedBytes;
    private long statusesSent;
    private long statusesRefused;

    FlowReporter(final CohortContext context, final Transport transport, final CommandMessages commands)
    {
        this.transport = transport;
        this.commands = commands;
        this.heartbeatIntervalNs = context.heartbeatIntervalNs();
        this.statusIntervalNs = context.flowStatusIntervalNs();
        this.eagerBytes = Math.max(1, context.flowWindow() / 4);
        this.eagerMessages = Math.max(1, context.flowWindowFrames() / 4);
        // With the notification window off, owners bound nothing by these reports: the timer's suffice.
        this.eagerDirectedBytes = 0 == context.flowNotificationWindow() ?
            Long.MAX_VALUE : Math.max(1, context.flowNotificationWindow() / 4);
    }

    /**
     * A broadcast message of a synced owner was applied (whatever its type: the owner's window counts them all).
     *
     * @param owner      the owner.
     * @param sequence   its sequence.
     * @param bodyLength its body's length.
     */
    static void onApplied(final Member owner, final long sequence, final int bodyLength)
    {
        final Progress progress = owner.flow;
        progress.appliedSequence = sequence;
        progress.bytesSinceReport += bodyLength + FrameLayout.MESSAGE_HEADER_LENGTH;
        progress.messagesSinceReport++;
    }

    /**
     * A message of a member's directed stream to this node (a notification) was taken, synced member or not.
     *
     * @param owner      the member that sent it.
     * @param sequence   its sequence.
     * @param bodyLength its body's length.
     */
    static void onDirectedApplied(final Member owner, final long sequence, final int bodyLength)
    {
        final Progress progress = owner.flow;
        progress.appliedDirectedSequence = sequence;
        progress.directedBytesSinceReport += bodyLength + FrameLayout.MESSAGE_HEADER_LENGTH;
    }

    /**
     * Sends the reports that are due.
     *
     * @param members the members.
     * @param nowNs   the cycle's time.
     * @return reports sent.
     */
    int tick(final List<Member> members, final long nowNs)
    {
        int sent = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member owner = members.get(i);
            final Progress progress = owner.flow;
            final boolean rows = reportsRows(owner);
            if (nowNs >= dueNs(progress, rows, notified(progress)))
            {
                final int length = commands.flowStatus(
                    owner.incarnation, rows ? progress.appliedSequence : 0, progress.appliedDirectedSequence);
                if (transport.sendRequest(owner.nodeId, commands.buffer(), 0, length))
                {
                    progress.reportedSequence = progress.appliedSequence;
                    progress.reportedDirectedSequence = progress.appliedDirectedSequence;
                    progress.reportedNs = nowNs;
                    progress.bytesSinceReport = 0;
                    progress.messagesSinceReport = 0;
                    progress.directedBytesSinceReport = 0;
                    statusesSent++;
                    sent++;
                }
                else
                {
                    statusesRefused++;
                }
            }
        }
        return sent;
    }

    /**
     * When {@link #tick} next has a report to send: an eager one {@code cohort.flow.status.interval} after the last
     * (an owner whose window closed waits for it), a periodic one a heartbeat interval after it.
     *
     * @param members the members.
     * @param nowNs   the current time.
     * @return the earliest such time, not before {@code nowNs}; {@link Long#MAX_VALUE} if no owner is reported to.
     */
    long nextDueNs(final List<Member> members, final long nowNs)
    {
        long dueNs = Long.MAX_VALUE;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member owner = members.get(i);
            dueNs = Math.min(dueNs, dueNs(owner.flow, reportsRows(owner), notified(owner.flow)));
        }
        return Math.max(nowNs, dueNs);
    }

    /** Rows are reported only once this node's copy of the owner's rows is synced (and has applied a message). */
    private static boolean reportsRows(final Member owner)
    {
        return owner.isSynced() && 0 != owner.flow.appliedSequence;
    }

    /** Notifications are reported whenever one was taken since the last report, synced copy or not. */
    private static boolean notified(final Progress progress)
    {
        return progress.appliedDirectedSequence != progress.reportedDirectedSequence;
    }

    /**
     * An owner's next report: eager once a quarter of its window (or of its notification window) was taken since the
     * last, at most one per status interval; otherwise one per heartbeat interval; never while there is nothing to
     * report ({@link Long#MAX_VALUE}).
     */
    private long dueNs(final Progress progress, final boolean rows, final boolean notified)
    {
        if (!rows && !notified)
        {
            return Long.MAX_VALUE;
        }
        final boolean eager = rows && progress.appliedSequence != progress.reportedSequence &&
            (progress.bytesSinceReport >= eagerBytes || progress.messagesSinceReport >= eagerMessages) ||
            notified && progress.directedBytesSinceReport >= eagerDirectedBytes;
        return progress.reportedNs + (eager ? Math.min(statusIntervalNs, heartbeatIntervalNs) : heartbeatIntervalNs);
    }

    /**
     * @return reports sent since start.
     */
    long statusesSent()
    {
        return statusesSent;
    }

    /**
     * @return reports the command socket refused (retried on a later cycle).
     */
    long statusesRefused()
    {
        return statusesRefused;
    }
}
