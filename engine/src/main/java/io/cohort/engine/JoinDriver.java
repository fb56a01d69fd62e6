package io.cohort.engine;

import io.cohort.codec.CommandStatus;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.JoinRequestDecoder;
import io.cohort.codec.JoinResponseDecoder;
import io.cohort.codec.MemberCardDecoder;
import io.cohort.codec.ReasonCode;
import io.cohort.state.StateConfiguration;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Getting into a cluster, and letting others in.
 * <p>
 * A joining node sends a join request to every seed, again every {@value #JOIN_RETRY_MS} ms until one
 * accepts it; the accepting member answers with the member list and announces the joiner to the others. The
 * joiner subscribes to every member and introduces itself to each (a join request of its own), and is RUNNING
 * once every member is synced and subscribed to it (so that a notification it publishes reaches every member
 * whose count it has).
 * <p>
 * Bootstrap, when nodes start together with the same seed list and nobody is a member yet: a node that is
 * joining answers {@code NOT_READY}. When the discovery window ({@code cohort.command.timeout}) ends without an
 * acceptance, a node founds the cluster if the nodes that answered {@code NOT_READY} in the last round, with
 * itself, leave too few hosts of its seed list unaccounted for to hold a running cluster under the split strategy
 * (under keep-majority: they are a majority; under keep-oldest: every seed answered), and every one of them has a
 * larger node id; the others keep asking and are accepted by the founder. A node that was accepted answers
 * {@code REJECTED} while it still joins, as a member busy with a silent member does: a cluster exists, so the asker
 * never founds. A node that hears no seed, or only a minority, never
 * founds: it may be on the cut-off side of a cluster that runs on (restarted during a partition), and a second
 * cluster would never merge with the first. It keeps asking until {@code cohort.join.timeout}. A node without
 * seeds founds at once. With {@code cohort.cluster.expected.nodes} set, the rule is simpler: a node founds once that
 * many nodes (itself included) answered {@code NOT_READY} in one round and it has the lowest node id among them.
 * <p>
 * Seeds are resolved again each round (at most every {@code cohort.cluster.seeds.resolve.interval}) while joining or
 * alone, so a seed whose name does not resolve yet is joined once it does; a node whose seeds all fail to resolve
 * never founds. A join is refused, with what differs named in the log of both sides, when the joiner is of another
 * cluster name ({@code CLUSTER_MISMATCH}, answered to a frame the transport refused as foreign) or a setting every
 * member must share differs ({@code SETTINGS_MISMATCH}, {@link JoinSettings}).
 */
final class JoinDriver
{
    static final long JOIN_RETRY_MS = 200;
    static final long SEED_RECONNECT_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(JoinDriver.class);

    private final CohortContext context;
    private final Transport transport;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final ClusterCore core;
    private final long nodeId;
    /** Node id of each node that answered NOT_READY, to the time of its last answer. */
    private final Long2LongHashMap notReadyResponders = new Long2LongHashMap(Long.MIN_VALUE);
    private final JoinRequestDecoder joinRequestDecoder = new JoinRequestDecoder();
    private final JoinResponseDecoder joinResponseDecoder = new JoinResponseDecoder();
    private final MemberCardDecoder cardDecoder = new MemberCardDecoder();
    private final RateLimitedWarnings warnings;
    private SeedEndpoints seeds = SeedEndpoints.fixed(List.of());
    private String lastRefusal;
    private long joinCorrelationId;
    private boolean accepted;
    /** The member that accepted this node's join: the first one asked for its view. */
    private long acceptedBy;
    /** When a member last refused this node (a cluster exists): founding is blocked for that round. */
    private long memberRefusedNs = Long.MIN_VALUE;
    private long acceptedAtNs;
    private boolean probingAlone;
    private boolean roundAnswered = true;
    private long unansweredRounds;
    private long lastAttemptNs;
    private long joinDeadlineNs;
    /** Whether a view that lists this node was installed: its join deadline then restarts, once. */
    private boolean memberOfView;
    /** When a view first counted this node: a member slower than a heartbeat timeout from then is not waited for. */
    private long memberOfViewSinceNs;
    private long discoveryDeadlineNs;
    private long nextAttemptNs;
    private long seedsConnectedNs;
    private boolean anySeedAnswered;
    private long nowNs;

    JoinDriver(
        final CohortContext context,
        final Transport transport,
        final CommandMessages commands,
        final PendingRequests pending,
        final ClusterCore core)
    {
        this.context = context;
        this.transport = transport;
        this.commands = commands;
        this.pending = pending;
        this.core = core;
        this.nodeId = context.nodeId();
        this.warnings = new RateLimitedWarnings(LOG::warn, core::nowNs, RateLimitedWarnings.DEFAULT_BURST,
            RateLimitedWarnings.DEFAULT_INTERVAL_NS);
    }

    void start(final long nowNs, final SeedEndpoints seeds)
    {
        this.nowNs = nowNs;
        this.seeds = seeds;
        joinDeadlineNs = nowNs + context.joinTimeoutNs();
        memberOfView = false;
        discoveryDeadlineNs = nowNs + context.commandTimeoutNs();
        connectSeeds();
        LOG.info("node {} joining cluster {} through seeds {}", ClusterCore.id(nodeId), context.clusterName(), seeds);
        sendJoinRequests();
    }

    /**
     * Moves the join on: retries, founding, completion, timeout.
     *
     * @return the amount of work done.
     */
    int progress(final long nowNs, final List<Member> members)
    {
        this.nowNs = nowNs;
        if (!memberOfView && core.membership().isMember())
        {
            // Counted by a view from now on: its quorums include this node, and a node that gave up a moment after
            // a view let it in would take the view's quorum with it (seed 1561418: joiners that had waited most of
            // their timeout for a cluster to be founded were let in together, failed within 120 ms, and the new
            // view, needing all of them, dissolved). A member gets a whole join timeout to sync its peers; a peer
            // that never syncs is the view's to remove, and a view that goes silent meanwhile ends the join sooner
            // (ServingFence: no quorum of it for a heartbeat timeout and a suspicion window).
            memberOfView = true;
            memberOfViewSinceNs = nowNs;
            joinDeadlineNs = Math.max(joinDeadlineNs, nowNs + context.joinTimeoutNs());
        }
        if (nowNs >= joinDeadlineNs)
        {
            core.lifecycle().fail("join did not complete within " + CohortConfiguration.JOIN_TIMEOUT_PROP_NAME + "=" +
                TimeUnit.NANOSECONDS.toMillis(context.joinTimeoutNs()) + "ms: " + describe(members));
            return 1;
        }

        if (!accepted)
        {
            if (core.roomTableForgetting().inProgress())
            {
                return 0;
            }
            if (nowNs >= nextAttemptNs)
            {
                // Decided when a round of requests ends, on that round's answers only: every seed had the whole
                // round to answer, and an answer from before (a node since accepted, or gone) does not count.
                if (nowNs >= discoveryDeadlineNs && shouldFound())
                {
                    LOG.info("node {} founds cluster {}: {} nodes answering NOT_READY in the last round, all with " +
                        "larger ids, and this node are {}", ClusterCore.id(nodeId), context.clusterName(),
                        answeredLastRound(), 0 < context.expectedNodes() ?
                        CohortConfiguration.EXPECTED_NODES_PROP_NAME + "=" + context.expectedNodes() :
                        "enough of the " + seeds.endpoints().size() + " seed endpoints and itself");
                    core.becomeMember();
                    return 1;
                }
                sendJoinRequests();
                return 1;
            }
            return 0;
        }

        final Membership membership = core.membership();
        if (!membership.isMember())
        {
            if (observedClusterSilent())
            {
                lookAgain(members);
                return 1;
            }
            // An observer: it syncs every member of the view it was told of, then asks to be let in.
            if (null == membership.observed())
            {
                membership.query(acceptedBy, nowNs);
                return 0;
            }
            for (int i = 0, size = members.size(); i < size; i++)
            {
                if (!members.get(i).isSynced())
                {
                    return 0;
                }
            }
            return membership.requestJoin(nowNs);
        }
        for (int i = 0, size = members.size(); i < size; i++)
        {
            // Synced, and subscribed to this node: until its subscription is live, no notification published
            // here could reach it, so this node must not serve yet.
            if (!readyFor(members.get(i)))
            {
                return 0;
            }
        }
        if (!membership.leaseValid(nowNs))
        {
            return 0;
        }
        LOG.info("node {} joined: in view {}, {} members synced and subscribed", ClusterCore.id(nodeId),
            membership.view().epoch(), members.size());
        for (int i = 0, size = members.size(); i < size; i++)
        {
            final Member member = members.get(i);
            if (!core.snapshotServer().snapshotOpenedBy(member))
            {
                LOG.warn("node {}: member {} opened no snapshot of this node within {}={} ms of the view that let " +
                    "it in: serving without waiting for it (a room removed here before it does may stay there)",
                    ClusterCore.id(nodeId), member, CohortConfiguration.HEARTBEAT_TIMEOUT_PROP_NAME,
                    TimeUnit.NANOSECONDS.toMillis(context.heartbeatTimeoutNs()));
            }
        }
        core.becomeMember();
        return 1;
    }

    /**
     * A member alone (a founder nobody has joined yet, or one whose every peer is gone) keeps asking its seeds to
     * let it in, every {@value #JOIN_RETRY_MS} ms. A founder decides on answers that may be stale by the time it
     * founds: the joining nodes that answered {@code NOT_READY} may have been let into a cluster on the far side of
     * a partition that healed meanwhile, leaving it a cluster of one beside theirs. A member of that cluster
     * accepts it like any joiner; a cluster of one has no other member's rows to reconcile, so it simply merges.
     *
     * @return the amount of work done.
     */
    int probeSeedsWhileAlone(final long nowNs)
    {
        this.nowNs = nowNs;
        if (!seeds.configured() || nowNs < nextAttemptNs)
        {
            return 0;
        }
        if (!probingAlone)
        {
            probingAlone = true;
            anySeedAnswered = false;
            connectSeeds();
        }
        sendJoinRequests();
        return 1;
    }

    /**
     * @return rounds of join requests that no seed answered before the next round.
     */
    long unansweredRounds()
    {
        return unansweredRounds;
    }

    /**
     * Stops asking the seeds once the member has peers again: they tell it of every other member.
     */
    void stopProbingSeeds()
    {
        if (probingAlone)
        {
            probingAlone = false;
            transport.disconnectSeeds();
        }
    }

    private void connectSeeds()
    {
        for (final String endpoint : seeds.endpoints())
        {
            transport.connectSeed(endpoint);
        }
        seedsConnectedNs = nowNs;
    }

    private void sendJoinRequests()
    {
        if (seeds.refresh(nowNs))
        {
            // A seed's name resolves to other addresses than before (e.g. a pod now listed by its service): the seed
            // channels follow, so that every endpoint of the new list is asked from this round on.
            LOG.info("node {}: seeds now resolve to {}", ClusterCore.id(nodeId), seeds);
            transport.disconnectSeeds();
            connectSeeds();
            anySeedAnswered = false;
        }
        else if (!anySeedAnswered && nowNs - seedsConnectedNs > TimeUnit.MILLISECONDS.toNanos(SEED_RECONNECT_MS))
        {
            // JeroMQ sometimes never completes a fresh connection's handshake: fresh sockets are the cure.
            transport.disconnectSeeds();
            connectSeeds();
        }
        if (!roundAnswered)
        {
            unansweredRounds++;
        }
        roundAnswered = false;
        lastAttemptNs = nowNs;
        if (0 != joinCorrelationId)
        {
            pending.complete(joinCorrelationId);
        }
        joinCorrelationId = pending.nextCorrelationId();
        pending.register(joinCorrelationId, 0, nowNs + context.commandTimeoutNs());
        final int length = commands.joinRequest(joinCorrelationId);
        for (int i = 0, size = seeds.endpoints().size(); i < size; i++)
        {
            transport.sendToSeed(i, commands.buffer(), 0, length);
        }
        nextAttemptNs = nowNs + TimeUnit.MILLISECONDS.toNanos(JOIN_RETRY_MS);
    }

    private boolean shouldFound()
    {
        // No seed resolves yet: the cluster may well run on the far side of a DNS that does not list it yet.
        if (memberRefusedNs >= lastAttemptNs || seeds.endpoints().isEmpty())
        {
            return false;
        }
        // Only answers to the last round count: a node restarted with a new id since must not count twice, one gone
        // must not block founding for good, and one accepted since must not count as joining.
        final long since = lastAttemptNs;
        int answered = 0;
        final Long2LongHashMap.EntryIterator it = notReadyResponders.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (it.getLongValue() >= since)
            {
                if (Long.compareUnsigned(it.getLongKey(), nodeId) < 0)
                {
                    return false;
                }
                answered++;
            }
        }
        if (context.expectedNodes() > 0)
        {
            // Every expected node answered in one round and this one has the lowest id among them: exactly one of
            // them founds, the others join it.
            return 1 + answered >= context.expectedNodes();
        }
        // Founding is safe only if the hosts that did not answer are too few to hold a running cluster under the
        // split strategy: under keep-majority that is a majority answering; under keep-oldest, where a cluster of
        // one may run on, every seed; under static-quorum, all but fewer than the quorum.
        final int total = 1 + seeds.endpoints().size();
        return 1 + answered >= Quorum.smallestFoundingGroup(context.splitStrategy(), context.minimumNodes(), total);
    }

    private int answeredLastRound()
    {
        int answered = 0;
        final Long2LongHashMap.EntryIterator it = notReadyResponders.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (it.getLongValue() >= lastAttemptNs)
            {
                answered++;
            }
        }
        return answered;
    }

    private String describe(final List<Member> members)
    {
        if (!accepted)
        {
            final String refused = null == lastRefusal ? "" : "; last refusal: " + lastRefusal;
            return (notReadyResponders.isEmpty() ? "no seed answered among " + seeds :
                "only joining nodes answered (" + notReadyResponders.size() + " ever, of " + seeds.endpoints().size() +
                " seed endpoints; founding needs " + (0 < context.expectedNodes() ?
                CohortConfiguration.EXPECTED_NODES_PROP_NAME + "=" + context.expectedNodes() :
                "a majority") + " answering in one round, all with larger ids): " +
                notReadyResponders.keySet()) + refused;
        }
        final StringBuilder builder = new StringBuilder(
            "members not synced, not subscribed or without a snapshot of this node yet:");
        for (final Member member : members)
        {
            if (!readyFor(member))
            {
                builder.append(' ').append(member).append(member.directedStreamOpen ? "" : "(not subscribed)")
                    .append(core.snapshotServer().snapshotOpenedBy(member) ? "" : "(no snapshot of this node)");
            }
        }
        return builder.toString();
    }

    /**
     * Whether a member is ready for this node to serve: synced here, subscribed to this node's directed stream, and
     * with a snapshot of this node's rows opened, so that every change made here from now on is past its start
     * there. A room removed here before that would reach it neither in the snapshot (rows; a member's room table
     * only adds rooms) nor replayed (seed 1286 in strict mode). A member that has not opened one a heartbeat timeout
     * after this node entered the view is a slow one: it is not waited for (a slow node must not hold a healthy one
     * back), and may keep an unused room this node removes before it does.
     */
    private boolean readyFor(final Member member)
    {
        return member.isSynced() && member.directedStreamOpen && (core.snapshotServer().snapshotOpenedBy(member) ||
            nowNs - memberOfViewSinceNs >= context.heartbeatTimeoutNs());
    }

    void onJoinResponse(final long senderNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final JoinResponseDecoder response = joinResponseDecoder.wrap(buffer, offset, length);
        final boolean joining = NodeState.JOINING == core.state();
        anySeedAnswered = true;
        roundAnswered = true;
        if (CommandStatus.OK != response.status())
        {
            if (CommandStatus.SETTINGS_MISMATCH == response.status())
            {
                final String mismatch = JoinSettings.mismatch(context, FrameLayout.VERSION_MAJOR,
                    FrameLayout.VERSION_MINOR, response.heartbeatIntervalNs(), response.heartbeatTimeoutNs());
                lastRefusal = "member " + ClusterCore.id(senderNodeId) + " refused this node's settings: " +
                    (null == mismatch ? "they differ on its side (see its log)" : mismatch);
                warnings.warn("settings-mismatch", "node {}: {}", ClusterCore.id(nodeId), lastRefusal);
            }
            if (joining && !accepted)
            {
                if (CommandStatus.NOT_READY == response.status())
                {
                    notReadyResponders.put(senderNodeId, nowNs);
                }
                else
                {
                    // A member refused (busy, another protocol version, settings that differ, or the cluster at its
                    // configured size): a cluster exists, never found another.
                    if (memberRefusedNs < lastAttemptNs && CommandStatus.SETTINGS_MISMATCH != response.status())
                    {
                        LOG.warn("node {} refused by member {}: a partition suspected, another protocol version, or " +
                            "the cluster at {} (see that member's log)", ClusterCore.id(nodeId),
                            ClusterCore.id(senderNodeId), StateConfiguration.MAX_NODES_PROP_NAME);
                    }
                    memberRefusedNs = nowNs;
                }
            }
            return;
        }

        if (!joining)
        {
            onProbeAnswered(senderNodeId, response);
            return;
        }
        if (accepted || response.correlationId() != joinCorrelationId)
        {
            return;
        }
        accepted = true;
        acceptedBy = senderNodeId;
        acceptedAtNs = nowNs;
        pending.complete(joinCorrelationId);
        LOG.info("node {} accepted by {}: {} members", ClusterCore.id(nodeId), ClusterCore.id(senderNodeId),
            response.memberCount());
        // Only the member that answered is subscribed to now: the view it then sends names every member, and the
        // observer syncs exactly those.
        while (response.nextMember(cardDecoder))
        {
            if (cardDecoder.nodeId() == senderNodeId)
            {
                core.addMember(senderNodeId, cardDecoder.incarnation(), cardDecoder.syncEndpoint(),
                    cardDecoder.commandEndpoint());
            }
        }
        core.membership().query(senderNodeId, nowNs);
    }

    /**
     * Whether the cluster this node was accepted into went silent while it observed: no member heard for a heartbeat
     * timeout, a suspicion window after the acceptance. Its members lost their quorum and left (a cluster that lost
     * most of its nodes dissolves that way); waiting for them would fail the join, and answering REJECTED meanwhile
     * would keep the nodes that restart from founding the cluster again.
     */
    private boolean observedClusterSilent()
    {
        return nowNs - acceptedAtNs > context.heartbeatTimeoutNs() + context.suspicionTimeoutNs() &&
            !core.anyMemberHeard();
    }

    private void lookAgain(final List<Member> members)
    {
        LOG.warn("node {}: no member of the cluster it was accepted into was heard for {} ms: looking for the " +
            "cluster again", ClusterCore.id(nodeId), TimeUnit.NANOSECONDS.toMillis(context.heartbeatTimeoutNs()));
        for (int i = members.size() - 1; i >= 0; i--)
        {
            core.forgetMember(members.get(i));
        }
        core.membership().forgetObserved();
        core.roomTableForgetting().start();
        core.removedMemberRooms().forgetRemovedWhileJoining();
        core.snapshotServer().forgetSnapshotsOpened();
        accepted = false;
        acceptedBy = 0;
        notReadyResponders.clear();
        discoveryDeadlineNs = nowNs + context.commandTimeoutNs();
        nextAttemptNs = nowNs;
    }

    /**
     * A member alone probing its seeds was answered by a member of a cluster: if that cluster is not this one and
     * wins (more members; of one each, the older member), this node dissolves its cluster of one and starts again
     * as a new incarnation, which joins the other. A cluster of one has no other member's rows to keep, so
     * rejoining is the whole merge.
     */
    private void onProbeAnswered(final long senderNodeId, final JoinResponseDecoder response)
    {
        final Membership membership = core.membership();
        if (!core.state().isMember() || !membership.isMember() || membership.view().size() != 1)
        {
            return;
        }
        int size = 0;
        long oldestIncarnation = Long.MAX_VALUE;
        long oldestId = 0;
        while (response.nextMember(cardDecoder))
        {
            if (cardDecoder.nodeId() == nodeId)
            {
                return; // this node's own cluster
            }
            size++;
            if (ViewMember.compareAge(cardDecoder.incarnation(), cardDecoder.nodeId(), oldestIncarnation, oldestId) < 0)
            {
                oldestIncarnation = cardDecoder.incarnation();
                oldestId = cardDecoder.nodeId();
            }
        }
        if (size > 1 || 1 == size &&
            ViewMember.compareAge(oldestIncarnation, oldestId, context.incarnation(), nodeId) < 0)
        {
            core.lifecycle().evictSelf(ReasonCode.PARTITION, "another cluster of " + size +
                " member(s) answered through seed " + ClusterCore.id(senderNodeId) +
                ": this cluster of one dissolves and joins it");
        }
    }

    void onJoinRequest(
        final byte[] routingId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final List<Member> members)
    {
        final JoinRequestDecoder request = joinRequestDecoder.wrap(buffer, offset, length);
        final long correlationId = request.correlationId();
        final MemberCardDecoder card = request.card(cardDecoder);
        if (!context.clusterName().equals(request.clusterName()))
        {
            // The same cluster id from another name: a hash collision, refused like any other cluster.
            refuseOtherCluster(routingId, correlationId, card.nodeId(), request.clusterName());
            return;
        }
        final String mismatch = JoinSettings.mismatch(context, card.versionMajor(), card.versionMinor(),
            request.heartbeatIntervalNs(), request.heartbeatTimeoutNs());
        if (null != mismatch)
        {
            // Checked before anything else, by joining nodes too: a cold start of nodes that disagree must say why.
            warnings.warn("settings-mismatch", "node {} refused a join from {}: {}", ClusterCore.id(nodeId),
                ClusterCore.id(card.nodeId()), mismatch);
            reply(routingId, commands.joinResponse(correlationId, CommandStatus.SETTINGS_MISMATCH, List.of()));
            return;
        }
        if (!core.state().isMember())
        {
            // Only a member vouches for a member list: a node still joining (even accepted) may hold a list that
            // names evicted members, or lacks members it has not reached; its answer could be taken as acceptance.
            // Once accepted, it knows a cluster exists: it says so (REJECTED), so that the asker never founds another.
            reply(routingId, commands.joinResponse(correlationId,
                accepted ? CommandStatus.REJECTED : CommandStatus.NOT_READY, List.of()));
            return;
        }

        if (core.wasRemoved(card.nodeId(), card.incarnation()))
        {
            // An incarnation that was evicted or left: it must come back as a new incarnation.
            reply(routingId, commands.joinResponse(correlationId, CommandStatus.REJECTED, List.of()));
            return;
        }
        final int maxNodes = context.stateContext().maxNodes();
        if (null == core.member(card.nodeId()) && members.size() + 1 >= maxNodes)
        {
            // Every node holds a count slot per member: one past the configured size would be refused its
            // counts later, a desync; refused here instead, it never becomes a member.
            LOG.warn("node {} refused a join from {}: the cluster has {} nodes, {}={}", ClusterCore.id(nodeId),
                ClusterCore.id(card.nodeId()), members.size() + 1, StateConfiguration.MAX_NODES_PROP_NAME, maxNodes);
            reply(routingId, commands.joinResponse(correlationId, CommandStatus.REJECTED, List.of()));
            return;
        }
        // Accepted as an observer only: the answer names this node and its members; the joiner asks for the view,
        // syncs every member, then asks to be let in, which only a view agreed by a quorum does.
        reply(routingId, commands.joinResponse(correlationId, CommandStatus.OK, members));
    }

    /**
     * A join request in a frame of another cluster (the transport refused the frame): answered with this node's
     * cluster name, so that both sides log both names; nothing of it is applied.
     */
    void onForeignJoinRequest(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
    {
        final JoinRequestDecoder request = joinRequestDecoder.wrap(buffer, offset, length);
        refuseOtherCluster(routingId, request.correlationId(), request.card(cardDecoder).nodeId(),
            request.clusterName());
    }

    private void refuseOtherCluster(
        final byte[] routingId, final long correlationId, final long joinerNodeId, final String joinerCluster)
    {
        warnings.warn("foreign-join", "node {} of cluster {} refused a join from node {} of cluster {} ({} differs)",
            ClusterCore.id(nodeId), context.clusterName(), ClusterCore.id(joinerNodeId), joinerCluster,
            CohortConfiguration.CLUSTER_NAME_PROP_NAME);
        reply(routingId, commands.joinResponse(correlationId, CommandStatus.CLUSTER_MISMATCH, List.of()));
    }

    /**
     * A join response in a frame of another cluster: only a refusal is expected, and it is logged, never applied.
     */
    void onForeignJoinResponse(final long senderNodeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final JoinResponseDecoder response = joinResponseDecoder.wrap(buffer, offset, length);
        anySeedAnswered = true;
        roundAnswered = true;
        lastRefusal = "seed " + ClusterCore.id(senderNodeId) + " is of cluster " + response.clusterName() +
            ", this node of cluster " + context.clusterName() + " (" + CohortConfiguration.CLUSTER_NAME_PROP_NAME +
            " differs)";
        warnings.warn("foreign-join-refused", "node {} refused: {} ({})", ClusterCore.id(nodeId), lastRefusal,
            CommandStatus.name(response.status()));
    }

    /**
     * Any other frame of another cluster, refused by the transport and counted: one rate-limited line says so.
     */
    void onForeignFrame(final long senderNodeId, final long clusterId, final String what)
    {
        warnings.warn("foreign-frame", "node {} of cluster {} refused {} from node {} of another cluster (id {}): " +
            "nothing applied", ClusterCore.id(nodeId), context.clusterName(), what, ClusterCore.id(senderNodeId),
            ClusterCore.id(clusterId));
    }

    private void reply(final byte[] routingId, final int length)
    {
        transport.reply(routingId, commands.buffer(), 0, length);
    }
}
