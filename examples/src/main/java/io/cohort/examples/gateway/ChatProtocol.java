package io.cohort.examples.gateway;

import java.nio.charset.StandardCharsets;

/**
 * The gateway's text protocol: one command per WebSocket text message, words separated by one space.
 * <pre>
 * client → gateway            gateway → client
 * SUB room                    OK SUB room
 * UNSUB room                  OK UNSUB room
 * PUB room text...            OK PUB room          (then MSG room text... to every subscriber, on every gateway)
 * COUNT room                  COUNT room n         (subscribers across the whole cluster)
 * STATUS                      STATUS state nodes   (e.g. STATUS RUNNING 3: this node's state, cluster size)
 * NODE                        NODE id              (this gateway's node id, 16 hex digits)
 * ROOMS                       ROOMS room...        (this client's rooms as the node counts them, sorted)
 * ROOM room                   ROOM room n local    (the room is known: subscribers in the cluster and here)
 * anything invalid            ERR code explanation (nothing changed)
 *                             RESUMED room         (unasked: this gateway's node was replaced after an eviction and
 *                                                   the client's subscription to room is back; what was published to
 *                                                   room meanwhile did not reach it)
 * </pre>
 * A room name is 1 to {@value #MAX_ROOM_LENGTH} characters of {@code A-Z a-z 0-9 . _ -}; the text of a
 * {@code PUB} is everything after the room and one space, any UTF-8, non-empty, at most the node's maximum payload
 * length in bytes. Verbs are upper case.
 */
public final class ChatProtocol
{
    /** Longest room name, in characters. */
    public static final int MAX_ROOM_LENGTH = 64;

    /** Error code: an unknown verb, a missing or extra argument, a binary frame. */
    public static final String BAD_COMMAND = "BAD_COMMAND";
    /** Error code: a room name that breaks the naming rule. */
    public static final String BAD_ROOM = "BAD_ROOM";
    /** Error code: a message longer than the node's maximum payload length. */
    public static final String TOO_LONG = "TOO_LONG";
    /** Error code: the node's queue stayed full for the whole retry window; nothing was done, try again. */
    public static final String BUSY = "BUSY";
    /** Error code: the node is not a running member (joining, too few nodes, evicted, closing). */
    public static final String NOT_SERVING = "NOT_SERVING";
    /** Error code: the node refused a queued subscription (e.g. a capacity limit); the subscription was undone. */
    public static final String REFUSED = "REFUSED";
    /** Error code: {@code ROOM} of a room the node does not know (never created, or not replicated here yet). */
    public static final String NO_ROOM = "NO_ROOM";

    private final int maxTextBytes;

    /**
     * Creates a parser.
     *
     * @param maxTextBytes the longest {@code PUB} text in UTF-8 bytes (the node's maximum payload length).
     */
    public ChatProtocol(final int maxTextBytes)
    {
        if (maxTextBytes < 1)
        {
            throw new IllegalArgumentException("maxTextBytes=" + maxTextBytes + " must be positive");
        }
        this.maxTextBytes = maxTextBytes;
    }

    /**
     * The longest {@code PUB} text this parser accepts.
     *
     * @return its length in UTF-8 bytes.
     */
    public int maxTextBytes()
    {
        return maxTextBytes;
    }

    /**
     * Parses one client frame.
     *
     * @param frame the text of one WebSocket message.
     * @return the command.
     * @throws ChatProtocolException naming what is wrong; the caller answers it with {@link #error}.
     */
    public ChatCommand parse(final String frame)
    {
        final int space = frame.indexOf(' ');
        final String verbWord = -1 == space ? frame : frame.substring(0, space);
        final ChatCommand.Verb verb = verb(verbWord);
        final String rest = -1 == space ? null : frame.substring(space + 1);
        switch (verb)
        {
            case STATUS:
            case NODE:
            case ROOMS:
                if (null != rest)
                {
                    throw new ChatProtocolException(BAD_COMMAND, verb + " takes no argument");
                }
                return new ChatCommand(verb, null, null);

            case PUB:
            {
                final int textSpace = null == rest ? -1 : rest.indexOf(' ');
                if (-1 == textSpace)
                {
                    throw new ChatProtocolException(BAD_COMMAND, "usage: PUB room text");
                }
                final String room = room(rest.substring(0, textSpace));
                final String text = rest.substring(textSpace + 1);
                if (text.isEmpty())
                {
                    throw new ChatProtocolException(BAD_COMMAND, "usage: PUB room text (the text is empty)");
                }
                final int textBytes = utf8Length(text);
                if (textBytes > maxTextBytes)
                {
                    throw new ChatProtocolException(TOO_LONG,
                        "text is " + textBytes + " bytes, at most " + maxTextBytes + " are allowed");
                }
                return new ChatCommand(verb, room, text);
            }

            default:
                if (null == rest || rest.indexOf(' ') >= 0)
                {
                    throw new ChatProtocolException(BAD_COMMAND, "usage: " + verb + " room");
                }
                return new ChatCommand(verb, room(rest), null);
        }
    }

    /**
     * The frame that answers a bad command or a failed call.
     *
     * @param code        one of the error codes of this class.
     * @param explanation one line.
     * @return {@code ERR code explanation}.
     */
    public static String error(final String code, final String explanation)
    {
        return "ERR " + code + " " + explanation.replace('\n', ' ');
    }

    /**
     * The frame that tells a subscriber its subscription is back on the gateway's new node, after the one it was
     * made on was evicted: messages published to the room in between were not delivered to it.
     *
     * @param room the room.
     * @return {@code RESUMED room}.
     */
    public static String resumed(final String room)
    {
        return "RESUMED " + room;
    }

    /**
     * The frame that delivers a published message to a subscriber.
     *
     * @param room the room.
     * @param text the message.
     * @return {@code MSG room text}.
     */
    public static String message(final String room, final String text)
    {
        return "MSG " + room + " " + text;
    }

    private static ChatCommand.Verb verb(final String word)
    {
        for (final ChatCommand.Verb verb : ChatCommand.Verb.values())
        {
            if (verb.name().equals(word))
            {
                return verb;
            }
        }
        throw new ChatProtocolException(BAD_COMMAND, "unknown command '" + abbreviate(word) +
            "': use SUB UNSUB PUB COUNT ROOM ROOMS STATUS NODE");
    }

    private static String room(final String name)
    {
        if (name.isEmpty() || name.length() > MAX_ROOM_LENGTH)
        {
            throw new ChatProtocolException(BAD_ROOM,
                "room name '" + abbreviate(name) + "' must be 1 to " + MAX_ROOM_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' ||
                c == '-'))
            {
                throw new ChatProtocolException(BAD_ROOM,
                    "room name '" + abbreviate(name) + "' may hold only A-Z a-z 0-9 . _ -");
            }
        }
        return name;
    }

    /** Echoes at most a short prefix of what the client sent, so that an error frame stays one short line. */
    private static String abbreviate(final String word)
    {
        final String shown = word.length() > 32 ? word.substring(0, 32) + "..." : word;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static int utf8Length(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
