package io.cohort.state;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.FrameLayout;
import io.cohort.codec.RoomCreatedEncoder;
import io.cohort.codec.SnapshotChunkDecoder;

/**
 * Configuration of a {@link SubscriptionState}: starts from the {@code cohort.state.*} system properties
 * ({@link StateConfiguration}), may be changed with the setters, and is validated by {@link #conclude()},
 * which {@link SubscriptionState} calls. Setters return this for a fluent API. Not thread safe: configure
 * on one thread before handing it over.
 */
public final class StateContext
{
    /** Upper bound of {@link #maxRoomsPerConnection()}: a connection's rooms are collected in one array. */
    public static final int MAX_ROOMS_PER_CONNECTION_LIMIT = 1 << 20;

    private boolean concluded;
    private long localNodeId;
    private long clusterId = FrameLayout.ANY_CLUSTER;
    private long maxRooms = StateConfiguration.maxRooms();
    private long maxConnections = StateConfiguration.maxConnections();
    private int maxRoomsPerConnection = StateConfiguration.maxRoomsPerConnection();
    private long maxOverflowSubscriptions = StateConfiguration.maxOverflowSubscriptions();
    private int maxFilterBytes = StateConfiguration.maxFilterBytes();
    private int averageRoomBytes = StateConfiguration.averageRoomBytes();
    private int maxNodes = StateConfiguration.maxNodes();
    private int snapshotFrameLength = StateConfiguration.snapshotFrameLength();
    private boolean chroniclePosix = StateConfiguration.chroniclePosix();
    private CodecLimits codecLimits = StateConfiguration.CODEC_LIMITS_DEFAULT;

    /**
     * Validates every value and their combinations. Called by {@link SubscriptionState}; calling it again
     * is harmless.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the offending {@code name=value}.
     */
    public StateContext conclude()
    {
        if (0 == localNodeId)
        {
            throw new IllegalArgumentException("localNodeId=0 is reserved for \"none\": set this node's id");
        }
        requireAtLeast(StateConfiguration.MAX_ROOMS_PROP_NAME, maxRooms, 1);
        requireAtLeast(StateConfiguration.MAX_CONNECTIONS_PROP_NAME, maxConnections, 1);
        requireAtLeast(StateConfiguration.MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME, maxOverflowSubscriptions, 1);
        requireAtLeast(StateConfiguration.MAX_ROOMS_PER_CONNECTION_PROP_NAME, maxRoomsPerConnection, 1);
        requireAtMost(
            StateConfiguration.MAX_ROOMS_PER_CONNECTION_PROP_NAME,
            maxRoomsPerConnection,
            MAX_ROOMS_PER_CONNECTION_LIMIT);
        requireAtLeast(StateConfiguration.MAX_FILTER_BYTES_PROP_NAME, maxFilterBytes, 0);
        requireAtMost(StateConfiguration.MAX_FILTER_BYTES_PROP_NAME, maxFilterBytes, codecLimits.maxFilterLength());
        requireAtLeast(
            StateConfiguration.AVERAGE_ROOM_BYTES_PROP_NAME,
            averageRoomBytes,
            StateConfiguration.ROOM_METADATA_PREFIX_BYTES);
        requireAtMost(StateConfiguration.AVERAGE_ROOM_BYTES_PROP_NAME, averageRoomBytes, maxRoomBytes());
        requireAtLeast(StateConfiguration.MAX_NODES_PROP_NAME, maxNodes, 1);
        requireAtMost(StateConfiguration.MAX_NODES_PROP_NAME, maxNodes, codecLimits.maxMembers());
        requireAtLeast(StateConfiguration.SNAPSHOT_FRAME_LENGTH_PROP_NAME, snapshotFrameLength, minSnapshotFrameLength());
        requireAtMost(
            StateConfiguration.SNAPSHOT_FRAME_LENGTH_PROP_NAME, snapshotFrameLength, codecLimits.maxFrameLength());
        concluded = true;
        return this;
    }

    /**
     * Whether {@link #conclude()} has succeeded.
     *
     * @return true once concluded.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * Largest metadata a room may have: both names at the codec's maximum and the largest filter.
     *
     * @return bytes, length prefixes included.
     */
    public int maxRoomBytes()
    {
        return StateConfiguration.ROOM_METADATA_PREFIX_BYTES + 2 * codecLimits.maxNameLength() + maxFilterBytes;
    }

    /**
     * Smallest snapshot frame that still carries the largest room.
     *
     * @return bytes, frame header and trailer included.
     */
    public int minSnapshotFrameLength()
    {
        return FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH + SnapshotChunkDecoder.MIN_LENGTH +
            RoomCreatedEncoder.computeLength(codecLimits.maxNameLength(), codecLimits.maxNameLength(), maxFilterBytes) +
            FrameLayout.TRAILER_LENGTH;
    }

    /**
     * This node's id: the owner of the counts that local subscriptions change. Required, never 0.
     *
     * @return the local node id.
     */
    public long localNodeId()
    {
        return localNodeId;
    }

    /**
     * Sets this node's id.
     *
     * @param localNodeId the local node id, not 0.
     * @return this for a fluent API.
     */
    public StateContext localNodeId(final long localNodeId)
    {
        this.localNodeId = localNodeId;
        return this;
    }

    /**
     * This node's cluster id (the engine sets the hash of {@code cohort.cluster.name}): stamped on the snapshot frames
     * this node writes; frames of another cluster are refused by the {@link SnapshotLoader}.
     *
     * @return the cluster id, {@link FrameLayout#ANY_CLUSTER} (the default) to fence nothing.
     */
    public long clusterId()
    {
        return clusterId;
    }

    /**
     * Sets this node's cluster id.
     *
     * @param clusterId the cluster id, or {@link FrameLayout#ANY_CLUSTER}.
     * @return this for a fluent API.
     */
    public StateContext clusterId(final long clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_ROOMS_PROP_NAME}.
     *
     * @return the maximum number of rooms.
     */
    public long maxRooms()
    {
        return maxRooms;
    }

    /**
     * See {@link StateConfiguration#MAX_ROOMS_PROP_NAME}.
     *
     * @param maxRooms the maximum number of rooms, at least 1.
     * @return this for a fluent API.
     */
    public StateContext maxRooms(final long maxRooms)
    {
        this.maxRooms = maxRooms;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_CONNECTIONS_PROP_NAME}.
     *
     * @return the maximum number of connections.
     */
    public long maxConnections()
    {
        return maxConnections;
    }

    /**
     * See {@link StateConfiguration#MAX_CONNECTIONS_PROP_NAME}.
     *
     * @param maxConnections the maximum number of connections, at least 1.
     * @return this for a fluent API.
     */
    public StateContext maxConnections(final long maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_ROOMS_PER_CONNECTION_PROP_NAME}.
     *
     * @return the maximum number of rooms per connection.
     */
    public int maxRoomsPerConnection()
    {
        return maxRoomsPerConnection;
    }

    /**
     * See {@link StateConfiguration#MAX_ROOMS_PER_CONNECTION_PROP_NAME}.
     *
     * @param maxRoomsPerConnection from 1 to {@link #MAX_ROOMS_PER_CONNECTION_LIMIT}.
     * @return this for a fluent API.
     */
    public StateContext maxRoomsPerConnection(final int maxRoomsPerConnection)
    {
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME}.
     *
     * @return the maximum number of subscriptions held in the overflow map.
     */
    public long maxOverflowSubscriptions()
    {
        return maxOverflowSubscriptions;
    }

    /**
     * See {@link StateConfiguration#MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME}.
     *
     * @param maxOverflowSubscriptions at least 1.
     * @return this for a fluent API.
     */
    public StateContext maxOverflowSubscriptions(final long maxOverflowSubscriptions)
    {
        this.maxOverflowSubscriptions = maxOverflowSubscriptions;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_FILTER_BYTES_PROP_NAME}.
     *
     * @return the maximum filter length in bytes.
     */
    public int maxFilterBytes()
    {
        return maxFilterBytes;
    }

    /**
     * See {@link StateConfiguration#MAX_FILTER_BYTES_PROP_NAME}.
     *
     * @param maxFilterBytes from 0 to the codec's maximum filter length.
     * @return this for a fluent API.
     */
    public StateContext maxFilterBytes(final int maxFilterBytes)
    {
        this.maxFilterBytes = maxFilterBytes;
        return this;
    }

    /**
     * See {@link StateConfiguration#AVERAGE_ROOM_BYTES_PROP_NAME}.
     *
     * @return the expected average room metadata size in bytes.
     */
    public int averageRoomBytes()
    {
        return averageRoomBytes;
    }

    /**
     * See {@link StateConfiguration#AVERAGE_ROOM_BYTES_PROP_NAME}.
     *
     * @param averageRoomBytes from 12 to {@link #maxRoomBytes()}.
     * @return this for a fluent API.
     */
    public StateContext averageRoomBytes(final int averageRoomBytes)
    {
        this.averageRoomBytes = averageRoomBytes;
        return this;
    }

    /**
     * See {@link StateConfiguration#MAX_NODES_PROP_NAME}.
     *
     * @return the number of owner slots, this node's included.
     */
    public int maxNodes()
    {
        return maxNodes;
    }

    /**
     * See {@link StateConfiguration#MAX_NODES_PROP_NAME}.
     *
     * @param maxNodes from 1 to the codec's maximum number of members.
     * @return this for a fluent API.
     */
    public StateContext maxNodes(final int maxNodes)
    {
        this.maxNodes = maxNodes;
        return this;
    }

    /**
     * See {@link StateConfiguration#SNAPSHOT_FRAME_LENGTH_PROP_NAME}.
     *
     * @return the snapshot frame length in bytes.
     */
    public int snapshotFrameLength()
    {
        return snapshotFrameLength;
    }

    /**
     * See {@link StateConfiguration#SNAPSHOT_FRAME_LENGTH_PROP_NAME}.
     *
     * @param snapshotFrameLength from {@link #minSnapshotFrameLength()} to the codec's maximum frame length.
     * @return this for a fluent API.
     */
    public StateContext snapshotFrameLength(final int snapshotFrameLength)
    {
        this.snapshotFrameLength = snapshotFrameLength;
        return this;
    }

    /**
     * See {@link StateConfiguration#CHRONICLE_POSIX_PROP_NAME}.
     *
     * @return whether Chronicle may load its native POSIX binding.
     */
    public boolean chroniclePosix()
    {
        return chroniclePosix;
    }

    /**
     * See {@link StateConfiguration#CHRONICLE_POSIX_PROP_NAME}: {@code false} takes effect for the whole JVM when a
     * {@link SubscriptionState} is created with this context, and cannot be undone in that JVM.
     *
     * @param chroniclePosix false for Chronicle's no-op binding (nothing else in the JVM maps Chronicle files).
     * @return this for a fluent API.
     */
    public StateContext chroniclePosix(final boolean chroniclePosix)
    {
        this.chroniclePosix = chroniclePosix;
        return this;
    }

    /**
     * The wire limits every node of the cluster shares: names and filters stored here must be encodable.
     *
     * @return the codec limits.
     */
    public CodecLimits codecLimits()
    {
        return codecLimits;
    }

    /**
     * Sets the wire limits.
     *
     * @param codecLimits the limits the cluster's codec uses.
     * @return this for a fluent API.
     */
    public StateContext codecLimits(final CodecLimits codecLimits)
    {
        this.codecLimits = codecLimits;
        return this;
    }

    private static void requireAtLeast(final String name, final long value, final long min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + "=" + value + " must be at least " + min);
        }
    }

    private static void requireAtMost(final String name, final long value, final long max)
    {
        if (value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " must be at most " + max);
        }
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "StateContext{" +
            "localNodeId=" + localNodeId +
            ", maxRooms=" + maxRooms +
            ", maxConnections=" + maxConnections +
            ", maxRoomsPerConnection=" + maxRoomsPerConnection +
            ", maxOverflowSubscriptions=" + maxOverflowSubscriptions +
            ", maxFilterBytes=" + maxFilterBytes +
            ", averageRoomBytes=" + averageRoomBytes +
            ", maxNodes=" + maxNodes +
            ", snapshotFrameLength=" + snapshotFrameLength +
            ", chroniclePosix=" + chroniclePosix +
            ", codecLimits=" + codecLimits +
            '}';
    }
}
