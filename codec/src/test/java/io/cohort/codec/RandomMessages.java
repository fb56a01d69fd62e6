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
import io.cohort.codec.Messages.Floor;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random but valid messages of every type, for the batch and fuzz tests: every value the encoders accept,
 * with an emphasis on edge values (0, -1, the extremes), empty and non-empty variable-length fields and
 * names in several scripts (2-, 3- and 4-byte UTF-8). Everything is drawn from the given {@link Random},
 * so a seed replays a message exactly. Sizes stay small so that a fuzz iteration is cheap.
 */
final class RandomMessages
{
    private static final int[] TYPES = MessageType.all();

    /** Pieces of names: ASCII, Latin, Cyrillic, Greek, CJK, and characters outside the BMP. */
    private static final String[] ALPHABET = {
        "a", "b", "c", "x", "y", "z", "0", "7", "9", ":", "/", ".", "-", "_",
        "é", "ß", "ñ", "ж", "ω", "日", "本", "語", "€", "😀", "🚀", "𝄞" };

    private static final int MAX_NAME_PIECES = 10;
    private static final int MAX_PAYLOAD = 96;
    private static final int MAX_FILTER = 48;
    private static final int MAX_KEY = 40;
    private static final int MAX_LIST = 6;

    private RandomMessages()
    {
    }

    /**
     * A random message of a random type.
     *
     * @param random source of every choice.
     * @return the message.
     */
    static Message next(final Random random)
    {
        return next(random, TYPES[random.nextInt(TYPES.length)]);
    }

    /**
     * A list of random messages of random types.
     *
     * @param random source of every choice.
     * @param count  how many.
     * @return the messages.
     */
    static List<Message> list(final Random random, final int count)
    {
        final List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            messages.add(next(random));
        }
        return messages;
    }

    /**
     * A random message of the given type.
     *
     * @param random source of every choice.
     * @param type   one of {@link MessageType}.
     * @return the message.
     */
    static Message next(final Random random, final int type)
    {
        switch (type)
        {
            case MessageType.HEARTBEAT:
            {
                final int memberCount = size(random);
                final List<HeartbeatMember> members = new ArrayList<>(memberCount);
                for (int i = 0; i < memberCount; i++)
                {
                    members.add(random.nextInt(3) == 0 ? HeartbeatMember.of(anyLong(random)) :
                        new HeartbeatMember(anyLong(random), anyLong(random), anyLong(random), anyLong(random)));
                }
                final int directedCount = size(random);
                final List<Directed> directed = new ArrayList<>(directedCount);
                for (int i = 0; i < directedCount; i++)
                {
                    directed.add(new Directed(anyLong(random), anyLong(random)));
                }
                return new Heartbeat(anyLong(random), anyLong(random), anyLong(random), anyInt(random),
                    anyLong(random), anyLong(random), anyLong(random), members, directed);
            }
            case MessageType.MEMBER_CARD:
            case MessageType.NODE_JOINED:
                return new MemberCard(type, card(random));
            case MessageType.NODE_LEAVING:
                return new NodeLeaving(anyLong(random), anyLong(random), anyLong(random));
            case MessageType.NODE_EVICTED:
                return new NodeEvicted(anyLong(random), anyLong(random), anyLong(random), anyInt(random));
            case MessageType.SUSPECT:
                return new Suspect(anyLong(random), anyLong(random), anyLong(random), anyLong(random), anyInt(random));
            case MessageType.ROOM_CREATED:
                return new RoomCreated(room(random));
            case MessageType.ROOM_REMOVED:
                return new RoomRemoved(anyLong(random));
            case MessageType.ROOM_WANTED:
                return new RoomWanted(anyLong(random));
            case MessageType.ROOM_COUNT:
                return new RoomCount(anyLong(random), nonNegativeLong(random));
            case MessageType.NOTIFICATION:
                return new Notification(anyLong(random), bytes(random, MAX_PAYLOAD));
            case MessageType.CLUSTER_EVENT:
                return new ClusterEvent(name(random), bytes(random, MAX_PAYLOAD));
            case MessageType.PROBE:
                return new Probe(anyLong(random), anyLong(random));
            case MessageType.JOIN_REQUEST:
                return new JoinRequest(anyLong(random), anyLong(random), anyLong(random), name(random), card(random));
            case MessageType.JOIN_RESPONSE:
            {
                final int memberCount = random.nextInt(4);
                final List<Card> members = new ArrayList<>(memberCount);
                for (int i = 0; i < memberCount; i++)
                {
                    members.add(card(random));
                }
                return new JoinResponse(
                    anyLong(random), anyInt(random), anyLong(random), anyLong(random), name(random), members);
            }
            case MessageType.SNAPSHOT_REQUEST:
            {
                final int floorCount = size(random);
                final List<Floor> floors = new ArrayList<>(floorCount);
                for (int i = 0; i < floorCount; i++)
                {
                    floors.add(new Floor(anyLong(random), anyLong(random), anyLong(random)));
                }
                final int flags = random.nextInt() & ~SnapshotRequestDecoder.FLAG_ROOM_FLOORS;
                return new SnapshotRequest(anyLong(random), anyLong(random), nonNegativeInt(random),
                    floors.isEmpty() ? flags : flags | SnapshotRequestDecoder.FLAG_ROOM_FLOORS, floors);
            }
            case MessageType.SNAPSHOT_CHUNK:
            {
                if (random.nextInt(4) == 0)
                {
                    // A chunk of table streams: owner 0, nothing else in it.
                    final int streams = 1 + random.nextInt(4);
                    final List<Messages.Floor> tableStreams = new ArrayList<>(streams);
                    for (int i = 0; i < streams; i++)
                    {
                        tableStreams.add(new Messages.Floor(anyLong(random), anyLong(random), anyLong(random)));
                    }
                    return new SnapshotChunk(anyLong(random), 0L, anyLong(random), anyLong(random), anyLong(random),
                        anyInt(random), (anyInt(random) | SnapshotChunkDecoder.FLAG_TABLE_STREAMS) &
                        ~SnapshotChunkDecoder.FLAG_ROOM_REMOVALS, List.of(), List.of(), tableStreams, List.of());
                }
                if (random.nextInt(4) == 0)
                {
                    // A chunk of room removals: owner 0, nothing else in it.
                    final int removals = 1 + random.nextInt(4);
                    final List<Messages.RoomRemoval> roomRemovals = new ArrayList<>(removals);
                    for (int i = 0; i < removals; i++)
                    {
                        roomRemovals.add(new Messages.RoomRemoval(
                            anyLong(random), anyLong(random), anyLong(random), anyLong(random)));
                    }
                    return new SnapshotChunk(anyLong(random), 0L, anyLong(random), anyLong(random), anyLong(random),
                        anyInt(random), (anyInt(random) | SnapshotChunkDecoder.FLAG_ROOM_REMOVALS) &
                        ~SnapshotChunkDecoder.FLAG_TABLE_STREAMS, List.of(), List.of(), List.of(), roomRemovals);
                }
                final int countEntries = size(random);
                final List<Count> counts = new ArrayList<>(countEntries);
                for (int i = 0; i < countEntries; i++)
                {
                    counts.add(new Count(anyLong(random), nonNegativeLong(random)));
                }
                final int roomEntries = random.nextInt(4);
                final List<Room> rooms = new ArrayList<>(roomEntries);
                for (int i = 0; i < roomEntries; i++)
                {
                    rooms.add(room(random));
                }
                final int tableFacts = SnapshotChunkDecoder.FLAG_TABLE_STREAMS | SnapshotChunkDecoder.FLAG_ROOM_REMOVALS;
                return new SnapshotChunk(
                    anyLong(random), anyLong(random), anyLong(random), anyLong(random), anyLong(random),
                    anyInt(random), random.nextBoolean() ? SnapshotChunkDecoder.FLAG_LAST : anyInt(random) & ~tableFacts,
                    counts, rooms);
            }
            case MessageType.REPAIR_REQUEST:
            {
                final long a = anyLong(random);
                final long b = random.nextInt(4) == 0 ? a : anyLong(random);
                return new RepairRequest(anyLong(random), anyLong(random), anyLong(random), Math.min(a, b), Math.max(a, b));
            }
            case MessageType.PROBE_REQUEST:
                return new ProbeRequest(anyLong(random), anyLong(random));
            case MessageType.SNAPSHOT_CREDIT:
                return new SnapshotCredit(anyLong(random), anyLong(random));
            case MessageType.FLOW_STATUS:
                return new FlowStatus(anyLong(random), anyLong(random), anyLong(random));
            case MessageType.LIVENESS:
                return new Liveness((Heartbeat)next(random, MessageType.HEARTBEAT));
            case MessageType.COMMAND_RESPONSE:
                return new CommandResponse(anyLong(random), anyInt(random), name(random));
            case MessageType.VIEW_PREPARE:
                return new ViewPrepare(anyLong(random), anyLong(random), anyLong(random), anyLong(random), anyLong(random));
            case MessageType.VIEW_PROMISE:
                return new ViewPromise(anyLong(random), anyLong(random), anyLong(random), anyLong(random),
                    anyLong(random), random.nextBoolean(), anyLong(random), anyLong(random), anyLong(random),
                    anyLong(random), random.nextBoolean() ? viewValue(random) : null);
            case MessageType.VIEW_ACCEPT:
                return new ViewAccept(anyLong(random), anyLong(random), anyLong(random), anyLong(random),
                    anyLong(random), viewValue(random));
            case MessageType.VIEW_ACCEPTED:
            {
                final int removedCount = size(random);
                final List<RemovedHeard> removed = new ArrayList<>(removedCount);
                for (int i = 0; i < removedCount; i++)
                {
                    removed.add(new RemovedHeard(anyLong(random), anyLong(random)));
                }
                return new ViewAccepted(anyLong(random), anyLong(random), anyLong(random), anyLong(random),
                    anyLong(random), random.nextBoolean(), anyLong(random), anyLong(random), removed);
            }
            case MessageType.VIEW_COMMIT:
                return new ViewCommit(anyLong(random), anyLong(random), anyLong(random), viewValue(random));
            case MessageType.CHANGE_REQUEST:
            {
                final int kind = 1 + random.nextInt(5);
                return new ChangeRequest(anyLong(random), anyLong(random), anyLong(random), kind, anyInt(random),
                    anyLong(random), anyLong(random), anyLong(random), anyLong(random),
                    ChangeRequestDecoder.KIND_JOIN == kind ? card(random) : null,
                    ChangeRequestDecoder.KIND_DISSOLVE == kind ? name(random) : null);
            }
            case MessageType.VIEW_QUERY:
                return new ViewQuery(anyLong(random), anyLong(random), anyLong(random));
            case MessageType.SEED_PROBE:
                return new SeedProbe(anyLong(random), anyLong(random), anyLong(random));
            case MessageType.SEED_PROBE_RESPONSE:
                return new SeedProbeResponse(anyLong(random), anyLong(random), anyLong(random), nonNegativeInt(random),
                    random.nextBoolean(), anyLong(random), anyLong(random), random.nextBoolean());
            default:
                throw new IllegalArgumentException("type=" + type + " is not a message type");
        }
    }

    static Card card(final Random random)
    {
        final Bytes publicKey = random.nextBoolean() ? Bytes.EMPTY : bytes(random, MAX_KEY);
        return Card.of(anyLong(random), anyLong(random), name(random), name(random), publicKey);
    }

    static ViewValue viewValue(final Random random)
    {
        final int memberCount = random.nextInt(4);
        final List<Card> members = new ArrayList<>(memberCount);
        for (int i = 0; i < memberCount; i++)
        {
            members.add(card(random));
        }
        final int removedCount = size(random);
        final List<Removed> removed = new ArrayList<>(removedCount);
        for (int i = 0; i < removedCount; i++)
        {
            removed.add(new Removed(anyLong(random), anyLong(random), anyInt(random)));
        }
        final int flags = random.nextBoolean() ? ViewValueDecoder.FLAG_DISSOLVE : anyInt(random);
        return new ViewValue(anyLong(random), anyLong(random), flags, members, removed);
    }

    static Room room(final Random random)
    {
        return new Room(anyLong(random), name(random), name(random), bytes(random, MAX_FILTER));
    }

    /**
     * A valid string of 0 to a few characters mixing scripts, empty one time in four.
     *
     * @param random source of every choice.
     * @return the string.
     */
    static String name(final Random random)
    {
        if (random.nextInt(4) == 0)
        {
            return "";
        }
        final int pieces = 1 + random.nextInt(MAX_NAME_PIECES);
        final StringBuilder builder = new StringBuilder(pieces * 2);
        for (int i = 0; i < pieces; i++)
        {
            builder.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return builder.toString();
    }

    /**
     * Random bytes, empty one time in four.
     *
     * @param random    source of every choice.
     * @param maxLength longest.
     * @return the bytes.
     */
    static Bytes bytes(final Random random, final int maxLength)
    {
        if (random.nextInt(4) == 0)
        {
            return Bytes.EMPTY;
        }
        final byte[] bytes = new byte[1 + random.nextInt(maxLength)];
        random.nextBytes(bytes);
        return new Bytes(bytes);
    }

    /**
     * A list size from 0 to a few, 0 one time in four.
     *
     * @param random source of every choice.
     * @return the size.
     */
    static int size(final Random random)
    {
        return random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(MAX_LIST);
    }

    static long anyLong(final Random random)
    {
        switch (random.nextInt(10))
        {
            case 0: return 0L;
            case 1: return -1L;
            case 2: return Long.MAX_VALUE;
            case 3: return Long.MIN_VALUE;
            case 4: return random.nextInt(1000);
            default: return random.nextLong();
        }
    }

    static long nonNegativeLong(final Random random)
    {
        switch (random.nextInt(6))
        {
            case 0: return 0L;
            case 1: return Long.MAX_VALUE;
            case 2: return random.nextInt(1000);
            default: return random.nextLong() & Long.MAX_VALUE;
        }
    }

    static int anyInt(final Random random)
    {
        switch (random.nextInt(8))
        {
            case 0: return 0;
            case 1: return -1;
            case 2: return Integer.MAX_VALUE;
            case 3: return Integer.MIN_VALUE;
            case 4: return random.nextInt(16);
            default: return random.nextInt();
        }
    }

    static int nonNegativeInt(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0: return 0;
            case 1: return Integer.MAX_VALUE;
            default: return random.nextInt() & Integer.MAX_VALUE;
        }
    }
}
