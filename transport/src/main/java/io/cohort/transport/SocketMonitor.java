package io.cohort.transport;

import org.agrona.concurrent.status.AtomicCounter;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Counts the connection events of a bound socket that mean a stranger or a broken peer knocked: failed
 * handshakes (junk bytes, a client without the cluster's keys) and handshakes in a protocol older than ZMTP 3.0
 * (what junk bytes usually turn into). Refusals by the ZAP handler are counted
 * there, not here, so that each refusal counts once.
 */
final class SocketMonitor implements AutoCloseable
{
    /** The protocol version JeroMQ reports for ZMTP 3.0 in a handshake-protocol event. */
    private static final int ZMTP_3_0 = 3;

    private final ZMQ.Socket events;
    private final AtomicCounter strangers;

    SocketMonitor(final ZContext zContext, final ZMQ.Socket socket, final String name, final TransportCounters counters)
    {
        final String endpoint = "inproc://cohort-monitor-" + name + "-" + System.identityHashCode(socket);
        socket.monitor(endpoint, zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
            zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_PROTOCOL);
        events = zContext.createSocket(SocketType.PAIR);
        events.setLinger(0);
        events.connect(endpoint);
        this.strangers = counters.strangerFrames();
    }

    int poll()
    {
        int handled = 0;
        ZMQ.Event event;
        while (null != (event = ZMQ.Event.recv(events, ZMQ.DONTWAIT)))
        {
            if (isStranger(event))
            {
                strangers.incrementRelease();
            }
            handled++;
        }
        return handled;
    }

    private static boolean isStranger(final ZMQ.Event event)
    {
        if (zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_PROTOCOL == event.getEvent())
        {
            // Every node speaks ZMTP 3.0. Junk bytes make JeroMQ fall back to an older, unversioned protocol
            // and carry on without any handshake failure, so an older protocol is what reveals them.
            final Object version = event.getValue();
            return version instanceof Integer && (Integer)version < ZMTP_3_0;
        }
        return true;
    }

    public void close()
    {
        events.close();
    }
}
