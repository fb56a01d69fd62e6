package io.cohort.transport;

import org.agrona.concurrent.status.AtomicCounter;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A ZeroMQ authentication (ZAP, RFC 27) handler that accepts a CURVE client only if it presents the
 * cluster's public key, i.e. it holds the cluster's key file. Polled by the transport's thread; a refusal is
 * counted. Anything malformed on the ZAP socket is answered with a refusal or ignored, never thrown.
 */
final class ZapHandler implements AutoCloseable
{
    static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
    private static final int REQUEST_PARTS = 7;

    private final ZMQ.Socket socket;
    private final byte[] clusterPublicKey;
    private final AtomicCounter refused;
    private final byte[][] parts = new byte[REQUEST_PARTS][];

    ZapHandler(final ZContext context, final byte[] clusterPublicKey, final AtomicCounter refused)
    {
        this.clusterPublicKey = clusterPublicKey.clone();
        this.refused = refused;
        socket = context.createSocket(SocketType.REP);
        socket.setLinger(0);
        socket.bind(ENDPOINT);
    }

    int poll()
    {
        int handled = 0;
        byte[] first;
        while (null != (first = socket.recv(ZMQ.DONTWAIT)))
        {
            int count = 0;
            parts[count++] = first;
            while (socket.hasReceiveMore())
            {
                final byte[] part = socket.recv(0);
                if (count < REQUEST_PARTS)
                {
                    parts[count] = part;
                }
                count++;
            }
            reply(count);
            handled++;
        }
        return handled;
    }

    private void reply(final int count)
    {
        final byte[] requestId = count > 1 ? parts[1] : new byte[0];
        final boolean allowed = count >= REQUEST_PARTS &&
            Arrays.equals(VERSION, parts[0]) &&
            "CURVE".equals(new String(parts[5], StandardCharsets.US_ASCII)) &&
            Arrays.equals(clusterPublicKey, parts[6]);
        if (!allowed)
        {
            refused.incrementRelease();
        }
        socket.sendMore(VERSION);
        socket.sendMore(requestId);
        socket.sendMore(allowed ? "200" : "400");
        socket.sendMore(allowed ? "OK" : "not a member of this cluster");
        socket.sendMore("");
        socket.send(new byte[0], 0);
    }

    public void close()
    {
        socket.close();
    }
}
