package io.cohort.micrometer;

import io.cohort.engine.CohortNode;
import io.cohort.engine.NodeState;
import io.cohort.transport.CounterType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a node's counters and gauges to Micrometer, read on each scrape from what the node publishes for other
 * threads (its counters file, as {@code cohort stat} reads it): nothing is added to the node's own thread.
 * <pre>{@code
 * CohortMetrics metrics = new CohortMetrics(node);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes its meters
 * }</pre>
 * Every meter is tagged {@code cluster} and {@code node} ({@link CohortNode#name()}, {@code cohort.jmx.name}): both
 * survive a restart, so series do not churn. Node meters (names in Prometheus form):
 * <ul>
 *   <li>{@code cohort_node_state{state=...}}: one gauge per {@link NodeState}, 1 for the current state, else 0 (alert
 *   on {@code cohort_node_state{state="RUNNING"} == 0});</li>
 *   <li>gauges {@code cohort_node_members} (itself included), {@code _rooms} (cluster-wide), {@code _connections} and
 *   {@code _subscriptions} (local), {@code cohort_node_call_queue_bytes} and {@code _capacity_bytes} (API calls
 *   queued for the node's thread), {@code cohort_node_status_age_seconds} (since the node's thread last refreshed
 *   its status: about 0.1 s, more while the thread stalls), {@code cohort_node_stall_longest_milliseconds} (the
 *   longest gap between two duty cycles of the node's thread since launch), {@code cohort_flow_lag_max_seconds}
 *   (how far the replica furthest behind this node's stream lags);</li>
 *   <li>counters {@code cohort_node_evictions_total}, {@code _errors_total}, {@code _calls_back_pressured_total}
 *   (calls refused with {@code BACK_PRESSURED}), {@code _sends_back_pressured_total} (sends held at a peer's
 *   high-water mark), {@code _received_frames/_messages/_bytes_total}, {@code _sent_frames/_messages/_bytes_total},
 *   {@code _applied_messages_total}, {@code _gaps/_duplicates/_reorders/_bad_frames/_lost_tails_total} (over every
 *   peer), {@code _stale_frames/_stranger_frames/_misrouted_frames/_foreign_cluster_frames/_auth_refused}
 *   and {@code _command_timeouts_total}, {@code cohort_node_stalls_total} (duty cycles of the node's thread that
 *   began more than 50 ms after the one before) and {@code cohort_node_stalls_working_total} (of those, the ones in
 *   which the thread itself ran more than 50 ms of CPU: a long job; the others it spent off the CPU),
 *   {@code cohort_flow_lagging_accusations_total} (replicas this node
 *   asked the cluster to remove with reason LAGGING), {@code cohort_node_rooms_wanted_total} (rooms this node asked
 *   for: a member had subscribers in a room whose creation it never applied),
 *   {@code cohort_node_rooms_announced_again_total} (rooms it announced again for its subscribers) and
 *   {@code cohort_node_room_creations_undone_total} (members' room creations it skipped because a removal that
 *   covered them arrived first, and rooms of a member's room table older than a removal it had applied) and
 *   {@code cohort_node_room_removals_outrun_total} (members' room removals it did not apply because a creation
 *   their sender had not seen came first).</li>
 * </ul>
 * Per-peer counters, tagged {@code peer} (the peer's node id, 16 hex digits, as in the logs and {@code cohort stat}):
 * {@code cohort_peer_gaps_total}, {@code _duplicates}, {@code _reorders}, {@code _bad_frames}, {@code _lost_tails},
 * {@code _received_frames}, {@code _received_messages}, {@code _received_bytes}, {@code _applied_messages}. They are
 * registered for peers that join and removed for peers that leave by {@link #refresh()}, which runs every refresh
 * interval on a daemon thread of this binder (and at {@link #bindTo}); a peer's counts start at 0 when it is added.
 * Replication lag is measured by each owner, on its own stream: {@code cohort_flow_lag_max_seconds}.
 */
public final class CohortMetrics implements MeterBinder, AutoCloseable
{
    /** A {@code cluster} tag's value for callers that tag every cluster alike; the default is the cluster's name. */
    public static final String DEFAULT_CLUSTER = "default";
    /** How often peer meters follow the membership by default. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(CohortMetrics.class);

    private static final List<Counted> NODE_GAUGES = List.of(
        new Counted("cohort.node.members", CounterType.NODE_MEMBERS, null,
            "Members of the cluster this node knows, itself included"),
        new Counted("cohort.node.rooms", CounterType.NODE_ROOMS, null, "Rooms this node knows (whole cluster)"),
        new Counted("cohort.node.connections", CounterType.NODE_CONNECTIONS, null,
            "Local connections holding at least one subscription"),
        new Counted("cohort.node.subscriptions", CounterType.NODE_SUBSCRIPTIONS, null,
            "Local subscriptions (connection, room)"),
        new Counted("cohort.node.stall.longest", CounterType.NODE_LONGEST_STALL_MS, BaseUnits.MILLISECONDS,
            "The longest gap between two duty cycles of the node's thread since launch"));

    private static final List<Counted> NODE_COUNTERS = List.of(
        new Counted("cohort.node.evictions", CounterType.NODE_EVICTIONS, null, "Members this node saw evicted"),
        new Counted("cohort.node.stalls", CounterType.NODE_STALLS, null,
            "Duty cycles of the node's thread that began more than 50 ms after the one before"),
        new Counted("cohort.node.stalls.working", CounterType.NODE_WORKING_STALLS, null,
            "Of those stalls, the ones in which the node's thread itself ran more than 50 ms of CPU (a long job)"),
        new Counted("cohort.node.rooms.wanted", CounterType.NODE_ROOMS_WANTED, null,
            "Rooms this node asked for: a member had subscribers in a room whose creation this node never applied"),
        new Counted("cohort.node.rooms.announced.again", CounterType.NODE_ROOMS_ANNOUNCED_AGAIN, null,
            "Rooms this node announced again because it has subscribers in them (removed early, or asked for)"),
        new Counted("cohort.node.room.creations.undone", CounterType.NODE_ROOM_CREATIONS_UNDONE, null,
            "Members' room creations this node skipped because a removal that covered them arrived first, and " +
                "rooms of a member's room table older than a removal it had applied"),
        new Counted("cohort.node.room.removals.outrun", CounterType.NODE_ROOM_REMOVALS_OUTRUN, null,
            "Members' room removals this node did not apply because a creation their sender had not seen came first"),
        new Counted("cohort.flow.lagging.accusations", CounterType.FLOW_LAGGING_ACCUSATIONS, null,
            "Replicas this node asked the cluster to remove for lagging behind its stream"),
        total("cohort.node.received.frames", CounterType.PEER_FRAMES, null, "Frames received from peers"),
        total("cohort.node.received.messages", CounterType.PEER_MESSAGES, null,
            "Messages received in order from peers"),
        total("cohort.node.received.bytes", CounterType.PEER_BYTES, BaseUnits.BYTES, "Bytes received from peers"),
        total("cohort.node.applied.messages", CounterType.PEER_APPLIED, null, "Peers' messages applied"),
        total("cohort.node.gaps", CounterType.PEER_GAPS, null, "Gaps in peers' streams"),
        total("cohort.node.duplicates", CounterType.PEER_DUPLICATES, null, "Duplicate frames from peers"),
        total("cohort.node.reorders", CounterType.PEER_REORDERS, null, "Out-of-order frames from peers"),
        total("cohort.node.bad.frames", CounterType.PEER_BAD_FRAMES, null,
            "Frames from peers that failed their checksum or did not decode"),
        total("cohort.node.lost.tails", CounterType.PEER_LOST_TAILS, null, "Lost tails of peers' streams"),
        new Counted("cohort.node.sent.frames", CounterType.FRAMES_SENT, null, "Frames sent"),
        new Counted("cohort.node.sent.messages", CounterType.MESSAGES_SENT, null, "Messages sent"),
        new Counted("cohort.node.sent.bytes", CounterType.BYTES_SENT, BaseUnits.BYTES, "Bytes sent"),
        new Counted("cohort.node.sends.back.pressured", CounterType.SEND_BACK_PRESSURE, null,
            "Sends held because a subscriber is at its high-water mark (nothing lost)"),
        new Counted("cohort.node.stale.frames", CounterType.STALE_FRAMES, null,
            "Frames from an unknown node or a stale incarnation, dropped"),
        new Counted("cohort.node.stranger.frames", CounterType.STRANGER_FRAMES, null,
            "Undecodable frames from no known peer"),
        new Counted("cohort.node.misrouted.frames", CounterType.MISROUTED_FRAMES, null,
            "Directed frames addressed to another node, dropped"),
        new Counted("cohort.node.foreign.cluster.frames", CounterType.FOREIGN_CLUSTER_FRAMES, null,
            "Frames of another cluster name, refused before anything was applied"),
        new Counted("cohort.node.auth.refused", CounterType.AUTH_REFUSED, null,
            "Connections refused by CURVE authentication"),
        new Counted("cohort.node.command.timeouts", CounterType.COMMAND_TIMEOUTS, null,
            "Command requests that timed out"));

    private static final List<Counted> PEER_COUNTERS = List.of(
        new Counted("cohort.peer.gaps", CounterType.PEER_GAPS, null, "Gaps in the peer's streams"),
        new Counted("cohort.peer.duplicates", CounterType.PEER_DUPLICATES, null, "Duplicate frames from the peer"),
        new Counted("cohort.peer.reorders", CounterType.PEER_REORDERS, null, "Out-of-order frames from the peer"),
        new Counted("cohort.peer.bad.frames", CounterType.PEER_BAD_FRAMES, null,
            "Frames from the peer that failed their checksum or did not decode"),
        new Counted("cohort.peer.lost.tails", CounterType.PEER_LOST_TAILS, null, "Lost tails of the peer's streams"),
        new Counted("cohort.peer.received.frames", CounterType.PEER_FRAMES, null, "Frames received from the peer"),
        new Counted("cohort.peer.received.messages", CounterType.PEER_MESSAGES, null,
            "Messages received in order from the peer"),
        new Counted("cohort.peer.received.bytes", CounterType.PEER_BYTES, BaseUnits.BYTES,
            "Bytes received from the peer"),
        new Counted("cohort.peer.applied.messages", CounterType.PEER_APPLIED, null, "The peer's messages applied"));

    private final CohortNode node;
    private final Tags tags;
    private final long refreshIntervalMs;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final List<Bound> nodeMeters = new ArrayList<>();
    private final Map<Long, List<Bound>> peerMeters = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /**
     * Metrics of a node, tagged {@code cluster=} its cluster's name ({@code cohort.cluster.name}), refreshing its peers
     * every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param node the node.
     */
    public CohortMetrics(final CohortNode node)
    {
        this(node, node.clusterName(), Tags.empty(), DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Metrics of a node.
     *
     * @param node            the node.
     * @param cluster         the {@code cluster} tag's value: the same on every node of the cluster.
     * @param extraTags       more tags for every meter (e.g. a region).
     * @param refreshInterval how often peer meters follow the membership; zero for never (call {@link #refresh()}).
     * @throws IllegalArgumentException for a negative interval.
     */
    public CohortMetrics(
        final CohortNode node, final String cluster, final Iterable<Tag> extraTags, final Duration refreshInterval)
    {
        this.node = Objects.requireNonNull(node, "node");
        if (refreshInterval.isNegative())
        {
            throw new IllegalArgumentException("refreshInterval=" + refreshInterval + " must not be negative");
        }
        this.tags = Tags.of("cluster", cluster, "node", node.name()).and(extraTags);
        this.refreshIntervalMs = refreshInterval.toMillis();
    }

    /**
     * Registers the node's meters and its current peers' (this binder may be bound to several registries), and
     * starts following the membership.
     *
     * @param registry where to register.
     * @throws IllegalStateException if the registry already holds the meters of a node of the same name and cluster
     *                               (two nodes named alike would report as one), or this binder is closed.
     */
    public synchronized void bindTo(final MeterRegistry registry)
    {
        if (closed)
        {
            throw new IllegalStateException("CohortMetrics of node " + node.name() + " is closed");
        }
        if (null != registry.find("cohort.node.members").tags(tags).meter())
        {
            throw new IllegalStateException("the registry already holds the meters of a node tagged " + tags +
                ": give each node its own cohort.jmx.name");
        }
        registries.add(registry);
        for (final NodeState state : NodeState.values())
        {
            nodeMeters.add(new Bound(registry, Gauge.builder("cohort.node.state", node,
                    (n) -> n.state() == state ? 1 : 0)
                .tags(tags).tag("state", state.name())
                .description("1 for the node's current lifecycle state, 0 for the others")
                .strongReference(true).register(registry)));
        }
        for (final Counted gauge : NODE_GAUGES)
        {
            nodeMeters.add(new Bound(registry, gauge(registry, gauge, (n) -> n.counter(gauge.typeId))));
        }
        nodeMeters.add(new Bound(registry, gauge(registry, new Counted("cohort.node.call.queue", 0, BaseUnits.BYTES,
            "API calls queued for the node's thread, not yet carried out"), CohortNode::queuedCallBytes)));
        nodeMeters.add(new Bound(registry, gauge(registry, new Counted("cohort.node.call.queue.capacity", 0,
            BaseUnits.BYTES, "Capacity of the queue of API calls"), CohortNode::callQueueCapacity)));
        nodeMeters.add(new Bound(registry, gauge(registry, new Counted("cohort.node.status.age", 0, "seconds",
            "Time since the node's thread last refreshed its status (every 0.1 s); grows while the thread stalls"),
            CohortMetrics::statusAgeSeconds)));
        nodeMeters.add(new Bound(registry, gauge(registry, new Counted("cohort.flow.lag.max", 0, "seconds",
            "How far the replica furthest behind this node's stream lags: since the first frame it has not applied " +
            "was sent"), (n) -> n.counter(CounterType.FLOW_LAG_MAX_NS) / 1e9)));
        for (final Counted counter : NODE_COUNTERS)
        {
            nodeMeters.add(new Bound(registry, counter(registry, counter, Tags.empty(),
                (n) -> n.counter(counter.typeId))));
        }
        nodeMeters.add(new Bound(registry, counter(registry, new Counted("cohort.node.errors", 0, null,
            "Errors reported to the node's error handler"), Tags.empty(), CohortNode::errors)));
        nodeMeters.add(new Bound(registry, counter(registry, new Counted("cohort.node.calls.back.pressured", 0, null,
            "API calls refused with BACK_PRESSURED: the node's queue was full"), Tags.empty(),
            CohortNode::backPressuredCalls)));
        for (final Map.Entry<Long, List<Bound>> peer : peerMeters.entrySet())
        {
            bindPeer(registry, peer.getKey(), peer.getValue());
        }
        refresh();
        if (null == scheduler && refreshIntervalMs > 0)
        {
            scheduler = Executors.newSingleThreadScheduledExecutor((task) ->
            {
                final Thread thread = new Thread(task, "cohort-metrics-" + node.name());
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(
                this::refreshQuietly, refreshIntervalMs, refreshIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Brings the per-peer meters in line with the node's members now: registers those of peers that joined,
     * removes those of peers that left (every peer once the node has stopped for good). Runs on this binder's
     * thread every refresh interval; call it directly to follow a change at once.
     */
    public synchronized void refresh()
    {
        if (closed)
        {
            return;
        }
        final long[] members = node.state().isTerminal() ? new long[0] : node.members();
        final Iterator<Map.Entry<Long, List<Bound>>> peers = peerMeters.entrySet().iterator();
        while (peers.hasNext())
        {
            final Map.Entry<Long, List<Bound>> peer = peers.next();
            if (!contains(members, peer.getKey()))
            {
                removeAll(peer.getValue());
                peers.remove();
            }
        }
        for (final long peerNodeId : members)
        {
            if (!peerMeters.containsKey(peerNodeId))
            {
                final List<Bound> meters = new ArrayList<>();
                for (final MeterRegistry registry : registries)
                {
                    bindPeer(registry, peerNodeId, meters);
                }
                peerMeters.put(peerNodeId, meters);
            }
        }
    }

    /**
     * Peers that currently have meters.
     *
     * @return their node ids, in no particular order (a fresh array).
     */
    public synchronized long[] peers()
    {
        final long[] ids = new long[peerMeters.size()];
        int i = 0;
        for (final Long id : peerMeters.keySet())
        {
            ids[i++] = id;
        }
        return ids;
    }

    /**
     * Stops following the membership and removes every meter this binder registered; idempotent.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != scheduler)
        {
            scheduler.shutdownNow();
        }
        removeAll(nodeMeters);
        nodeMeters.clear();
        peerMeters.values().forEach(CohortMetrics::removeAll);
        peerMeters.clear();
        registries.clear();
    }

    private void bindPeer(final MeterRegistry registry, final long peerNodeId, final List<Bound> meters)
    {
        final Tags peerTag = Tags.of("peer", String.format("%016x", peerNodeId));
        for (final Counted counter : PEER_COUNTERS)
        {
            meters.add(new Bound(registry, counter(registry, counter, peerTag,
                (n) -> n.peerCounter(peerNodeId, counter.typeId))));
        }
    }

    private Meter gauge(final MeterRegistry registry, final Counted gauge, final ToDoubleFunction<CohortNode> value)
    {
        return Gauge.builder(gauge.name, node, value).tags(tags).baseUnit(gauge.unit).description(gauge.description)
            .strongReference(true).register(registry);
    }

    private Meter counter(final MeterRegistry registry, final Counted counter, final Tags extra,
        final ToDoubleFunction<CohortNode> value)
    {
        return FunctionCounter.builder(counter.name, node, value).tags(tags).tags(extra).baseUnit(counter.unit)
            .description(counter.description).register(registry);
    }

    private void refreshQuietly()
    {
        try
        {
            refresh();
        }
        catch (final RuntimeException ex)
        {
            // A failed refresh must not end the schedule: the next one brings the peers in line again.
            LOG.warn("node {}: peer meters not refreshed: {}", node.name(), ex.toString(), ex);
        }
    }

    private static double statusAgeSeconds(final CohortNode node)
    {
        final long refreshedMs = node.counter(CounterType.NODE_HEARTBEAT);
        return 0 == refreshedMs ? Double.NaN : Math.max(0, System.currentTimeMillis() - refreshedMs) / 1000.0;
    }

    private static void removeAll(final List<Bound> meters)
    {
        for (final Bound bound : meters)
        {
            bound.registry.remove(bound.meter);
        }
    }

    private static boolean contains(final long[] ids, final long id)
    {
        for (final long candidate : ids)
        {
            if (candidate == id)
            {
                return true;
            }
        }
        return false;
    }

    private static Counted total(final String name, final int peerType, final String unit, final String description)
    {
        return new Counted(name, peerType + CounterType.TOTAL_OFFSET, unit, description);
    }

    /** A meter read from one of the node's counters (or, with type 0, from a method of the node). */
    private record Counted(String name, int typeId, String unit, String description)
    {
    }

    /** A registered meter and its registry, to remove it from. */
    private record Bound(MeterRegistry registry, Meter meter)
    {
    }
}
