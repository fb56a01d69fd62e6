package io.cohort.examples.gateway;

import io.cohort.config.KnownProperties;
import io.cohort.config.PropertySet;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own settings (the embedded node's are the {@code cohort.*} ones of
 * {@link io.cohort.engine.CohortContext}): defaults from {@code gateway.*} system properties, overridable with
 * setters, validated by {@link #conclude()} which names the offending {@code name=value}.
 */
public final class GatewayContext
{
    /** Port the WebSocket server listens on; 0 picks a free one. */
    public static final String PORT_PROP_NAME = "gateway.port";
    /** Default of {@link #PORT_PROP_NAME}. */
    public static final int PORT_DEFAULT = 8080;

    /** Address the WebSocket server binds: 127.0.0.1 by default, 0.0.0.0 to face real clients. */
    public static final String BIND_ADDRESS_PROP_NAME = "gateway.bind.address";
    /** Default of {@link #BIND_ADDRESS_PROP_NAME}. */
    public static final String BIND_ADDRESS_DEFAULT = "127.0.0.1";

    /**
     * How long a client's command keeps retrying a node call refused as BACK_PRESSURED (the node's queue is full)
     * before the client is answered {@code ERR BUSY}; a disconnect keeps retrying in the background past it.
     */
    public static final String CALL_RETRY_PROP_NAME = "gateway.call.retry";
    /** Default of {@link #CALL_RETRY_PROP_NAME}. */
    public static final String CALL_RETRY_DEFAULT = "100ms";

    /**
     * Frames that may wait to be written to one client: a client that falls further behind is disconnected
     * (close code 1008), never silently skipped.
     */
    public static final String MAX_PENDING_FRAMES_PROP_NAME = "gateway.max.pending.frames";
    /** Default of {@link #MAX_PENDING_FRAMES_PROP_NAME}. */
    public static final int MAX_PENDING_FRAMES_DEFAULT = 4096;

    /** A WebSocket connection silent for this long is closed. */
    public static final String IDLE_TIMEOUT_PROP_NAME = "gateway.idle.timeout";
    /** Default of {@link #IDLE_TIMEOUT_PROP_NAME}. */
    public static final String IDLE_TIMEOUT_DEFAULT = "300s";

    /** The URL path clients connect to: {@code ws://host:port/chat}. */
    public static final String PATH = "/chat";

    /** Every {@code gateway.*} property above, the one place the gateway reads them through. */
    public static final PropertySet PROPERTIES = PropertySet.of(GatewayContext.class);

    /** Every {@code gateway.*} name a launch accepts: the declared ones, nothing else. */
    static final KnownProperties KNOWN = new KnownProperties("gateway.", List.of(PROPERTIES), List.of(), List.of());

    private int port = PROPERTIES.intValue(PORT_PROP_NAME, PORT_DEFAULT);
    private String bindAddress = PROPERTIES.string(BIND_ADDRESS_PROP_NAME, BIND_ADDRESS_DEFAULT).trim();
    private long callRetryNs = PROPERTIES.durationNs(CALL_RETRY_PROP_NAME, CALL_RETRY_DEFAULT);
    private int maxPendingFrames = PROPERTIES.intValue(MAX_PENDING_FRAMES_PROP_NAME, MAX_PENDING_FRAMES_DEFAULT);
    private long idleTimeoutNs = PROPERTIES.durationNs(IDLE_TIMEOUT_PROP_NAME, IDLE_TIMEOUT_DEFAULT);

    /**
     * Validates every setting, and fails on a {@code gateway.*} system property not declared here.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the offending {@code name=value}, or an unknown {@code gateway.*}
     *                                  name with the closest declared one.
     */
    public GatewayContext conclude()
    {
        KNOWN.rejectUnknown(System.getProperties(), "system property");
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException(PORT_PROP_NAME + "=" + port + " is not a port (0 to 65535)");
        }
        if (bindAddress.isEmpty())
        {
            throw new IllegalArgumentException(BIND_ADDRESS_PROP_NAME + "= must name an address, e.g. 127.0.0.1");
        }
        if (callRetryNs < 0 || callRetryNs > TimeUnit.SECONDS.toNanos(10))
        {
            throw new IllegalArgumentException(CALL_RETRY_PROP_NAME + "=" + PropertySet.formatDuration(callRetryNs) +
                " must be between 0 and 10s: a client command waits that long at most");
        }
        if (maxPendingFrames < 1)
        {
            throw new IllegalArgumentException(MAX_PENDING_FRAMES_PROP_NAME + "=" + maxPendingFrames +
                " must be at least 1");
        }
        if (idleTimeoutNs < TimeUnit.SECONDS.toNanos(1))
        {
            throw new IllegalArgumentException(IDLE_TIMEOUT_PROP_NAME + "=" + PropertySet.formatDuration(idleTimeoutNs) +
                " must be at least 1s");
        }
        return this;
    }

    /**
     * Port the WebSocket server listens on.
     *
     * @return the port; 0 picks a free one.
     */
    public int port()
    {
        return port;
    }

    /**
     * Port the WebSocket server listens on.
     *
     * @param port the port; 0 picks a free one.
     * @return this for a fluent API.
     */
    public GatewayContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * Address the WebSocket server binds.
     *
     * @return e.g. {@code 127.0.0.1}.
     */
    public String bindAddress()
    {
        return bindAddress;
    }

    /**
     * Address the WebSocket server binds.
     *
     * @param bindAddress e.g. {@code 0.0.0.0}.
     * @return this for a fluent API.
     */
    public GatewayContext bindAddress(final String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * How long a client's command retries a BACK_PRESSURED node call.
     *
     * @return nanoseconds.
     */
    public long callRetryNs()
    {
        return callRetryNs;
    }

    /**
     * How long a client's command retries a BACK_PRESSURED node call.
     *
     * @param callRetryNs nanoseconds.
     * @return this for a fluent API.
     */
    public GatewayContext callRetryNs(final long callRetryNs)
    {
        this.callRetryNs = callRetryNs;
        return this;
    }

    /**
     * Frames that may wait to be written to one client before it is disconnected.
     *
     * @return the number of frames.
     */
    public int maxPendingFrames()
    {
        return maxPendingFrames;
    }

    /**
     * Frames that may wait to be written to one client before it is disconnected.
     *
     * @param maxPendingFrames the number of frames.
     * @return this for a fluent API.
     */
    public GatewayContext maxPendingFrames(final int maxPendingFrames)
    {
        this.maxPendingFrames = maxPendingFrames;
        return this;
    }

    /**
     * How long a silent WebSocket connection stays open.
     *
     * @return nanoseconds.
     */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /**
     * How long a silent WebSocket connection stays open.
     *
     * @param idleTimeoutNs nanoseconds.
     * @return this for a fluent API.
     */
    public GatewayContext idleTimeoutNs(final long idleTimeoutNs)
    {
        this.idleTimeoutNs = idleTimeoutNs;
        return this;
    }
}
