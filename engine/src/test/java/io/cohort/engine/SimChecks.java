package io.cohort.engine;

import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationDecoder;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.state.SubscriptionState;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import static io.cohort.engine.SimNode.ms;
import static io.cohort.engine.SimulationRun.HEARTBEAT_INTERVAL_NS;
import static io.cohort.engine.SimulationRun.HEARTBEAT_TIMEOUT_NS;
import static io.cohort.engine.SimulationRun.SUSPICION_TIMEOUT_NS;

/**
 * The invariants of a simulated run, checked as it goes and at its end:
 * <ul>
 * <li><b>convergence</b>: once the faults stop and the workload is quiet, every member's copy of every live
 * owner's rows equals the owner's own rows (digests, row counts, and every room's count compared one by one), no
 * copy of a gone owner is left, and every cluster-wide count is the sum of the owners' local counts;</li>
 * <li><b>desync bound</b>: no member node keeps, for longer than {@link #desyncBoundNs()} of its own running
 * time, a copy of a member it has seen a fault in (its {@code desyncs} went up) without the member being removed,
 * the copy taken again, or itself stopping;</li>
 * <li><b>single faulty node</b>: in a {@link SimFaultMix.Scenario#SINGLE_FAULTY} run no other healthy node is
 * ever evicted, by itself or by others. A node that a fault robbed of a notification addressed to it (a lost,
 * garbled or reordered directed frame) is not healthy, whoever broke the frame: its subscribers missed a message,
 * and as the design's fault table says, the node whose view is wrong is the one evicted. And the rule needs
 * judges: the check holds when at least two other healthy nodes had been RUNNING for a suspicion window (with
 * fewer, a cluster of two, a broken copy is by rule the copy's fault);</li>
 * <li><b>partitions</b>: from {@link #partitionBoundNs()} after a partition starts until it heals, the RUNNING
 * nodes all sit on one side; with {@code keep-majority} and a settled cluster, on the side that should win;</li>
 * <li><b>notifications</b>: the publisher's view is recorded at publish time; a notification reaches, exactly
 * once, every node that was RUNNING with a non-zero count in that view and that still has the publisher as the
 * same member at the end (otherwise a fault was seen and acted on), and never reaches a node whose count the
 * publisher saw as zero, nor any node twice;</li>
 * <li>counts never negative; no error reported by or exception escaping any node; no message of a frame whose
 * bytes the network changed ever reaches the core (checksums).</li>
 * </ul>
 */
final class SimChecks implements SimNode.Observer
{
    static final long CHECK_INTERVAL_NS = ms(5);
    static final long NEGATIVE_CHECK_INTERVAL_NS = ms(50);

    /**
     * Counters and the replication window, for the batch's report.
     */
    static final class Stats
    {
        long published;
        long expectedDeliveries;
        long exemptDeliveries;
        long arrivals;
        long delivered;
        long replications;
        long replicationNsTotal;
        long replicationNsMax;
        final long[] replicationBuckets = new long[REPLICATION_BUCKETS_MS.length + 1];
        long desyncsSeen;
        long evictions;
        long restarts;
        long partitions;

        static final long[] REPLICATION_BUCKETS_MS = { 1, 2, 3, 5, 10, 20, 50 };

        void replication(final long ns)
        {
            replications++;
            replicationNsTotal += ns;
            replicationNsMax = Math.max(replicationNsMax, ns);
            int bucket = 0;
            while (bucket < REPLICATION_BUCKETS_MS.length && ns >= ms(REPLICATION_BUCKETS_MS[bucket]))
            {
                bucket++;
            }
            replicationBuckets[bucket]++;
        }

        void add(final Stats other)
        {
            published += other.published;
            expectedDeliveries += other.expectedDeliveries;
            exemptDeliveries += other.exemptDeliveries;
            arrivals += other.arrivals;
            delivered += other.delivered;
            replications += other.replications;
            replicationNsTotal += other.replicationNsTotal;
            replicationNsMax = Math.max(replicationNsMax, other.replicationNsMax);
            for (int i = 0; i < replicationBuckets.length; i++)
            {
                replicationBuckets[i] += other.replicationBuckets[i];
            }
            desyncsSeen += other.desyncsSeen;
            evictions += other.evictions;
            restarts += other.restarts;
            partitions += other.partitions;
        }

        String describe()
        {
            final StringBuilder out = new StringBuilder(String.format(
                "notifications published=%d expected deliveries=%d (exempt after a fault: %d) arrivals=%d " +
                "delivered to listeners=%d%nreplication window (local change to applied at a peer): n=%d " +
                "mean=%.2fms max=%.2fms, distribution:", published, expectedDeliveries, exemptDeliveries, arrivals,
                delivered, replications, replications == 0 ? 0 : replicationNsTotal / 1e6 / replications,
                replicationNsMax / 1e6));
            for (int i = 0; i < replicationBuckets.length; i++)
            {
                out.append(i < REPLICATION_BUCKETS_MS.length ? " <" + REPLICATION_BUCKETS_MS[i] + "ms:" : " more:")
                    .append(replicationBuckets[i]);
            }
            return out.append(String.format("%ndesyncs seen=%d evictions=%d restarts=%d partitions=%d",
                desyncsSeen, evictions, restarts, partitions)).toString();
        }
    }

    private static final class Expectation
    {
        final SimNode node;
        final long seenCount;
        final boolean runningAtPublish;
        final Member publisherAsMember;
        final boolean streamOpen;
        int arrivals;

        Expectation(final SimNode node, final long seenCount, final boolean runningAtPublish,
            final Member publisherAsMember, final boolean streamOpen)
        {
            this.node = node;
            this.seenCount = seenCount;
            this.runningAtPublish = runningAtPublish;
            this.publisherAsMember = publisherAsMember;
            this.streamOpen = streamOpen;
        }
    }

    private static final class Publication
    {
        final long id;
        final SimNode publisher;
        final int room;
        final long atNs;
        final List<Expectation> expectations = new ArrayList<>();

        Publication(final long id, final SimNode publisher, final int room, final long atNs)
        {
            this.id = id;
            this.publisher = publisher;
            this.room = room;
            this.atNs = atNs;
        }
    }

    private static final class DesyncRecord
    {
        final SimNode node;
        final Member member;
        long snapshotCorrelationId;
        boolean open;
        long openSinceNs;
        long activeNs;

        DesyncRecord(final SimNode node, final Member member)
        {
            this.node = node;
            this.member = member;
        }
    }

    private static final class Partition
    {
        final boolean[] inside;
        final int slots;
        final boolean bothWays;
        final long startNs;
        final int expectedSide;

        Partition(final boolean[] inside, final int slots, final boolean bothWays, final long startNs,
            final int expectedSide)
        {
            this.inside = inside;
            this.slots = slots;
            this.bothWays = bothWays;
            this.startNs = startNs;
            this.expectedSide = expectedSide;
        }
    }

    final Stats stats = new Stats();
    private final SimulationRun run;
    private final SimNetwork network;
    private final List<Publication> publications = new ArrayList<>();
    private final Long2ObjectHashMap<Publication> publicationsById = new Long2ObjectHashMap<>();
    private final Long2LongHashMap lastLocalChangeNs = new Long2LongHashMap(-1);
    private final IdentityHashMap<Member, DesyncRecord> desyncs = new IdentityHashMap<>();
    private final List<DesyncRecord> openDesyncs = new ArrayList<>();
    private final IdentityHashMap<SimNode, Long> resumedAtNs = new IdentityHashMap<>();
    private long lastCrashNs = Long.MIN_VALUE / 2;
    private final IdentityHashMap<SimNode, Long> runningSinceNs = new IdentityHashMap<>();
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private Partition partition;
    private int faultySlot = -1;
    private final boolean[] lostNotifications = new boolean[SimulationRun.MAX_SLOTS];
    private String failure;
    private long nextNegativeCheckNs;

    SimChecks(final SimulationRun run)
    {
        this.run = run;
        this.network = run.network;
    }

    static long desyncBoundNs()
    {
        return SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS + CHECK_INTERVAL_NS;
    }

    /**
     * Silence is seen after the heartbeat timeout, decided a suspicion window later; a few heartbeats of slack.
     */
    static long partitionBoundNs()
    {
        return HEARTBEAT_TIMEOUT_NS + SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS + CHECK_INTERVAL_NS;
    }

    void fail(final String message)
    {
        if (null == failure)
        {
            failure = String.format("at %.3f ms: %s", network.nowNs() / 1e6, message);
            run.trace("VIOLATION: " + message);
        }
    }

    void throwIfFailed()
    {
        if (null != failure)
        {
            throw new SimulationRun.Violation(failure);
        }
    }

    void singleFaulty(final int slot)
    {
        faultySlot = slot;
        run.trace("the single faulty node is slot n" + (slot + 1) + ": " + run.mix.faulty);
    }

    // -------------------------------------------------------------------------------------------- listener

    CohortListener listener(final SimNode[] holder)
    {
        return new CohortListener()
        {
            public void onStateChanged(final NodeState previous, final NodeState current)
            {
                final SimNode node = holder[0];
                if (NodeState.RUNNING == current)
                {
                    runningSinceNs.put(node, network.nowNs());
                }
                run.trace(node + " " + previous + " -> " + current +
                    (current.isTerminal() && null != node.core().failure() ? ": " + node.core().failure() : ""));
                if (current.isTerminal())
                {
                    onStopped(node, current);
                }
            }

            public void onMemberEvicted(final long nodeId, final EvictionReason reason)
            {
                final SimNode node = holder[0];
                stats.evictions++;
                run.trace(node + " drops member " + name(nodeId) + " (" + SimulationRun.reason(reason.code()) + ")");
                final SimNode current = network.node(nodeId);
                final boolean replaced = null != current && (NodeState.JOINING == current.core().state() ||
                    NodeState.STARTING == current.core().state());
                // addMember reports the older incarnation it replaces as evicted: not an eviction of a healthy node.
                if (faultySlot >= 0 && isHealthy(SimulationRun.slotIndexOf(nodeId)) && !replaced &&
                    othersCouldJudge(nodeId))
                {
                    fail("healthy node " + name(nodeId) + " evicted (" + SimulationRun.reason(reason.code()) + ", seen by " +
                        node + ") while only n" + (faultySlot + 1) + " was faulty (" + run.mix.faulty + ")");
                }
            }

            public void onMemberJoined(final long nodeId)
            {
                run.trace(holder[0] + " synced member " + name(nodeId));
            }

            public void onMemberLeft(final long nodeId)
            {
                run.trace(holder[0] + " member " + name(nodeId) + " left");
            }

            public void onNotification(final long roomId, final DirectBuffer buffer, final int offset, final int length)
            {
                stats.delivered++;
            }
        };
    }

    /**
     * A fault took a directed frame (notifications) from a node to another: the receiver's subscribers missed
     * messages, so its deliveries are no longer whole and it may be evicted for it, whoever broke the frame.
     */
    void onNotificationLost(final long fromNodeId, final long toNodeId)
    {
        final int slot = SimulationRun.slotIndexOf(toNodeId);
        if (slot >= 0 && slot < lostNotifications.length)
        {
            lostNotifications[slot] = true;
        }
        run.trace("  " + name(toNodeId) + " lost notifications from " + name(fromNodeId));
    }

    private boolean isHealthy(final int slot)
    {
        return slot != faultySlot && !(slot >= 0 && slot < lostNotifications.length && lostNotifications[slot]);
    }

    /**
     * Whether at least two other healthy nodes had been RUNNING for a whole suspicion window: fewer cannot outvote
     * what one node sees of the faulty one (with one, it is a cluster of two, where a broken copy is the copy's
     * fault by rule).
     */
    private boolean othersCouldJudge(final long excludedNodeId)
    {
        int judges = 0;
        for (final SimNode node : network.nodes())
        {
            final Long since = runningSinceNs.get(node);
            if (node.nodeId() != excludedNodeId && isHealthy(SimulationRun.slotIndexOf(node.nodeId())) &&
                NodeState.RUNNING == node.core().state() && null != since &&
                network.nowNs() - since >= SUSPICION_TIMEOUT_NS + 2 * HEARTBEAT_INTERVAL_NS)
            {
                judges++;
            }
        }
        return judges >= 2;
    }

    private void onStopped(final SimNode node, final NodeState state)
    {
        final SimulationRun.Slot slot = run.slotOf(node);
        if (faultySlot >= 0 && NodeState.EVICTED == state && null != slot && isHealthy(slot.index) &&
            othersCouldJudge(node.nodeId()))
        {
            fail("healthy node " + node + " evicted itself (" + node.core().failure() + ") while only n" +
                (faultySlot + 1) + " was faulty (" + run.mix.faulty + ")");
        }
        if (null != slot && slot.node == node)
        {
            stats.restarts++;
            final long delay = ms(10) + run.random.nextInt(150_000_000);
            run.trace("supervisor restarts " + node + " in " + delay / 1_000_000 + " ms");
            run.scheduleRestart(slot, node, delay);
        }
    }

    String name(final long nodeId)
    {
        final SimNode node = network.node(nodeId);
        return null == node ? Long.toHexString(nodeId) : node.label();
    }

    // -------------------------------------------------------------------------------------------- observer

    public void onSyncMessage(final SimNode receiver, final long publisherNodeId, final boolean directed,
        final int type, final DirectBuffer buffer, final int offset, final int length, final boolean corruptedFrame)
    {
        if (corruptedFrame)
        {
            fail(receiver + " was given message type " + type + " from " + name(publisherNodeId) +
                " out of a frame the network corrupted: the checksum let it through");
        }
        if (MessageType.NOTIFICATION == type)
        {
            onNotificationArrival(receiver, publisherNodeId, buffer, offset, length);
        }
        else if (MessageType.ROOM_COUNT == type)
        {
            final long roomId = roomCountDecoder.wrap(buffer, offset, length).roomId();
            final SimNode publisher = network.node(publisherNodeId);
            final int room = roomIndex(roomId);
            if (null != publisher && room >= 0)
            {
                final long changedAt = lastLocalChangeNs.get(publisher.instance() * 64 + room);
                if (changedAt >= 0)
                {
                    stats.replication(network.nowNs() - changedAt);
                }
            }
        }
    }

    public void onLocalCountChanged(final SimNode node, final long roomId, final long previous, final long current)
    {
        final int room = roomIndex(roomId);
        if (room >= 0)
        {
            lastLocalChangeNs.put(node.instance() * 64 + room, network.nowNs());
        }
        if (current < 0)
        {
            fail(node + " local count of room r" + room + " went to " + current);
        }
    }

    private int roomIndex(final long roomId)
    {
        final long[] roomIds = run.roomIds;
        for (int i = 0; i < roomIds.length; i++)
        {
            if (roomIds[i] == roomId)
            {
                return i;
            }
        }
        return -1;
    }

    // -------------------------------------------------------------------------------------------- notifications

    /**
     * Records the publisher's view just before it publishes.
     */
    void onPublish(final SimNode publisher, final long id, final int room, final long roomId)
    {
        stats.published++;
        final Publication publication = new Publication(id, publisher, room, network.nowNs());
        final SubscriptionState state = publisher.state();
        final List<SimNode> nodes = network.nodes();
        final StringBuilder view = run.trace.on ? new StringBuilder() : null;
        for (int i = 0; i < nodes.size(); i++)
        {
            final SimNode node = nodes.get(i);
            if (node == publisher)
            {
                continue;
            }
            final long seen = state.ownerCount(node.nodeId(), roomId);
            final Member publisherAsMember = node.core().member(publisher.nodeId());
            final boolean running = NodeState.RUNNING == node.core().state();
            final Expectation expectation = new Expectation(node, seen, running,
                null != publisherAsMember && publisherAsMember.incarnation == publisher.incarnation() ?
                    publisherAsMember : null,
                publisher.hasDirectedStreamTo(node.nodeId()));
            publication.expectations.add(expectation);
            if (null != view && seen > 0)
            {
                view.append(' ').append(node).append('=').append(seen).append(running ? "" : "(" +
                    node.core().state() + ")").append(expectation.streamOpen ? "" : "(no stream)");
            }
        }
        publications.add(publication);
        publicationsById.put(id, publication);
        if (null != view)
        {
            run.trace(publisher + " publishes #" + id + " in r" + room + ", its view:" + view);
        }
    }

    private void onNotificationArrival(final SimNode receiver, final long publisherNodeId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        stats.arrivals++;
        final NotificationDecoder notification = notificationDecoder.wrap(buffer, offset, length);
        final long id = buffer.getLong(notification.payloadOffset());
        final Publication publication = publicationsById.get(id);
        if (null == publication)
        {
            fail(receiver + " got notification #" + id + " that was never published");
            return;
        }
        run.trace("  " + receiver + " receives notification #" + id + " from " + name(publisherNodeId));
        for (final Expectation expectation : publication.expectations)
        {
            if (expectation.node == receiver)
            {
                expectation.arrivals++;
                if (0 == expectation.seenCount)
                {
                    fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
                        ", whose count in r" + publication.room + " the publisher saw as 0");
                }
                else if (expectation.arrivals > 1)
                {
                    fail("notification #" + id + " from " + publication.publisher + " reached " + receiver + " " +
                        expectation.arrivals + " times");
                }
                return;
            }
        }
        fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
            ", a node that did not exist when it was published (its route was stale)");
    }

    private void checkNotifications()
    {
        for (final Publication publication : publications)
        {
            for (final Expectation expectation : publication.expectations)
            {
                if (0 == expectation.seenCount || !expectation.runningAtPublish)
                {
                    continue;
                }
                final SimNode node = expectation.node;
                final boolean stillSame = node.isRunningOnNetwork() && NodeState.RUNNING == node.core().state() &&
                    null != expectation.publisherAsMember &&
                    node.core().member(publication.publisher.nodeId()) == expectation.publisherAsMember;
                if (!stillSame)
                {
                    stats.exemptDeliveries++;
                    continue;
                }
                stats.expectedDeliveries++;
                if (1 != expectation.arrivals)
                {
                    fail("notification #" + publication.id + " published by " + publication.publisher + " at " +
                        String.format("%.3f ms", publication.atNs / 1e6) + " in r" + publication.room + " reached " +
                        node + " " + expectation.arrivals + " times, though the publisher saw its count as " +
                        expectation.seenCount + ", it was RUNNING then and still is, with the publisher as the same " +
                        "member (directed stream open at publish: " + expectation.streamOpen + ")");
                    return;
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------- partitions

    Object onPartition(final boolean[] inside, final int slots, final boolean bothWays)
    {
        stats.partitions++;
        int expected = -1;
        if (SplitStrategy.KEEP_MAJORITY == run.mix.splitStrategy && fullyFormed())
        {
            int insideCount = 0;
            int outsideCount = 0;
            for (final SimNode node : network.nodes())
            {
                if (isInside(inside, node))
                {
                    insideCount++;
                }
                else
                {
                    outsideCount++;
                }
            }
            // A tie has no majority side (the strategy breaks it by age, but a node let in meanwhile may tip it
            // either way, safely): only "at most one side" is checked then.
            expected = insideCount > outsideCount ? 1 : insideCount < outsideCount ? 0 : -1;
        }
        partition = new Partition(inside, slots, bothWays, network.nowNs(), expected);
        return partition;
    }

    boolean isCurrentPartition(final Object token)
    {
        return partition == token;
    }

    void onPartitionHealed()
    {
        partition = null;
    }

    void onResumed(final SimNode node)
    {
        resumedAtNs.put(node, network.nowNs());
    }

    /**
     * A node crashed: during a partition, the side it was on changes when its silence is noticed, so the sides
     * get the partition's bound again from the crash (a side left with one node that hears no one decides then).
     */
    void onCrashed()
    {
        lastCrashNs = network.nowNs();
    }

    private static boolean isInside(final boolean[] inside, final SimNode node)
    {
        final int slot = SimulationRun.slotIndexOf(node.nodeId());
        return slot >= 0 && slot < inside.length && inside[slot];
    }

    private void checkPartition()
    {
        final Partition current = partition;
        final long now = network.nowNs();
        if (null == current || now - current.startNs < partitionBoundNs() ||
            now - lastCrashNs < partitionBoundNs())
        {
            return;
        }
        SimNode runningInside = null;
        SimNode runningOutside = null;
        for (final SimNode node : network.nodes())
        {
            final Long resumed = resumedAtNs.get(node);
            if (NodeState.RUNNING != node.core().state() || node.isPaused() ||
                null != resumed && now - resumed < partitionBoundNs())
            {
                continue;
            }
            if (isInside(current.inside, node))
            {
                runningInside = node;
            }
            else
            {
                runningOutside = node;
            }
        }
        if (null != runningInside && null != runningOutside)
        {
            fail("both sides of a partition are RUNNING " + (now - current.startNs) / 1_000_000 + " ms after it " +
                "started (" + (current.bothWays ? "both ways" : "one way") + "): " + runningInside + " and " +
                runningOutside);
        }
        else if (current.expectedSide >= 0)
        {
            final SimNode wrong = 1 == current.expectedSide ? runningOutside : runningInside;
            if (null != wrong)
            {
                fail(wrong + " is RUNNING on the side of a partition that loses under keep-majority, " +
                    (now - current.startNs) / 1_000_000 + " ms after it started");
            }
        }
    }

    // -------------------------------------------------------------------------------------------- checkpoints

    void scheduleCheckpoints()
    {
        network.schedule(CHECK_INTERVAL_NS, () ->
        {
            checkpoint();
            scheduleCheckpoints();
        });
    }

    private void checkpoint()
    {
        checkDesyncs();
        checkPartition();
        checkErrors();
        if (network.nowNs() >= nextNegativeCheckNs)
        {
            nextNegativeCheckNs = network.nowNs() + NEGATIVE_CHECK_INTERVAL_NS;
            checkNotNegative();
        }
    }

    public void onDesync(final SimNode node, final Member member)
    {
        stats.desyncsSeen++;
        DesyncRecord record = desyncs.get(member);
        if (null == record)
        {
            record = new DesyncRecord(node, member);
            desyncs.put(member, record);
        }
        // Taken right after the fault was handled: a repair that starts now asks for a snapshot later.
        record.snapshotCorrelationId = member.snapshotCorrelationId;
        if (!record.open)
        {
            record.open = true;
            record.openSinceNs = network.nowNs();
            record.activeNs = 0;
            openDesyncs.add(record);
        }
    }

    private void checkDesyncs()
    {
        for (int i = openDesyncs.size() - 1; i >= 0; i--)
        {
            final DesyncRecord record = openDesyncs.get(i);
            final SimNode node = record.node;
            final Member member = record.member;
            final ClusterCore core = node.core();
            if (!node.isRunningOnNetwork() || core.state().isTerminal() || core.member(member.nodeId) != member ||
                member.snapshotCorrelationId != record.snapshotCorrelationId ||
                !member.isSynced() && 0 == node.state().ownerRows(member.nodeId))
            {
                // Stopped, removed the member, or dropped the copy to take it again from the owner.
                record.open = false;
                openDesyncs.remove(i);
                continue;
            }
            if (!core.state().isMember() || node.isPaused())
            {
                continue;
            }
            record.activeNs += CHECK_INTERVAL_NS;
            if (record.activeNs > desyncBoundNs())
            {
                fail(node + " (" + core.state() + ") still holds its copy of " + member + " " +
                    record.activeNs / 1_000_000 + " ms (of its running time) after seeing a fault in its " +
                    "stream at " + String.format("%.3f ms", record.openSinceNs / 1e6) + ", past the bound of " +
                    desyncBoundNs() / 1_000_000 + " ms");
                record.open = false;
                openDesyncs.remove(i);
            }
        }
    }

    private void checkErrors()
    {
        for (final SimNode node : run.everyNode)
        {
            if (!node.errors().isEmpty())
            {
                final Throwable error = node.errors().get(0);
                fail((node.escapedExceptions() > 0 ? "an exception escaped " : "an error was reported by ") + node +
                    ": " + error + SimulationRun.stackTop(error));
                return;
            }
        }
    }

    private void checkNotNegative()
    {
        for (final SimNode node : network.nodes())
        {
            final SubscriptionState state = node.state();
            for (int room = 0; room < run.roomIds.length; room++)
            {
                final long roomId = run.roomIds[room];
                if (state.localCount(roomId) < 0 || state.roomCount(roomId) < 0)
                {
                    fail(node + " has a negative count in r" + room);
                }
                for (final long memberId : node.core().memberIds())
                {
                    if (state.ownerCount(memberId, roomId) < 0)
                    {
                        fail(node + " has a negative count of " + name(memberId) + " in r" + room);
                    }
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------- convergence

    boolean fullyFormed()
    {
        return null == convergenceProblem();
    }

    /**
     * @return null if every node is a member knowing exactly the others, each synced and with equal digests, and
     * no restart is pending; else what is not so yet.
     */
    String convergenceProblem()
    {
        if (run.restartsPending > 0)
        {
            return run.restartsPending + " restart(s) pending";
        }
        final List<SimNode> nodes = network.nodes();
        if (nodes.isEmpty())
        {
            return "no node is up";
        }
        for (final SimNode node : nodes)
        {
            if (!node.core().state().isMember() || node.isPaused())
            {
                return node + " is " + node.core().state() + (node.isPaused() ? " (paused)" : "");
            }
        }
        for (final SimNode replica : nodes)
        {
            final ClusterCore core = replica.core();
            if (core.memberIds().length != nodes.size() - 1)
            {
                return replica + " knows " + core.memberIds().length + " members, not " + (nodes.size() - 1) + ": " +
                    describeMembers(replica);
            }
            for (final SimNode owner : nodes)
            {
                if (owner == replica)
                {
                    continue;
                }
                final Member member = core.member(owner.nodeId());
                if (null == member || member.incarnation != owner.incarnation())
                {
                    return replica + " does not know " + owner + " (incarnation " + owner.incarnation() + "): " +
                        describeMembers(replica);
                }
                if (!member.isSynced())
                {
                    return replica + " has not synced " + member;
                }
                final long truth = owner.state().ownerDigest(owner.nodeId());
                final long copy = replica.state().ownerDigest(owner.nodeId());
                if (truth != copy)
                {
                    return replica + "'s copy of " + owner + " has digest " + Long.toHexString(copy) + ", the owner " +
                        Long.toHexString(truth);
                }
            }
        }
        return null;
    }

    private String describeMembers(final SimNode node)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final long id : node.core().memberIds())
        {
            out.append(' ').append(node.core().member(id));
        }
        return out.append(" ]").toString();
    }

    /**
     * After convergence: every copy compared room by room with its owner, sums, stray owners, and the rest.
     */
    void finalCheck()
    {
        final List<SimNode> nodes = network.nodes();
        for (final SimNode replica : nodes)
        {
            final SubscriptionState copy = replica.state();
            final List<Long> owners = new ArrayList<>();
            copy.forEachOwner(owners::add);
            for (final long owner : owners)
            {
                if (null == network.node(owner))
                {
                    fail(replica + " still holds rows of " + Long.toHexString(owner) + ", which is gone");
                }
            }
            for (int room = 0; room < run.roomIds.length; room++)
            {
                final long roomId = run.roomIds[room];
                long sum = 0;
                for (final SimNode owner : nodes)
                {
                    final long truth = owner.state().localCount(roomId);
                    sum += truth;
                    final long replicated = copy.ownerCount(owner.nodeId(), roomId);
                    if (truth != replicated)
                    {
                        fail(replica + " counts " + replicated + " for " + owner + " in r" + room + ", the owner " +
                            truth);
                    }
                    if (truth < 0)
                    {
                        fail(owner + " has a negative count in r" + room);
                    }
                }
                if (copy.roomCount(roomId) != sum)
                {
                    fail(replica + " counts " + copy.roomCount(roomId) + " in r" + room + " cluster-wide, the owners " +
                        sum);
                }
            }
            for (final SimNode owner : nodes)
            {
                if (copy.ownerRows(owner.nodeId()) != owner.state().ownerRows(owner.nodeId()))
                {
                    fail(replica + " holds " + copy.ownerRows(owner.nodeId()) + " rows of " + owner + ", the owner " +
                        owner.state().ownerRows(owner.nodeId()));
                }
            }
        }
        checkNotifications();
        checkErrors();
        throwIfFailed();
    }
}
