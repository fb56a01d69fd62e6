package io.cohort.engine;

import io.cohort.codec.ClusterEventDecoder;
import io.cohort.codec.MessageType;
import io.cohort.codec.NotificationDecoder;
import io.cohort.codec.RoomCountDecoder;
import io.cohort.codec.RoomCreatedDecoder;
import io.cohort.codec.RoomRemovedDecoder;
import io.cohort.codec.RoomWantedDecoder;
import io.cohort.state.StateResult;
import io.cohort.state.SubscriptionState;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

/**
 * Applies what other members publish to this node's replicas of their rows and rooms, and tells the backend's
 * listener. A listener that throws is reported and never stops the node's loop.
 */
final class ReplicaApplier
{
    private final SubscriptionState state;
    private final CohortListener listener;
    private final ErrorHandler errorHandler;
    // Null unless the listener opted in: the hot path then pays one null check and no call.
    private final ReplicaObserver replicaObserver;
    // Null unless the listener opted in (a latency tool), as the replica observer.
    private final LatencyStageObserver stageObserver;
    private final SyncPublisher publisher;
    private final CoveredCreations coveredCreations;
    private final RoomHistory roomHistory;
    private final RoomCountDecoder roomCountDecoder = new RoomCountDecoder();
    private final RoomCreatedDecoder roomCreatedDecoder = new RoomCreatedDecoder();
    private final RoomRemovedDecoder roomRemovedDecoder = new RoomRemovedDecoder();
    private final RoomWantedDecoder roomWantedDecoder = new RoomWantedDecoder();
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();
    private final ClusterEventDecoder clusterEventDecoder = new ClusterEventDecoder();
    private long roomChangesInTable;
    private long lostRemovalsRecovered;

    /**
     * @param replicaObserver told of every applied count of another member, or null (the usual case).
     * @param publisher       this node's stream, for the room changes applying a member's makes necessary: a room
     *                        kept in use announced again, a room missed asked for, a removal not yet published dropped.
     * @param coveredCreations the creations removals this node applied first have undone.
     * @param roomHistory      the rooms' recent creations and removals applied here.
     */
    ReplicaApplier(
        final SubscriptionState state,
        final CohortListener listener,
        final ReplicaObserver replicaObserver,
        final ErrorHandler errorHandler,
        final SyncPublisher publisher,
        final CoveredCreations coveredCreations,
        final RoomHistory roomHistory)
    {
        this.roomHistory = roomHistory;
        this.publisher = publisher;
        this.coveredCreations = coveredCreations;
        this.state = state;
        this.listener = listener;
        this.replicaObserver = replicaObserver;
        this.errorHandler = errorHandler;
        this.stageObserver = NodeStatusListener.stageObserverOf(listener);
    }

    /**
     * @return room changes of members not applied because the room table loaded from the room source held them.
     */
    long roomChangesInTable()
    {
        return roomChangesInTable;
    }

    /**
     * Applies a state-changing message (room count, room created, room removed) of a member.
     *
     * @param member   the sender.
     * @param sequence the message's sequence on the member's broadcast stream.
     * @param type     the message's type.
     * @param buffer   holding its body.
     * @param offset   where the body starts.
     * @param length   the body's length.
     */
    void apply(
        final Member member,
        final long sequence,
        final int type,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (sequence <= member.roomTableThrough &&
            (MessageType.ROOM_CREATED == type || MessageType.ROOM_REMOVED == type))
        {
            // Already in the room table loaded from the room source, with every creation it undid (RoomTableStreams).
            roomChangesInTable++;
            if (MessageType.ROOM_REMOVED == type)
            {
                removalApplied(member, sequence, roomRemovedDecoder.wrap(buffer, offset, length).roomId());
            }
            else
            {
                final long roomId = roomCreatedDecoder.wrap(buffer, offset, length).roomId();
                if (state.roomExists(roomId))
                {
                    roomHistory.onCreation(roomId, member.nodeId, member.incarnation, sequence);
                }
            }
            return;
        }
        switch (type)
        {
            case MessageType.ROOM_COUNT:
            {
                final RoomCountDecoder roomCount = roomCountDecoder.wrap(buffer, offset, length);
                if (null != stageObserver)
                {
                    stageObserver.onCountReceived(member.nodeId, roomCount.roomId(), roomCount.count());
                }
                final StateResult result = state.applyRemote(member.nodeId, roomCount.roomId(), roomCount.count());
                if (null != stageObserver && !result.isRefusal())
                {
                    stageObserver.onCountApplied(member.nodeId, roomCount.roomId(), roomCount.count());
                }
                if (result.isRefusal())
                {
                    errorHandler.onError(new IllegalStateException("count of room " + roomCount.roomId() +
                        " from " + member + " refused: " + result));
                }
                else
                {
                    if (StateResult.APPLIED == result && state.appliedFromZero() &&
                        !state.roomExists(roomCount.roomId()))
                    {
                        // The member has subscribers in a room this node never applied the creation of: its
                        // sender left before this node had its stream (a room has no owner to resync it from).
                        publisher.roomWanted(roomCount.roomId());
                    }
                    if (null != replicaObserver)
                    {
                        observeCount(member.nodeId, roomCount.roomId(), roomCount.count());
                    }
                }
                break;
            }

            case MessageType.ROOM_CREATED:
            {
                final RoomCreatedDecoder room = roomCreatedDecoder.wrap(buffer, offset, length);
                if (coveredCreations.covers(room.roomId(), member, sequence))
                {
                    // A removal sent by a member that had applied this creation reached this node first.
                    break;
                }
                final StateResult result = state.createRoom(room);
                if (StateResult.ROOM_CREATED == result || StateResult.ROOM_EXISTS == result)
                {
                    roomHistory.onCreation(room.roomId(), member.nodeId, member.incarnation, sequence,
                        StateResult.ROOM_CREATED == result);
                }
                if (StateResult.ROOM_CREATED == result)
                {
                    // A removal of this room made here and not yet published would now undo the member's creation
                    // everywhere but here: the creation, applied after it, wins.
                    publisher.roomCreatedByMember(room.roomId());
                    roomCreated(room);
                }
                else if (result.isRefusal())
                {
                    errorHandler.onError(new IllegalStateException("room " + room.roomId() + " from " + member +
                        " refused: " + result));
                }
                break;
            }

            case MessageType.ROOM_REMOVED:
            {
                final RoomRemovedDecoder removal = roomRemovedDecoder.wrap(buffer, offset, length);
                final long roomId = removal.roomId();
                coveredCreations.onRemoval(removal);
                if (roomHistory.outrun(removal, member.nodeId, member.incarnation))
                {
                    // A creation of the room the remover had not seen was applied here first: it wins, as it does
                    // wherever it comes after the removal.
                    break;
                }
                removeRoom(member, sequence, roomId);
                break;
            }

            default:
                break;
        }
    }

    /**
     * A member's own removal of a room that this node never applied: the frame that carried it was lost (a desync),
     * and the member's table, taken again, only adds rooms. Its record came with that table, at or before the
     * snapshot's start (no replay brings it), and every creation of the room applied here was one the member had
     * seen ({@link RoomHistory#undoneBy}): applied now as the message would have been.
     *
     * @param member   the member, whose snapshot is loading.
     * @param sequence the removal's sequence on its stream.
     * @param roomId   the room.
     */
    void lostRemovalRecovered(final Member member, final long sequence, final long roomId)
    {
        lostRemovalsRecovered++;
        removeRoom(member, sequence, roomId);
    }

    /**
     * @return members' own removals this node applied from their tables' records, their frames having been lost.
     */
    long lostRemovalsRecovered()
    {
        return lostRemovalsRecovered;
    }

    /**
     * A room a member's table made here, which a later table's record of a removal shows older than the removal
     * ({@link MemberTables}): removed as the removal would have been had this node applied it.
     *
     * @param removerId          the node whose removal it is.
     * @param removerIncarnation its incarnation.
     * @param sequence           the removal's sequence on its stream.
     * @param roomId             the room.
     */
    void tableRoomOutdated(
        final long removerId, final long removerIncarnation, final long sequence, final long roomId)
    {
        removeRoom(removerId, removerIncarnation, sequence, roomId);
    }

    private void removeRoom(final Member member, final long sequence, final long roomId)
    {
        removeRoom(member.nodeId, member.incarnation, sequence, roomId);
    }

    private void removeRoom(
        final long removerId, final long removerIncarnation, final long sequence, final long roomId)
    {
        final StateResult result = state.removeRoom(roomId);
        removalApplied(removerId, removerIncarnation, sequence, roomId);
        if (StateResult.ROOM_REMOVED == result)
        {
            roomRemoved(roomId);
        }
        else if (StateResult.ROOM_IN_USE == result && state.localCount(roomId) > 0)
        {
            // The member removed the room before it saw this node's subscribers (a removal is refused while any
            // count known there is above 0). A room with subscribers must exist on every node: the nodes that
            // removed it take it back from this announcement, which follows this node's count on its stream. A node
            // that sees the count first refuses the member's removal however late it comes.
            publisher.roomKeptInUse(roomId);
        }
    }

    /**
     * A member's removal of a room is applied (or was, in the room table loaded from the room source): a room left
     * absent keeps it as its last change, so that an older table loaded later does not make it again here alone.
     */
    private void removalApplied(final Member member, final long sequence, final long roomId)
    {
        removalApplied(member.nodeId, member.incarnation, sequence, roomId);
    }

    private void removalApplied(
        final long removerId, final long removerIncarnation, final long sequence, final long roomId)
    {
        if (!state.roomExists(roomId))
        {
            roomHistory.onRemoval(roomId, removerId, removerIncarnation, sequence);
        }
    }

    /**
     * A member wants a room it holds counts in and does not know: this node announces it again if it has subscribers
     * in it, as when it refuses a member's removal (a room with subscribers here exists here: it is not removed while
     * in use, and an announcement of a room gone by the time it is claimed is dropped).
     */
    void roomWanted(final DirectBuffer buffer, final int offset, final int length)
    {
        final long roomId = roomWantedDecoder.wrap(buffer, offset, length).roomId();
        if (state.localCount(roomId) > 0)
        {
            publisher.roomKeptInUse(roomId);
        }
    }

    private void observeCount(final long ownerNodeId, final long roomId, final long count)
    {
        try
        {
            replicaObserver.onReplicaCount(ownerNodeId, roomId, count);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Tells the listener of a room, from a decoder wrapped on its {@code ROOM_CREATED} layout.
     */
    void roomCreated(final RoomCreatedDecoder room)
    {
        try
        {
            listener.onRoomCreated(room.roomId(), room.indexName(), room.collectionName(), room.filter());
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Tells the listener of a room, from its metadata in the state.
     */
    void roomCreated(final long roomId, final org.agrona.MutableDirectBuffer scratch)
    {
        final int metadataLength = state.roomMetadataLength(roomId);
        scratch.putLong(0, roomId, io.cohort.codec.FrameLayout.BYTE_ORDER);
        state.copyRoomMetadata(roomId, scratch, Long.BYTES);
        roomCreated(roomCreatedDecoder.wrap(scratch, 0, Long.BYTES + metadataLength));
    }

    void roomRemoved(final long roomId)
    {
        try
        {
            listener.onRoomRemoved(roomId);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Delivers a received notification to the listener if this node has local subscribers in its room.
     */
    void notification(final DirectBuffer buffer, final int offset, final int length)
    {
        final NotificationDecoder notification = notificationDecoder.wrap(buffer, offset, length);
        final long roomId = notification.roomId();
        if (state.localCount(roomId) > 0)
        {
            deliver(roomId, buffer, notification.payloadOffset(), notification.payloadLength());
        }
    }

    void deliver(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            listener.onNotification(roomId, buffer, offset, length);
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }

    void clusterEvent(final DirectBuffer buffer, final int offset, final int length)
    {
        final ClusterEventDecoder event = clusterEventDecoder.wrap(buffer, offset, length);
        try
        {
            listener.onClusterEvent(event.name(), buffer, event.payloadOffset(), event.payloadLength());
        }
        catch (final Exception ex)
        {
            errorHandler.onError(ex);
        }
    }
}
