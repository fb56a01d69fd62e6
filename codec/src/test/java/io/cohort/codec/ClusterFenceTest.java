package io.cohort.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame header's cluster id fences clusters apart: a decoder built for one cluster refuses a well-formed frame
 * of another as {@link DecodeResult#FOREIGN_CLUSTER}, after every structural check, so that a garbled frame is still
 * reported as garbled and a foreign one is never applied.
 */
class ClusterFenceTest
{
    private static final long OURS = 0x1111_2222_3333_4444L;
    private static final long THEIRS = 0x5555_6666_7777_8888L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final FrameEncoder encoder = new FrameEncoder();

    private int joinRequestFrame(final long clusterId, final String clusterName)
    {
        final byte[] name = clusterName.getBytes(StandardCharsets.UTF_8);
        encoder.wrap(buffer, 0, buffer.capacity()).begin(clusterId, 7L, 8L, FrameLayout.BROADCAST, 0L);
        final int cardLength = MemberCardEncoder.computeLength("tcp://a:1", "tcp://a:2", new byte[0]);
        final int at = encoder.claim(MessageType.JOIN_REQUEST, JoinRequestEncoder.computeLength(name.length, cardLength));
        new JoinRequestEncoder().wrap(buffer, at).correlationId(9L).heartbeat(100L, 1000L).clusterName(name)
            .card().nodeId(7L).incarnation(8L).endpoints("tcp://a:1", "tcp://a:2", new byte[0]);
        return encoder.finish();
    }

    @Test
    void shouldAcceptAFrameOfItsOwnCluster()
    {
        final int length = joinRequestFrame(OURS, "ours");
        final FrameDecoder decoder = new FrameDecoder(CodecLimits.DEFAULT, OURS);
        assertEquals(DecodeResult.OK, decoder.wrap(buffer, 0, length));
        assertEquals(OURS, decoder.clusterId());
    }

    @Test
    void shouldRefuseAFrameOfAnotherClusterYetLetItsJoinRequestBeRead()
    {
        final int length = joinRequestFrame(THEIRS, "theirs");
        final FrameDecoder decoder = new FrameDecoder(CodecLimits.DEFAULT, OURS);
        assertEquals(DecodeResult.FOREIGN_CLUSTER, decoder.wrap(buffer, 0, length));
        assertEquals(THEIRS, decoder.clusterId());
        assertEquals(FrameLayout.CLUSTER_ID_OFFSET, decoder.errorOffset());
        assertTrue(decoder.nextMessage());
        assertEquals(MessageType.JOIN_REQUEST, decoder.messageType());
        final JoinRequestDecoder request = new JoinRequestDecoder().wrap(buffer, decoder.bodyOffset(), decoder.bodyLength());
        assertEquals("theirs", request.clusterName());
        assertEquals(100L, request.heartbeatIntervalNs());
        assertEquals(1000L, request.heartbeatTimeoutNs());
        assertEquals(7L, request.card(new MemberCardDecoder()).nodeId());
        assertFalse(decoder.nextMessage());
    }

    @Test
    void shouldAcceptEveryClusterWithoutAFence()
    {
        final int length = joinRequestFrame(THEIRS, "theirs");
        assertEquals(DecodeResult.OK, new FrameDecoder().wrap(buffer, 0, length));
        assertEquals(DecodeResult.OK, new FrameDecoder(CodecLimits.DEFAULT, FrameLayout.ANY_CLUSTER).wrap(buffer, 0, length));
    }

    @Test
    void shouldReportAGarbledClusterIdAsAChecksumMismatchNotAForeignCluster()
    {
        final int length = joinRequestFrame(OURS, "ours");
        buffer.putByte(FrameLayout.CLUSTER_ID_OFFSET, (byte)(buffer.getByte(FrameLayout.CLUSTER_ID_OFFSET) ^ 1));
        assertEquals(DecodeResult.CHECKSUM_MISMATCH, new FrameDecoder(CodecLimits.DEFAULT, OURS).wrap(buffer, 0, length));
    }

    @Test
    void shouldReportAMalformedForeignFrameAsMalformed()
    {
        final int length = joinRequestFrame(THEIRS, "theirs");
        final FrameDecoder decoder = new FrameDecoder(new CodecLimits(3, 255, 16, 16, 4, 1024), OURS);
        assertEquals(DecodeResult.FIELD_TOO_LARGE, decoder.wrap(buffer, 0, length), "a 6-byte name past a limit of 3");
        assertEquals(0, decoder.messageCount());
    }
}
