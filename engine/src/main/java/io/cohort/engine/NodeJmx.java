package io.cohort.engine;

import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link CohortNodeMXBean} of one node and its registration. Counter reads go to the node's mapped counters
 * file, which the node unmaps when it closes: reads and {@link #close()} are serialised on this object, and a
 * closed view reads nothing, so a JMX client racing a close can never touch unmapped memory.
 */
final class NodeJmx implements CohortNodeMXBean, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeJmx.class);
    /** Domain of Cohort's MBeans. */
    static final String DOMAIN = "io.cohort";

    private final CohortNode node;
    private final NodeCounters counters;
    private final CountersReader countersReader;
    private final String countersFile;
    private ObjectName registeredName;
    private boolean closed;

    NodeJmx(final CohortNode node, final NodeCounters counters, final CountersReader countersReader,
        final String countersFile)
    {
        this.node = node;
        this.counters = counters;
        this.countersReader = countersReader;
        this.countersFile = countersFile;
    }

    /**
     * The name a node's MBean is registered under: stable across restarts, unlike the node id.
     *
     * @param name the node's stable name, {@link CohortNode#name()}.
     * @return {@code io.cohort:type=Node,name=<name>}.
     */
    static ObjectName objectName(final String name)
    {
        try
        {
            return new ObjectName(DOMAIN + ":type=Node,name=" + name);
        }
        catch (final JMException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Registers with the platform MBean server. Another MBean of the same name fails the launch: a second node of
     * the same name in one JVM would otherwise go unseen, or be mistaken for the first. Any other failure is logged
     * and leaves the node without JMX.
     *
     * @throws IllegalStateException naming {@code cohort.jmx.name} if the name is taken in this JVM.
     */
    void register()
    {
        final ObjectName name = objectName(node.name());
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try
        {
            server.registerMBean(this, name);
            registeredName = name;
        }
        catch (final InstanceAlreadyExistsException ex)
        {
            throw new IllegalStateException(CohortConfiguration.JMX_NAME_PROP_NAME + "=" + node.name() + ": " + name +
                " is already registered in this JVM by another node: give each node its own " +
                CohortConfiguration.JMX_NAME_PROP_NAME + ", or set " + CohortConfiguration.JMX_ENABLED_PROP_NAME +
                "=false", ex);
        }
        catch (final JMException ex)
        {
            LOG.warn("node {}: JMX view not registered as {}: {}", ClusterCore.id(node.nodeId()), name, ex.toString());
        }
    }

    /**
     * Unregisters, and stops reading the counters file; idempotent.
     */
    public synchronized void close()
    {
        closed = true;
        if (null != registeredName)
        {
            try
            {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registeredName);
            }
            catch (final JMException ex)
            {
                LOG.warn("node {}: JMX view {} not unregistered: {}", ClusterCore.id(node.nodeId()), registeredName,
                    ex.toString());
            }
            registeredName = null;
        }
    }

    /**
     * {@inheritDoc}
     */
    public String getNodeId()
    {
        return ClusterCore.id(node.nodeId());
    }

    /**
     * {@inheritDoc}
     */
    public long getIncarnation()
    {
        return node.incarnation();
    }

    /**
     * {@inheritDoc}
     */
    public String getState()
    {
        return node.state().name();
    }

    /**
     * {@inheritDoc}
     */
    public String getFailure()
    {
        return node.failure();
    }

    /**
     * {@inheritDoc}
     */
    public int getMemberCount()
    {
        return node.members().length + 1;
    }

    /**
     * {@inheritDoc}
     */
    public String[] getMembers()
    {
        final long[] ids = node.members();
        final String[] names = new String[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            names[i] = ClusterCore.id(ids[i]);
        }
        return names;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized long getRooms()
    {
        return closed ? 0 : counters.rooms();
    }

    /**
     * {@inheritDoc}
     */
    public synchronized long getConnections()
    {
        return closed ? 0 : counters.connections();
    }

    /**
     * {@inheritDoc}
     */
    public synchronized long getSubscriptions()
    {
        return closed ? 0 : counters.subscriptions();
    }

    /**
     * {@inheritDoc}
     */
    public synchronized long getEvictions()
    {
        return closed ? 0 : counters.evictions();
    }

    /**
     * {@inheritDoc}
     */
    public String getSyncEndpoint()
    {
        return node.syncEndpoint();
    }

    /**
     * {@inheritDoc}
     */
    public String getCommandEndpoint()
    {
        return node.commandEndpoint();
    }

    /**
     * {@inheritDoc}
     */
    public String getCountersFile()
    {
        return countersFile;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized Map<String, Long> getCounters()
    {
        final Map<String, Long> values = new TreeMap<>();
        if (!closed)
        {
            countersReader.forEach((value, counterId, label) -> values.put(label, value));
        }
        return values;
    }

    /**
     * {@inheritDoc}
     */
    public void leave()
    {
        LOG.info("node {}: leave requested through JMX", ClusterCore.id(node.nodeId()));
        node.close();
    }
}
