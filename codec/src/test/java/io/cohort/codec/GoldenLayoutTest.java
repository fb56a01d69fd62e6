package io.cohort.codec;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the wire format: exact bytes of small frames, written out by hand from the layout diagrams in
 * {@link FrameLayout} and the decoders, little-endian. Each trailer is hard-coded and also recomputed with
 * {@link java.util.zip.CRC32C} over the expected bytes, so a change of layout, byte order or checksum
 * algorithm fails here. A deliberate format change must update these bytes (and the protocol version).
 */
class GoldenLayoutTest
{
    private static final long SENDER = 0x0102030405060708L;
    private static final long INCARNATION = 0x1112131415161718L;
    private static final long DESTINATION = 0x2122232425262728L;
    private static final long FIRST_SEQUENCE = 0x3132333435363738L;
    private static final long CLUSTER = 0x6162636465666768L;

    /** An empty frame from SENDER/INCARNATION to DESTINATION. */
    private static final String EMPTY_FRAME =
        "43 4f 48 54 " +                // magic "COHT"
        "05 00 00 00 " +                // version major 5, minor 0, flags 0
        "3c 00 00 00 " +                // frame length 60
        "00 00 00 00 " +                // message count 0
        "08 07 06 05 04 03 02 01 " +    // sender node id
        "18 17 16 15 14 13 12 11 " +    // sender incarnation
        "28 27 26 25 24 23 22 21 " +    // destination node id
        "38 37 36 35 34 33 32 31 " +    // first sequence
        "68 67 66 65 64 63 62 61 " +    // cluster id
        "0a 27 35 00";                  // CRC32C
    private static final int EMPTY_FRAME_CRC = 0x0035270a;

    /** One ROOM_COUNT (room 0x4142434445464748, count 258) from SENDER/INCARNATION to DESTINATION. */
    private static final String ROOM_COUNT_FRAME =
        "43 4f 48 54 " +                // magic "COHT"
        "05 00 00 00 " +                // version major 5, minor 0, flags 0
        "54 00 00 00 " +                // frame length 84
        "01 00 00 00 " +                // message count 1
        "08 07 06 05 04 03 02 01 " +    // sender node id
        "18 17 16 15 14 13 12 11 " +    // sender incarnation
        "28 27 26 25 24 23 22 21 " +    // destination node id
        "38 37 36 35 34 33 32 31 " +    // first sequence
        "68 67 66 65 64 63 62 61 " +    // cluster id
        "18 00 00 00 " +                // message length 24
        "09 00 00 00 " +                // type ROOM_COUNT (9), reserved 0
        "48 47 46 45 44 43 42 41 " +    // room id
        "02 01 00 00 00 00 00 00 " +    // count 258
        "ab e9 ca f2";                  // CRC32C
    private static final int ROOM_COUNT_FRAME_CRC = 0xf2cae9ab;

    /** One NOTIFICATION (room 0x5152535455565758, payload "hi!") broadcast by SENDER/INCARNATION. */
    private static final String NOTIFICATION_FRAME =
        "43 4f 48 54 " +                // magic "COHT"
        "05 00 00 00 " +                // version major 5, minor 0, flags 0
        "53 00 00 00 " +                // frame length 83
        "01 00 00 00 " +                // message count 1
        "08 07 06 05 04 03 02 01 " +    // sender node id
        "18 17 16 15 14 13 12 11 " +    // sender incarnation
        "00 00 00 00 00 00 00 00 " +    // destination: broadcast
        "38 37 36 35 34 33 32 31 " +    // first sequence
        "68 67 66 65 64 63 62 61 " +    // cluster id
        "17 00 00 00 " +                // message length 23
        "0a 00 00 00 " +                // type NOTIFICATION (10), reserved 0
        "58 57 56 55 54 53 52 51 " +    // room id
        "03 00 00 00 " +                // payload length 3
        "68 69 21 " +                   // payload "hi!"
        "0e c6 1b 9d";                  // CRC32C
    private static final int NOTIFICATION_FRAME_CRC = 0x9d1bc60e;

    private static final long LINEAGE = 0x7172737475767778L;

    /**
     * One HEARTBEAT broadcast by SENDER/INCARNATION: view (LINEAGE, 3), heartbeat sequence 256, one member (SENDER,
     * echoed 255, row version 254, unreachable ranks 0 and 2), one directed stream (DESTINATION, last 17).
     */
    private static final String HEARTBEAT_FRAME =
        "43 4f 48 54 " +                // magic "COHT"
        "05 00 00 00 " +                // version major 5, minor 0, flags 0
        "b4 00 00 00 " +                // frame length 180
        "01 00 00 00 " +                // message count 1
        "08 07 06 05 04 03 02 01 " +    // sender node id
        "18 17 16 15 14 13 12 11 " +    // sender incarnation
        "00 00 00 00 00 00 00 00 " +    // destination: broadcast
        "38 37 36 35 34 33 32 31 " +    // first sequence
        "68 67 66 65 64 63 62 61 " +    // cluster id
        "78 00 00 00 " +                // message length 120
        "01 00 00 00 " +                // type HEARTBEAT (1), reserved 0
        "48 47 46 45 44 43 42 41 " +    // send time
        "02 01 00 00 00 00 00 00 " +    // last broadcast sequence 258
        "58 57 56 55 54 53 52 51 " +    // state digest
        "02 00 00 00 " +                // flags FLAG_LEAVING
        "01 00 00 00 " +                // member count 1
        "01 00 00 00 " +                // directed count 1
        "00 00 00 00 " +                // reserved
        "78 77 76 75 74 73 72 71 " +    // lineage
        "03 00 00 00 00 00 00 00 " +    // epoch 3
        "00 01 00 00 00 00 00 00 " +    // heartbeat sequence 256
        "08 07 06 05 04 03 02 01 " +    // member 0: node id
        "ff 00 00 00 00 00 00 00 " +    // member 0: echoed heartbeat sequence 255
        "fe 00 00 00 00 00 00 00 " +    // member 0: row version 254
        "05 00 00 00 00 00 00 00 " +    // member 0: unreachable rank bits 0b101
        "28 27 26 25 24 23 22 21 " +    // directed 0: destination node id
        "11 00 00 00 00 00 00 00 " +    // directed 0: last directed sequence 17
        "0d d1 bc c2";                  // CRC32C
    private static final int HEARTBEAT_FRAME_CRC = 0xc2bcd10d;

    /**
     * One VIEW_COMMIT from SENDER/INCARNATION to DESTINATION: correlation id 258, ballot (2, SENDER), view
     * (LINEAGE, 3, flags 1) of one member (SENDER/INCARNATION, "a", "b", no key) that removed (DESTINATION, 9,
     * reason 7).
     */
    private static final String VIEW_COMMIT_FRAME =
        "43 4f 48 54 " +                // magic "COHT"
        "05 00 00 00 " +                // version major 5, minor 0, flags 0
        "ba 00 00 00 " +                // frame length 186
        "01 00 00 00 " +                // message count 1
        "08 07 06 05 04 03 02 01 " +    // sender node id
        "18 17 16 15 14 13 12 11 " +    // sender incarnation
        "28 27 26 25 24 23 22 21 " +    // destination node id
        "38 37 36 35 34 33 32 31 " +    // first sequence
        "68 67 66 65 64 63 62 61 " +    // cluster id
        "7e 00 00 00 " +                // message length 126
        "2c 00 00 00 " +                // type VIEW_COMMIT (44), reserved 0
        "02 01 00 00 00 00 00 00 " +    // correlation id 258
        "02 00 00 00 00 00 00 00 " +    // ballot round 2
        "08 07 06 05 04 03 02 01 " +    // ballot node id
        "78 77 76 75 74 73 72 71 " +    // value: lineage
        "03 00 00 00 00 00 00 00 " +    // value: epoch 3
        "01 00 00 00 " +                // value: flags FLAG_DISSOLVE
        "01 00 00 00 " +                // value: member count 1
        "01 00 00 00 " +                // value: removed count 1
        "00 00 00 00 " +                // value: reserved
        "08 07 06 05 04 03 02 01 " +    // card: node id
        "18 17 16 15 14 13 12 11 " +    // card: incarnation
        "05 00 00 00 " +                // card: version 5.0, reserved 0
        "00 00 00 00 " +                // card: flags
        "01 00 00 00 61 " +             // card: sync endpoint "a"
        "01 00 00 00 62 " +             // card: command endpoint "b"
        "00 00 00 00 " +                // card: no public key
        "28 27 26 25 24 23 22 21 " +    // removed: node id
        "09 00 00 00 00 00 00 00 " +    // removed: incarnation 9
        "07 00 00 00 " +                // removed: reason PARTITION (7)
        "00 00 00 00 " +                // removed: reserved
        "26 99 7a b9";                  // CRC32C
    private static final int VIEW_COMMIT_FRAME_CRC = 0xb97a9926;

    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final FrameDecoder frameDecoder = new FrameDecoder();

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 100 })
    void shouldEncodeAnEmptyFrameExactly(final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = frameEncoder.wrap(buffer, offset, 128)
            .begin(CLUSTER, SENDER, INCARNATION, DESTINATION, FIRST_SEQUENCE)
            .finish();

        assertGolden(EMPTY_FRAME, EMPTY_FRAME_CRC, buffer, offset, length);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 100 })
    void shouldEncodeARoomCountFrameExactly(final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        frameEncoder.wrap(buffer, offset, 128).begin(CLUSTER, SENDER, INCARNATION, DESTINATION, FIRST_SEQUENCE);
        final int at = frameEncoder.claim(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
        new RoomCountEncoder().wrap(buffer, at).roomId(0x4142434445464748L).count(258L);
        final int length = frameEncoder.finish();

        assertGolden(ROOM_COUNT_FRAME, ROOM_COUNT_FRAME_CRC, buffer, offset, length);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 100 })
    void shouldEncodeANotificationFrameExactly(final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer payload = new UnsafeBuffer("hi!".getBytes(StandardCharsets.US_ASCII));
        frameEncoder.wrap(buffer, offset, 128).begin(CLUSTER, SENDER, INCARNATION, FrameLayout.BROADCAST, FIRST_SEQUENCE);
        final int at = frameEncoder.claim(MessageType.NOTIFICATION, NotificationEncoder.computeLength(3));
        new NotificationEncoder().wrap(buffer, at).roomId(0x5152535455565758L).payload(payload, 0, 3);
        final int length = frameEncoder.finish();

        assertGolden(NOTIFICATION_FRAME, NOTIFICATION_FRAME_CRC, buffer, offset, length);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 100 })
    void shouldEncodeAHeartbeatFrameExactly(final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        buffer.setMemory(0, buffer.capacity(), (byte)0xEE);
        frameEncoder.wrap(buffer, offset, 256).begin(CLUSTER, SENDER, INCARNATION, FrameLayout.BROADCAST, FIRST_SEQUENCE);
        final int at = frameEncoder.claim(MessageType.HEARTBEAT, HeartbeatEncoder.computeLength(1, 1));
        new HeartbeatEncoder().wrap(buffer, at)
            .sendTimeNs(0x4142434445464748L)
            .lastBroadcastSequence(258L)
            .stateDigest(0x5152535455565758L)
            .flags(HeartbeatDecoder.FLAG_LEAVING)
            .view(LINEAGE, 3L)
            .heartbeatSeq(256L)
            .memberCount(1)
            .member(0, SENDER, 255L, 254L, 0b101L)
            .addDirected(DESTINATION, 17L);
        final int length = frameEncoder.finish();

        assertGolden(HEARTBEAT_FRAME, HEARTBEAT_FRAME_CRC, buffer, offset, length);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 3, 100 })
    void shouldEncodeAViewCommitFrameExactly(final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        buffer.setMemory(0, buffer.capacity(), (byte)0xEE);
        frameEncoder.wrap(buffer, offset, 256).begin(CLUSTER, SENDER, INCARNATION, DESTINATION, FIRST_SEQUENCE);
        final int valueLength = ViewValueEncoder.computeLength(MemberCardEncoder.computeLength(1, 1, 0), 1);
        final int at = frameEncoder.claim(MessageType.VIEW_COMMIT, ViewCommitEncoder.computeLength(valueLength));
        final ViewCommitEncoder commit = new ViewCommitEncoder().wrap(buffer, at)
            .correlationId(258L)
            .ballotRound(2L)
            .ballotNodeId(SENDER);
        commit.value()
            .lineage(LINEAGE)
            .epoch(3L)
            .flags(ViewValueDecoder.FLAG_DISSOLVE)
            .addMember(SENDER, INCARNATION, "a", "b", new byte[0])
            .addRemoved(DESTINATION, 9L, ReasonCode.PARTITION);
        assertEquals(ViewCommitEncoder.computeLength(valueLength), commit.encodedLength());
        final int length = frameEncoder.finish();

        assertGolden(VIEW_COMMIT_FRAME, VIEW_COMMIT_FRAME_CRC, buffer, offset, length);
    }

    @Test
    void shouldHaveGoldenTrailersThatAreTheCrc32cOfTheGoldenBytes()
    {
        assertTrailer(EMPTY_FRAME, EMPTY_FRAME_CRC);
        assertTrailer(ROOM_COUNT_FRAME, ROOM_COUNT_FRAME_CRC);
        assertTrailer(NOTIFICATION_FRAME, NOTIFICATION_FRAME_CRC);
        assertTrailer(HEARTBEAT_FRAME, HEARTBEAT_FRAME_CRC);
        assertTrailer(VIEW_COMMIT_FRAME, VIEW_COMMIT_FRAME_CRC);
    }

    @Test
    void shouldDecodeTheGoldenHeartbeatFrame()
    {
        final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
        for (final MutableDirectBuffer buffer : golden(HEARTBEAT_FRAME))
        {
            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, buffer.capacity()));
            assertHeader(FrameLayout.BROADCAST, 1, 180);
            assertTrue(frameDecoder.nextMessage());
            assertEquals(MessageType.HEARTBEAT, frameDecoder.messageType());
            assertEquals(112, frameDecoder.bodyLength());
            heartbeat.wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength());
            assertEquals(0x4142434445464748L, heartbeat.sendTimeNs());
            assertEquals(258L, heartbeat.lastBroadcastSequence());
            assertEquals(0x5152535455565758L, heartbeat.stateDigest());
            assertEquals(HeartbeatDecoder.FLAG_LEAVING, heartbeat.flags());
            assertEquals(LINEAGE, heartbeat.lineage());
            assertEquals(3L, heartbeat.epoch());
            assertEquals(256L, heartbeat.heartbeatSeq());
            assertEquals(1, heartbeat.memberCount());
            assertEquals(SENDER, heartbeat.member(0));
            assertEquals(255L, heartbeat.memberEchoedHeartbeatSeq(0));
            assertEquals(254L, heartbeat.memberRowVersion(0));
            assertEquals(0b101L, heartbeat.memberUnreachableBits(0));
            assertEquals(0, heartbeat.memberIndex(SENDER));
            assertEquals(HeartbeatDecoder.NOT_LISTED, heartbeat.memberIndex(DESTINATION));
            assertEquals(17L, heartbeat.lastDirectedSequence(DESTINATION));
            assertFalse(frameDecoder.nextMessage());
        }
    }

    @Test
    void shouldDecodeTheGoldenViewCommitFrame()
    {
        final ViewCommitDecoder commit = new ViewCommitDecoder();
        final ViewValueDecoder value = new ViewValueDecoder();
        final MemberCardDecoder card = new MemberCardDecoder();
        for (final MutableDirectBuffer buffer : golden(VIEW_COMMIT_FRAME))
        {
            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, buffer.capacity()));
            assertHeader(DESTINATION, 1, 186);
            assertTrue(frameDecoder.nextMessage());
            assertEquals(MessageType.VIEW_COMMIT, frameDecoder.messageType());
            assertEquals(118, frameDecoder.bodyLength());
            commit.wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength());
            assertEquals(258L, commit.correlationId());
            assertEquals(2L, commit.ballotRound());
            assertEquals(SENDER, commit.ballotNodeId());
            commit.value(value);
            assertEquals(94, value.encodedLength());
            assertEquals(LINEAGE, value.lineage());
            assertEquals(3L, value.epoch());
            assertEquals(ViewValueDecoder.FLAG_DISSOLVE, value.flags());
            assertEquals(1, value.memberCount());
            assertTrue(value.nextMember(card));
            assertEquals(SENDER, card.nodeId());
            assertEquals(INCARNATION, card.incarnation());
            assertEquals("a", card.syncEndpoint());
            assertEquals("b", card.commandEndpoint());
            assertEquals(0, card.publicKeyLength());
            assertFalse(value.nextMember(card));
            assertEquals(1, value.removedCount());
            assertEquals(DESTINATION, value.removedNodeId(0));
            assertEquals(9L, value.removedIncarnation(0));
            assertEquals(ReasonCode.PARTITION, value.removedReason(0));
            assertFalse(frameDecoder.nextMessage());
        }
    }

    @Test
    void shouldDecodeTheGoldenEmptyFrame()
    {
        for (final MutableDirectBuffer buffer : golden(EMPTY_FRAME))
        {
            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, buffer.capacity()));
            assertHeader(DESTINATION, 0, 60);
            assertFalse(frameDecoder.nextMessage());
        }
    }

    @Test
    void shouldDecodeTheGoldenRoomCountFrame()
    {
        final RoomCountDecoder roomCount = new RoomCountDecoder();
        for (final MutableDirectBuffer buffer : golden(ROOM_COUNT_FRAME))
        {
            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, buffer.capacity()));
            assertHeader(DESTINATION, 1, 84);
            assertTrue(frameDecoder.nextMessage());
            assertEquals(MessageType.ROOM_COUNT, frameDecoder.messageType());
            assertEquals(FIRST_SEQUENCE, frameDecoder.messageSequence());
            assertEquals(64, frameDecoder.bodyOffset());
            assertEquals(16, frameDecoder.bodyLength());
            roomCount.wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength());
            assertEquals(0x4142434445464748L, roomCount.roomId());
            assertEquals(258L, roomCount.count());
            assertFalse(frameDecoder.nextMessage());
        }
    }

    @Test
    void shouldDecodeTheGoldenNotificationFrame()
    {
        final NotificationDecoder notification = new NotificationDecoder();
        for (final MutableDirectBuffer buffer : golden(NOTIFICATION_FRAME))
        {
            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, buffer.capacity()));
            assertHeader(FrameLayout.BROADCAST, 1, 83);
            assertTrue(frameDecoder.nextMessage());
            assertEquals(MessageType.NOTIFICATION, frameDecoder.messageType());
            assertEquals(64, frameDecoder.bodyOffset());
            assertEquals(15, frameDecoder.bodyLength());
            notification.wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength());
            assertEquals(0x5152535455565758L, notification.roomId());
            assertEquals(3, notification.payloadLength());
            assertEquals(76, notification.payloadOffset());
            assertArrayEquals("hi!".getBytes(StandardCharsets.US_ASCII), notification.payload());
            assertFalse(frameDecoder.nextMessage());
        }
    }

    @Test
    void shouldPinTheFrameAndMessageHeaderLayout()
    {
        assertEquals(0x54484F43, FrameLayout.MAGIC);
        assertArrayEquals("COHT".getBytes(StandardCharsets.US_ASCII), Frames.fromHex("434f4854"));
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, BYTE_ORDER);
        assertEquals(5, FrameLayout.VERSION_MAJOR);
        assertEquals(0, FrameLayout.VERSION_MINOR);
        assertEquals(0, FrameLayout.MAGIC_OFFSET);
        assertEquals(4, FrameLayout.VERSION_MAJOR_OFFSET);
        assertEquals(5, FrameLayout.VERSION_MINOR_OFFSET);
        assertEquals(6, FrameLayout.FLAGS_OFFSET);
        assertEquals(8, FrameLayout.FRAME_LENGTH_OFFSET);
        assertEquals(12, FrameLayout.MESSAGE_COUNT_OFFSET);
        assertEquals(16, FrameLayout.SENDER_NODE_ID_OFFSET);
        assertEquals(24, FrameLayout.SENDER_INCARNATION_OFFSET);
        assertEquals(32, FrameLayout.DESTINATION_NODE_ID_OFFSET);
        assertEquals(40, FrameLayout.FIRST_SEQUENCE_OFFSET);
        assertEquals(48, FrameLayout.CLUSTER_ID_OFFSET);
        assertEquals(56, FrameLayout.HEADER_LENGTH);
        assertEquals(4, FrameLayout.TRAILER_LENGTH);
        assertEquals(60, FrameLayout.MIN_FRAME_LENGTH);
        assertEquals(0, FrameLayout.MESSAGE_LENGTH_OFFSET);
        assertEquals(4, FrameLayout.MESSAGE_TYPE_OFFSET);
        assertEquals(6, FrameLayout.MESSAGE_RESERVED_OFFSET);
        assertEquals(8, FrameLayout.MESSAGE_HEADER_LENGTH);
        assertEquals(0L, FrameLayout.BROADCAST);
    }

    @Test
    void shouldPinTheMessageTypeNumbers()
    {
        assertArrayEquals(
            new int[]{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
                47, 48, 49, 50 },
            MessageType.all());
        assertEquals(1, MessageType.HEARTBEAT);
        assertEquals(2, MessageType.MEMBER_CARD);
        assertEquals(3, MessageType.NODE_JOINED);
        assertEquals(4, MessageType.NODE_LEAVING);
        assertEquals(5, MessageType.NODE_EVICTED);
        assertEquals(6, MessageType.SUSPECT);
        assertEquals(7, MessageType.ROOM_CREATED);
        assertEquals(8, MessageType.ROOM_REMOVED);
        assertEquals(9, MessageType.ROOM_COUNT);
        assertEquals(10, MessageType.NOTIFICATION);
        assertEquals(11, MessageType.CLUSTER_EVENT);
        assertEquals(12, MessageType.PROBE);
        assertEquals(13, MessageType.ROOM_WANTED);
        assertEquals(32, MessageType.JOIN_REQUEST);
        assertEquals(33, MessageType.JOIN_RESPONSE);
        assertEquals(34, MessageType.SNAPSHOT_REQUEST);
        assertEquals(35, MessageType.SNAPSHOT_CHUNK);
        assertEquals(36, MessageType.REPAIR_REQUEST);
        assertEquals(37, MessageType.PROBE_REQUEST);
        assertEquals(38, MessageType.COMMAND_RESPONSE);
        assertEquals(39, MessageType.SNAPSHOT_CREDIT);
        assertEquals(40, MessageType.VIEW_PREPARE);
        assertEquals(41, MessageType.VIEW_PROMISE);
        assertEquals(42, MessageType.VIEW_ACCEPT);
        assertEquals(43, MessageType.VIEW_ACCEPTED);
        assertEquals(44, MessageType.VIEW_COMMIT);
        assertEquals(45, MessageType.CHANGE_REQUEST);
        assertEquals(46, MessageType.VIEW_QUERY);
        assertEquals(47, MessageType.SEED_PROBE);
        assertEquals(48, MessageType.SEED_PROBE_RESPONSE);
        assertEquals(49, MessageType.FLOW_STATUS);
    }

    @Test
    void shouldPinTheFixedPartOfEveryMessageBody()
    {
        assertEquals(64, HeartbeatDecoder.MIN_LENGTH);
        assertEquals(32, HeartbeatDecoder.MEMBER_ENTRY_LENGTH);
        assertEquals(16, HeartbeatDecoder.DIRECTED_ENTRY_LENGTH);
        assertEquals(36, MemberCardDecoder.MIN_LENGTH);
        assertEquals(24, NodeLeavingDecoder.BODY_LENGTH);
        assertEquals(32, NodeEvictedDecoder.BODY_LENGTH);
        assertEquals(40, SuspectDecoder.BODY_LENGTH);
        assertEquals(20, RoomCreatedDecoder.MIN_LENGTH);
        assertEquals(8, RoomRemovedDecoder.BODY_LENGTH);
        assertEquals(24, RoomRemovedDecoder.COVERED_ENTRY_LENGTH);
        assertEquals(8, RoomWantedDecoder.BODY_LENGTH);
        assertEquals(16, RoomCountDecoder.BODY_LENGTH);
        assertEquals(12, NotificationDecoder.FIXED_LENGTH);
        assertEquals(8, ClusterEventDecoder.MIN_LENGTH);
        assertEquals(16, ProbeDecoder.BODY_LENGTH);
        assertEquals(64, JoinRequestDecoder.MIN_LENGTH);
        assertEquals(36, JoinResponseDecoder.MIN_LENGTH);
        assertEquals(24, SnapshotRequestDecoder.BODY_LENGTH);
        assertEquals(56, SnapshotChunkDecoder.MIN_LENGTH);
        assertEquals(16, SnapshotChunkDecoder.COUNT_ENTRY_LENGTH);
        assertEquals(60, SnapshotChunkDecoder.TABLE_STREAMS_OFFSET);
        assertEquals(24, SnapshotChunkDecoder.TABLE_STREAM_ENTRY_LENGTH);
        assertEquals(4, SnapshotChunkDecoder.FLAG_TABLE_STREAMS);
        assertEquals(60, SnapshotChunkDecoder.ROOM_REMOVALS_OFFSET);
        assertEquals(32, SnapshotChunkDecoder.ROOM_REMOVAL_ENTRY_LENGTH);
        assertEquals(8, SnapshotChunkDecoder.FLAG_ROOM_REMOVALS);
        assertEquals(40, RepairRequestDecoder.BODY_LENGTH);
        assertEquals(16, ProbeRequestDecoder.BODY_LENGTH);
        assertEquals(16, SnapshotCreditDecoder.BODY_LENGTH);
        assertEquals(16, FlowStatusDecoder.MIN_LENGTH);
        assertEquals(24, FlowStatusDecoder.BODY_LENGTH);
        assertEquals(20, CommandResponseDecoder.MIN_LENGTH);
        assertEquals(32, ViewValueDecoder.MIN_LENGTH);
        assertEquals(24, ViewValueDecoder.REMOVED_ENTRY_LENGTH);
        assertEquals(40, ViewPrepareDecoder.BODY_LENGTH);
        assertEquals(84, ViewPromiseDecoder.MIN_LENGTH);
        assertEquals(72, ViewAcceptDecoder.MIN_LENGTH);
        assertEquals(64, ViewAcceptedDecoder.MIN_LENGTH);
        assertEquals(16, ViewAcceptedDecoder.REMOVED_ENTRY_LENGTH);
        assertEquals(56, ViewCommitDecoder.MIN_LENGTH);
        assertEquals(64, ChangeRequestDecoder.FIXED_LENGTH);
        assertEquals(24, ViewQueryDecoder.BODY_LENGTH);
        assertEquals(24, SeedProbeDecoder.BODY_LENGTH);
        assertEquals(52, SeedProbeResponseDecoder.BODY_LENGTH);
    }

    private void assertGolden(
        final String expectedHex, final int expectedCrc, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final byte[] expected = Frames.fromHex(expectedHex);
        assertEquals(expected.length, length);
        assertEquals(Frames.hex(new UnsafeBuffer(expected), 0, expected.length), Frames.hex(buffer, offset, length));
        assertEquals(expectedCrc, buffer.getInt(offset + length - FrameLayout.TRAILER_LENGTH, BYTE_ORDER));
    }

    private static void assertTrailer(final String hex, final int expectedCrc)
    {
        final byte[] bytes = Frames.fromHex(hex);
        final int trailer = new UnsafeBuffer(bytes).getInt(bytes.length - FrameLayout.TRAILER_LENGTH, BYTE_ORDER);
        assertEquals(expectedCrc, Frames.crc32c(bytes, bytes.length - FrameLayout.TRAILER_LENGTH));
        assertEquals(expectedCrc, trailer);
    }

    private static MutableDirectBuffer[] golden(final String hex)
    {
        final byte[] bytes = Frames.fromHex(hex);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        direct.putBytes(0, bytes);
        return new MutableDirectBuffer[]{ new UnsafeBuffer(bytes.clone()), direct };
    }

    private void assertHeader(final long destination, final int messageCount, final int frameLength)
    {
        assertEquals(SENDER, frameDecoder.senderNodeId());
        assertEquals(INCARNATION, frameDecoder.senderIncarnation());
        assertEquals(destination, frameDecoder.destinationNodeId());
        assertEquals(FIRST_SEQUENCE, frameDecoder.firstSequence());
        assertEquals(CLUSTER, frameDecoder.clusterId());
        assertEquals(0, frameDecoder.versionMinor());
        assertEquals(0, frameDecoder.flags());
        assertEquals(messageCount, frameDecoder.messageCount());
        assertEquals(frameLength, frameDecoder.frameLength());
    }
}
