package io.cohort.transport;

import io.cohort.config.PropertySet;

import io.cohort.codec.CodecLimits;

import java.io.File;

/**
 * System properties that configure the transport, each with its default.
 */
public final class TransportConfiguration
{
    /** Address the sync and command sockets bind to. */
    public static final String BIND_ADDRESS_PROP_NAME = "cohort.bind.address";
    /** Default: every interface. */
    public static final String BIND_ADDRESS_DEFAULT = "0.0.0.0";

    /** Host other nodes connect to; empty means the bind address, or this host's address if that is 0.0.0.0. */
    public static final String ADVERTISED_HOST_PROP_NAME = "cohort.advertised.host";
    /** Default: derived from the bind address. */
    public static final String ADVERTISED_HOST_DEFAULT = "";

    /** Port of the command (ROUTER) socket; 0 picks a free port. */
    public static final String COMMAND_PORT_PROP_NAME = "cohort.command.port";
    /** Default command port, as in the system Cohort replaces. */
    public static final int COMMAND_PORT_DEFAULT = 7510;

    /** Port of the sync (publishing) socket; 0 picks a free port. */
    public static final String SYNC_PORT_PROP_NAME = "cohort.sync.port";
    /** Default sync port, as in the system Cohort replaces. */
    public static final int SYNC_PORT_DEFAULT = 7511;

    /** Largest frame sent, in bytes (suffixes k, m accepted): messages are batched up to it. */
    public static final String MAX_FRAME_LENGTH_PROP_NAME = "cohort.transport.max.frame.length";
    /** Default largest frame. */
    public static final int MAX_FRAME_LENGTH_DEFAULT = 64 * 1024;

    /**
     * Frames queued per subscriber at the publisher; with the receiver's own {@link #RECEIVE_HWM_PROP_NAME}, how far
     * a subscriber may fall behind before frames to it are dropped (it sees the gap, and repairs or leaves) rather
     * than held back from every subscriber.
     */
    public static final String SEND_HWM_PROP_NAME = "cohort.transport.send.hwm";
    /** Default send high-water mark, in frames. */
    public static final int SEND_HWM_DEFAULT = 10_000;

    /** Frames queued per connection on the receiving side. */
    public static final String RECEIVE_HWM_PROP_NAME = "cohort.transport.receive.hwm";
    /** Default receive high-water mark, in frames. */
    public static final int RECEIVE_HWM_DEFAULT = 10_000;

    /**
     * Kernel receive buffer of each sync subscription, in bytes (suffixes k, m). 0 leaves it to the operating system,
     * whose autotuning on Linux lets the connection of a subscriber that stopped reading hold tens of megabytes
     * (seconds of a busy stream) before the high-water marks even count; a fixed size bounds that share of a slow
     * subscriber's lag. (The publisher's send buffer cannot be set on a bound socket and stays the system's.)
     */
    public static final String RECEIVE_BUFFER_PROP_NAME = "cohort.transport.receive.buffer";
    /** Default kernel receive buffer of a sync subscription: the operating system's. */
    public static final int RECEIVE_BUFFER_DEFAULT = 0;
    /** Smallest kernel receive buffer accepted, in bytes, when one is set. */
    public static final int RECEIVE_BUFFER_MIN = 4096;

    /**
     * Most frames read from one socket per duty cycle, so one busy peer cannot starve the others; a member's stream
     * is read for at most cohort.slice.budget a cycle (its first frame always).
     */
    public static final String RECEIVE_BUDGET_PROP_NAME = "cohort.transport.receive.budget";
    /** Default receive budget. */
    public static final int RECEIVE_BUDGET_DEFAULT = 64;

    /** The cluster's CURVE key file; empty means CURVE is off. */
    public static final String CURVE_KEY_FILE_PROP_NAME = "cohort.curve.key.file";
    /** Default: CURVE off. */
    public static final String CURVE_KEY_FILE_DEFAULT = "";

    /** Directory of the counters files that {@code cohort stat} reads. */
    public static final String COUNTERS_DIR_PROP_NAME = "cohort.counters.dir";
    /**
     * Default: {@code /dev/shm/cohort} where {@code /dev/shm} exists (Linux: shared memory, so counters never
     * touch a disk), else {@code cohort} under {@code java.io.tmpdir}.
     */
    public static final String COUNTERS_DIR_DEFAULT = new File("/dev/shm").isDirectory() ?
        "/dev/shm/cohort" : System.getProperty("java.io.tmpdir") + File.separator + "cohort";

    /** Most counters in a node's counters file. */
    public static final String MAX_COUNTERS_PROP_NAME = "cohort.counters.max";
    /** Default most counters: enough for 64 peers. */
    public static final int MAX_COUNTERS_DEFAULT = 1024;

    /**
     * Class name of a {@link TransportFaultHooks} that breaks sync frames on purpose: for multi-process fault tests
     * only; empty means no hook, and no class is loaded.
     */
    public static final String FAULT_HOOKS_CLASS_PROP_NAME = "cohort.transport.fault.hooks.class";
    /** Default: no fault hooks. */
    public static final String FAULT_HOOKS_CLASS_DEFAULT = "";

    /** Frames larger than the codec's own frame limit cannot be received anywhere. */
    static final int MAX_FRAME_LENGTH_LIMIT = CodecLimits.MAX_FRAME_LENGTH_DEFAULT;

    /** Every property above, the one place the transport reads them through. */
    public static final PropertySet PROPERTIES = PropertySet.of(TransportConfiguration.class);

    private TransportConfiguration()
    {
    }
}
