package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import io.cohort.codec.ViewAcceptDecoder;
import io.cohort.codec.ViewAcceptedDecoder;
import io.cohort.codec.ViewCommitDecoder;
import io.cohort.codec.ViewPrepareDecoder;
import io.cohort.codec.ViewPromiseDecoder;
import io.cohort.codec.ViewQueryDecoder;
import io.cohort.codec.ViewValueDecoder;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agreement on each next view, for a {@link Membership}: one single-decree Paxos per epoch among the members of
 * the installed view ({@link ViewProposer} and {@link ViewAcceptor} over the VIEW_* command messages), and the commit
 * of a chosen value. Invariants it keeps:
 * <ul>
 *     <li>at most one value is chosen per epoch (any two quorums of the view intersect, and ballots are unique);</li>
 *     <li>a value that removes members is installed (and sent to every member) only after the removed members'
 *     leases must have run out: {@link Lease#commitWaitNs} from the accepting quorum's reports of when they last
 *     heard them; a value that removes only leavers needs no wait (they stopped serving before they said so);</li>
 *     <li>an acceptor reports, per member a value removes, the time since it last heard it, and stops echoing it
 *     (see {@link Membership#entryEcho}).</li>
 * </ul>
 * Views are answered to queries as commits: a node learns a later view, or that it was removed, from any member.
 * Single threaded, on the node's thread.
 */
final class ViewAgreement implements ViewProposer.Bus<View>
{
    private static final Logger LOG = LoggerFactory.getLogger(ViewAgreement.class);
    private static final long NEVER_HEARD_NS = Long.MAX_VALUE / 4;

    private final ClusterCore core;
    private final Membership membership;
    private final Transport transport;
    private final ViewMessages messages;
    private final Quorum quorum;
    private final long leaseNs;
    private final long nodeId;
    private final ViewAcceptor<View> acceptor = new ViewAcceptor<>();
    private final ViewProposer<View> proposer;
    private final ViewPrepareDecoder prepareDecoder = new ViewPrepareDecoder();
    private final ViewPromiseDecoder promiseDecoder = new ViewPromiseDecoder();
    private final ViewAcceptDecoder acceptDecoder = new ViewAcceptDecoder();
    private final ViewAcceptedDecoder acceptedDecoder = new ViewAcceptedDecoder();
    private final ViewCommitDecoder commitDecoder = new ViewCommitDecoder();
    private final ViewQueryDecoder queryDecoder = new ViewQueryDecoder();
    private final ViewValueDecoder valueDecoder = new ViewValueDecoder();
    private final RateLimitedWarnings warnings;

    private View view;
    private View chosen;
    private long chosenRound;
    private long chosenNodeId;
    private long commitAtNs;
    private long correlationIds;

    ViewAgreement(
        final CohortContext context,
        final ClusterCore core,
        final Membership membership,
        final Transport transport,
        final ViewMessages messages,
        final Quorum quorum,
        final long leaseNs,
        final long roundTimeoutNs)
    {
        this.core = core;
        this.membership = membership;
        this.transport = transport;
        this.messages = messages;
        this.quorum = quorum;
        this.leaseNs = leaseNs;
        this.nodeId = context.nodeId();
        this.proposer = new ViewProposer<>(nodeId, this::isQuorumOfView, this, roundTimeoutNs);
        this.warnings = new RateLimitedWarnings(LOG::warn, core::nowNs, RateLimitedWarnings.DEFAULT_BURST,
            RateLimitedWarnings.DEFAULT_INTERVAL_NS);
    }

    /**
     * Starts agreeing on the view after a newly installed one: the acceptor promised to the oldest member's round 0,
     * the proposer idle, nothing chosen.
     */
    void reset(final View installed)
    {
        view = installed;
        final long[] ids = new long[installed.size()];
        for (int rank = 0; rank < ids.length; rank++)
        {
            ids[rank] = installed.member(rank).nodeId();
        }
        acceptor.reset(installed.epoch() + 1, ids[0]);
        proposer.reset(installed.epoch() + 1, ids, ids[0]);
        chosen = null;
    }

    /**
     * Resends, restarts rounds, and commits a chosen value once its wait is over.
     *
     * @return 1 if a view was committed (and installed) in this call.
     */
    int tick(final long nowNs)
    {
        proposer.tick(nowNs);
        if (null != chosen && nowNs >= commitAtNs)
        {
            commit();
            return 1;
        }
        return 0;
    }

    void propose(final View value, final long nowNs)
    {
        proposer.propose(value, nowNs);
    }

    boolean isActive()
    {
        return proposer.isActive();
    }

    boolean isChosen()
    {
        return proposer.isChosen();
    }

    View value()
    {
        return proposer.value();
    }

    boolean hasAccepted()
    {
        return acceptor.hasAccepted();
    }

    /**
     * @return how many values this node's acceptor has accepted, in every epoch.
     */
    long accepts()
    {
        return acceptor.accepts();
    }

    /**
     * @return the value this node's acceptor accepted last, kept after its epoch ends.
     */
    View lastAccepted()
    {
        return acceptor.lastAccepted();
    }

    View acceptedValue()
    {
        return acceptor.acceptedValue();
    }

    private boolean isQuorumOfView(final LongHashSet acceptorNodeIds)
    {
        long ranks = 0;
        for (int rank = 0, size = view.size(); rank < size; rank++)
        {
            if (acceptorNodeIds.contains(view.member(rank).nodeId()))
            {
                ranks |= 1L << rank;
            }
        }
        return quorum.isQuorum(view, ranks);
    }

    /**
     * {@inheritDoc}
     */
    public void sendPrepare(final long to, final long epoch, final long round, final long ballotNodeId)
    {
        if (to == nodeId)
        {
            final AcceptorReply<View> reply = acceptor.onPrepare(epoch, round, ballotNodeId);
            proposer.onPromise(nodeId, epoch, reply.ok(), reply.promisedRound(), reply.promisedNodeId(),
                reply.acceptedRound(), reply.acceptedNodeId(), reply.acceptedValue());
            return;
        }
        transport.sendRequest(to, messages.buffer(), 0,
            messages.prepare(++correlationIds, view.lineage(), epoch, round, ballotNodeId));
    }

    /**
     * {@inheritDoc}
     */
    public void sendAccept(final long to, final long epoch, final long round, final long ballotNodeId, final View value)
    {
        if (to == nodeId)
        {
            final AcceptorReply<View> reply = acceptor.onAccept(epoch, round, ballotNodeId, value);
            proposer.onAccepted(nodeId, epoch, reply.ok(), reply.promisedRound(), reply.promisedNodeId(),
                reply.ok() ? minElapsedSinceHeard(value) : Long.MAX_VALUE);
            return;
        }
        transport.sendRequest(to, messages.buffer(), 0, messages.accept(++correlationIds, round, ballotNodeId, value));
    }

    /**
     * {@inheritDoc}
     */
    public void onChosen(final long epoch, final View value, final long round, final long ballotNodeId)
    {
        boolean onlyLeavers = true;
        for (int i = 0; i < value.removedCount(); i++)
        {
            onlyLeavers &= ReasonCode.LEFT == value.removedReason(i);
        }
        // A leaver stopped serving before it announced it: no lease of it to wait out.
        final long waitNs = onlyLeavers ? 0 :
            Lease.commitWaitNs(leaseNs, Membership.CLOCK_DRIFT, proposer.minElapsedNs());
        chosen = value;
        chosenRound = round;
        chosenNodeId = ballotNodeId;
        commitAtNs = core.nowNs() + waitNs;
        LOG.info("node {}: view {} chosen; commit in {} ms", ClusterCore.id(nodeId), value, waitNs / 1_000_000);
    }

    private void commit()
    {
        final View value = chosen;
        chosen = null;
        if (null == view || value.epoch() != view.epoch() + 1)
        {
            return;
        }
        final View previous = view;
        final int length = messages.commit(++correlationIds, chosenRound, chosenNodeId, value);
        for (int rank = 0; rank < previous.size(); rank++)
        {
            final long memberId = previous.member(rank).nodeId();
            if (memberId != nodeId)
            {
                transport.sendRequest(memberId, messages.buffer(), 0, length);
            }
        }
        membership.install(value);
        if (null != view && view == value)
        {
            final int again = messages.commit(++correlationIds, chosenRound, chosenNodeId, value);
            for (int rank = 0; rank < value.size(); rank++)
            {
                final long memberId = value.member(rank).nodeId();
                if (memberId != nodeId && previous.rankOf(memberId) < 0)
                {
                    transport.sendRequest(memberId, messages.buffer(), 0, again);
                }
            }
        }
    }

    private long minElapsedSinceHeard(final View value)
    {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < value.removedCount(); i++)
        {
            min = Math.min(min, elapsedSinceHeard(value.removedNodeId(i)));
        }
        return min;
    }

    private long elapsedSinceHeard(final long memberId)
    {
        if (memberId == nodeId)
        {
            return 0;
        }
        final Member member = core.member(memberId);
        return null == member ? NEVER_HEARD_NS : Math.max(0, core.nowNs() - member.lastHeardNs);
    }

    void onPrepare(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ViewPrepareDecoder prepare = prepareDecoder.wrap(buffer, offset, length);
        if (null == view || prepare.lineage() != view.lineage())
        {
            return;
        }
        final AcceptorReply<View> reply = acceptor.onPrepare(
            prepare.targetEpoch(), prepare.ballotRound(), prepare.ballotNodeId());
        transport.reply(routingId, messages.buffer(), 0, messages.promise(prepare.correlationId(), view.lineage(),
            prepare.targetEpoch(), prepare.ballotRound(), prepare.ballotNodeId(), reply));
    }

    void onAccept(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ViewAcceptDecoder accept = acceptDecoder.wrap(buffer, offset, length);
        if (null == view || accept.lineage() != view.lineage())
        {
            return;
        }
        final View value = decode(accept.value(valueDecoder), "an accept");
        if (null == value || value.lineage() != view.lineage() || value.epoch() != accept.targetEpoch())
        {
            return;
        }
        final AcceptorReply<View> reply = acceptor.onAccept(
            accept.targetEpoch(), accept.ballotRound(), accept.ballotNodeId(), value);
        long[] elapsed = null;
        if (reply.ok())
        {
            elapsed = new long[value.removedCount()];
            for (int i = 0; i < elapsed.length; i++)
            {
                elapsed[i] = elapsedSinceHeard(value.removedNodeId(i));
            }
        }
        transport.reply(routingId, messages.buffer(), 0, messages.accepted(accept.correlationId(), view.lineage(),
            accept.targetEpoch(), accept.ballotRound(), accept.ballotNodeId(), reply, value, elapsed));
    }

    void onPromise(final long from, final DirectBuffer buffer, final int offset, final int length)
    {
        final ViewPromiseDecoder promise = promiseDecoder.wrap(buffer, offset, length);
        if (null == view || promise.lineage() != view.lineage())
        {
            return;
        }
        View accepted = null;
        if (promise.hasAcceptedValue())
        {
            accepted = decode(promise.acceptedValue(valueDecoder), "a promise");
            if (null == accepted)
            {
                return;
            }
        }
        proposer.onPromise(from, promise.targetEpoch(), promise.ok(), promise.promisedRound(),
            promise.promisedNodeId(), promise.acceptedRound(), promise.acceptedNodeId(), accepted);
    }

    void onAccepted(final long from, final DirectBuffer buffer, final int offset, final int length)
    {
        final ViewAcceptedDecoder accepted = acceptedDecoder.wrap(buffer, offset, length);
        if (null == view || accepted.lineage() != view.lineage())
        {
            return;
        }
        long minElapsed = Long.MAX_VALUE;
        for (int i = 0; i < accepted.removedCount(); i++)
        {
            minElapsed = Math.min(minElapsed, accepted.removedElapsedSinceHeardNs(i));
        }
        proposer.onAccepted(from, accepted.targetEpoch(), accepted.ok(), accepted.promisedRound(),
            accepted.promisedNodeId(), minElapsed);
    }

    /**
     * A committed view, from its committer or as the answer to a query.
     */
    void onCommit(final DirectBuffer buffer, final int offset, final int length)
    {
        final View value = decode(commitDecoder.wrap(buffer, offset, length).value(valueDecoder), "a commit");
        if (null != value)
        {
            membership.install(value);
        }
    }

    /**
     * Somebody asks for this node's view: the answer is the view itself, from which the asker learns whether it is
     * still a member (a node that finds a later view of its lineage without itself was removed).
     */
    void onQuery(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ViewQueryDecoder query = queryDecoder.wrap(buffer, offset, length);
        if (null == view)
        {
            return;
        }
        transport.reply(routingId, messages.buffer(), 0, messages.commit(query.correlationId(), 0, 0, view));
    }


    private View decode(final ViewValueDecoder value, final String what)
    {
        try
        {
            return messages.view(value);
        }
        catch (final IllegalArgumentException ex)
        {
            warnings.warn("bad-view", "node {} dropped {} with a view that is not one: {}", ClusterCore.id(nodeId),
                what, ex.getMessage());
            return null;
        }
    }
}
