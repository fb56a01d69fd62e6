package io.cohort.engine;

import io.cohort.state.StateResult;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.MessageHandler;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;

/**
 * Carries out the API calls that {@link CohortNode} queued ({@link ApiCommands}), on the node's thread: each one
 * becomes a call on the {@link ClusterCore}, and a call the core refuses reaches the listener
 * ({@link CohortListener#onRefused}; a publish through {@link CohortListener#onPublishRefused}, with its payload).
 * Read from the API queue by the {@link NodeAgent}; a test drives it from its own queue the same way.
 */
final class ApiDispatcher implements MessageHandler
{
    private final ClusterCore core;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    // Null unless the listener opted in (a latency tool): the hot path then pays one null check.
    private final LatencyStageObserver stageObserver;

    ApiDispatcher(final ClusterCore core, final CohortListener listener, final ErrorHandler errorHandler)
    {
        this.core = core;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.stageObserver = NodeStatusListener.stageObserverOf(listener);
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (ApiCommands.LEAVE == type)
        {
            core.leave();
            return;
        }
        if (!core.acceptsApiCalls())
        {
            refused(type, buffer, offset, length);
            return;
        }
        switch (type)
        {
            case ApiCommands.SUBSCRIBE:
                if (null != stageObserver)
                {
                    stageObserver.onSubscribeTaken(connectionId(buffer, offset), roomId(buffer, offset));
                }
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
            {
                final long roomId = buffer.getLong(offset, BYTE_ORDER);
                if (StateResult.ROOM_IN_USE == core.removeRoom(roomId))
                {
                    // Removing a room that is already gone changes nothing and is no refusal; one in use is.
                    notifyRefused(RefusedOperation.REMOVE_ROOM, 0, roomId, RefusalReason.ROOM_IN_USE);
                }
                break;
            }

            case ApiCommands.PUBLISH:
            {
                final long roomId = buffer.getLong(offset, BYTE_ORDER);
                final int payloadOffset = offset + ApiCommands.ROOM_BODY_OFFSET;
                final int payloadLength = length - ApiCommands.ROOM_BODY_OFFSET;
                if (SyncPublisher.REFUSED == core.publish(roomId, buffer, payloadOffset, payloadLength))
                {
                    // Refused whole by a destination without credit: delivered nowhere, and the caller learns it.
                    notifyPublishRefused(roomId, buffer, payloadOffset, payloadLength,
                        RefusalReason.NOTIFICATION_BACK_PRESSURED);
                }
                break;
            }

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

    private void refused(final int type, final DirectBuffer buffer, final int offset, final int length)
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
                notifyPublishRefused(buffer.getLong(offset, BYTE_ORDER), buffer, offset + ApiCommands.ROOM_BODY_OFFSET,
                    length - ApiCommands.ROOM_BODY_OFFSET, reason);
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

    private void notifyPublishRefused(
        final long roomId, final DirectBuffer buffer, final int offset, final int length, final RefusalReason reason)
    {
        try
        {
            listener.onPublishRefused(roomId, buffer, offset, length, reason);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }
}
