package io.cohort.examples.gateway;

import io.cohort.engine.CallResult;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How the gateway makes node calls from a client's thread: a call refused as BACK_PRESSURED (the node's queue is
 * full) is retried briefly, since the node's thread drains the queue meanwhile, and what still fails is answered
 * with an error frame: never dropped silently.
 */
final class NodeCalls
{
    private static final long FIRST_PARK_NS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private NodeCalls()
    {
    }

    /**
     * Makes a call, retrying it while it is BACK_PRESSURED for at most {@code retryNs}, with a growing pause.
     *
     * @return the last result: BACK_PRESSURED only if the queue stayed full for the whole window.
     */
    static CallResult retry(final Supplier<CallResult> call, final long retryNs)
    {
        final long deadlineNs = System.nanoTime() + retryNs;
        long parkNs = FIRST_PARK_NS;
        while (true)
        {
            final CallResult result = call.get();
            if (CallResult.BACK_PRESSURED != result || System.nanoTime() - deadlineNs >= 0)
            {
                return result;
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, MAX_PARK_NS);
        }
    }

    /**
     * The error frame for a call that was not queued.
     *
     * @param verb   the client's command.
     * @param room   its room.
     * @param result anything but ACCEPTED.
     * @return {@code ERR BUSY ...} for a full queue, {@code ERR NOT_SERVING ...} for a node that is not a member.
     */
    static String error(final String verb, final String room, final CallResult result)
    {
        if (CallResult.BACK_PRESSURED == result)
        {
            return ChatProtocol.error(ChatProtocol.BUSY,
                verb + " " + room + ": the node's queue stayed full; nothing was done, try again");
        }
        return ChatProtocol.error(ChatProtocol.NOT_SERVING,
            verb + " " + room + ": the node refused the call (" + result + "); nothing was done");
    }
}
