package io.cohort.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Optional blocking wrappers around {@link CohortNode}'s calls, for a backend thread that may wait: a call refused
 * as {@link CallResult#BACK_PRESSURED} (the node's queue is full while its thread drains it, its replicas lag, or a
 * node a notification must reach has no notification credit yet) is retried with an
 * {@link IdleStrategy} until a deadline; {@link CallResult#NOT_MEMBER}, {@link CallResult#EVICTED} and
 * {@link CallResult#CLOSED} are returned at once, since waiting does not change them. The result is the last
 * attempt's: {@code BACK_PRESSURED} only if the queue stayed full until the deadline.
 * <p>
 * One instance per calling thread (the idle strategy keeps state); the methods below allocate nothing. A call
 * taking a lambda ({@link #call(Call)}) allocates only what the lambda captures.
 * <pre>{@code
 * BlockingCalls calls = new BlockingCalls(node, TimeUnit.MILLISECONDS.toNanos(100));
 * CallResult result = calls.subscribe(connectionId, room);  // ACCEPTED, or why not after 100 ms at most
 * }</pre>
 */
public final class BlockingCalls
{
    /** One attempt at a node call. */
    @FunctionalInterface
    public interface Call
    {
        /**
         * Makes the call once.
         *
         * @return its result.
         */
        CallResult attempt();
    }

    private final CohortNode node;
    private final long timeoutNs;
    private final IdleStrategy idleStrategy;
    private final NanoClock clock;

    /**
     * Retries for at most {@code timeoutNs}, idling with a backoff from spinning to 100 µs pauses.
     *
     * @param node      the node to call.
     * @param timeoutNs how long a call may keep retrying, at least 0 (0: a single attempt).
     */
    public BlockingCalls(final CohortNode node, final long timeoutNs)
    {
        this(node, timeoutNs, new BackoffIdleStrategy(
            10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)), SystemNanoClock.INSTANCE);
    }

    /**
     * Retries for at most {@code timeoutNs}, idling with a given strategy and measuring time with a given clock.
     *
     * @param node         the node to call (may be null if only {@link #call(Call)} is used).
     * @param timeoutNs    how long a call may keep retrying, at least 0 (0: a single attempt).
     * @param idleStrategy how to wait between attempts.
     * @param clock        the clock the deadline is measured on.
     * @throws IllegalArgumentException if {@code timeoutNs} is negative.
     */
    public BlockingCalls(
        final CohortNode node, final long timeoutNs, final IdleStrategy idleStrategy, final NanoClock clock)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " must not be negative");
        }
        this.node = node;
        this.timeoutNs = timeoutNs;
        this.idleStrategy = idleStrategy;
        this.clock = clock;
    }

    /**
     * Makes a call, retrying it while it is back-pressured until the deadline.
     *
     * @param call the call.
     * @return ACCEPTED, NOT_MEMBER, EVICTED or CLOSED as soon as an attempt returns it, else BACK_PRESSURED.
     */
    public CallResult call(final Call call)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (true)
        {
            final CallResult result = call.attempt();
            if (CallResult.BACK_PRESSURED != result || clock.nanoTime() - deadlineNs >= 0)
            {
                return result;
            }
            idleStrategy.idle();
        }
    }

    /**
     * {@link CohortNode#subscribe}, retried while back-pressured.
     *
     * @param connectionId the connection, non-zero.
     * @param roomId       the room, non-zero.
     * @return as {@link #call(Call)}.
     */
    public CallResult subscribe(final long connectionId, final long roomId)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.subscribe(connectionId, roomId), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * {@link CohortNode#unsubscribe}, retried while back-pressured.
     *
     * @param connectionId the connection, non-zero.
     * @param roomId       the room, non-zero.
     * @return as {@link #call(Call)}.
     */
    public CallResult unsubscribe(final long connectionId, final long roomId)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.unsubscribe(connectionId, roomId), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * {@link CohortNode#disconnect}, retried while back-pressured.
     *
     * @param connectionId the connection, non-zero.
     * @return as {@link #call(Call)}.
     */
    public CallResult disconnect(final long connectionId)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.disconnect(connectionId), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * {@link CohortNode#createRoom}, retried while back-pressured.
     *
     * @param indexName      the index (scope).
     * @param collectionName the collection (scope).
     * @param filter         the normalised, opaque filter bytes.
     * @return as {@link #call(Call)}.
     */
    public CallResult createRoom(final String indexName, final String collectionName, final byte[] filter)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.createRoom(indexName, collectionName, filter), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * {@link CohortNode#removeRoom}, retried while back-pressured.
     *
     * @param roomId the room.
     * @return as {@link #call(Call)}.
     */
    public CallResult removeRoom(final long roomId)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.removeRoom(roomId), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * {@link CohortNode#publish}, retried while back-pressured (e.g. until every node with subscribers in the room
     * has notification credit again). A publish refused on the node's thread after it was accepted reaches
     * {@link CohortListener#onPublishRefused} instead.
     *
     * @param roomId the room.
     * @param buffer holding the payload.
     * @param offset where it starts.
     * @param length its length.
     * @return as {@link #call(Call)}.
     */
    public CallResult publish(final long roomId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadlineNs = start();
        CallResult result;
        while (retry(result = node.publish(roomId, buffer, offset, length), deadlineNs))
        {
            idleStrategy.idle();
        }
        return result;
    }

    private long start()
    {
        idleStrategy.reset();
        return clock.nanoTime() + timeoutNs;
    }

    private boolean retry(final CallResult result, final long deadlineNs)
    {
        return CallResult.BACK_PRESSURED == result && clock.nanoTime() - deadlineNs < 0;
    }
}
