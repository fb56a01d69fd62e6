package io.cohort.state;

import io.cohort.codec.CodecLimits;
import io.cohort.config.PropertySet;

/**
 * The {@code cohort.state.*} system properties that size the off-heap state, each with its default. Sizes
 * accept Agrona's suffixes ({@code k}, {@code m}, {@code g}, powers of 1024), also for counts of entries:
 * {@code 5m} connections is 5,242,880.
 * <p>
 * Every capacity is a hard limit that Cohort enforces itself, before Chronicle Map would fail: Chronicle's
 * {@code entries} is sized from these values (with headroom), and an operation that would pass a limit is
 * refused with a named {@link StateResult}, leaving the state unchanged. Chronicle reserves memory for the
 * configured capacity (touched lazily by the operating system), and the connection table and the count table are
 * allocated and zeroed whole at start-up, so the capacities are the memory budget (the blocks of rooms whose
 * counts outgrow their slot are allocated as they are needed).
 */
public final class StateConfiguration
{
    /** Maximum number of rooms known to this node (rooms of the whole cluster). */
    public static final String MAX_ROOMS_PROP_NAME = "cohort.state.max.rooms";
    /** Default of {@link #MAX_ROOMS_PROP_NAME}. */
    public static final long MAX_ROOMS_DEFAULT = 1024 * 1024;

    /** Maximum number of local connections holding at least one subscription. */
    public static final String MAX_CONNECTIONS_PROP_NAME = "cohort.state.max.connections";
    /** Default of {@link #MAX_CONNECTIONS_PROP_NAME}. */
    public static final long MAX_CONNECTIONS_DEFAULT = 1024 * 1024;

    /** Maximum number of rooms one connection may be subscribed to. */
    public static final String MAX_ROOMS_PER_CONNECTION_PROP_NAME = "cohort.state.max.rooms.per.connection";
    /** Default of {@link #MAX_ROOMS_PER_CONNECTION_PROP_NAME}. */
    public static final int MAX_ROOMS_PER_CONNECTION_DEFAULT = 256;

    /**
     * Maximum number of subscriptions held past the {@link #INLINE_ROOMS_PER_CONNECTION} rooms stored inline
     * with each connection, summed over every connection: the capacity of the overflow map that only
     * connections with many rooms use.
     */
    public static final String MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME = "cohort.state.max.overflow.subscriptions";
    /** Default of {@link #MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME}. */
    public static final long MAX_OVERFLOW_SUBSCRIPTIONS_DEFAULT = 256 * 1024;

    /** Maximum length of a room's opaque filter, in bytes; at most the codec's maximum filter length. */
    public static final String MAX_FILTER_BYTES_PROP_NAME = "cohort.state.max.filter.bytes";
    /** Default of {@link #MAX_FILTER_BYTES_PROP_NAME}. */
    public static final int MAX_FILTER_BYTES_DEFAULT = 4096;

    /**
     * Expected average size of a room's metadata (index name, collection name and filter, plus 12 bytes of
     * length prefixes). Rooms may be larger one by one, but the sum over all rooms may not pass
     * {@code maxRooms * averageRoomBytes}: that is the byte budget the room map is sized for.
     */
    public static final String AVERAGE_ROOM_BYTES_PROP_NAME = "cohort.state.average.room.bytes";
    /** Default of {@link #AVERAGE_ROOM_BYTES_PROP_NAME}. */
    public static final int AVERAGE_ROOM_BYTES_DEFAULT = 128;

    /**
     * Maximum number of owners (nodes, this one included) holding room counts at the same time: the size of the
     * cluster. A node past it is refused at join. Room counts live in one table whatever the value: a room's slot
     * holds a presence bit per owner slot (twice this many slots, 64 bits to a word: one word up to 32 nodes, two
     * up to 64) and a few counts inline, and a room's counts outgrow the slot into a block only in rooms where
     * more nodes than that have subscribers.
     */
    public static final String MAX_NODES_PROP_NAME = "cohort.state.max.nodes";
    /** Default of {@link #MAX_NODES_PROP_NAME}. */
    public static final int MAX_NODES_DEFAULT = 64;

    /**
     * Length of each snapshot frame, header and trailer included: the only buffer a snapshot uses, and the unit
     * in which a joiner loads a snapshot (a frame of counts is loaded whole within a duty cycle's slice).
     */
    public static final String SNAPSHOT_FRAME_LENGTH_PROP_NAME = "cohort.state.snapshot.frame.length";
    /** Default of {@link #SNAPSHOT_FRAME_LENGTH_PROP_NAME}: about 1000 counts, well under a 1 ms slice to load. */
    public static final int SNAPSHOT_FRAME_LENGTH_DEFAULT = 16 * 1024;

    /**
     * Whether Chronicle may load its binding to native POSIX calls (JNR: msync, fallocate, clock_gettime), as it
     * does in any JVM that uses it. Cohort's maps live in memory and never call it, yet Chronicle loads it with the
     * first map: about 150 ms of a node's start, and a native library unpacked into {@code java.io.tmpdir}.
     * {@code false} installs Chronicle's no-op binding instead, for the whole JVM: only where nothing else in the
     * JVM uses Chronicle's mapped files (Chronicle Queue, persisted maps), whose msync would then do nothing. The
     * standalone node ({@code cohort-node}) hosts nothing else and sets {@code false} unless this property is given.
     */
    public static final String CHRONICLE_POSIX_PROP_NAME = "cohort.state.chronicle.posix";
    /** Default of {@link #CHRONICLE_POSIX_PROP_NAME}: Chronicle's own behaviour, safe beside other Chronicle users. */
    public static final String CHRONICLE_POSIX_DEFAULT = "true";

    /**
     * Rooms stored inline with each connection; more spill into the overflow map. A connection takes a 48-byte
     * slot of a table sized for {@link #MAX_CONNECTIONS_PROP_NAME} at a load of 3/4: 32 bytes off-heap per
     * subscription for connections with two rooms, with the table full.
     */
    public static final int INLINE_ROOMS_PER_CONNECTION = ConnectionTable.INLINE_ROOMS;

    /** Bytes of length prefixes in a room's stored metadata: one int per variable-length field. */
    public static final int ROOM_METADATA_PREFIX_BYTES = 12;

    /** Codec limits used unless the context is given others. */
    public static final CodecLimits CODEC_LIMITS_DEFAULT = CodecLimits.DEFAULT;

    /** Every property above, the one place the state reads them through. */
    public static final PropertySet PROPERTIES = PropertySet.of(StateConfiguration.class);

    private StateConfiguration()
    {
    }

    /**
     * {@link #MAX_ROOMS_PROP_NAME} or its default.
     *
     * @return the maximum number of rooms.
     */
    public static long maxRooms()
    {
        return PROPERTIES.size(MAX_ROOMS_PROP_NAME, MAX_ROOMS_DEFAULT);
    }

    /**
     * {@link #MAX_CONNECTIONS_PROP_NAME} or its default.
     *
     * @return the maximum number of connections.
     */
    public static long maxConnections()
    {
        return PROPERTIES.size(MAX_CONNECTIONS_PROP_NAME, MAX_CONNECTIONS_DEFAULT);
    }

    /**
     * {@link #MAX_ROOMS_PER_CONNECTION_PROP_NAME} or its default.
     *
     * @return the maximum number of rooms per connection.
     */
    public static int maxRoomsPerConnection()
    {
        return PROPERTIES.intSize(
            MAX_ROOMS_PER_CONNECTION_PROP_NAME, MAX_ROOMS_PER_CONNECTION_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * {@link #MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME} or its default.
     *
     * @return the maximum number of overflow subscriptions.
     */
    public static long maxOverflowSubscriptions()
    {
        return PROPERTIES.size(MAX_OVERFLOW_SUBSCRIPTIONS_PROP_NAME, MAX_OVERFLOW_SUBSCRIPTIONS_DEFAULT);
    }

    /**
     * {@link #MAX_FILTER_BYTES_PROP_NAME} or its default.
     *
     * @return the maximum filter length in bytes.
     */
    public static int maxFilterBytes()
    {
        return PROPERTIES.intSize(MAX_FILTER_BYTES_PROP_NAME, MAX_FILTER_BYTES_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * {@link #AVERAGE_ROOM_BYTES_PROP_NAME} or its default.
     *
     * @return the expected average room metadata size in bytes.
     */
    public static int averageRoomBytes()
    {
        return PROPERTIES.intSize(AVERAGE_ROOM_BYTES_PROP_NAME, AVERAGE_ROOM_BYTES_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * {@link #MAX_NODES_PROP_NAME} or its default.
     *
     * @return the number of owner slots.
     */
    public static int maxNodes()
    {
        return PROPERTIES.intSize(MAX_NODES_PROP_NAME, MAX_NODES_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * {@link #SNAPSHOT_FRAME_LENGTH_PROP_NAME} or its default.
     *
     * @return the snapshot frame length in bytes.
     */
    public static int snapshotFrameLength()
    {
        return PROPERTIES.intSize(SNAPSHOT_FRAME_LENGTH_PROP_NAME, SNAPSHOT_FRAME_LENGTH_DEFAULT, Integer.MAX_VALUE);
    }

    /**
     * {@link #CHRONICLE_POSIX_PROP_NAME} or its default.
     *
     * @return whether Chronicle may load its native POSIX binding.
     */
    public static boolean chroniclePosix()
    {
        return PROPERTIES.booleanValue(CHRONICLE_POSIX_PROP_NAME, CHRONICLE_POSIX_DEFAULT);
    }
}
