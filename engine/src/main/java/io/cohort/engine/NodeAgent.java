package io.cohort.engine;

import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.cohort.transport.ZmqTransport;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * The node's duty cycle, run by an {@link org.agrona.concurrent.AgentRunner}: read the clock once, poll the
 * transport, drain the API queue (unless the outbound streams are back-pressured, which pushes the pressure
 * back to callers as {@link CallResult#BACK_PRESSURED}; a closed replication window does not stop the draining:
 * changed rooms coalesce meanwhile), run the protocol's timers, publish the {@link FlowGate}'s view of the queue,
 * flush batched frames, and
 * now and then refresh the node counters that {@code cohort stat} and JMX read.
 */
final class NodeAgent implements Agent
{
    private static final int API_COMMANDS_PER_CYCLE = 4096;

    private final ClusterCore core;
    private final ZmqTransport transport;
    private final ManyToOneRingBuffer apiQueue;
    private final NanoClock clock;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    private final NodeCounters nodeCounters;
    private final SubscriptionState state;
    private final MessageHandler apiHandler = this::onApiCommand;
    private final String roleName;
    private final AutoCloseable[] resources;

    NodeAgent(
        final ClusterCore core,
        final ZmqTransport transport,
        final ManyToOneRingBuffer apiQueue,
        final NanoClock clock,
        final CohortListener listener,
        final ErrorHandler errorHandler,
        final long nodeId,
        final NodeCounters nodeCounters,
        final SubscriptionState state,
        final AutoCloseable... resources)
    {
        this.nodeCounters = nodeCounters;
        this.state = state;
        this.resources = resources;
        this.core = core;
        this.transport = transport;
        this.apiQueue = apiQueue;
        this.clock = clock;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.roleName = "cohort-node-" + ClusterCore.id(nodeId);
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        core.beginCycle(nowNs);
        int workCount = transport.poll(core.syncHandler(), core.commandHandler());
        boolean drained = false;
        if (!transport.outbound().isBackPressured())
        {
            final int read = apiQueue.read(apiHandler, API_COMMANDS_PER_CYCLE);
            drained = read < API_COMMANDS_PER_CYCLE;
            workCount += read;
        }
        workCount += core.doWork(nowNs);
        core.flowControl().gate().onApiQueue(nowNs, drained, apiQueue.size(), apiQueue.capacity());
        workCount += transport.flush();
        if (0 != nodeCounters.update(nowNs, core, state))
        {
            transport.counters().commandTimeouts().setRelease(core.requestTimeouts());
        }
        return workCount;
    }

    /**
     * Closes what the node's thread owns, on that thread, after its last duty cycle.
     */
    public void onClose()
    {
        core.closed();
        CloseHelper.closeAll(resources);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return roleName;
    }

    private void onApiCommand(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (ApiCommands.LEAVE == type)
        {
            core.leave();
            return;
        }
        if (!core.acceptsApiCalls())
        {
            refused(type, buffer, offset);
            return;
        }
        switch (type)
        {
            case ApiCommands.SUBSCRIBE:
                check(RefusedOperation.SUBSCRIBE, buffer, offset,
                    core.subscribe(connectionId(buffer, offset), roomId(buffer, offset)));
                break;

            case ApiCommands.UNSUBSCRIBE:
                check(RefusedOperation.UNSUBSCRIBE, buffer, offset,
                    core.unsubscribe(connectionId(buffer, offset), roomId(buffer, offset)));
                break;

            case ApiCommands.DISCONNECT:
                core.disconnect(connectionId(buffer, offset));
                break;

            case ApiCommands.CREATE_ROOM:
            {
                final long roomId = buffer.getLong(offset, BYTE_ORDER);
                final StateResult result = core.createRoom(roomId, buffer, offset + ApiCommands.ROOM_BODY_OFFSET,
                    length - ApiCommands.ROOM_BODY_OFFSET);
                if (result.isRefusal())
                {
                    notifyRefused(RefusedOperation.CREATE_ROOM, 0, roomId, RefusalReason.of(result));
                }
                break;
            }

            case ApiCommands.REMOVE_ROOM:
                core.removeRoom(buffer.getLong(offset, BYTE_ORDER));
                break;

            case ApiCommands.PUBLISH:
                core.publish(buffer.getLong(offset, BYTE_ORDER), buffer, offset + ApiCommands.ROOM_BODY_OFFSET,
                    length - ApiCommands.ROOM_BODY_OFFSET);
                break;

            case ApiCommands.BROADCAST_EVENT:
            {
                final int nameLength = buffer.getInt(offset + ApiCommands.EVENT_NAME_LENGTH_OFFSET, BYTE_ORDER);
                final int payloadOffset = offset + ApiCommands.EVENT_NAME_OFFSET + nameLength;
                if (!core.broadcastEvent(buffer, offset + ApiCommands.EVENT_NAME_OFFSET, nameLength,
                    buffer, payloadOffset, offset + length - payloadOffset))
                {
                    notifyRefused(RefusedOperation.BROADCAST, 0, 0, RefusalReason.SYNC_BACK_PRESSURED);
                }
                break;
            }

            default:
                errorHandler.onError(new IllegalStateException("unknown API command type " + type));
                break;
        }
    }

    private static long connectionId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ApiCommands.CONNECTION_ID_OFFSET, BYTE_ORDER);
    }

    private static long roomId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ApiCommands.ROOM_ID_OFFSET, BYTE_ORDER);
    }

    private void check(
        final RefusedOperation operation, final DirectBuffer buffer, final int offset, final StateResult result)
    {
        if (result.isRefusal())
        {
            notifyRefused(operation, connectionId(buffer, offset), roomId(buffer, offset), RefusalReason.of(result));
        }
    }

    private void refused(final int type, final DirectBuffer buffer, final int offset)
    {
        final RefusalReason reason = RefusalReason.NOT_MEMBER;
        switch (type)
        {
            case ApiCommands.SUBSCRIBE:
            case ApiCommands.UNSUBSCRIBE:
                notifyRefused(ApiCommands.SUBSCRIBE == type ? RefusedOperation.SUBSCRIBE : RefusedOperation.UNSUBSCRIBE,
                    connectionId(buffer, offset), roomId(buffer, offset), reason);
                break;
            case ApiCommands.DISCONNECT:
                notifyRefused(RefusedOperation.DISCONNECT, connectionId(buffer, offset), 0, reason);
                break;
            case ApiCommands.CREATE_ROOM:
                notifyRefused(RefusedOperation.CREATE_ROOM, 0, buffer.getLong(offset, BYTE_ORDER), reason);
                break;
            case ApiCommands.REMOVE_ROOM:
                notifyRefused(RefusedOperation.REMOVE_ROOM, 0, buffer.getLong(offset, BYTE_ORDER), reason);
                break;
            case ApiCommands.PUBLISH:
                notifyRefused(RefusedOperation.PUBLISH, 0, buffer.getLong(offset, BYTE_ORDER), reason);
                break;
            case ApiCommands.BROADCAST_EVENT:
                notifyRefused(RefusedOperation.BROADCAST, 0, 0, reason);
                break;
            default:
                errorHandler.onError(new IllegalStateException("unknown API command type " + type));
                break;
        }
    }

    private void notifyRefused(
        final RefusedOperation operation, final long connectionId, final long roomId, final RefusalReason reason)
    {
        try
        {
            listener.onRefused(operation, connectionId, roomId, reason);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }
}
