package io.cohort.engine;

import io.cohort.codec.ClusterEventEncoder;
import io.cohort.codec.ReasonCode;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import io.cohort.transport.CommandHandler;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.PendingRequests;
import io.cohort.transport.SyncHandler;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * lost unseen. What this node publishes goes through {@link SyncPublisher}; who its members are, and which
 * incarnations never come back, is {@link MemberRoster}'s; what a copy found wrong costs, {@link DesyncResponse}'s;
 * which state the node is in, and why it ended, {@link NodeLifecycle}'s.
 */
final class ClusterCore
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCore.class);
    /** Count entries visited per duty cycle to clean up after removed members: whole map segments, ~0.1 ms. */
    private static final int SWEEP_BUDGET = 1024;

    private final CohortContext context;
    private final Transport transport;
    private final SubscriptionState state;
    private final long nodeId;
    private final long incarnation;
    private final CommandMessages commands;
    private final PendingRequests pending;
    private final SyncPublisher publisher;
    private final FlowControl flowControl;
    private final FlowReporter flowReporter;
    private final ReplicaApplier applier;
    private final CoveredCreations coveredCreations;
    private final RoomHistory roomHistory;
    private final RemovedMemberRooms removedMemberRooms;
    private final MemberSync memberSync;
    private final RoomTableForgetting roomTableForgetting;
    private final SnapshotServer snapshotServer;
    private final SliceBudget sliceBudget;
    private final JoinDriver joinDriver;
    private final SeedProber seedProber;
    private final CommandChannel commandChannel;
    private final SyncChannel syncChannel;
    private final ViewMessages viewMessages;
    private final Membership membership;
    private final Heartbeats heartbeats;
    private final DesyncResponse desyncResponse;
    private final MemberRoster roster;
    /** The roster's list of members, which the timers below walk. */
    private final List<Member> members;
    private final ExpandableArrayBuffer roomScratch = new ExpandableArrayBuffer(256);

    private final NodeLifecycle lifecycle;

    /** Requests unanswered within cohort.command.timeout: a peer, or the way to it, is slow or gone. */
    private long requestTimeouts;
    private final PendingRequests.TimeoutHandler requestTimedOut = (correlationId, peerNodeId) -> requestTimeouts++;
    private long nowNs;
    private final StallDetector stallDetector = new StallDetector();
    /** This node's own lateness (Lifeguard's local health): scales how long it waits for a quorum before giving up. */
    private final LocalHealth localHealth;
    private final ServingFence servingFence;
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
        this.nodeId = context.nodeId();
        this.incarnation = context.incarnation();
        this.nowNs = nowNs;
        this.lifecycle = new NodeLifecycle(nodeId, listener, errorHandler);
        this.pending = new PendingRequests(nowNs);
        this.roster = new MemberRoster(nodeId, transport, state, listener, errorHandler, this::onMemberDropped);
        this.members = roster.members();
        final byte[] publicKey = null == context.transportContext().curveKeys() ?
            new byte[0] : context.transportContext().curveKeys().publicKey();
        this.commands = new CommandMessages(context, transport.syncEndpoint(), transport.commandEndpoint(), publicKey);
        this.publisher = new SyncPublisher(context, transport.outbound(), state, errorHandler, publicKey);
        this.flowControl = new FlowControl(context, transport.outbound(), roster.liveSubscribers());
        this.flowReporter = new FlowReporter(context, transport, commands);
        publisher.flowWindow(flowControl.window());
        // The backend's own listener opts in, not the wrapper the node may put around it (its counters).
        final ReplicaObserver replicaObserver =
            context.listener() instanceof ReplicaObserver ? (ReplicaObserver)context.listener() : null;
        this.coveredCreations = new CoveredCreations(nodeId, roster::member);
        this.roomHistory = new RoomHistory(nodeId, incarnation, state::roomExists, this::nowNs);
        publisher.coveredStreams(members);
        publisher.roomHistory(roomHistory);
        this.applier = new ReplicaApplier(
            state, listener, replicaObserver, errorHandler, publisher, coveredCreations, roomHistory);
        this.sliceBudget = new SliceBudget(context.sliceBudgetNs());
        this.localHealth = new LocalHealth(context.heartbeatTimeoutNs());
        this.memberSync = new MemberSync(context, transport, state, commands, pending, applier, sliceBudget,
            members, roster::member, roomHistory, this::onMemberSynced);
        this.removedMemberRooms = new RemovedMemberRooms(nodeId, context.heartbeatTimeoutNs(), roomHistory, publisher,
            memberSync::roomsMadeByTableOf);
        this.roomTableForgetting = new RoomTableForgetting(
            state, memberSync.roomSource(), roomHistory, applier::roomRemoved);
        this.joinDriver = new JoinDriver(context, transport, commands, pending, this);
        this.snapshotServer = new SnapshotServer(context, transport, state, publisher, commands, sliceBudget,
            new RoomTableStreams(nodeId, incarnation, roster, publisher, coveredCreations), roomHistory);
        this.commandChannel = new CommandChannel(this, context, transport, snapshotServer, commands, pending,
            publisher, memberSync, joinDriver);
        this.viewMessages = new ViewMessages(context, commands);
        this.membership = new Membership(context, this, transport, viewMessages, new ViewMember(
            nodeId, incarnation, transport.syncEndpoint(), transport.commandEndpoint(), publicKey));
        this.syncChannel = new SyncChannel(this, context, state, memberSync, applier, membership, joinDriver);
        this.seedProber = new SeedProber(context, transport, viewMessages, this);
        this.heartbeats = new Heartbeats(context, transport, publisher, commands, membership, members);
        this.desyncResponse = new DesyncResponse(context, memberSync, roster, membership);
        this.servingFence = new ServingFence(context, this, membership, localHealth);
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
        heartbeats.start(nowNs);
        seeds.refresh(nowNs);
        servingFence.seeds(seeds);
        seedProber.seeds(seeds);
        if (seeds.endpoints().isEmpty() && !seeds.anyUnresolved())
        {
            LOG.info("node {} starts a new cluster {}: {}", id(nodeId), context.clusterName(),
                seeds.configured() ? "every seed is this node" : "no seed configured");
            becomeMember();
            return;
        }
        lifecycle.changeState(NodeState.JOINING);
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
        final NodeState current = lifecycle.state();
        if (current.isTerminal() || NodeState.STARTING == current)
        {
            // An evicted node still runs until it is closed: its own eviction (and what was queued before it)
            // goes out meanwhile.
            return NodeState.EVICTED == current ? workCount + publisher.publishControl() : workCount;
        }
        detectStall(nowNs);

        if (NodeState.JOINING == current)
        {
            workCount += joinDriver.progress(nowNs, members);
            if (lifecycle.state().isTerminal())
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
        workCount += roomTableForgetting.doWork();
        workCount += heartbeats.tick(nowNs);
        workCount += membership.tick(nowNs);
        if (lifecycle.state().isTerminal())
        {
            return workCount + publisher.publishControl();
        }
        servingFence.update(nowNs);
        if (lifecycle.state().isMember())
        {
            // Seed channels are one set: the join driver's while the member is alone, the prober's otherwise.
            if (members.isEmpty())
            {
                seedProber.stop();
                workCount += joinDriver.probeSeedsWhileAlone(nowNs);
            }
            else
            {
                joinDriver.stopProbingSeeds();
                workCount += seedProber.tick(nowNs);
            }
        }
        // What the timers above decided (an accusation, an eviction) leaves in this cycle's flush.
        return workCount + publisher.publishControl();
    }

    /**
     * When the next duty cycle is due if nothing arrives (no message, no API call): the node thread's idle strategy
     * sleeps until then, within its own bound. Exact for what must not run late: the fence at the lease's expiry (a
     * node stops serving then, not at a later wake-up), the next heartbeat (its echoes keep every member's lease),
     * and a replica's eager flow report (an owner's window waits for it). The other timers (suspicion windows,
     * retries, periodic reports, request time-outs) tolerate that bound of lateness. A node that is not a member
     * (starting, joining, leaving, stopped) or owes a control message moves by time alone: due at once.
     *
     * @param nowNs the current time.
     * @return the time the next cycle is due, {@code nowNs} if at once.
     */
    long nextDeadlineNs(final long nowNs)
    {
        final NodeState current = lifecycle.state();
        if (!current.isMember() || publisher.controlPending() > 0)
        {
            return nowNs;
        }
        final long deadlineNs = Math.min(heartbeats.nextDueNs(nowNs), flowReporter.nextDueNs(members, nowNs));
        if (!servingFence.isServing() || !current.servesCalls())
        {
            return deadlineNs;
        }
        final long leaseEndNs = membership.leaseExpiryNs(nowNs);
        // An expiry already past while still serving: this cycle's fence ran just before it; the next one flips.
        return leaseEndNs > nowNs ? Math.min(deadlineNs, leaseEndNs) : nowNs;
    }

    /**
     * Starts a duty cycle, before its input is handled: what arrived during a stall (a GC pause) is then handled
     * at the time it is read and knowing that the node stalled, never at the time of the cycle before the stall as
     * if no time had passed. Invariant: no input read after a stall is decided on a clock that predates it, and a
     * node whose lease ran out meanwhile stops serving before it handles anything.
     */
    void beginCycle(final long nowNs)
    {
        this.nowNs = nowNs;
        beginSlices(nowNs);
        final NodeState current = lifecycle.state();
        if (!current.isTerminal() && NodeState.STARTING != current)
        {
            detectStall(nowNs);
            // The fence: a node whose lease ran out (a long pause, a partition) stops serving before it handles any
            // input or API call of this cycle.
            servingFence.update(nowNs);
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

    SeedProber seedProber()
    {
        return seedProber;
    }

    FlowControl flowControl()
    {
        return flowControl;
    }

    /**
     * @return this node's {@link LocalHealth} score now: above 0 while its own cycles have run late lately, when
     * what it measures of others is not to be trusted.
     */
    int localHealthScore(final long nowNs)
    {
        return localHealth.score(nowNs);
    }

    FlowReporter flowReporter()
    {
        return flowReporter;
    }

    SnapshotServer snapshotServer()
    {
        return snapshotServer;
    }

    /**
     * Tells the stalls in which the node's thread itself ran from those it spent off the CPU, with this clock of
     * the thread's CPU time; production installs one, a simulation none.
     *
     * @param clock read on the node's thread.
     */
    void threadCpuClock(final NanoClock clock)
    {
        stallDetector.cpuClock(clock);
    }

    /**
     * @return this node's stall detector: gaps between its duty cycles, and which of them its thread spent running.
     */
    StallDetector stallDetector()
    {
        return stallDetector;
    }

    /**
     * @return the creations of rooms that members' removals undid before this node applied them.
     */
    CoveredCreations coveredCreations()
    {
        return coveredCreations;
    }

    /**
     * @return the recent creations and removals applied here of each room.
     */
    RoomHistory roomHistory()
    {
        return roomHistory;
    }

    /**
     * @return what applies members' state-changing messages here.
     */
    ReplicaApplier applier()
    {
        return applier;
    }

    /**
     * @return what this node publishes: its rows, control messages, rooms and notifications (and their counts).
     */
    SyncPublisher publisher()
    {
        return publisher;
    }

    MemberSync memberSync()
    {
        return memberSync;
    }

    private void detectStall(final long nowNs)
    {
        final long stalledNs = stallDetector.onCycle(nowNs);
        localHealth.onCycle(stalledNs, nowNs);
        if (stalledNs > context.heartbeatTimeoutNs() / 2)
        {
            // Timers that ran while this node slept say nothing of the others: its own row must not accuse them of
            // its own pause (the others judge this node's silence, and remove it if it lasted).
            LOG.warn("node {} resumed after a {} ms stall: restarting silence timers", id(nodeId),
                stalledNs / 1_000_000);
            heartbeats.onResumedFromPause(nowNs);
        }
    }

    /**
     * Announces a graceful leave; the caller flushes the transport and closes.
     */
    void leave()
    {
        final NodeState current = lifecycle.state();
        if (current.isTerminal() || NodeState.LEAVING == current)
        {
            return;
        }
        publisher.publishPending();
        final boolean announced = membership.isMember() && membership.view().size() > 1;
        if (announced)
        {
            // Announced in the stream (after this node's last rows); the node stays an acceptor until a view without
            // it is installed, so that a cluster of two can still agree to let it go.
            publisher.announceLeaving();
            publisher.publishControl();
        }
        lifecycle.leaving(!announced);
    }

    /**
     * @return whether a leaving node's leave is complete: a view without it was installed (or it was alone).
     */
    boolean hasLeft()
    {
        return lifecycle.hasLeft();
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
        lifecycle.closed();
    }

    NodeState state()
    {
        return lifecycle.state();
    }

    long[] memberIds()
    {
        return roster.memberIds();
    }

    List<ClusterMember> clusterMembers()
    {
        return roster.clusterMembers();
    }

    String failure()
    {
        return lifecycle.failure();
    }

    /**
     * @return requests of this node that went unanswered in time: rounds of join requests no seed answered,
     * snapshot requests past {@code cohort.command.timeout}, other requests past it.
     */
    long requestTimeouts()
    {
        return requestTimeouts + joinDriver.unansweredRounds() + memberSync.snapshotTimeouts();
    }

    Member member(final long memberId)
    {
        return roster.member(memberId);
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

    boolean acceptsApiCalls()
    {
        return lifecycle.state().servesCalls();
    }

    /**
     * @return which state this node is in, and why it ended.
     */
    NodeLifecycle lifecycle()
    {
        return lifecycle;
    }

    /**
     * Starts serving: a founder installs the first view of a new cluster; a joiner is already in a view, with every
     * member synced.
     */
    void becomeMember()
    {
        transport.disconnectSeeds();
        if (!membership.isMember())
        {
            membership.found(nowNs);
        }
        // Every member's stream is applied here (a founder has none): from now on this node lacks, of any member it
        // syncs, at most the rooms that member's own operations changed.
        memberSync.roomTableComplete();
        removedMemberRooms.onBecameMember(roster::member);
        servingFence.begin(nowNs);
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
        final Member known = roster.member(memberId);
        final Member member = roster.add(memberId, memberIncarnation, syncEndpoint, commandEndpoint, nowNs);
        if (null != member && member != known)
        {
            memberSync.start(member, nowNs);
        }
        return member;
    }

    void removeMember(final Member member, final int reason, final boolean graceful)
    {
        final NodeState current = lifecycle.state();
        if (current.isMember())
        {
            removedMemberRooms.onMemberRemoved(member, nowNs);
        }
        else if (NodeState.JOINING == current)
        {
            // A joiner publishes no room changes until it is a member; what it holds of the member is announced then.
            removedMemberRooms.onMemberRemovedWhileJoining(member, nowNs);
        }
        roster.remove(member, reason, graceful);
    }

    /**
     * @return the announcing again of removed members' last room changes.
     */
    RemovedMemberRooms removedMemberRooms()
    {
        return removedMemberRooms;
    }

    /**
     * @return the emptying of the room table of a cluster instance this node was never let into.
     */
    RoomTableForgetting roomTableForgetting()
    {
        return roomTableForgetting;
    }

    /**
     * A joiner stops syncing a member of the view it observed, without holding anything against that incarnation
     * (the view went silent; the joiner looks for the cluster again and may meet the same members).
     */
    void forgetMember(final Member member)
    {
        roster.forget(member);
    }

    private void onMemberDropped()
    {
        servingFence.update(nowNs);
    }

    private void onMemberSynced(final Member member, final long rows, final long sequence)
    {
        LOG.info("node {} synced member {}: {} rows at sequence {}", id(nodeId), member, rows, sequence);
        roster.onSynced(member);
        servingFence.update(nowNs);
    }

    /**
     * This node's copy of a member's rows can no longer be trusted, or (not {@code repairable}) its directed stream
     * lost notifications: {@link DesyncResponse}.
     */
    void onDesync(
        final Member member, final int reason, final long expected, final long observed, final boolean repairable)
    {
        desyncResponse.onDesync(member, reason, expected, observed, repairable, servingFence.isServing(), nowNs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A view was installed (agreed by a quorum of the previous one): members it removed are dropped with their rows,
     * members it added are subscribed to and synced.
     */
    void onViewInstalled(final View previous, final View next)
    {
        reconcileMembers(next);
        heartbeats.onViewInstalled(nowNs);
        servingFence.update(nowNs);
    }

    /**
     * A joiner was told of a view (or a later one of the view it observes): it syncs exactly its members.
     */
    void onObservedView(final View previous, final View next)
    {
        LOG.info("node {} observes view {}", id(nodeId), next);
        reconcileMembers(next);
    }

    private void reconcileMembers(final View next)
    {
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member member = members.get(i);
            if (!next.contains(member.nodeId, member.incarnation))
            {
                final int reason = next.reasonRemoved(member.nodeId);
                removeMember(member, reason, ReasonCode.LEFT == reason);
            }
        }
        for (int rank = 0; rank < next.size(); rank++)
        {
            final ViewMember listed = next.member(rank);
            final Member known = roster.member(listed.nodeId());
            if (listed.nodeId() != nodeId && (null == known || known.incarnation != listed.incarnation()))
            {
                addMember(listed.nodeId(), listed.incarnation(), listed.syncEndpoint(), listed.commandEndpoint());
            }
        }
        roster.publish();
    }

    /**
     * @return the fewest members this node's view must hold to be RUNNING ({@link ServingFence#smallestServingView}).
     */
    int smallestServingView()
    {
        return servingFence.smallestServingView();
    }

    Membership membership()
    {
        return membership;
    }

    CommandMessages commands()
    {
        return commands;
    }

    /**
     * @return whether this incarnation of a node was removed (left or evicted) from this node's view.
     */
    boolean wasRemoved(final long memberId, final long memberIncarnation)
    {
        return roster.wasRemoved(memberId, memberIncarnation);
    }

    /**
     * @return whether any member was heard within the heartbeat timeout.
     */
    boolean anyMemberHeard()
    {
        return roster.anyHeardWithin(context.heartbeatTimeoutNs(), nowNs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sync channel input (the messages themselves go to the SyncChannel)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A peer's subscription to this node's stream went live or away.
     */
    void onSubscriberChange(final long subscriberNodeId, final long subscriberIncarnation, final boolean subscribed)
    {
        roster.onSubscriberChange(subscriberNodeId, subscriberIncarnation, subscribed);
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
            roomHistory.onOwnCreation(roomId);
            publisher.roomCreated(roomId);
            applier.roomCreated(roomId, roomScratch);
        }
        return result;
    }

    /**
     * Removes a room everywhere, unless a node (this one or another, as far as this node knows) has subscribers in
     * it: {@link StateResult#ROOM_IN_USE}. A member whose subscribers this node had not seen yet refuses the removal
     * and announces the room again ({@link ReplicaApplier}), so a room in use comes back wherever it was removed.
     */
    StateResult removeRoom(final long roomId)
    {
        final StateResult result = state.removeRoom(roomId);
        if (StateResult.ROOM_REMOVED == result)
        {
            roomHistory.onOwnRemoval(roomId);
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
