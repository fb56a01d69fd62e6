package io.cohort.engine;

import io.cohort.codec.ReasonCode;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link NodeState} a node is in, and why it ended: every transition is logged and reaches the backend's
 * {@link CohortListener#onStateChanged}; a node that failed or was evicted keeps the reason ({@link #failure}); a
 * leaving node knows when it has left. Invariant: an eviction never overrides a terminal state (EVICTED, CLOSED), so
 * the first reason a node ended for is the one it reports, and closing an evicted node keeps it EVICTED (a
 * supervisor relaunches on that).
 * <p>
 * Written on the node's thread only; the state, the failure and whether it has left are read from any thread (the
 * API's callers wait on them).
 */
final class NodeLifecycle
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final long nodeId;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    private volatile NodeState nodeState = NodeState.STARTING;
    private volatile String failure;
    /** Whether a view without this node was installed while it was leaving (or it was alone): it has left. */
    private volatile boolean left;

    /**
     * @param nodeId       the node's id, for the log.
     * @param listener     told of every transition.
     * @param errorHandler where what the listener throws goes.
     */
    NodeLifecycle(final long nodeId, final CohortListener listener, final ErrorHandler errorHandler)
    {
        this.nodeId = nodeId;
        this.listener = listener;
        this.errorHandler = errorHandler;
    }

    NodeState state()
    {
        return nodeState;
    }

    /**
     * @return why the node failed or was evicted, or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * @return whether a leaving node's leave is complete: a view without it was installed (or it was alone).
     */
    boolean hasLeft()
    {
        return left;
    }

    /**
     * The node is leaving; with {@code alreadyLeft} (it was alone, or in no view) there is nobody to agree to it.
     */
    void leaving(final boolean alreadyLeft)
    {
        left |= alreadyLeft;
        changeState(NodeState.LEAVING);
        LOG.info("node {} leaving the cluster", ClusterCore.id(nodeId));
    }

    void changeState(final NodeState newState)
    {
        final NodeState previous = nodeState;
        if (previous == newState)
        {
            return;
        }
        nodeState = newState;
        LOG.info("node {} state {} -> {}", ClusterCore.id(nodeId), previous, newState);
        try
        {
            listener.onStateChanged(previous, newState);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * The node cannot go on (a join that never completed): CLOSED, with the reason.
     */
    void fail(final String reason)
    {
        failure = reason;
        LOG.error("node {} failed: {}", ClusterCore.id(nodeId), reason);
        changeState(NodeState.CLOSED);
    }

    /**
     * This node decided it must go (no quorum for too long, lost notifications, a larger cluster found): EVICTED, so
     * that a supervisor starts a new incarnation.
     */
    void evictSelf(final int reason, final String why)
    {
        if (nodeState.isTerminal())
        {
            return;
        }
        failure = "evicted: " + why;
        LOG.error("node {} evicts itself ({}): {}", ClusterCore.id(nodeId), ReasonCode.name(reason), why);
        changeState(NodeState.EVICTED);
    }

    /**
     * A view of this node's cluster instance dissolves it (a larger instance was found after a heal): every member
     * leaves, and a new incarnation joins the winner. A node that was leaving anyway has left.
     */
    void onDissolved(final View next)
    {
        if (leftOrEndedBefore(next, "dissolves the cluster instance"))
        {
            return;
        }
        failure = "evicted by view " + next.epoch() + " of the cluster, which dissolves it to merge it into a " +
            "larger instance of the cluster";
        LOG.error("node {} evicted: view {} of the cluster, agreed by a quorum of the one before, dissolves it to " +
            "merge into a larger instance found through the seeds; a new incarnation joins that one",
            ClusterCore.id(nodeId), next.epoch());
        changeState(NodeState.EVICTED);
    }

    /**
     * A later view of this node's cluster does not list it: it was removed (or it left).
     */
    void onRemovedByView(final View next, final int reason)
    {
        if (leftOrEndedBefore(next, "no longer lists it"))
        {
            return;
        }
        failure = "evicted by view " + next.epoch() + " of the cluster (" + ReasonCode.name(reason) + ")";
        LOG.error("node {} evicted by view {} of the cluster, agreed by a quorum of the one before ({}): {}",
            ClusterCore.id(nodeId), next.epoch(), ReasonCode.name(reason), next);
        changeState(NodeState.EVICTED);
    }

    /**
     * A view without this node: for a leaving node, its leave is complete; for one that ended already, nothing.
     *
     * @return true unless the view evicts the node.
     */
    private boolean leftOrEndedBefore(final View next, final String how)
    {
        if (NodeState.LEAVING == nodeState)
        {
            left = true;
            LOG.info("node {} left: view {} {}", ClusterCore.id(nodeId), next, how);
            return true;
        }
        return nodeState.isTerminal();
    }

    /**
     * The node was closed: CLOSED, unless it was evicted (that reason stays).
     */
    void closed()
    {
        if (NodeState.EVICTED != nodeState)
        {
            changeState(NodeState.CLOSED);
        }
    }
}
