package io.cohort.transport;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.FrameLayout;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static io.cohort.transport.TransportConfiguration.*;

/**
 * The transport's configuration: defaults from {@code cohort.*} system properties ({@link TransportConfiguration}),
 * overridable by setters, validated by {@link #conclude()}.
 */
public final class TransportContext
{
    private long clusterId = FrameLayout.ANY_CLUSTER;
    private long nodeId;
    private long incarnation;
    private String bindAddress = PROPERTIES.string(BIND_ADDRESS_PROP_NAME, BIND_ADDRESS_DEFAULT);
    private String advertisedHost = PROPERTIES.string(ADVERTISED_HOST_PROP_NAME, ADVERTISED_HOST_DEFAULT);
    private int commandPort = PROPERTIES.intValue(COMMAND_PORT_PROP_NAME, COMMAND_PORT_DEFAULT);
    private int syncPort = PROPERTIES.intValue(SYNC_PORT_PROP_NAME, SYNC_PORT_DEFAULT);
    private int maxFrameLength =
        PROPERTIES.intSize(MAX_FRAME_LENGTH_PROP_NAME, MAX_FRAME_LENGTH_DEFAULT, Integer.MAX_VALUE);
    private int sendHighWaterMark = PROPERTIES.intValue(SEND_HWM_PROP_NAME, SEND_HWM_DEFAULT);
    private int receiveHighWaterMark = PROPERTIES.intValue(RECEIVE_HWM_PROP_NAME, RECEIVE_HWM_DEFAULT);
    private int receiveBudget = PROPERTIES.intValue(RECEIVE_BUDGET_PROP_NAME, RECEIVE_BUDGET_DEFAULT);
    private int receiveBuffer = PROPERTIES.intSize(RECEIVE_BUFFER_PROP_NAME, RECEIVE_BUFFER_DEFAULT, Integer.MAX_VALUE);
    private String curveKeyFile = PROPERTIES.string(CURVE_KEY_FILE_PROP_NAME, CURVE_KEY_FILE_DEFAULT);
    private String countersDir = PROPERTIES.string(COUNTERS_DIR_PROP_NAME, COUNTERS_DIR_DEFAULT);
    private int maxCounters = PROPERTIES.intValue(MAX_COUNTERS_PROP_NAME, MAX_COUNTERS_DEFAULT);
    private CodecLimits codecLimits = CodecLimits.DEFAULT;
    private CurveKeys curveKeys;
    private String faultHooksClassName = PROPERTIES.string(FAULT_HOOKS_CLASS_PROP_NAME, FAULT_HOOKS_CLASS_DEFAULT);
    private TransportFaultHooks faultHooks;

    /**
     * Validates the configuration and derives what was left unset (advertised host, CURVE keys).
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the offending {@code name=value}.
     */
    public TransportContext conclude()
    {
        if (0 == nodeId)
        {
            throw new IllegalArgumentException("nodeId=0 is reserved: give every node a non-zero id");
        }
        requirePort(COMMAND_PORT_PROP_NAME, commandPort);
        requirePort(SYNC_PORT_PROP_NAME, syncPort);
        if (commandPort == syncPort && 0 != syncPort)
        {
            throw new IllegalArgumentException(COMMAND_PORT_PROP_NAME + "=" + commandPort + " must differ from " +
                SYNC_PORT_PROP_NAME + "=" + syncPort);
        }
        if (maxFrameLength < FrameLayout.MIN_FRAME_LENGTH + 1024 || maxFrameLength > codecLimits.maxFrameLength())
        {
            throw new IllegalArgumentException(MAX_FRAME_LENGTH_PROP_NAME + "=" + maxFrameLength + " must be within [" +
                (FrameLayout.MIN_FRAME_LENGTH + 1024) + ", " + codecLimits.maxFrameLength() + "]");
        }
        requirePositive(SEND_HWM_PROP_NAME, sendHighWaterMark);
        requirePositive(RECEIVE_HWM_PROP_NAME, receiveHighWaterMark);
        requirePositive(RECEIVE_BUDGET_PROP_NAME, receiveBudget);
        if (0 != receiveBuffer && receiveBuffer < RECEIVE_BUFFER_MIN)
        {
            throw new IllegalArgumentException(RECEIVE_BUFFER_PROP_NAME + "=" + receiveBuffer + " must be 0 (the " +
                "operating system's) or at least " + RECEIVE_BUFFER_MIN);
        }
        requirePositive(MAX_COUNTERS_PROP_NAME, maxCounters);
        if (null == bindAddress || bindAddress.isBlank())
        {
            throw new IllegalArgumentException(BIND_ADDRESS_PROP_NAME + "=" + bindAddress + " must name an address");
        }
        if (null == advertisedHost || advertisedHost.isBlank())
        {
            advertisedHost = "0.0.0.0".equals(bindAddress) || "*".equals(bindAddress) ? localHostAddress() : bindAddress;
        }
        if (null == curveKeys && null != curveKeyFile && !curveKeyFile.isBlank())
        {
            final File file = new File(curveKeyFile);
            if (!file.isFile())
            {
                throw new IllegalArgumentException(CURVE_KEY_FILE_PROP_NAME + "=" + curveKeyFile + " does not exist");
            }
            curveKeys = CurveKeys.load(file);
        }
        if (null == faultHooks && null != faultHooksClassName && !faultHooksClassName.isBlank())
        {
            faultHooks = newFaultHooks(faultHooksClassName.trim());
        }
        return this;
    }

    private static TransportFaultHooks newFaultHooks(final String className)
    {
        try
        {
            return Class.forName(className).asSubclass(TransportFaultHooks.class).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | ClassCastException ex)
        {
            throw new IllegalArgumentException(FAULT_HOOKS_CLASS_PROP_NAME + "=" + className + " is not a " +
                TransportFaultHooks.class.getSimpleName() + " with a public no-argument constructor: " + ex, ex);
        }
    }

    private static String localHostAddress()
    {
        try
        {
            return InetAddress.getLocalHost().getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("cannot resolve this host's address: set " + ADVERTISED_HOST_PROP_NAME, ex);
        }
    }

    private static void requirePort(final String name, final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException(name + "=" + port + " is not a port (0 picks a free one)");
        }
    }

    private static void requirePositive(final String name, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " must be positive");
        }
    }

    /**
     * This node's cluster id (the engine sets the hash of {@code cohort.cluster.name}): stamped on every frame sent,
     * and every frame received with another is refused.
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
     * @param clusterId the cluster id, or {@link FrameLayout#ANY_CLUSTER} to fence nothing (transport-only use).
     * @return this for a fluent API.
     */
    public TransportContext clusterId(final long clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /**
     * This node's id.
     *
     * @return the node id.
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * Sets this node's id (non-zero).
     *
     * @param nodeId the node id.
     * @return this for a fluent API.
     */
    public TransportContext nodeId(final long nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * This node's incarnation.
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Sets this node's incarnation.
     *
     * @param incarnation e.g. the start time.
     * @return this for a fluent API.
     */
    public TransportContext incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
        return this;
    }

    /**
     * Address the sockets bind to.
     *
     * @return the bind address.
     */
    public String bindAddress()
    {
        return bindAddress;
    }

    /**
     * Sets the address the sockets bind to.
     *
     * @param bindAddress e.g. {@code 127.0.0.1}.
     * @return this for a fluent API.
     */
    public TransportContext bindAddress(final String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * Host other nodes connect to.
     *
     * @return the advertised host.
     */
    public String advertisedHost()
    {
        return advertisedHost;
    }

    /**
     * Sets the host other nodes connect to.
     *
     * @param advertisedHost a host name or address.
     * @return this for a fluent API.
     */
    public TransportContext advertisedHost(final String advertisedHost)
    {
        this.advertisedHost = advertisedHost;
        return this;
    }

    /**
     * Command port.
     *
     * @return the port, 0 for any free one.
     */
    public int commandPort()
    {
        return commandPort;
    }

    /**
     * Sets the command port.
     *
     * @param commandPort the port, 0 for any free one.
     * @return this for a fluent API.
     */
    public TransportContext commandPort(final int commandPort)
    {
        this.commandPort = commandPort;
        return this;
    }

    /**
     * Sync port.
     *
     * @return the port, 0 for any free one.
     */
    public int syncPort()
    {
        return syncPort;
    }

    /**
     * Sets the sync port.
     *
     * @param syncPort the port, 0 for any free one.
     * @return this for a fluent API.
     */
    public TransportContext syncPort(final int syncPort)
    {
        this.syncPort = syncPort;
        return this;
    }

    /**
     * Largest frame sent.
     *
     * @return bytes.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * Sets the largest frame sent.
     *
     * @param maxFrameLength bytes.
     * @return this for a fluent API.
     */
    public TransportContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * Send high-water mark per subscriber.
     *
     * @return frames.
     */
    public int sendHighWaterMark()
    {
        return sendHighWaterMark;
    }

    /**
     * Sets the send high-water mark per subscriber.
     *
     * @param sendHighWaterMark frames.
     * @return this for a fluent API.
     */
    public TransportContext sendHighWaterMark(final int sendHighWaterMark)
    {
        this.sendHighWaterMark = sendHighWaterMark;
        return this;
    }

    /**
     * Kernel receive buffer of each sync subscription ({@link TransportConfiguration#RECEIVE_BUFFER_PROP_NAME}).
     *
     * @return bytes, 0 for the operating system's.
     */
    public int receiveBuffer()
    {
        return receiveBuffer;
    }

    /**
     * Sets the kernel receive buffer of each sync subscription.
     *
     * @param receiveBuffer bytes, 0 for the operating system's, else at least
     *                     {@link TransportConfiguration#RECEIVE_BUFFER_MIN}.
     * @return this for a fluent API.
     */
    public TransportContext receiveBuffer(final int receiveBuffer)
    {
        this.receiveBuffer = receiveBuffer;
        return this;
    }

    /**
     * Receive high-water mark per connection.
     *
     * @return frames.
     */
    public int receiveHighWaterMark()
    {
        return receiveHighWaterMark;
    }

    /**
     * Sets the receive high-water mark per connection.
     *
     * @param receiveHighWaterMark frames.
     * @return this for a fluent API.
     */
    public TransportContext receiveHighWaterMark(final int receiveHighWaterMark)
    {
        this.receiveHighWaterMark = receiveHighWaterMark;
        return this;
    }

    /**
     * Most frames read from one socket per duty cycle.
     *
     * @return the budget.
     */
    public int receiveBudget()
    {
        return receiveBudget;
    }

    /**
     * Sets the most frames read from one socket per duty cycle.
     *
     * @param receiveBudget the budget.
     * @return this for a fluent API.
     */
    public TransportContext receiveBudget(final int receiveBudget)
    {
        this.receiveBudget = receiveBudget;
        return this;
    }

    /**
     * The CURVE key file.
     *
     * @return its path, empty when CURVE is off.
     */
    public String curveKeyFile()
    {
        return curveKeyFile;
    }

    /**
     * Sets the CURVE key file.
     *
     * @param curveKeyFile its path, empty to turn CURVE off.
     * @return this for a fluent API.
     */
    public TransportContext curveKeyFile(final String curveKeyFile)
    {
        this.curveKeyFile = curveKeyFile;
        return this;
    }

    /**
     * The cluster's CURVE keys.
     *
     * @return the keys, or null when CURVE is off.
     */
    public CurveKeys curveKeys()
    {
        return curveKeys;
    }

    /**
     * Sets the cluster's CURVE keys directly (instead of a key file).
     *
     * @param curveKeys the keys, or null for CURVE off.
     * @return this for a fluent API.
     */
    public TransportContext curveKeys(final CurveKeys curveKeys)
    {
        this.curveKeys = curveKeys;
        return this;
    }

    /**
     * Directory of counters files.
     *
     * @return the directory.
     */
    public String countersDir()
    {
        return countersDir;
    }

    /**
     * Sets the directory of counters files.
     *
     * @param countersDir the directory.
     * @return this for a fluent API.
     */
    public TransportContext countersDir(final String countersDir)
    {
        this.countersDir = countersDir;
        return this;
    }

    /**
     * Most counters in the counters file.
     *
     * @return the count.
     */
    public int maxCounters()
    {
        return maxCounters;
    }

    /**
     * Sets the most counters in the counters file.
     *
     * @param maxCounters the count.
     * @return this for a fluent API.
     */
    public TransportContext maxCounters(final int maxCounters)
    {
        this.maxCounters = maxCounters;
        return this;
    }

    /**
     * Limits every received frame must respect.
     *
     * @return the codec limits.
     */
    public CodecLimits codecLimits()
    {
        return codecLimits;
    }

    /**
     * Sets the limits every received frame must respect.
     *
     * @param codecLimits the codec limits, the same on every node.
     * @return this for a fluent API.
     */
    public TransportContext codecLimits(final CodecLimits codecLimits)
    {
        this.codecLimits = codecLimits;
        return this;
    }

    /**
     * Class name of the {@link TransportFaultHooks} to install, read from
     * {@link TransportConfiguration#FAULT_HOOKS_CLASS_PROP_NAME}; empty for none.
     *
     * @return the class name.
     */
    public String faultHooksClassName()
    {
        return faultHooksClassName;
    }

    /**
     * Sets the class name of the {@link TransportFaultHooks} that {@link #conclude()} instantiates (tests only).
     *
     * @param faultHooksClassName the class name, or empty for none.
     * @return this for a fluent API.
     */
    public TransportContext faultHooksClassName(final String faultHooksClassName)
    {
        this.faultHooksClassName = faultHooksClassName;
        return this;
    }

    /**
     * The fault hooks the transport installs when it starts.
     *
     * @return the hooks, or null (the default) for none.
     */
    public TransportFaultHooks faultHooks()
    {
        return faultHooks;
    }

    /**
     * Sets the fault hooks the transport installs when it starts (tests only); wins over
     * {@link #faultHooksClassName()}.
     *
     * @param faultHooks the hooks, or null for none.
     * @return this for a fluent API.
     */
    public TransportContext faultHooks(final TransportFaultHooks faultHooks)
    {
        this.faultHooks = faultHooks;
        return this;
    }
}
