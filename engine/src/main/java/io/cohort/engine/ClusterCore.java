package io.cohort.engine;

import io.cohort.codec.ClusterEventEncoder;
import io.cohort.codec.HeartbeatDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.ReasonCode;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.CommandHandler;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol logic of one node: a single-threaded, sans-IO state machine. Its inputs are messages (through
 * its {@link SyncChannel} and {@link CommandChannel}), API calls and the current time ({@link #doWork(long)}); its
 * outputs go to a {@link Transport} and a {@link CohortListener}. It owns no socket and reads no clock, so a
 * simulated network and clock can drive many of them in one thread.
 * <p>
 * Membership: every member's rows are copied by {@link MemberSync} (subscribe, prove the stream live, snapshot,
 * replay) before they are trusted; a joining node ({@link JoinDriver}) becomes RUNNING once every member it
 * learnt of is synced, and members sync the joiner the same way. A directed stream to a node starts only when its
 * subscription reached this node's publisher ({@link SyncHandler#onSubscriberChange}), so no directed message is
 * lost unseen. What this node publishes goes through {@link SyncPublisher}.
 */
final class ClusterCore
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCore.class);
    /** Count entries visited per duty cycle to clean up after removed members: whole map segments, ~0.1 ms. */
    private static final int SWEEP_BUDGET = 1024;

    private final CohortContext context;
    private final Transport transport;
    private final SubscriptionState state;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    private final long nodeId;
    private final long incarnation;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final SyncPublisher publisher;
    private final FlowControl flowControl;
    private final FlowReporter flowReporter;
    private final ReplicaApplier applier;
    private final MemberSync memberSync;
    private final SnapshotServer snapshotServer;
    private final SliceBudget sliceBudget;
    private final JoinDriver joinDriver;
    private final CommandChannel commandChannel;
    private final SyncChannel syncChannel;
    private final FaultDetector faultDetector;
    private final Long2ObjectHashMap<Member> membersById = new Long2ObjectHashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final LongHashSet liveSubscribers = new LongHashSet();
    /** Per node id, the last incarnation removed (left or evicted): one entry per node id ever removed. */
    private final Long2LongHashMap removedIncarnations = new Long2LongHashMap(Long.MIN_VALUE);
    /** Per node id, the last eviction this node decided or was told of, while no newer incarnation is a member. */
    private final Long2ObjectHashMap<Eviction> evictions = new Long2ObjectHashMap<>();
    private final ExpandableArrayBuffer roomScratch = new ExpandableArrayBuffer(256);


    private volatile NodeState nodeState = NodeState.STARTING;
    private volatile long[] memberIds = new long[0];
    private volatile List<ClusterMember> clusterMembers = List.of();
    private volatile String failure;

    /** Requests unanswered within cohort.command.timeout: a peer, or the way to it, is slow or gone. */
    private long requestTimeouts;
    private final PendingRequests.TimeoutHandler requestTimedOut = (correlationId, peerNodeId) -> requestTimeouts++;
    private long nextHeartbeatNs;
    private long lastSyncedViewNs;
    private long resumedNs = Long.MIN_VALUE / 2;
    private long nowNs;
    private long lastWorkNs;
    private int heartbeatFlags;
    private int cycles;
    private long slicesBegunNs = Long.MIN_VALUE;

    ClusterCore(
        final CohortContext context,
        final CohortListener listener,
        final Transport transport,
        final SubscriptionState state,
        final ErrorHandler errorHandler,
        final long nowNs)
    {
        this.context = context;
        this.transport = transport;
        this.state = state;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.nowNs = nowNs;
        this.pending = new PendingRequests(nowNs);
        final byte[] publicKey = null == context.transportContext().curveKeys() ?
            new byte[0] : context.transportContext().curveKeys().publicKey();
        this.commands = new CommandMessages(context, transport.syncEndpoint(), transport.commandEndpoint(), publicKey);
        this.publisher = new SyncPublisher(context, transport.outbound(), state, errorHandler, publicKey);
        this.flowControl = new FlowControl(context, transport.outbound(), liveSubscribers);
        this.flowReporter = new FlowReporter(context, transport, commands);
        publisher.flowWindow(flowControl.window());
        // The backend's own listener opts in, not the wrapper the node may put around it (its counters).
        final ReplicaObserver replicaObserver =
            context.listener() instanceof ReplicaObserver ? (ReplicaObserver)context.listener() : null;
        this.applier = new ReplicaApplier(state, listener, replicaObserver, errorHandler);
        this.sliceBudget = new SliceBudget(context.sliceBudgetNs());
        this.memberSync = new MemberSync(context, transport, state, commands, pending, applier, sliceBudget,
            this::onMemberSynced);
        this.joinDriver = new JoinDriver(context, transport, commands, pending, this);
        this.snapshotServer = new SnapshotServer(context, transport, state, publisher, commands, sliceBudget);
        this.commandChannel = new CommandChannel(this, context, transport, snapshotServer, commands, pending,
            publisher, memberSync, joinDriver);
        this.faultDetector = new FaultDetector(context, new FaultDetector.Node()
        {
            public void suspect(final Member accused, final int reason, final long expected, final long observed)
            {
                publisher.suspect(accused.nodeId, accused.incarnation, reason, expected, observed);
            }

            public void evict(final Member member, final int reason)
            {
                evictMember(member, reason);
            }

            public void evictSelf(final int reason, final String why)
            {
                ClusterCore.this.evictSelf(reason, why);
            }

            public List<Member> members()
            {
                return members;
            }
        });
        this.syncChannel = new SyncChannel(this, context, state, memberSync, applier, faultDetector, joinDriver);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lifecycle
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Starts the node: a cluster of one at once without seeds (or when every seed is this node), else joining
     * through them; a seed that does not resolve yet is asked for again on every round of the join.
     *
     * @param nowNs the current time.
     * @param seeds the seeds' command endpoints, resolved here and again while joining or alone.
     */
    void start(final long nowNs, final SeedEndpoints seeds)
    {
        this.nowNs = nowNs;
        nextHeartbeatNs = nowNs;
        seeds.refresh(nowNs);
        if (seeds.endpoints().isEmpty() && !seeds.anyUnresolved())
        {
            LOG.info("node {} starts a new cluster {}: {}", id(nodeId), context.clusterName(),
                seeds.configured() ? "every seed is this node" : "no seed configured");
            becomeMember();
            return;
        }
        changeState(NodeState.JOINING);
        joinDriver.start(nowNs, seeds);
    }

    /**
     * Runs the timers: join progress, sync retries, pending rows, heartbeats, silence.
     *
     * @param nowNs the current time.
     * @return the amount of work done.
     */
    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        beginSlices(nowNs);
        int workCount = pending.poll(nowNs, requestTimedOut);
        final NodeState current = nodeState;
        if (current.isTerminal() || NodeState.STARTING == current)
        {
            // An evicted node still runs until it is closed: its own eviction (and what was queued before it)
            // goes out meanwhile.
            return NodeState.EVICTED == current ? workCount + publisher.publishControl() : workCount;
        }
        detectStall(nowNs);

        if (NodeState.JOINING == current)
        {
            workCount += forgetUnlistedMembers();
            workCount += joinDriver.progress(nowNs, members);
            if (nodeState.isTerminal())
            {
                return workCount;
            }
        }

        workCount += memberSync.tick(members, nowNs);
        workCount += doSlices(nowNs);
        workCount += flowControl.tick(this, nowNs); // rows are claimed only while its window is open
        workCount += flowReporter.tick(members, nowNs);
        workCount += publisher.publishControl(); // before rows: control never waits behind data
        workCount += publisher.publishPending();
        flowControl.afterPublish(nowNs, publisher.hasPending());
        workCount += state.sweepRemovedOwners(SWEEP_BUDGET);
        if (nowNs >= nextHeartbeatNs && NodeState.LEAVING != nodeState)
        {
            if (publisher.sendHeartbeat(nowNs, members, heartbeatFlags))
            {
                nextHeartbeatNs = nowNs + context.heartbeatIntervalNs();
                heartbeatFlags = 0;
                workCount++;
            }
        }
        if (nodeState.isMember() || NodeState.JOINING == nodeState)
        {
            workCount += faultDetector.tick(nowNs);
        }
        if (nodeState.isMember())
        {
            workCount += faultDetector.checkStillListed(nowNs);
            if (members.isEmpty())
            {
                workCount += joinDriver.probeSeedsWhileAlone(nowNs);
            }
            else
            {
                joinDriver.stopProbingSeeds();
            }
        }
        // What the timers above decided (an accusation, an eviction) leaves in this cycle's flush.
        return workCount + publisher.publishControl();
    }

    /**
     * Starts a duty cycle, before its input is handled: what arrived during a stall (a GC pause) is then handled
     * at the time it is read and knowing that the node stalled, never at the time of the cycle before the stall as
     * if no time had passed. Invariant: no input read after a stall is decided on a clock that predates it, so a
     * join request that waited out a pause is judged with the stall known ({@link #hearsEveryMember()} is false),
     * not let in while the silence of members beyond a partition that began meanwhile is still unseen.
     */
    void beginCycle(final long nowNs)
    {
        this.nowNs = nowNs;
        beginSlices(nowNs);
        if (!nodeState.isTerminal() && NodeState.STARTING != nodeState)
        {
            detectStall(nowNs);
        }
    }

    /**
     * The long jobs, within one budget a cycle: snapshots served to members and snapshots of members loaded and
     * replayed. They take turns going first, so neither starves the other.
     */
    private int doSlices(final long nowNs)
    {
        if ((cycles++ & 1) == 0)
        {
            return snapshotServer.doWork(sliceBudget, nowNs) + memberSync.doSlices(members, sliceBudget, nowNs);
        }
        return memberSync.doSlices(members, sliceBudget, nowNs) + snapshotServer.doWork(sliceBudget, nowNs);
    }

    /**
     * One slice budget per duty cycle: begun by the first of {@link #beginCycle} and {@link #doWork} that sees the
     * cycle's time, and shared by what the cycle's input starts (a snapshot served or loaded as it is asked for or
     * arrives) and by the jobs {@link #doSlices} continues.
     */
    private void beginSlices(final long nowNs)
    {
        if (nowNs != slicesBegunNs)
        {
            slicesBegunNs = nowNs;
            sliceBudget.begin();
        }
    }

    /**
     * Also bounds each cycle's long jobs by time read from this clock, besides their row bound; production
     * installs the agent's clock, a simulation none (it stays deterministic).
     *
     * @param clock the node agent's clock.
     */
    void sliceClock(final NanoClock clock)
    {
        sliceBudget.clock(clock);
    }

    SliceBudget sliceBudget()
    {
        return sliceBudget;
    }

    FlowControl flowControl()
    {
        return flowControl;
    }

    FlowReporter flowReporter()
    {
        return flowReporter;
    }

    SnapshotServer snapshotServer()
    {
        return snapshotServer;
    }

    MemberSync memberSync()
    {
        return memberSync;
    }

    private void detectStall(final long nowNs)
    {
        final long stalledNs = 0 == lastWorkNs ? 0 : nowNs - lastWorkNs;
        lastWorkNs = nowNs;
        if (stalledNs > context.heartbeatTimeoutNs() / 2)
        {
            faultDetector.onResumedFromPause(members, nowNs, stalledNs);
            resumedNs = nowNs;
            heartbeatFlags |= HeartbeatDecoder.FLAG_RESUMED_FROM_PAUSE;
            nextHeartbeatNs = nowNs;
        }
    }

    /**
     * Announces a graceful leave; the caller flushes the transport and closes.
     */
    void leave()
    {
        if (nodeState.isTerminal() || NodeState.LEAVING == nodeState)
        {
            return;
        }
        publisher.publishPending();
        publisher.announceLeaving();
        publisher.publishControl();
        changeState(NodeState.LEAVING);
        LOG.info("node {} leaving the cluster", id(nodeId));
    }

    /**
     * Marks the node closed.
     */
    void closed()
    {
        if (0 != publisher.controlPending())
        {
            LOG.warn("node {} closes with {} control messages never accepted by its broadcast stream",
                id(nodeId), publisher.controlPending());
        }
        if (NodeState.EVICTED != nodeState)
        {
            changeState(NodeState.CLOSED);
        }
    }

    NodeState state()
    {
        return nodeState;
    }

    long[] memberIds()
    {
        return memberIds;
    }

    List<ClusterMember> clusterMembers()
    {
        return clusterMembers;
    }

    String failure()
    {
        return failure;
    }

    /**
     * @return requests of this node that went unanswered in time: rounds of join requests no seed answered,
     * snapshot requests past {@code cohort.command.timeout}, other requests past it.
     */
    long requestTimeouts()
    {
        return requestTimeouts + joinDriver.unansweredRounds() + memberSync.snapshotTimeouts();
    }

    NotificationCredit notificationCredit()
    {
        return publisher.notificationCredit();
    }

    /**
     * @return control messages (cards, leave, evictions, accusations, probe answers) queued since start.
     */
    long controlQueued()
    {
        return publisher.controlQueued();
    }

    /**
     * @return control messages claimed on the broadcast stream since start.
     */
    long controlSent()
    {
        return publisher.controlSent();
    }

    /**
     * @return control messages waiting for the broadcast stream to accept them.
     */
    int controlPending()
    {
        return publisher.controlPending();
    }

    /**
     * @return control messages refused because the control lane was full (each also reported as an error).
     */
    long controlOverflows()
    {
        return publisher.controlOverflows();
    }

    Member member(final long memberId)
    {
        return membersById.get(memberId);
    }

    List<Member> members()
    {
        return members;
    }

    long nowNs()
    {
        return nowNs;
    }

    /**
     * A heartbeat came from a synced member: its view of the members is current.
     */
    void onSyncedView()
    {
        lastSyncedViewNs = nowNs;
    }

    /**
     * @return the handler of this node's sync channel input (its members' streams, subscriptions to this node).
     */
    SyncHandler syncHandler()
    {
        return syncChannel;
    }

    /**
     * @return the handler of this node's command channel input (requests to it, answers to its requests).
     */
    CommandHandler commandHandler()
    {
        return commandChannel;
    }

    /**
     * @return whether this node has heard every member within the heartbeat timeout, and has run for a whole
     * heartbeat timeout since its last stall.
     */
    boolean hearsEveryMember()
    {
        // Silence timers restarted by a stall say nothing of the members, and what waited in the socket buffers
        // meanwhile is old news: a partition that began during the stall shows only a heartbeat timeout later.
        // Invariant: no node is let in until a whole heartbeat timeout has passed since the last stall, because a
        // node let in before then may be counted by this side only; a lone node just resumed could then make its
        // side a tie it wins by age while the other side has evicted it, and the cluster splits in two.
        if (nowNs - resumedNs < context.heartbeatTimeoutNs())
        {
            return false;
        }
        for (int i = 0, size = members.size(); i < size; i++)
        {
            if (nowNs - members.get(i).lastHeardNs > context.heartbeatTimeoutNs())
            {
                return false;
            }
        }
        return true;
    }

    boolean acceptsApiCalls()
    {
        return nodeState.isMember();
    }

    void changeState(final NodeState newState)
    {
        final NodeState previous = nodeState;
        if (previous == newState)
        {
            return;
        }
        nodeState = newState;
        LOG.info("node {} state {} -> {}", id(nodeId), previous, newState);
        try
        {
            listener.onStateChanged(previous, newState);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    void fail(final String reason)
    {
        failure = reason;
        LOG.error("node {} failed: {}", id(nodeId), reason);
        changeState(NodeState.CLOSED);
    }

    void becomeMember()
    {
        transport.disconnectSeeds();
        changeState(members.size() + 1 >= context.minimumNodes() ? NodeState.RUNNING : NodeState.NOT_ENOUGH_NODES);
        publisher.announceCard(MessageType.NODE_JOINED, nodeId, incarnation, transport.syncEndpoint(),
            transport.commandEndpoint());
    }

    private void updateMemberState()
    {
        final NodeState current = nodeState;
        if (current.isMember())
        {
            changeState(members.size() + 1 >= context.minimumNodes() ? NodeState.RUNNING : NodeState.NOT_ENOUGH_NODES);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Members
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Subscribes to a member and starts syncing its rows (idempotent for the same incarnation; a new incarnation
     * replaces the old one; an incarnation already removed, or older than the one known, is refused).
     *
     * @return the member, or null if it is this node, a refused incarnation, or its channels could not be opened.
     */
    Member addMember(
        final long memberId, final long memberIncarnation, final String syncEndpoint, final String commandEndpoint)
    {
        if (memberId == nodeId)
        {
            return null;
        }
        final Member known = membersById.get(memberId);
        if (null != known && known.incarnation == memberIncarnation)
        {
            return known;
        }
        if (memberIncarnation <= removedIncarnations.get(memberId) ||
            null != known && memberIncarnation < known.incarnation)
        {
            // An incarnation that left or was evicted, or older than the one known, named by a stale view (a
            // joiner's member list, a late card): it never comes back.
            return null;
        }
        if (null != known)
        {
            removeMember(known, ReasonCode.SILENCE, false);
        }
        final Peer peer;
        try
        {
            peer = transport.addPeer(memberId, memberIncarnation, syncEndpoint, commandEndpoint);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
        // A new incarnation's directed stream to this node starts at the first sequence: anything lost before
        // the first directed frame is then seen as a gap.
        peer.counters().directedSequence().expect(OutboundBatcher.FIRST_SEQUENCE);
        final Member member = new Member(memberId, memberIncarnation, syncEndpoint, commandEndpoint, peer, nowNs);
        membersById.put(memberId, member);
        members.add(member);
        // A newer incarnation: the id in the others' views now names it, not the one evicted.
        evictions.remove(memberId);
        if (liveSubscribers.contains(memberId))
        {
            // Its subscription reached this node before it became a member (e.g. it joined through another node).
            openDirectedStream(member);
        }
        publishMemberIds();
        LOG.info("node {} subscribed to member {} at {}", id(nodeId), member, syncEndpoint);
        memberSync.start(member, nowNs);
        return member;
    }

    /**
     * While joining, forgets a member never heard since subscribing that no synced member has listed in its
     * heartbeats for a whole heartbeat timeout: it left or was evicted before this node's subscriptions were live,
     * so this node missed the news, and waiting for it would fail the join.
     */
    private int forgetUnlistedMembers()
    {
        int workCount = 0;
        final long boundNs = context.heartbeatTimeoutNs();
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member member = members.get(i);
            if (Member.Phase.AWAITING_BASELINE == member.phase && nowNs - member.addedNs > boundNs &&
                lastSyncedViewNs - member.lastListedNs > boundNs)
            {
                LOG.warn("node {} forgets member {}: never heard, and no synced member lists it", id(nodeId), member);
                removeMember(member, ReasonCode.SILENCE, false);
                workCount++;
            }
        }
        return workCount;
    }

    /**
     * Tells the other members of a member that just joined through this node, so that they subscribe to it.
     */
    void announceMember(final Member member)
    {
        publisher.announceCard(
            MessageType.MEMBER_CARD, member.nodeId, member.incarnation, member.syncEndpoint, member.commandEndpoint);
    }

    void removeMember(final Member member, final int reason, final boolean graceful)
    {
        if (member.incarnation > removedIncarnations.get(member.nodeId))
        {
            removedIncarnations.put(member.nodeId, member.incarnation);
        }
        membersById.remove(member.nodeId);
        members.remove(member);
        transport.removePeer(member.nodeId);
        transport.outbound().removeDestination(member.nodeId);
        final long rows = state.removeOwner(member.nodeId);
        faultDetector.forget(member.nodeId);
        publishMemberIds();
        LOG.info("node {} removed member {} ({}): {} rows dropped", id(nodeId), member,
            graceful ? "left" : ReasonCode.name(reason), rows);
        try
        {
            if (graceful)
            {
                listener.onMemberLeft(member.nodeId);
            }
            else
            {
                listener.onMemberEvicted(member.nodeId, EvictionReason.ofWire(reason));
            }
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
        updateMemberState();
    }

    private void publishMemberIds()
    {
        final long[] ids = new long[members.size()];
        final ClusterMember[] views = new ClusterMember[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            final Member member = members.get(i);
            ids[i] = member.nodeId;
            views[i] = new ClusterMember(member.nodeId, member.incarnation, member.syncEndpoint,
                member.commandEndpoint, member.isSynced() ? MemberState.SYNCED : MemberState.SYNCING);
        }
        memberIds = ids;
        clusterMembers = List.of(views);
    }

    private void onMemberSynced(final Member member, final long rows, final long sequence)
    {
        LOG.info("node {} synced member {}: {} rows at sequence {}", id(nodeId), member, rows, sequence);
        publishMemberIds();
        if (!member.announced)
        {
            member.announced = true;
            try
            {
                listener.onMemberJoined(member.nodeId);
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }
        updateMemberState();
    }

    /**
     * This node's copy of a member's rows can no longer be trusted. With repair on and budget left, it takes the
     * copy again from the owner (snapshot and replay, as when it first synced); otherwise it accuses the member
     * and the {@link FaultDetector}'s rule decides who is evicted.
     */
    void onDesync(final Member member, final int reason, final long expected, final long observed)
    {
        onDesync(member, reason, expected, observed, true);
    }

    /**
     * @param repairable false for a fault in the member's directed stream: what it lost were notifications, which
     *                   no snapshot brings back, so it is never repaired, always decided by the fault rule.
     */
    void onDesync(
        final Member member, final int reason, final long expected, final long observed, final boolean repairable)
    {
        member.desyncs++;
        if (repairable && context.syncRepair() && withinRepairBudget(member))
        {
            LOG.warn("node {}: copy of {} desynchronised: {} (expected {}, observed {}); repairing it from the owner",
                id(nodeId), member, ReasonCode.name(reason), expected, observed);
            memberSync.restart(member, nowNs);
            publishMemberIds();
            return;
        }
        faultDetector.onLocalFault(member, reason, expected, observed, nowNs);
    }

    private boolean withinRepairBudget(final Member member)
    {
        final long minuteNs = 60_000_000_000L;
        if (nowNs - member.repairWindowStartNs > minuteNs)
        {
            member.repairWindowStartNs = nowNs;
            member.repairsInWindow = 0;
        }
        return member.repairsInWindow++ < context.syncRepairBudget();
    }

    private void evictMember(final Member member, final int reason)
    {
        publisher.announceEviction(member.nodeId, member.incarnation, reason);
        onEvicted(member, reason);
    }

    /**
     * Removes a member evicted by this node's decision or by an announcement it received, and remembers the
     * eviction so that it can be told again to members that missed it ({@link #onEvictedStillListed(long)}).
     */
    void onEvicted(final Member member, final int reason)
    {
        evictions.put(member.nodeId, new Eviction(member.incarnation, reason, nowNs));
        removeMember(member, reason, false);
    }

    /**
     * A synced member's heartbeat still lists a node this node evicted. An eviction is announced once, on the
     * broadcast stream, and only nodes already subscribed to the announcer hear it: a node that subscribed later
     * (it was paused, partitioned or joining when the announcement left) keeps the evicted incarnation for good,
     * and so does the evicted node itself, which then never learns it must stop; the views never converge again,
     * since this node refuses that incarnation forever. The eviction was decided by the fault rule (or announced
     * by the node that decided it) and is final, so telling it again is only its reliable delivery: every
     * receiver that still holds that incarnation drops it, the evicted node stops and comes back as a new
     * incarnation. Said again at most once per heartbeat timeout, and never within one of the eviction, so that
     * a heartbeat that crossed the first announcement does not repeat it; a receiver that holds a newer
     * incarnation of that id ignores it.
     */
    void onEvictedStillListed(final long listedNodeId)
    {
        final Eviction eviction = evictions.get(listedNodeId);
        if (null == eviction || null != membersById.get(listedNodeId) ||
            nowNs - eviction.announcedNs < context.heartbeatTimeoutNs())
        {
            return;
        }
        publisher.announceEviction(listedNodeId, eviction.incarnation, eviction.reason);
        eviction.announcedNs = nowNs;
        LOG.warn("node {}: {}/{} is still listed by members after its eviction ({}): announcing it again",
            id(nodeId), id(listedNodeId), eviction.incarnation, ReasonCode.name(eviction.reason));
    }

    private void evictSelf(final int reason, final String why)
    {
        if (nodeState.isTerminal())
        {
            return;
        }
        publisher.announceEviction(nodeId, incarnation, reason);
        failure = "evicted: " + why;
        LOG.error("node {} evicts itself ({}): {}", id(nodeId), ReasonCode.name(reason), why);
        changeState(NodeState.EVICTED);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sync channel input (the messages themselves go to the SyncChannel)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A peer's subscription to this node's stream went live or away.
     */
    void onSubscriberChange(final long subscriberNodeId, final boolean subscribed)
    {
        // Remembered for nodes not yet members too: the subscription is reported once, and may come first.
        if (subscribed)
        {
            liveSubscribers.add(subscriberNodeId);
        }
        else
        {
            liveSubscribers.remove(subscriberNodeId);
        }
        final Member member = membersById.get(subscriberNodeId);
        if (subscribed && null != member)
        {
            openDirectedStream(member);
        }
    }

    private void openDirectedStream(final Member member)
    {
        if (!member.directedStreamOpen)
        {
            transport.outbound().addDestination(member.nodeId);
            member.directedStreamOpen = true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // API, called on the node's thread
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Records a change of this node's count of a room, to be published at the end of the duty cycle.
     */
    void onLocalCountChanged(final long roomId, final long previousCount, final long newCount)
    {
        publisher.countChanged(roomId);
    }

    StateResult subscribe(final long connectionId, final long roomId)
    {
        return state.subscribe(connectionId, roomId);
    }

    StateResult unsubscribe(final long connectionId, final long roomId)
    {
        return state.unsubscribe(connectionId, roomId);
    }

    StateResult disconnect(final long connectionId)
    {
        return state.disconnect(connectionId);
    }

    StateResult createRoom(final long roomId, final DirectBuffer metadata, final int offset, final int length)
    {
        final StateResult result = state.createRoom(roomId, metadata, offset, length);
        if (StateResult.ROOM_CREATED == result)
        {
            publisher.roomCreated(roomId);
            applier.roomCreated(roomId, roomScratch);
        }
        return result;
    }

    StateResult removeRoom(final long roomId)
    {
        final StateResult result = state.removeRoom(roomId);
        if (StateResult.ROOM_REMOVED == result)
        {
            publisher.roomRemoved(roomId);
            applier.roomRemoved(roomId);
        }
        return result;
    }

    /**
     * Routes a notification to exactly the nodes whose count for the room is above zero and delivers it to local
     * subscribers; or, if one of those nodes has no notification credit, does neither.
     *
     * @return number of other nodes it was routed to, or {@link SyncPublisher#REFUSED} (nothing delivered).
     */
    int publish(final long roomId, final DirectBuffer payload, final int offset, final int length)
    {
        final int routed = publisher.route(roomId, payload, offset, length);
        if (SyncPublisher.REFUSED != routed && state.localCount(roomId) > 0)
        {
            applier.deliver(roomId, payload, offset, length);
        }
        return routed;
    }

    boolean broadcastEvent(
        final DirectBuffer name, final int nameOffset, final int nameLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final int at = publisher.broadcastEvent(name, nameOffset, nameLength, payload, payloadOffset, payloadLength);
        if (OutboundBatcher.NO_SPACE == at)
        {
            return false;
        }
        applier.clusterEvent(transport.outbound().broadcastBuffer(), at,
            ClusterEventEncoder.computeLength(nameLength, payloadLength));
        return true;
    }

    static String id(final long nodeId)
    {
        return String.format("%016x", nodeId);
    }
}
