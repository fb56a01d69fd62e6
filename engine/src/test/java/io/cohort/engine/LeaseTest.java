package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseTest
{
    private static final long LEASE_NS = TimeUnit.MILLISECONDS.toNanos(800);
    private static final long HEARTBEAT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final double RHO = 0.005;
    private static final Quorum MAJORITY = new Quorum(SplitStrategy.KEEP_MAJORITY, 1);

    private final Lease lease = new Lease(LEASE_NS);

    @Test
    void shouldAlwaysBeValidAloneInAViewOfOne()
    {
        lease.reset(ViewTest.viewOf(1), 0);
        assertEquals(Long.MAX_VALUE, lease.expiryNs(MAJORITY));
        assertTrue(lease.valid(Long.MIN_VALUE + 1, MAJORITY), "before any heartbeat");
        lease.onHeartbeatSent(1, 0);
        assertTrue(lease.valid(TimeUnit.HOURS.toNanos(1), MAJORITY), "no one else could decide for this view");
        assertTrue(lease.valid(0, new Quorum(SplitStrategy.STATIC_QUORUM, 1)));
        assertTrue(lease.valid(0, new Quorum(SplitStrategy.KEEP_OLDEST, 1)));
    }

    @Test
    void shouldHaveNoLeaseBeforeAQuorumEchoed()
    {
        final Lease fresh = new Lease(LEASE_NS);
        assertEquals(Long.MIN_VALUE, fresh.expiryNs(MAJORITY), "no view installed");
        lease.reset(ViewTest.viewOf(2), 1);
        assertFalse(lease.valid(0, MAJORITY), "the younger of two is not a quorum alone");
        lease.onHeartbeatSent(1, 0);
        assertFalse(lease.valid(1, MAJORITY));
        lease.onEcho(0, 1);
        assertEquals(LEASE_NS, lease.expiryNs(MAJORITY));
    }

    @Test
    void shouldExpireLeaseAfterTheSendOfTheLatestSequenceAQuorumEchoed()
    {
        lease.reset(ViewTest.viewOf(5), 0);
        sendUpTo(10);
        lease.onEcho(1, 10);
        lease.onEcho(2, 8);
        lease.onEcho(3, 5);
        lease.onEcho(4, 3);
        // Self with 1 and 2 is 3 of 5: s* = 8.
        assertEquals(sendTime(8) + LEASE_NS, lease.expiryNs(MAJORITY));
        // Four of five needed: s* = 5.
        assertEquals(sendTime(5) + LEASE_NS, lease.expiryNs(new Quorum(SplitStrategy.STATIC_QUORUM, 4)));
        assertTrue(lease.valid(sendTime(8) + LEASE_NS - 1, MAJORITY));
        assertFalse(lease.valid(sendTime(8) + LEASE_NS, MAJORITY));
    }

    /**
     * Seed 575418: in {1,2,3}, node 3 (rank 2) accepted {2,3}, in which node 2 alone (its oldest, half of it) is a
     * quorum. Node 1's echoes still make a quorum of {1,2,3} with node 3, but not of the successor: node 3 must not
     * serve on them, or it would serve beside node 2 once node 2 installs {2,3}.
     */
    @Test
    void shouldNeedAQuorumOfAnAcceptedSuccessorToo()
    {
        final View current = ViewTest.viewOf(3);
        lease.reset(current, 2);
        sendUpTo(10);
        lease.onEcho(0, 10); // node 1, which the successor removes
        assertTrue(lease.valid(sendTime(10), MAJORITY), "a quorum of {1,2,3}");

        final View successor = current.successor(new long[]{ current.member(0).nodeId() },
            new int[]{ EvictionReason.SILENCE.code() }, List.of(), 0);
        assertFalse(lease.validIn(successor, sendTime(10), MAJORITY), "node 1's echoes count for nothing in {2,3}");

        lease.onEcho(1, 9); // node 2, which stays
        assertTrue(lease.validIn(successor, sendTime(9) + LEASE_NS - 1, MAJORITY));
        assertFalse(lease.validIn(successor, sendTime(9) + LEASE_NS, MAJORITY));

        final View withoutSelf = current.successor(new long[]{ current.member(2).nodeId() },
            new int[]{ EvictionReason.SILENCE.code() }, List.of(), 0);
        assertFalse(lease.validIn(withoutSelf, sendTime(10), MAJORITY), "a successor without this node");
    }

    @Test
    void shouldCountHalfOfTheViewOnlyWithTheOldest()
    {
        lease.reset(ViewTest.viewOf(4), 0);
        sendUpTo(10);
        lease.onEcho(1, 9);
        lease.onEcho(2, 4);
        lease.onEcho(3, 2);
        assertEquals(sendTime(9) + LEASE_NS, lease.expiryNs(MAJORITY), "the oldest and one more");

        lease.reset(ViewTest.viewOf(4), 0);
        final Lease youngest = new Lease(LEASE_NS);
        youngest.reset(ViewTest.viewOf(4), 3);
        for (int seq = 1; seq <= 10; seq++)
        {
            youngest.onHeartbeatSent(seq, sendTime(seq));
        }
        youngest.onEcho(1, 9);
        youngest.onEcho(2, 4);
        youngest.onEcho(0, 2);
        assertEquals(sendTime(4) + LEASE_NS, youngest.expiryNs(MAJORITY), "the youngest needs three of four");
    }

    @Test
    void shouldKeepTheHighestEchoAndIgnoreSequencesNeverSent()
    {
        lease.reset(ViewTest.viewOf(3), 0);
        sendUpTo(5);
        assertTrue(lease.onEcho(1, 4));
        assertFalse(lease.onEcho(1, 3), "an older echo arriving late");
        assertFalse(lease.onEcho(2, 6), "never sent: proves no receipt");
        assertFalse(lease.onEcho(0, 5), "own rank");
        assertEquals(4, lease.echo(1));
        assertEquals(Lease.NO_ECHO, lease.echo(2));
        assertEquals(sendTime(4) + LEASE_NS, lease.expiryNs(MAJORITY));
        assertThrows(IllegalArgumentException.class, () -> lease.onEcho(3, 1));
    }

    @Test
    void shouldClaimNoLeaseFromAnEchoOlderThanTheHistory()
    {
        lease.reset(ViewTest.viewOf(3), 0);
        sendUpTo(Lease.HISTORY + 10);
        lease.onEcho(1, 10);
        assertEquals(Long.MIN_VALUE, lease.expiryNs(MAJORITY), "send time of 10 forgotten");
        lease.onEcho(2, 11);
        assertEquals(sendTime(11) + LEASE_NS, lease.expiryNs(MAJORITY), "11 is the oldest remembered");
    }

    @Test
    void shouldRefuseSequencesThatDoNotIncrease()
    {
        lease.onHeartbeatSent(5, 0);
        assertThrows(IllegalArgumentException.class, () -> lease.onHeartbeatSent(5, 1));
        assertThrows(IllegalArgumentException.class, () -> lease.onHeartbeatSent(4, 1));
        assertThrows(IllegalArgumentException.class, () -> lease.reset(ViewTest.viewOf(2), 2));
    }

    @Test
    void shouldCarryTheEchoesOfKeptMembersAcrossAnInstall()
    {
        final View view = ViewTest.viewOf(5);
        lease.reset(view, 1);
        sendUpTo(10);
        lease.onEcho(0, 9);
        lease.onEcho(2, 8);
        lease.onEcho(3, 7);
        lease.onEcho(4, 6);
        // Node 3 (rank 2) goes, node 5 (rank 4) restarts as a new incarnation, an older node 9 joins.
        final View next = view.successor(new long[] {3, 5}, new int[] {6, 6},
            List.of(ViewTest.member(9, 50), ViewTest.member(5, 999)), 0);
        final int selfRank = next.rankOf(2);
        lease.reset(next, selfRank);
        assertEquals(9, lease.echo(next.rankOf(1)));
        assertEquals(7, lease.echo(next.rankOf(4)));
        assertEquals(Lease.NO_ECHO, lease.echo(next.rankOf(9)), "a new member has echoed nothing");
        assertEquals(Lease.NO_ECHO, lease.echo(next.rankOf(5)), "a new incarnation has echoed nothing");
        assertEquals(Lease.NO_ECHO, lease.echo(selfRank));
        // Five members: self + nodes 1 and 4 are a quorum with s* = 7.
        assertEquals(sendTime(7) + LEASE_NS, lease.expiryNs(MAJORITY));
    }

    @Test
    void shouldBeInvalidAtOnceWhenResumedFromAPause()
    {
        lease.reset(ViewTest.viewOf(3), 2);
        long now = 0;
        long seq = 0;
        for (int i = 0; i < 30; i++)
        {
            now += HEARTBEAT_NS;
            lease.onHeartbeatSent(++seq, now);
            lease.onEcho(0, seq - 1);
            lease.onEcho(1, seq - 1);
            assertTrue(i < 2 || lease.valid(now, MAJORITY), "steady state at " + i);
        }
        now += TimeUnit.SECONDS.toNanos(4);
        assertFalse(lease.valid(now, MAJORITY), "the first check after SIGCONT, before any input");
        lease.onHeartbeatSent(++seq, now);
        assertFalse(lease.valid(now, MAJORITY), "sending is not being heard");
        lease.onEcho(0, seq);
        assertTrue(lease.valid(now + 1, MAJORITY), "a quorum heard the heartbeat sent after the pause");
    }

    @Test
    void shouldLoseTheLeaseWithinTheBoundOnceAQuorumStopsEchoing()
    {
        // x (rank 0 of 5) keeps sending and node 1 keeps echoing; nodes 2..4 stop hearing x at the cut.
        for (final double rateX : new double[] {1 - RHO, 1, 1 + RHO})
        {
            final Lease x = new Lease(LEASE_NS);
            x.reset(ViewTest.viewOf(5), 0);
            final long cutRealNs = TimeUnit.SECONDS.toNanos(3) + 12_345;
            long lastQuorumReceiptRealNs = 0;
            long seq = 0;
            long lostRealNs = -1;
            for (long realNs = 0; realNs < TimeUnit.SECONDS.toNanos(6); realNs += TimeUnit.MILLISECONDS.toNanos(1))
            {
                final long clockNs = 77_000_000_000L + (long)(realNs * rateX);
                if (0 == realNs % HEARTBEAT_NS)
                {
                    x.onHeartbeatSent(++seq, clockNs);
                }
                if (realNs % HEARTBEAT_NS == TimeUnit.MILLISECONDS.toNanos(2))
                {
                    // Each member received seq 2 ms after it was sent and echoes it now.
                    x.onEcho(1, seq);
                    if (realNs < cutRealNs)
                    {
                        x.onEcho(2, seq);
                        x.onEcho(3, seq);
                        lastQuorumReceiptRealNs = realNs;
                    }
                }
                final boolean valid = x.valid(clockNs, MAJORITY);
                if (realNs > TimeUnit.MILLISECONDS.toNanos(5) && realNs < cutRealNs)
                {
                    assertTrue(valid, "valid while a quorum echoes, rate " + rateX + " at " + realNs);
                }
                if (!valid && realNs > cutRealNs && lostRealNs < 0)
                {
                    lostRealNs = realNs;
                }
                if (lostRealNs > 0)
                {
                    assertFalse(valid, "never valid again without a quorum, rate " + rateX + " at " + realNs);
                }
            }
            assertTrue(lostRealNs > 0, "lost at all, rate " + rateX);
            final long boundNs = (long)Math.ceil(LEASE_NS / (1 - RHO)) + TimeUnit.MILLISECONDS.toNanos(1);
            assertTrue(lostRealNs - lastQuorumReceiptRealNs <= boundNs,
                "lost " + (lostRealNs - lastQuorumReceiptRealNs) + " ns after the last quorum receipt, rate " + rateX);
        }
    }

    @Test
    void shouldWaitForTheRemovedLeaseToEndWithDrift()
    {
        assertEquals(808_040_202L, Lease.commitWaitNs(LEASE_NS, RHO, 0));
        assertEquals(808_040_202L - 300_000_000L, Lease.commitWaitNs(LEASE_NS, RHO, 300_000_000L));
        assertEquals(0, Lease.commitWaitNs(LEASE_NS, RHO, TimeUnit.SECONDS.toNanos(1)));
        assertEquals(LEASE_NS, Lease.commitWaitNs(LEASE_NS, 0.0, 0));
        assertEquals(808_040_202L, Lease.commitWaitNs(LEASE_NS, RHO, -5), "a negative elapsed counts as none");
        assertThrows(IllegalArgumentException.class, () -> Lease.commitWaitNs(LEASE_NS, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> Lease.commitWaitNs(LEASE_NS, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Lease.commitWaitNs(LEASE_NS, Double.NaN, 0));
    }

    @Test
    void shouldNeverServeAfterAViewWithoutItCommitsWhateverTheClockRates()
    {
        int bridged = 0;
        for (long seed = 0; seed < 2_000; seed++)
        {
            final Outcome outcome = simulateCut(seed, RHO, TimeUnit.MICROSECONDS.toNanos(1 + seed % 3000));
            assertTrue(outcome.overlapNs <= 0, "seed " + seed + ": the removed node served " + outcome.overlapNs +
                " ns after the commit");
            bridged += outcome.bridgeKeptLease ? 1 : 0;
        }
        assertTrue(bridged > 1_000, "the bridge kept the lease alive until it accepted in most runs: " + bridged);
    }

    @Test
    void shouldOverlapIfTheCommitWaitIgnoredDrift()
    {
        // The same runs with the wait computed for perfect clocks: some overlap, so the check above can fail.
        int overlaps = 0;
        for (long seed = 0; seed < 2_000; seed++)
        {
            overlaps += simulateCut(seed, 0.0, TimeUnit.MICROSECONDS.toNanos(1 + seed % 100)).overlapNs > 0 ? 1 : 0;
        }
        assertTrue(overlaps > 0, "no overlap without the drift term");
    }

    @Test
    void shouldComputeExpiryWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        lease.reset(ViewTest.viewOf(9), 4);
        long sum = 0;
        for (int i = 1; i <= 20_000; i++)
        {
            sum += cycle(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 20_001; i <= 120_000; i++)
        {
            sum += cycle(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100000 cycles");
        assertTrue(sum != 0);
    }

    private long cycle(final int i)
    {
        lease.onHeartbeatSent(i, i * HEARTBEAT_NS);
        lease.onEcho(i % 9, i - (i % 5));
        return lease.expiryNs(MAJORITY) + (lease.valid(i * HEARTBEAT_NS, MAJORITY) ? 1 : 0);
    }

    private void sendUpTo(final long lastSeq)
    {
        for (long seq = 1; seq <= lastSeq; seq++)
        {
            lease.onHeartbeatSent(seq, sendTime(seq));
        }
    }

    private static long sendTime(final long seq)
    {
        return 1_000_000_000L + seq * HEARTBEAT_NS;
    }

    /** What one simulated cut showed. */
    private static final class Outcome
    {
        long overlapNs;
        boolean bridgeKeptLease;
    }

    private static final int X_SENDS = 0;
    private static final int MEMBER_RECEIVES = 1;
    private static final int MEMBER_SENDS = 2;
    private static final int X_RECEIVES_ECHO = 3;
    private static final int MEMBER_ACCEPTS = 4;

    /** One simulated event at a real time. */
    private static final class Event
    {
        final long realNs;
        final int type;
        final int node;
        final long seq;
        final int from;
        final long order;

        Event(final long realNs, final int type, final int node, final long seq, final int from, final long order)
        {
            this.realNs = realNs;
            this.type = type;
            this.node = node;
            this.seq = seq;
            this.from = from;
            this.order = order;
        }
    }

    /**
     * A non-transitive cut of five nodes with clock rates in [1-ρ, 1+ρ]: x and d keep hearing each other, b and c
     * stop hearing x (both ways) at the cut, and the bridge a hears everyone. After the cut, a, b and c accept a view
     * without x (and stop echoing x from then on) and b commits it after {@link Lease#commitWaitNs} with the drift
     * given, computed from their reports of the time since they last heard x. Event times are real; each node reads
     * only its own clock.
     *
     * @return by how much x's lease, in real time, outlived the commit (positive = two serving views).
     */
    private static Outcome simulateCut(final long seed, final double assumedDrift, final long maxLatencyNs)
    {
        final Random random = new Random(seed);
        final int n = 5;
        final List<Integer> ranks = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        Collections.shuffle(ranks, random);
        final int x = ranks.get(0);
        final int d = ranks.get(1);
        final int a = ranks.get(2);
        final int b = ranks.get(3);
        final int c = ranks.get(4);
        final int[] others = {a, b, c, d};
        final double[] rate = new double[n];
        final long[] offset = new long[n];
        for (int i = 0; i < n; i++)
        {
            final int pick = random.nextInt(3);
            rate[i] = 0 == pick ? 1 - RHO : 1 == pick ? 1 + RHO : 1 - RHO + 2 * RHO * random.nextDouble();
            offset[i] = random.nextLong() >> 8;
        }

        final Lease lease = new Lease(LEASE_NS);
        lease.reset(ViewTest.viewOf(n), x);
        final long cutNs = TimeUnit.SECONDS.toNanos(3) + random.nextInt((int)HEARTBEAT_NS);
        final long decideNs = cutNs + (long)(random.nextDouble() * TimeUnit.MILLISECONDS.toNanos(1500));
        final long[] acceptNs = new long[n];
        final long[] lastSeqReceived = new long[n];
        final long[] lastReceiptNs = new long[n];
        final long[] elapsedAtAccept = new long[n];
        Arrays.fill(acceptNs, Long.MAX_VALUE);

        final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.<Event>comparingLong(e -> e.realNs).thenComparingLong(e -> e.order));
        long order = 0;
        events.add(new Event(random.nextInt((int)HEARTBEAT_NS), X_SENDS, x, 1, x, order++));
        for (final int j : others)
        {
            events.add(new Event(random.nextInt((int)HEARTBEAT_NS), MEMBER_SENDS, j, 0, j, order++));
        }
        long repliesNs = 0;
        for (final int j : new int[] {a, b, c})
        {
            acceptNs[j] = decideNs + (long)(random.nextDouble() * maxLatencyNs);
            events.add(new Event(acceptNs[j], MEMBER_ACCEPTS, j, 0, j, order++));
            repliesNs = Math.max(repliesNs, acceptNs[j] + latency(random, maxLatencyNs));
        }

        long commitNs = Long.MAX_VALUE;
        long maxExpiryClockNs = Long.MIN_VALUE;
        final Outcome outcome = new Outcome();
        while (!events.isEmpty() && events.peek().realNs < TimeUnit.SECONDS.toNanos(8))
        {
            final Event e = events.poll();
            final long now = e.realNs;
            final long clockNs = offset[e.node] + (long)Math.floor(now * rate[e.node]);
            switch (e.type)
            {
                case X_SENDS:
                    if (now > TimeUnit.SECONDS.toNanos(1) && now < cutNs)
                    {
                        assertTrue(lease.valid(clockNs, MAJORITY), "seed " + seed + ": valid before the cut");
                    }
                    lease.onHeartbeatSent(e.seq, clockNs);
                    for (final int j : others)
                    {
                        if ((j != b && j != c) || now < cutNs)
                        {
                            events.add(new Event(now + latency(random, maxLatencyNs), MEMBER_RECEIVES, j, e.seq, x,
                                order++));
                        }
                    }
                    events.add(new Event(now + (long)Math.ceil(HEARTBEAT_NS / rate[x]), X_SENDS, x, e.seq + 1, x,
                        order++));
                    break;

                case MEMBER_RECEIVES:
                    lastSeqReceived[e.node] = Math.max(lastSeqReceived[e.node], e.seq);
                    lastReceiptNs[e.node] = now;
                    break;

                case MEMBER_SENDS:
                    // A member that accepted a view without x no longer echoes x; b and c no longer reach x.
                    if (now < acceptNs[e.node] && ((e.node != b && e.node != c) || now < cutNs) &&
                        lastSeqReceived[e.node] > 0)
                    {
                        events.add(new Event(now + latency(random, maxLatencyNs), X_RECEIVES_ECHO, x,
                            lastSeqReceived[e.node], e.node, order++));
                    }
                    events.add(new Event(now + (long)Math.ceil(HEARTBEAT_NS / rate[e.node]), MEMBER_SENDS, e.node, 0,
                        e.node, order++));
                    break;

                case X_RECEIVES_ECHO:
                    lease.onEcho(e.from, e.seq);
                    maxExpiryClockNs = Math.max(maxExpiryClockNs, lease.expiryNs(MAJORITY));
                    break;

                case MEMBER_ACCEPTS:
                    elapsedAtAccept[e.node] = clockNs - (offset[e.node] + (long)Math.floor(lastReceiptNs[e.node] *
                        rate[e.node]));
                    if (e.node == a)
                    {
                        outcome.bridgeKeptLease =
                            lease.valid(offset[x] + (long)Math.floor(now * rate[x]), MAJORITY);
                    }
                    break;

                default:
                    throw new IllegalStateException("event type " + e.type);
            }
            if (Long.MAX_VALUE == commitNs && now >= repliesNs)
            {
                final long minElapsedNs =
                    Math.min(elapsedAtAccept[a], Math.min(elapsedAtAccept[b], elapsedAtAccept[c]));
                final long waitClockNs = Lease.commitWaitNs(LEASE_NS, assumedDrift, minElapsedNs);
                commitNs = repliesNs + (long)Math.ceil(waitClockNs / rate[b]);
            }
        }
        assertTrue(Long.MAX_VALUE != commitNs, "seed " + seed + ": committed");
        // x serves while its clock is below the expiry: that ends when its clock reaches it, in real time.
        final long expiryRealNs = (long)Math.ceil((maxExpiryClockNs - offset[x]) / rate[x]);
        outcome.overlapNs = expiryRealNs - commitNs;
        return outcome;
    }

    private static long latency(final Random random, final long maxLatencyNs)
    {
        return 1_000 + (long)(random.nextDouble() * maxLatencyNs);
    }
}
