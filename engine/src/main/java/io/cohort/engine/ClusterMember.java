package io.cohort.engine;

/**
 * Another member of the cluster as this node knows it at one moment: an immutable value, published by the
 * node's thread whenever a member is added, removed, synced or resynced ({@link CohortNode#clusterMembers()}).
 */
public final class ClusterMember
{
    private final long nodeId;
    private final long incarnation;
    private final String syncEndpoint;
    private final String commandEndpoint;
    private final MemberState state;

    ClusterMember(
        final long nodeId,
        final long incarnation,
        final String syncEndpoint,
        final String commandEndpoint,
        final MemberState state)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.syncEndpoint = syncEndpoint;
        this.commandEndpoint = commandEndpoint;
        this.state = state;
    }

    /**
     * The member's node id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * The member's incarnation: a restarted node is a new incarnation.
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * The endpoint this node subscribes to for the member's changes.
     *
     * @return e.g. {@code tcp://10.0.0.2:7511}.
     */
    public String syncEndpoint()
    {
        return syncEndpoint;
    }

    /**
     * The member's command endpoint (a seed for others).
     *
     * @return e.g. {@code tcp://10.0.0.2:7510}.
     */
    public String commandEndpoint()
    {
        return commandEndpoint;
    }

    /**
     * Whether the member's rows are loaded here.
     *
     * @return its state.
     */
    public MemberState state()
    {
        return state;
    }

    /**
     * For logs.
     *
     * @return e.g. {@code 00000000000000a2/1700000000000 SYNCED tcp://127.0.0.1:7510}.
     */
    public String toString()
    {
        return String.format("%016x/%d %s %s", nodeId, incarnation, state, commandEndpoint);
    }
}
