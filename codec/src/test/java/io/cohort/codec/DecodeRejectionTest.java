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
import io.cohort.codec.Messages.Notification;
import io.cohort.codec.Messages.RepairRequest;
import io.cohort.codec.Messages.Room;
import io.cohort.codec.Messages.RoomCount;
import io.cohort.codec.Messages.RoomCreated;
import io.cohort.codec.Messages.SnapshotChunk;
import io.cohort.codec.Messages.SnapshotRequest;
import io.cohort.codec.Messages.ChangeRequest;
import io.cohort.codec.Messages.HeartbeatMember;
import io.cohort.codec.Messages.Removed;
import io.cohort.codec.Messages.RemovedHeard;
import io.cohort.codec.Messages.SeedProbeResponse;
import io.cohort.codec.Messages.ViewAccept;
import io.cohort.codec.Messages.ViewAccepted;
import io.cohort.codec.Messages.ViewCommit;
import io.cohort.codec.Messages.ViewPromise;
import io.cohort.codec.Messages.ViewValue;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.cohort.codec.FrameLayout.BYTE_ORDER;
import static io.cohort.codec.FrameLayout.FLAGS_OFFSET;
import static io.cohort.codec.FrameLayout.FRAME_LENGTH_OFFSET;
import static io.cohort.codec.FrameLayout.HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MAGIC;
import static io.cohort.codec.FrameLayout.MAGIC_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_COUNT_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_HEADER_LENGTH;
import static io.cohort.codec.FrameLayout.MESSAGE_LENGTH_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_RESERVED_OFFSET;
import static io.cohort.codec.FrameLayout.MESSAGE_TYPE_OFFSET;
import static io.cohort.codec.FrameLayout.MIN_FRAME_LENGTH;
import static io.cohort.codec.FrameLayout.SENDER_NODE_ID_OFFSET;
import static io.cohort.codec.FrameLayout.TRAILER_LENGTH;
import static io.cohort.codec.FrameLayout.VERSION_MAJOR_OFFSET;
import static io.cohort.codec.FrameLayout.VERSION_MINOR_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deliberately malformed frame per way of being malformed, each asserting the exact {@link DecodeResult}.
 * Every case starts from a frame the real encoder wrote and that decodes OK; structural tampering is
 * followed by rewriting the CRC32C trailer (with the JDK's CRC32C), so that the structural check, not the
 * checksum, is what must reject it, and the test also checks that the same tampering without the rewrite
 * is caught by the checksum.
 */
class DecodeRejectionTest
{
    private static final int OFFSET = 16;
    private static final int CAPACITY = 4096;

    /** Relative offset of the first message's header, and of its body. */
    private static final int M0 = HEADER_LENGTH;
    private static final int B0 = M0 + MESSAGE_HEADER_LENGTH;

    /** Changes the bytes of a frame and says how many bytes are received. */
    interface Tamper
    {
        int apply(MutableDirectBuffer buffer, int offset, int length);
    }

    /** How the decoder is handed the received bytes. */
    interface Receive
    {
        DecodeResult wrap(FrameDecoder decoder, MutableDirectBuffer buffer, int offset, int length);
    }

    record Case(
        String name,
        DecodeResult expected,
        List<Message> messages,
        Tamper tamper,
        boolean rewriteCrc,
        CodecLimits limits,
        Receive receive)
    {
        public String toString()
        {
            return expected + ": " + name;
        }
    }

    private final MessageCodec codec = new MessageCodec();
    private final FrameEncoder frameEncoder = new FrameEncoder();
    private final Frames frames = new Frames();

    // ------------------------------------------------------------------------------------------------ fixtures

    private static final Card CARD = Card.of(1L, 2L, "tcp://a", "tcp://b", Bytes.of(1, 2, 3));
    private static final Card KEY_CARD = Card.of(1L, 2L, "tcp://a", "tcp://b", Bytes.filled(10, 7));
    private static final Room ROOM = new Room(5L, "idx", "coll", Bytes.of(1, 2));
    private static final RoomCount ROOM_COUNT = new RoomCount(7L, 3L);
    private static final Notification NOTIFICATION = new Notification(9L, Bytes.of(1, 2, 3, 4));
    private static final RoomCreated ROOM_CREATED = new RoomCreated(ROOM);
    private static final ClusterEvent CLUSTER_EVENT = new ClusterEvent("evt", Bytes.of(1, 2, 3));
    private static final MemberCard MEMBER_CARD = new MemberCard(MessageType.MEMBER_CARD, CARD);
    private static final MemberCard NODE_JOINED = new MemberCard(MessageType.NODE_JOINED, CARD);
    private static final Heartbeat HEARTBEAT = new Heartbeat(1L, 2L, 3L, 0, 4L, 5L, 6L,
        List.of(HeartbeatMember.of(10L), new HeartbeatMember(11L, 1L, 2L, 3L)), List.of(new Directed(12L, 13L)));
    private static final Heartbeat HEARTBEAT_TWO_DIRECTED = new Heartbeat(1L, 2L, 3L, 0, 4L, 5L, 6L,
        List.of(HeartbeatMember.of(10L)), List.of(new Directed(12L, 13L), new Directed(14L, 15L)));
    private static final JoinRequest JOIN_REQUEST = new JoinRequest(1L, 100L, 1000L, "", CARD);
    private static final JoinResponse JOIN_RESPONSE = new JoinResponse(1L, CommandStatus.OK, 100L, 1000L, "", List.of(CARD, CARD));
    private static final SnapshotChunk SNAPSHOT_CHUNK = new SnapshotChunk(
        1L, 2L, 3L, 4L, 5L, 0, 0, List.of(new Count(1L, 1L), new Count(2L, 2L)), List.of(ROOM, ROOM));
    private static final CommandResponse COMMAND_RESPONSE = new CommandResponse(1L, CommandStatus.OK, "détail");
    private static final RepairRequest REPAIR_REQUEST = new RepairRequest(1L, 2L, 3L, 10L, 20L);
    private static final SnapshotRequest SNAPSHOT_REQUEST = new SnapshotRequest(1L, 2L, 4096, 0);
    private static final SnapshotRequest SNAPSHOT_REQUEST_WITH_FLOORS = new SnapshotRequest(1L, 2L, 4096,
        SnapshotRequestDecoder.FLAG_ROOM_FLOORS, List.of(new Messages.Floor(3L, 4L, 5L), new Messages.Floor(6L, 7L, 8L)));
    private static final List<Removed> TWO_REMOVED = List.of(new Removed(3L, 4L, 5), new Removed(6L, 7L, 8));
    /** Two cards of CARD_LENGTH bytes, then two removed entries. */
    private static final ViewValue VIEW = new ViewValue(1L, 2L, 0, List.of(CARD, CARD), TWO_REMOVED);
    private static final ViewValue VIEW_ONE_MEMBER = new ViewValue(1L, 2L, 0, List.of(CARD), TWO_REMOVED);
    private static final ViewCommit VIEW_COMMIT = new ViewCommit(1L, 2L, 3L, VIEW);
    private static final ViewAccept VIEW_ACCEPT = new ViewAccept(1L, 2L, 3L, 4L, 5L, VIEW);
    private static final ViewAccept VIEW_ACCEPT_ONE_MEMBER = new ViewAccept(1L, 2L, 3L, 4L, 5L, VIEW_ONE_MEMBER);
    private static final ViewPromise VIEW_PROMISE = new ViewPromise(1L, 2L, 3L, 4L, 5L, true, 6L, 7L, 8L, 9L, VIEW);
    private static final ViewAccepted VIEW_ACCEPTED = new ViewAccepted(
        1L, 2L, 3L, 4L, 5L, false, 6L, 7L, List.of(new RemovedHeard(1L, 2L), new RemovedHeard(3L, 4L)));
    private static final ChangeRequest JOIN_CHANGE = new ChangeRequest(
        1L, 2L, 3L, ChangeRequestDecoder.KIND_JOIN, 0, 4L, 5L, 6L, 7L, CARD, null);
    private static final ChangeRequest DISSOLVE_CHANGE = new ChangeRequest(
        1L, 2L, 3L, ChangeRequestDecoder.KIND_DISSOLVE, 0, 4L, 5L, 6L, 7L, null, "tcp://w");
    private static final ChangeRequest FAULT_CHANGE = new ChangeRequest(
        1L, 2L, 3L, ChangeRequestDecoder.KIND_FAULT, ReasonCode.SILENCE, 4L, 5L, 6L, 7L, null, null);
    private static final SeedProbeResponse SEED_PROBE_RESPONSE = new SeedProbeResponse(1L, 2L, 3L, 4, true, 5L, 6L, true);

    private static final int CARD_COMMAND_ENDPOINT = MemberCardDecoder.SYNC_ENDPOINT_OFFSET + 4 + 7;
    private static final int CARD_PUBLIC_KEY = CARD_COMMAND_ENDPOINT + 4 + 7;
    private static final int ROOM_COLLECTION_NAME = RoomCreatedDecoder.INDEX_NAME_OFFSET + 4 + 3;
    private static final int ROOM_FILTER = ROOM_COLLECTION_NAME + 4 + 4;
    private static final int CARD_LENGTH = CARD_PUBLIC_KEY + 4 + 3;
    private static final int COMMIT_VALUE = B0 + ViewCommitDecoder.VALUE_OFFSET;
    private static final int PROMISE_VALUE_LENGTH = B0 + ViewPromiseDecoder.ACCEPTED_VALUE_OFFSET;
    private static final int CHANGE_TAIL = B0 + ChangeRequestDecoder.FIXED_LENGTH;
    private static final int CHUNK_ROOMS = SnapshotChunkDecoder.COUNTS_OFFSET + 2 * SnapshotChunkDecoder.COUNT_ENTRY_LENGTH;

    private static final Receive WRAP = (decoder, buffer, offset, length) -> decoder.wrap(buffer, offset, length);

    // ------------------------------------------------------------------------------------------------ case builders

    /** Tampered, then the CRC rewritten: the structure, not the checksum, must reject it. */
    private static Case structural(
        final String name, final DecodeResult expected, final Tamper tamper, final Message... messages)
    {
        return new Case(name, expected, List.of(messages), tamper, true, CodecLimits.DEFAULT, WRAP);
    }

    /** Tampered and left with its original CRC. */
    private static Case garbled(final String name, final DecodeResult expected, final Tamper tamper, final Message... messages)
    {
        return new Case(name, expected, List.of(messages), tamper, false, CodecLimits.DEFAULT, WRAP);
    }

    /** A valid frame (by the default limits) decoded with tighter limits. */
    private static Case limited(final String name, final CodecLimits limits, final Message... messages)
    {
        return new Case(name, DecodeResult.FIELD_TOO_LARGE, List.of(messages), (b, o, l) -> l, false, limits, WRAP);
    }

    private static Case received(final String name, final DecodeResult expected, final Receive receive)
    {
        return new Case(name, expected, List.of(ROOM_COUNT), (b, o, l) -> l, false, CodecLimits.DEFAULT, receive);
    }

    private static CodecLimits limits(
        final int maxName, final int maxEndpoint, final int maxFilter, final int maxPayload, final int maxMembers)
    {
        return new CodecLimits(maxName, maxEndpoint, maxFilter, maxPayload, maxMembers, CodecLimits.MAX_FRAME_LENGTH_DEFAULT);
    }

    private static Tamper putInt(final int at, final int value)
    {
        return (b, o, l) ->
        {
            b.putInt(o + at, value, BYTE_ORDER);
            return l;
        };
    }

    private static Tamper putLong(final int at, final long value)
    {
        return (b, o, l) ->
        {
            b.putLong(o + at, value, BYTE_ORDER);
            return l;
        };
    }

    private static Tamper putByte(final int at, final int value)
    {
        return (b, o, l) ->
        {
            b.putByte(o + at, (byte)value);
            return l;
        };
    }

    private static Tamper putType(final int messageAt, final int type)
    {
        return (b, o, l) ->
        {
            b.putShort(o + messageAt + MESSAGE_TYPE_OFFSET, (short)type, BYTE_ORDER);
            return l;
        };
    }

    private static Tamper flipBit(final int at, final int bit)
    {
        return (b, o, l) ->
        {
            final int index = at >= 0 ? o + at : o + l + at;
            b.putByte(index, (byte)(b.getByte(index) ^ (1 << bit)));
            return l;
        };
    }

    /** Adds to the int at a relative offset. */
    private static Tamper addInt(final int at, final int delta)
    {
        return (b, o, l) ->
        {
            b.putInt(o + at, b.getInt(o + at, BYTE_ORDER) + delta, BYTE_ORDER);
            return l;
        };
    }

    private static Tamper receive(final int delta)
    {
        return (b, o, l) -> l + delta;
    }

    /** Offset of the second message's header when the first has the given body. */
    private static int secondMessage(final Message first)
    {
        return M0 + MESSAGE_HEADER_LENGTH + MessageCodec.bodyLength(first);
    }

    // ------------------------------------------------------------------------------------------------ cases

    static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        truncatedHeader(cases);
        badMagic(cases);
        unsupportedVersion(cases);
        badFrameLength(cases);
        checksumMismatch(cases);
        badMessageCount(cases);
        badMessageLength(cases);
        unknownMessageType(cases);
        truncatedMessage(cases);
        badFieldLength(cases);
        fieldTooLarge(cases);
        badFieldValue(cases);
        return cases;
    }

    private static void truncatedHeader(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.TRUNCATED_HEADER;
        cases.add(garbled("one byte short of a header and trailer", r, (b, o, l) -> MIN_FRAME_LENGTH - 1));
        cases.add(garbled("nothing received", r, (b, o, l) -> 0));
        cases.add(garbled("negative length received", r, (b, o, l) -> -1));
        cases.add(garbled("Integer.MIN_VALUE length received", r, (b, o, l) -> Integer.MIN_VALUE));
        cases.add(received("frame runs one byte past the buffer", r,
            (d, b, o, l) -> d.wrap(new UnsafeBuffer(b, 0, o + l - 1), o, l)));
        cases.add(received("negative offset", r, (d, b, o, l) -> d.wrap(b, -1, l)));
        cases.add(received("offset at the end of the buffer", r, (d, b, o, l) -> d.wrap(b, b.capacity(), l)));
        cases.add(received("offset plus length overflows an int", r,
            (d, b, o, l) -> d.wrap(b, Integer.MAX_VALUE - 10, l)));
    }

    private static void badMagic(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_MAGIC;
        cases.add(structural("first magic byte changed", r, putByte(MAGIC_OFFSET, 'X'), ROOM_COUNT));
        cases.add(structural("last magic byte changed", r, putByte(MAGIC_OFFSET + 3, 'U'), ROOM_COUNT));
        cases.add(structural("magic written big-endian", r, (b, o, l) ->
        {
            b.putInt(o + MAGIC_OFFSET, MAGIC, ByteOrder.BIG_ENDIAN);
            return l;
        }, ROOM_COUNT));
        cases.add(garbled("all zero bytes", r, (b, o, l) ->
        {
            b.setMemory(o, l, (byte)0);
            return l;
        }, ROOM_COUNT));
        cases.add(garbled("an HTTP request", r, (b, o, l) ->
        {
            final byte[] http = "GET / HTTP/1.1\r\nHost: cohort.example\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            b.putBytes(o, http);
            return http.length;
        }));
    }

    private static void unsupportedVersion(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.UNSUPPORTED_VERSION;
        cases.add(structural("major version 1 (the header before cluster ids)", r, putByte(VERSION_MAJOR_OFFSET, 1),
            ROOM_COUNT));
        cases.add(structural("major version 2 (the heartbeat before view fields)", r, putByte(VERSION_MAJOR_OFFSET, 2),
            ROOM_COUNT));
        cases.add(structural("major version 3 (before the liveness copy of heartbeats)", r,
            putByte(VERSION_MAJOR_OFFSET, 3), ROOM_COUNT));
        cases.add(structural("major version 4 (before the snapshot request's room floors)", r,
            putByte(VERSION_MAJOR_OFFSET, 4), ROOM_COUNT));
        cases.add(structural("major version 6", r, putByte(VERSION_MAJOR_OFFSET, 6), ROOM_COUNT));
        cases.add(structural("major version 0", r, putByte(VERSION_MAJOR_OFFSET, 0), ROOM_COUNT));
        cases.add(structural("major version 255", r, putByte(VERSION_MAJOR_OFFSET, 255)));
    }

    private static void badFrameLength(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_FRAME_LENGTH;
        cases.add(structural("length field one more than received", r, addInt(FRAME_LENGTH_OFFSET, 1), ROOM_COUNT));
        cases.add(structural("length field one less than received", r, addInt(FRAME_LENGTH_OFFSET, -1), ROOM_COUNT));
        cases.add(structural("length field negative", r, putInt(FRAME_LENGTH_OFFSET, -1), ROOM_COUNT));
        cases.add(structural("length field zero", r, putInt(FRAME_LENGTH_OFFSET, 0)));
        cases.add(structural("one byte more received than the length field", r, receive(1), ROOM_COUNT));
        cases.add(garbled("one byte less received than the length field", r, receive(-1), ROOM_COUNT));
        cases.add(new Case("frame one byte over the configured maximum", r, List.of(ROOM_COUNT), (b, o, l) -> l, false,
            new CodecLimits(255, 255, 255, 255, 16, MIN_FRAME_LENGTH + MESSAGE_HEADER_LENGTH + RoomCountDecoder.BODY_LENGTH - 1),
            WRAP));
    }

    private static void checksumMismatch(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.CHECKSUM_MISMATCH;
        cases.add(garbled("payload bit flipped", r, flipBit(B0 + NotificationDecoder.FIXED_LENGTH + 2, 0), NOTIFICATION));
        cases.add(garbled("trailer bit flipped", r, flipBit(-1, 7), NOTIFICATION));
        cases.add(garbled("sender node id bit flipped", r, flipBit(SENDER_NODE_ID_OFFSET + 7, 7), ROOM_COUNT));
        cases.add(garbled("flags bit flipped", r, flipBit(FLAGS_OFFSET, 3)));
        cases.add(garbled("message count changed", r, putInt(MESSAGE_COUNT_OFFSET, 2), ROOM_COUNT));
        cases.add(garbled("message type changed", r, putType(M0, 999), ROOM_COUNT));
        cases.add(garbled("room count made negative", r, putLong(B0 + RoomCountDecoder.COUNT_OFFSET, -1L), ROOM_COUNT));
        cases.add(garbled("two bytes swapped", r, (b, o, l) ->
        {
            final byte first = b.getByte(o + B0);
            b.putByte(o + B0, b.getByte(o + B0 + 8));
            b.putByte(o + B0 + 8, first);
            return l;
        }, ROOM_COUNT));
        cases.add(garbled("trailer zeroed", r, (b, o, l) ->
        {
            b.putInt(o + l - TRAILER_LENGTH, 0, BYTE_ORDER);
            return l;
        }, ROOM_COUNT));
    }

    private static void badMessageCount(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_MESSAGE_COUNT;
        cases.add(structural("message count -1", r, putInt(MESSAGE_COUNT_OFFSET, -1), ROOM_COUNT));
        cases.add(structural("message count Integer.MIN_VALUE", r, putInt(MESSAGE_COUNT_OFFSET, Integer.MIN_VALUE), ROOM_COUNT));
        cases.add(structural("message count one more than the messages", r, putInt(MESSAGE_COUNT_OFFSET, 2), ROOM_COUNT));
        cases.add(structural("message count Integer.MAX_VALUE", r, putInt(MESSAGE_COUNT_OFFSET, Integer.MAX_VALUE), ROOM_COUNT));
        cases.add(structural("message count 1 in an empty frame", r, putInt(MESSAGE_COUNT_OFFSET, 1)));
        cases.add(structural("message count one less than the messages", r,
            putInt(MESSAGE_COUNT_OFFSET, 1), ROOM_COUNT, NOTIFICATION));
        cases.add(structural("message count 0 with a message", r, putInt(MESSAGE_COUNT_OFFSET, 0), ROOM_COUNT));
    }

    private static void badMessageLength(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_MESSAGE_LENGTH;
        cases.add(structural("message length shorter than its header", r,
            putInt(M0 + MESSAGE_LENGTH_OFFSET, MESSAGE_HEADER_LENGTH - 1), ROOM_COUNT));
        cases.add(structural("message length zero", r, putInt(M0 + MESSAGE_LENGTH_OFFSET, 0), ROOM_COUNT));
        cases.add(structural("message length negative", r, putInt(M0 + MESSAGE_LENGTH_OFFSET, -1), ROOM_COUNT));
        cases.add(structural("message length Integer.MIN_VALUE", r,
            putInt(M0 + MESSAGE_LENGTH_OFFSET, Integer.MIN_VALUE), ROOM_COUNT));
        cases.add(structural("message length one past the trailer", r, addInt(M0 + MESSAGE_LENGTH_OFFSET, 1), ROOM_COUNT));
        cases.add(structural("message length covering the trailer", r,
            addInt(M0 + MESSAGE_LENGTH_OFFSET, TRAILER_LENGTH), ROOM_COUNT));
        cases.add(structural("message length Integer.MAX_VALUE", r,
            putInt(M0 + MESSAGE_LENGTH_OFFSET, Integer.MAX_VALUE), ROOM_COUNT));
        cases.add(structural("second message length one past the trailer", r,
            addInt(secondMessage(NOTIFICATION) + MESSAGE_LENGTH_OFFSET, 1), NOTIFICATION, ROOM_COUNT));
    }

    private static void unknownMessageType(final List<Case> cases)
    {
        for (final int type : new int[]{ 0, 14, 31, 51, 999, 0x7FFF, 0xFFFF })
        {
            cases.add(structural("type " + type, DecodeResult.UNKNOWN_MESSAGE_TYPE, putType(M0, type), ROOM_COUNT));
        }
        cases.add(structural("type 999 after a valid message", DecodeResult.UNKNOWN_MESSAGE_TYPE,
            putType(secondMessage(ROOM_COUNT), 999), ROOM_COUNT, NOTIFICATION));
    }

    private static void truncatedMessage(final List<Case> cases)
    {
        cases.add(structural("SNAPSHOT_REQUEST floors one byte short", DecodeResult.TRUNCATED_MESSAGE,
            addInt(M0 + MESSAGE_LENGTH_OFFSET, -1), SNAPSHOT_REQUEST_WITH_FLOORS));
        cases.add(structural("SNAPSHOT_REQUEST floors flag without a floor count", DecodeResult.TRUNCATED_MESSAGE,
            putInt(B0 + SnapshotRequestDecoder.FLAGS_OFFSET, SnapshotRequestDecoder.FLAG_ROOM_FLOORS), SNAPSHOT_REQUEST));
        // The empty variant of every type is exactly as long as its fixed fields: cut it by one byte, or to nothing.
        for (final Message message : MessageRoundTripTest.emptyMessages())
        {
            final String name = MessageType.name(message.type());
            // FLOW_STATUS appended a field (a shorter body from an older sender is valid): cut below the older fields.
            final int shortBy = MessageType.FLOW_STATUS == message.type() ?
                FlowStatusDecoder.BODY_LENGTH - FlowStatusDecoder.MIN_LENGTH + 1 : 1;
            cases.add(structural(name + " body one byte short", DecodeResult.TRUNCATED_MESSAGE,
                addInt(M0 + MESSAGE_LENGTH_OFFSET, -shortBy), message));
            cases.add(structural(name + " empty body", DecodeResult.TRUNCATED_MESSAGE,
                putInt(M0 + MESSAGE_LENGTH_OFFSET, MESSAGE_HEADER_LENGTH), message, ROOM_COUNT));
        }
    }

    private static void badFieldLength(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_FIELD_LENGTH;
        final int payload = B0 + NotificationDecoder.PAYLOAD_OFFSET;
        cases.add(structural("NOTIFICATION payload length -1", r, putInt(payload, -1), NOTIFICATION));
        cases.add(structural("NOTIFICATION payload length Integer.MIN_VALUE", r, putInt(payload, Integer.MIN_VALUE), NOTIFICATION));
        cases.add(structural("NOTIFICATION payload length one past its message", r, addInt(payload, 1), NOTIFICATION));
        cases.add(structural("NOTIFICATION payload length reaching into the next message", r,
            addInt(payload, MESSAGE_HEADER_LENGTH + RoomCountDecoder.BODY_LENGTH), NOTIFICATION, ROOM_COUNT));
        cases.add(new Case("NOTIFICATION payload length Integer.MAX_VALUE with no payload limit", r, List.of(NOTIFICATION),
            putInt(payload, Integer.MAX_VALUE), true, limits(255, 255, 255, Integer.MAX_VALUE, 16), WRAP));

        cases.add(structural("ROOM_CREATED index name length -1", r,
            putInt(B0 + RoomCreatedDecoder.INDEX_NAME_OFFSET, -1), ROOM_CREATED));
        cases.add(structural("ROOM_CREATED collection name length past the end", r,
            addInt(B0 + ROOM_COLLECTION_NAME, 3), ROOM_CREATED));
        cases.add(structural("ROOM_CREATED filter length one past the end", r, addInt(B0 + ROOM_FILTER, 1), ROOM_CREATED));
        cases.add(structural("ROOM_CREATED filter length -1", r, putInt(B0 + ROOM_FILTER, -1), ROOM_CREATED));

        cases.add(structural("CLUSTER_EVENT name length past the end", r, putInt(B0, 100), CLUSTER_EVENT));
        cases.add(structural("CLUSTER_EVENT payload length -1", r, putInt(B0 + 4 + 3, -1), CLUSTER_EVENT));
        cases.add(structural("CLUSTER_EVENT payload length one past the end", r, addInt(B0 + 4 + 3, 1), CLUSTER_EVENT));

        cases.add(structural("MEMBER_CARD sync endpoint length -1", r,
            putInt(B0 + MemberCardDecoder.SYNC_ENDPOINT_OFFSET, -1), MEMBER_CARD));
        cases.add(structural("MEMBER_CARD public key length one past the end", r,
            addInt(B0 + CARD_PUBLIC_KEY, 1), MEMBER_CARD));
        cases.add(structural("NODE_JOINED command endpoint length past the end", r,
            putInt(B0 + CARD_COMMAND_ENDPOINT, 200), NODE_JOINED));

        cases.add(structural("HEARTBEAT member count -1", r, putInt(B0 + HeartbeatDecoder.MEMBER_COUNT_OFFSET, -1), HEARTBEAT));
        cases.add(structural("HEARTBEAT members past the end", r,
            putInt(B0 + HeartbeatDecoder.MEMBER_COUNT_OFFSET, 5), HEARTBEAT));
        cases.add(structural("HEARTBEAT directed count -1", r,
            putInt(B0 + HeartbeatDecoder.DIRECTED_COUNT_OFFSET, -1), HEARTBEAT));
        cases.add(structural("HEARTBEAT directed entries past the end", r,
            putInt(B0 + HeartbeatDecoder.DIRECTED_COUNT_OFFSET, 2), HEARTBEAT));

        cases.add(structural("JOIN_REQUEST card public key length past the end", r,
            addInt(B0 + JoinRequestDecoder.CLUSTER_NAME_OFFSET + 4 + CARD_PUBLIC_KEY, 1), JOIN_REQUEST));
        cases.add(structural("JOIN_REQUEST cluster name length past the end", r,
            putInt(B0 + JoinRequestDecoder.CLUSTER_NAME_OFFSET, 250), JOIN_REQUEST));
        cases.add(structural("JOIN_REQUEST cluster name length -1", r,
            putInt(B0 + JoinRequestDecoder.CLUSTER_NAME_OFFSET, -1), JOIN_REQUEST));
        cases.add(structural("JOIN_REQUEST cluster name longer than the limit", DecodeResult.FIELD_TOO_LARGE,
            putInt(B0 + JoinRequestDecoder.CLUSTER_NAME_OFFSET, 256), JOIN_REQUEST));
        cases.add(structural("JOIN_RESPONSE cluster name length past the end", r,
            putInt(B0 + JoinResponseDecoder.CLUSTER_NAME_OFFSET, 250), JOIN_RESPONSE));
        cases.add(structural("JOIN_RESPONSE member count -1", r,
            putInt(B0 + JoinResponseDecoder.MEMBER_COUNT_OFFSET, -1), JOIN_RESPONSE));
        cases.add(structural("JOIN_RESPONSE member count one more than the cards", r,
            putInt(B0 + JoinResponseDecoder.MEMBER_COUNT_OFFSET, 3), JOIN_RESPONSE));
        cases.add(structural("JOIN_RESPONSE second card endpoint length past the end", r,
            addInt(B0 + JoinResponseDecoder.MIN_LENGTH + MessageCodec.bodyLength(MEMBER_CARD) +
                MemberCardDecoder.SYNC_ENDPOINT_OFFSET, 50), JOIN_RESPONSE));

        cases.add(structural("SNAPSHOT_CHUNK count entries -1", r,
            putInt(B0 + SnapshotChunkDecoder.COUNT_ENTRIES_OFFSET, -1), SNAPSHOT_CHUNK));
        cases.add(structural("SNAPSHOT_CHUNK count entries past the end", r,
            putInt(B0 + SnapshotChunkDecoder.COUNT_ENTRIES_OFFSET, 100), SNAPSHOT_CHUNK));
        cases.add(structural("SNAPSHOT_CHUNK room entries -1", r,
            putInt(B0 + SnapshotChunkDecoder.ROOM_ENTRIES_OFFSET, -1), SNAPSHOT_CHUNK));
        cases.add(structural("SNAPSHOT_CHUNK room entries one more than the rooms", r,
            putInt(B0 + SnapshotChunkDecoder.ROOM_ENTRIES_OFFSET, 3), SNAPSHOT_CHUNK));
        cases.add(structural("SNAPSHOT_CHUNK room entries Integer.MAX_VALUE", r,
            putInt(B0 + SnapshotChunkDecoder.ROOM_ENTRIES_OFFSET, Integer.MAX_VALUE), SNAPSHOT_CHUNK));
        cases.add(structural("SNAPSHOT_CHUNK second room filter length past the end", r,
            addInt(B0 + CHUNK_ROOMS + RoomCreatedEncoder.computeLength(3, 4, 2) + ROOM_FILTER, 1), SNAPSHOT_CHUNK));

        cases.add(structural("COMMAND_RESPONSE detail length one past the end", r,
            addInt(B0 + CommandResponseDecoder.DETAIL_OFFSET, 1), COMMAND_RESPONSE));
        cases.add(structural("COMMAND_RESPONSE detail length -1", r,
            putInt(B0 + CommandResponseDecoder.DETAIL_OFFSET, -1), COMMAND_RESPONSE));

        cases.add(structural("VIEW_COMMIT value member count -1", r,
            putInt(COMMIT_VALUE + ViewValueDecoder.MEMBER_COUNT_OFFSET, -1), VIEW_COMMIT));
        cases.add(structural("VIEW_COMMIT value removed count -1", r,
            putInt(COMMIT_VALUE + ViewValueDecoder.REMOVED_COUNT_OFFSET, -1), VIEW_COMMIT));
        cases.add(structural("VIEW_COMMIT value removed count one more than the entries", r,
            putInt(COMMIT_VALUE + ViewValueDecoder.REMOVED_COUNT_OFFSET, 3), VIEW_COMMIT));
        cases.add(structural("VIEW_COMMIT value first card endpoint length -1", r,
            putInt(COMMIT_VALUE + ViewValueDecoder.MEMBERS_OFFSET + MemberCardDecoder.SYNC_ENDPOINT_OFFSET, -1),
            VIEW_COMMIT));
        cases.add(structural("VIEW_ACCEPT value second card endpoint length past the end", r,
            addInt(B0 + ViewAcceptDecoder.VALUE_OFFSET + ViewValueDecoder.MEMBERS_OFFSET + CARD_LENGTH +
                MemberCardDecoder.SYNC_ENDPOINT_OFFSET, 200), VIEW_ACCEPT));
        cases.add(structural("VIEW_PROMISE accepted value length one past the end", r,
            addInt(PROMISE_VALUE_LENGTH, 1), VIEW_PROMISE));
        cases.add(structural("VIEW_PROMISE accepted value length -1", r, putInt(PROMISE_VALUE_LENGTH, -1), VIEW_PROMISE));
        cases.add(structural("VIEW_PROMISE accepted value length one short of its value", r,
            addInt(PROMISE_VALUE_LENGTH, -1), VIEW_PROMISE));
        cases.add(structural("VIEW_PROMISE accepted value length 1", r, putInt(PROMISE_VALUE_LENGTH, 1), VIEW_PROMISE));
        cases.add(structural("VIEW_ACCEPTED removed count -1", r,
            putInt(B0 + ViewAcceptedDecoder.REMOVED_COUNT_OFFSET, -1), VIEW_ACCEPTED));
        cases.add(structural("VIEW_ACCEPTED removed count one more than the entries", r,
            putInt(B0 + ViewAcceptedDecoder.REMOVED_COUNT_OFFSET, 3), VIEW_ACCEPTED));
        cases.add(structural("CHANGE_REQUEST joiner card public key length one past the end", r,
            addInt(CHANGE_TAIL + CARD_PUBLIC_KEY, 1), JOIN_CHANGE));
        cases.add(structural("CHANGE_REQUEST winner endpoint length -1", r, putInt(CHANGE_TAIL, -1), DISSOLVE_CHANGE));
        cases.add(structural("CHANGE_REQUEST winner endpoint length one past the end", r,
            addInt(CHANGE_TAIL, 1), DISSOLVE_CHANGE));
    }

    private static void fieldTooLarge(final List<Case> cases)
    {
        final int big = 1 << 20;
        cases.add(limited("ROOM_CREATED index name of 3 over a limit of 2", limits(2, big, big, big, big), ROOM_CREATED));
        cases.add(limited("ROOM_CREATED collection name of 4 over a limit of 3", limits(3, big, big, big, big), ROOM_CREATED));
        cases.add(limited("ROOM_CREATED filter of 2 over a limit of 1", limits(big, big, 1, big, big), ROOM_CREATED));
        cases.add(limited("NOTIFICATION payload of 4 over a limit of 3", limits(big, big, big, 3, big), NOTIFICATION));
        cases.add(limited("CLUSTER_EVENT name of 3 over a limit of 2", limits(2, big, big, big, big), CLUSTER_EVENT));
        cases.add(limited("CLUSTER_EVENT payload of 3 over a limit of 2", limits(big, big, big, 2, big), CLUSTER_EVENT));
        cases.add(limited("MEMBER_CARD endpoint of 7 over a limit of 6", limits(big, 6, big, big, big), MEMBER_CARD));
        cases.add(limited("NODE_JOINED public key of 10 over a limit of 9", limits(big, 9, big, big, big),
            new MemberCard(MessageType.NODE_JOINED, KEY_CARD)));
        cases.add(limited("JOIN_REQUEST endpoint of 7 over a limit of 6", limits(big, 6, big, big, big), JOIN_REQUEST));
        cases.add(limited("HEARTBEAT 2 members over a limit of 1", limits(big, big, big, big, 1), HEARTBEAT));
        cases.add(limited("HEARTBEAT 2 directed over a limit of 1", limits(big, big, big, big, 1), HEARTBEAT_TWO_DIRECTED));
        cases.add(limited("JOIN_RESPONSE 2 members over a limit of 1", limits(big, big, big, big, 1), JOIN_RESPONSE));
        cases.add(limited("JOIN_RESPONSE card endpoint of 7 over a limit of 6", limits(big, 6, big, big, big), JOIN_RESPONSE));
        cases.add(limited("SNAPSHOT_CHUNK room name of 4 over a limit of 3", limits(3, big, big, big, big), SNAPSHOT_CHUNK));
        cases.add(limited("COMMAND_RESPONSE detail of 7 over a limit of 6", limits(big, big, big, 6, big), COMMAND_RESPONSE));
        cases.add(limited("VIEW_COMMIT value 2 members over a limit of 1", limits(big, big, big, big, 1), VIEW_COMMIT));
        cases.add(limited("VIEW_ACCEPT value 2 removed over a limit of 1", limits(big, big, big, big, 1),
            VIEW_ACCEPT_ONE_MEMBER));
        cases.add(limited("VIEW_PROMISE value card endpoint of 7 over a limit of 6", limits(big, 6, big, big, big),
            VIEW_PROMISE));
        cases.add(limited("VIEW_ACCEPTED 2 removed over a limit of 1", limits(big, big, big, big, 1), VIEW_ACCEPTED));
        cases.add(limited("CHANGE_REQUEST joiner endpoint of 7 over a limit of 6", limits(big, 6, big, big, big),
            JOIN_CHANGE));
        cases.add(limited("CHANGE_REQUEST winner endpoint of 7 over a limit of 6", limits(big, 6, big, big, big),
            DISSOLVE_CHANGE));

        final DecodeResult r = DecodeResult.FIELD_TOO_LARGE;
        cases.add(structural("NOTIFICATION payload length one over the default limit", r,
            putInt(B0 + NotificationDecoder.PAYLOAD_OFFSET, CodecLimits.MAX_PAYLOAD_LENGTH_DEFAULT + 1), NOTIFICATION));
        cases.add(structural("ROOM_CREATED index name length one over the default limit", r,
            putInt(B0 + RoomCreatedDecoder.INDEX_NAME_OFFSET, CodecLimits.MAX_NAME_LENGTH_DEFAULT + 1), ROOM_CREATED));
        cases.add(structural("HEARTBEAT member count one over the default limit", r,
            putInt(B0 + HeartbeatDecoder.MEMBER_COUNT_OFFSET, CodecLimits.MAX_MEMBERS_DEFAULT + 1), HEARTBEAT));
        cases.add(structural("JOIN_RESPONSE member count Integer.MAX_VALUE", r,
            putInt(B0 + JoinResponseDecoder.MEMBER_COUNT_OFFSET, Integer.MAX_VALUE), JOIN_RESPONSE));
        cases.add(structural("VIEW_COMMIT value member count Integer.MAX_VALUE", r,
            putInt(COMMIT_VALUE + ViewValueDecoder.MEMBER_COUNT_OFFSET, Integer.MAX_VALUE), VIEW_COMMIT));
        cases.add(structural("VIEW_PROMISE value removed count one over the default limit", r,
            putInt(B0 + ViewPromiseDecoder.MIN_LENGTH + ViewValueDecoder.REMOVED_COUNT_OFFSET,
                CodecLimits.MAX_MEMBERS_DEFAULT + 1), VIEW_PROMISE));
        cases.add(structural("VIEW_ACCEPTED removed count Integer.MAX_VALUE", r,
            putInt(B0 + ViewAcceptedDecoder.REMOVED_COUNT_OFFSET, Integer.MAX_VALUE), VIEW_ACCEPTED));
        cases.add(structural("CHANGE_REQUEST winner endpoint one over the default limit", r,
            putInt(CHANGE_TAIL, CodecLimits.MAX_ENDPOINT_LENGTH_DEFAULT + 1), DISSOLVE_CHANGE));
    }

    private static void badFieldValue(final List<Case> cases)
    {
        final DecodeResult r = DecodeResult.BAD_FIELD_VALUE;
        cases.add(structural("ROOM_COUNT count -1", r, putLong(B0 + RoomCountDecoder.COUNT_OFFSET, -1L), ROOM_COUNT));
        cases.add(structural("ROOM_COUNT count Long.MIN_VALUE", r,
            putLong(B0 + RoomCountDecoder.COUNT_OFFSET, Long.MIN_VALUE), ROOM_COUNT));
        cases.add(structural("ROOM_COUNT count -1 after a valid message", r,
            putLong(secondMessage(NOTIFICATION) + MESSAGE_HEADER_LENGTH + RoomCountDecoder.COUNT_OFFSET, -1L),
            NOTIFICATION, ROOM_COUNT));
        cases.add(structural("REPAIR_REQUEST from one above to", r,
            putLong(B0 + RepairRequestDecoder.FROM_SEQUENCE_OFFSET, 21L), REPAIR_REQUEST));
        cases.add(structural("REPAIR_REQUEST from Long.MAX_VALUE to Long.MIN_VALUE", r, (b, o, l) ->
        {
            b.putLong(o + B0 + RepairRequestDecoder.FROM_SEQUENCE_OFFSET, Long.MAX_VALUE, BYTE_ORDER);
            b.putLong(o + B0 + RepairRequestDecoder.TO_SEQUENCE_OFFSET, Long.MIN_VALUE, BYTE_ORDER);
            return l;
        }, REPAIR_REQUEST));
        cases.add(structural("SNAPSHOT_REQUEST max chunk length -1", r,
            putInt(B0 + SnapshotRequestDecoder.MAX_CHUNK_LENGTH_OFFSET, -1), SNAPSHOT_REQUEST));
        cases.add(structural("SNAPSHOT_REQUEST floor count -1", r,
            putInt(B0 + SnapshotRequestDecoder.FLOOR_COUNT_OFFSET, -1), SNAPSHOT_REQUEST_WITH_FLOORS));
        cases.add(structural("SNAPSHOT_REQUEST floor count past the member limit", r,
            putInt(B0 + SnapshotRequestDecoder.FLOOR_COUNT_OFFSET, Integer.MAX_VALUE), SNAPSHOT_REQUEST_WITH_FLOORS));
        for (final int kind : new int[]{ 0, 6, -1, Integer.MIN_VALUE })
        {
            cases.add(structural("CHANGE_REQUEST kind " + kind, r,
                putInt(B0 + ChangeRequestDecoder.KIND_OFFSET, kind), FAULT_CHANGE));
        }
        cases.add(structural("SEED_PROBE_RESPONSE size -1", r,
            putInt(B0 + SeedProbeResponseDecoder.SIZE_OFFSET, -1), SEED_PROBE_RESPONSE));
        cases.add(structural("SNAPSHOT_CHUNK second count -1", r,
            putLong(B0 + SnapshotChunkDecoder.COUNTS_OFFSET + SnapshotChunkDecoder.COUNT_ENTRY_LENGTH + 8, -1L),
            SNAPSHOT_CHUNK));
    }

    // ------------------------------------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRejectWithTheExactResult(final Case c)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final int length = encode(buffer, c.messages());
        assertEquals(DecodeResult.OK, new FrameDecoder().wrap(buffer, OFFSET, length), "untampered frame");

        final int received = c.tamper().apply(buffer, OFFSET, length);
        final FrameDecoder decoder = new FrameDecoder(c.limits(), FrameLayout.ANY_CLUSTER);
        if (c.rewriteCrc())
        {
            if (c.expected().compareTo(DecodeResult.CHECKSUM_MISMATCH) > 0)
            {
                assertEquals(DecodeResult.CHECKSUM_MISMATCH, c.receive().wrap(decoder, buffer, OFFSET, received),
                    "the tampering must be caught by the checksum when the CRC is not rewritten");
            }
            frames.rewriteCrc(buffer, OFFSET, received);
        }

        assertEquals(c.expected(), c.receive().wrap(decoder, buffer, OFFSET, received));
        assertFalse(decoder.nextMessage());
        assertEquals(0, decoder.messageCount());
        assertEquals(0, decoder.frameLength());
    }

    @Test
    void shouldCoverEveryRejectionReason()
    {
        final Set<DecodeResult> covered = cases().stream().map(Case::expected).collect(Collectors.toSet());
        final Set<DecodeResult> rejections = EnumSet.allOf(DecodeResult.class);
        rejections.remove(DecodeResult.OK);
        // A well-formed frame of another cluster is no malformation: ClusterFenceTest covers it.
        rejections.remove(DecodeResult.FOREIGN_CLUSTER);
        assertEquals(rejections, covered);
        for (final DecodeResult result : DecodeResult.values())
        {
            assertFalse(result.description().isBlank(), result.name());
        }
    }

    @Test
    void shouldRejectTheWholeFrameWhenOnlyItsLastMessageIsBad()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final int length = encode(buffer, List.of(ROOM_COUNT, NOTIFICATION, ROOM_CREATED, ROOM_COUNT));
        final int last = secondMessage(ROOM_COUNT) + MESSAGE_HEADER_LENGTH + MessageCodec.bodyLength(NOTIFICATION) +
            MESSAGE_HEADER_LENGTH + MessageCodec.bodyLength(ROOM_CREATED);
        buffer.putLong(OFFSET + last + MESSAGE_HEADER_LENGTH + RoomCountDecoder.COUNT_OFFSET, -5L, BYTE_ORDER);
        frames.rewriteCrc(buffer, OFFSET, length);

        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(DecodeResult.BAD_FIELD_VALUE, decoder.wrap(buffer, OFFSET, length));
        assertEquals(OFFSET + last, decoder.errorOffset());
        assertEquals(0, decoder.messageCount());
        assertFalse(decoder.nextMessage());
    }

    @Test
    void shouldAcceptAGoodFrameWithTheSameDecoderAfterARejection()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final int length = encode(buffer, List.of(NOTIFICATION, ROOM_COUNT));
        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(DecodeResult.OK, decoder.wrap(buffer, OFFSET, length));
        assertTrue(decoder.nextMessage());

        buffer.putByte(OFFSET + length - 1, (byte)~buffer.getByte(OFFSET + length - 1));
        assertEquals(DecodeResult.CHECKSUM_MISMATCH, decoder.wrap(buffer, OFFSET, length));
        assertEquals(OFFSET + length - TRAILER_LENGTH, decoder.errorOffset());
        assertFalse(decoder.nextMessage());

        buffer.putByte(OFFSET + length - 1, (byte)~buffer.getByte(OFFSET + length - 1));
        assertEquals(DecodeResult.OK, decoder.wrap(buffer, OFFSET, length));
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(decoder, OFFSET, decoded);
        assertEquals(List.of(NOTIFICATION, ROOM_COUNT), decoded);
    }

    @Test
    void shouldReportWhereTheFrameWentWrong()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final FrameDecoder decoder = new FrameDecoder();

        int length = encode(buffer, List.of(ROOM_COUNT));
        buffer.putByte(OFFSET + VERSION_MAJOR_OFFSET, (byte)1);
        assertEquals(DecodeResult.UNSUPPORTED_VERSION, decoder.wrap(buffer, OFFSET, length));
        assertEquals(OFFSET + VERSION_MAJOR_OFFSET, decoder.errorOffset());

        length = encode(buffer, List.of(ROOM_COUNT));
        assertEquals(DecodeResult.BAD_FRAME_LENGTH, decoder.wrap(buffer, OFFSET, length - 1));
        assertEquals(OFFSET + FRAME_LENGTH_OFFSET, decoder.errorOffset());

        length = encode(buffer, List.of(NOTIFICATION, ROOM_COUNT));
        final int second = secondMessage(NOTIFICATION);
        buffer.putInt(OFFSET + second + MESSAGE_LENGTH_OFFSET, 3, BYTE_ORDER);
        frames.rewriteCrc(buffer, OFFSET, length);
        assertEquals(DecodeResult.BAD_MESSAGE_LENGTH, decoder.wrap(buffer, OFFSET, length));
        assertEquals(OFFSET + second, decoder.errorOffset());
    }

    @Test
    void shouldAcceptANewerMinorVersionWithFlagsAndReservedBitsSet()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final int length = encode(buffer, List.of(ROOM_COUNT, NOTIFICATION));
        buffer.putByte(OFFSET + VERSION_MINOR_OFFSET, (byte)200);
        buffer.putShort(OFFSET + FLAGS_OFFSET, (short)0x8001, BYTE_ORDER);
        buffer.putShort(OFFSET + M0 + MESSAGE_RESERVED_OFFSET, (short)0xFFFF, BYTE_ORDER);
        frames.rewriteCrc(buffer, OFFSET, length);

        final FrameDecoder decoder = new FrameDecoder();
        assertEquals(DecodeResult.OK, decoder.wrap(buffer, OFFSET, length));
        assertEquals(200, decoder.versionMinor());
        assertEquals(0x8001, decoder.flags());
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(decoder, OFFSET, decoded);
        assertEquals(List.of(ROOM_COUNT, NOTIFICATION), decoded);
    }

    @Test
    void shouldAcceptFieldsAndFramesExactlyAtTheDecoderLimits()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
        final List<Message> messages = List.of(
            ROOM_CREATED, NOTIFICATION, CLUSTER_EVENT, new MemberCard(MessageType.NODE_JOINED, KEY_CARD),
            HEARTBEAT, HEARTBEAT_TWO_DIRECTED, JOIN_RESPONSE, SNAPSHOT_CHUNK, COMMAND_RESPONSE, VIEW_COMMIT, VIEW_PROMISE,
            VIEW_ACCEPTED, JOIN_CHANGE, DISSOLVE_CHANGE);
        final int length = encode(buffer, messages);
        final CodecLimits exact = new CodecLimits(4, 10, 2, MessageCodec.utf8("détail").length, 2, length);
        final FrameDecoder decoder = new FrameDecoder(exact, FrameLayout.ANY_CLUSTER);

        assertEquals(DecodeResult.OK, decoder.wrap(buffer, OFFSET, length), exact.toString());
        final List<Message> decoded = new ArrayList<>();
        codec.readAll(decoder, OFFSET, decoded);
        assertEquals(messages, decoded);

        assertNotEquals(DecodeResult.OK, new FrameDecoder(new CodecLimits(4, 10, 2, 7, 2, length - 1), FrameLayout.ANY_CLUSTER)
            .wrap(buffer, OFFSET, length));
    }

    private int encode(final MutableDirectBuffer buffer, final List<Message> messages)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        frameEncoder.wrap(buffer, OFFSET, CAPACITY - 2 * OFFSET).begin(0x4444L, 0x1111L, 0x2222L, 0x3333L, 1000L);
        codec.encodeAll(frameEncoder, buffer, messages);
        return frameEncoder.finish();
    }
}
