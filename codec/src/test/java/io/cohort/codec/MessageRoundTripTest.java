package io.cohort.codec;

import io.cohort.codec.Messages.Bytes;
import io.cohort.codec.Messages.Card;
import io.cohort.codec.Messages.ClusterEvent;
import io.cohort.codec.Messages.CommandResponse;
import io.cohort.codec.Messages.Count;
import io.cohort.codec.Messages.Directed;
import io.cohort.codec.Messages.Heartbeat;
import io.cohort.codec.Messages.JoinRequest;
import io.cohort.codec.Messages.JoinResponse;
import io.cohort.codec.Messages.MemberCard;
import io.cohort.codec.Messages.Message;
import io.cohort.codec.Messages.NodeEvicted;
import io.cohort.codec.Messages.NodeLeaving;
import io.cohort.codec.Messages.Notification;
import io.cohort.codec.Messages.Probe;
import io.cohort.codec.Messages.ProbeRequest;
import io.cohort.codec.Messages.SnapshotCredit;
import io.cohort.codec.Messages.FlowStatus;
import io.cohort.codec.Messages.Liveness;
import io.cohort.codec.Messages.RepairRequest;
import io.cohort.codec.Messages.Room;
import io.cohort.codec.Messages.RoomCount;
import io.cohort.codec.Messages.RoomCreated;
import io.cohort.codec.Messages.RoomRemoved;
import io.cohort.codec.Messages.RoomWanted;
import io.cohort.codec.Messages.SnapshotChunk;
import io.cohort.codec.Messages.SnapshotRequest;
import io.cohort.codec.Messages.Suspect;
import io.cohort.codec.Messages.ChangeRequest;
import io.cohort.codec.Messages.HeartbeatMember;
import io.cohort.codec.Messages.Removed;
import io.cohort.codec.Messages.RemovedHeard;
import io.cohort.codec.Messages.SeedProbe;
import io.cohort.codec.Messages.SeedProbeResponse;
import io.cohort.codec.Messages.ViewAccept;
import io.cohort.codec.Messages.ViewAccepted;
import io.cohort.codec.Messages.ViewCommit;
import io.cohort.codec.Messages.ViewPrepare;
import io.cohort.codec.Messages.ViewPromise;
import io.cohort.codec.Messages.ViewQuery;
import io.cohort.codec.Messages.ViewValue;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.cohort.codec.FrameLayout.BROADCAST;
import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static io.cohort.codec.FrameLayout.HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MESSAGE_HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MIN_FRAME_LENGTH;
import static io.cohort.codec.FrameLayout.TRAILER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageRoundTripTest
{
    private static final long SENDER = 0x0123_4567_89AB_CDEFL;
    private static final long CLUSTER = 0x7766_5544_3322_1100L;
    private static final long INCARNATION = 1_700_000_000_123L;
    private static final long DESTINATION = -42L;
    private static final long FIRST_SEQUENCE = Long.MAX_VALUE - 1_000L;
    private static final int COPIES = 3;
    private static final long LINEAGE = 0x1EA6_E000_0000_0001L;

    private final MessageCodec codec = new MessageCodec();
    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final FrameDecoder frameDecoder = new FrameDecoder();
    private final Frames frames = new Frames();

    // ------------------------------------------------------------------------------------------------ cases

    static Card card(final long nodeId, final String host, final Bytes publicKey)
    {
        return Card.of(nodeId, nodeId * 31 + 7, "tcp://" + host + ":7001", "tcp://" + host + ":7002", publicKey);
    }

    static Room room(final long roomId, final String index, final String collection, final Bytes filter)
    {
        return new Room(roomId, index, collection, filter);
    }

    /**
     * One rich case per message type: non-trivial values, several list entries, non-ASCII names.
     *
     * @return the cases, in type order.
     */
    static List<Message> richMessages()
    {
        final Bytes curveKey = Bytes.filled(32, 0xC3);
        final Bytes filter = new Bytes(MessageCodec.utf8("{\"ville\":\"Zürich\",\"prix\":{\"$lt\":1e3}}"));
        final ViewValue view = richView(curveKey);
        return List.of(
            new Heartbeat(
                123_456_789_012L, 99L, 0xDEAD_BEEF_CAFE_BABEL,
                HeartbeatDecoder.FLAG_RESUMED_FROM_PAUSE | HeartbeatDecoder.FLAG_LEAVING,
                LINEAGE, 7L, 1_234L,
                List.of(
                    new HeartbeatMember(SENDER, 1_234L, 1_234L, 0L),
                    new HeartbeatMember(2L, 1_230L, 1_229L, 0b1100L),
                    HeartbeatMember.of(-3L),
                    new HeartbeatMember(Long.MAX_VALUE, -1L, Long.MIN_VALUE, -1L)),
                List.of(new Directed(2L, 17L), new Directed(-3L, 0L), new Directed(Long.MIN_VALUE, -1L))),
            new MemberCard(MessageType.MEMBER_CARD, card(7L, "nœud-7.exemple.fr", curveKey)),
            new MemberCard(MessageType.NODE_JOINED, card(-8L, "ノード8.example.jp", Bytes.EMPTY)),
            new NodeLeaving(11L, 12L, 13L),
            new NodeEvicted(21L, 22L, 23L, ReasonCode.FALSE_ACCUSATION),
            new Suspect(31L, -32L, 33L, 35L, ReasonCode.GAP),
            new RoomCreated(room(41L, "índice-日本", "コレクション🚀", filter)),
            new RoomRemoved(Long.MIN_VALUE),
            new RoomCount(61L, Long.MAX_VALUE),
            new Notification(71L, Bytes.of(0, 1, 2, 0x7F, 0x80, 0xFF, 'h', 'i')),
            new ClusterEvent("événement-🎉", new Bytes(MessageCodec.utf8("{\"clé\":\"valeur\"}"))),
            new Probe(91L, 0x0F0F_0F0F_0F0F_0F0FL),
            new RoomWanted(Long.MAX_VALUE),
            new JoinRequest(101L, 100_000_000L, 1_000_000_000L, "prod-eu", card(102L, "joiner.example", curveKey)),
            new JoinResponse(111L, CommandStatus.OK, 200_000_000L, 3_000_000_000L, "clúster-☕", List.of(
                card(1L, "a.example", curveKey), card(2L, "bé.example", Bytes.EMPTY), card(3L, "c.例え", Bytes.of(9)))),
            new SnapshotRequest(121L, 122L, 64 * 1024,
                SnapshotRequestDecoder.FLAG_ROOM_TABLE_COMPLETE | SnapshotRequestDecoder.FLAG_ROOM_FLOORS,
                List.of(new Messages.Floor(125L, 126L, 127L), new Messages.Floor(128L, 129L, 130L))),
            new SnapshotChunk(
                131L, 132L, 133L, 134L, 135L, 2, SnapshotChunkDecoder.FLAG_LAST,
                List.of(new Count(1L, 0L), new Count(2L, 5L), new Count(Long.MIN_VALUE, Long.MAX_VALUE)),
                List.of(
                    room(1L, "idx", "coll", Bytes.EMPTY),
                    room(2L, "índice", "コレクション", filter),
                    room(3L, "", "", Bytes.of(0)))),
            new RepairRequest(141L, 142L, 143L, 144L, 200L),
            new ProbeRequest(151L, -152L),
            new CommandResponse(161L, CommandStatus.BAD_REQUEST, "salle inconnue: «café» ☕"),
            new SnapshotCredit(171L, 172L),
            new ViewPrepare(181L, LINEAGE, 8L, 3L, -182L),
            new ViewPromise(191L, LINEAGE, 8L, 3L, 192L, true, 2L, 193L, 1L, 194L, view),
            new ViewAccept(201L, LINEAGE, 8L, 3L, 202L, view),
            new ViewAccepted(211L, LINEAGE, 8L, 3L, 212L, false, 4L, -213L,
                List.of(new RemovedHeard(2L, 1_500_000_000L), new RemovedHeard(-4L, Long.MAX_VALUE))),
            new ViewCommit(221L, 3L, 222L, view),
            new ChangeRequest(231L, LINEAGE, 7L, ChangeRequestDecoder.KIND_JOIN, 0, 232L, 233L, 0L, 0L,
                card(232L, "arrivée.example", curveKey), null),
            new ViewQuery(241L, LINEAGE, 7L),
            new SeedProbe(251L, LINEAGE, 7L),
            new SeedProbeResponse(261L, ~LINEAGE, 12L, 5, true, 1_700_000_000_001L, 262L, true),
            new FlowStatus(271L, 272L, 273L),
            new Liveness(new Heartbeat(281L, 282L, 283L, 1, LINEAGE, 7L, 284L,
                List.of(new HeartbeatMember(285L, 286L, 287L, 0b101L)), List.of())));
    }

    /**
     * A view of three members, two of them removed from its predecessor: the value of the rich view messages.
     *
     * @param curveKey the key of the first member.
     * @return the value.
     */
    static ViewValue richView(final Bytes curveKey)
    {
        return new ViewValue(LINEAGE, 8L, ViewValueDecoder.FLAG_DISSOLVE,
            List.of(card(1L, "a.example", curveKey), card(3L, "c.例え", Bytes.EMPTY), card(-5L, "e.example", Bytes.of(9))),
            List.of(new Removed(2L, 62L, ReasonCode.PARTITION), new Removed(4L, Long.MIN_VALUE, ReasonCode.SILENCE)));
    }

    /**
     * One case per type with every list and var-length field empty and every number 0 (or the edge).
     *
     * @return the cases, in type order.
     */
    static List<Message> emptyMessages()
    {
        final Card emptyCard = Card.of(0L, 0L, "", "", Bytes.EMPTY);
        final Room emptyRoom = room(0L, "", "", Bytes.EMPTY);
        final ViewValue emptyView = new ViewValue(0L, 0L, 0, List.of(), List.of());
        return List.of(
            new Heartbeat(0L, 0L, 0L, 0, 0L, 0L, 0L, List.of(), List.of()),
            new MemberCard(MessageType.MEMBER_CARD, emptyCard),
            new MemberCard(MessageType.NODE_JOINED, emptyCard),
            new NodeLeaving(-1L, -1L, -1L),
            new NodeEvicted(0L, 0L, 0L, 0),
            new Suspect(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE),
            new RoomCreated(emptyRoom),
            new RoomRemoved(0L),
            new RoomCount(0L, 0L),
            new Notification(0L, Bytes.EMPTY),
            new ClusterEvent("", Bytes.EMPTY),
            new Probe(0L, 0L),
            new RoomWanted(0L),
            new JoinRequest(0L, 0L, 0L, "", emptyCard),
            new JoinResponse(0L, CommandStatus.CLUSTER_MISMATCH, 0L, 0L, "", List.of()),
            new SnapshotRequest(0L, 0L, 0, 0),
            new SnapshotChunk(0L, 0L, 0L, 0L, 0L, 0, 0, List.of(), List.of()),
            new RepairRequest(0L, 0L, 0L, Long.MIN_VALUE, Long.MIN_VALUE),
            new ProbeRequest(0L, 0L),
            new CommandResponse(0L, CommandStatus.OK, ""),
            new SnapshotCredit(0L, 0L),
            new ViewPrepare(0L, 0L, 0L, 0L, 0L),
            new ViewPromise(0L, 0L, 0L, 0L, 0L, false, 0L, 0L, 0L, 0L, null),
            new ViewAccept(0L, 0L, 0L, 0L, 0L, emptyView),
            new ViewAccepted(-1L, -1L, -1L, -1L, -1L, true, -1L, -1L, List.of()),
            new ViewCommit(0L, 0L, 0L, emptyView),
            new ChangeRequest(0L, 0L, 0L, ChangeRequestDecoder.KIND_LEAVE, 0, 0L, 0L, 0L, 0L, null, null),
            new ViewQuery(0L, 0L, 0L),
            new SeedProbe(0L, 0L, 0L),
            new SeedProbeResponse(0L, 0L, 0L, 0, false, 0L, 0L, false),
            new FlowStatus(0L, 0L, 0L),
            new Liveness(new Heartbeat(0L, 0L, 0L, 0, 0L, 0L, 0L, List.of(), List.of())));
    }

    /**
     * Messages at the default limits: longest names, endpoints, filters, payloads and member lists.
     *
     * @return the cases.
     */
    static List<Message> maximalMessages()
    {
        final String name = "é".repeat(CodecLimits.MAX_NAME_LENGTH_DEFAULT / 2) + "x";
        final String endpoint = "tcp://" + "h".repeat(CodecLimits.MAX_ENDPOINT_LENGTH_DEFAULT - 6);
        final Bytes key = Bytes.filled(CodecLimits.MAX_ENDPOINT_LENGTH_DEFAULT, 0xEE);
        final Bytes filter = Bytes.filled(CodecLimits.MAX_FILTER_LENGTH_DEFAULT, 0x66);
        final Bytes payload = Bytes.filled(CodecLimits.MAX_PAYLOAD_LENGTH_DEFAULT, 0xAA);
        final List<HeartbeatMember> members = new ArrayList<>();
        final List<Directed> directed = new ArrayList<>();
        final List<Card> cards = new ArrayList<>();
        final List<Removed> removed = new ArrayList<>();
        final List<RemovedHeard> removedHeard = new ArrayList<>();
        for (int i = 0; i < CodecLimits.MAX_MEMBERS_DEFAULT; i++)
        {
            members.add(new HeartbeatMember(i, i + 1, i + 2, -1L >>> (i % 64)));
            directed.add(new Directed(i, -i));
            cards.add(Card.of(i, i, "", "", Bytes.EMPTY));
            removed.add(new Removed(-i, i, ReasonCode.PARTITION));
            removedHeard.add(new RemovedHeard(i, (long)i * 1_000_000L));
        }
        final ViewValue view = new ViewValue(-1L, Long.MAX_VALUE, -1, cards, removed);
        final Card longCard = Card.of(1L, 2L, endpoint, endpoint, key);
        return List.of(
            new Heartbeat(1L, 2L, 3L, 4, 5L, 6L, 7L, members, directed),
            new ViewPromise(1L, 2L, 3L, 4L, 5L, true, 6L, 7L, 8L, 9L, view),
            new ViewAccept(1L, 2L, 3L, 4L, 5L, view),
            new ViewAccepted(1L, 2L, 3L, 4L, 5L, true, 6L, 7L, removedHeard),
            new ViewCommit(1L, 2L, 3L, new ViewValue(1L, 2L, 0, List.of(longCard, longCard), removed)),
            new ChangeRequest(1L, 2L, 3L, ChangeRequestDecoder.KIND_JOIN, 4, 5L, 6L, 7L, 8L, longCard, null),
            new ChangeRequest(1L, 2L, 3L, ChangeRequestDecoder.KIND_DISSOLVE, 4, 5L, 6L, 7L, 8L, null, endpoint),
            new MemberCard(MessageType.MEMBER_CARD, Card.of(1L, 2L, endpoint, endpoint, key)),
            new RoomCreated(room(1L, name, name, filter)),
            new Notification(1L, payload),
            new ClusterEvent(name, payload),
            new JoinResponse(1L, CommandStatus.OK, Long.MAX_VALUE, Long.MIN_VALUE, name, cards),
            new CommandResponse(1L, CommandStatus.INTERNAL_ERROR, "€".repeat(CodecLimits.MAX_PAYLOAD_LENGTH_DEFAULT / 3)));
    }

    static Stream<Arguments> everyType()
    {
        final List<Message> rich = richMessages();
        final List<Message> empty = emptyMessages();
        final List<Arguments> arguments = new ArrayList<>();
        for (int i = 0; i < rich.size(); i++)
        {
            arguments.add(Arguments.of(MessageType.name(rich.get(i).type()), "rich", rich.get(i)));
            arguments.add(Arguments.of(MessageType.name(empty.get(i).type()), "empty", empty.get(i)));
        }
        for (final Message message : maximalMessages())
        {
            arguments.add(Arguments.of(MessageType.name(message.type()), "maximal", message));
        }
        return arguments.stream();
    }

    static Stream<Arguments> buffers()
    {
        final int capacity = 256 * 1024;
        return Stream.of(
            Arguments.of("direct", (Supplier<MutableDirectBuffer>)() ->
                new UnsafeBuffer(ByteBuffer.allocateDirect(capacity))),
            Arguments.of("heap array", (Supplier<MutableDirectBuffer>)() -> new UnsafeBuffer(new byte[capacity])),
            Arguments.of("heap array at an offset", (Supplier<MutableDirectBuffer>)() ->
                new UnsafeBuffer(new byte[capacity + 13], 13, capacity)),
            Arguments.of("heap ByteBuffer slice", (Supplier<MutableDirectBuffer>)() ->
                new UnsafeBuffer(ByteBuffer.wrap(new byte[capacity + 21], 21, capacity).slice())),
            Arguments.of("direct ByteBuffer slice", (Supplier<MutableDirectBuffer>)() ->
                new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + 5).position(5).slice())));
    }

    // ------------------------------------------------------------------------------------------------ round trips

    @Test
    void shouldHaveRichAndEmptyCasesForEveryMessageType()
    {
        final int[] types = MessageType.all();
        assertEquals(types.length, richMessages().size());
        assertEquals(types.length, emptyMessages().size());
        for (int i = 0; i < types.length; i++)
        {
            assertEquals(types[i], richMessages().get(i).type(), "rich case " + i);
            assertEquals(types[i], emptyMessages().get(i).type(), "empty case " + i);
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("everyType")
    void shouldRoundTripEveryField(final String typeName, final String variant, final Message message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(CodecLimits.MAX_FRAME_LENGTH_DEFAULT + 64));
        final int offset = 24;
        frameEncoder.wrap(buffer, offset, buffer.capacity() - offset).begin(CLUSTER, SENDER, INCARNATION, DESTINATION, FIRST_SEQUENCE);
        for (int i = 0; i < COPIES; i++)
        {
            assertTrue(codec.encode(frameEncoder, buffer, message, 0));
        }
        final int frameLength = frameEncoder.finish();
        assertEquals(frameEncoder.frameLength(), frameLength);
        assertEquals(
            MIN_FRAME_LENGTH + COPIES * (MESSAGE_HEADER_LENGTH + MessageCodec.bodyLength(message)), frameLength);
        assertEquals(
            frames.crc32c(buffer, offset, frameLength - TRAILER_LENGTH),
            buffer.getInt(offset + frameLength - TRAILER_LENGTH, BYTE_ORDER));

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, offset, frameLength));
        assertHeader(frameLength, COPIES);
        for (int i = 0; i < COPIES; i++)
        {
            assertTrue(frameDecoder.nextMessage());
            assertEquals(message.type(), frameDecoder.messageType());
            assertEquals(i, frameDecoder.messageIndex());
            assertEquals(FIRST_SEQUENCE + i, frameDecoder.messageSequence());
            assertEquals(MessageCodec.bodyLength(message), frameDecoder.bodyLength());
            assertEquals(message, codec.read(frameDecoder.messageType(), buffer, frameDecoder.bodyOffset(),
                frameDecoder.bodyLength()));
        }
        assertFalse(frameDecoder.nextMessage());
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("everyType")
    void shouldIgnoreFieldsAppendedByANewerMinorVersion(final String typeName, final String variant, final Message message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CodecLimits.MAX_FRAME_LENGTH_DEFAULT]);
        frameEncoder.wrap(buffer, 0, buffer.capacity()).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 1L);
        assertTrue(codec.encode(frameEncoder, buffer, message, 13));
        assertTrue(codec.encode(frameEncoder, buffer, new RoomCount(5L, 6L), 0));
        final int frameLength = frameEncoder.finish();

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, frameLength));
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(frameDecoder, 0, decoded);
        assertEquals(List.of(message, new RoomCount(5L, 6L)), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    void shouldRoundTripABatchOfManyMixedMessages(final String kind, final Supplier<MutableDirectBuffer> supplier)
    {
        final MutableDirectBuffer buffer = supplier.get();
        final List<Message> messages = new ArrayList<>(richMessages());
        messages.addAll(emptyMessages());
        messages.addAll(RandomMessages.list(new Random(20_240_601L), 500));

        for (final int offset : new int[]{ 0, 1, 7, 4096 })
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0xA5);
            frameEncoder.wrap(buffer, offset, buffer.capacity() - offset).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);
            codec.encodeAll(frameEncoder, buffer, messages);
            assertEquals(messages.size(), frameEncoder.messageCount());
            final int frameLength = frameEncoder.finish();

            assertEquals(
                frames.crc32c(buffer, offset, frameLength - TRAILER_LENGTH),
                buffer.getInt(offset + frameLength - TRAILER_LENGTH, BYTE_ORDER), kind + " CRC at offset " + offset);
            assertEquals((byte)0xA5, buffer.getByte(offset + frameLength), "wrote past the frame");
            if (offset > 0)
            {
                assertEquals((byte)0xA5, buffer.getByte(offset - 1), "wrote before the frame");
            }

            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, offset, frameLength), kind);
            assertEquals(messages.size(), frameDecoder.messageCount());
            assertEquals(frameLength, frameDecoder.frameLength());
            final List<Message> decoded = new ArrayList<>();
            codec.readAll(frameDecoder, offset, decoded);
            assertEquals(messages, decoded);
        }
    }

    @Test
    void shouldCopyAFrameBetweenHeapAndDirectBuffersWithTheSameChecksum()
    {
        final List<Message> messages = RandomMessages.list(new Random(7L), 100);
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[256 * 1024]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(256 * 1024));

        frameEncoder.wrap(heap, 0, heap.capacity()).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);
        codec.encodeAll(frameEncoder, heap, messages);
        final int heapLength = frameEncoder.finish();
        frameEncoder.wrap(direct, 0, direct.capacity()).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);
        codec.encodeAll(frameEncoder, direct, messages);
        final int directLength = frameEncoder.finish();

        assertEquals(heapLength, directLength);
        assertEquals(Frames.hex(heap, 0, heapLength), Frames.hex(direct, 0, directLength));
        direct.putBytes(0, heap, 0, heapLength);
        assertEquals(DecodeResult.OK, frameDecoder.wrap(direct, 0, heapLength));
        heap.putBytes(0, direct, 0, heapLength);
        assertEquals(DecodeResult.OK, frameDecoder.wrap(heap, 0, heapLength));
    }

    @Test
    void shouldRoundTripAnEmptyFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MIN_FRAME_LENGTH]);
        final int frameLength = frameEncoder.wrap(buffer, 0, MIN_FRAME_LENGTH)
            .begin(CLUSTER, SENDER, INCARNATION, DESTINATION, FIRST_SEQUENCE)
            .finish();

        assertEquals(MIN_FRAME_LENGTH, frameLength);
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, frameLength));
        assertHeader(frameLength, 0);
        assertFalse(frameDecoder.nextMessage());
    }

    @Test
    void shouldReuseTheFrameEncoderAndDecoderForConsecutiveFrames()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        final Random random = new Random(99L);
        for (int frame = 0; frame < 50; frame++)
        {
            final List<Message> messages = RandomMessages.list(random, random.nextInt(5));
            frameEncoder.wrap(buffer, 0, buffer.capacity()).begin(CLUSTER, frame, frame + 1, frame + 2, frame * 10L);
            codec.encodeAll(frameEncoder, buffer, messages);
            final int frameLength = frameEncoder.finish();

            assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, frameLength));
            assertEquals(frame, frameDecoder.senderNodeId());
            assertEquals(frame + 1, frameDecoder.senderIncarnation());
            assertEquals(frame + 2, frameDecoder.destinationNodeId());
            assertEquals(frame * 10L, frameDecoder.firstSequence());
            final List<Message> decoded = new ArrayList<>();
            codec.readAll(frameDecoder, 0, decoded);
            assertEquals(messages, decoded);
        }
    }

    private void assertHeader(final int frameLength, final int messageCount)
    {
        assertEquals(SENDER, frameDecoder.senderNodeId());
        assertEquals(INCARNATION, frameDecoder.senderIncarnation());
        assertEquals(DESTINATION, frameDecoder.destinationNodeId());
        assertEquals(FIRST_SEQUENCE, frameDecoder.firstSequence());
        assertEquals(CLUSTER, frameDecoder.clusterId());
        assertEquals(FrameLayout.VERSION_MINOR, frameDecoder.versionMinor());
        assertEquals(0, frameDecoder.flags());
        assertEquals(frameLength, frameDecoder.frameLength());
        assertEquals(messageCount, frameDecoder.messageCount());
    }

    // ------------------------------------------------------------------------------------------------ frame encoder

    @Test
    void shouldLeaveAValidFrameWhenClaimReturnsNoSpace()
    {
        final int capacity = MIN_FRAME_LENGTH + 10 * (MESSAGE_HEADER_LENGTH + RoomCountEncoder.BODY_LENGTH) + 5;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacity]);
        final RoomCountEncoder roomCount = new RoomCountEncoder();
        frameEncoder.wrap(buffer, 0, capacity).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);

        int claimed = 0;
        while (true)
        {
            final boolean fits = frameEncoder.fits(RoomCountEncoder.BODY_LENGTH);
            final int at = frameEncoder.claim(MessageType.ROOM_COUNT, RoomCountEncoder.BODY_LENGTH);
            assertEquals(fits, at != FrameEncoder.NO_SPACE);
            if (FrameEncoder.NO_SPACE == at)
            {
                break;
            }
            roomCount.wrap(buffer, at).roomId(claimed).count(claimed * 2L);
            claimed++;
        }
        assertEquals(10, claimed);
        assertEquals(10, frameEncoder.messageCount());
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.claim(MessageType.ROOM_REMOVED, 0));
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.claim(MessageType.ROOM_COUNT, Integer.MAX_VALUE));
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.claim(MessageType.ROOM_COUNT, Integer.MAX_VALUE - 7));
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.remainingBodyLength());
        assertFalse(frameEncoder.fits(0));
        assertEquals(capacity - 5, frameEncoder.finish());

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, capacity - 5));
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(frameDecoder, 0, decoded);
        assertEquals(
            IntStream.range(0, 10).mapToObj(i -> new RoomCount(i, i * 2L)).collect(Collectors.toList()),
            decoded);
    }

    @Test
    void shouldReadAFlowStatusFromASenderThatPredatesItsDirectedSequence()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        frameEncoder.wrap(buffer, 0, 256).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);
        final int at = frameEncoder.claim(MessageType.FLOW_STATUS, FlowStatusDecoder.MIN_LENGTH);
        buffer.putLong(at, 271L, BYTE_ORDER);
        buffer.putLong(at + Long.BYTES, 272L, BYTE_ORDER);
        final int length = frameEncoder.finish();

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, length), "the fields before the appended one suffice");
        assertTrue(frameDecoder.nextMessage());
        final FlowStatusDecoder status =
            new FlowStatusDecoder().wrap(buffer, frameDecoder.bodyOffset(), frameDecoder.bodyLength());
        assertEquals(271L, status.ownerIncarnation());
        assertEquals(272L, status.appliedBroadcastSequence());
        assertEquals(FlowStatusDecoder.NO_DIRECTED_SEQUENCE, status.appliedDirectedSequence());
    }

    @Test
    void shouldRefuseAHugeClaimInAnEmptyFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        frameEncoder.wrap(buffer, 0, 1024).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);

        for (final int bodyLength : new int[]{ Integer.MAX_VALUE, Integer.MAX_VALUE - 7, Integer.MAX_VALUE - 8, 1 << 30 })
        {
            assertFalse(frameEncoder.fits(bodyLength));
            assertEquals(FrameEncoder.NO_SPACE, frameEncoder.claim(MessageType.NOTIFICATION, bodyLength), "" + bodyLength);
        }
        assertEquals(0, frameEncoder.messageCount());
        assertEquals(MIN_FRAME_LENGTH, frameEncoder.finish());
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, MIN_FRAME_LENGTH));
    }

    @Test
    void shouldClaimExactlyTheRemainingBodyLength()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[300]);
        frameEncoder.wrap(buffer, 0, 300).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 0L);
        final int remaining = frameEncoder.remainingBodyLength();
        assertEquals(300 - MIN_FRAME_LENGTH - MESSAGE_HEADER_LENGTH, remaining);
        assertTrue(frameEncoder.fits(remaining));
        assertFalse(frameEncoder.fits(remaining + 1));
        assertFalse(frameEncoder.fits(-1));

        final int at = frameEncoder.claim(MessageType.NOTIFICATION, remaining);
        assertEquals(HEADER_LENGTH + MESSAGE_HEADER_LENGTH, at);
        new NotificationEncoder().wrap(buffer, at).roomId(1L)
            .payload(new UnsafeBuffer(new byte[remaining]), 0, remaining - NotificationDecoder.FIXED_LENGTH);
        assertEquals(300, frameEncoder.finish());
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.remainingBodyLength());
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, 300));
    }

    @Test
    void shouldResizeTheLastMessageToWhatWasWritten()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final byte[] payload = { 1, 2, 3 };
        frameEncoder.wrap(buffer, 0, 1024).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 10L);
        codec.encode(frameEncoder, buffer, new RoomRemoved(4L), 0);

        final int at = frameEncoder.claim(MessageType.NOTIFICATION, 500);
        new NotificationEncoder().wrap(buffer, at).roomId(9L).payload(new UnsafeBuffer(payload), 0, payload.length);
        assertThrows(IllegalArgumentException.class, () -> frameEncoder.resizeLastMessage(501));
        assertThrows(IllegalArgumentException.class, () -> frameEncoder.resizeLastMessage(-1));
        frameEncoder.resizeLastMessage(NotificationEncoder.computeLength(payload.length));
        assertEquals(
            MIN_FRAME_LENGTH + 2 * MESSAGE_HEADER_LENGTH + RoomRemovedEncoder.bodyLength(0) +
            NotificationEncoder.computeLength(payload.length),
            frameEncoder.frameLength());
        final IllegalArgumentException tooLong = assertThrows(
            IllegalArgumentException.class,
            () -> frameEncoder.resizeLastMessage(NotificationEncoder.computeLength(payload.length) + 1));
        assertTrue(tooLong.getMessage().contains("bodyLength=" + (NotificationEncoder.computeLength(payload.length) + 1)),
            tooLong.getMessage());
        codec.encode(frameEncoder, buffer, new RoomCount(5L, 6L), 0);
        final int frameLength = frameEncoder.finish();

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, frameLength));
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(frameDecoder, 0, decoded);
        assertEquals(
            List.of(new RoomRemoved(4L), new Notification(9L, new Bytes(payload)), new RoomCount(5L, 6L)), decoded);
    }

    @Test
    void shouldFinishAgainAfterMoreClaims()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        frameEncoder.wrap(buffer, 0, 1024).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 10L);
        codec.encode(frameEncoder, buffer, new RoomRemoved(4L), 0);
        final int firstLength = frameEncoder.finish();
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, firstLength));

        codec.encode(frameEncoder, buffer, new RoomRemoved(5L), 0);
        final int secondLength = frameEncoder.finish();
        assertEquals(firstLength + MESSAGE_HEADER_LENGTH + RoomRemovedEncoder.bodyLength(0), secondLength);
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, secondLength));
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(frameDecoder, 0, decoded);
        assertEquals(List.of(new RoomRemoved(4L), new RoomRemoved(5L)), decoded);
    }

    @Test
    void shouldDiscardPreviousMessagesOnBegin()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        frameEncoder.wrap(buffer, 0, 1024).begin(CLUSTER, SENDER, INCARNATION, BROADCAST, 10L);
        codec.encode(frameEncoder, buffer, new RoomRemoved(4L), 0);
        frameEncoder.begin(CLUSTER, SENDER, INCARNATION + 1, BROADCAST, 11L);
        assertEquals(0, frameEncoder.messageCount());
        codec.encode(frameEncoder, buffer, new RoomCount(5L, 6L), 0);
        final int frameLength = frameEncoder.finish();

        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 0, frameLength));
        assertEquals(INCARNATION + 1, frameDecoder.senderIncarnation());
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(frameDecoder, 0, decoded);
        assertEquals(List.of(new RoomCount(5L, 6L)), decoded);
    }

    @Test
    void shouldRejectAWrapThatCannotHoldAnEmptyFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[120]);
        final IllegalArgumentException tooSmall = assertThrows(
            IllegalArgumentException.class, () -> frameEncoder.wrap(buffer, 0, MIN_FRAME_LENGTH - 1));
        assertTrue(tooSmall.getMessage().contains("capacity=" + (MIN_FRAME_LENGTH - 1)), tooSmall.getMessage());

        final IllegalArgumentException pastEnd = assertThrows(
            IllegalArgumentException.class, () -> frameEncoder.wrap(buffer, 61, MIN_FRAME_LENGTH));
        assertTrue(pastEnd.getMessage().contains("offset=61"), pastEnd.getMessage());

        assertThrows(IllegalArgumentException.class, () -> frameEncoder.wrap(buffer, -1, MIN_FRAME_LENGTH));
        assertThrows(IllegalArgumentException.class, () -> frameEncoder.wrap(buffer, 0, 121));
        assertThrows(IllegalArgumentException.class, () -> frameEncoder.wrap(buffer, 1, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> frameEncoder.wrap(new UnsafeBuffer(new byte[MIN_FRAME_LENGTH - 1]), 0, MIN_FRAME_LENGTH - 1));

        frameEncoder.wrap(buffer, 60, MIN_FRAME_LENGTH).begin(CLUSTER, 1L, 2L, 3L, 4L);
        assertEquals(FrameEncoder.NO_SPACE, frameEncoder.claim(MessageType.ROOM_REMOVED, 0));
        assertEquals(MIN_FRAME_LENGTH, frameEncoder.finish());
        assertEquals(DecodeResult.OK, frameDecoder.wrap(buffer, 60, MIN_FRAME_LENGTH));
    }

    @Test
    void shouldRejectMisuseOfTheFrameEncoder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final FrameEncoder fresh = new FrameEncoder().wrap(buffer, 0, 1024);
        assertThrows(IllegalStateException.class, () -> fresh.claim(MessageType.ROOM_COUNT, 16));
        assertThrows(IllegalStateException.class, fresh::finish);
        assertThrows(IllegalStateException.class, () -> fresh.resizeLastMessage(0));
        assertFalse(fresh.fits(0));

        fresh.begin(CLUSTER, 1L, 2L, 3L, 4L);
        assertThrows(IllegalStateException.class, () -> fresh.resizeLastMessage(0));
        final IllegalArgumentException negative = assertThrows(
            IllegalArgumentException.class, () -> fresh.claim(MessageType.ROOM_COUNT, -1));
        assertTrue(negative.getMessage().contains("bodyLength=-1"), negative.getMessage());
        assertEquals(0, fresh.messageCount());

        fresh.wrap(buffer, 0, 1024);
        assertThrows(IllegalStateException.class, () -> fresh.claim(MessageType.ROOM_COUNT, 16), "wrap ends the frame");
    }

    // ------------------------------------------------------------------------------------------------ message encoders

    private static final CodecLimits SMALL = new CodecLimits(4, 5, 6, 7, 2, 1024);

    interface Misuse
    {
        void run(MutableDirectBuffer buffer, UnsafeBuffer src);
    }

    static Stream<Arguments> overLimitFields()
    {
        final byte[] five = new byte[5];
        return Stream.of(
            misuse("indexNameLength=5", (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("hello")),
            misuse("indexNameLength=5", (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName(s, 0, 5)),
            misuse("indexNameLength=-1", (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName(s, 0, -1)),
            misuse("indexNameLength=6", (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("ééé")),
            misuse("collectionNameLength=5",
                (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("").collectionName("abcde")),
            misuse("collectionNameLength=5",
                (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("").collectionName(s, 0, 5)),
            misuse("filterLength=7",
                (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("").collectionName("").filter(new byte[7])),
            misuse("filterLength=7",
                (b, s) -> new RoomCreatedEncoder(SMALL).wrap(b, 0).indexName("").collectionName("").filter(s, 0, 7)),
            misuse("payloadLength=8", (b, s) -> new NotificationEncoder(SMALL).wrap(b, 0).payload(s, 0, 8)),
            misuse("payloadLength=-2", (b, s) -> new NotificationEncoder(SMALL).wrap(b, 0).payload(s, 0, -2)),
            misuse("nameLength=5", (b, s) -> new ClusterEventEncoder(SMALL).wrap(b, 0).name("fünf")),
            misuse("nameLength=5", (b, s) -> new ClusterEventEncoder(SMALL).wrap(b, 0).name(s, 0, 5)),
            misuse("payloadLength=8", (b, s) -> new ClusterEventEncoder(SMALL).wrap(b, 0).name("").payload(s, 0, 8)),
            misuse("syncEndpointLength=6",
                (b, s) -> new MemberCardEncoder(SMALL).wrap(b, 0).endpoints("tcp://", "", new byte[0])),
            misuse("commandEndpointLength=6",
                (b, s) -> new MemberCardEncoder(SMALL).wrap(b, 0).endpoints("", "tcp://", new byte[0])),
            misuse("publicKeyLength=6",
                (b, s) -> new MemberCardEncoder(SMALL).wrap(b, 0).endpoints("", "", new byte[6])),
            misuse("syncEndpointLength=6",
                (b, s) -> new JoinRequestEncoder(SMALL).wrap(b, 0).card().endpoints("tcp://", "", new byte[0])),
            misuse("publicKeyLength=6",
                (b, s) -> new JoinResponseEncoder(SMALL).wrap(b, 0).addMember(1L, 2L, "", "", new byte[6])),
            misuse("memberCount=3",
                (b, s) -> new JoinResponseEncoder(SMALL).wrap(b, 0)
                    .addMember(1L, 1L, "", "", new byte[0])
                    .addMember(2L, 2L, "", "", new byte[0])
                    .addMember(3L, 3L, "", "", new byte[0])),
            misuse("memberCount=3", (b, s) -> new HeartbeatEncoder(SMALL).wrap(b, 0).memberCount(3)),
            misuse("memberCount=-1", (b, s) -> new HeartbeatEncoder(SMALL).wrap(b, 0).memberCount(-1)),
            misuse("directedCount=3",
                (b, s) -> new HeartbeatEncoder(SMALL).wrap(b, 0).addDirected(1L, 1L).addDirected(2L, 2L).addDirected(3L, 3L)),
            misuse("detailLength=8", (b, s) -> new CommandResponseEncoder(SMALL).wrap(b, 0).detail(new byte[8])),
            misuse("count=-1", (b, s) -> new SnapshotChunkEncoder(SMALL).wrap(b, 0, 512).addCount(1L, -1L)),
            misuse("count=" + Long.MIN_VALUE,
                (b, s) -> new SnapshotChunkEncoder(SMALL).wrap(b, 0, 512).addCount(1L, Long.MIN_VALUE)),
            misuse("indexNameLength=5",
                (b, s) -> new SnapshotChunkEncoder(SMALL).wrap(b, 0, 512).addRoom(1L, s, 0, 5, 0, 0, 0, 0)),
            misuse("filterLength=7",
                (b, s) -> new SnapshotChunkEncoder(SMALL).wrap(b, 0, 512).addRoom(1L, s, 0, 0, 0, 0, 0, 7)),
            misuse("capacity=" + (SnapshotChunkDecoder.MIN_LENGTH - 1),
                (b, s) -> new SnapshotChunkEncoder(SMALL).wrap(b, 0, SnapshotChunkDecoder.MIN_LENGTH - 1)),
            misuse("bodyLength=-5", (b, s) ->
                new FrameEncoder().wrap(b, 0, 512).begin(CLUSTER, 1L, 2L, 3L, 4L).claim(MessageType.PROBE, -5)),
            misuse("bodyLength=17", (b, s) ->
            {
                final FrameEncoder frame = new FrameEncoder().wrap(b, 0, 512).begin(CLUSTER, 1L, 2L, 3L, 4L);
                frame.claim(MessageType.PROBE, 16);
                frame.resizeLastMessage(17);
            }),
            misuse("memberCount=3", (b, s) -> new ViewValueEncoder(SMALL).wrap(b, 0)
                .addMember(1L, 1L, "", "", new byte[0])
                .addMember(2L, 2L, "", "", new byte[0])
                .addMember(3L, 3L, "", "", new byte[0])),
            misuse("publicKeyLength=6",
                (b, s) -> new ViewAcceptEncoder(SMALL).wrap(b, 0).value().addMember(1L, 2L, "", "", new byte[6])),
            misuse("removedCount=3", (b, s) -> new ViewCommitEncoder(SMALL).wrap(b, 0).value()
                .addRemoved(1L, 1L, 1).addRemoved(2L, 2L, 2).addRemoved(3L, 3L, 3)),
            misuse("memberCount=3", (b, s) -> new ViewPromiseEncoder(SMALL).wrap(b, 0).acceptedValue()
                .addMember(1L, 1L, "", "", new byte[0])
                .addMember(2L, 2L, "", "", new byte[0])
                .addMember(3L, 3L, "", "", new byte[0])),
            misuse("removedCount=3", (b, s) -> new ViewAcceptedEncoder(SMALL).wrap(b, 0)
                .addRemoved(1L, 1L).addRemoved(2L, 2L).addRemoved(3L, 3L)),
            misuse("winnerEndpointLength=6",
                (b, s) -> new ChangeRequestEncoder(SMALL).wrap(b, 0).winnerEndpoint("tcp://")),
            misuse("winnerEndpointLength=6",
                (b, s) -> new ChangeRequestEncoder(SMALL).wrap(b, 0).winnerEndpoint(s, 0, 6)),
            misuse("winnerEndpointLength=-1",
                (b, s) -> new ChangeRequestEncoder(SMALL).wrap(b, 0).winnerEndpoint(s, 0, -1)),
            misuse("commandEndpointLength=6",
                (b, s) -> new ChangeRequestEncoder(SMALL).wrap(b, 0).card().endpoints("", "tcp://", new byte[0])),
            misuse("maxMembers=-1", (b, s) -> new CodecLimits(1, 1, 1, 1, -1, 1024)),
            misuse("maxFrameLength=51", (b, s) -> new CodecLimits(1, 1, 1, 1, 1, 51)));
    }

    private static Arguments misuse(final String expected, final Misuse misuse)
    {
        return Arguments.of(expected, misuse);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLimitFields")
    void shouldNameTheFieldAndValueOfAnOverLimitField(final String expected, final Misuse misuse)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> misuse.run(buffer, src));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void shouldAcceptFieldsExactlyAtTheLimits()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        new RoomCreatedEncoder(SMALL).wrap(buffer, 0).indexName("abcd").collectionName(src, 0, 4).filter(new byte[6]);
        new NotificationEncoder(SMALL).wrap(buffer, 0).payload(src, 0, 7);
        new ClusterEventEncoder(SMALL).wrap(buffer, 0).name("éé").payload(src, 0, 7);
        new MemberCardEncoder(SMALL).wrap(buffer, 0).endpoints("tcp:/", "ipc:/", new byte[5]);
        new HeartbeatEncoder(SMALL).wrap(buffer, 0).memberCount(2).addDirected(1L, 1L).addDirected(2L, 2L);
        new CommandResponseEncoder(SMALL).wrap(buffer, 0).detail(new byte[7]);
        new JoinResponseEncoder(SMALL).wrap(buffer, 0).addMember(1L, 1L, "", "", new byte[5]).addMember(2L, 2L, "", "", new byte[0]);
        new ViewValueEncoder(SMALL).wrap(buffer, 0).addMember(1L, 1L, "", "", new byte[5])
            .addMember(2L, 2L, "tcp:/", "", new byte[0]).addRemoved(1L, 1L, 1).addRemoved(2L, 2L, 2);
        new ViewAcceptedEncoder(SMALL).wrap(buffer, 0).addRemoved(1L, 1L).addRemoved(2L, 2L);
        new ChangeRequestEncoder(SMALL).wrap(buffer, 0).winnerEndpoint("tcp:/");
    }

    @Test
    void shouldRejectMisorderedOrOutOfRangeListEntries()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder().wrap(buffer, 0).memberCount(2);
        assertThrows(IndexOutOfBoundsException.class, () -> heartbeat.member(2, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> heartbeat.member(-1, 1L));
        heartbeat.addDirected(1L, 2L);
        assertThrows(IllegalStateException.class, () -> heartbeat.memberCount(1));

        assertThrows(IndexOutOfBoundsException.class, () -> heartbeat.member(2, 1L, 2L, 3L, 4L));

        final SnapshotChunkEncoder chunk = new SnapshotChunkEncoder().wrap(buffer, 0, 512);
        assertTrue(chunk.addRoom(1L, buffer, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalStateException.class, () -> chunk.addCount(1L, 1L));

        final ViewValueEncoder value = new ViewValueEncoder().wrap(buffer, 0).addRemoved(1L, 2L, 3);
        assertThrows(IllegalStateException.class, () -> value.addMember(1L, 1L, "", "", new byte[0]));
    }

    @Test
    void shouldStopFillingASnapshotChunkAtItsCapacity()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int capacity = SnapshotChunkDecoder.MIN_LENGTH + 2 * SnapshotChunkDecoder.COUNT_ENTRY_LENGTH +
            RoomCreatedEncoder.computeLength(1, 1, 1) + 3;
        buffer.setMemory(0, buffer.capacity(), (byte)0x11);
        final SnapshotChunkEncoder chunk = new SnapshotChunkEncoder().wrap(buffer, 100, capacity);
        assertTrue(chunk.addCount(1L, 10L));
        assertTrue(chunk.addCount(2L, 20L));
        final UnsafeBuffer src = new UnsafeBuffer(new byte[]{ 'i', 'c', 'f' });
        assertTrue(chunk.addRoom(3L, src, 0, 1, 1, 1, 2, 1));
        assertFalse(chunk.addRoom(4L, src, 0, 1, 1, 1, 2, 1));
        assertFalse(chunk.addRoom(5L, src, 0, 0, 0, 0, 0, 0));
        assertEquals(2, chunk.countEntries());
        assertEquals(1, chunk.roomEntries());
        assertEquals(capacity - 3, chunk.encodedLength());
        for (int i = 100 + capacity - 3; i < 1024; i++)
        {
            assertEquals((byte)0x11, buffer.getByte(i), "wrote past the chunk at " + i);
        }

        final SnapshotChunkEncoder countsOnly = new SnapshotChunkEncoder().wrap(
            buffer, 0, SnapshotChunkDecoder.MIN_LENGTH + SnapshotChunkDecoder.COUNT_ENTRY_LENGTH + 15);
        assertTrue(countsOnly.addCount(1L, 1L));
        assertFalse(countsOnly.addCount(2L, 2L));
        assertEquals(1, countsOnly.countEntries());
    }

    @Test
    void shouldListEveryMessageTypeOnceInTypeOrder()
    {
        final int[] all = MessageType.all();
        final Set<String> names = new TreeSet<>();
        for (int i = 0; i < all.length; i++)
        {
            assertTrue(MessageType.isKnown(all[i]));
            assertNotEquals("UNKNOWN", MessageType.name(all[i]));
            names.add(MessageType.name(all[i]));
            if (i > 0)
            {
                assertTrue(all[i] > all[i - 1]);
            }
        }
        assertEquals(all.length, names.size());
        assertEquals(32, all.length);
        all[0] = -1;
        assertEquals(MessageType.HEARTBEAT, MessageType.all()[0], "all() returns a copy");
        for (final int unknown : new int[]{ 0, 14, 31, 51, 999, 0xFFFF, -1 })
        {
            assertFalse(MessageType.isKnown(unknown), "" + unknown);
        }
        assertTrue(Arrays.stream(MessageType.all()).allMatch(t -> t >= 0 && t <= 0xFFFF));
    }
}
