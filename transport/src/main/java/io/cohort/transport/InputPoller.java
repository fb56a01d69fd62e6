package io.cohort.transport;

import org.agrona.CloseHelper;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.Arrays;

/**
 * Blocks the node's thread until one of its sockets, or a raw channel beside them, has input, or a timeout passes.
 * JeroMQ's {@code zmq.ZMQ.poll} checks each socket's pending messages before and after selecting on its signaler,
 * so a message already queued is never slept over. The item array is rebuilt only when the set of sockets
 * changes; JeroMQ's per-call key map is the only allocation, and happens only when the thread is idle.
 */
final class InputPoller implements AutoCloseable
{
    private zmq.poll.PollItem[] items = new zmq.poll.PollItem[16];
    private int itemCount;
    private zmq.poll.PollItem[] active = new zmq.poll.PollItem[0];
    private Selector selector;

    /**
     * Starts a new set of items; the previous set stays in use until {@link #build()}.
     */
    void begin()
    {
        Arrays.fill(items, 0, itemCount, null);
        itemCount = 0;
    }

    /**
     * Adds a socket, readable when a message is waiting.
     *
     * @param socket the socket.
     */
    void add(final ZMQ.Socket socket)
    {
        add(new zmq.poll.PollItem(socket.base(), ZMQ.Poller.POLLIN));
    }

    /**
     * Adds a non-blocking raw channel, readable when a byte is waiting.
     *
     * @param channel the channel, already in non-blocking mode.
     */
    void add(final SelectableChannel channel)
    {
        add(new zmq.poll.PollItem(channel, ZMQ.Poller.POLLIN));
    }

    private void add(final zmq.poll.PollItem item)
    {
        if (itemCount == items.length)
        {
            items = Arrays.copyOf(items, itemCount * 2);
        }
        items[itemCount++] = item;
    }

    /**
     * Makes the items added since {@link #begin()} the ones polled.
     */
    void build()
    {
        active = Arrays.copyOf(items, itemCount);
    }

    /**
     * Waits until an item is readable or the timeout passes.
     *
     * @param timeoutMs most milliseconds to wait; 0 checks without waiting.
     * @return the number of readable items.
     */
    int poll(final long timeoutMs)
    {
        if (null == selector)
        {
            try
            {
                selector = Selector.open();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return zmq.ZMQ.poll(selector, active, active.length, timeoutMs);
    }

    /**
     * Closes the selector.
     */
    public void close()
    {
        CloseHelper.close(selector);
        selector = null;
    }
}
