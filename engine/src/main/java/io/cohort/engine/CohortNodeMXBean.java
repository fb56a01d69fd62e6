package io.cohort.engine;

import java.util.Map;

/**
 * The JMX view of a running node, registered by {@link Cohort#launch} as {@code io.cohort:type=Node,name=<name>}
 * with the node's stable {@link CohortNode#name()} ({@code cohort.jmx.name}, by default {@code node-<command port>};
 * unless {@code cohort.jmx.enabled=false}) and unregistered by {@link CohortNode#close()}. Every
 * attribute is read without involving the node's thread: from values it publishes for other threads, or from
 * its counters file. Attributes of a closed node read as empty or zero.
 */
public interface CohortNodeMXBean
{
    /**
     * This node's id.
     *
     * @return 16 hex digits, as in the logs and in {@code cohort stat}.
     */
    String getNodeId();

    /**
     * This node's incarnation (its start time, epoch milliseconds).
     *
     * @return the incarnation.
     */
    long getIncarnation();

    /**
     * The node's lifecycle state.
     *
     * @return a {@link NodeState} name.
     */
    String getState();

    /**
     * Why the node stopped by itself, if it did.
     *
     * @return a one-line reason, or null.
     */
    String getFailure();

    /**
     * Members of the cluster as this node knows them, itself included.
     *
     * @return the count.
     */
    int getMemberCount();

    /**
     * The other members this node knows.
     *
     * @return their node ids, 16 hex digits each.
     */
    String[] getMembers();

    /**
     * Rooms this node knows (rooms of the whole cluster), as of the node's last status update (at most 100 ms ago).
     *
     * @return the count.
     */
    long getRooms();

    /**
     * Local connections holding at least one subscription, as of the node's last status update.
     *
     * @return the count.
     */
    long getConnections();

    /**
     * Local subscriptions (connection, room), as of the node's last status update.
     *
     * @return the count.
     */
    long getSubscriptions();

    /**
     * Members this node saw evicted since it started.
     *
     * @return the count.
     */
    long getEvictions();

    /**
     * The endpoint peers subscribe to.
     *
     * @return e.g. {@code tcp://10.0.0.1:7511}.
     */
    String getSyncEndpoint();

    /**
     * The endpoint other nodes join through.
     *
     * @return e.g. {@code tcp://10.0.0.1:7510}.
     */
    String getCommandEndpoint();

    /**
     * The node's counters file, which {@code cohort stat} reads.
     *
     * @return its path.
     */
    String getCountersFile();

    /**
     * Every counter of the node (transport totals, per-peer sequences and faults, node status), by label.
     *
     * @return label to value; empty once the node is closed.
     */
    Map<String, Long> getCounters();

    /**
     * Leaves the cluster gracefully and closes the node, as {@link CohortNode#close()} does: the other members
     * drop its rows at once. A standalone node then exits with status 0.
     */
    void leave();
}
