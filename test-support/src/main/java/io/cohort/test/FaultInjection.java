package io.cohort.test;

import io.cohort.codec.FrameLayout;
import io.cohort.transport.ReceiveFaultHook;
import io.cohort.transport.SendFaultHook;
import io.cohort.transport.TransportConfiguration;
import io.cohort.transport.TransportContext;
import io.cohort.transport.TransportFaultHooks;
import io.cohort.transport.ZmqTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fault hooks for multi-process tests, installed in a child node with
 * {@code -Dcohort.transport.fault.hooks.class=io.cohort.test.FaultInjection} ({@link #hooksProperty()}) and
 * configured by {@code cohort.fault.*} system properties. Faults start when the trigger file
 * ({@value #TRIGGER_FILE_PROP_NAME}) exists, so a test can break a running cluster at the moment it chooses:
 * <ul>
 * <li>{@value #DROP_FROM_PROP_NAME}: comma-separated node ids whose sync and command frames this node drops from
 * then on (a cut link; give each side of a partition the other side's ids);</li>
 * <li>{@value #DROP_ONE_FROM_PROP_NAME}: a node id of which this node drops exactly one sync frame (a lossy
 * receive path);</li>
 * <li>{@value #CORRUPT_OUTGOING_PROP_NAME}: {@code true} to flip a bit in every sync frame this node sends (a
 * garbling sender).</li>
 * </ul>
 * Node ids are decimal or {@code 0x} hexadecimal.
 */
public final class FaultInjection implements TransportFaultHooks
{
    /** A file whose existence turns the faults on. */
    public static final String TRIGGER_FILE_PROP_NAME = "cohort.fault.trigger.file";
    /** Node ids whose frames are dropped once triggered. */
    public static final String DROP_FROM_PROP_NAME = "cohort.fault.drop.from";
    /** A node id of which one frame is dropped once triggered. */
    public static final String DROP_ONE_FROM_PROP_NAME = "cohort.fault.drop.one.from";
    /** Corrupt every outgoing sync frame once triggered. */
    public static final String CORRUPT_OUTGOING_PROP_NAME = "cohort.fault.corrupt.outgoing";

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    private static final long TRIGGER_CHECK_INTERVAL_NS = 10_000_000L;

    private final File trigger;
    private final Set<Long> dropFrom = new HashSet<>();
    private final long dropOneFrom;
    private final boolean corruptOutgoing;
    private boolean droppedOne;
    private boolean triggered;
    private long nextTriggerCheckNs;

    /**
     * Faults as the {@code cohort.fault.*} system properties configure them; the transport's context
     * instantiates it by class name.
     *
     * @throws IllegalArgumentException if {@value #TRIGGER_FILE_PROP_NAME} is not set or an id is malformed.
     */
    public FaultInjection()
    {
        final String triggerFile = System.getProperty(TRIGGER_FILE_PROP_NAME, "");
        if (triggerFile.isBlank())
        {
            throw new IllegalArgumentException(TRIGGER_FILE_PROP_NAME + " is not set: faults need a trigger file");
        }
        this.trigger = new File(triggerFile);
        for (final String id : System.getProperty(DROP_FROM_PROP_NAME, "").split(","))
        {
            if (!id.isBlank())
            {
                dropFrom.add(parseNodeId(DROP_FROM_PROP_NAME, id));
            }
        }
        final String one = System.getProperty(DROP_ONE_FROM_PROP_NAME, "");
        this.dropOneFrom = one.isBlank() ? 0 : parseNodeId(DROP_ONE_FROM_PROP_NAME, one);
        this.corruptOutgoing = Boolean.parseBoolean(System.getProperty(CORRUPT_OUTGOING_PROP_NAME, "false"));
        this.nextTriggerCheckNs = System.nanoTime();
    }

    /**
     * The system property definitions that install these faults in a child JVM.
     *
     * @param trigger the file whose creation starts the faults.
     * @param faults  {@code -Dcohort.fault.*=...} definitions.
     * @return {@code -D} definitions for the child.
     */
    public static List<String> childProperties(final File trigger, final List<String> faults)
    {
        final List<String> properties = new ArrayList<>();
        properties.add(hooksProperty());
        properties.add("-D" + TRIGGER_FILE_PROP_NAME + "=" + trigger.getPath());
        properties.addAll(faults);
        return properties;
    }

    /**
     * The definition that names this class as the transport's fault hooks.
     *
     * @return {@code -Dcohort.transport.fault.hooks.class=io.cohort.test.FaultInjection}.
     */
    public static String hooksProperty()
    {
        return "-D" + TransportConfiguration.FAULT_HOOKS_CLASS_PROP_NAME + "=" + FaultInjection.class.getName();
    }

    /**
     * {@inheritDoc}
     */
    public SendFaultHook sendFaultHook(final TransportContext context)
    {
        LOG.warn("node {}: TEST FAULT INJECTION armed (trigger file {}): drop from {}, drop one from {}, corrupt " +
            "outgoing {}", hex(context.nodeId()), trigger, dropFrom, hex(dropOneFrom), corruptOutgoing);
        return this::copiesToSend;
    }

    /**
     * {@inheritDoc}
     */
    public ReceiveFaultHook receiveFaultHook(final TransportContext context)
    {
        return new ReceiveFaultHook()
        {
            public boolean drop(final long peerNodeId, final byte[] message)
            {
                return dropReceived(peerNodeId, message);
            }

            public boolean dropCommand(final long senderNodeId)
            {
                // A dropped link is cut both ways: its command channel, where liveness travels, too.
                return isTriggered() && dropFrom.contains(senderNodeId);
            }
        };
    }

    private static long parseNodeId(final String name, final String value)
    {
        final String trimmed = value.trim();
        try
        {
            return trimmed.startsWith("0x") ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not a node id", ex);
        }
    }

    private static String hex(final long nodeId)
    {
        return String.format("%016x", nodeId);
    }

    private boolean isTriggered()
    {
        if (!triggered)
        {
            final long now = System.nanoTime();
            if (now - nextTriggerCheckNs >= 0)
            {
                nextTriggerCheckNs = now + TRIGGER_CHECK_INTERVAL_NS;
                triggered = trigger.exists();
            }
        }
        return triggered;
    }

    private boolean dropReceived(final long peerNodeId, final byte[] message)
    {
        if (!isTriggered())
        {
            return false;
        }
        if (dropFrom.contains(peerNodeId))
        {
            return true;
        }
        if (!droppedOne && peerNodeId == dropOneFrom)
        {
            droppedOne = true;
            LOG.warn("TEST FAULT: dropped one frame from {}", hex(peerNodeId));
            return true;
        }
        return false;
    }

    private int copiesToSend(final long destinationNodeId, final byte[] message)
    {
        if (corruptOutgoing && isTriggered() && message.length > ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH)
        {
            message[ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH] ^= 0x01;
        }
        return 1;
    }
}
