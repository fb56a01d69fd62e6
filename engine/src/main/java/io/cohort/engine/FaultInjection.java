package io.cohort.engine;

import io.cohort.codec.FrameLayout;
import io.cohort.transport.ZmqTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.HashSet;
import java.util.Set;

/**
 * Test-only fault injection for multi-process tests, enabled only by {@code cohort.fault.*} system properties and
 * never active otherwise. Faults start when the trigger file ({@value #TRIGGER_FILE_PROP_NAME}) exists, so a test
 * can break a running cluster at the moment it chooses:
 * <ul>
 * <li>{@value #DROP_FROM_PROP_NAME}: comma-separated node ids whose sync frames this node drops from then on (a cut
 * link; give each side of a partition the other side's ids);</li>
 * <li>{@value #DROP_ONE_FROM_PROP_NAME}: a node id of which this node drops exactly one sync frame (a lossy
 * receive path);</li>
 * <li>{@value #CORRUPT_OUTGOING_PROP_NAME}: {@code true} to flip a bit in every sync frame this node sends (a
 * garbling sender).</li>
 * </ul>
 */
final class FaultInjection
{
    /** A file whose existence turns the faults on. */
    static final String TRIGGER_FILE_PROP_NAME = "cohort.fault.trigger.file";
    /** Node ids whose frames are dropped once triggered. */
    static final String DROP_FROM_PROP_NAME = "cohort.fault.drop.from";
    /** A node id of which one frame is dropped once triggered. */
    static final String DROP_ONE_FROM_PROP_NAME = "cohort.fault.drop.one.from";
    /** Corrupt every outgoing sync frame once triggered. */
    static final String CORRUPT_OUTGOING_PROP_NAME = "cohort.fault.corrupt.outgoing";

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);
    private static final long TRIGGER_CHECK_INTERVAL_NS = 10_000_000L;

    private final File trigger;
    private final Set<Long> dropFrom = new HashSet<>();
    private final long dropOneFrom;
    private final boolean corruptOutgoing;
    private boolean droppedOne;
    private boolean triggered;
    private long nextTriggerCheckNs;

    private FaultInjection(final File trigger, final String dropFrom, final String dropOneFrom, final boolean corrupt)
    {
        this.trigger = trigger;
        for (final String id : dropFrom.split(","))
        {
            if (!id.isBlank())
            {
                this.dropFrom.add(CohortContext.parseNodeId(id));
            }
        }
        this.dropOneFrom = dropOneFrom.isBlank() ? 0 : CohortContext.parseNodeId(dropOneFrom);
        this.corruptOutgoing = corrupt;
    }

    /**
     * Installs the faults configured by system properties on a transport, if any is configured.
     *
     * @param transport the node's transport.
     * @param nodeId    the node's id, for the log line.
     */
    static void installIfConfigured(final ZmqTransport transport, final long nodeId)
    {
        final String triggerFile = System.getProperty(TRIGGER_FILE_PROP_NAME, "");
        if (triggerFile.isBlank())
        {
            return;
        }
        final FaultInjection faults = new FaultInjection(new File(triggerFile),
            System.getProperty(DROP_FROM_PROP_NAME, ""), System.getProperty(DROP_ONE_FROM_PROP_NAME, ""),
            Boolean.parseBoolean(System.getProperty(CORRUPT_OUTGOING_PROP_NAME, "false")));
        LOG.warn("node {}: TEST FAULT INJECTION armed (trigger file {}): drop from {}, drop one from {}, corrupt " +
            "outgoing {}", ClusterCore.id(nodeId), triggerFile, faults.dropFrom, faults.dropOneFrom,
            faults.corruptOutgoing);
        transport.receiveFaultHook(faults::dropReceived);
        transport.sendFaultHook(faults::copiesToSend);
    }

    private boolean isTriggered()
    {
        if (!triggered)
        {
            final long now = System.nanoTime();
            if (now >= nextTriggerCheckNs)
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
            LOG.warn("TEST FAULT: dropped one frame from {}", ClusterCore.id(peerNodeId));
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
