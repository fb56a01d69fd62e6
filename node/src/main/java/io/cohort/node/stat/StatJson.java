package io.cohort.node.stat;

import io.cohort.transport.CounterType;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one sample of a counters directory as one JSON object, for scripts and probes ({@code cohort stat --json}):
 * <pre>
 * {"directory": "...", "sampledAt": "2026-12-02T09:30:00Z", "sampledAtMs": 1796..., "healthy": true,
 *  "problems": ["node 00000000000000a2 pid 4242: dead: ..."],
 *  "nodes": [{"nodeId": "00000000000000a1", "pid": 4241, "liveness": "LIVE", "state": "RUNNING", "healthy": true,
 *             "problem": null, "statusAgeMs": 40, ..., "peers": [{"nodeId": "00000000000000a2", ...}]}]}
 * </pre>
 * Node ids are 16-digit hexadecimal strings (they are unsigned 64-bit numbers, past what a JSON double holds);
 * counts are JSON numbers. {@code healthy} and {@code problem} are what {@code --check} decides.
 */
final class StatJson
{
    private StatJson()
    {
    }

    /**
     * Appends the JSON object of one sample, followed by a newline.
     *
     * @param out       where the text goes.
     * @param directory the counters directory.
     * @param nowMs     when the sample was taken, epoch milliseconds.
     * @param views     every node read from the directory.
     */
    static void append(final StringBuilder out, final String directory, final long nowMs, final List<NodeView> views)
    {
        out.append("{\"directory\": ");
        string(out, directory);
        out.append(", \"sampledAt\": ");
        string(out, Instant.ofEpochMilli(nowMs).toString());
        out.append(", \"sampledAtMs\": ").append(nowMs);
        out.append(", \"healthy\": ").append(NodeHealth.healthy(views));
        out.append(", \"problems\": [");
        String separator = "";
        if (views.isEmpty())
        {
            out.append(separator);
            string(out, "no node in " + directory);
        }
        for (final NodeView view : views)
        {
            final String problem = NodeHealth.problem(view);
            if (null != problem)
            {
                out.append(separator);
                string(out, String.format(Locale.ROOT, "node %016x pid %d: %s", view.nodeId, view.pid, problem));
                separator = ", ";
            }
        }
        out.append("], \"nodes\": [");
        separator = "";
        for (final NodeView view : views)
        {
            out.append(separator);
            node(out, view);
            separator = ", ";
        }
        out.append("]}\n");
    }

    private static void node(final StringBuilder out, final NodeView view)
    {
        final String problem = NodeHealth.problem(view);
        out.append("{\"nodeId\": \"").append(hex(view.nodeId)).append('"');
        out.append(", \"pid\": ").append(view.pid);
        out.append(", \"liveness\": \"").append(view.liveness.name()).append('"');
        out.append(", \"state\": ");
        string(out, view.stateName());
        out.append(", \"healthy\": ").append(null == problem);
        out.append(", \"problem\": ");
        if (null == problem)
        {
            out.append("null");
        }
        else
        {
            string(out, problem);
        }
        out.append(", \"statusAgeMs\": ").append(view.statusAgeMs);
        out.append(", \"startTimeMs\": ").append(view.startTimeMs);
        out.append(", \"uptimeMs\": ").append(Math.max(0, view.sampledAtMs - view.startTimeMs));
        field(out, "incarnation", view.value(CounterType.NODE_INCARNATION, 0));
        field(out, "members", view.value(CounterType.NODE_MEMBERS, 0));
        field(out, "rooms", view.value(CounterType.NODE_ROOMS, 0));
        field(out, "connections", view.value(CounterType.NODE_CONNECTIONS, 0));
        field(out, "subscriptions", view.value(CounterType.NODE_SUBSCRIPTIONS, 0));
        field(out, "evictions", view.value(CounterType.NODE_EVICTIONS, 0));
        field(out, "errors", view.value(CounterType.NODE_ERRORS, 0));
        field(out, "stalls", view.value(CounterType.NODE_STALLS, 0));
        field(out, "longestStallMs", view.value(CounterType.NODE_LONGEST_STALL_MS, 0));
        field(out, "workingStalls", view.value(CounterType.NODE_WORKING_STALLS, 0));
        field(out, "roomsWanted", view.value(CounterType.NODE_ROOMS_WANTED, 0));
        field(out, "roomsAnnouncedAgain", view.value(CounterType.NODE_ROOMS_ANNOUNCED_AGAIN, 0));
        field(out, "roomCreationsUndone", view.value(CounterType.NODE_ROOM_CREATIONS_UNDONE, 0));
        field(out, "roomRemovalsOutrun", view.value(CounterType.NODE_ROOM_REMOVALS_OUTRUN, 0));
        field(out, "bytesIn", total(view, CounterType.PEER_BYTES));
        field(out, "messagesIn", total(view, CounterType.PEER_MESSAGES));
        field(out, "framesIn", total(view, CounterType.PEER_FRAMES));
        field(out, "gaps", total(view, CounterType.PEER_GAPS));
        field(out, "duplicates", total(view, CounterType.PEER_DUPLICATES));
        field(out, "reorders", total(view, CounterType.PEER_REORDERS));
        field(out, "badFrames", total(view, CounterType.PEER_BAD_FRAMES));
        field(out, "lostTails", total(view, CounterType.PEER_LOST_TAILS));
        field(out, "bytesOut", view.value(CounterType.BYTES_SENT, 0));
        field(out, "messagesOut", view.value(CounterType.MESSAGES_SENT, 0));
        field(out, "framesOut", view.value(CounterType.FRAMES_SENT, 0));
        field(out, "backPressure", view.value(CounterType.SEND_BACK_PRESSURE, 0));
        field(out, "staleFrames", view.value(CounterType.STALE_FRAMES, 0));
        field(out, "strangerFrames", view.value(CounterType.STRANGER_FRAMES, 0));
        field(out, "misroutedFrames", view.value(CounterType.MISROUTED_FRAMES, 0));
        field(out, "authRefused", view.value(CounterType.AUTH_REFUSED, 0));
        field(out, "commandTimeouts", view.value(CounterType.COMMAND_TIMEOUTS, 0));
        out.append(", \"peers\": [");
        String separator = "";
        for (final Map.Entry<Long, NodeView.Peer> entry : view.peers.entrySet())
        {
            final NodeView.Peer peer = entry.getValue();
            out.append(separator).append("{\"nodeId\": \"").append(hex(entry.getKey())).append('"');
            field(out, "incarnation", peer.incarnation);
            field(out, "expectedBroadcast", peer.value(CounterType.PEER_EXPECTED_BROADCAST));
            field(out, "expectedDirected", peer.value(CounterType.PEER_EXPECTED_DIRECTED));
            field(out, "messages", peer.value(CounterType.PEER_MESSAGES));
            field(out, "frames", peer.value(CounterType.PEER_FRAMES));
            field(out, "gaps", peer.value(CounterType.PEER_GAPS));
            field(out, "duplicates", peer.value(CounterType.PEER_DUPLICATES));
            field(out, "reorders", peer.value(CounterType.PEER_REORDERS));
            field(out, "badFrames", peer.value(CounterType.PEER_BAD_FRAMES));
            field(out, "lostTails", peer.value(CounterType.PEER_LOST_TAILS));
            field(out, "bytes", peer.value(CounterType.PEER_BYTES));
            out.append('}');
            separator = ", ";
        }
        out.append("]}");
    }

    private static void field(final StringBuilder out, final String name, final long value)
    {
        out.append(", \"").append(name).append("\": ").append(value);
    }

    private static long total(final NodeView view, final int peerType)
    {
        return view.value(peerType + CounterType.TOTAL_OFFSET, 0);
    }

    private static String hex(final long id)
    {
        return String.format(Locale.ROOT, "%016x", id);
    }

    /**
     * Appends a JSON string literal: quotes, backslashes and every control character escaped (RFC 8259, section 7),
     * so that any directory name or state text stays one valid string.
     *
     * @param out   where the literal goes.
     * @param value the text.
     */
    static void string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029')
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
