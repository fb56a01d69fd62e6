package io.cohort.engine;

import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.ReasonCode;
import io.cohort.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * This node's heartbeats, on two paths, and the watch on the members' streams that the second path makes possible.
 * <p>
 * Every heartbeat interval a heartbeat goes out twice. Its liveness copy goes to every member on the command
 * channel, where no data back-pressure holds it: the lease's echoes, the reachability rows and the silence timers
 * live on it, so a slow receiver of this node's stream (or this node's own backlog of rows) can neither cost this
 * node its lease nor make it look silent. The stream's heartbeat, ordered with the rows, carries the digest and the
 * last sequences (a lost tail shows); if the stream refuses it, it is tried again every cycle with the latest
 * heartbeat sequence (an echo of it still proves a receipt after its send time, all the lease asks), while the
 * liveness copies keep their interval.
 * <p>
 * A member's liveness copy also says the last broadcast sequence it handed its socket ({@link Member#awaitBroadcast}).
 * A member heard on the liveness path whose stream does not arrive is then a fault in this node's copy: a message its
 * socket was handed has not reached this node within {@code cohort.flow.lagging.after} (the copy's lag passed the
 * bound). This node distrusts its copy while it lasts ({@link Membership#distrust}, reason LAGGING), says so in its
 * heartbeats ({@code FLAG_LAGGING_COPY}), and the cut decides who is at fault: the member if most of the others
 * distrust it too (its stream reaches nobody), else this node, the slow receiver alone in accusing, which leaves with
 * reason LAGGING. Without it a stream stalled on its way (a socket stuck, a receiver that cannot keep up in a cluster
 * of two, where the owner cannot tell which side is slow) would leave a copy behind for ever, since liveness no longer
 * rides the stream. Where an owner can tell (another replica keeps up), its own LAGGING request comes first: a replica
 * has been behind for at least as long as its lag.
 * <p>
 * Like the core, it owns no socket and reads no clock.
 */
final class Heartbeats
{
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final CohortContext context;
    private final Transport transport;
    private final SyncPublisher publisher;
    private final CommandMessages commands;
    private final Membership membership;
    private final ViewHeartbeats viewHeartbeats;
    private final List<Member> members;
    private final long nodeId;
    private long nextHeartbeatNs;
    private boolean streamHeartbeatDue;
    private int flags;

    /**
     * @param members the core's list of members (read only here): where liveness copies go, whose streams are watched.
     */
    Heartbeats(
        final CohortContext context,
        final Transport transport,
        final SyncPublisher publisher,
        final CommandMessages commands,
        final Membership membership,
        final List<Member> members)
    {
        this.context = context;
        this.transport = transport;
        this.publisher = publisher;
        this.commands = commands;
        this.membership = membership;
        this.viewHeartbeats = membership.heartbeats();
        this.members = members;
        this.nodeId = context.nodeId();
    }

    /**
     * The first heartbeat goes out at once.
     */
    void start(final long nowNs)
    {
        nextHeartbeatNs = nowNs;
    }

    /**
     * This node's thread was off the CPU for a while: a heartbeat goes out at once, flagged, and the members' streams,
     * which waited unread in this node's sockets meanwhile, are awaited from now.
     */
    void onResumedFromPause(final long nowNs)
    {
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            member.lastHeardNs = nowNs;
            if (member.awaitedSinceNs >= 0)
            {
                member.awaitedSinceNs = nowNs;
            }
        }
        flags |= HeartbeatDecoder.FLAG_RESUMED_FROM_PAUSE;
        nextHeartbeatNs = nowNs;
    }

    /**
     * A view was installed: a heartbeat goes out at once, so that the members whose echoes this node's lease (and
     * theirs) now needs have one within a round trip, not an interval: a member of a view of one or two that lets in
     * a third would otherwise serve nobody (NO_QUORUM) until the newcomer's first heartbeat in the view.
     */
    void onViewInstalled(final long nowNs)
    {
        nextHeartbeatNs = nowNs;
    }

    /**
     * When the next heartbeat is due: its echoes keep every member's lease, so a node with nothing else to do still
     * wakes for it on time.
     *
     * @param nowNs the current time.
     * @return the time it is due; {@code nowNs} while one is owed (a send or the stream's copy was refused).
     */
    long nextDueNs(final long nowNs)
    {
        return streamHeartbeatDue ? nowNs : Math.max(nowNs, nextHeartbeatNs);
    }

    /**
     * A duty cycle: the heartbeat when it is due (or the stream's copy the stream refused), then the watch on the
     * members' streams.
     *
     * @return the amount of work done.
     */
    int tick(final long nowNs)
    {
        final int workCount = heartbeat(nowNs);
        if (membership.isMember())
        {
            watchStreams(nowNs);
        }
        return workCount;
    }

    private int heartbeat(final long nowNs)
    {
        if (nowNs >= nextHeartbeatNs)
        {
            final int flags = this.flags | laggingCopyFlag(nowNs);
            viewHeartbeats.beforeHeartbeat(nowNs);
            final long heartbeatSeq = viewHeartbeats.nextHeartbeatSeq();
            final boolean streamed = publisher.sendHeartbeat(nowNs, viewHeartbeats, flags, heartbeatSeq);
            final int copies = membership.isMember() ? sendLiveness(nowNs, heartbeatSeq, flags) : 0;
            if (streamed || copies > 0)
            {
                viewHeartbeats.onHeartbeatSent(nowNs);
                nextHeartbeatNs = nowNs + context.heartbeatIntervalNs();
                this.flags = 0;
                streamHeartbeatDue = !streamed;
                return 1;
            }
            return 0;
        }
        if (streamHeartbeatDue && publisher.sendHeartbeat(
            nowNs, viewHeartbeats, flags | laggingCopyFlag(nowNs), viewHeartbeats.lastHeartbeatSeq()))
        {
            streamHeartbeatDue = false;
            return 1;
        }
        return 0;
    }

    private int laggingCopyFlag(final long nowNs)
    {
        return membership.isMember() && membership.distrustsALaggingCopy(nowNs) ?
            HeartbeatDecoder.FLAG_LAGGING_COPY : 0;
    }

    private int sendLiveness(final long nowNs, final long heartbeatSeq, final int flags)
    {
        final int length = commands.liveness(nowNs, viewHeartbeats, heartbeatSeq,
            transport.outbound().lastSentBroadcastSequence(), flags);
        int sent = 0;
        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (transport.sendRequest(members.get(i).nodeId, commands.buffer(), 0, length))
            {
                sent++;
            }
        }
        return sent;
    }

    private void watchStreams(final long nowNs)
    {
        final long boundNs = context.flowLaggingAfterNs();
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            final long awaitingNs = member.awaitingForNs(nowNs);
            if (awaitingNs > boundNs)
            {
                if (member.distrustedUntilNs <= nowNs)
                {
                    LOG.warn("node {}: stream of {} stalled: sequence {} was handed to its socket {} ms ago and has " +
                        "not arrived (last arrived {}), past cohort.flow.lagging.after", ClusterCore.id(nodeId),
                        member, member.awaitedBroadcastSequence, awaitingNs / 1_000_000, member.lastBroadcastSequence);
                }
                membership.distrust(member, ReasonCode.LAGGING, nowNs);
            }
        }
    }
}
