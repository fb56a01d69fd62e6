package io.cohort.netns;

import io.cohort.netns.NodeLog.Event;
import io.cohort.netns.NodeLog.View;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Who serves in which view at any moment of a run, rebuilt from the nodes' logs ({@link NodeLog}) and the
 * processes' start and exit times, and the intervals in which more than one group served.
 * <p>
 * A node serves while its process lives and its last state is {@code RUNNING} or {@code NOT_ENOUGH_NODES}; its view
 * is the last it installed. Two serving nodes {@code a}, {@code b} with views {@code Va}, {@code Vb} (epoch
 * {@code ea <= eb}) are <em>two groups</em> when the views are of different lineages, or of one epoch with
 * different members (two successors of one view), or when {@code Vb} does not list {@code a}: a later view removed
 * {@code a} while {@code a} still served, which the lease forbids. Serving nodes in different views of one chain
 * (a view being installed, one node after another) are one group in transition: <em>view skew</em>.
 */
final class ServingGroups
{
    private ServingGroups()
    {
    }

    /**
     * A host at one moment.
     *
     * @param host        from 1.
     * @param incarnation its latest incarnation started by then, or null if none.
     * @param alive       whether that process lived.
     * @param state       its last state ({@code STARTING} before any change).
     * @param view        its last installed view, or null.
     */
    record HostState(int host, Incarnation incarnation, boolean alive, String state, View view)
    {
        boolean serving()
        {
            return alive && ("RUNNING".equals(state) || "NOT_ENOUGH_NODES".equals(state));
        }

        /**
         * This node's own entry ({@code id/incarnation}) in its view.
         *
         * @return the entry, or null without a view.
         */
        String self()
        {
            return null == view ? null : view.entryOf(NetnsCluster.nodeId(host));
        }

        public String toString()
        {
            return "h" + host + (null == incarnation ? " not started" : "#" + incarnation.number + " " +
                (alive ? state : "exited " + incarnation.exitCode) + " in " + view);
        }
    }

    /**
     * An interval in which something was wrong with the serving nodes.
     *
     * @param fromMs first moment, epoch ms.
     * @param toMs   first moment after it when it was right again (or the end of the analysis).
     * @param what   what was wrong, and who served in which view, at {@code fromMs}.
     */
    record Interval(long fromMs, long toMs, String what)
    {
        long durationMs()
        {
            return toMs - fromMs;
        }

        public String toString()
        {
            return durationMs() + " ms from " + time(fromMs) + ": " + what;
        }
    }

    /**
     * Every host at one moment.
     *
     * @param run     the run.
     * @param atMs    the moment, epoch ms.
     * @return one state per host, host 1 first.
     */
    static List<HostState> at(final Incarnations run, final long atMs)
    {
        final List<HostState> states = new ArrayList<>();
        for (int host = 1; host <= run.hostCount(); host++)
        {
            Incarnation current = null;
            for (final Incarnation incarnation : run.incarnations(host))
            {
                if (incarnation.startMs <= atMs)
                {
                    current = incarnation;
                }
            }
            if (null == current)
            {
                states.add(new HostState(host, null, false, "STARTING", null));
                continue;
            }
            String state = "STARTING";
            View view = null;
            for (final Event event : current.log.events())
            {
                if (event.atMs() > atMs)
                {
                    break;
                }
                if (null != event.state())
                {
                    state = event.state();
                }
                else
                {
                    view = event.view();
                }
            }
            states.add(new HostState(host, current, current.aliveAt(atMs), state, view));
        }
        return states;
    }

    /**
     * The serving hosts among {@code states}.
     *
     * @param states every host's state.
     * @return those that serve.
     */
    static List<HostState> serving(final List<HostState> states)
    {
        return states.stream().filter(HostState::serving).collect(Collectors.toList());
    }

    /**
     * Why the serving hosts are two groups, or null if they are one.
     *
     * @param serving the serving hosts.
     * @return the reason.
     */
    static String twoGroups(final List<HostState> serving)
    {
        for (final HostState a : serving)
        {
            for (final HostState b : serving)
            {
                final View va = a.view();
                final View vb = b.view();
                if (a == b || va.epoch() > vb.epoch())
                {
                    continue;
                }
                if (!va.lineage().equals(vb.lineage()))
                {
                    return "h" + a.host() + " and h" + b.host() + " serve views of different lineages: " + va + " and " +
                        vb;
                }
                if (va.epoch() == vb.epoch() && !va.members().equals(vb.members()))
                {
                    return "two views of epoch " + va.epoch() + ": h" + a.host() + " " + va + ", h" + b.host() + " " + vb;
                }
                if (va.epoch() < vb.epoch() && !vb.members().contains(a.self()))
                {
                    return "h" + a.host() + " serves " + va + " although h" + b.host() + " serves " + vb +
                        ", which removed it";
                }
            }
        }
        return null;
    }

    /**
     * Whether every serving host is in one view.
     *
     * @param serving the serving hosts.
     * @return true if they share one view (or none serves).
     */
    static boolean oneView(final List<HostState> serving)
    {
        return serving.stream().map(HostState::view).distinct().count() <= 1;
    }

    /**
     * Every moment in {@code [fromMs, toMs]} at which some host's state may have changed: the nodes' events and the
     * processes' starts and exits. Between two of them nothing changes.
     *
     * @return the moments, sorted, {@code fromMs} first.
     */
    static List<Long> moments(final Incarnations run, final long fromMs, final long toMs)
    {
        final TreeSet<Long> moments = new TreeSet<>(Set.of(fromMs));
        for (final Incarnation incarnation : run.all())
        {
            moments.add(incarnation.startMs);
            if (incarnation.exitMs >= 0)
            {
                moments.add(incarnation.exitMs);
            }
            for (final Event event : incarnation.log.events())
            {
                moments.add(event.atMs());
            }
        }
        return new ArrayList<>(moments.subSet(fromMs, true, toMs, true));
    }

    /**
     * The intervals of {@code [fromMs, toMs]} in which two groups served ({@link #twoGroups}).
     *
     * @param run       the run (its logs polled already).
     * @param fromMs    start, epoch ms.
     * @param toMs      end, epoch ms.
     * @return the intervals, oldest first.
     */
    static List<Interval> twoGroupIntervals(
        final Incarnations run, final long fromMs, final long toMs)
    {
        return intervals(run, fromMs, toMs, (states) -> twoGroups(serving(states)));
    }

    /**
     * The intervals of {@code [fromMs, toMs]} in which the serving nodes did not share one view (a view being
     * installed, or two groups).
     *
     * @param run       the run (its logs polled already).
     * @param fromMs    start, epoch ms.
     * @param toMs      end, epoch ms.
     * @return the intervals, oldest first.
     */
    static List<Interval> viewSkewIntervals(
        final Incarnations run, final long fromMs, final long toMs)
    {
        return intervals(run, fromMs, toMs, (states) -> oneView(serving(states)) ? null :
            serving(states).stream().map(HostState::view).distinct().count() + " views");
    }

    /**
     * The intervals of {@code [fromMs, toMs]} in which something is wrong with the hosts.
     *
     * @param run       the run (its logs polled already).
     * @param fromMs    start, epoch ms.
     * @param toMs      end, epoch ms.
     * @param wrong     what is wrong with every host's state, or null if nothing is.
     * @return the intervals, oldest first.
     */
    static List<Interval> intervals(final Incarnations run, final long fromMs,
        final long toMs, final Function<List<HostState>, String> wrong)
    {
        final List<Interval> found = new ArrayList<>();
        long openFromMs = -1;
        String openWhat = null;
        for (final long moment : moments(run, fromMs, toMs))
        {
            final List<HostState> states = at(run, moment);
            final String why = wrong.apply(states);
            if (null != why && openFromMs < 0)
            {
                openFromMs = moment;
                openWhat = why + "; serving: " + serving(states);
            }
            else if (null == why && openFromMs >= 0)
            {
                found.add(new Interval(openFromMs, moment, openWhat));
                openFromMs = -1;
            }
        }
        if (openFromMs >= 0)
        {
            found.add(new Interval(openFromMs, toMs, openWhat));
        }
        return found;
    }

    /**
     * The first moment of {@code [fromMs, toMs]} from which a condition on every host's state holds without a break
     * up to {@code toMs}.
     *
     * @return the moment, or -1 if it does not hold at {@code toMs}.
     */
    static long holdsSince(final Incarnations run, final long fromMs, final long toMs,
        final Predicate<List<HostState>> condition)
    {
        long since = -1;
        for (final long moment : moments(run, fromMs, toMs))
        {
            if (condition.test(at(run, moment)))
            {
                if (since < 0)
                {
                    since = moment;
                }
            }
            else
            {
                since = -1;
            }
        }
        return since;
    }

    /**
     * A wall-clock moment as the nodes' logs print it.
     *
     * @param epochMs epoch ms.
     * @return {@code HH:mm:ss.SSS}.
     */
    static String time(final long epochMs)
    {
        return new SimpleDateFormat("HH:mm:ss.SSS").format(new Date(epochMs));
    }
}
