package io.cohort.node.stat;

import io.cohort.transport.CounterType;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link NodeView}s as text: one block per node, a line per peer. Rates are per second since the previous
 * sample of the same node, when there is one.
 */
final class StatFormat
{
    private StatFormat()
    {
    }

    static void appendNode(final StringBuilder out, final NodeView view, final NodeView previous)
    {
        out.append(String.format(Locale.ROOT, "node %016x  pid %d  %s  up %s  incarnation %d%n",
            view.nodeId, view.pid, liveness(view), duration(view.sampledAtMs - view.startTimeMs),
            view.value(CounterType.NODE_INCARNATION, 0)));
        out.append(String.format(Locale.ROOT,
            "  state %s  members %d  rooms %d  connections %d  subscriptions %d  evictions %d  errors %d%n",
            view.stateName(), view.value(CounterType.NODE_MEMBERS, 0), view.value(CounterType.NODE_ROOMS, 0),
            view.value(CounterType.NODE_CONNECTIONS, 0), view.value(CounterType.NODE_SUBSCRIPTIONS, 0),
            view.value(CounterType.NODE_EVICTIONS, 0), view.value(CounterType.NODE_ERRORS, 0)));
        out.append(String.format(Locale.ROOT, "  stalls %d (over 50 ms; %d working)  longest stall %d ms  " +
            "rooms wanted %d  announced again %d  creations undone %d  removals outrun %d%n",
            view.value(CounterType.NODE_STALLS, 0), view.value(CounterType.NODE_WORKING_STALLS, 0),
            view.value(CounterType.NODE_LONGEST_STALL_MS, 0), view.value(CounterType.NODE_ROOMS_WANTED, 0),
            view.value(CounterType.NODE_ROOMS_ANNOUNCED_AGAIN, 0),
            view.value(CounterType.NODE_ROOM_CREATIONS_UNDONE, 0),
            view.value(CounterType.NODE_ROOM_REMOVALS_OUTRUN, 0)));
        out.append(String.format(Locale.ROOT,
            "  in   %s  %d msgs (%s)  %d frames  gaps %d  dups %d  reorders %d  bad %d  lost tails %d%n",
            bytes(total(view, CounterType.PEER_BYTES)), total(view, CounterType.PEER_MESSAGES),
            rate(view, previous, CounterType.PEER_MESSAGES + CounterType.TOTAL_OFFSET),
            total(view, CounterType.PEER_FRAMES), total(view, CounterType.PEER_GAPS),
            total(view, CounterType.PEER_DUPLICATES), total(view, CounterType.PEER_REORDERS),
            total(view, CounterType.PEER_BAD_FRAMES), total(view, CounterType.PEER_LOST_TAILS)));
        out.append(String.format(Locale.ROOT,
            "  out  %s  %d msgs (%s)  %d frames  back-pressure %d%n",
            bytes(view.value(CounterType.BYTES_SENT, 0)), view.value(CounterType.MESSAGES_SENT, 0),
            rate(view, previous, CounterType.MESSAGES_SENT), view.value(CounterType.FRAMES_SENT, 0),
            view.value(CounterType.SEND_BACK_PRESSURE, 0)));
        out.append(String.format(Locale.ROOT,
            "  dropped: stale %d  stranger %d  misrouted %d  other cluster %d  auth refused %d  command timeouts %d%n",
            view.value(CounterType.STALE_FRAMES, 0), view.value(CounterType.STRANGER_FRAMES, 0),
            view.value(CounterType.MISROUTED_FRAMES, 0), view.value(CounterType.FOREIGN_CLUSTER_FRAMES, 0),
            view.value(CounterType.AUTH_REFUSED, 0), view.value(CounterType.COMMAND_TIMEOUTS, 0)));
        if (!view.peers.isEmpty())
        {
            out.append(String.format(Locale.ROOT, "  %-16s %13s %13s %12s %10s %6s %6s %6s %6s %6s %10s%n",
                "peer", "next bcast", "next direct", "messages", "frames", "gaps", "dups", "reord", "bad", "tails",
                "bytes"));
            for (final Map.Entry<Long, NodeView.Peer> entry : view.peers.entrySet())
            {
                final NodeView.Peer peer = entry.getValue();
                out.append(String.format(Locale.ROOT, "  %016x %13d %13d %12d %10d %6d %6d %6d %6d %6d %10s%n",
                    entry.getKey(), peer.value(CounterType.PEER_EXPECTED_BROADCAST),
                    peer.value(CounterType.PEER_EXPECTED_DIRECTED), peer.value(CounterType.PEER_MESSAGES),
                    peer.value(CounterType.PEER_FRAMES), peer.value(CounterType.PEER_GAPS),
                    peer.value(CounterType.PEER_DUPLICATES), peer.value(CounterType.PEER_REORDERS),
                    peer.value(CounterType.PEER_BAD_FRAMES), peer.value(CounterType.PEER_LOST_TAILS),
                    bytes(peer.value(CounterType.PEER_BYTES))));
            }
        }
    }

    private static long total(final NodeView view, final int peerType)
    {
        return view.value(peerType + CounterType.TOTAL_OFFSET, 0);
    }

    private static String liveness(final NodeView view)
    {
        switch (view.liveness)
        {
            case LIVE:
                return "live";
            case STALLED:
                return "STALLED (no status for " + duration(view.statusAgeMs) + ")";
            default:
                return "DEAD (process gone; file left behind, remove it with --clean)";
        }
    }

    private static String rate(final NodeView view, final NodeView previous, final int typeId)
    {
        if (null == previous || view.sampledAtMs <= previous.sampledAtMs)
        {
            return "-/s";
        }
        final long delta = view.value(typeId, 0) - previous.value(typeId, 0);
        return Math.max(0, delta * 1000 / (view.sampledAtMs - previous.sampledAtMs)) + "/s";
    }

    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(final long millis)
    {
        final Duration duration = Duration.ofMillis(Math.max(0, millis));
        if (duration.toHours() > 0)
        {
            return String.format(Locale.ROOT, "%dh%02dm", duration.toHours(), duration.toMinutesPart());
        }
        if (duration.toMinutes() > 0)
        {
            return String.format(Locale.ROOT, "%dm%02ds", duration.toMinutes(), duration.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%d.%01ds", duration.toSeconds(), duration.toMillisPart() / 100);
    }
}
