package io.cohort.engine;

import io.cohort.codec.ChangeRequestDecoder;
import io.cohort.codec.ChangeRequestEncoder;
import io.cohort.codec.FrameEncoder;
import io.cohort.codec.MemberCardDecoder;
import io.cohort.codec.MemberCardEncoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.SeedProbeEncoder;
import io.cohort.codec.SeedProbeResponseEncoder;
import io.cohort.codec.ViewAcceptEncoder;
import io.cohort.codec.ViewAcceptedEncoder;
import io.cohort.codec.ViewCommitEncoder;
import io.cohort.codec.ViewPrepareEncoder;
import io.cohort.codec.ViewPromiseEncoder;
import io.cohort.codec.ViewQueryEncoder;
import io.cohort.codec.ViewValueDecoder;
import io.cohort.codec.ViewValueEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command frames of the view agreement (prepare, promise, accept, accepted, commit, change requests,
 * view queries, seed probes and their answers) in the {@link CommandMessages} buffer, and turns a decoded view value back into a {@link View}.
 * Views change a few times a minute at most, so building {@link View} objects here allocates without harm; the
 * data path never comes here.
 */
final class ViewMessages
{
    private final CommandMessages commands;
    private final ViewPrepareEncoder prepare = new ViewPrepareEncoder();
    private final ViewPromiseEncoder promise;
    private final ViewAcceptEncoder accept;
    private final ViewAcceptedEncoder accepted;
    private final ViewCommitEncoder commit;
    private final ChangeRequestEncoder changeRequest;
    private final ViewQueryEncoder query = new ViewQueryEncoder();
    private final SeedProbeEncoder seedProbe = new SeedProbeEncoder();
    private final SeedProbeResponseEncoder seedProbeResponse = new SeedProbeResponseEncoder();
    private final MemberCardDecoder cardDecoder = new MemberCardDecoder();

    ViewMessages(final CohortContext context, final CommandMessages commands)
    {
        this.commands = commands;
        this.promise = new ViewPromiseEncoder(context.codecLimits());
        this.accept = new ViewAcceptEncoder(context.codecLimits());
        this.accepted = new ViewAcceptedEncoder(context.codecLimits());
        this.commit = new ViewCommitEncoder(context.codecLimits());
        this.changeRequest = new ChangeRequestEncoder(context.codecLimits());
    }

    UnsafeBuffer buffer()
    {
        return commands.buffer();
    }

    int prepare(final long correlationId, final long lineage, final long epoch, final long round, final long nodeId)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.VIEW_PREPARE, ViewPrepareEncoder.BODY_LENGTH);
        prepare.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).targetEpoch(epoch)
            .ballotRound(round).ballotNodeId(nodeId);
        return frame.finish();
    }

    int promise(
        final long correlationId,
        final long lineage,
        final long epoch,
        final long round,
        final long nodeId,
        final AcceptorReply<View> reply)
    {
        final View value = reply.acceptedValue();
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(
            MessageType.VIEW_PROMISE, ViewPromiseEncoder.computeLength(null == value ? 0 : valueLength(value)));
        promise.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).targetEpoch(epoch)
            .ballotRound(round).ballotNodeId(nodeId).ok(reply.ok())
            .promisedRound(reply.promisedRound()).promisedNodeId(reply.promisedNodeId())
            .acceptedRound(reply.acceptedRound()).acceptedNodeId(reply.acceptedNodeId());
        if (null != value)
        {
            write(promise.acceptedValue(), value);
        }
        return frame.finish();
    }

    int accept(final long correlationId, final long round, final long nodeId, final View value)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.VIEW_ACCEPT, ViewAcceptEncoder.computeLength(valueLength(value)));
        accept.wrap(buffer(), at).correlationId(correlationId).lineage(value.lineage()).targetEpoch(value.epoch())
            .ballotRound(round).ballotNodeId(nodeId);
        write(accept.value(), value);
        return frame.finish();
    }

    /**
     * @param elapsedSinceHeardNs per member the accepted value removes (in the value's removed order), the time
     *                            since this node last heard it; null when the answer is a refusal.
     */
    int accepted(
        final long correlationId,
        final long lineage,
        final long epoch,
        final long round,
        final long nodeId,
        final AcceptorReply<View> reply,
        final View value,
        final long[] elapsedSinceHeardNs)
    {
        final int removed = reply.ok() && null != value ? value.removedCount() : 0;
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.VIEW_ACCEPTED, ViewAcceptedEncoder.computeLength(removed));
        accepted.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).targetEpoch(epoch)
            .ballotRound(round).ballotNodeId(nodeId).ok(reply.ok())
            .promisedRound(reply.promisedRound()).promisedNodeId(reply.promisedNodeId());
        for (int i = 0; i < removed; i++)
        {
            accepted.addRemoved(value.removedNodeId(i), elapsedSinceHeardNs[i]);
        }
        return frame.finish();
    }

    int commit(final long correlationId, final long round, final long nodeId, final View value)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.VIEW_COMMIT, ViewCommitEncoder.computeLength(valueLength(value)));
        commit.wrap(buffer(), at).correlationId(correlationId).ballotRound(round).ballotNodeId(nodeId);
        write(commit.value(), value);
        return frame.finish();
    }

    int query(final long correlationId, final long lineage, final long knownEpoch)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.VIEW_QUERY, ViewQueryEncoder.BODY_LENGTH);
        query.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).knownEpoch(knownEpoch);
        return frame.finish();
    }

    /**
     * A member's probe of a seed: which cluster instance (lineage) and view answers there.
     */
    int seedProbe(final long correlationId, final View view)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.SEED_PROBE, SeedProbeEncoder.BODY_LENGTH);
        seedProbe.wrap(buffer(), at).correlationId(correlationId).lineage(view.lineage()).epoch(view.epoch());
        return frame.finish();
    }

    /**
     * What a merge decision needs of a view: the answer to a seed probe.
     *
     * @param listsProber whether the view lists the prober's incarnation.
     * @param running     whether the responder is RUNNING (its view large enough to be the only instance).
     */
    int seedProbeResponse(final long correlationId, final View view, final boolean listsProber, final boolean running)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.SEED_PROBE_RESPONSE, SeedProbeResponseEncoder.BODY_LENGTH);
        final ViewMember oldest = view.member(0);
        seedProbeResponse.wrap(buffer(), at).correlationId(correlationId).lineage(view.lineage()).epoch(view.epoch())
            .size(view.size()).listsProber(listsProber).oldestIncarnation(oldest.incarnation())
            .oldestNodeId(oldest.nodeId()).running(running);
        return frame.finish();
    }

    /**
     * A request to let this node in: its card, for the view it observes.
     */
    int joinChange(final long correlationId, final long lineage, final long epoch, final ViewMember self)
    {
        final int cardLength = MemberCardEncoder.computeLength(self.syncEndpoint(), self.commandEndpoint(),
            self.publicKey());
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.CHANGE_REQUEST,
            ChangeRequestEncoder.computeLength(ChangeRequestDecoder.KIND_JOIN, cardLength));
        changeRequest.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).viewEpoch(epoch)
            .kind(ChangeRequestDecoder.KIND_JOIN).subjectId(self.nodeId()).subjectIncarnation(self.incarnation())
            .card().nodeId(self.nodeId()).incarnation(self.incarnation())
            .endpoints(self.syncEndpoint(), self.commandEndpoint(), self.publicKey());
        return frame.finish();
    }

    /**
     * A request that names a member without a card: this node leaving (subject = itself), or a replica lagging
     * behind this node's stream (expected: the lag bound, observed: how long it has been behind, in nanoseconds).
     */
    int change(
        final long correlationId,
        final long lineage,
        final long epoch,
        final int kind,
        final long subjectId,
        final long subjectIncarnation,
        final int reason,
        final long expected,
        final long observed)
    {
        final FrameEncoder frame = commands.begin();
        final int at = frame.claim(MessageType.CHANGE_REQUEST, ChangeRequestEncoder.computeLength(kind, 0));
        changeRequest.wrap(buffer(), at).correlationId(correlationId).lineage(lineage).viewEpoch(epoch)
            .kind(kind).subjectId(subjectId).subjectIncarnation(subjectIncarnation).reason(reason)
            .expected(expected).observed(observed);
        return frame.finish();
    }

    /**
     * The member a join request's card describes.
     */
    ViewMember joiner(final ChangeRequestDecoder request)
    {
        final MemberCardDecoder card = request.card(cardDecoder);
        return new ViewMember(card.nodeId(), card.incarnation(), card.syncEndpoint(), card.commandEndpoint(),
            card.publicKey());
    }

    /**
     * The view a decoded value describes.
     *
     * @throws IllegalArgumentException if the value does not make a view (no member, a node twice, a removed
     *                                  member still listed): the caller drops the message and says why.
     */
    View view(final ViewValueDecoder value)
    {
        final List<ViewMember> members = new ArrayList<>(value.memberCount());
        while (value.nextMember(cardDecoder))
        {
            members.add(new ViewMember(cardDecoder.nodeId(), cardDecoder.incarnation(), cardDecoder.syncEndpoint(),
                cardDecoder.commandEndpoint(), cardDecoder.publicKey()));
        }
        final int removed = value.removedCount();
        final long[] ids = new long[removed];
        final long[] incarnations = new long[removed];
        final int[] reasons = new int[removed];
        for (int i = 0; i < removed; i++)
        {
            ids[i] = value.removedNodeId(i);
            incarnations[i] = value.removedIncarnation(i);
            reasons[i] = value.removedReason(i);
        }
        return new View(value.lineage(), value.epoch(), value.flags(), members, ids, incarnations, reasons);
    }

    private static int valueLength(final View view)
    {
        int cards = 0;
        for (int rank = 0; rank < view.size(); rank++)
        {
            final ViewMember member = view.member(rank);
            cards += MemberCardEncoder.computeLength(member.syncEndpoint(), member.commandEndpoint(),
                member.publicKey());
        }
        return ViewValueEncoder.computeLength(cards, view.removedCount());
    }

    private static void write(final ViewValueEncoder encoder, final View view)
    {
        encoder.lineage(view.lineage()).epoch(view.epoch()).flags(view.flags());
        for (int rank = 0; rank < view.size(); rank++)
        {
            final ViewMember member = view.member(rank);
            encoder.addMember(member.nodeId(), member.incarnation(), member.syncEndpoint(), member.commandEndpoint(),
                member.publicKey());
        }
        for (int i = 0; i < view.removedCount(); i++)
        {
            encoder.addRemoved(view.removedNodeId(i), view.removedIncarnation(i), view.removedReason(i));
        }
    }
}
